"""Table geometry of a PDF page: ruled grids (cells found by
extract.pdf_ruling), and tables that rule their columns but not their rows (Word plans often do), whose rows are
found from the text: blank bands across every column, and row numbers or
mission codes (`๑.๑`, `๒.๓.๑`) that start a row.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from thaiplan.extract.model import BBox
from thaiplan.extract.pdf_ruling import Edge

SNAP = 2.0  # rule positions closer than this (points) are one boundary
MIN_RULE = 8.0  # shorter vertical edges are not column rules
MIN_RULED_COLUMNS = 2
# A row starts with a number or a dotted code, Thai or Arabic digits: "21", "๑.๑", "๒.๓.๑ ...".
ROW_START = re.compile(r"^\(?[0-9๐-๙]{1,3}(?:[.)]|(?:\.[0-9๐-๙]{1,3})+\.?)?(?:\s|$)")
BREAK_SHARE = 0.8  # a row break where this share of the column rules end together
ROW_GAP_PITCH = 1.5  # baselines further apart than this many line pitches can separate rows


@dataclass
class GridCell:
    bbox: BBox
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass
class Grid:
    """One table on one page: column and row boundaries and its cells."""

    bbox: BBox
    xs: list[float]
    ys: list[float] = field(default_factory=list)
    cells: list[GridCell] = field(default_factory=list)
    ruled_rows: bool = True  # False: rows were found from the text
    _slots: dict[tuple[int, int], GridCell] = field(default_factory=dict, repr=False)

    def locate(self, x: float, y: float) -> GridCell | None:
        """The cell holding point (x, y), if any."""
        x0, top, x1, bottom = self.bbox
        if not (x0 <= x <= x1 and top <= y <= bottom):
            return None
        if not self._slots:  # every grid slot a cell covers, spans included
            for cell in self.cells:
                for r in range(cell.row, cell.row + cell.row_span):
                    for c in range(cell.col, cell.col + cell.col_span):
                        self._slots[(r, c)] = cell
        return self._slots.get((bisect.bisect_right(self.ys, y) - 1, bisect.bisect_right(self.xs, x) - 1))


def snap(values: Sequence[float], tolerance: float = SNAP) -> list[float]:
    """Sorted distinct positions, merging those within `tolerance`.

    >>> snap([10.0, 10.5, 50.0, 49.2, 90.0])
    [10.0, 49.2, 90.0]
    """
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def index_of(boundaries: Sequence[float], x: float) -> int:
    """Index of the boundary nearest to x."""
    i = bisect.bisect_left(boundaries, x)
    if i == 0:
        return 0
    if i == len(boundaries):
        return len(boundaries) - 1
    return i if boundaries[i] - x < x - boundaries[i - 1] else i - 1


def ruled_grid(bboxes: Sequence[BBox], table_bbox: BBox, edges: Sequence[Edge] = ()) -> Grid:
    """A ruled table's cells placed on its column and row boundaries (spans included);
    a cell that column rules hang in is split by them (split_by_hanging_rules)."""
    rules = sorted((e for e in edges if e.orientation == "v" and e.bottom - e.top >= MIN_RULE), key=lambda e: e.x0)
    if rules:
        bboxes = [part for box in bboxes for part in split_by_hanging_rules(box, rules)]
    xs = snap([b[0] for b in bboxes] + [b[2] for b in bboxes])
    ys = snap([b[1] for b in bboxes] + [b[3] for b in bboxes])
    grid = Grid(bbox=table_bbox, xs=xs, ys=ys)
    for box in bboxes:
        col, row = index_of(xs, box[0]), index_of(ys, box[1])
        col_end, row_end = index_of(xs, box[2]), index_of(ys, box[3])
        grid.cells.append(GridCell(box, row, col, max(1, row_end - row), max(1, col_end - col)))
    grid.cells.sort(key=lambda c: (c.row, c.col))
    return grid


def split_by_hanging_rules(box: BBox, rules: Sequence[Edge]) -> list[BBox]:
    """A cell cut by the column rules that hang in it: rules that start inside it,
    below its top, and run down to its bottom without meeting a row rule at their
    top (the years under a merged `งบประมาณและที่มา` in a table that rules no row:
    the grid finder sees one cell there, as the rules cross nothing above). The
    part above the rules stays one cell over all of them (the merged header).
    `rules`: the page's vertical edges, by x.

    >>> from thaiplan.extract.pdf_ruling import Edge
    >>> split_by_hanging_rules((0, 0, 90, 100), [Edge(x, 20, x, 100, 80, "v") for x in (30, 60)])
    [(0, 0, 90, 20), (0, 20, 30, 100), (30, 20, 60, 100), (60, 20, 90, 100)]
    """
    x0, top, x1, bottom = box
    first = bisect.bisect_right(rules, x0 + SNAP, key=lambda e: e.x0)
    last = bisect.bisect_left(rules, x1 - SNAP, key=lambda e: e.x0)
    hanging = [e for e in rules[first:last] if top + MIN_RULE <= e.top <= bottom - MIN_RULE and e.bottom >= bottom - SNAP]
    if not hanging:
        return [box]
    start = min(e.top for e in hanging)
    xs = [x0, *snap([e.x0 for e in hanging if e.top - start <= SNAP]), x1]  # the rules hanging from one line
    return [(x0, top, x1, start), *((a, start, b, bottom) for a, b in zip(xs, xs[1:], strict=False))]


def rule_only_regions(edges: Sequence[Edge], taken: Sequence[BBox]) -> list[tuple[BBox, list[float]]]:
    """Blocks of vertical rules outside the ruled tables: (bbox, column boundaries).

    Rules are grouped when their vertical extents overlap; a group with at
    least three distinct x positions rules two or more columns.
    """
    rules = [
        e for e in edges
        if e.orientation == "v" and e.bottom - e.top >= MIN_RULE
        and not any(_inside(e.x0, (e.top + e.bottom) / 2, box) for box in taken)
    ]  # fmt: skip
    rules.sort(key=lambda e: e.top)
    groups: list[list[Edge]] = []
    bottom = 0.0  # the lowest bottom of the group being grown
    for rule in rules:
        if groups and rule.top <= bottom + SNAP:
            groups[-1].append(rule)
            bottom = max(bottom, rule.bottom)
        else:
            groups.append([rule])
            bottom = rule.bottom
    regions = []
    for group in groups:
        xs = snap([r.x0 for r in group])
        if len(xs) >= MIN_RULED_COLUMNS + 1:
            top, bottom = min(r.top for r in group), max(r.bottom for r in group)
            regions.append(((xs[0], top, xs[-1], bottom), xs))
    return regions


def rule_breaks(edges: Sequence[Edge], box: BBox, xs: Sequence[float]) -> tuple[float, ...]:
    """Where a table's column rules break off together inside it: Word draws the
    rules of a table without row rules one row at a time, so the pieces end at
    the rows of the table it was drawn from. A position counts where the rules
    of most columns end there (any drawn row rule is one too).

    >>> from thaiplan.extract.pdf_ruling import Edge
    >>> rules = [Edge(x, a, x, b, b - a, "v") for x in (0, 50, 90) for a, b in ((0, 20), (20, 55), (55, 80))]
    >>> rule_breaks(rules, (0, 0, 90, 80), [0, 50, 90])
    (20.0, 55.0)
    """
    ends: dict[float, set[int]] = {}
    for edge in edges:
        if edge.orientation != "v" or not (box[0] - SNAP <= edge.x0 <= box[2] + SNAP):
            continue
        col = index_of(xs, edge.x0)
        if abs(xs[col] - edge.x0) > SNAP:
            continue
        for y in (edge.top, edge.bottom):
            if box[1] + SNAP < y < box[3] - SNAP:
                ends.setdefault(round(y, 2), set()).add(col)
    need = max(2, int(BREAK_SHARE * len(xs)))
    # the pieces' ends of one row stand within SNAP of each other
    groups: list[list[float]] = []
    for y in sorted(ends):
        if groups and y - groups[-1][-1] <= SNAP:
            groups[-1].append(y)
        else:
            groups.append([y])
    return tuple(round(sum(g) / len(g), 2) for g in groups if len(set().union(*(ends[y] for y in g))) >= need)


def _inside(x: float, y: float, box: BBox, pad: float = 1.0) -> bool:
    return box[0] - pad <= x <= box[2] + pad and box[1] - pad <= y <= box[3] + pad


def text_rows(bands: Sequence[tuple[float, float, int, str]], top: float, bottom: float) -> list[tuple[float, float]]:
    """Rows of a table whose rows are not ruled, from its text lines.

    `bands`: each line as (top, baseline, column, text). Lines are cut into
    blocks where the baselines, across all columns, step more than
    ROW_GAP_PITCH times the usual line pitch; a block opens a new row when
    the first column that numbers rows starts with a number or code there,
    else it continues the row above. Returns each row's (top, bottom).

    >>> text_rows([(0, 10, 0, "21"), (0, 10, 1, "ถนน"), (12, 22, 1, "สาย ก"),
    ...            (40, 50, 1, "ต่อ"), (70, 80, 0, "22"), (70, 80, 1, "คลอง")], 0, 90)
    [(0, 60.0), (60.0, 90)]
    """
    if not bands:
        return []
    ordered = sorted(bands, key=lambda b: b[1])
    steps: list[float] = [1e9]  # baseline to baseline inside each column
    for col in {b[2] for b in bands}:
        baselines = [b[1] for b in ordered if b[2] == col]
        steps += [b - a for a, b in zip(baselines, baselines[1:], strict=False) if b - a > 0.5]
    pitch = min(steps) if len(steps) > 1 else max(b[1] - b[0] for b in bands)  # the closest two lines: one line pitch
    blocks: list[list[tuple[float, float, int, str]]] = []
    for band in ordered:
        if blocks and band[1] - blocks[-1][-1][1] <= ROW_GAP_PITCH * pitch:
            blocks[-1].append(band)
        else:
            blocks.append([band])
    key = _key_column(blocks)
    rows: list[list[list[tuple[float, float, int, str]]]] = []
    for block in blocks:
        starts = key is None or any(b[2] == key and ROW_START.match(b[3]) for b in block)
        if starts or not rows:
            rows.append([block])
        else:
            rows[-1].append(block)
    edges = [top]
    for prev, nxt in zip(rows, rows[1:], strict=False):
        end = max(b[1] for block in prev for b in block)
        start = min(b[0] for b in nxt[0])
        edges.append((end + start) / 2)
    edges.append(bottom)
    return list(zip(edges, edges[1:], strict=False))


def _key_column(blocks: Sequence[Sequence[tuple[float, float, int, str]]]) -> int | None:
    """The leftmost column where at least two blocks start with a row number or code."""
    counts: dict[int, int] = {}
    for block in blocks:
        for col in {b[2] for b in block if ROW_START.match(b[3])}:
            counts[col] = counts.get(col, 0) + 1
    keyed = sorted(col for col, n in counts.items() if n >= 2)
    return keyed[0] if keyed else None
