"""RawDocument → Plan: cell text rebuilt and repaired, missions split, items
typed, numbers, amounts and dates read. Problems become findings, never
silent changes: raw text is kept beside every rebuilt text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from thaiplan.errors import NoPlanTable, NotAPlan
from thaiplan.extract.model import Note, RawDocument
from thaiplan.families.anticorruption.vocabulary import VOCABULARY
from thaiplan.normalize.amounts import AmountError, join_split_amount, parse_amount
from thaiplan.normalize.codes import CodedText, dimension_of, split_missions, unmarked_dimension
from thaiplan.normalize.counts import parse_counts
from thaiplan.normalize.item_types import item_type, split_label
from thaiplan.normalize.metadata import Metadata, read_metadata
from thaiplan.normalize.model import Box, Budget, Finding, Item, Mission, Plan, StatedTotal, quoted
from thaiplan.normalize.periods import Period, fiscal_span, parse_period, respell_months
from thaiplan.normalize.rows import LogicalRow, assemble
from thaiplan.normalize.text_cells import rebuild_texts
from thaiplan.settings import Settings
from thaiplan.thai import LETTERS_MARKS_FONGMAN, to_arabic

_SPACES = re.compile(r"[ \t\u00a0]+")
_TEXT_ROLES = ("dimension", "mission", "item", "remark")
# A period this many fiscal years outside the plan's is still plausible (a plan
# printed late, a project carried over); beyond it the year was misread (๒๕๐๓ for ๒๕๖๓).
MISREAD_MARGIN_YEARS = 1


@dataclass
class _State:
    fiscal_years: tuple[int, ...]
    missions: dict[str, Mission] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    totals: list[StatedTotal] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    dimension: str | None = None
    mission: str | None = None

    def find(self, severity: str, kind: str, message: str, **where: object) -> None:
        self.findings.append(Finding(severity, kind, message, **where))  # type: ignore[arg-type]


def build_plan(raw: RawDocument, settings: Settings | None = None) -> Plan:
    """The canonical plan of one document; raises NoPlanTable when there is none."""
    settings = settings or Settings()
    assembly = assemble(raw.tables, VOCABULARY)
    notes = list(raw.notes) + assembly.notes
    meta = read_metadata(list(raw.lines))
    if any(n.kind == "not_a_plan_table" for n in notes) and not assembly.rows:
        return _empty_plan(raw, meta, notes)  # tables of another kind: a finding, no rows
    fatal = next((n for n in notes if n.kind == "no_plan_table"), None)
    if fatal is not None:
        raise NotAPlan(fatal.message)
    if not assembly.rows:
        raise NoPlanTable("a plan table was found but holds no rows")
    budget_years = assembly.column_map.budget_years
    fiscal_years = meta.fiscal_years or tuple(sorted(y for y in budget_years.values() if y))
    state = _State(fiscal_years)
    for note in notes:
        state.find(note.severity, note.kind, note.message, page=note.page)
    texts = rebuild_texts(assembly.rows, _TEXT_ROLES, settings.wraps)
    for row, row_texts in zip(assembly.rows, texts):
        if row.kind == "total":
            _total(state, row, row_texts, budget_years)
        else:
            _data_row(state, row, row_texts, budget_years)
    return Plan(
        source=raw.source,
        format=raw.format,
        pages=raw.pages,
        title=_clean(meta.title),
        organization=meta.organization,
        fiscal_years=fiscal_years,
        missions=tuple(state.missions.values()),
        items=tuple(state.items),
        totals=tuple(state.totals),
        findings=tuple(state.findings),
        title_raw=meta.title,
        **_reading(raw),
    )


def _reading(raw: RawDocument) -> dict[str, object]:
    """How the document was read, as the plan records it."""
    return {"read_by": raw.read_by, "ocr_pages": raw.ocr_pages, "ocr_engine": raw.ocr_engine,
            "page_reads": tuple((r.page, r.read_by, r.rule) for r in raw.page_reads)}  # fmt: skip


def _empty_plan(raw: RawDocument, meta: Metadata, notes: list[Note]) -> Plan:
    findings = tuple(Finding(n.severity, n.kind, n.message, page=n.page) for n in notes)
    return Plan(
        raw.source,
        raw.format,
        raw.pages,
        _clean(meta.title),
        meta.organization,
        meta.fiscal_years,
        (),
        (),
        (),
        findings,
        meta.title,
        **_reading(raw),  # type: ignore[arg-type]
    )


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _data_row(
    state: _State, row: LogicalRow, texts: dict[str, tuple[str, str]], budget_years: dict[int, int | None]
) -> None:
    if "dimension" in texts:
        _dimension(state, row, *texts["dimension"])
    row_code = _missions(state, row, *texts["mission"]) if "mission" in texts else None
    if "item" in texts:
        _item(state, row, texts, row_code or state.mission, budget_years)
    elif row.budgets:
        state.find(
            "warning", "budget_without_item", "a budget was printed on a row with no item", code=row_code, page=row.page
        )


def _dimension(state: _State, row: LogicalRow, text: str, raw: str) -> None:
    coded = dimension_of(text) or _undotted_dimension(text, state) or _unmarked_dimension(text, state)
    if coded is None and row.starts_page and state.dimension in state.missions:
        # a dimension cell merged down the rows goes on printing its title on the next page
        current = state.missions[state.dimension]
        state.missions[state.dimension] = replace(
            current, title=f"{current.title} {text}", title_raw=f"{current.title_raw}\n{raw}"
        )
        return
    if coded is None:
        number = str(int(state.dimension or 0) + 1)
        state.find(
            "warning",
            "dimension_unnumbered",
            f"dimension cell has no number; taken as dimension {number}: {text[:60]}",
            page=row.page,
        )
        coded_code, title, title_raw = number, text, raw
    else:
        coded_code, title = coded.code, coded.text
        raw_coded = dimension_of(raw)
        title_raw = raw_coded.text if raw_coded else raw
    _add_mission(state, Mission(coded_code, title, title_raw, row.page, _role_boxes(row, "dimension")))
    state.dimension = coded_code
    state.mission = coded_code


def _within_plan_years(period: Period, fiscal_years: tuple[int, ...]) -> bool:
    """A period inside the plan's fiscal years, give or take one (a misread year,
    ๒๕๐๓ for ๒๕๖๓, is no date to keep)."""
    if not fiscal_years:
        return True
    plausible = fiscal_span(min(fiscal_years), max(fiscal_years), margin=MISREAD_MARGIN_YEARS)
    return plausible.start <= period.start and period.end <= plausible.end


_UNDOTTED = re.compile(f"^\\s*(\\d)\\s+(?=[{LETTERS_MARKS_FONGMAN}])")


def _undotted_dimension(text: str, state: _State) -> CodedText | None:
    """`๔ การเสริมสร้าง…` in the dimension column (a scan lost the dot): taken as
    dimension 4 only when 4 is the next dimension."""
    match = _UNDOTTED.match(to_arabic(text))
    if not match or int(match.group(1)) != int(state.dimension or 0) + 1:
        return None
    return CodedText(match.group(1), text[match.end() :].strip())


def _unmarked_dimension(text: str, state: _State) -> CodedText | None:
    """`มตท ๑ การสร้าง…` (มิติที่ ๑ with its marks lost): dimension 1, only when 1 is next."""
    coded = unmarked_dimension(text)
    if coded is None or int(coded.code) != int(state.dimension or 0) + 1:
        return None
    return coded


def _missions(state: _State, row: LogicalRow, text: str, raw: str) -> str | None:
    """Mission nodes in a mission cell; returns the deepest code, the row's own."""
    lead, parts = split_missions(text)
    raw_parts = split_missions(raw)[1]
    if lead and not parts and not state.mission:
        state.find("warning", "text_without_code", f"mission text without a code: {lead[:60]}", page=row.page)
    deepest = None
    for index, part in enumerate(parts):
        title_raw = (
            raw_parts[index].text if index < len(raw_parts) and raw_parts[index].code == part.code else part.text
        )
        dimension = part.code.split(".", 1)[0]
        if dimension not in state.missions and "." in part.code:
            state.find(
                "warning",
                "mission_without_dimension",
                f"mission {part.code} appears before its dimension",
                code=part.code,
                page=row.page,
            )
        if part.code in state.missions:
            if part.code != state.mission:
                state.find(
                    "warning", "code_repeated", f"mission code {part.code} appears again", code=part.code, page=row.page
                )
        else:
            _add_mission(state, Mission(part.code, part.text, title_raw, row.page, _role_boxes(row, "mission")))
        state.dimension = dimension
        state.mission = part.code
        deepest = part.code
    return deepest


def _role_boxes(row: LogicalRow, role: str) -> tuple[Box, ...]:
    """Where a role's cell stands (the first one, where a row was continued)."""
    cell = row.cells.get(role)
    page = cell.page or row.page if cell is not None else None
    return ((page, *cell.bbox),) if cell is not None and cell.bbox is not None and page is not None else ()


def _add_mission(state: _State, mission: Mission) -> None:
    if mission.code in state.missions:
        state.find(
            "warning", "code_repeated", f"code {mission.code} appears again", code=mission.code, page=mission.page
        )
        return
    state.missions[mission.code] = mission


def _item(
    state: _State,
    row: LogicalRow,
    texts: dict[str, tuple[str, str]],
    code: str | None,
    budget_years: dict[int, int | None],
) -> None:
    text, raw = texts["item"]
    label, name = split_label(text)
    item_no = len(state.items) + 1
    typed = item_type(name)
    warnings: list[str] = []
    if typed.guessed_from:
        message = f"type guessed as {typed.type} from the first word {typed.guessed_from!r}"
        warnings.append(message)
        state.find("warning", "type_guessed", message, code=code, item_no=item_no, page=row.page)
    elif typed.type == "other":
        message = "first word names no known type (โครงการ, กิจกรรม, มาตรการ, แนวปฏิบัติ)"
        warnings.append(message)
        state.find("warning", "type_unknown", message, code=code, item_no=item_no, page=row.page)
    budgets = tuple(_budgets(state, row, budget_years, item_no, code, warnings))
    period_text = _clean(row.get("period"))
    respelled, fixes = respell_months(period_text)
    for was, now in fixes:
        message = f"month name {was!r} read as {now!r}; check the period"
        warnings.append(message)
        state.find("warning", "month_respelled", message, code=code, item_no=item_no, page=row.page)
    period = parse_period(respelled, state.fiscal_years) if period_text else None
    if period is not None and not _within_plan_years(period, state.fiscal_years):
        message = f"period {period_text!r} falls outside the plan's fiscal years; left empty, check its year"
        warnings.append(message)
        state.find("warning", "period_outside_plan", message, code=code, item_no=item_no, page=row.page)
        period = None
    elif period_text and period is None:
        message = f"period not understood: {quoted(period_text)}"
        warnings.append(message)
        state.find("warning", "period_unparsed", message, code=code, item_no=item_no, page=row.page)
    dimension = int(code.split(".", 1)[0]) if code else (int(state.dimension) if state.dimension else None)
    state.items.append(
        Item(
            item_no=item_no,
            code=code,
            dimension=dimension,
            type=typed.type,
            name=name,
            name_raw=raw,
            budgets=budgets,
            period_start=period.start if period else None,
            period_end=period.end if period else None,
            period_text=period_text,
            remark=texts["remark"][0] if "remark" in texts else "",
            page=row.page,
            warnings=tuple(warnings),
            label=label,
            boxes=tuple(row.boxes),
        )
    )


def _budgets(
    state: _State,
    row: LogicalRow,
    budget_years: dict[int, int | None],
    item_no: int | None,
    code: str | None,
    warnings: list[str],
) -> Iterable[Budget]:
    single_year = state.fiscal_years[0] if len(state.fiscal_years) == 1 else None
    for col, year in sorted(budget_years.items()):
        text = _clean(row.budgets.get(col, "").replace("\n", ""))  # a number wrapped in a narrow cell
        joined = join_split_amount(text)
        if joined is not None:
            state.find("info", "amount_joined", f"amount split by a gap read as one: {quoted(text)} as {quoted(joined)}",
                       code=code, item_no=item_no, page=row.page)  # fmt: skip
        try:
            amount: Decimal | None = parse_amount(joined or text)
        except AmountError:
            amount = None
            message = f"budget not understood: {quoted(text)}"
            warnings.append(message)
            state.find("warning", "amount_unparsed", message, code=code, item_no=item_no, page=row.page)
        yield Budget(year if year is not None else single_year, amount, text)


def _total(
    state: _State, row: LogicalRow, texts: dict[str, tuple[str, str]], budget_years: dict[int, int | None]
) -> None:
    label_text = next(
        (texts[r][0] for r in ("dimension", "mission", "item") if r in texts and texts[r][0].startswith("รวม")), "รวม"
    )
    compact = label_text.replace(" ", "")
    grand = compact.startswith(("รวมทั้งสิ้น", "รวมทั้งหมด", "รวมทุกมิติ"))
    scope_match = re.search(r"มิติที่?\s*(\d+)", to_arabic(compact))
    scope = "all" if grand else (scope_match.group(1) if scope_match else (state.dimension or "?"))
    count_text = " ".join(texts[r][0] for r in ("dimension", "mission", "item", "remark") if r in texts)
    counts = parse_counts(count_text)
    amounts = tuple(_budgets(state, row, budget_years, None, None, []))
    label = label_text if len(label_text) <= 30 else label_text[:30]
    label = re.split(r"\s*[\d๐-๙]", label, maxsplit=1)[0] or "รวม"
    state.totals.append(
        StatedTotal(
            scope=scope,
            label=label,
            counts=dict(counts),
            counts_printed=bool(counts),
            amounts=amounts,
            page=row.page,
            text=count_text,
            boxes=tuple(row.boxes),
            cells=tuple(row.written),
        )
    )
