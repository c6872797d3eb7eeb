"""Ruled tables from a page's edges: the lattice method of pdfplumber's table
finder (its default "lines" strategy), written over plain tuples.

Both PDF engines feed this the same edges (ruling lines, rectangle sides and
straight pieces of curves, as pdfplumber's `page.edges` gives them), so the
grids come out the same whichever engine read the page. The steps and their
tolerances are pdfplumber's: snap edges on one line together, join pieces
of a line, find where vertical and horizontal edges cross, take the smallest
cell at each crossing, and group cells that share a corner into tables. The
arithmetic is done in the same order as pdfplumber's, because a cell corner
is matched exactly: an average summed differently can split one corner into two.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from thaiplan.extract.model import BBox

SNAP = 3.0  # pdfplumber's snap_tolerance: edges on one line closer than this become one
JOIN = 3.0  # join_tolerance: pieces of one line with gaps up to this become one edge
MIN_EDGE = 1.0  # edge_min_length_prefilter
MIN_MERGED = 3.0  # edge_min_length, after joining
CROSS = 3.0  # intersection_tolerance
# Crossings of ruling lines a page may have (real plan pages: under 2,000); past it the
# lattice search (quadratic in a line's crossings) is not started.
MAX_CROSSINGS = 50_000


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

    @property
    def box(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


def find_tables(edges: Iterable[Edge]) -> list[tuple[list[BBox], BBox]]:
    """Ruled tables as (cell boxes, table box), top to bottom."""
    kept = [e for e in edges if e.orientation and e.length >= MIN_EDGE]
    verticals = [e for e in kept if e.orientation == "v"]
    horizontals = [e for e in kept if e.orientation == "h"]
    merged = [e for e in merge_edges(verticals, horizontals) if e.length >= MIN_MERGED]
    crossings = _crossings(merged)
    if len(crossings) > MAX_CROSSINGS:
        raise TooManyPaths(f"than {MAX_CROSSINGS} crossings of ruling lines")
    cells = _cells(crossings)
    tables = []
    for group in _groups(cells):
        box = (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group), max(c[3] for c in group))
        tables.append((group, box))
    return tables


def merge_edges(verticals: Sequence[Edge], horizontals: Sequence[Edge]) -> list[Edge]:
    """Snap edges lying on (nearly) one line onto their average, then join the
    pieces of each line. Horizontal lines come first, as in pdfplumber."""
    snapped = _snap(verticals, vertical=True) + _snap(horizontals, vertical=False)
    lines: dict[tuple[str, float], list[Edge]] = {}
    for edge in snapped:
        lines.setdefault((edge.orientation, edge.x0 if edge.orientation == "v" else edge.top), []).append(edge)
    out: list[Edge] = []
    for key in sorted(lines):
        out += _join(lines[key], vertical=key[0] == "v")
    return out


def _snap(edges: Sequence[Edge], vertical: bool) -> list[Edge]:
    def position(e: Edge) -> float:
        return e.x0 if vertical else e.top

    cluster_of: dict[float, int] = {}
    last: float | None = None
    for value in sorted({position(e) for e in edges}):  # chained: each within SNAP of the one before
        if last is not None and value > last + SNAP:
            cluster_of[value] = cluster_of[last] + 1
        else:
            cluster_of[value] = cluster_of[last] if last is not None else 0
        last = value
    clusters: dict[int, list[Edge]] = {}
    for edge in edges:
        clusters.setdefault(cluster_of[position(edge)], []).append(edge)
    out: list[Edge] = []
    for index in sorted(clusters):
        members = clusters[index]
        average = sum(position(e) for e in members) / len(members)
        for e in members:
            shift = average - position(e)
            if vertical:
                out.append(e._replace(x0=e.x0 + shift, x1=e.x1 + shift))
            else:
                out.append(e._replace(top=e.top + shift, bottom=e.bottom + shift))
    return out


def _join(edges: list[Edge], vertical: bool) -> list[Edge]:
    ordered = sorted(edges, key=(lambda e: e.top) if vertical else (lambda e: e.x0))
    joined = [ordered[0]]
    for edge in ordered[1:]:
        last = joined[-1]
        if vertical:
            if edge.top <= last.bottom + JOIN:
                if edge.bottom > last.bottom:  # pdfminer's height grows by the extension
                    joined[-1] = last._replace(bottom=edge.bottom, length=last.length + (edge.bottom - last.bottom))
            else:
                joined.append(edge)
        elif edge.x0 <= last.x1 + JOIN:
            if edge.x1 > last.x1:
                joined[-1] = last._replace(x1=edge.x1, length=edge.x1 - last.x0)
        else:
            joined.append(edge)
    return joined


_Point = tuple[float, float]


def _crossings(edges: Sequence[Edge]) -> dict[_Point, tuple[set[BBox], set[BBox]]]:
    """Every point where a vertical and a horizontal edge meet (within CROSS):
    the boxes of the vertical and of the horizontal edges through it."""
    horizontals = sorted((e for e in edges if e.orientation == "h"), key=lambda e: e.top)
    tops = [e.top for e in horizontals]
    found: dict[_Point, tuple[set[BBox], set[BBox]]] = {}
    for v in (e for e in edges if e.orientation == "v"):
        # the bisect range is a superset (a hair wider); the test is pdfplumber's own
        start = bisect.bisect_left(tops, v.top - CROSS - 1e-6)
        stop = bisect.bisect_right(tops, v.bottom + CROSS + 1e-6)
        for h in horizontals[start:stop]:
            if v.top <= h.top + CROSS and v.bottom >= h.top - CROSS and h.x0 - CROSS <= v.x0 <= h.x1 + CROSS:
                spot = found.setdefault((v.x0, h.top), (set(), set()))
                spot[0].add(v.box)
                spot[1].add(h.box)
    return found


def _cells(crossings: dict[_Point, tuple[set[BBox], set[BBox]]]) -> list[BBox]:
    """The smallest cell each crossing is the top-left corner of: the nearest
    crossing below joined to it by a vertical edge, then the nearest to the
    right joined by a horizontal one, whose fourth corner closes the box."""
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in sorted(crossings):
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)

    def down(a: _Point, b: _Point) -> bool:
        return not crossings[a][0].isdisjoint(crossings[b][0])

    def across(a: _Point, b: _Point) -> bool:
        return not crossings[a][1].isdisjoint(crossings[b][1])

    def smallest(x: float, y: float) -> BBox | None:
        ys, xs = by_x[x], by_y[y]
        rights: list[float] | None = None  # the crossings to the right joined to this one, found once
        for b in ys[bisect.bisect_right(ys, y):]:
            if not down((x, y), (x, b)):
                continue
            if rights is None:
                rights = [r for r in xs[bisect.bisect_right(xs, x):] if across((x, y), (r, y))]
            for r in rights:
                corner = (r, b)
                if corner in crossings and down(corner, (r, y)) and across(corner, (x, b)):
                    return (x, y, r, b)
        return None

    return [cell for cell in (smallest(x, y) for x, y in sorted(crossings)) if cell is not None]


def _groups(cells: Sequence[BBox]) -> list[list[BBox]]:
    """Cells that share corners, transitively, in pdfplumber's order: a table
    grows by sweeps over the cells left until a sweep adds none; tables of one
    cell are dropped; tables sorted by their top-left cell."""
    remaining = list(cells)
    tables: list[list[BBox]] = []
    while remaining:
        group: list[BBox] = []
        corners: set[_Point] = set()
        grew = True
        while grew:
            grew = False
            left = []
            for cell in remaining:
                spots = ((cell[0], cell[1]), (cell[0], cell[3]), (cell[2], cell[1]), (cell[2], cell[3]))
                if not group or any(s in corners for s in spots):
                    group.append(cell)
                    corners.update(spots)
                    grew = True
                else:
                    left.append(cell)
            remaining = left
        tables.append(group)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
