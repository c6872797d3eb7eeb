"""Which text to believe, page by page: the text layer, repaired, or OCR.

A text layer is used only when it reads as the page's language. Each page
gets one verdict (`PageRead`), recorded in the RawDocument and the plan JSON,
with the rule that decided it:

- text: `blank_page` (nothing drawn), `layer_reads` (the layer passed every check), `repaired_glyph_ids`
  (a font without Unicode whose glyph ids were mapped back through the
  embedded font, Microsoft Reporting Services), `repaired_marks` (unmapped
  marks, U+FFFD, chosen from geometry and the word list), `invisible_layer_reads`
  (an invisible layer, but one that reads as Thai words);
- ocr: `no_text_layer` (a scan), `invisible_layer` (render mode 3 over the
  page image, a scanner's own OCR), `latin_over_image` (a Latin-only layer on
  a page that is one image), `foreign_script` (letters of another script
  standing for Thai that the font cannot map back), `glyph_codes` (mostly
  `(cid:N)`, U+FFFD, private-use glyphs), `unknown_words` (Thai the word list
  does not know).

Cost: the checks read a sample of the glyphs' render modes and the shares of
scripts in the page's text; the word list runs on at most `pdf.word_sample`
characters (bench/layer_check_bench.py measures the share of conversion time).
"""

from __future__ import annotations

import collections
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pypdfium2.raw as pdfium_c

from thaiplan.extract.pdf_chars import _MARK_RANK, MARKS, UNMAPPED, Glyph
from thaiplan.extract.pdf_fonts import FontTexts
from thaiplan.settings import PdfSettings
from thaiplan.thai import LETTERS_AND_MARKS, thai_words

TEXT_RULES = ("blank_page", "layer_reads", "repaired_glyph_ids", "repaired_marks", "invisible_layer_reads")
OCR_RULES = ("no_text_layer", "invisible_layer", "latin_over_image", "foreign_script", "glyph_codes", "unknown_words")
INVISIBLE_MODES = frozenset({pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP})
MODE_SAMPLE = 64  # glyphs whose render mode is read
INVISIBLE_SHARE = 0.8  # of the sampled glyphs: the layer is invisible
FOREIGN_SHARE = 0.3  # of the letters in a script that is neither Thai nor Latin: not the page's language
LATIN_ONLY = 0.05  # a layer with less Thai than this share of its letters is Latin-only
MIN_LETTERS = 20  # fewer letters tell nothing about the language
FULL_PAGE = 0.8  # an image covering this share of the page makes the page a scan
GOOD_WORDS = 0.8  # an invisible layer whose Thai is this much dictionary words is kept
_CID = re.compile(r"\(cid:\d+\)")
_THAI_RUN = re.compile(f"[{LETTERS_AND_MARKS}]+")
_THAI = frozenset(map(chr, range(0x0E01, 0x0E4F)))  # LETTERS_AND_MARKS, as a set
# Regular expressions count a page's letters by script at C speed (the check runs on every page).
_LATIN_RANGES = "a-zA-Z\u00c0-\u024f\u1e00-\u1eff"
_THAI_LETTER = re.compile(f"[{LETTERS_AND_MARKS}]")
_LATIN_LETTER = re.compile(f"[{_LATIN_RANGES}]")
_FOREIGN_LETTER = re.compile(f"[^\\W\\d_{_LATIN_RANGES}{LETTERS_AND_MARKS}\u00aa\u00b5\u00ba]")
_GARBAGE = re.compile("[\ufffd\ue000-\uf8ff\x00-\x1f\x7f-\x9f]")
ABOVE = "ัิีึื็่้๊๋์ํ"  # marks drawn above the base (candidates for an unmapped one there)
BELOW = "ฺุู"
MAX_WORD = 24  # longer dictionary entries are not looked for (compounds of shorter words)
CONTEXT = 8  # characters either side of an unmapped mark scored against the word list
VOTE = 0.6  # of the words where a glyph code got a mark: that mark is the code's
JOINT = 2  # unmapped marks of one word chosen together (13 candidates each: 169 tries)


@dataclass
class Verdict:
    rule: str
    why: str = ""  # for OCR: what is wrong with the layer (a finding)
    glyphs: list[Glyph] = field(default_factory=list)
    unrepaired: int = 0  # unmapped glyphs left as U+FFFD

    @property
    def ocr(self) -> bool:
        return self.rule in OCR_RULES


@dataclass(frozen=True)
class Scripts:
    thai: int
    latin: int
    foreign: int

    @property
    def letters(self) -> int:
        return self.thai + self.latin + self.foreign


def scripts(text: str) -> Scripts:
    """Letters by script: Thai, Latin, any other (Greek/Coptic standing for Thai).

    >>> scripts("งบ ϟΩϖλ ab")
    Scripts(thai=2, latin=2, foreign=4)
    """
    return Scripts(
        len(_THAI_LETTER.findall(text)), len(_LATIN_LETTER.findall(text)), len(_FOREIGN_LETTER.findall(text))
    )


def check_text(text: str, settings: PdfSettings | None = None) -> tuple[str, str]:
    """("", "") when a layer's text can be read, else (rule, why).

    >>> check_text("(cid:12)(cid:7)(cid:9) (cid:4)")[0]
    'glyph_codes'
    >>> check_text("โครงการป้องกันการทุจริต ปีงบประมาณ ๒๕๖๓")
    ('', '')
    """
    settings = settings or PdfSettings()
    text = _CID.sub(UNMAPPED, text)
    visible = len(text) - sum(map(text.count, " \t\r\n\x0b\x0c\xa0\u3000"))
    if not visible:
        return "no_text_layer", "it has no text layer"
    bad = len(_GARBAGE.findall(text)) - sum(map(text.count, "\t\r\n\x0b\x0c"))
    if bad > settings.max_bad_share * visible:
        return "glyph_codes", f"{bad} of {visible} characters are glyph codes or unmapped glyphs"
    found = scripts(text)
    if found.letters >= MIN_LETTERS and found.foreign > FOREIGN_SHARE * found.letters:
        return "foreign_script", (f"{found.foreign} of {found.letters} letters are of a script that is "
                                  "neither Thai nor Latin (glyph codes standing for Thai)")  # fmt: skip
    share = thai_word_share(text, settings)
    if share is not None and share < settings.min_word_share:
        return "unknown_words", f"only {share:.0%} of its Thai text forms dictionary words"
    return "", ""


def thai_word_share(text: str, settings: PdfSettings) -> float | None:
    """The share of the page's Thai text (a sample) in dictionary words; None for too little Thai."""
    thai = "".join(_THAI_RUN.findall(text))
    return word_share(thai[: settings.word_sample]) if len(thai) >= 40 else None


def word_share(thai: str) -> float:
    """The share of `thai`'s characters inside dictionary words of two letters or more,
    matched greedily longest-first (a set lookup per length: ~1 ms for a page's sample,
    where newmm takes ~18 ms; on the real pages the two shares differ by a few points
    and sit far from the threshold either side: bench/text_layer_bench.py).

    >>> word_share("การป้องกันการทุจริต")
    1.0
    """
    return _matched(thai)[0] / max(1, len(thai))


def _matched(thai: str) -> tuple[int, int]:
    """(characters inside dictionary words, words), matched greedily longest-first."""
    words, longest = _lexicon()
    known = count = i = 0
    n = len(thai)
    while i < n:
        for length in range(min(longest, n - i), 1, -1):
            if thai[i : i + length] in words:
                known += length
                count += 1
                i += length
                break
        else:
            i += 1
    return known, count


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], int]:
    words = thai_words()
    return words, min(MAX_WORD, max(map(len, words)))


def judge(page: object, textpage: object, glyphs: list[Glyph], settings: PdfSettings, fonts: FontTexts) -> Verdict:
    """The verdict on one page's text layer (glyphs repaired where a rule could)."""
    text = "".join(g.ch for g in glyphs)
    found = scripts(text)
    if _invisible(textpage, glyphs):
        share = thai_word_share(text, settings)
        if found.thai > (1 - LATIN_ONLY) * found.letters and share is not None and share >= GOOD_WORDS:
            return Verdict("invisible_layer_reads", glyphs=glyphs)
        return Verdict("invisible_layer", "its text is invisible (an OCR layer over the page image) and does not "
                       "read as Thai")  # fmt: skip
    if found.letters >= MIN_LETTERS and found.thai < LATIN_ONLY * found.letters and _one_image(page):
        return Verdict("latin_over_image", "the page is one image under a Latin-only text layer (a scanner's OCR)")
    rule = "layer_reads"
    suspects = found.foreign + text.count(UNMAPPED)
    threshold = FOREIGN_SHARE * max(MIN_LETTERS, found.letters + text.count(UNMAPPED))
    if suspects > threshold and sum(map(_odd, glyphs)) > threshold:
        repaired = _glyph_ids_mapped(textpage, glyphs, fonts)
        if repaired is not None and not check_text("".join(g.ch for g in repaired), settings)[0]:
            glyphs, rule = repaired, "repaired_glyph_ids"
    if any(g.ch == UNMAPPED for g in glyphs):
        glyphs, fixed, left = repair_unmapped(glyphs, lambda g: _font_name(textpage, g), fonts.votes)
        rule = "repaired_marks" if fixed and rule == "layer_reads" else rule
    else:
        left = 0
    bad, why = check_text("".join(g.ch for g in glyphs), settings)
    if bad:
        return Verdict(bad, why)
    return Verdict(rule, glyphs=glyphs, unrepaired=left)


def _invisible(textpage: object, glyphs: list[Glyph]) -> bool:
    """Most of a sample of the glyphs are drawn in an invisible render mode."""
    handle = textpage.raw  # type: ignore[attr-defined]
    step = max(1, len(glyphs) // MODE_SAMPLE)
    sample = glyphs[::step][:MODE_SAMPLE]
    hidden = 0
    for glyph in sample:
        obj = pdfium_c.FPDFText_GetTextObject(handle, glyph.index)
        hidden += bool(obj) and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in INVISIBLE_MODES
    return bool(sample) and hidden >= INVISIBLE_SHARE * len(sample)


def _one_image(page: object) -> bool:
    """An image object covers most of the page."""
    width, height = page.get_width(), page.get_height()  # type: ignore[attr-defined]
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_pos()
        if (right - left) * (top - bottom) >= FULL_PAGE * width * height:
            return True
    return False


def _glyph_ids_mapped(textpage: object, glyphs: list[Glyph], fonts: FontTexts) -> list[Glyph] | None:
    """The glyphs of fonts that give glyph ids for Unicode, mapped through their embedded
    programs; None when no font's program knows its glyphs."""
    handle = textpage.raw  # type: ignore[attr-defined]
    per_font: dict[int, list[Glyph]] = {}
    tables: dict[int, dict[int, str]] = {}
    for glyph in glyphs:
        obj = pdfium_c.FPDFText_GetTextObject(handle, glyph.index)
        font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
        if not font:
            continue
        key = _address(font)
        if key not in tables:
            tables[key] = fonts.of(font)
        per_font.setdefault(key, []).append(glyph)
    out = {id(g): g for g in glyphs}
    changed = False
    for key, members in per_font.items():
        table = tables[key]
        if not table or sum(map(_odd, members)) < 0.5 * len(members):
            continue  # a font with Unicode of its own (the digits' WinAnsi font)
        for glyph in members:
            text = table.get(glyph.code) if glyph.ch != " " else None
            if text is not None:
                out[id(glyph)] = _with(glyph, text)
                changed = True
    return [out[id(g)] for g in glyphs] if changed else None


def _font_name(textpage: object, glyph: Glyph) -> str:
    obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, glyph.index)  # type: ignore[attr-defined]
    font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
    return FontTexts.name(font) if font else ""


def _address(handle: object) -> int:
    import ctypes

    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _odd(glyph: Glyph) -> bool:
    """A glyph whose code point may be its glyph id: unmapped, or a letter of a foreign script."""
    ch = glyph.ch
    if ch == UNMAPPED:
        return glyph.code not in (0, 0xFFFD)
    return (
        len(ch) == 1
        and ch not in _THAI
        and not ch.isascii()
        and ch.isalpha()
        and not unicodedata.name(ch, "").startswith("LATIN")
    )


def _with(glyph: Glyph, ch: str) -> Glyph:
    return Glyph(ch, glyph.x0, glyph.x1, glyph.top, glyph.bottom, glyph.baseline, glyph.size, glyph.pen,
                 glyph.pen_end, glyph.index, glyph.code)  # fmt: skip


def repair_unmapped(glyphs: list[Glyph], font_of: Callable[[Glyph], str] = lambda g: "",
                    votes: dict[tuple[str, int], collections.Counter[str]] | None = None,
                    ) -> tuple[list[Glyph], int, int]:  # fmt: skip
    """Unmapped glyphs drawn as marks (no advance of their own) given the marks that
    make their word dictionary words; others stay U+FFFD. A glyph code of one font is
    one character: where its words agree on a mark (VOTE of them), every glyph of that
    code gets it, also in words the dictionary does not know; `votes` carries the count
    from page to page. Returns (glyphs, repaired, left)."""
    holes = [i for i, g in enumerate(glyphs) if g.ch == UNMAPPED]
    chosen: dict[int, str] = {}
    for group in _groups(holes):
        lo, hi = _window(glyphs, group[0], group[-1])
        text = tuple(g.ch for g in glyphs[lo:hi])
        choice = best_marks(text, tuple(i - lo for i in group), tuple(_candidates(glyphs[i]) for i in group))
        chosen.update((i, mark) for i, mark in zip(group, choice) if mark)
    votes = {} if votes is None else votes
    keys = {i: (font_of(glyphs[i]), glyphs[i].code) for i in holes if glyphs[i].code not in (0, 0xFFFD)}
    for i, mark in chosen.items():
        if i in keys:
            votes.setdefault(keys[i], collections.Counter())[mark] += 1
    for i, key in keys.items():
        ranked = votes.get(key, collections.Counter()).most_common(1)
        if ranked and ranked[0][1] >= VOTE * sum(votes[key].values()) and _candidates(glyphs[i]):
            chosen[i] = ranked[0][0]
    out = list(glyphs)
    for i, mark in chosen.items():
        out[i] = _with(glyphs[i], mark)
    return out, len(chosen), len(holes) - len(chosen)


def _groups(holes: list[int]) -> list[list[int]]:
    """Unmapped glyphs close enough to share a word, at most JOINT together."""
    groups: list[list[int]] = []
    for i in holes:
        if groups and i - groups[-1][-1] <= CONTEXT and len(groups[-1]) < JOINT:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _window(glyphs: list[Glyph], first: int, last: int) -> tuple[int, int]:
    """CONTEXT glyphs either side of the group, within its run of Thai."""
    lo = first
    while lo > 0 and first - lo < CONTEXT and (glyphs[lo - 1].ch in _THAI or glyphs[lo - 1].ch == UNMAPPED):
        lo -= 1
    hi = last + 1
    while hi < len(glyphs) and hi - last <= CONTEXT and (glyphs[hi].ch in _THAI or glyphs[hi].ch == UNMAPPED):
        hi += 1
    return lo, hi


def _candidates(glyph: Glyph) -> str:
    """The marks an unmapped glyph may be: none if it moves the pen (a letter), else by where it is drawn."""
    if glyph.pen is None or glyph.pen_end is None or glyph.pen_end - glyph.pen > 0.05 * glyph.size:
        return ""
    return BELOW if glyph.top >= glyph.baseline - 0.15 * glyph.size else ABOVE


@lru_cache(maxsize=8192)
def best_marks(text: tuple[str, ...], holes: tuple[int, ...], candidates: tuple[str, ...]) -> tuple[str, ...]:
    """For each hole of `text`, the candidate mark that puts most of the text in dictionary
    words, ties going to fewer, longer words; "" where no choice beats leaving marks out.

    >>> best_marks(tuple("ท\ufffdังสิ\ufffdน"), (1, 6), (ABOVE, ABOVE))
    ('้', '้')
    """

    def filled(marks: tuple[str, ...]) -> str:
        chars = list(text)
        for i, mark in zip(holes, marks):
            chars[i] = mark
        return _canonical("".join(chars))

    best, best_score = ("",) * len(holes), _score(filled(("",) * len(holes)))
    for marks in itertools.product(*[c or "" for c in candidates]) if all(candidates) else ():
        score = _score(filled(marks))
        if score > best_score:
            best, best_score = marks, score
    return best


def _score(thai: str) -> tuple[int, int]:
    known, words = _matched(thai)
    return known, -words


def _canonical(text: str) -> str:
    """Marks after a base in their stacking order, nikhahit + aa as sara am (what the line builder writes)."""
    out: list[str] = []
    for ch in text:
        if ch in MARKS and out and out[-1] in MARKS:
            run = [ch]
            while out and out[-1] in MARKS:
                run.append(out.pop())
            out.extend(sorted(run, key=lambda m: _MARK_RANK.get(m, 3)))
        else:
            out.append(ch)
    return "".join(out).replace("\u0e4d\u0e32", "\u0e33")
