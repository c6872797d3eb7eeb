"""The edges of a PDF page (ruling lines, rectangle sides), read from pdfium's
path objects: the page's table geometry without a pdfminer parse.

Each path is cut into subpaths and each subpath sorted into a line, a
rectangle or a curve the way pdfminer sorts them (pdfplumber's `page.edges`
comes from there), so both engines see the same edges: a line is "m l" or
"m l h", a rectangle four axis-parallel sides closed on its start, anything
else a curve, whose straight pieces count. Bézier control points are dropped
(pdfminer keeps only the end points). Paths in form XObjects are placed on
the page by the forms' matrices. Fill, stroke and line width are not looked
at: pdfplumber's "lines" strategy rules a table with an unstroked white
rectangle too, and so must we to give the same tables.

pypdfium2's `PdfObject` helpers cost about 35 µs an object (a Python object
with a finalizer each; a Word plan page draws ~200 rectangles), so the walk
uses the raw FPDFPageObj_* / FPDFPath_* calls (bound without ctypes' argument
conversion: extract.pdf_raw).
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

from thaiplan.extract import pdf_raw as raw
from thaiplan.extract.pdf_ruling import Edge, TooManyPaths

MAX_FORM_DEPTH = 15  # form XObjects nested deeper than this are not entered (pypdfium2's default)
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _Budget:
    def __init__(self, max_objects: int, max_segments: int) -> None:
        self.objects = max_objects
        self.segments = max_segments


def page_edges(page: object, height: float, max_objects: int, max_segments: int) -> list[Edge]:
    """Every edge of a loaded pdfium page (pypdfium2 PdfPage), in pdfplumber's
    order: line edges, then rectangle sides, then curve pieces.

    Raises TooManyPaths past `max_objects` path objects or `max_segments`
    segments, having read no more than that.
    """
    lines: list[Edge] = []
    rects: list[Edge] = []
    curves: list[Edge] = []
    out = (lines, rects, curves)
    handle = page.raw  # type: ignore[attr-defined]
    budget = _Budget(max_objects, max_segments)
    _walk(handle, pdfium_c.FPDFPage_CountObjects, raw.page_object, _IDENTITY, 0, height, budget, out)
    return lines + rects + curves


def _walk(handle, count, get, outer: _Matrix, depth: int, height: float, budget: _Budget, out) -> None:  # type: ignore[no-untyped-def]
    kind_of = raw.object_type
    for index in range(count(handle)):
        obj = get(handle, index)
        kind = kind_of(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            budget.objects -= 1
            if budget.objects < 0:
                raise TooManyPaths("path objects than pdf.max_path_objects")
            _read_path(obj, _matrix(obj, outer), height, budget, out)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth + 1 < MAX_FORM_DEPTH:
            _walk(obj, pdfium_c.FPDFFormObj_CountObjects, raw.form_object, _matrix(obj, outer),
                  depth + 1, height, budget, out)  # fmt: skip


_m = pdfium_c.FS_MATRIX()  # filled by each call below (the walk is single-threaded per process)
_m_out = ctypes.byref(_m)


def _matrix(obj: object, outer: _Matrix) -> _Matrix:
    """The object's matrix followed by its container's: object space to page space."""
    m = _m
    if not raw.object_matrix(obj, _m_out):
        return outer
    a, b, c, d, e, f = outer
    return (m.a * a + m.b * c, m.a * b + m.b * d, m.c * a + m.d * c, m.c * b + m.d * d,
            m.e * a + m.f * c + e, m.e * b + m.f * d + f)  # fmt: skip


_x, _y = ctypes.c_float(), ctypes.c_float()
_point_out = (ctypes.byref(_x), ctypes.byref(_y))


def _read_path(obj: object, matrix: _Matrix, height: float, budget: _Budget, out) -> None:  # type: ignore[no-untyped-def]
    count = raw.segment_count(obj)
    budget.segments -= max(count, 0)
    if budget.segments < 0:
        raise TooManyPaths("path segments than pdf.max_path_segments")
    segment_at, point, type_of = raw.path_segment, raw.segment_point, raw.segment_type
    a, b, c, d, e, f = matrix
    plain = matrix == _IDENTITY  # most paths: their points are page points
    x, y = _x, _y
    bezier_to, move_to = pdfium_c.FPDF_SEGMENT_BEZIERTO, pdfium_c.FPDF_SEGMENT_MOVETO
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    last = None
    bezier = 0
    for index in range(count):
        segment = segment_at(obj, index)
        kind = type_of(segment)
        if kind == bezier_to:
            bezier += 1
            if bezier % 3:
                continue  # a control point
            op = "c"
        elif kind == move_to:
            if ops:
                _subpath(ops, pts, last, height, out)
            ops, pts, bezier = [], [], 0
            op = "m"
        else:
            op = "l"
        point(segment, *_point_out)
        ops.append(op)
        px, py = x.value, y.value
        pts.append((px, py) if plain else (a * px + c * py + e, b * px + d * py + f))
        last = segment
    if ops:
        _subpath(ops, pts, last, height, out)


def _subpath(ops: list[str], pts: list[tuple[float, float]], last, height: float, out) -> None:  # type: ignore[no-untyped-def]
    """Sort one subpath into a line, a rectangle or a curve, as pdfminer does."""
    if ops[0] != "m" or len(ops) < 2:
        return
    if raw.segment_close(last):
        # pdfium closes a path by a point back on its start (pdfminer: "h");
        # after a curve pdfminer still adds the start once more
        if ops[-1] == "c" or pts[-1] != pts[0]:
            ops.append("h")
            pts.append(pts[0])
        else:
            ops[-1] = "h"
    shape = "".join(ops)
    lines, rects, curves = out
    if shape in ("ml", "mlh"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        left, right, low, high = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        horizontal = high == low  # pdfplumber: a line with top == bottom is horizontal, any other vertical
        lines.append(Edge(left, height - high, right, height - low, right - left if horizontal else high - low,
                          "h" if horizontal else "v"))  # fmt: skip
        return
    if shape in ("mlllh", "mllll") and pts[0] == pts[4]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
            _rect_sides(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2), height, rects)
            return
    flipped = [(px, height - py) for px, py in pts]
    for (px0, py0), (px1, py1) in zip(flipped, flipped[1:], strict=False):
        orientation = "v" if px0 == px1 else ("h" if py0 == py1 else "")
        curves.append(Edge(min(px0, px1), min(py0, py1), max(px0, px1), max(py0, py1),
                           abs(py0 - py1) if orientation == "v" else abs(px0 - px1), orientation))  # fmt: skip


def _rect_sides(x0: float, y0: float, x1: float, y1: float, height: float, rects: list[Edge]) -> None:
    """A rectangle's four sides as pdfplumber makes them: top, bottom, left, right."""
    top, bottom, w, h = height - y1, height - y0, x1 - x0, y1 - y0
    rects.append(Edge(x0, top, x1, top, w, "h"))
    rects.append(Edge(x0, top + h, x1, bottom, w, "h"))  # pdfplumber: top + height, not bottom
    rects.append(Edge(x0, top, x0, bottom, h, "v"))
    rects.append(Edge(x1, top, x1, bottom, h, "v"))
