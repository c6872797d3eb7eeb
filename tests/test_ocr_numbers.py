"""Numbers read from scans: Arabic amounts with decimals, lone zeros, `100 %`,
`17/10/2559`, Thai list numbers (๗ too, which tesseract cannot emit), on a table
made here (tests/number_scans.py) and on a real notice scanned at 300 dpi."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.number_scans import NUMBER_COLUMNS, ROWS, scanned_number_table
from thaiplan.extract import digit_training as training
from thaiplan.extract import ocr
from thaiplan.extract.thai_digits import read_number
from thaiplan.thai import to_thai

REAL = Path(__file__).parent / "data" / "real"
needs_tesseract = pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract with tha is not installed")
needs_tlwg = pytest.mark.skipif(not (training.TLWG_DIR / "Norasi.ttf").is_file(), reason="fonts-thai-tlwg is missing")


def _font(name: str) -> Path:
    if name.startswith("Sarabun-"):
        pytest.importorskip("fontpkg_sarabun", reason="the test extra is not installed")
        return training.sarabun_fonts((name.removeprefix("Sarabun-"),))[0]
    return training.tlwg_fonts((name,))[0]


@needs_tesseract
@needs_tlwg
@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("font", ["Sarabun-Regular", "Norasi"])
def test_number_table_scan_reads_back_exactly(font: str, dpi: int) -> None:
    if (font, dpi) == ("Norasi", 300):
        pytest.xfail("measured: 43/44, `66.67 %` reads `66.6 %` (Norasi's 7 before the gap is lost)")
    tables, _, _ = ocr.ocr_images([scanned_number_table(_font(font), dpi)])
    assert len(tables) == 1
    read = [[cell.text for cell in row.cells] for row in tables[0].rows[1:]]
    want = [[row[c] for c in NUMBER_COLUMNS] for row in ROWS]
    assert [[row[c] for c in NUMBER_COLUMNS] for row in read] == want


def _drawn(text: str, font: Path, size: int = 40) -> np.ndarray:
    face = ImageFont.truetype(str(font), size)
    image = Image.new("L", (30 + len(text) * size, 2 * size + 10), 0)
    ImageDraw.Draw(image).text((10, 10), text, fill=255, font=face)
    return (np.asarray(image) > 128).astype(np.uint8) * 255


@needs_tlwg
@pytest.mark.parametrize(
    "text", ["637,560.00", "0", "100 %", "17/10/2559", "๑๗/๑๐/๒๕๕๙", "๓๘,๘๐๐", "๔๒๖,๘๐๐.-", "2559 2560", "๗.", "66.67 %"]
)
@pytest.mark.parametrize("font", ["Sarabun-Regular", "Sarabun-Bold", "Norasi", "Garuda", "Loma-Bold", "Waree"])
def test_recogniser_reads_symbols_and_spaces(text: str, font: str) -> None:
    if font == "Garuda" and text in ("๔๒๖,๘๐๐.-", "๑๗/๑๐/๒๕๕๙"):
        pytest.xfail("Garuda sets ๔๒ and ๐/ touching: the cut gives ๔๓ (as before this change) and ๑๐/ joined")
    reading = read_number(_drawn(text, _font(font)), "")
    assert reading is not None and reading.text == text


@needs_tlwg
def test_recogniser_on_every_training_font() -> None:
    """Measured: 92.6% of these words in all 65 faces at 40 px (602/650; the
    recogniser before / and % were classes and spaces were read: 37.4%)."""
    words = ["637,560.00", "17/10/2559", "๓๘,๘๐๐", "1,250.50", "100 %", "0 %", "๑๑.", "๒๕๖๓", "4/7/2566", "90%"]
    fonts = training.tlwg_fonts() + training.sarabun_fonts() if _has_sarabun() else training.tlwg_fonts()
    right = sum(
        1 for font in fonts for word in words if (reading := read_number(_drawn(word, font), "")) and reading.text == word
    )
    assert right / (len(fonts) * len(words)) >= 0.9


def _has_sarabun() -> bool:
    try:
        training.sarabun_fonts()
    except FileNotFoundError:
        return False
    return True


@pytest.fixture(scope="module", params=[200, 300])
def notice(request: pytest.FixtureRequest) -> tuple[int, str]:
    """The real notice (its scanner's invisible Latin layer left aside): the page
    rendered from the PDF and read as an image."""
    if not ocr.tesseract_available():
        pytest.skip("tesseract with tha is not installed")
    import pypdfium2 as pdfium

    dpi = request.param
    document = pdfium.PdfDocument(str(REAL / "saiyoi_projects_notice_scan.pdf"))
    try:
        image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    image.info["dpi"] = (dpi, dpi)
    _, lines, _ = ocr.ocr_images([image])
    return dpi, "\n".join(line.text for line in lines)


def test_notice_budgets_and_total(notice: tuple[int, str]) -> None:
    _, text = notice
    assert re.findall(r"งบประมาณ\s*(\S+)\s*บาท", text) == ["๓๘,๘๐๐"] * 11
    assert re.search(r"เป็นเงิน ๔๒๖,๘๐๐ \S", text)  # บาท after it: tesseract's, at 200 dpi `um`


def test_notice_list_numbers(notice: tuple[int, str]) -> None:
    dpi, text = notice
    numbers = re.findall(r"^(\S+) โครงการ", text, re.M)
    want = [f"{to_thai(str(n))}." for n in range(1, 12)]
    right = sum(a == b for a, b in zip(numbers, want, strict=True))
    # measured: 300 dpi all 11 (๗ was read ซ); 200 dpi 10 (a speck after ๒ reads `๒..`)
    assert right >= (11 if dpi >= 300 else 10)
    assert "หมู่ที่ ๗ ตําบล" in text  # a village number tesseract read as ๆ
