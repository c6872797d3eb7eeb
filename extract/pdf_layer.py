"""Which text to believe, page by page: the text layer, repaired, or OCR.

A text layer is used only when it reads as the page's language. Each page
gets one verdict (`PageRead`), recorded in the RawDocument and the plan JSON,
with the rule that decided it:

- text: `blank_page` (nothing drawn), `layer_reads` (the layer passed every check), `repaired_glyph_ids`
  (a font without Unicode whose glyph ids were mapped back through the
  embedded font, Microsoft Reporting Services), `repaired_marks` (unmapped
  marks, U+FFFD, told by the font's outlines, the word list or OCR:
  extract/pdf_repair.py), `invisible_layer_reads` (an invisible layer, but
  one that reads as Thai words);
- ocr: `no_text_layer` (a scan), `invisible_layer` (render mode 3 over the
  page image, a scanner's own OCR), `latin_over_image` (a Latin-only layer on
  a page that is one image), `foreign_script` (letters of another script
  standing for Thai that the font cannot map back), `glyph_codes` (mostly
  `(cid:N)`, U+FFFD, private-use glyphs), `unknown_words` (Thai the word list
  does not know).

Cost: the checks read a sample of the glyphs' render modes and fonts and the
shares of scripts in the page's text; the word list runs on at most
`pdf.word_sample` characters, and only until the page's fonts have read as
words on a page of the document (bench/text_layer_bench.py --cost measures the
share of conversion time).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pypdfium2.raw as pdfium_c

from thaiplan.extract import pdf_raw as raw
from thaiplan.extract.pdf_chars import UNMAPPED, Glyph
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
MAX_WORD = 24  # longer dictionary entries are not looked for (compounds of shorter words)


@dataclass
class Verdict:
    rule: str
    why: str = ""  # for OCR: what is wrong with the layer (a finding)
    glyphs: list[Glyph] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, message): findings on the repairs

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
    return _verdict_on(_CID.sub(UNMAPPED, text), None, settings, settings.min_word_share)[:2]


def _verdict_on(
    text: str, found: Scripts | None, settings: PdfSettings, words: float | None
) -> tuple[str, str, float | None]:
    """check_text on a text without `(cid:N)` codes whose letters by script may be counted already,
    and the share of its Thai in dictionary words, counted up to `words` (None: not counted, the
    page's fonts have read as words already)."""
    visible = len(text) - sum(map(text.count, " \t\r\n\x0b\x0c\xa0\u3000"))
    if not visible:
        return "no_text_layer", "it has no text layer", None
    bad = len(_GARBAGE.findall(text)) - sum(map(text.count, "\t\r\n\x0b\x0c"))
    if bad > settings.max_bad_share * visible:
        return "glyph_codes", f"{bad} of {visible} characters are glyph codes or unmapped glyphs", None
    found = found or scripts(text)
    if found.letters >= MIN_LETTERS and found.foreign > FOREIGN_SHARE * found.letters:
        return "foreign_script", (f"{found.foreign} of {found.letters} letters are of a script that is "
                                  "neither Thai nor Latin (glyph codes standing for Thai)"), None  # fmt: skip
    if words is None:
        return "", "", None
    share = thai_word_share(text, settings, at_least=words)
    if share is not None and share < settings.min_word_share:
        return "unknown_words", f"only {share:.0%} of its Thai text forms dictionary words", share
    return "", "", share


def thai_word_share(text: str, settings: PdfSettings, at_least: float = 1.0) -> float | None:
    """The share of the page's Thai text (a sample) in dictionary words; None for too little Thai.
    Counting stops once the share reaches `at_least` (what the caller compares with)."""
    thai = "".join(_THAI_RUN.findall(text))
    return word_share(thai[: settings.word_sample], at_least) if len(thai) >= 40 else None


def word_share(thai: str, at_least: float = 1.0) -> float:
    """The share of `thai`'s characters inside dictionary words of two letters or more,
    matched greedily longest-first (a set lookup per length: ~1 ms for a page's sample,
    where newmm takes ~18 ms; on the real pages the two shares differ by a few points
    and sit far from the threshold either side: bench/text_layer_bench.py).

    A share of `at_least` or more may be a lower bound: counting stops there.

    >>> word_share("การป้องกันการทุจริต")
    1.0
    >>> round(word_share("การป้องกันการทุจริต", at_least=0.5), 2)  # การ ป้องกัน: 10 of 19
    0.53
    """
    return _matched(thai, at_least * len(thai))[0] / max(1, len(thai))


def _matched(thai: str, enough: float = float("inf")) -> tuple[int, int]:
    """(characters inside dictionary words, words), matched greedily longest-first; the
    count stops once `enough` characters are inside words."""
    words, lengths = _lexicon()
    starting = lengths.get
    known = count = i = 0
    n = len(thai)
    while i < n and known < enough:
        for length in starting(thai[i : i + 2], ()):
            if i + length <= n and thai[i : i + length] in words:
                known += length
                count += 1
                i += length
                break
        else:
            i += 1
    return known, count


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The word list, and per two-letter start the lengths of its words (longest first):
    only those lengths are looked up, half the work of trying every length up to MAX_WORD."""
    words = thai_words()
    by_start: dict[str, set[int]] = {}
    for word in words:
        if 2 <= len(word) <= MAX_WORD:
            by_start.setdefault(word[:2], set()).add(len(word))
    return words, {start: tuple(sorted(found, reverse=True)) for start, found in by_start.items()}


def judge(page: object, textpage: object, glyphs: list[Glyph], settings: PdfSettings, fonts: FontTexts) -> Verdict:
    """The verdict on one page's text layer (glyphs repaired where a rule could)."""
    read = glyphs
    text = _text(glyphs)
    found = scripts(text)
    sample = _sample_objects(textpage, glyphs)
    if _invisible(sample):
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
        if repaired is not None and not check_text(_text(repaired), settings)[0]:
            glyphs, rule = repaired, "repaired_glyph_ids"
    notes: list[tuple[str, str]] = []
    if any(g.ch == UNMAPPED for g in glyphs):
        from thaiplan.extract.pdf_repair import repair_page  # the fonts' outlines, OCR: only where needed

        repair = repair_page(page, textpage, glyphs, fonts, settings)
        glyphs, notes = repair.glyphs, repair.notes
        rule = "repaired_marks" if repair.fixed and rule == "layer_reads" else rule
    # The word list is asked only until the page's fonts have read as words on a page of this
    # document: the words test a font's Unicode map, and a map does not change between pages.
    page_fonts = _font_names(sample, fonts) if rule != "repaired_glyph_ids" else frozenset()
    words = None if page_fonts and page_fonts <= fonts.read_as_words else GOOD_WORDS
    if glyphs is not read or "(cid:" in text:  # counted once unless a repair changed the glyphs
        bad, why, share = _verdict_on(_CID.sub(UNMAPPED, _text(glyphs)), None, settings, words)
    else:
        bad, why, share = _verdict_on(text, found, settings, words)
    if bad:
        return Verdict(bad, why)
    if share is not None and share >= GOOD_WORDS:
        fonts.read_as_words |= page_fonts
    return Verdict(rule, glyphs=glyphs, notes=notes)


def _text(glyphs: list[Glyph]) -> str:
    return "".join([g.ch for g in glyphs])  # a list, not a generator: twice as fast on every page


def _sample_objects(textpage: object, glyphs: list[Glyph]) -> list[object]:
    """The text objects of a sample of the page's glyphs (None where a glyph has none)."""
    handle = textpage.raw  # type: ignore[attr-defined]
    step = max(1, len(glyphs) // MODE_SAMPLE)
    return [raw.text_object_handle(handle, glyph.index) for glyph in glyphs[::step][:MODE_SAMPLE]]


def _invisible(sample: list[object]) -> bool:
    """Most of the sampled glyphs are drawn in an invisible render mode."""
    hidden = sum(bool(obj) and raw.render_mode(obj) in INVISIBLE_MODES for obj in sample)
    return bool(sample) and hidden >= INVISIBLE_SHARE * len(sample)


def _font_names(sample: list[object], fonts: FontTexts) -> frozenset[str]:
    """The fonts of the sampled glyphs, by name and flags (empty when a glyph has no font:
    then nothing is taken as known)."""
    seen: dict[int, str] = {}
    for obj in sample:
        font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
        if not font:
            return frozenset()
        key = _address(font)  # stable within the page: each font's name is read once
        if key not in seen:
            seen[key] = f"{fonts.name(font)} {pdfium_c.FPDFFont_GetFlags(font)}"
    return frozenset(seen.values())


def _one_image(page: object) -> bool:
    """An image object covers most of the page."""
    width, height = page.get_width(), page.get_height()  # type: ignore[attr-defined]
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
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
