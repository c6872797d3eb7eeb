"""Row assembly: from the extractor's grid to logical plan rows.

Drops repeated headers, realigns rows whose leading empty cell was lost,
joins a row that only continues the cell above (a page break cut it), and
marks total rows (รวม / รวมทั้งสิ้น).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from thaiplan.extract.model import BreakHint, Cell, Note, Row, Table
from thaiplan.normalize.amounts import looks_like_amount
from thaiplan.normalize.codes import dimension_of, split_missions, unmarked_dimension
from thaiplan.normalize.counts import has_counts
from thaiplan.normalize.headers import ColumnMap, build_column_map, header_words, is_header_row, is_subheader_row
from thaiplan.normalize.item_types import is_item_text, split_label
from thaiplan.normalize.model import Box
from thaiplan.normalize.periods import MONTHS
from thaiplan.thai import to_arabic

_TOTAL = re.compile(r"^รวม(ทั้งสิ้น|ทั้งหมด|ทุกมิติ|ทั้งหมดทุกมิติ)?(มิติที่?\d+)?(จำนวน)?$")
_MONTH_WORD = re.compile("|".join(sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True)) + r"|ไตรมาส|ตลอดปี")
MAX_SHIFT = 2


@dataclass
class LogicalRow:
    """One plan row: text per role (several budget columns by grid column)."""

    texts: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    hints: dict[str, list[BreakHint]] = field(default_factory=dict)  # one per "\n" of texts[role]
    end_hints: dict[str, BreakHint] = field(default_factory=dict)  # how each role's last line ended
    budgets: dict[int, str] = field(default_factory=dict)  # grid column -> text
    page: int | None = None
    kind: str = "data"  # "data" or "total"
    starts_page: bool = False  # the first plan row of a new page
    boxes: list[Box] = field(default_factory=list)  # where its cells stand: the picture in the report
    written: list[str] = field(default_factory=list)  # its cells' texts as read, left to right

    def get(self, role: str) -> str:
        return self.texts.get(role, "")


@dataclass
class Assembly:
    rows: list[LogicalRow]
    column_map: ColumnMap
    notes: list[Note]


def is_total_label(text: str) -> bool:
    compact = re.sub(r"\s+", "", to_arabic(text))
    if _TOTAL.match(compact):
        return True
    if compact.startswith("รวม") and not compact.startswith("รวมพลัง"):
        rest = compact[3:]
        rest = re.sub(r"^(ทั้งสิ้น|ทั้งหมด)", "", rest)
        return has_counts(rest) and not is_item_text(rest)
    return False


@lru_cache(maxsize=65536)
def cell_kind(text: str) -> str:
    """What a cell's content looks like: total, amount, code, dimension, item, period, text."""
    if not text:
        return "empty"
    if is_total_label(text):
        return "total"
    if looks_like_amount(text):
        return "amount"
    lead, parts = split_missions(text)
    if parts and not lead and "." in parts[0].code:
        return "code"
    if dimension_of(text):
        return "dimension"
    if is_item_text(text):
        return "item"
    if _MONTH_WORD.search(text):
        return "period"
    return "text"


# How well a kind of content fits a column role; realigns shifted rows.
_FIT: dict[str, dict[str, int]] = {
    "total": {"mission": 1, "dimension": 1, "item": 1},
    "amount": {"budget": 3, "*": -2},
    "code": {"mission": 3, "*": -2},
    "dimension": {"dimension": 3, "*": -1},
    "item": {"item": 3, "budget": -1, "period": -1},
    "period": {"period": 2},
    "text": {"budget": -1, "period": -1},
}


def _kind_score(text: str, role: str) -> int:
    fit = _FIT.get(cell_kind(text))
    if not fit:
        return 0
    return fit.get(role, fit.get("*", 0))


def _aligned(row: Row, column_map: ColumnMap) -> Row:
    """Shift a row whose leading cells were lost so its content fits the header."""
    if row.cells and row.cells[0].method != "text":
        return row
    roles = column_map.roles

    def score(shift: int) -> int:
        total = 0
        for cell in row.cells:
            role = roles.get(cell.col + shift)
            if role is None:
                total += -3 if cell.text else 0
            else:
                total += _kind_score(cell.text, "budget" if role == "budget" else role)
        return total

    base = score(0)
    best_shift, best = 0, base
    for shift in range(1, MAX_SHIFT + 1):
        value = score(shift)
        if value > best + 1:
            best_shift, best = shift, value
    if best_shift == 0:
        return row
    cells = tuple(replace(c, col=c.col + best_shift) for c in row.cells)
    return Row(cells, row.page, row.is_header)


def _logical(row: Row, column_map: ColumnMap) -> LogicalRow:
    logical = LogicalRow(page=row.page)
    for cell in row.cells:
        if cell.text.strip():
            logical.written.append(cell.text)
            if cell.bbox is not None and (cell.page or row.page) is not None:
                logical.boxes.append((cell.page or row.page, *cell.bbox))  # type: ignore[arg-type]
        role = column_map.roles.get(cell.col)
        if role in (None, "other") and _unnamed_dimension(cell, column_map):
            role = "dimension"
        if role is None or not cell.text.strip():
            continue
        if role == "budget":
            logical.budgets[cell.col] = cell.text
            logical.cells[f"budget:{cell.col}"] = cell
            continue
        if role in logical.texts:  # two cells mapped to one role: keep both texts
            logical.texts[role] += "\n" + cell.text
            logical.hints[role] += [None, *_hints_of(cell)]
            logical.end_hints[role] = cell.end_hint
            continue
        logical.texts[role] = cell.text
        logical.cells[role] = cell
        logical.hints[role] = _hints_of(cell)
        logical.end_hints[role] = cell.end_hint
        if logical.page is None:
            logical.page = cell.page
    if any(is_total_label(logical.get(role)) for role in ("dimension", "mission", "item", "number")):
        logical.kind = "total"
    return logical


def _unnamed_dimension(cell: Cell, column_map: ColumnMap) -> bool:
    """A dimension cell (`๑. การสร้าง…`) left of the missions in a column whose
    header was not read (OCR gave `NA` for มิติ), in a table with no dimension column."""
    mission = column_map.column_of("mission")
    if mission is None or cell.col >= mission or column_map.column_of("dimension") is not None:
        return False
    return dimension_of(cell.text) is not None or unmarked_dimension(cell.text) is not None


def _hints_of(cell: Cell) -> list[BreakHint]:
    """The reader's word on each line break of the cell (None where it has none)."""
    if len(cell.break_hints) == cell.text.count("\n"):
        return list(cell.break_hints)
    return [None] * cell.text.count("\n")


def _is_continuation(row: LogicalRow) -> bool:
    """Only free text: no code, no dimension, no item word, no amount, no period."""
    if row.kind != "data" or row.budgets or row.get("period"):
        return False
    if not any(row.texts.get(role) for role in ("dimension", "mission", "item")):
        return False
    mission = row.get("mission")
    if mission and split_missions(mission)[1]:
        return False
    if row.get("dimension") and dimension_of(row.get("dimension")):
        return False
    return not (row.get("item") and is_item_text(row.get("item")))


def _cut_by_page_break(row: LogicalRow, above: LogicalRow) -> bool:
    """The first row of a page that is the lower half of the row above: it starts no
    item, no dimension, and any mission code in it belongs under the row above
    (a mission cell `๒.๓ …` cut before its `๒.๓.๑ …`)."""
    if row.kind != "data" or row.page is None or row.page == above.page:
        return False
    if above.kind == "total":  # `… , ๔` / `มาตรการ`: a total's counts cut by the page
        return not row.budgets and not split_missions(row.get("mission"))[1] and not row.get("dimension")
    label_only = bool(above.get("item")) and not split_label(above.get("item"))[1]  # `๔)` / `กิจกรรม…`
    if row.get("item") and is_item_text(row.get("item")) and not label_only:
        return False
    if row.get("dimension") and dimension_of(row.get("dimension")):
        return False
    codes = [p.code for p in split_missions(row.get("mission"))[1]]
    above_codes = [p.code for p in split_missions(above.get("mission"))[1]]
    if codes and not (above_codes and all(c.startswith(above_codes[-1] + ".") for c in codes)):
        return False
    return bool(row.texts or row.budgets)


def _append(target: LogicalRow, extra: LogicalRow) -> None:
    for role, text in extra.texts.items():
        cell = extra.cells.get(role)
        joiner = " " if cell is not None and cell.method == "text" else "\n"
        extra_hints = extra.hints.get(role) or [None] * text.count("\n")
        if target.texts.get(role):
            target.texts[role] += joiner + text
            # the break between the halves: as the upper half's last line ended
            between = [target.end_hints.get(role)] if joiner == "\n" else []
            target.hints[role] = [*target.hints.get(role, []), *between, *extra_hints]
        else:
            target.texts[role] = text
            target.hints[role] = list(extra_hints)
        target.end_hints[role] = extra.end_hints.get(role)
        if role not in target.cells and cell is not None:
            target.cells[role] = cell
    target.boxes += extra.boxes
    target.written += extra.written
    for col, text in extra.budgets.items():
        if not target.budgets.get(col, "").strip():
            target.budgets[col] = text


def assemble(tables: tuple[Table, ...]) -> Assembly:
    """Logical rows of all plan tables in a document, in order.

    Tables whose headers agree continue one another (pages, split Word
    tables); a table with no header continues the one before.
    """
    notes: list[Note] = []
    rows: list[LogicalRow] = []
    current: ColumnMap | None = None
    rejected: list[list[str]] = []
    rejected_tables = 0
    for table in tables:
        rejected_before = len(rejected)
        table_rows = list(table.rows)
        index = 0
        while index < len(table_rows):
            row = table_rows[index]
            if is_header_row(row):
                header = [row]
                while index + 1 < len(table_rows) and (
                    is_subheader_row(table_rows[index + 1]) or table_rows[index + 1].is_header
                ):
                    index += 1
                    header.append(table_rows[index])
                candidate = build_column_map(header)
                if candidate.is_plan_table:
                    current = _merge_maps(current, candidate)
                elif current is None or not _agrees(current, candidate):
                    rejected.append(header_words(header))
                    current = None
                index += 1
                continue
            index += 1
            if current is None:
                continue
            logical = _logical(_aligned(row, current), current)
            if not logical.texts and not logical.budgets:
                continue
            if rows and (_is_continuation(logical) or _cut_by_page_break(logical, rows[-1])):
                _append(rows[-1], logical)
                continue
            logical.starts_page = bool(rows) and logical.page is not None and logical.page != rows[-1].page
            rows.append(logical)
        rejected_tables += len(rejected) > rejected_before
        if table.nested:
            notes.append(
                Note("nested_table", "a table nested inside a cell was read as a table of its own", table.page_first)
            )
    if current is None and not rows:
        return Assembly([], ColumnMap({}), notes + [_not_a_plan(rejected, rejected_tables)])
    return Assembly(rows, current or ColumnMap({}), notes)


def _not_a_plan(rejected: list[list[str]], tables: int) -> Note:
    if not rejected:
        return Note(
            "no_plan_table", "no table with plan headers (มิติ, ภารกิจ, โครงการ, งบประมาณ) was found", None, "error"
        )
    seen: list[str] = []
    for words in rejected:
        for word in words:
            if word not in seen:
                seen.append(word)
    shown = ", ".join(seen[:12])
    return Note(
        "not_a_plan_table",
        f"{tables} table(s) found, none an anti-corruption plan table (no มิติ/ภารกิจ column); their header words: {shown}",
        None,
        "warning",
    )


def _agrees(current: ColumnMap, candidate: ColumnMap) -> bool:
    common = set(current.roles) & set(candidate.roles)
    return all(current.roles[c] == candidate.roles[c] or candidate.roles[c] == "other" for c in common)


def _merge_maps(current: ColumnMap | None, candidate: ColumnMap) -> ColumnMap:
    """A repeated header missing a cell keeps the columns the first header named."""
    if current is None or not _agrees(current, candidate):
        return candidate
    roles = dict(candidate.roles)
    years = dict(candidate.budget_years)
    for col, role in current.roles.items():
        if roles.get(col) in (None, "other"):
            roles[col] = role
            if col in current.budget_years:
                years[col] = current.budget_years[col]
    return ColumnMap(roles, years, {**current.header_text, **candidate.header_text})
