"""Ruled tables from a page's edges, by pdfplumber's own table finder steps
(`pdfplumber.table`, its default "lines" strategy) fed with plain edges.

Both PDF engines give the same edges (ruling lines, rectangle sides and
straight pieces of curves, as pdfplumber's `page.edges` gives them), and
`find_tables` strings pdfplumber's functions together as its `TableFinder`
does with default `TableSettings`: edges filtered by `edge_min_length_prefilter`,
snapped and joined (`merge_edges`), filtered by `edge_min_length`, then
`edges_to_intersections`, `intersections_to_cells` and `cells_to_tables`.
So the grids are pdfplumber's whichever engine read the page.

What is ours is a bound: those steps are quadratic (every vertical edge is
tried against every horizontal one, every crossing against the crossings
after it), so a page with more than MAX_PAIRS vertical-horizontal pairs of
merged edges, or whose edges could cross more than MAX_CROSSINGS times, is
refused before they start (TooManyPaths): its text is kept without its rules.

Importing `pdfplumber.table` imports pdfplumber and pdfminer's modules
(about 0.1 s, once, on the first page with edges); no pdfminer parse runs.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
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


def find_tables(edges: Iterable[Edge]) -> list[tuple[list[BBox], BBox]]:
    """Ruled tables as (cell boxes, table box), top to bottom."""
    from pdfplumber import table, utils  # pdfminer's modules load with it: slow, so not for every import

    settings = table.TableSettings()
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
    groups = table.cells_to_tables(table.intersections_to_cells(crossings))
    return [(cells, utils.merge_bboxes(cells)) for cells in groups]


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
