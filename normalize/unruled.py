"""Rows without rulings: a table whose rows are not ruled apart (Word plans
exported to PDF) cut into its rows from where its lines stand.

A family says which lines open a row (its anchors, normalize.vocabulary): a
number in the number column opens a row, an amount or `-` in an amount column
opens a sub-row (a part). Cells are often centred vertically, so a tall cell's
first lines stand above its row's anchor and lines of neighbouring rows
interleave: order alone cannot tell them apart. Each column's lines between
two anchors go with the row above or below, cut at the widest gap between
them (the space between two rows' cells); without a wider gap they go with
the row above (a cell written from the top). A line level with an anchor is
that anchor's row.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from statistics import median

from thaiplan.extract.model import BreakHint, Cell, Row
from thaiplan.normalize.amounts import join_split_amount

SAME_LINE = 0.4  # baselines closer than this many line heights are one printed line
NUMBER_NEAR = 1.2  # a row number this many line heights from a sub-row's anchor opens that sub-row
GAP_TIE = 1.0  # gaps within this many points of the widest are as wide (points)
WRAP_STEP = 4.0  # a cell's next line stands within this many line heights (baseline to baseline)


@dataclass(frozen=True)
class RowAnchors:
    """Which lines open a row: `starts_row` in the `number_role` column (a new
    row), `starts_part` in an `amount_role` column (a sub-row of the row above)."""

    number_role: str
    amount_role: str
    starts_row: Callable[[str], bool]
    starts_part: Callable[[str], bool]


@dataclass(frozen=True)
class _Line:
    cell: Cell  # the cell it was read in
    text: str
    top: float
    baseline: float
    hint: BreakHint  # how it ended

    @property
    def col(self) -> int:
        return self.cell.col


def has_lines(rows: Sequence[Row]) -> bool:
    """Whether the reader said where the rows' lines stand (PDF cells)."""
    return any(cell.lines for row in rows for cell in row.cells)


def _lines_of(cell: Cell) -> list[_Line]:
    texts = cell.text.split("\n")
    hints = [*cell.break_hints, cell.end_hint] if len(cell.break_hints) == len(texts) - 1 else [None] * len(texts)
    return [_Line(cell, text, top, base, hint) for text, (top, base), hint in zip(texts, cell.lines, hints, strict=True)]


def _all_lines(rows: Sequence[Row]) -> list[_Line]:
    return [line for row in rows for cell in row.cells if cell.lines for line in _lines_of(cell)]


def _height(lines: Sequence[_Line]) -> float:
    return median(max(1.0, line.baseline - line.top) for line in lines) if lines else 10.0


def line_rows(rows: Sequence[Row]) -> list[Row]:
    """One row per printed line across the columns (where the reader gave line
    positions): the finest rows the page holds, from which the header's lines and
    the body's rows are told apart.

    >>> row = Row((Cell("ที่\\n1", 0, "pdf", 1, lines=((0, 10), (20, 30))),
    ...            Cell("โครงการ\\nถนน", 1, "pdf", 1, lines=((0, 10), (20, 30)))), page=1)
    >>> [[c.text for c in r.cells] for r in line_rows([row])]
    [['ที่', 'โครงการ'], ['1', 'ถนน']]
    """
    lines = _all_lines(rows)
    if not lines:
        return list(rows)
    page = next((row.page for row in rows if row.page is not None), None)
    bands: list[list[_Line]] = []
    tolerance = SAME_LINE * _height(lines)
    for line in sorted(lines, key=lambda item: item.baseline):
        if bands and line.baseline - bands[-1][0].baseline <= tolerance:
            bands[-1].append(line)
        else:
            bands.append([line])
    return [Row(_cells(band), page=page) for band in bands]


def _cells(lines: Sequence[_Line]) -> tuple[Cell, ...]:
    """The lines of one row as cells, one per column, top to bottom."""
    by_col: dict[int, list[_Line]] = {}
    for line in sorted(lines, key=lambda item: (item.baseline, item.cell.bbox[0] if item.cell.bbox else 0.0)):
        by_col.setdefault(line.col, []).append(line)
    cells = []
    for col in sorted(by_col):
        group = by_col[col]
        first = group[0].cell
        bbox = None
        if first.bbox is not None:
            bbox = (first.bbox[0], min(x.top for x in group), first.bbox[2], max(x.baseline for x in group))
        cells.append(replace(first, text="\n".join(x.text for x in group), bbox=bbox,
                             break_hints=tuple(x.hint for x in group[:-1]), end_hint=group[-1].hint,
                             lines=tuple((x.top, x.baseline) for x in group)))  # fmt: skip
    return tuple(cells)


def anchored_rows(rows: Sequence[Row], number_col: int | None, amount_cols: Sequence[int],
                  anchors: RowAnchors, breaks: Sequence[float] = ()) -> list[Row]:  # fmt: skip
    """The body rows of one page's table regrouped: one row per anchor (a row
    number or a part's first amount), and before them a row of the lines that
    only continue the row above (a row a page break cut). Rows without line
    positions, or without any anchor, come back as they are.

    `breaks`: where the rows of the table it was drawn from end (the reader saw
    its column rules break off there). A drawn row holding one anchor is that
    anchor's, one holding none continues the anchor above: its cells may be
    centred or written from the bottom, it does not matter.
    """
    lines = _all_lines(rows)
    if not lines or len(lines) < sum(len(c.text.split("\n")) for r in rows for c in r.cells if c.text):
        return list(rows)  # some cells without positions: nothing to place them by
    height = _height(lines)
    ys = _anchor_ys(lines, number_col, set(amount_cols), anchors, height, breaks)
    if not ys:
        return list(rows)
    groups: list[list[_Line]] = [[] for _ in range(len(ys) + 1)]  # 0: before the first anchor
    tolerance = SAME_LINE * height
    by_col: dict[int, list[_Line]] = {}
    for line in sorted(lines, key=lambda item: item.baseline):
        by_col.setdefault(line.col, []).append(line)
    pitch = _line_gap(by_col)
    drawn = _drawn_slots(lines, ys, breaks, tolerance)
    for col, column in by_col.items():
        sticky = col in amount_cols or col == number_col  # an amount's source stays under it
        for line, slot in zip(column, _slots(column, ys, tolerance, height, pitch, sticky), strict=True):
            groups[drawn.get(id(line), slot)].append(line)
    page = next((row.page for row in rows if row.page is not None), None)
    return [Row(_cells(group), page=page) for group in groups if group]


def _drawn_slots(lines: Sequence[_Line], ys: Sequence[float], breaks: Sequence[float],
                 tolerance: float) -> dict[int, int]:  # fmt: skip
    """The group of each line (by id) that stands in a drawn row with at most one anchor."""
    if not breaks:
        return {}
    band_of = [bisect.bisect_left(breaks, y) for y in ys]
    out: dict[int, int] = {}
    for line in lines:
        band = bisect.bisect_left(breaks, line.baseline)
        inside = [i for i, b in enumerate(band_of) if b == band]
        if len(inside) == 1:
            out[id(line)] = inside[0] + 1
        elif not inside:
            out[id(line)] = sum(1 for b in band_of if b < band)
    return out


def _anchor_ys(lines: Sequence[_Line], number_col: int | None, amount_cols: set[int], anchors: RowAnchors,
               height: float, breaks: Sequence[float]) -> list[float]:  # fmt: skip
    """Baselines of the lines that open rows: parts' first amounts, printed level
    across the amount columns, and row numbers not beside one (a row number
    printed half a line off its first amount, both centred, opens that row)."""
    tolerance = SAME_LINE * height
    parts: list[float] = []
    above: dict[int, _Line] = {}  # each amount column's line above
    for line in sorted((x for x in lines if x.col in amount_cols), key=lambda item: item.baseline):
        wrapped = line.col in above and _continues_amount(above[line.col], line, height)
        above[line.col] = line
        if wrapped or not anchors.starts_part(line.text):
            continue
        if not parts or line.baseline - parts[-1] > tolerance:
            parts.append(line.baseline)
    ys = list(parts)
    for line in lines:
        numbered = line.col == number_col and anchors.starts_row(line.text)
        if numbered and not any(abs(y - line.baseline) <= NUMBER_NEAR * height for y in parts):
            ys.append(line.baseline)
    ys.sort()
    if breaks:  # one anchor per drawn row: `750,000` wrapped above the `-` of the row's other years
        bands = [bisect.bisect_left(breaks, y) for y in ys]
        ys = [y for i, y in enumerate(ys) if i == 0 or bands[i] != bands[i - 1]]
    return ys


def _continues_amount(above: _Line, line: _Line, height: float) -> bool:
    """A line that goes on with the number of the line right above it: a narrow
    budget cell wraps `๕๐๐,๐๐๐` as `๕๐` over `๐,๐๐๐`, and the lower piece opens no part."""
    near = line.baseline - above.baseline <= WRAP_STEP * height
    return near and join_split_amount(f"{above.text.strip()} {line.text.strip()}") is not None


def _slots(column: Sequence[_Line], ys: Sequence[float], tolerance: float, height: float, pitch: float,
           sticky: bool) -> list[int]:  # fmt: skip
    """Which group (0: before the first anchor, k: the k-th anchor's row) each
    line of one column (top to bottom) goes to."""
    slots: list[int | None] = []
    for line in column:
        below = sum(1 for y in ys if y <= line.baseline + tolerance)  # anchors at or above the line
        level = below > 0 and abs(ys[below - 1] - line.baseline) <= tolerance
        slots.append(below if level or below == len(ys) else None)
    index = 0
    while index < len(column):
        if slots[index] is not None:
            index += 1
            continue
        end = index
        while end < len(column) and slots[end] is None:
            end += 1
        upper = sum(1 for y in ys if y <= column[index].baseline + tolerance)  # the row above: its group
        cut = end if sticky else _widest_gap(column, index, end, ys, upper, height, pitch)
        for i in range(index, end):
            slots[i] = upper if i < cut else upper + 1
        index = end
    return [slot for slot in slots if slot is not None]


def _widest_gap(column: Sequence[_Line], start: int, end: int, ys: Sequence[float], upper: int,
                height: float, pitch: float) -> int:  # fmt: skip
    """Where lines start..end-1 (between two anchors) are cut: before the line
    at the widest gap; the latest of equally wide gaps (lines stay with the row
    above). Above the first anchor the row above is on the page before: its
    lines are cut off only at a gap wider than between a cell's lines."""
    above = column[start - 1].baseline if start > 0 else (ys[upper - 1] if upper > 0 else None)
    below = column[end].baseline if end < len(column) else ys[upper]
    best, best_gap = end, -1.0
    for cut in range(start, end + 1):
        before = column[cut - 1].baseline if cut > start else above
        if before is None:
            continue
        after = column[cut].baseline if cut < end else below
        gap = after - before
        if gap > best_gap + GAP_TIE or abs(gap - best_gap) <= GAP_TIE:
            best, best_gap = cut, max(gap, best_gap)
    if above is None and best_gap <= pitch + GAP_TIE:
        return start  # one paragraph with the first anchor's line: a centred cell of its row
    return best


def _line_gap(by_col: dict[int, list[_Line]]) -> float:
    """The usual step between two lines of a cell, baseline to baseline."""
    steps = [b.baseline - a.baseline for column in by_col.values() for a, b in zip(column, column[1:])]
    return median(steps) if steps else 0.0
