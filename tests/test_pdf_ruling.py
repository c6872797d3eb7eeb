"""The table search over a page's edges (extract/pdf_ruling.py): its own
cell finder gives pdfplumber's cells, in pdfplumber's order, on any ruling,
and a page that repeats another's edges gets the same tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber import table

from thaiplan.extract.pdf_ruling import Edge, _cells, _object, find_tables
from thaiplan.extract.pdf_tables import ruled_grid

# Rules on a small lattice, so that they cross, touch, overlap and stop short of one another.
_POSITIONS = st.integers(0, 8).map(lambda v: v * 10.0)


@st.composite
def _rules(draw: st.DrawFn) -> list[Edge]:
    edges = []
    for _ in range(draw(st.integers(0, 14))):
        fixed, start, end = draw(_POSITIONS), draw(_POSITIONS), draw(_POSITIONS)
        low, high = min(start, end), max(start, end) + 10.0
        if draw(st.booleans()):
            edges.append(Edge(low, fixed, high, fixed, high - low, "h"))
        else:
            edges.append(Edge(fixed, low, fixed, high, high - low, "v"))
    return edges


@settings(max_examples=300, deadline=None)
@given(_rules(), st.sampled_from([0.0, 1.0, 3.0]))
def test_cells_are_pdfplumbers(edges: list[Edge], tolerance: float) -> None:
    crossings = table.edges_to_intersections([_object(e) for e in edges], tolerance, tolerance)
    assert _cells(crossings) == table.intersections_to_cells(crossings)


def test_a_grid_gives_its_cells_and_a_repeated_page_the_same_tables() -> None:
    # a 3 x 2 grid: rows at 0, 20, 40; columns at 0, 50, 100, 150
    rules = [Edge(0.0, y, 150.0, y, 150.0, "h") for y in (0.0, 20.0, 40.0)]
    rules += [Edge(x, 0.0, x, 40.0, 40.0, "v") for x in (0.0, 50.0, 100.0, 150.0)]
    tables = find_tables(rules)
    assert len(tables) == 1
    cells, box = tables[0]
    assert box == (0.0, 0.0, 150.0, 40.0)
    assert sorted(cells) == [(x, y, x + 50.0, y + 20.0) for x in (0.0, 50.0, 100.0) for y in (0.0, 20.0)]
    assert find_tables(list(rules)) == tables


def test_year_columns_ruled_below_a_merged_header_are_split() -> None:
    # the factory's 5-year PDF: a frame without row rules; the rules between the years hang from
    # below the merged งบประมาณและที่มา (y 20) to the bottom: the finder sees one cell over them
    rules = [Edge(0.0, y, 200.0, y, 200.0, "h") for y in (0.0, 300.0)]
    rules += [Edge(x, 0.0, x, 300.0, 300.0, "v") for x in (0.0, 50.0, 200.0)]
    years = [Edge(x, 20.0, x, 299.7, 279.7, "v") for x in (80.0, 110.0, 140.0, 170.0)]
    [(cells, box)] = find_tables(rules + years)
    assert len(cells) == 2  # ที่ and the whole งบประมาณ column
    grid = ruled_grid(cells, box, rules + years)
    assert grid.xs == [0.0, 50.0, 80.0, 110.0, 140.0, 170.0, 200.0] and grid.ys == [0.0, 20.0, 300.0]
    spans = sorted((c.row, c.col, c.row_span, c.col_span) for c in grid.cells)
    assert spans == [(0, 0, 2, 1), (0, 1, 1, 5), *((1, col, 1, 1) for col in range(1, 6))]
    assert grid.locate(95.0, 150.0).col == 2 and grid.locate(95.0, 10.0).col_span == 5


def test_a_rule_ending_above_a_cells_bottom_splits_nothing() -> None:
    # a short rule inside a cell (an underline's stroke, a box drawn in it) is no column rule
    rules = [Edge(0.0, y, 200.0, y, 200.0, "h") for y in (0.0, 100.0)]
    rules += [Edge(x, 0.0, x, 100.0, 100.0, "v") for x in (0.0, 100.0, 200.0)]
    [(cells, box)] = find_tables(rules)
    short = [Edge(150.0, 20.0, 150.0, 60.0, 40.0, "v")]
    assert [c.bbox for c in ruled_grid(cells, box, rules + short).cells] == [(0, 0, 100, 100), (100, 0, 200, 100)]
