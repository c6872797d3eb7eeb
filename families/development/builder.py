"""RawDocument → Plan for a development plan: strategies and guidelines as
headings, projects as items, each project's parts (จุดที่ ๑, ๒ …, numbered as
printed: parts.py) with their own budgets per year and funding source, and the
summary table's figures.

Rows have no rulings in these plans: a project starts where ที่ has a number,
a part where a budget cell opens with an amount or `-`; any other row goes
on the text of the part above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from thaiplan.errors import NoPlanTable
from thaiplan.extract.model import RawDocument, Row, Table
from thaiplan.families.development.budgets import AmountError, budget_cell, starts_part
from thaiplan.families.development.headings import Heading, heading_of
from thaiplan.families.development.parts import part_numbers
from thaiplan.families.development.summary import is_summary_table, read_summary
from thaiplan.families.development.vocabulary import TEXT_ROLES, VOCABULARY, row_number
from thaiplan.normalize.headers import is_header_row, is_subheader_row
from thaiplan.normalize.item_types import item_type
from thaiplan.normalize.metadata import read_metadata
from thaiplan.normalize.model import Budget, Finding, Item, Mission, Plan, quoted
from thaiplan.normalize.rows import LogicalRow, append_row, assemble
from thaiplan.normalize.text_cells import rebuild_texts
from thaiplan.normalize.thai_text import repair
from thaiplan.settings import Settings

FAMILY = "development"
_SPACES = re.compile(r"\s+")
_PROJECT_ROLES = ("number", "item", "objective")  # a project's own; the rest belong to its parts
_PART_ROLES = ("target", "kpi", "expected_result", "responsible_unit")


@dataclass
class _Part:
    row: LogicalRow
    budgets: dict[int, list[str]] = field(default_factory=dict)  # grid column -> its lines


@dataclass
class _Project:
    label: str
    strategy: str | None
    guideline: str | None
    row: LogicalRow
    parts: list[_Part] = field(default_factory=list)


@dataclass
class _State:
    missions: dict[str, Mission] = field(default_factory=dict)
    projects: list[_Project] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    strategy: str | None = None
    guideline: str | None = None

    def heading(self, heading: Heading, page: int | None) -> None:
        if heading.kind == "strategy":
            self.strategy, self.guideline = heading.code, None
        else:
            self.strategy, self.guideline = heading.code.split(".", 1)[0], heading.code
        if heading.code not in self.missions:
            self.missions[heading.code] = Mission(heading.code, heading.title, heading.title, page,
                                                  heading_kind=heading.kind)  # fmt: skip


def build_plan(raw: RawDocument, settings: Settings | None = None) -> Plan:
    """The development plan of one document; raises NoPlanTable when it has neither
    detail nor summary table."""
    settings = settings or Settings()
    summaries = [t for t in raw.tables if is_summary_table(t)]
    details = tuple(_headings_below_header(t) for t in raw.tables if not any(t is s for s in summaries))
    assembly = assemble(details, VOCABULARY)
    meta = read_metadata([line.text for line in raw.lines])
    if not assembly.rows and not summaries:
        note = next((n for n in assembly.notes if n.kind in ("no_plan_table", "not_a_plan_table")), None)
        raise NoPlanTable(note.message if note else "a development plan table was found but holds no rows")
    state = _State()
    for note in (*raw.notes, *(n for n in assembly.notes if n.kind not in ("no_plan_table", "not_a_plan_table"))):
        state.findings.append(Finding(note.severity, note.kind, note.message, page=note.page))
    _group(state, assembly.rows, _page_headings(raw))
    years = tuple(sorted({y for y in assembly.column_map.budget_years.values() if y}))
    stated = read_summary(summaries)
    fiscal_years = meta.fiscal_years or years or stated.fiscal_years
    for heading, page in stated.headings:
        if heading.code not in state.missions:
            state.missions[heading.code] = Mission(heading.code, heading.title, heading.title, page,
                                                   heading_kind=heading.kind)  # fmt: skip
    items = _items(state, assembly.column_map.budget_years, settings)
    return Plan(
        source=raw.source,
        format=raw.format,
        pages=raw.pages,
        title=_SPACES.sub(" ", meta.title).strip(),
        organization=meta.organization,
        fiscal_years=fiscal_years,
        missions=tuple(sorted(state.missions.values(), key=lambda m: [int(p) for p in m.code.split(".")])),
        items=items,
        totals=stated.totals,
        findings=(*state.findings, *stated.findings),
        title_raw=meta.title,
        family=FAMILY,
        read_by=raw.read_by,
        ocr_pages=raw.ocr_pages,
        ocr_engine=raw.ocr_engine,
    )


def _headings_below_header(table: Table) -> Table:
    """Heading rows printed above a table's first header (a Word table that starts
    with them) moved below it, where the assembly reads rows."""
    rows = list(table.rows)
    first = next((i for i, r in enumerate(rows) if is_header_row(r, VOCABULARY)), None)
    if not first:
        return table
    end = first + 1
    while end < len(rows) and (is_subheader_row(rows[end], VOCABULARY) or rows[end].is_header):
        end += 1
    above = [r for r in rows[:first] if _is_heading_row(r)]
    if not above:
        return table
    kept = [r for r in rows[:first] if not _is_heading_row(r)]
    return replace(table, rows=(*kept, *rows[first:end], *above, *rows[end:]))


def _is_heading_row(row: Row) -> bool:
    texts = [c.text for c in row.cells if c.text.strip()]
    return len(texts) == 1 and heading_of(texts[0], "0") is not None


_Placed = tuple[int, float, Heading]  # page, top (-1: not known) and the heading printed there


def _page_headings(raw: RawDocument) -> tuple[list[_Placed], list[Heading]]:
    """The headings printed in the pages' running text, where they stand; and the
    first guideline and its strategy, for rows no heading is known for (a Word
    file's paragraphs have no page)."""
    placed: list[_Placed] = []
    first: list[Heading] | None = None
    strategy: Heading | None = None
    for line in raw.lines:
        # repaired first: some pages draw า as ำ in their headings (ยุทธศำสตร์ที่ 2)
        heading = heading_of(repair(line.text), strategy.code if strategy else None, strict=True)
        if heading is None:
            continue
        if heading.kind == "strategy":
            strategy = heading
        elif first is None:
            first = [h for h in (strategy,) if h and heading.code.startswith(h.code + ".")] + [heading]
        if line.page is not None:
            placed.append((line.page, -1.0 if line.top is None else line.top, heading))
    return sorted(placed, key=lambda p: (p[0], p[1])), first or []


def _row_top(row: LogicalRow) -> float:
    """Where a row starts on its page (-1: not known)."""
    tops = [box[2] for box in row.boxes if box[0] == row.page]
    return min(tops) if tops else -1.0


def _row_heading(row: LogicalRow, strategy: str | None) -> Heading | None:
    """A row that is only a heading (a sheet prints them as rows of the table)."""
    if row.budgets or not row.texts or not set(row.texts) <= {"number", "item"}:
        return None
    texts = [t for t in row.written if t.strip()]
    # `1.2 …` alone in the number column is a heading; elsewhere only `1.2 แนวทาง…`
    return heading_of(texts[0], strategy, strict="number" not in row.texts) if len(texts) == 1 else None


def _group(state: _State, rows: list[LogicalRow], headings: tuple[list[_Placed], list[Heading]]) -> None:
    first = headings[1]
    table_pages = {row.page for row in rows}  # a page listing the strategies without a table heads no rows
    placed = [p for p in headings[0] if p[0] in table_pages]
    applied = 0  # headings printed above the rows so far (a heading under a page's table heads the next page's rows)
    for row in rows:
        if row.page is not None:
            where = (row.page, _row_top(row))
            while applied < len(placed) and (placed[applied][0] < where[0] or placed[applied][:2] <= where):
                state.heading(placed[applied][2], placed[applied][0])
                applied += 1
        heading = _row_heading(row, state.strategy)
        if heading is not None:
            state.heading(heading, row.page)
            continue
        number = row_number(row.get("number"))
        if number and state.strategy is None:
            for heading in first:
                state.heading(heading, row.page)
        if number:
            project = _Project(number, state.strategy, state.guideline, _own(row, _PROJECT_ROLES))
            state.projects.append(project)
            project.parts.append(_new_part(row))
            continue
        project = state.projects[-1] if state.projects else None
        if project is None:
            if row.texts or row.budgets:
                state.findings.append(Finding("warning", "row_without_project",
                                              f"a row before the first numbered project was left out: {quoted(' '.join(row.written))}",
                                              page=row.page))  # fmt: skip
            continue
        if any(starts_part(text) for text in row.budgets.values()):
            project.parts.append(_new_part(row))
            append_row(project.row, _own(row, _PROJECT_ROLES))
            continue
        _continue(project, row)


def _own(row: LogicalRow, roles: tuple[str, ...]) -> LogicalRow:
    """The part of a row in some roles (a project's name and objective, a part's target …)."""
    own = LogicalRow(page=row.page, kind=row.kind, starts_page=row.starts_page)
    own.texts = {r: t for r, t in row.texts.items() if r in roles}
    own.cells = {r: c for r, c in row.cells.items() if r in roles}
    own.hints = {r: h for r, h in row.hints.items() if r in roles}
    own.end_hints = {r: h for r, h in row.end_hints.items() if r in roles}
    own.boxes, own.written = list(row.boxes), list(row.written)
    return own


def _new_part(row: LogicalRow) -> _Part:
    part = _Part(_own(row, _PART_ROLES))
    for col, text in row.budgets.items():
        part.budgets[col] = [text]
    return part


def _continue(project: _Project, row: LogicalRow) -> None:
    """A row that only goes on: the project's name and objective, its last part's text and sources."""
    append_row(project.row, _own(row, _PROJECT_ROLES))
    part = project.parts[-1]
    append_row(part.row, _own(row, _PART_ROLES))
    for col, text in row.budgets.items():
        part.budgets.setdefault(col, []).append(text)


def _items(state: _State, budget_years: dict[int, int | None], settings: Settings) -> tuple[Item, ...]:
    rows = [p.row for p in state.projects] + [part.row for p in state.projects for part in p.parts]
    texts = rebuild_texts(rows, TEXT_ROLES, settings.wraps)
    own, parts_texts = texts[: len(state.projects)], iter(texts[len(state.projects) :])
    items = []
    for item_no, (project, project_texts) in enumerate(zip(state.projects, own), start=1):
        part_texts = [next(parts_texts) for _ in project.parts]
        items.append(_item(state, item_no, project, project_texts, part_texts, budget_years))
    return tuple(items)


def _joined(part_texts: list[dict[str, tuple[str, str]]], role: str) -> str:
    return "\n".join(t[role][0] for t in part_texts if role in t and t[role][0])


def _item(
    state: _State,
    item_no: int,
    project: _Project,
    texts: dict[str, tuple[str, str]],
    part_texts: list[dict[str, tuple[str, str]]],
    budget_years: dict[int, int | None],
) -> Item:
    name, name_raw = texts.get("item", ("", ""))
    typed = item_type(name)
    warnings: list[str] = []
    code = project.guideline or project.strategy
    if typed.guessed_from or typed.type == "other":
        message = f"type {'guessed as ' + typed.type if typed.guessed_from else 'unknown'}: {quoted(name)}"
        warnings.append(message)
        state.findings.append(Finding("warning", "type_guessed" if typed.guessed_from else "type_unknown", message,
                                      code, item_no, project.row.page))  # fmt: skip
    budgets = []
    numbers = part_numbers([t["target"][0] if "target" in t else "" for t in part_texts])
    for number, part in zip(numbers, project.parts):
        for col, year in sorted(budget_years.items()):
            text = " ".join(line.strip() for line in part.budgets.get(col, []) if line.strip())
            try:
                amount, source, joined = budget_cell(text)
            except AmountError:
                amount, source, joined = None, "", None
                message = f"budget not understood: {quoted(text)}"
                warnings.append(message)
                state.findings.append(Finding("warning", "amount_unparsed", message, code, item_no, part.row.page))
            if joined is not None:
                state.findings.append(Finding("info", "amount_joined", f"amount split by a gap read as one: "
                                              f"{quoted(_SPACES.sub(' ', text))} as {quoted(joined)}", code, item_no, part.row.page))  # fmt: skip
            budgets.append(Budget(year, amount, text, number, source))
    return Item(
        item_no=item_no,
        code=code,
        dimension=int(project.strategy) if project.strategy else None,
        type=typed.type,
        name=name,
        name_raw=name_raw,
        budgets=tuple(budgets),
        page=project.row.page,
        warnings=tuple(warnings),
        label=project.label,
        boxes=tuple(project.row.boxes),
        objective=texts.get("objective", ("", ""))[0],
        target=_joined(part_texts, "target"),
        kpi=_joined(part_texts, "kpi"),
        expected_result=_joined(part_texts, "expected_result"),
        responsible_unit=_joined(part_texts, "responsible_unit"),
    )

