"""The character layer of a PDF page, read with pdfium, put into lines.

pdfium maps glyphs to Unicode better than pdfminer on Thai (THAI_NOTES: no
`ำา`, no doubled marks), and gives each glyph's tight box and baseline origin.
From those this module builds lines in reading order, putting every Thai mark
after the base glyph it is drawn over: Word exports often emit a mark after the
*next* consonant (`ไดด้ี` for ได้ดี). That is reading the page right, not repairing
the text; the text repair chain comes later (normalize.thai_text).
"""

from __future__ import annotations

import bisect
import ctypes
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from thaiplan.extract import pdf_raw as raw
from thaiplan.extract.model import BreakHint
from thaiplan.thai import ABOVE_BELOW_VOWELS, NIKHAHIT, THANTHAKHAT, TONES, YAMAKKAN
from thaiplan.thai import MARKS as THAI_MARKS

# Combining Thai marks: above/below vowels, tone marks, thanthakhat, nikhahit, yamakkan.
MARKS = frozenset(THAI_MARKS)
# Stacking order after a base glyph: vowel, nikhahit (so ํ+tone+า becomes tone+ำ later), tone, the rest.
_MARK_RANK = {**{m: 0 for m in ABOVE_BELOW_VOWELS}, NIKHAHIT: 1,
              **{m: 2 for m in TONES}, THANTHAKHAT: 3, YAMAKKAN: 3}  # fmt: skip
UNMAPPED = "\ufffd"  # a glyph the font gives no Unicode for
_X0, _X1, _TOP, _BASELINE = map(operator.attrgetter, ("x0", "x1", "top", "baseline"))

SAME_LINE_EM = 0.4  # baselines closer than this (in font sizes) are one line
WORD_GAP_EM = 0.25  # a gap this wide between glyphs with no space glyph reads as a space
MOVE_OVERLAP_RATIO = 0.5  # move a mark only if it overlaps its stream base < half its best base
NIKHAHIT_RISE_EM = 0.3  # a "space" glyph drawn this far above the baseline is a nikhahit
SPACE_EM = 0.25  # a space's width when the page has no space glyph to measure
# A gap between two glyphs reads as a space only when the pen moved this share of
# the font's space advance past where the font's own advance left it: a producer
# that places every glyph (Acrobat's kerned TJ arrays) leaves gaps between the
# glyphs' ink, never between the advances.
PEN_GAP_SPACES = 0.5


@dataclass(slots=True)
class Glyph:
    """One drawn character; coordinates from the page top, in points."""

    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float  # the em in points: the font size times the text matrix's scale
    pen: float | None = None  # where the pen stood when the glyph was drawn (its origin's x)
    pen_end: float | None = None  # where the font's advance moved the pen to (the loose box's right end)
    index: int = -1  # the character's index on pdfium's text page
    code: int = 0  # pdfium's code point for it, even where it says the font maps it to none (ch is then U+FFFD)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class TextLine:
    text: str
    x0: float
    x1: float  # right end of the last visible glyph
    top: float
    bottom: float
    trailing_space: bool  # a space glyph ended the line
    lead: float  # width of the line's first word (up to its first space)


def page_glyphs(textpage: object, page_height: float) -> list[Glyph]:
    """Every non-generated glyph of a pdfium text page, in content-stream order.

    Glyphs whose font has no Unicode mapping come back as U+FFFD; a space glyph
    drawn above the baseline (Word's nikhahit whose ToUnicode says space) as ํ.
    """
    handle = textpage.raw  # type: ignore[attr-defined]
    count = pdfium_c.FPDFText_CountChars(handle)
    text = _page_text(handle, count)
    char_box, origin, loose_box, char_matrix = raw.char_box, raw.char_origin, raw.loose_char_box, raw.char_matrix
    font_size, map_error, generated, text_object = raw.font_size, raw.unicode_map_error, raw.is_generated, raw.text_object
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    box_out = tuple(map(ctypes.byref, (left, right, bottom, top)))  # the outputs, made once (pdf_raw)
    origin_out, loose_out, matrix_out = (ctypes.byref(ox), ctypes.byref(oy)), ctypes.byref(loose), ctypes.byref(matrix)
    sizes: dict[int | None, float] = {}  # per text object: its glyphs share its font size and matrix
    glyphs: list[Glyph] = []
    append = glyphs.append
    for index in range(count):
        code = ord(text[index]) if text is not None else 0xFFFE
        if code == 0xFFFE:  # the page text's stand-in for some codes (0x02): ask for the glyph's own
            code = pdfium_c.FPDFText_GetUnicode(handle, index)
        if code in (0x0D, 0x0A):
            continue  # pdfium's line breaks: we find those from geometry
        if code == 0x20 and generated(handle, index):
            continue  # pdfium's own spaces (the only other characters it generates)
        char_box(handle, index, *box_out)
        origin(handle, index, *origin_out)
        loose_box(handle, index, loose_out)
        obj = text_object(handle, index)
        size = sizes.get(obj)
        if size is None:
            char_matrix(handle, index, matrix_out)
            # pdfium's font size is the Tf operand: a producer that sets `1 Tf` and scales
            # the text matrix (Acrobat) draws 16-point glyphs "at size 1"
            size = (font_size(handle, index) or 10.0) * (abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0)
            if obj is not None:
                sizes[obj] = size
        ch = UNMAPPED if map_error(handle, index) else chr(code)
        x = ox.value
        glyph = Glyph(ch, left.value, right.value, page_height - top.value, page_height - bottom.value,
                      page_height - oy.value, size, x, max(loose.right, x), index, code)  # fmt: skip
        if (
            ch == " "
            and glyph.bottom - glyph.top > 0.05 * size
            and glyph.bottom < glyph.baseline - NIKHAHIT_RISE_EM * size
        ):
            glyph.ch = NIKHAHIT
        append(glyph)
    return glyphs


def _page_text(handle: object, count: int) -> str | None:
    """The page's characters in one call (a call per glyph is most of the read), or
    None where the page text is not one UTF-16 unit per character (glyph-code
    pages, where pdfium drops or splits some): then each glyph is asked."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium_c.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="replace")
    return text if len(text) == count else None


def space_width(glyphs: Sequence[Glyph]) -> float:
    """The median width of the page's space glyphs (0.25 em without any)."""
    widths = sorted(g.x1 - g.x0 for g in glyphs if g.ch == " " and g.x1 > g.x0)
    if widths:
        return widths[len(widths) // 2]
    sizes = sorted(g.size for g in glyphs) or [10.0]
    return SPACE_EM * sizes[len(sizes) // 2]


def space_advance_em(glyphs: Sequence[Glyph]) -> float:
    """The page's space advance in ems: the median advance of its space glyphs (0.25 em without any)."""
    ems = sorted((g.pen_end - g.pen) / g.size for g in glyphs
                 if g.ch == " " and g.pen is not None and g.pen_end is not None and g.pen_end > g.pen and g.size > 0)  # fmt: skip
    return ems[len(ems) // 2] if ems else SPACE_EM


def build_lines(glyphs: Iterable[Glyph]) -> list[TextLine]:
    """Group glyphs (in stream order) into lines, top to bottom."""
    groups: list[list[Glyph]] = []
    current: list[Glyph] | None = None  # the line being drawn (the last group)
    baseline = 0.0  # its first glyph's
    for glyph in glyphs:
        if current is not None and (
            glyph.ch in MARKS  # a mark belongs to the line being drawn
            or abs(baseline - glyph.baseline) <= SAME_LINE_EM * glyph.size  # the usual case, tested first
        ):
            current.append(glyph)
            continue
        for group in reversed(groups[-3:-1]):  # same baseline as a recent line: same line
            if abs(group[0].baseline - glyph.baseline) <= SAME_LINE_EM * glyph.size:
                group.append(glyph)
                break
        else:
            current, baseline = [glyph], glyph.baseline
            groups.append(current)
    lines = [_line(group) for group in groups]
    lines = [line for line in lines if line.text]
    lines.sort(key=lambda line: (round(line.bottom), line.x0))
    return lines


def _line(glyphs: list[Glyph]) -> TextLine:
    bases = [g for g in glyphs if g.ch not in MARKS]
    bases.sort(key=_doubled_centre)
    attached: dict[int, list[Glyph]] = {}
    leading: list[Glyph] = []
    if len(bases) < len(glyphs):  # marks to place
        order = {id(g): i for i, g in enumerate(bases)}
        starts = [g.x0 for g in bases]
        stream_base: Glyph | None = None
        for glyph in glyphs:
            if glyph.ch not in MARKS:
                stream_base = glyph
                continue
            target = _base_under(glyph, bases, starts, stream_base)
            if target is None:
                leading.append(glyph)
            else:
                attached.setdefault(order[id(target)], []).append(glyph)
    parts: list[str] = [g.ch for g in leading]
    previous: Glyph | None = None
    space_em: float | None = None  # measured on the first gap that needs it
    for i, base in enumerate(bases):
        if (
            previous is not None
            and base.ch != " "
            and previous.ch != " "
            and base.x0 - previous.x1 > WORD_GAP_EM * base.size
        ):
            if space_em is None:
                space_em = space_advance_em(bases)
            if _apart(previous, base, space_em):
                parts.append(" ")  # words placed apart without a space glyph
        parts.append(base.ch)
        marks = attached.get(i)
        if marks:
            parts.extend(m.ch for m in sorted(marks, key=lambda m: _MARK_RANK.get(m.ch, 3)))
        previous = base
    text = "".join(parts)
    visible = [g for g in bases if g.ch != " "] or bases or glyphs
    return TextLine(
        text=text.strip(" "),
        x0=min(map(_X0, visible)),
        x1=max(map(_X1, visible)),
        top=min(map(_TOP, visible)),
        bottom=max(map(_BASELINE, visible)),
        trailing_space=bool(bases) and bases[-1].ch == " ",
        lead=_lead_width(bases),
    )


def _doubled_centre(glyph: Glyph) -> float:
    return glyph.x0 + glyph.x1  # by centre, unhalved


def _apart(previous: Glyph, base: Glyph, space_em: float) -> bool:
    """Two glyphs drawn a word apart: their ink is apart and the pen moved on past
    the first one's advance by a good share of a space."""
    if base.x0 - previous.x1 <= WORD_GAP_EM * base.size:
        return False
    if base.pen is None or previous.pen_end is None:
        return True
    return base.pen - previous.pen_end > PEN_GAP_SPACES * space_em * base.size


def _lead_width(bases: list[Glyph]) -> float:
    visible = [g for g in bases if g.ch != " "]
    if not visible:
        return 0.0
    end = visible[-1].x1
    for glyph in bases:
        if glyph.ch == " " and glyph.x0 > visible[0].x0:
            end = glyph.x0
            break
    return end - visible[0].x0


def _base_under(mark: Glyph, bases: list[Glyph], starts: list[float], stream_base: Glyph | None) -> Glyph | None:
    """The base glyph a mark is drawn over; the one before it in the stream unless
    another clearly holds it (overlaps it at least twice as much)."""
    best, best_overlap = stream_base, _overlap(mark, stream_base)
    stream_overlap = best_overlap
    hi = bisect.bisect_right(starts, mark.x1)
    for i in range(max(0, hi - 4), hi):
        base = bases[i]
        overlap = _overlap(mark, base)
        if overlap > best_overlap:
            best, best_overlap = base, overlap
    if best is not stream_base and stream_overlap >= MOVE_OVERLAP_RATIO * best_overlap:
        return stream_base
    return best


def _overlap(mark: Glyph, base: Glyph | None) -> float:
    if base is None or base.ch == " ":
        return 0.0
    return max(0.0, min(mark.x1, base.x1) - max(mark.x0, base.x0))


def cell_text(
    lines: Sequence[TextLine], right: float, pad: float, space: float
) -> tuple[str, tuple[BreakHint, ...], BreakHint]:
    """Join a cell's lines with "\\n"; say how each line ended, and how the last did.

    "space": a space glyph ended it. "short": the gap left before the cell's
    right edge (less its padding) would have held a space and the next line's
    first word, so the break was deliberate. "full": no space glyph although one
    would have fitted: the break was not at a space (a producer that breaks at a
    space draws it when it fits; LibreOffice drops it only when it would pass the
    edge). "tight": too little room for a space glyph: unknown. (The plainer rule
    "gap wider than a space plus padding" mistakes every wrap between Thai words
    for a break: 39% right on the seed PDF; see tests/test_pdf.py.)
    """
    hints: list[BreakHint] = []
    for index, line in enumerate(lines):
        after = lines[index + 1] if index + 1 < len(lines) else None
        room = right - pad - line.x1
        if line.trailing_space:
            hints.append("space")
        elif after is not None and room > after.lead + space:
            hints.append("short")
        elif room >= space:
            hints.append("full")
        else:
            hints.append("tight")
    end = hints.pop() if hints else None
    return "\n".join(line.text for line in lines), tuple(hints), end
