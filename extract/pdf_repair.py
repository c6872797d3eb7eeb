"""Unmapped glyphs (U+FFFD) of a text layer, repaired by the surest route that tells.

Only a glyph drawn as a mark (no advance of its own) is repaired; where it is
drawn (above or below the base) narrows it to a few marks. Then, in order:

1. `font`: the embedded font's outline of the glyph (the one its code names,
   or, where pdfium gives no code, the one glyph that fills its box) is the
   shape of one of the font's mapped marks (extract.pdf_mark_shapes): exact, no
   finding;
2. `words`: of the marks it may be, exactly one makes its word a dictionary
   word, or `vote`: its glyph code got one mark in the document's other words.
   Guesses: each repaired word gets a finding;
3. `ocr`: the word's box, rendered and read by tesseract, reads like one choice
   of marks better than every other (bounded by pdf.unmapped_ocr_words per
   document). A guess too, with a finding;
4. `left`: the glyph stays U+FFFD, the word as the source has it, with a finding.
"""

from __future__ import annotations

import collections
import ctypes
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pypdfium2.raw as pdfium_c
from rapidfuzz.distance import Levenshtein

from thaiplan.extract.pdf_chars import _MARK_RANK, MARKS, SAME_LINE_EM, UNMAPPED, Glyph
from thaiplan.extract.pdf_fonts import FontTexts
from thaiplan.extract.pdf_layer import _THAI, _address, _matched, _with
from thaiplan.extract.pdf_mark_shapes import ABOVE, BELOW, MarkShapes
from thaiplan.settings import PdfSettings

UPPER, TOPS, LOWER = "ัิีึื็ํ", "่้๊๋์", BELOW  # a base's slots: one upper vowel, one tone, one lower vowel
CONTEXT = 8  # characters either side of an unmapped mark scored against the word list
VOTE = 0.6  # of the words where a glyph code got a mark: that mark is the code's
JOINT = 2  # unmapped marks of one word chosen together (13 candidates each: 169 tries)
_NIKHAHIT_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e33")  # ํ(tone)ำ: sara am's circle drawn twice
ROUTES = ("font", "words", "vote", "ocr", "left")
SHOWN = 12  # words named in a page's finding
OCR_PAD_EM = 0.3  # margin around a word's box when it is rendered for OCR
OCR_DPI = 300
OCR_BOX_MPIXELS = 4  # a word's box rendered for OCR at most this big (a 14-pt word at 300 dpi: ~0.05 Mpx)

# Word boxes on the page (x0, top, x1, bottom, in points from the page top) -> what OCR reads in each.
BoxReader = Callable[[list[tuple[float, float, float, float]]], list[str]]


@dataclass
class DocumentMarks:
    """What a document's pages learn about its unmapped glyphs: the fonts' shapes, the marks
    the word list gave each (font, glyph code), and how many more words OCR may read."""

    ocr_words: int = 0
    shapes: MarkShapes = field(default_factory=MarkShapes)
    votes: dict[tuple[str, int], collections.Counter[str]] = field(default_factory=dict)


@dataclass
class Repair:
    glyphs: list[Glyph]
    routes: collections.Counter[str]  # glyphs per route (ROUTES)
    notes: list[tuple[str, str]]  # (kind, message): the page's findings

    @property
    def fixed(self) -> int:
        return sum(n for route, n in self.routes.items() if route != "left")


def repair_unmapped(glyphs: list[Glyph], state: DocumentMarks | None = None,
                    font_of: Callable[[Glyph], object | None] = lambda g: None,
                    name_of: Callable[[object], str] = lambda f: "",
                    read_boxes: BoxReader | None = None) -> Repair:  # fmt: skip
    """Each unmapped glyph of a page repaired by the first route that tells (see the module doc);
    `font_of` gives a glyph's pdfium font handle, `read_boxes` OCRs word boxes (None: no OCR)."""
    state = state or DocumentMarks()
    holes = [i for i, g in enumerate(glyphs) if g.ch == UNMAPPED]
    chosen: dict[int, tuple[str, str]] = {}  # hole -> (mark, route)
    guessed: dict[str, list[str]] = {"words": [], "vote": [], "ocr": []}
    keys = _by_font(glyphs, holes, state, font_of, name_of, chosen)
    for group in _groups(glyphs, [i for i in holes if i not in chosen]):
        lo, hi = _window(glyphs, group[0], group[-1])
        choice = only_marks(tuple(g.ch for g in glyphs[lo:hi]), tuple(i - lo for i in group),
                            tuple(_choices(glyphs, i) for i in group))  # fmt: skip
        if all(choice):
            chosen.update((i, (mark, "words")) for i, mark in zip(group, choice))
            guessed["words"].append(_word(glyphs, lo, hi, chosen))
            for i, mark in zip(group, choice):
                if i in keys:
                    state.votes.setdefault(keys[i], collections.Counter())[mark] += 1
    for i, key in keys.items():
        counts = state.votes.get(key, collections.Counter())
        ranked = counts.most_common(1)
        if i not in chosen and ranked and ranked[0][1] >= VOTE * sum(counts.values()) and ranked[0][0] in _choices(glyphs, i):
            chosen[i] = (ranked[0][0], "vote")
            guessed["vote"].append(_word(glyphs, *_window(glyphs, i, i), chosen))
    if read_boxes is not None:
        _by_ocr(glyphs, [i for i in holes if i not in chosen], chosen, state, read_boxes, guessed["ocr"])
    out = list(glyphs)
    for i, (mark, _) in chosen.items():
        out[i] = _with(glyphs[i], mark)
    routes = collections.Counter(route for _, route in chosen.values())
    routes["left"] = len(holes) - len(chosen)
    left = [_word(glyphs, *_window(glyphs, i, i), {}) for i in holes if i not in chosen]
    return Repair(out, +routes, _findings(guessed, left))


def _by_font(glyphs: list[Glyph], holes: list[int], state: DocumentMarks, font_of: Callable[[Glyph], object | None],
             name_of: Callable[[object], str], chosen: dict[int, tuple[str, str]]) -> dict[int, tuple[str, int]]:  # fmt: skip
    """The holes whose font's outlines tell their mark (into `chosen`); returns each hole's
    (font name, glyph code) for the vote."""
    programs: dict[int, tuple[object, bytes]] = {}  # font handle's address -> (handle, program key), this page
    names: dict[int, str] = {0: ""}  # font handle's address -> its name, this page (0: no font)
    keys: dict[int, tuple[str, int]] = {}
    for i in holes:
        font = font_of(glyphs[i])
        address = _address(font) if font is not None else 0
        if glyphs[i].code not in (0, 0xFFFD):
            if address not in names:
                names[address] = name_of(font)
            keys[i] = (names[address], glyphs[i].code)
        allowed = _candidates(glyphs[i])
        if font is None or not allowed:
            continue
        if address not in programs:
            programs[address] = (font, state.shapes.key(font))
        mark = state.shapes.mark(programs[address][1], font, glyphs[i])
        if mark and mark in allowed:
            chosen[i] = (mark, "font")
    return keys


def _findings(guessed: dict[str, list[str]], left: list[str]) -> list[tuple[str, str]]:
    how = {"words": "the only marks that make dictionary words", "vote": "the mark their glyph code has in "
           "other words of the document", "ocr": "the marks OCR read in the word's box"}  # fmt: skip
    notes = [("guessed_marks", f"{_count(len(words), 'word')} with glyphs that have no Unicode, given {how[route]} "
              f"(a guess): {_listed(words)}") for route, words in guessed.items() if words]  # fmt: skip
    if left:
        notes.append(("unmapped_glyphs", f"{_count(len(left), 'glyph')} without Unicode that no route could tell: "
                      f"kept as U+FFFD: {_listed(left)}"))  # fmt: skip
    return notes


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _listed(words: list[str]) -> str:
    shown = ", ".join(words[:SHOWN])
    return shown + (f" and {len(words) - SHOWN} more" if len(words) > SHOWN else "")


def _word(glyphs: list[Glyph], lo: int, hi: int, chosen: dict[int, tuple[str, str]]) -> str:
    """The text around a repair as it now reads (marks in the line builder's order)."""
    chars = [chosen[i][0] if i in chosen else glyphs[i].ch for i in range(lo, hi)]
    return _canonical("".join(chars)).strip()


def _by_ocr(glyphs: list[Glyph], holes: list[int], chosen: dict[int, tuple[str, str]], state: DocumentMarks,
            read_boxes: BoxReader, words: list[str]) -> None:  # fmt: skip
    """The groups still unmapped: their words' boxes read by OCR in one call; a group takes the
    choice of marks whose word is nearest the reading, when no other choice is as near."""
    groups = [g for g in _groups(glyphs, holes) if all(_choices(glyphs, i) for i in g)][: max(0, state.ocr_words)]
    if not groups:
        return
    state.ocr_words -= len(groups)
    spans = [_window(glyphs, group[0], group[-1]) for group in groups]
    readings = read_boxes([_box(glyphs[lo:hi]) for lo, hi in spans])
    for group, (lo, hi), reading in zip(groups, spans, readings):
        choice = nearest_marks(tuple(g.ch for g in glyphs[lo:hi]), tuple(i - lo for i in group),
                               tuple(_choices(glyphs, i) for i in group), reading)  # fmt: skip
        if choice:
            chosen.update((i, (mark, "ocr")) for i, mark in zip(group, choice))
            words.append(_word(glyphs, lo, hi, chosen))


def _box(glyphs: Sequence[Glyph]) -> tuple[float, float, float, float]:
    pad = OCR_PAD_EM * max(g.size for g in glyphs)
    return (min(g.x0 for g in glyphs) - pad, min(g.top for g in glyphs) - pad,
            max(g.x1 for g in glyphs) + pad, max(g.bottom for g in glyphs) + pad)  # fmt: skip


def nearest_marks(text: tuple[str, ...], holes: tuple[int, ...], candidates: tuple[str, ...],
                  reading: str) -> tuple[str, ...]:  # fmt: skip
    """The candidate marks whose filled word is nearest (edit distance) what OCR read, when
    no choice giving another word is as near; () otherwise.

    >>> nearest_marks(tuple("ท\ufffdัง"), (1,), ("่้๊๋",), "ทั้ง")
    ('้',)
    >>> nearest_marks(tuple("ท\ufffdัง"), (1,), ("่้๊๋",), "ทัง")  # OCR lost the mark too: no say
    ()
    """
    target = _canonical("".join(reading.split()))
    if not target:
        return ()
    return _only_best(text, holes, candidates, lambda filled: -Levenshtein.distance(filled, target)) or ()


def _groups(glyphs: list[Glyph], holes: list[int]) -> list[list[int]]:
    """Unmapped glyphs close enough to share a word (a run of Thai), at most JOINT together."""
    groups: list[list[int]] = []
    for i in holes:
        if groups and i - groups[-1][-1] <= CONTEXT and len(groups[-1]) < JOINT and _window(glyphs, i, i)[0] <= groups[-1][-1]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _window(glyphs: list[Glyph], first: int, last: int) -> tuple[int, int]:
    """CONTEXT glyphs either side of the group, within its run of Thai on its line."""

    def inside(glyph: Glyph) -> bool:
        same_line = abs(glyph.baseline - glyphs[first].baseline) <= SAME_LINE_EM * glyph.size
        return same_line and (glyph.ch in _THAI or glyph.ch == UNMAPPED)

    lo = first
    while lo > 0 and first - lo < CONTEXT and inside(glyphs[lo - 1]):
        lo -= 1
    hi = last + 1
    while hi < len(glyphs) and hi - last <= CONTEXT and inside(glyphs[hi]):
        hi += 1
    return lo, hi


def _choices(glyphs: list[Glyph], i: int) -> str:
    """The marks the unmapped glyph `i` may add to its base: those drawn where it is, less the
    marks the base already has (a base takes one of each); only those, a mark drawn twice,
    when the base has no room left (an upper vowel and a tone above, a lower vowel below)."""
    allowed = _candidates(glyphs[i])
    lo, hi = i, i + 1
    while lo > 0 and glyphs[lo - 1].ch in MARKS:
        lo -= 1
    while hi < len(glyphs) and glyphs[hi].ch in MARKS:
        hi += 1
    has = {g.ch for g in glyphs[lo:hi]} & set(allowed)
    full = bool(has & set(LOWER)) if allowed == BELOW else bool(has & set(UPPER)) and bool(has & set(TOPS))
    return "".join(sorted(has)) if full else "".join(m for m in allowed if m not in has)


def _candidates(glyph: Glyph) -> str:
    """The marks an unmapped glyph may be: none if it moves the pen (a letter), else by where it is drawn."""
    if glyph.pen is None or glyph.pen_end is None or glyph.pen_end - glyph.pen > 0.05 * glyph.size:
        return ""
    return BELOW if glyph.top >= glyph.baseline - 0.15 * glyph.size else ABOVE


@lru_cache(maxsize=8192)
def only_marks(text: tuple[str, ...], holes: tuple[int, ...], candidates: tuple[str, ...]) -> tuple[str, ...]:
    """For each hole of `text`, the candidate mark of the one reading that puts most of the
    text in dictionary words (ties going to fewer, longer words), better than leaving the
    marks out, or the same as that where the marks only repeat ones their base has (a mark
    drawn twice); "" for each hole when no choice does, or two readings do equally well
    (never a silent pick between readings).

    >>> only_marks(tuple("ท\ufffdังสิ\ufffdน"), (1, 6), (ABOVE, ABOVE))
    ('้', '้')
    >>> only_marks(tuple("ที่\ufffdคาด"), (3,), ("ี่",))  # a base with no room left: a mark drawn twice
    ('ี',)
    >>> only_marks(tuple("จ\ufffdำกัด"), (1,), (ABOVE,))  # sara am's circle drawn again
    ('ํ',)
    >>> only_marks(tuple("กา\ufffd"), (2,), (ABOVE,))  # ก่า, ก้า, ก๊า...: the word list cannot say
    ('',)
    """
    none = ("",) * len(holes)
    unfilled = _filled(text, holes, none)
    best = _only_best(text, holes, candidates, _score)
    if best is None or (_score(_filled(text, holes, best)) <= _score(unfilled) and _filled(text, holes, best) != unfilled):
        return none
    return best


def _only_best(text: tuple[str, ...], holes: tuple[int, ...], candidates: tuple[str, ...],
               score: Callable[[str], object]) -> tuple[str, ...] | None:  # fmt: skip
    """The first choice of marks whose filled text scores best, when every choice that scores
    as well gives the same text; None when two texts tie (or there are no candidates)."""
    if not all(candidates):
        return None
    best: tuple[str, ...] | None = None
    best_score: object = None
    texts: set[str] = set()
    for marks in itertools.product(*candidates):
        filled = _filled(text, holes, marks)
        value = score(filled)
        if best is None or value > best_score:  # type: ignore[operator]
            best, best_score, texts = marks, value, {filled}
        elif value == best_score:
            texts.add(filled)
    return best if len(texts) == 1 else None


def _with_marks(text: tuple[str, ...], holes: tuple[int, ...], marks: tuple[str, ...]) -> list[str]:
    chars = list(text)
    for i, mark in zip(holes, marks):
        chars[i] = mark
    return chars


def _filled(text: tuple[str, ...], holes: tuple[int, ...], marks: tuple[str, ...]) -> str:
    return _canonical("".join(_with_marks(text, holes, marks)))


def _score(thai: str) -> tuple[int, int]:
    """Fewer letters outside dictionary words, then fewer words (sara am written as one
    character makes a text shorter: known letters alone would count against it)."""
    known, words = _matched(thai)
    return known - len(thai), -words


def _canonical(text: str) -> str:
    """Marks after a base in their stacking order, each once, nikhahit + aa as sara am, a
    nikhahit before sara am dropped (the line builder's order, then normalize.thai_text's
    repairs of doubled marks and of sara am)."""
    out: list[str] = []
    for ch in text:
        if ch in MARKS and out and out[-1] in MARKS:
            run = {ch}
            while out and out[-1] in MARKS:
                run.add(out.pop())
            out.extend(sorted(run, key=lambda m: (_MARK_RANK.get(m, 3), m)))
        else:
            out.append(ch)
    return _NIKHAHIT_AM.sub("\\1\u0e33", "".join(out).replace("\u0e4d\u0e32", "\u0e33"))


def repair_page(page: object, textpage: object, glyphs: list[Glyph], fonts: FontTexts,
                settings: PdfSettings) -> Repair:  # fmt: skip
    """repair_unmapped on a pdfium page: fonts from its text objects, word boxes rendered
    from it for OCR; the document's state is kept on `fonts` from page to page. Text drawn
    rotated (a margin's vertical line) is repaired in its own frame, without OCR."""
    if fonts.marks is None:
        fonts.marks = DocumentMarks(ocr_words=settings.unmapped_ocr_words)
    handle = textpage.raw  # type: ignore[attr-defined]

    def font_of(glyph: Glyph) -> object | None:
        obj = pdfium_c.FPDFText_GetTextObject(handle, glyph.index)
        return pdfium_c.FPDFTextObj_GetFont(obj) if obj else None

    def repair(part: list[Glyph], boxes: BoxReader | None) -> Repair:
        return repair_unmapped(part, fonts.marks, font_of, FontTexts.name, boxes)  # type: ignore[arg-type]

    if not any(_direction(handle, g) for g in glyphs if g.ch == UNMAPPED):
        return repair(glyphs, lambda boxes: read_boxes(page, boxes))
    out, routes, notes = list(glyphs), collections.Counter[str](), []
    frames: dict[tuple[float, ...], list[int]] = {}
    for i, glyph in enumerate(glyphs):
        frames.setdefault(_direction(handle, glyph), []).append(i)
    for direction, members in frames.items():
        part = [glyphs[i] if not direction else _upright(handle, glyphs[i], direction) for i in members]
        done = repair(part, None if direction else lambda boxes: read_boxes(page, boxes))
        for i, before, after in zip(members, part, done.glyphs):
            if after.ch != before.ch:
                out[i] = _with(glyphs[i], after.ch)
        routes.update(done.routes)
        notes.extend(done.notes)
    return Repair(out, routes, notes)


def _direction(handle: object, glyph: Glyph) -> tuple[float, ...]:
    """The glyph's writing direction, a unit vector on the page (y up), or () for upright text."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(handle, glyph.index, matrix):
        return ()
    length = (matrix.a**2 + matrix.b**2) ** 0.5
    if length == 0 or abs(matrix.b) <= 0.01 * length:
        return ()
    return round(matrix.a / length, 3), round(matrix.b / length, 3)


def _upright(handle: object, glyph: Glyph, direction: tuple[float, ...]) -> Glyph:
    """The glyph in its own text frame: x along its writing direction, y down from its line,
    as page_glyphs gives upright glyphs."""
    dx, dy = direction
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetCharBox(handle, glyph.index, left, right, bottom, top)
    pdfium_c.FPDFText_GetCharOrigin(handle, glyph.index, ox, oy)
    pdfium_c.FPDFText_GetLooseCharBox(handle, glyph.index, loose)

    def along(x: float, y: float) -> float:
        return x * dx + y * dy

    def down(x: float, y: float) -> float:  # minus the component along "up" (-dy, dx)
        return x * dy - y * dx

    corners = [(x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)]
    loose_corners = [(x, y) for x in (loose.left, loose.right) for y in (loose.bottom, loose.top)]
    pen = along(ox.value, oy.value)
    return Glyph(glyph.ch, min(along(*c) for c in corners), max(along(*c) for c in corners),
                 min(down(*c) for c in corners), max(down(*c) for c in corners), down(ox.value, oy.value),
                 glyph.size, pen, max(pen, *(along(*c) for c in loose_corners)), glyph.index, glyph.code)  # fmt: skip


def read_boxes(page: object, boxes: list[tuple[float, float, float, float]]) -> list[str]:
    """What tesseract reads in each box of the page, rendered at OCR_DPI as one line each;
    "" for every box when tesseract with Thai cannot run."""
    import numpy as np

    from thaiplan.errors import OcrUnavailable
    from thaiplan.extract.ocr_read import run_tesseract, tesseract_status
    from thaiplan.extract.pdf_bounds import render_scale

    if tesseract_status() is not None:
        return [""] * len(boxes)
    width, height = page.get_width(), page.get_height()  # type: ignore[attr-defined]
    images, which = [], []
    for index, (x0, top, x1, bottom) in enumerate(boxes):
        x0, top, x1, bottom = max(0.0, x0), max(0.0, top), min(width, x1), min(height, bottom)
        if x1 - x0 < 1 or bottom - top < 1:
            continue  # a word drawn off the page
        # render's crop is what is cut off each side: left, bottom, right, top; a word drawn
        # huge (a 200-inch page) is rendered at a lower dpi, within the box's pixel budget
        scale = render_scale(x1 - x0, bottom - top, OCR_DPI, OCR_BOX_MPIXELS)
        bitmap = page.render(scale=scale, crop=(x0, height - bottom, width - x1, top), grayscale=True)  # type: ignore[attr-defined]
        images.append(np.asarray(bitmap.to_pil().convert("L")))
        which.append(index)
    try:
        texts = [text for _, text in run_tesseract(images, psm=7, dpi=OCR_DPI)]
    except OcrUnavailable:
        return [""] * len(boxes)
    out = [""] * len(boxes)
    for index, text in zip(which, texts):
        out[index] = text
    return out
