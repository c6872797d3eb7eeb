"""Row assembly: from the extractor's grid to logical plan rows.

Drops repeated headers, keeps the rows of the tables a family's vocabulary
accepts, and lets the family's row rules realign rows whose leading empty
cell was lost, join a row that only continues the row above (a page break
cut it) and mark total rows (รวม / รวมทั้งสิ้น). Where the family names its anchors and
the reader gave line positions, a table's rows are its printed lines, and its
body is regrouped by the anchors (normalize.unruled: rows without rulings).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from thaiplan.extract.model import BreakHint, Cell, Note, Row, Table
from thaiplan.normalize.headers import (
    ColumnMap,
    build_column_map,
    header_words,
    is_header_piece,
    is_header_row,
    is_subheader_row,
)
from thaiplan.normalize.model import Box
from thaiplan.normalize.unruled import anchored_rows, has_lines, line_rows
from thaiplan.normalize.vocabulary import Vocabulary


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


def logical_row(row: Row, column_map: ColumnMap, vocabulary: Vocabulary) -> LogicalRow:
    """A grid row's cells by the role of their column."""
    logical = LogicalRow(page=row.page)
    for cell in row.cells:
        if cell.text.strip():
            logical.written.append(cell.text)
            if cell.bbox is not None and (cell.page or row.page) is not None:
                logical.boxes.append((cell.page or row.page, *cell.bbox))  # type: ignore[arg-type]
        role = vocabulary.rules.cell_role(cell, column_map, column_map.roles.get(cell.col))
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
    if vocabulary.rules.is_total(logical):
        logical.kind = "total"
    return logical


def _hints_of(cell: Cell) -> list[BreakHint]:
    """The reader's word on each line break of the cell (None where it has none)."""
    if len(cell.break_hints) == cell.text.count("\n"):
        return list(cell.break_hints)
    return [None] * cell.text.count("\n")


def append_row(target: LogicalRow, extra: LogicalRow) -> None:
    """`extra` continues `target`: its texts appended line by line, its boxes and cells kept."""
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


def assemble(tables: tuple[Table, ...], vocabulary: Vocabulary) -> Assembly:
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
        unruled = vocabulary.anchors is not None and has_lines(table.rows)
        table_rows = line_rows(table.rows) if unruled else list(table.rows)
        index = 0
        while index < len(table_rows):
            row = table_rows[index]
            if is_header_row(row, vocabulary):
                header = [row]
                while index + 1 < len(table_rows) and _header_goes_on(table_rows, index + 1, vocabulary, unruled,
                                                                      header, table.row_breaks):  # fmt: skip
                    index += 1
                    header.append(table_rows[index])
                candidate = build_column_map(header, vocabulary)
                if vocabulary.table_kind(candidate) is not None:
                    current = _merge_maps(current, candidate)
                elif unruled and current is not None:
                    pass  # the lower lines of a header the page's rules cut off it (`โครงการ)`, `(บาท)`)
                elif current is None or not _agrees(current, candidate):
                    rejected.append(header_words(header))
                    current = None
                index += 1
                continue
            if current is None:
                index += 1
                continue
            body = [row]
            if unruled:  # the body up to the next header, regrouped by its anchors
                while index + 1 < len(table_rows) and not is_header_row(table_rows[index + 1], vocabulary):
                    index += 1
                    body.append(table_rows[index])
                body = _anchored(body, current, vocabulary, table.row_breaks)
            index += 1
            for part in body:
                _take(part, current, rows, vocabulary)
        rejected_tables += len(rejected) > rejected_before
        if table.nested:
            notes.append(
                Note("nested_table", "a table nested inside a cell was read as a table of its own", table.page_first)
            )
    if current is None and not rows:
        return Assembly([], ColumnMap({}), notes + [_not_a_plan(rejected, rejected_tables, vocabulary)])
    return Assembly(rows, current or ColumnMap({}), notes)


def _take(row: Row, column_map: ColumnMap, rows: list[LogicalRow], vocabulary: Vocabulary) -> None:
    """A body row into the logical rows: joined to the row above where it only continues it."""
    logical = logical_row(vocabulary.rules.aligned(row, column_map), column_map, vocabulary)
    if not logical.texts and not logical.budgets:
        return
    if rows and vocabulary.rules.joins(logical, rows[-1]):
        append_row(rows[-1], logical)
        return
    logical.starts_page = bool(rows) and logical.page is not None and logical.page != rows[-1].page
    rows.append(logical)


def _header_goes_on(rows: list[Row], index: int, vocabulary: Vocabulary, unruled: bool, header: list[Row],
                    breaks: tuple[float, ...]) -> bool:  # fmt: skip
    """Whether rows[index] is a lower row of the header above; where rows are lines
    of an unruled table, also a line of header-word pieces only (`ที่` under
    `หน่วยงาน`), unless it opens a row (`๑` in ที่, `-` in the budgets) or stands in
    the drawn row (between two `breaks`) of a line that does: a unit `สำนักงาน`
    centred above its row's number is a short text too."""
    row = rows[index]
    if is_subheader_row(row, vocabulary) or row.is_header:
        return True
    if not unruled or not all(is_header_piece(c.text) for c in row.cells if c.text.strip()):
        return False
    column_map = build_column_map(header, vocabulary)
    band = _band(row, breaks)
    for later in rows[index:] if breaks else [row]:
        if _band(later, breaks) != band:
            break
        if not is_subheader_row(later, vocabulary) and _opens_row(later, column_map, vocabulary):
            return False
    return True


def _band(row: Row, breaks: tuple[float, ...]) -> int:
    """Which drawn row (between two breaks) a line of an unruled table stands in."""
    return bisect.bisect_left(breaks, min((base for c in row.cells for _, base in c.lines), default=0.0))


def _opens_row(row: Row, column_map: ColumnMap, vocabulary: Vocabulary) -> bool:
    anchors = vocabulary.anchors
    if anchors is None:
        return False
    number = column_map.column_of(anchors.number_role)
    amounts = {col for col, role in column_map.roles.items() if role == anchors.amount_role}
    return any((cell.col == number and anchors.starts_row(cell.text))
               or (cell.col in amounts and anchors.starts_part(cell.text)) for cell in row.cells)  # fmt: skip


def _anchored(body: list[Row], column_map: ColumnMap, vocabulary: Vocabulary, breaks: tuple[float, ...]) -> list[Row]:
    anchors = vocabulary.anchors
    assert anchors is not None
    amount_cols = [col for col, role in column_map.roles.items() if role == anchors.amount_role]
    return anchored_rows(body, column_map.column_of(anchors.number_role), amount_cols, anchors, breaks)


def _not_a_plan(rejected: list[list[str]], tables: int, vocabulary: Vocabulary) -> Note:
    if not rejected:
        return Note("no_plan_table", f"no table with plan headers ({vocabulary.headers_named}) was found", None, "error")
    seen: list[str] = []
    for words in rejected:
        for word in words:
            if word not in seen:
                seen.append(word)
    shown = ", ".join(seen[:12])
    return Note(
        "not_a_plan_table",
        f"{tables} table(s) found, none {vocabulary.table_named}; their header words: {shown}",
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
