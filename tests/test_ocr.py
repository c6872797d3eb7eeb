"""OCR of scanned plans: the seed plan built as a Word table, exported by
LibreOffice, "scanned" at 200 and 300 dpi (grey, skewed 0.5-1°, speckled),
read back. Skipped only where tesseract (with tha) or LibreOffice is missing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.builders import (
    SCAN_LAYOUT,
    ExpectedCell,
    build_seed_docx,
    plan_layout,
    scanned_pages,
    seed_table,
    to_pdf,
)
from tests.ocr_score import score
from thaiplan.errors import OcrUnavailable
from thaiplan.extract import ocr
from thaiplan.extract.model import Cell, Row, Table
from thaiplan.extract.ocr_grid import binarize, deskew, find_tables, ruling_masks
from thaiplan.extract.thai_digits import load_model, read_number

needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract with tha is not installed")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed as a Word table with merged cells (SCAN_LAYOUT), exported by LibreOffice."""
    folder = tmp_path_factory.mktemp("ocr")
    return to_pdf(build_seed_docx(folder / "seed.docx", SCAN_LAYOUT), folder)


@pytest.fixture(scope="session")
def layout() -> list[ExpectedCell]:
    return plan_layout(seed_table()[1][1:])


@pytest.fixture(scope="session", params=[200, 300])
def scanned(request: pytest.FixtureRequest, seed_pdf: Path, layout: list[ExpectedCell]):
    dpi = request.param
    images = scanned_pages(seed_pdf, dpi)
    tables, lines, notes = ocr.ocr_images(images)
    return dpi, tables, lines, notes, score(layout, tables)


@needs_soffice
@needs_tesseract
def test_scan_numbers_read_exactly(scanned) -> None:
    dpi, _, _, _, score = scanned
    # Measured (see report): 300 dpi all exact but one code; 200 dpi a few misses.
    floor = 0.97 if dpi >= 300 else 0.9
    for name in ("codes", "budgets", "period_numbers"):
        right, total = getattr(score, name)
        assert total and right / total >= floor, (dpi, name, score.failures)


@needs_soffice
@needs_tesseract
def test_scan_names_character_accuracy(scanned) -> None:
    _, _, _, _, score = scanned
    assert score.char_accuracy["name"] >= 0.97, score.char_accuracy
    assert score.char_accuracy["mission"] >= 0.97, score.char_accuracy


@needs_soffice
@needs_tesseract
def test_scan_title_and_merged_cells(scanned) -> None:
    _, tables, lines, _, _ = scanned
    assert lines and "แผนปฏิบัติการ" in lines[0].text and lines[0].page == 1
    cells = [cell for table in tables for row in table.rows for cell in row.cells]
    assert all(cell.method == "ocr" and cell.bbox is not None for cell in cells)
    assert any(cell.row_span > 1 and cell.col == 0 for cell in cells)  # dimension merged down its rows
    assert any(cell.col_span == 2 and "รวม" in cell.text for cell in cells)  # total label across 2 columns
    assert all(cell.confidence is None or 0 <= cell.confidence <= 100 for cell in cells)


@needs_soffice
@needs_tesseract
def test_second_run_uses_cache(seed_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("THAIPLAN_CACHE", str(tmp_path))
    monkeypatch.delenv("THAIPLAN_NO_CACHE", raising=False)
    load_model.cache_clear()
    start = time.perf_counter()
    first = ocr.ocr_pages(seed_pdf, [1, 2])
    cold = time.perf_counter() - start
    start = time.perf_counter()
    second = ocr.ocr_pages(seed_pdf, [1, 2])
    warm = time.perf_counter() - start
    load_model.cache_clear()
    assert first == second
    assert warm < cold / 2
    assert any(cell.bbox[2] <= 842 for t in first[0] for r in t.rows for cell in r.cells)  # PDF points


def test_deskew_and_grid_with_merges() -> None:
    page = np.full((800, 1200), 255, np.uint8)
    for y in (100, 300, 500, 700):
        page[y : y + 3, 100:1100] = 0
    for x in (100, 400, 1100):
        page[100:703, x : x + 3] = 0
    page[300:303, 100:400] = 255  # left column merged over rows 1-2
    page[300:303, 100:403] = 255
    tilted = np.asarray(Image.fromarray(page).rotate(0.8, fillcolor=255))
    straight, angle = deskew(tilted)
    assert abs(angle + 0.8) < 0.15
    binary = binarize(straight)
    tables = find_tables(binary, *ruling_masks(binary))
    assert len(tables) == 1
    spans = sorted((c.row, c.col, c.row_span, c.col_span) for c in tables[0].cells)
    assert spans == [(0, 0, 2, 1), (0, 1, 1, 1), (1, 1, 1, 1), (2, 0, 1, 1), (2, 1, 1, 1)]


@pytest.mark.parametrize("number", ["๒๕๖๓", "๔๗๘,๙๖๐.-", "๒.๓.๑", "2563", "๒.๒.๓", "๓๑๕", "๓๐,๐๐๐.-"])
def test_digit_recogniser_reads_rendered_numbers(number: str) -> None:
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/tlwg/Garuda.ttf", 40)
    image = Image.new("L", (400, 90), 0)
    ImageDraw.Draw(image).text((10, 10), number, fill=255, font=font)
    ink = (np.asarray(image) > 128).astype(np.uint8) * 255
    reading = read_number(ink, number)
    assert reading is not None and reading.text == number


def test_code_sequence_notes() -> None:
    cells = [Cell("๒.๑ ก", 1, "ocr", 1), Cell("๒.๒ ข", 1, "ocr", 1), Cell("๒.๒.๑ ค", 1, "ocr", 1),
             Cell("๖๖.๓ ง", 1, "ocr", 2)]  # fmt: skip
    notes = ocr.code_sequence_notes([Table((Row(tuple(cells)),))])
    assert [(n.kind, n.page) for n in notes] == [("ocr_code_sequence", 2)]


def test_missing_tesseract_raises_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from thaiplan.extract import ocr_read

    monkeypatch.setattr(ocr_read, "tesseract_status", lambda: "tesseract is not installed")
    monkeypatch.setattr(ocr, "tesseract_status", lambda: "tesseract is not installed")
    assert not ocr.tesseract_available()
    with pytest.raises(OcrUnavailable) as caught:
        ocr.ocr_images([Image.new("L", (10, 10), 255)])
    assert "tesseract-ocr-tha" in caught.value.hint and "\n" not in str(caught.value)


def test_image_reader_missing_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from thaiplan.extract import image, ocr_read

    monkeypatch.setattr(ocr_read, "tesseract_status", lambda: "tesseract has no tha language model")
    path = tmp_path / "scan.png"
    Image.new("L", (10, 10), 255).save(path)
    with pytest.raises(OcrUnavailable):
        image.read(path)


def _drawn(text: str, size: int = 40, advance: float | None = None) -> np.ndarray:
    """Ink (255 on 0) of text in Garuda; `advance` (em) places each glyph by hand."""
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/tlwg/Garuda.ttf", size)
    image = Image.new("L", (30 + len(text) * size, 2 * size + 10), 0)
    draw = ImageDraw.Draw(image)
    if advance is None:
        draw.text((10, 10), text, fill=255, font=font)
    else:
        for index, char in enumerate(text):
            draw.text((10 + index * advance * size, 10), char, fill=255, font=font)
    return (np.asarray(image) > 128).astype(np.uint8) * 255


def test_touching_digits_are_cut_apart() -> None:
    """A blurred scan joins the tail of ๕ to ๖. tests/data/ocr_touching_2563.png is
    that word as our pipeline cut it from a 200-dpi scan of samples/seed_plan.pdf
    (page 10, builders.scanned_pages), binarised: tesseract read ๒๕๒๓ and the
    recogniser, before touching digits were cut apart, ๒๔๓."""
    from thaiplan.extract.thai_digits import segment

    ink = 255 - np.asarray(Image.open(Path(__file__).parent / "data" / "ocr_touching_2563.png").convert("L"))
    assert len(segment(ink, 4)) == 4
    reading = read_number(ink, "๒๕๒๓")
    assert reading is not None and reading.text == "๒๕๖๓"


def _ink_box(ink: np.ndarray, top: int) -> tuple[int, int, int, int]:
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return int(columns[0]), top + int(rows[0]), int(columns[-1]) + 1, top + int(rows[-1]) + 1


def test_a_code_on_a_line_tesseract_dropped_is_put_back() -> None:
    from thaiplan.extract.ocr_read import Word, _with_dropped_lines

    lines = [_drawn("ทุจริต"), _drawn("๔.๔.๑"), _drawn("ส่งเสริม")]
    width = max(line.shape[1] for line in lines)
    page = np.vstack([np.pad(line, ((0, 0), (0, width - line.shape[1]))) for line in lines])
    height = lines[0].shape[0]
    words = [Word("ทุจริต", _ink_box(lines[0], 0), 95.0, (1, 1, 1)),
             Word("ส่งเสริม", _ink_box(lines[2], 2 * height), 95.0, (1, 1, 3))]  # fmt: skip
    got = _with_dropped_lines(list(words), page, 4)
    assert [w.text for w in got] == ["ทุจริต", "๔.๔.๑", "ส่งเสริม"]
    assert _with_dropped_lines([words[0]], page[:height], 4) == [words[0]]  # nothing dropped: nothing added


@pytest.mark.parametrize("dpi", [200, 300])
def test_grid_found_at_half_size_matches_full_size(dpi: int, seed_plan_scans: Callable[[int], list]) -> None:
    """A page's grid is measured at half size for speed: the same rulings and cells,
    within two pixels, as at full size (a page of samples/seed_plan.pdf, scanned)."""
    from thaiplan.extract import ocr_grid

    page = seed_plan_scans(dpi)[3]
    straight, _ = deskew(np.asarray(page))
    binary = binarize(straight)
    full_side, ocr_grid.HALF_SCALE_SIDE = ocr_grid.HALF_SCALE_SIDE, 10**6
    try:
        full, _ = ocr_grid.page_grid(binary)
    finally:
        ocr_grid.HALF_SCALE_SIDE = full_side
    half, rulings = ocr_grid.page_grid(binary)
    assert len(full) == len(half) == 1
    assert [(c.row, c.col, c.row_span, c.col_span) for c in full[0].cells] == [
        (c.row, c.col, c.row_span, c.col_span) for c in half[0].cells
    ]
    assert all(abs(a - b) <= 2 for a, b in zip(full[0].xs + full[0].ys, half[0].xs + half[0].ys, strict=True))
    assert rulings.shape == binary.shape


def test_code_cut_at_a_dot_is_joined() -> None:
    from thaiplan.extract.ocr_read import Word, _join_split_code

    parts = [Word("๒.๕", (0, 0, 40, 30), 90.0, (1, 1, 1)), Word(".ดต", (42, 0, 70, 30), 60.0, (1, 1, 1)),
             Word("ดำเนินการ", (80, 0, 200, 30), 95.0, (1, 1, 1))]  # fmt: skip
    joined = _join_split_code(parts)
    assert [(w.text, w.box) for w in joined] == [("๒.๕.ดต", (0, 0, 70, 30)), ("ดำเนินการ", (80, 0, 200, 30))]
    words = [Word("การ", (0, 0, 40, 30), 90.0, (1, 1, 1)), Word(".", (42, 0, 50, 30), 60.0, (1, 1, 1))]
    assert _join_split_code(words) == words  # no code: left alone


def test_a_page_of_a_solid_band_only_is_blank_and_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scanner's dark border with nothing else on the page (the hostile TIFF's frames): a
    blank page that says why, without a trip to tesseract (which read the band as `-`)."""
    from thaiplan.extract import ocr_page
    from thaiplan.settings import Settings

    monkeypatch.setattr(ocr_page, "run_tesseract", lambda *args: pytest.fail("tesseract ran on a blank page"))
    page = np.full((3508, 2480), 255, np.uint8)
    page[:211] = 0  # a black band across the top, 0.7 inch at 300 dpi
    result = ocr_page.read_page(page, 3, Settings().ocr, 300)
    assert result["lines"] == [] and result["tables"] == []
    assert [n["message"] for n in result["notes"]] == [
        "page 3 is blank but for 1 solid dark area (a scanner's border?): nothing to read"
    ]


def test_solid_areas_are_painted_as_paper_and_glyphs_kept() -> None:
    from thaiplan.extract.ocr_grid import without_solid_areas

    grey = np.full((600, 600), 250, np.uint8)
    grey[10:200, 10:300] = 5  # a solid block, 0.95 x 0.63 inch at 300 dpi
    grey[400:440, 100:104] = 0  # a stroke: thin
    grey[400:440, 200:240] = 0  # a filled square of 0.13 inch: glyph-sized (a bullet), kept
    grey[300:380, 300:380] = 0
    grey[310:370, 310:370] = 250  # a box outline of 0.27 inch: not filled, kept
    cleaned, binary, found = without_solid_areas(grey, binarize(grey), 300)
    assert found == 1
    assert (cleaned[10:200, 10:300] == 250).all() and not binary[10:200, 10:300].any()
    assert (cleaned[400:440, 100:104] == 0).all() and (cleaned[400:440, 200:240] == 0).all()
    assert (cleaned[300:310, 300:380] == 0).all()
    untouched = np.full((100, 100), 250, np.uint8)
    assert without_solid_areas(untouched, binarize(untouched), 300)[2] == 0
