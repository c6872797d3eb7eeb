"""Which mark an unmapped glyph draws, told by the embedded font's own outlines.

Acrobat 9 writes Thai fonts (DilleniaUPC, budget2565_doc3_vol14.pdf) as
Identity-H CID fonts whose ToUnicode map names one glyph per character: the
tone mark drawn low (over a plain consonant) maps to ่ ้ ์, the same mark
drawn high (over an upper vowel) is another glyph and maps to nothing. The
font program has no cmap and no glyph names, but its outlines still say what
each glyph is: the high ่ is the low one, a little smaller and higher.

So the unmapped glyph is found in the program (fontTools): glyph id = CID,
checked against the box pdfium drew it in; where pdfium gives no code (a
ToUnicode entry of U+FFFD), the one glyph whose outline fills that box. A
program that names the glyph (cmap, `uni0E49.small`, GSUB: pdf_fonts.glyph_texts)
says what it is. Else its outline is compared with the outlines pdfium gives
for the font's mapped marks (`FPDFFont_GetGlyphPath` goes through the ToUnicode
map), each stretched into the same small raster, of about the same aspect: the
mark whose shape covers the same pixels, clearly better than any other mark,
is the glyph's character.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
from dataclasses import dataclass

import numpy as np
import pypdfium2.raw as pdfium_c
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw

from thaiplan.extract.pdf_chars import Glyph
from thaiplan.extract.pdf_fonts import font_bytes, glyph_texts

ABOVE = "ัิีึื็่้๊๋์ํ"  # marks drawn above the base (candidates for an unmapped one there)
BELOW = "ฺุู"
MARK_CHOICES = ABOVE + BELOW
RASTER = 32  # pixels a side of the square a shape is stretched into
SAME_SHAPE = 0.75  # overlap (intersection over union) of two rasters of one mark's glyphs
MARGIN = 0.15  # the best mark's overlap beats every other mark's by this much
BOX_EM = 0.04  # the outline's box, placed at the glyph's origin, lies this close to pdfium's box (ems)
FIT_EM = 0.02  # ... for a glyph found by its box alone (the right one fits to ~0.013 em on the real fonts)
FIT_MARGIN_EM = 0.01  # ... and the next best fits worse by this much
MAX_SEARCHED = 4000  # glyphs of a font searched for the one that fills a box (Thai fonts have a few hundred)
CURVE_STEPS = 6  # points a curve segment is flattened into
ASPECT = 1.4  # two glyphs of one mark: their widths over heights differ by at most this factor
Contours = list[list[tuple[float, float]]]


@dataclass(frozen=True)
class Shape:
    pixels: np.ndarray
    aspect: float


class MarkShapes:
    """The marks of a document's unmapped glyphs, told by their fonts, cached per font
    program and glyph ("" where the font does not tell)."""

    def __init__(self) -> None:
        self._programs: dict[bytes, _Program | None] = {}
        self._references: dict[bytes, dict[str, Shape]] = {}
        self._marks: dict[tuple[bytes, str], str] = {}

    @staticmethod
    def key(font: object) -> bytes:
        """The font program's digest (b"" for a font without one): pdfium may reuse a freed
        handle's address on another page, the program's bytes stay."""
        data = font_bytes(font)
        return hashlib.blake2b(data, digest_size=16).digest() if data else b""

    def mark(self, key: bytes, font: object, glyph: Glyph) -> str:
        """The mark `glyph` (drawn in `font`, whose program is `key`) draws, or ""."""
        if not key:
            return ""
        if key not in self._programs:
            self._programs[key] = _Program.parse(font_bytes(font))
        program = self._programs[key]
        name = program.glyph_of(glyph) if program is not None else None
        if program is None or name is None:
            return ""
        if (key, name) not in self._marks:
            named = program.text_of(name)
            if named in MARK_CHOICES and named:
                self._marks[key, name] = named
            else:
                if key not in self._references:
                    self._references[key] = mapped_marks(font)
                self._marks[key, name] = best_match(_raster(program.contours(name)), self._references[key])
        return self._marks[key, name]


def best_match(shape: Shape | None, references: dict[str, Shape]) -> str:
    """The mark whose reference raster `shape` overlaps most, when it is the same shape
    (SAME_SHAPE) and no other mark comes within MARGIN; else ""."""
    if shape is None or not references:
        return ""
    ranked = sorted(((_overlap(shape, ref), mark) for mark, ref in references.items()), reverse=True)
    best, mark = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    return mark if best >= SAME_SHAPE and best - second >= MARGIN else ""


def _overlap(a: Shape, b: Shape) -> float:
    """Intersection over union of the stretched rasters; 0 for shapes of another aspect."""
    if max(a.aspect, b.aspect) > ASPECT * min(a.aspect, b.aspect):
        return 0.0
    union = np.logical_or(a.pixels, b.pixels).sum()
    return float(np.logical_and(a.pixels, b.pixels).sum() / union) if union else 0.0


def mapped_marks(font: object) -> dict[str, Shape]:
    """Rasters of the marks the font's ToUnicode map reaches. pdfium draws .notdef for a
    character the map does not have: shapes equal to it (or to one another) are dropped."""
    missing = _raster(_pdfium_contours(font, 0xFFFF))
    shapes: dict[str, Shape] = {}
    for mark in MARK_CHOICES:
        shape = _raster(_pdfium_contours(font, ord(mark)))
        if shape is not None and (missing is None or _overlap(shape, missing) < SAME_SHAPE):
            shapes[mark] = shape
    twins = {a for a in shapes for b in shapes if a != b and np.array_equal(shapes[a].pixels, shapes[b].pixels)}
    return {mark: shape for mark, shape in shapes.items() if mark not in twins}


def _pdfium_contours(font: object, char: int) -> Contours:
    path = pdfium_c.FPDFFont_GetGlyphPath(font, char, 1000.0)
    if not path:
        return []
    contours: Contours = []
    x, y = ctypes.c_float(), ctypes.c_float()
    pending: list[tuple[float, float]] = []  # a cubic's control points, until its end point
    for index in range(pdfium_c.FPDFGlyphPath_CountGlyphSegments(path)):
        segment = pdfium_c.FPDFGlyphPath_GetGlyphPathSegment(path, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point, kind = (x.value, y.value), pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not contours:
            contours.append([point])
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            pending.append(point)
            if len(pending) == 3:
                contours[-1].extend(_cubic(contours[-1][-1], *pending))
                pending = []
        else:
            contours[-1].append(point)
    return contours


def _cubic(p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float],
           p3: tuple[float, float]) -> list[tuple[float, float]]:  # fmt: skip
    out = []
    for step in range(1, CURVE_STEPS + 1):
        t = step / CURVE_STEPS
        u = 1 - t
        out.append(tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
                         for a, b, c, d in zip(p0, p1, p2, p3)))  # fmt: skip
    return out  # type: ignore[return-value]


def _raster(contours: Contours) -> Shape | None:
    """The shape filled (even-odd: a contour inside another is a hole), stretched to
    RASTER pixels a side, and its aspect (width over height); None for an empty shape.
    Stretched, so that two bars of a little different thickness cover the same pixels;
    the aspect tells a bar from a dot."""
    points = [p for contour in contours for p in contour]
    if len(points) < 3:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, bottom, width, height = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
    if width <= 0 or height <= 0:
        return None
    sx, sy = (RASTER - 1) / width, (RASTER - 1) / height
    image = Image.new("1", (RASTER, RASTER), 0)
    for contour in contours:
        if len(contour) < 3:
            continue
        layer = Image.new("1", (RASTER, RASTER), 0)
        flat = [((px - left) * sx, RASTER - 1 - (py - bottom) * sy) for px, py in contour]
        ImageDraw.Draw(layer).polygon(flat, fill=1)
        image = ImageChops.logical_xor(image, layer)
    return Shape(np.asarray(image, dtype=bool), width / height)


class _Program:
    """An embedded TrueType/CFF program read by fontTools: glyph outlines by name."""

    def __init__(self, font: object, data: bytes) -> None:
        self._font = font
        self._data = data
        self._texts: dict[str, str] | None = None
        self._glyphs = font.getGlyphSet()  # type: ignore[attr-defined]
        self._order = font.getGlyphOrder()  # type: ignore[attr-defined]
        self._em = float(font["head"].unitsPerEm) if "head" in font else 1000.0  # type: ignore[operator,index]
        self._box_cache: dict[str, tuple[float, float, float, float] | None] = {}

    @staticmethod
    def parse(data: bytes) -> _Program | None:
        try:
            return _Program(TTFont(io.BytesIO(data), lazy=True), data)
        except Exception:  # a damaged or unusual program: the font tells nothing
            return None

    def glyph_of(self, glyph: Glyph) -> str | None:
        """The program's glyph that `glyph` is: the one its code names (glyph id = CID, or a
        CID-keyed CFF's `cidNNNNN`) when its outline, drawn at the glyph's origin, fills the
        box pdfium gives the glyph (no other CID-to-glyph map, no rotation); for a glyph whose
        code pdfium does not give (a ToUnicode entry of U+FFFD), the only glyph whose outline
        fills that box."""
        if glyph.pen is None or glyph.size <= 0:
            return None
        if glyph.code not in (0, 0xFFFD):
            named = f"cid{glyph.code:05d}" if f"cid{glyph.code:05d}" in self._glyphs else None
            named = named or (self._order[glyph.code] if glyph.code < len(self._order) else None)
            return named if named is not None and self._misfit(named, glyph) <= BOX_EM else None
        if len(self._order) > MAX_SEARCHED:
            return None  # a large (CJK) font: drawing every glyph costs too much
        fits = sorted((self._misfit(name, glyph), name) for name in self._order)
        if not fits or fits[0][0] > FIT_EM or (len(fits) > 1 and fits[1][0] - fits[0][0] < FIT_MARGIN_EM):
            return None
        return fits[0][1]

    def _misfit(self, name: str, glyph: Glyph) -> float:
        """How far (in ems) the outline's box, drawn at the glyph's origin, lies from pdfium's box."""
        bounds = self._bounds(name)
        if bounds is None:
            return float("inf")
        k = glyph.size / self._em
        left, bottom, right, top = bounds
        box = (glyph.pen + left * k, glyph.baseline - top * k, glyph.pen + right * k, glyph.baseline - bottom * k)  # type: ignore[operator]
        drawn = (glyph.x0, glyph.top, glyph.x1, glyph.bottom)
        return max(abs(a - b) for a, b in zip(box, drawn)) / glyph.size

    def _bounds(self, name: str) -> tuple[float, float, float, float] | None:
        if name not in self._box_cache:
            points = [p for contour in self.contours(name) for p in contour]
            self._box_cache[name] = (
                (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
                if points else None
            )  # fmt: skip
        return self._box_cache[name]

    def text_of(self, name: str) -> str:
        """What the program itself says the glyph draws (cmap, glyph name, GSUB), or ""."""
        if self._texts is None:
            self._texts = {self._order[gid]: text for gid, text in glyph_texts(self._data).items()}
        return self._texts.get(name, "")

    def contours(self, name: str) -> Contours:
        pen = _FlatPen(self._glyphs)
        try:
            self._glyphs[name].draw(pen)
        except Exception:  # a broken glyph program
            return []
        return pen.contours


class _FlatPen(BasePen):  # type: ignore[misc]
    """A fontTools pen that keeps each contour as points, curves flattened."""

    def __init__(self, glyphs: object) -> None:
        super().__init__(glyphs)
        self.contours: Contours = []

    def _moveTo(self, p: tuple[float, float]) -> None:
        self.contours.append([p])

    def _lineTo(self, p: tuple[float, float]) -> None:
        self.contours[-1].append(p)

    def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> None:
        self.contours[-1].extend(_cubic(self._getCurrentPoint(), p1, p2, p3))
