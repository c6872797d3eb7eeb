"""Which text to believe, per page (extract/pdf_layer.py), and glyph spacing from the
font's advances (extract/pdf_chars.py): fixtures imitating each producer, and the
real Reporting Services report and notice scan (tests/data/real/SOURCES.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from tests import layer_fixtures
from thaiplan.extract import pdf
from thaiplan.extract.model import PageRead
from thaiplan.extract.ocr import tesseract_available
from thaiplan.extract.pdf_chars import UNMAPPED, Glyph, build_lines
from thaiplan.extract.pdf_mark_shapes import ABOVE
from thaiplan.extract.pdf_repair import DocumentMarks, only_marks, repair_unmapped
from thaiplan.settings import Settings
from thaiplan.textdump import render

REAL = Path(__file__).parent / "data" / "real"
NO_OCR = replace(Settings(), pdf=replace(Settings().pdf, ocr=False))
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract with tha is not installed")


def _body(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith(("=== page", "# "))]


def test_placed_glyphs_get_no_spaces_inside_words(tmp_path: Path) -> None:
    path = layer_fixtures.placed_glyphs(tmp_path / "acrobat.pdf", ["รายงานประจำปี ทั้งสิ้น", "123,666,900 บาท"])
    document = pypdfium2.PdfDocument(str(path))
    textpage = document[0].get_textpage()
    assert pdfium_c.FPDFText_GetFontSize(textpage.raw, 0) == 1.0  # `1 Tf`: the size is in the matrix, as Acrobat writes
    textpage.close()
    document.close()
    raw = pdf.read(path, NO_OCR)
    assert _body(render(raw, NO_OCR)) == ["รายงานประจำปี ทั้งสิ้น", "123,666,900 บาท"]
    assert raw.page_reads == (PageRead(1, "text", "layer_reads"),)


def test_glyph_ids_are_mapped_back_through_the_embedded_font(tmp_path: Path) -> None:
    lines = ["เงินเดือนนายก/รองนายก ประจำตำแหน่ง", "รวมงบบุคลากร 637,560.00"]
    path = layer_fixtures.glyph_id_layer(tmp_path / "reporting_services.pdf", lines)
    raw = pdf.read(path, NO_OCR)
    assert _body(render(raw, NO_OCR)) == lines
    assert raw.page_reads == (PageRead(1, "text", "repaired_glyph_ids"),)


def test_an_invisible_latin_layer_over_a_scan_goes_to_ocr(tmp_path: Path) -> None:
    path = layer_fixtures.invisible_scan(tmp_path / "scan.pdf")
    raw = pdf.read(path, NO_OCR)
    assert raw.page_reads == (PageRead(1, "none", "invisible_layer"),)
    assert not raw.lines and not raw.tables  # the gibberish is not taken as text
    assert any("invisible" in n.message for n in raw.notes if n.kind == "unusable_text_layer")


def test_a_visible_latin_layer_over_a_page_image_goes_to_ocr(tmp_path: Path) -> None:
    path = layer_fixtures.invisible_scan(tmp_path / "scan.pdf", visible=True)
    raw = pdf.read(path, NO_OCR)
    assert raw.page_reads == (PageRead(1, "none", "latin_over_image"),)
    assert not raw.lines and not raw.tables
    assert any("Latin-only" in n.message for n in raw.notes if n.kind == "unusable_text_layer")


@needs_tesseract
def test_an_invisible_latin_layer_scan_is_read_by_ocr(tmp_path: Path) -> None:
    raw = pdf.read(layer_fixtures.invisible_scan(tmp_path / "scan.pdf"))
    assert raw.page_reads == (PageRead(1, "ocr", "invisible_layer"),) and raw.ocr_pages == (1,)
    assert "ถนน" in render(raw)


def _glyph(ch: str, x: float, advance: float, code: int = 0, above: bool = False) -> Glyph:
    top = 2.0 if above else 6.0
    return Glyph(ch, x, x + max(advance, 1.5), top, 10.0 if not above else 4.0, 10.0, 10.0, x, x + advance, code=code)


def test_unmapped_marks_are_chosen_by_the_word_list_and_the_glyph_code_vote() -> None:
    assert only_marks(tuple("ท\ufffdังสิ\ufffdน"), (1, 6), (ABOVE, ABOVE)) == ("้", "้")
    # ทั้งสิ้น drawn with its tone marks unmapped (code 0xCA), as budget2565_doc3_vol14.pdf does
    word = [_glyph("ท", 0, 5), _glyph(UNMAPPED, 2, 0, 0xCA, True), _glyph("ั", 2, 0, above=True), _glyph("ง", 5, 5),
            _glyph("ส", 10, 5), _glyph("ิ", 12, 0, above=True), _glyph(UNMAPPED, 13, 0, 0xCA, True), _glyph("น", 15, 5)]  # fmt: skip
    state = DocumentMarks()
    repair = repair_unmapped(word, state)
    assert repair.routes == {"words": 2}
    assert build_lines(repair.glyphs)[0].text == "ทั้งสิ้น"
    assert repair.notes == [("guessed_marks", "1 word with glyphs that have no Unicode, given the only marks that "
                             "make dictionary words (a guess): ทั้งสิ้น")]  # fmt: skip
    # a letter (it moves the pen) is never guessed: it stays U+FFFD, with a finding
    letter = [_glyph("ท", 0, 5), _glyph(UNMAPPED, 5, 5, 0x41), _glyph("ง", 10, 5)]
    kept = repair_unmapped(letter)
    assert kept.routes == {"left": 1} and kept.glyphs == letter
    assert kept.notes == [("unmapped_glyphs", "1 glyph without Unicode that no route could tell: kept as U+FFFD: "
                           "ท\ufffdง")]  # fmt: skip
    # the vote: a code the dictionary settled elsewhere in the document gets its mark where it cannot
    odd = [_glyph("ฮ", 0, 5), _glyph(UNMAPPED, 2, 0, 0xCA, True), _glyph("ฮ", 5, 5)]
    voted = repair_unmapped(odd, state)
    assert voted.glyphs[1].ch == "้" and voted.routes == {"vote": 1}
    assert voted.notes[0][0] == "guessed_marks" and "other words of the document" in voted.notes[0][1]
    # two readings the word list knows equally (ไม่ not, ไม้ wood): no pick
    assert only_marks(tuple("ไม\ufffd"), (2,), ("่้",)) == ("",)


def test_reporting_services_report_is_repaired_with_its_decimals() -> None:
    raw = pdf.read(REAL / "poknoi_budget2560_report.pdf", NO_OCR)
    assert raw.pages == 28 and {r.rule for r in raw.page_reads} == {"repaired_glyph_ids"}
    text = render(raw, NO_OCR)
    assert "เงินเดือนนายก/รองนายก\t\t0.00\t0.00\t637,560.00\t695,520\t\t0 %\t695,520" in text
    assert "รวมงบบุคลากร" in text and "เทศบาลตำบลพอกน้อย" in text and UNMAPPED not in text


def test_the_notice_scans_latin_layer_is_not_trusted() -> None:
    raw = pdf.read(REAL / "saiyoi_projects_notice_scan.pdf", NO_OCR)
    assert raw.page_reads == (PageRead(1, "none", "invisible_layer"),)
    assert not raw.lines and not raw.tables


@needs_tesseract
def test_the_notice_scan_is_read_by_ocr() -> None:
    raw = pdf.read(REAL / "saiyoi_projects_notice_scan.pdf")
    assert raw.ocr_pages == (1,) and raw.read_by == "ocr"
    text = render(raw)
    assert "ประกาศ" in text or "สอบราคา" in text or "โครงการ" in text


def test_the_word_list_is_asked_only_until_the_pages_fonts_have_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed PDF's 35 pages share their fonts: once a page's fonts read as dictionary
    words, later pages of those fonts skip the word list, with the same verdicts and text."""
    from thaiplan.extract import pdf_fonts, pdf_layer

    asked: list[str] = []
    share = pdf_layer.thai_word_share

    def counted(text: str, *args: object, **kwargs: object) -> float | None:
        asked.append(text)
        return share(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_layer, "thai_word_share", counted)
    sample = Path(__file__).parents[1] / "samples" / "seed_plan.pdf"
    quick = pdf.read(sample, NO_OCR)
    assert quick.pages == 35 and 1 <= len(asked) <= 5
    asked.clear()
    monkeypatch.setattr(pdf_fonts.FontTexts, "read_as_words", property(lambda self: set(), lambda self, v: None), raising=False)
    every = pdf.read(sample, NO_OCR)
    assert len(asked) == 35
    assert quick.page_reads == every.page_reads and quick.tables == every.tables and quick.lines == every.lines
