"""Unmapped glyphs (U+FFFD) repaired by the surest route that tells (extract/pdf_repair.py):
the embedded font's outlines, the word list, OCR of the word's box, else kept with a
finding. Each route on a PDF built here with a Sarabun subset whose marks have no
ToUnicode entry (tests/layer_fixtures.py), and the count on the real Acrobat volume."""

from __future__ import annotations

import collections
from dataclasses import replace
from pathlib import Path

import pytest

from tests import layer_fixtures
from thaiplan.extract import pdf, pdf_repair
from thaiplan.extract.ocr import tesseract_available
from thaiplan.settings import Settings
from thaiplan.textdump import render

REAL = Path(__file__).parent / "data" / "real"
NO_OCR = replace(Settings(), pdf=replace(Settings().pdf, ocr=False))  # no page OCR: the word boxes' OCR stays on
NAMES = {"ท": "uni0E17", "ั": "uni0E31", "ง": "uni0E07", "ส": "uni0E2A", "ิ": "uni0E34", "น": "uni0E19",
         "ไ": "uni0E44", "ม": "uni0E21", " ": "space"}  # fmt: skip
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract with tha is not installed")


def _glyphs(text: str, tone: str) -> list[str]:
    """Sarabun glyph names for `text`, its ้ and ่ drawn with the glyph `tone` + 49/48 (`uni0E49.small`)."""
    marks = {"้": "uni0E49", "่": "uni0E48"}
    return [marks[ch] + tone if ch in marks else NAMES[ch] for ch in text]


@pytest.fixture
def routes(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """The glyphs repaired per route while a test reads."""
    counted: collections.Counter[str] = collections.Counter()
    repair = pdf_repair.repair_unmapped

    def counting(*args: object, **kwargs: object) -> pdf_repair.Repair:
        result = repair(*args, **kwargs)  # type: ignore[arg-type]
        counted.update(result.routes)
        return result

    monkeypatch.setattr(pdf_repair, "repair_unmapped", counting)
    return counted


def _read(path: Path, settings: Settings = NO_OCR) -> tuple[list[str], list[tuple[str, str]]]:
    raw = pdf.read(path, settings)
    body = [line for line in render(raw, settings).splitlines() if line and not line.startswith(("=== page", "# "))]
    return body, [(n.kind, n.message) for n in raw.notes]


def test_a_mark_the_font_draws_like_a_mapped_one_is_that_mark(tmp_path: Path, routes: collections.Counter[str]) -> None:
    """Acrobat's case: ้ maps to its plain glyph; the small one, over ั and ิ, maps to nothing.
    The font has no cmap entry nor name for it: only its outline says it is ้."""
    program, ids = layer_fixtures.thai_subset("ทั้งสิ้น", extra=("uni0E49.small",))
    path = layer_fixtures.glyph_runs(tmp_path / "acrobat.pdf", [_glyphs("ทั้งสิ้น", ".small")], program, ids)
    assert _read(path) == (["ทั้งสิ้น"], [])  # exact: no finding
    assert routes == {"font": 2}
    assert pdf.read(path, NO_OCR).page_reads[0].rule == "repaired_marks"


def test_a_mark_the_font_names_is_that_mark(tmp_path: Path, routes: collections.Counter[str]) -> None:
    """No ToUnicode entry for ้ and no cmap entry either, but the program names its glyph uni0E49."""
    program, ids = layer_fixtures.thai_subset("ทั้งสิ้น", unmapped="้", glyph_names=True)
    path = layer_fixtures.glyph_runs(tmp_path / "named.pdf", [_glyphs("ทั้งสิ้น", "")], program, ids)
    assert _read(path) == (["ทั้งสิ้น"], [])
    assert routes == {"font": 2}


def test_a_glyph_whose_code_is_lost_is_found_by_its_box(tmp_path: Path, routes: collections.Counter[str]) -> None:
    """A ToUnicode entry of U+FFFD: pdfium gives no glyph code; the one glyph of the font whose
    outline fills the drawn box is it (budget2565_doc3_vol14.pdf's UPCxD fonts)."""
    program, ids = layer_fixtures.thai_subset("ทั้งสิ้น", extra=("uni0E49.small",))
    path = layer_fixtures.glyph_runs(tmp_path / "lost.pdf", [_glyphs("ทั้งสิ้น", ".small")], program, ids,
                                     lost_codes=("uni0E49.small",))  # fmt: skip
    assert _read(path) == (["ทั้งสิ้น"], [])
    assert routes == {"font": 2}


def test_marks_of_text_turned_a_quarter_are_repaired_in_its_own_frame(
    tmp_path: Path, routes: collections.Counter[str]
) -> None:
    """A vertical title (budget2565_doc3_vol14.pdf's margins): the mark's place above its base
    and its advance of zero hold along the text's own direction."""
    program, ids = layer_fixtures.thai_subset("ทั้งสิ้น", extra=("uni0E49.small",))
    path = layer_fixtures.glyph_runs(tmp_path / "upward.pdf", [_glyphs("ทั้งสิ้น", ".small")], program, ids,
                                     upward=True)  # fmt: skip
    body, notes = _read(path)
    assert routes == {"font": 2} and notes == []
    assert "\ufffd" not in "".join(body) and "".join(body).count("้") == 2


def test_a_mark_the_font_cannot_tell_is_chosen_by_the_word_list_with_a_finding(
    tmp_path: Path, routes: collections.Counter[str]
) -> None:
    """No glyph of the font maps to ้ at all: its outline resembles no mapped mark (ั, ิ are
    not taken for it); of the marks drawn above, only ้ makes ทั้งสิ้น words."""
    program, ids = layer_fixtures.thai_subset("ทั้งสิ้น", unmapped="้")
    path = layer_fixtures.glyph_runs(tmp_path / "words.pdf", [_glyphs("ทั้งสิ้น", "")], program, ids)
    body, notes = _read(path)
    assert body == ["ทั้งสิ้น"]
    assert routes == {"words": 2}
    assert notes == [("guessed_marks", "page 1: 1 word with glyphs that have no Unicode, given the only "
                      "marks that make dictionary words (a guess): ทั้งสิ้น")]  # fmt: skip


@needs_tesseract
def test_a_mark_the_word_list_cannot_tell_is_read_by_ocr_of_the_words_box(
    tmp_path: Path, routes: collections.Counter[str]
) -> None:
    """ไม้ (wood) and ไม่ (not) are both words: the word list has no say; tesseract reads the
    word's box, drawn with the font's own glyphs."""
    program, ids = layer_fixtures.thai_subset("ไม้ไม่", unmapped="้่")
    path = layer_fixtures.glyph_runs(tmp_path / "ocr.pdf", [_glyphs("ไม้", ""), _glyphs("ไม่", "")], program, ids,
                                     size=24)  # fmt: skip
    body, notes = _read(path)
    assert body == ["ไม้", "ไม่"]
    assert routes == {"ocr": 2}
    assert notes == [("guessed_marks", "page 1: 2 words with glyphs that have no Unicode, given the marks OCR "
                      "read in the word's box (a guess): ไม้, ไม่")]  # fmt: skip


def test_a_mark_nothing_tells_keeps_the_source_text_with_a_finding(
    tmp_path: Path, routes: collections.Counter[str]
) -> None:
    """่ has no ToUnicode entry and resembles no mapped mark; ไม่ and ไม้ are both words; no OCR."""
    lines = ["ทั้งสิ้น" * 3, "ไม่"]  # enough good text that the page is not glyph codes
    program, ids = layer_fixtures.thai_subset("".join(lines), unmapped="่")
    path = layer_fixtures.glyph_runs(tmp_path / "left.pdf", [_glyphs(line, "") for line in lines], program, ids)
    no_word_ocr = replace(NO_OCR, pdf=replace(NO_OCR.pdf, unmapped_ocr_words=0))
    body, notes = _read(path, no_word_ocr)
    assert body == ["ทั้งสิ้น" * 3, "ไม\ufffd"]
    assert routes == {"left": 1}
    assert notes == [("unmapped_glyphs", "page 1: 1 glyph without Unicode that no route could tell: kept as "
                      "U+FFFD: ไม\ufffd")]  # fmt: skip


def test_the_acrobat_volume_keeps_no_unmapped_glyph(routes: collections.Counter[str]) -> None:
    """budget2565_doc3_vol14.pdf: 3,753 glyphs without Unicode (Acrobat 9's high tone marks),
    all but a handful told by the fonts' outlines."""
    from bench.text_layer_bench import one_letter_share, pdfium_text

    source = REAL / "budget2565_doc3_vol14.pdf"
    text = render(pdf.read(source, NO_OCR), NO_OCR)
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("=== page", "# ")))
    assert body.count("\ufffd") == 0
    assert routes["font"] >= 3700 and routes["left"] == 0
    assert one_letter_share(body)[0] <= one_letter_share(pdfium_text(source))[0]
    assert "ทั้งสิ้น" in body and "ท\ufffdัง" not in body


def test_a_huge_word_box_is_rendered_for_ocr_within_its_pixel_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A word drawn across a 200-inch page is read at a lower dpi, not as a 60000-pixel-wide bitmap."""
    from PIL import Image

    from thaiplan.extract import ocr_read

    scales: list[float] = []

    class Page:  # as pypdfium2's page: its size in points and a render of a crop
        def get_width(self) -> float:
            return 14400.0

        def get_height(self) -> float:
            return 14400.0

        def render(self, scale: float, crop: tuple[float, ...], grayscale: bool) -> object:
            scales.append(scale)
            left, bottom, right, top = crop
            size = (round((14400 - left - right) * scale), round((14400 - top - bottom) * scale))
            return type("Bitmap", (), {"to_pil": lambda self: Image.new("L", size, 255)})()

    monkeypatch.setattr(ocr_read, "tesseract_status", lambda: None)
    monkeypatch.setattr(ocr_read, "run_tesseract", lambda images, psm, dpi: [(image, "ทั้ง") for image in images])
    assert pdf_repair.read_boxes(Page(), [(0, 100, 14000, 1500), (10, 10, 60, 24)]) == ["ทั้ง", "ทั้ง"]
    huge, word = scales
    assert 14000 * 1400 * huge**2 <= pdf_repair.OCR_BOX_MPIXELS * 1_000_000 * (1 + 1e-9)  # float rounding only
    assert word == pdf_repair.OCR_DPI / 72  # an ordinary word at full resolution
