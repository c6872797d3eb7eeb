"""report.html as a person sees it: the index, one page per document, the
disagreeing figures with the printed row, the numbers and a picture of the
page; checked by parsing the HTML and, in headless Chromium, by a screenshot."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest
from PIL import Image

from tests.conftest import ROOT
from tests.ocr_recording import RECORDING
from thaiplan.crops import OUTLINE
from thaiplan.runner import run

SAMPLES = ["seed_plan.pdf", "seed_plan.docx", "fouryear_2561-2564.txt", "seed_plan_scan_200dpi.pdf"]
REPLAY = {"jobs": 2, "ocr.engine": "replay", "ocr.replay_file": str(RECORDING)}  # the scan without tesseract


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report") / "out"
    previous = Path.cwd()
    try:
        os.chdir(ROOT)  # sources recorded relative to the repository, as a user in it would type them
        result = run([Path("samples") / name for name in SAMPLES], folder, REPLAY)
    finally:
        os.chdir(previous)
    assert [f.status for f in result.files] == ["converted"] * len(SAMPLES)
    return folder


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []
        self.checks: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "img":
            self.images.append(values.get("src") or "")
        if tag == "tr" and values.get("data-check"):
            self.checks.append(values["data-check"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _mismatches(out: Path) -> list[dict[str, str]]:
    with (out / "reconciliation.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["status"] == "mismatch"]


def test_every_link_resolves_and_every_mismatch_appears_once(out: Path) -> None:
    index = _parse(out / "report.html")
    pages = sorted(out.glob("report/*.html"))
    assert len(pages) == len(SAMPLES)
    for page_path, page in [(out / "report.html", index), *((p, _parse(p)) for p in pages)]:
        for link in page.links:
            target = unquote(link.split("#", 1)[0])
            resolved = (page_path.parent / target).resolve()
            assert target and resolved.is_file(), f"{page_path.name}: {link} does not resolve"
            if "samples/" in target:  # a source file: that very file (not one found by luck above the root)
                assert resolved == (ROOT / "samples" / Path(target).name).resolve(), link
    assert {p.name for p in pages} == {link.split("/")[-1] for link in index.links}
    expected = sorted(f"{m['doc_id']}|{m['table']}|{m['scope']}|{m['quantity']}|{m['fiscal_year']}"
                      for m in _mismatches(out))  # fmt: skip
    found = sorted(f"{p.stem}|{key}" for p in pages for key in _parse(p).checks)
    assert found == expected
    assert len(expected) == 8  # two per sample: the seed's dimension 2, the four-year plan's amounts


def test_the_index_orders_documents_by_their_mismatches_and_counts_findings(out: Path) -> None:
    text = " ".join(_parse(out / "report.html").text)
    assert "เอกสารเรียงตามขนาดของความไม่ตรงกัน" in text  # Thai first
    # the four-year plan disagrees by 10,000 baht: the largest, so it comes first
    first = text.index("fouryear_2561-2564.txt")
    assert all(first < text.index(name) for name in SAMPLES if name != "fouryear_2561-2564.txt")
    assert "10,000" in text
    assert "ผลรวมย่อยไม่ตรงกับยอดรวมทั้งสิ้น" in text  # a finding kind, named in Thai, with its count


def test_pdf_and_scan_pages_picture_the_row_and_docx_shows_it_as_a_table(out: Path) -> None:
    by_source = {}
    for page in out.glob("report/*.html"):
        parsed = _parse(page)
        source = next(link for link in parsed.links if "samples/" in link).split("samples/")[-1]
        by_source[unquote(source)] = parsed
    for name in ("seed_plan.pdf", "seed_plan_scan_200dpi.pdf"):
        (image,) = by_source[name].images
        assert image.startswith("data:image/png;base64,")
    docx = by_source["seed_plan.docx"]
    assert docx.images == []
    assert "๘ กิจกรรม , ๔ มาตรการ" in docx.text  # the printed cell, as written, a cell of its own


def test_english_on_request(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "samples", ignore=shutil.ignore_patterns("*.pdf", "*.docx"))
    out = tmp_path / "out"
    run([tmp_path / "samples"], out, {"report.lang": "en"})
    text = " ".join(_parse(out / "report.html").text)
    assert "Documents by the size of their mismatches" in text
    run([tmp_path / "samples"], out, {"report.lang": "th"})  # nothing to convert: the words still change
    assert "เอกสารเรียงตามขนาดของความไม่ตรงกัน" in " ".join(_parse(out / "report.html").text)
    page = next(out.glob("report/*.html")).read_text(encoding="utf-8")
    assert "ระบุไว้" in page and "stated" not in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _screenshot(page: Path, png: Path) -> str:
    assert CHROMIUM
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
         "--v=0", "--force-device-scale-factor=2", "--window-size=1100,1100", f"--screenshot={png}", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert png.is_file(), done.stderr[-2000:]
    return done.stderr


def _seed_pdf_page(out: Path) -> Path:
    return next(p for p in out.glob("report/*.html") if "samples/seed_plan.pdf" in p.read_text(encoding="utf-8"))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/setup.sh installs it)")
def test_headless_chromium_shows_the_dimension_2_mismatch_with_its_picture(out: Path, tmp_path: Path) -> None:
    page = _seed_pdf_page(out)
    shot = tmp_path / "shot.png"
    log = _screenshot(page, shot)
    assert "CONSOLE" not in log, [line for line in log.splitlines() if "CONSOLE" in line]
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    outline = np.all(np.abs(pixels - np.array(OUTLINE)) <= 40, axis=2)
    assert outline.sum() > 500, "the crop's outline is not on the screen"
    rows, cols = np.nonzero(outline)
    assert cols.max() - cols.min() > 600  # the outline spans the printed row across the picture
    text = _ocr(shot)
    assert "กิจกรรม" in text and "มาตรการ" in text
    assert any(line.split()[-3:] == ["8", "4", "+4"] for line in text.splitlines() if line.split())
    # the exact printed digits, as the rendered page holds them
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout  # fmt: skip
    assert "รวม ๘ กิจกรรม , ๔ มาตรการ" in dom


def _ocr(png: Path) -> str:
    from thaiplan.extract.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("tesseract reads the screenshot; it is not installed")
    done = subprocess.run(["tesseract", str(png), "-", "-l", "tha+eng", "--psm", "3"], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    return done.stdout


def test_a_crop_of_a_huge_page_is_rendered_within_its_pixel_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A total row as wide and tall as a 200-inch page is pictured at a lower scale, never as a 480 Mpx bitmap."""
    import pypdfium2 as pdfium

    from thaiplan import crops

    document = pdfium.PdfDocument.new()
    document.new_page(14400, 14400)
    pdf = tmp_path / "huge.pdf"
    document.save(str(pdf))
    document.close()
    rendered: list[tuple[int, int]] = []
    monkeypatch.setattr(crops, "_png", lambda image, outline: rendered.append(image.size) or b"png")
    assert crops._from_pdf(pdf, {0: (1, (0.0, 0.0, 14400.0, 14400.0))}, 110) == {0: b"png"}
    ((width, height),) = rendered
    assert width * height <= crops.MAX_RENDER_PIXELS * 1.01
