"""Ruled tables from a page's edges, by pdfplumber's own table finder steps
(`pdfplumber.table`, its default "lines" strategy) fed with plain edges.

Both PDF engines give the same edges (ruling lines, rectangle sides and
straight pieces of curves, as pdfplumber's `page.edges` gives them), and
`find_tables` strings pdfplumber's functions together as its `TableFinder`
does with default `TableSettings`: edges filtered by `edge_min_length_prefilter`,
snapped and joined (`merge_edges`), filtered by `edge_min_length`, then
`edges_to_intersections`, `intersections_to_cells` and `cells_to_tables`.
So the grids are pdfplumber's whichever engine read the page.

Two things are ours. `_cells` is `intersections_to_cells` (the same cells
in the same order; tests/test_pdf_ruling.py compares them on random grids)
without its cost: pdfplumber rebuilds both points' edge sets, and evaluates
the nested function's type annotations, for each of the ~250 pairs a cell
costs, which made it half of a page's table search. And pages that draw the
same edges (a plan repeats its table frame on page after page: 158 distinct
sets on the 288 pages of the budget volume) are searched once (`_search`'s
cache).

And a bound: those steps are quadratic (every vertical edge is
tried against every horizontal one, every crossing against the crossings
after it), so a page with more than MAX_PAIRS vertical-horizontal pairs of
merged edges, or whose edges could cross more than MAX_CROSSINGS times, is
refused before they start (TooManyPaths): its text is kept without its rules.

Importing `pdfplumber.table` imports pdfplumber and pdfminer's modules
(about 0.1 s, once, on the first page with edges); no pdfminer parse runs.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from thaiplan.extract.model import BBox

# Vertical-horizontal pairs of merged edges a page may have: edges_to_intersections
# tests each (1,000,000: about 0.25 s). The largest page here: 330.
MAX_PAIRS = 1_000_000
# Crossings of ruling lines a page may have, counted before the search as the
# pairs whose spans meet in y (no fewer than the crossings). intersections_to_cells
# is quadratic in them: a 70 x 70 grid's 5,041 take 0.8 s, 10,201 take 3.2 s.
# The largest page here: 228.
MAX_CROSSINGS = 5_000


class TooManyPaths(Exception):
    """A page draws more than the settings allow (path objects, segments, crossings)."""


class Edge(NamedTuple):
    """One ruling line or rectangle side, from the page top, in points."""

    x0: float
    top: float
    x1: float
    bottom: float
    length: float  # pdfminer's width (horizontal) or height (vertical): what the length filters test
    orientation: str  # "h", "v", or "" (a slanted piece of a curve)


def find_tables(edges: Iterable[Edge]) -> list[tuple[Sequence[BBox], BBox]]:
    """Ruled tables as (cell boxes, table box), top to bottom."""
    prefilter = _settings().edge_min_length_prefilter
    # only the edges TableFinder's first filter keeps count (not a Word rectangle's short sides)
    return list(_search(tuple(e for e in edges if e.orientation and e.length >= prefilter)))


@functools.lru_cache(maxsize=1)
def _settings():  # type: ignore[no-untyped-def]
    from pdfplumber import table  # pdfminer's modules load with it: slow, so not for every import

    return table.TableSettings()


@functools.lru_cache(maxsize=64)  # small: a page's tables, for the pages that repeat a frame
def _search(edges: tuple[Edge, ...]) -> tuple[tuple[tuple[BBox, ...], BBox], ...]:
    from pdfplumber import table, utils

    settings = _settings()
    objects = [_object(e) for e in edges]
    prefilter = settings.edge_min_length_prefilter
    kept = utils.filter_edges(objects, "v", min_length=prefilter)  # TableFinder.get_edges: verticals first
    kept += utils.filter_edges(objects, "h", min_length=prefilter)
    merged = table.merge_edges(kept, snap_x_tolerance=settings.snap_x_tolerance,
                               snap_y_tolerance=settings.snap_y_tolerance,
                               join_x_tolerance=settings.join_x_tolerance,
                               join_y_tolerance=settings.join_y_tolerance)  # fmt: skip
    merged = utils.filter_edges(merged, min_length=settings.edge_min_length)
    verticals = sum(e["orientation"] == "v" for e in merged)
    if verticals * (len(merged) - verticals) > MAX_PAIRS:
        raise TooManyPaths(f"than {MAX_PAIRS} pairs of vertical and horizontal ruling lines")
    if _crossings_at_most(merged, settings.intersection_y_tolerance) > MAX_CROSSINGS:
        raise TooManyPaths(f"than {MAX_CROSSINGS} crossings of ruling lines")
    crossings = table.edges_to_intersections(merged, settings.intersection_x_tolerance,
                                             settings.intersection_y_tolerance)  # fmt: skip
    groups = table.cells_to_tables(_cells(crossings))
    return tuple((tuple(cells), utils.merge_bboxes(cells)) for cells in groups)


def _cells(crossings: dict[tuple[float, float], dict[str, list[dict]]]) -> list[BBox]:
    """pdfplumber.table.intersections_to_cells: for each crossing in sorted order, the
    smallest cell it is the top-left corner of: the first crossing below it and the
    first right of it (nearest first) it shares an edge with, whose bottom-right
    corner is a crossing sharing an edge with both. Each crossing's edge sets are
    made once, and the crossings below and right of it are looked up, not searched."""
    from pdfplumber.utils import obj_to_bbox

    vertical = {p: {obj_to_bbox(e) for e in d["v"]} for p, d in crossings.items()}
    horizontal = {p: {obj_to_bbox(e) for e in d["h"]} for p, d in crossings.items()}

    def connects(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return (a[0] == b[0] and not vertical[a].isdisjoint(vertical[b])) or (
            a[1] == b[1] and not horizontal[a].isdisjoint(horizontal[b]))  # fmt: skip

    points = sorted(crossings)
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    for point in points:  # in sorted order: a column by y, a row by x
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells: list[BBox] = []
    for point in points:
        column, row = columns[point[0]], rows[point[1]]
        below = column[bisect.bisect_right(column, point):]
        right = [p for p in row[bisect.bisect_right(row, point):] if connects(point, p)]
        cell = next(((point[0], point[1], r[0], b[1]) for b in below if connects(point, b) for r in right
                     if (r[0], b[1]) in crossings and connects((r[0], b[1]), r) and connects((r[0], b[1]), b)),
                    None)  # fmt: skip
        if cell is not None:
            cells.append(cell)
    return cells


def _object(e: Edge) -> dict:
    """An edge as pdfplumber's functions take it: the dict of `page.edges`."""
    return {"x0": e.x0, "top": e.top, "x1": e.x1, "bottom": e.bottom,
            "height" if e.orientation == "v" else "width": e.length, "orientation": e.orientation or None}  # fmt: skip


def _crossings_at_most(edges: list[dict], tolerance: float) -> int:
    """The pairs of a vertical and a horizontal edge whose spans meet in y:
    no fewer than the crossings, found in O(n log n)."""
    tops = sorted(e["top"] for e in edges if e["orientation"] == "h")
    return sum(bisect.bisect_right(tops, e["bottom"] + tolerance) - bisect.bisect_left(tops, e["top"] - tolerance)
               for e in edges if e["orientation"] == "v")  # fmt: skip
