"""`thaiplan debug`: the page drawn with the grid where the readers found it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from thaiplan.cli import main
from thaiplan.debug import GRID, page_document, row_marks
from thaiplan.extract.model import Cell
from thaiplan.extract.ocr import tesseract_available
from thaiplan.families.anticorruption import FAMILY as ANTICORRUPTION

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _pixels(png: Path) -> np.ndarray:
    with Image.open(png) as image:
        assert image.mode == "RGB"
        return np.asarray(image)


def _is_grid(pixels: np.ndarray, x: int, y: int) -> bool:
    return tuple(int(v) for v in pixels[y, x]) == GRID


def _patch(pixels: np.ndarray, x: int, y: int) -> tuple[int, int, int]:
    """The median colour around (x, y): a scan's speckles left out."""
    r, g, b = np.median(pixels[y - 3 : y + 4, x - 3 : x + 4].reshape(-1, 3), axis=0)
    return int(r), int(g), int(b)


def _check_drawing(png: Path, source: Path, page: int, dpi: int = 144) -> None:
    view = page_document(source, page, dpi=dpi)
    pixels = _pixels(png)
    scale = dpi / 72
    assert pixels.shape[1] == view.image.size[0] and pixels.shape[0] > view.image.size[1]  # a legend strip below
    cells = view.cells()
    assert len(cells) >= 6

    def px(cell: Cell) -> tuple[int, int, int, int]:
        assert cell.bbox is not None
        x0, top, x1, bottom = (round(v * scale) for v in cell.bbox)
        return x0, top, x1, bottom

    for cell in cells:  # all four edges of every cell, sampled along their length
        x0, top, x1, bottom = px(cell)
        for y in np.linspace(top + 3, bottom - 3, 7).astype(int):
            assert _is_grid(pixels, x0, y) and _is_grid(pixels, x1, y), (cell.text, y)
        for x in np.linspace(x0 + 3, x1 - 3, 7).astype(int):
            assert _is_grid(pixels, x, top) and _is_grid(pixels, x, bottom), (cell.text, x)
    table_top = min(px(c)[1] for c in cells)
    middle = pixels.shape[1] // 2
    assert not _is_grid(pixels, middle, table_top // 2)  # the empty margin above the table
    marks = row_marks(view.document.tables, page, ANTICORRUPTION.vocabulary)
    header = next(m for m in marks if m.role == "header")
    x0, top, x1, bottom = px(header.row.cells[-1])  # หมายเหตุ: text only at its top left
    r, g, b = _patch(pixels, x1 - (x1 - x0) // 6, bottom - (bottom - top) // 6)
    assert b > r + 15 and b > g + 10  # the header's blue tint
    data = next(m for m in marks if m.role == "data")
    empty = next(c for c in data.row.cells if c.page == page and not c.text.strip())
    x0, top, x1, bottom = px(empty)
    r, g, b = _patch(pixels, (x0 + x1) // 2, (top + bottom) // 2)
    assert not _is_grid(pixels, (x0 + x1) // 2, (top + bottom) // 2)
    assert g > r + 15 and g > b + 10  # the data rows' green tint


def test_text_layer_page_drawn_with_its_grid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    source = SAMPLES / "seed_plan.pdf"
    monkeypatch.chdir(tmp_path)
    assert main(["debug", str(source), "--page", "3"]) == 0
    png = tmp_path / "seed_plan-page3.png"  # the default name
    assert "page 3, read by its text layer" in capsys.readouterr().out
    _check_drawing(png, source, 3)


@pytest.mark.skipif(not tesseract_available(), reason="tesseract with its Thai model is not installed")
def test_scanned_page_drawn_with_its_grid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = SAMPLES / "seed_plan_scan_200dpi.pdf"
    png = tmp_path / "scan.png"
    assert main(["debug", str(source), "--page", "3", "-o", str(png)]) == 0  # OCR of page 3 only
    assert "page 3, read by OCR" in capsys.readouterr().out
    _check_drawing(png, source, 3)  # the page's OCR comes from the cache now


@pytest.mark.parametrize("page", [40, 0])
def test_page_out_of_range_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], page: int) -> None:
    source = SAMPLES / "seed_plan.pdf"
    png = tmp_path / "x.png"
    assert main(["debug", str(source), "--page", str(page), "-o", str(png)]) == 1
    err = capsys.readouterr().err
    assert err == f"{source}: page {page} does not exist: the PDF has 35 pages; give --page 1..35\n"
    assert not png.exists()


def test_a_file_without_pages_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = SAMPLES / "seed_plan.docx"
    assert main(["debug", str(source), "-o", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"{source}: a docx file has no page images to draw; ")


def test_unwritable_output_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no" / "such" / "x.png"
    assert main(["debug", str(SAMPLES / "seed_plan.pdf"), "--page", "1", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"{out}: cannot write the image")


@pytest.mark.parametrize("kind", ["pdf", "png"])
def test_a_huge_page_is_drawn_within_the_render_budget(tmp_path: Path, kind: str) -> None:
    """A 200-inch PDF page (at 144 dpi: an 830 Mpx bitmap) and a 140 Mpx scan are drawn
    at most ocr.max_render_mpixels big, under the 2 GB cap, in one run."""
    from PIL import Image

    from tests.hostile_files import pdf_big_page, run_thaiplan

    source = tmp_path / f"big.{kind}"
    if kind == "pdf":
        source.write_bytes(pdf_big_page(200))
    else:
        Image.new("1", (14_000, 10_000), 1).save(source)
    png = tmp_path / "big-page1.png"
    ran = run_thaiplan("debug", source, "--page", "1", "-o", png, "--set", "pdf.ocr=false", cwd=tmp_path)
    assert ran.code == 0 and "Traceback" not in ran.stderr, ran
    assert ran.peak_mb < 2048, ran
    with Image.open(png) as drawn:
        legend = drawn.height - drawn.width * (1 if kind == "pdf" else 10_000 / 14_000)
        assert drawn.width * (drawn.height - legend) <= 36_000_000 < 14_000 * 10_000
        assert drawn.width >= 5_000  # reduced to the budget, not to a thumbnail
