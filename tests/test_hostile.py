"""Hostile inputs (issue 15): each case ends in one clear line or a conversion,
within 120 s and 2 GB (the CLI runs capped), and the good file of the same
batch converts. The files are built here, small (tests/hostile_files.py)."""

from __future__ import annotations

import codecs
import csv
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.hostile_files import (
    LIMIT_S,
    Ran,
    bad_name,
    docx_header_lines,
    docx_lying_size,
    docx_nested_tables,
    docx_repeated_header,
    many_plan_words,
    many_spaces,
    pdf_big_page,
    pdf_circular_contents,
    pdf_circular_page_tree,
    pdf_content_bomb,
    pdf_object_stream_bomb,
    pdf_scanned_pages,
    pdf_self_reference,
    plan_text,
    run_measured,
    run_thaiplan,
    seed_page_picture,
    tiff_frames,
)
from thaiplan.settings import Settings

SAMPLE_PDF = Path(__file__).resolve().parents[1] / "samples" / "seed_plan.pdf"
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")


def _batch(tmp_path: Path, *hostile: Path, expect_failed: int) -> Ran:
    """Convert the hostile files with a good plan; the good one converts, each bad one
    gets exactly one line, and nothing is a traceback."""
    good = tmp_path / "good.txt"
    good.write_bytes(plan_text())
    ran = run_thaiplan("convert", *hostile, good, "-o", tmp_path / "out", "-q", cwd=tmp_path)
    assert "Traceback" not in ran.stderr, ran.stderr
    assert ran.seconds < LIMIT_S and ran.peak_mb < 2048, ran
    assert len(ran.lines) == expect_failed, ran.lines
    assert ran.code == (1 if expect_failed else 0), ran
    sources = {row["source"]: row for row in _rows(tmp_path / "out" / "documents.csv")}
    assert sources[str(good)]["status"] == "converted"
    return ran


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_thirty_digit_amount_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    hostile = tmp_path / "amount.txt"
    hostile.write_bytes(plan_text(budget="1" * 30))
    _batch(tmp_path, hostile, expect_failed=0)
    findings = _rows(tmp_path / "out" / "findings.csv")
    assert any(f["message"].startswith("budget not understood: '111111") for f in findings)


def test_a_name_that_is_not_utf8_is_stored_byte_faithful(tmp_path: Path) -> None:
    hostile = bad_name(tmp_path, plan_text(budget="๑๐๐"))
    _batch(tmp_path, hostile, expect_failed=0)
    sources = [row["source"] for row in _rows(tmp_path / "out" / "documents.csv")]
    assert str(tmp_path / "\\xbb\\xd5.txt") in sources
    stored = next(source for source in sources if source.endswith(".txt") and "good" not in source)
    assert os.fsdecode(codecs.escape_decode(stored)[0]) == str(hostile)  # the documented way back to the bytes


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_device_is_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        hostile = tmp_path / "pipe.txt"
        os.mkfifo(hostile)
    else:
        hostile = Path("/dev/zero")
    ran = _batch(tmp_path, hostile, expect_failed=1)
    assert ran.lines[0].startswith(f"{hostile}: is a "), ran.lines
    assert "not a regular file" in ran.lines[0]
    text = run_thaiplan("text", hostile, cwd=tmp_path, timeout=30)
    assert text.code == 1 and text.lines == ran.lines, text


def test_a_second_run_into_the_same_out_refuses(tmp_path: Path) -> None:
    from thaiplan.outdir import locked

    good = tmp_path / "good.txt"
    good.write_bytes(plan_text())
    (tmp_path / "out").mkdir()
    with locked(tmp_path / "out"):
        ran = run_thaiplan("convert", good, "-o", tmp_path / "out", "-q", cwd=tmp_path, timeout=60)
    assert ran.code == 2, ran
    assert ran.lines == [f"{tmp_path / 'out'} is in use by another thaiplan run (pid {os.getpid()}); "
                         "wait for that run to finish, or give another -o folder"]  # fmt: skip
    assert not (tmp_path / "out" / "documents.csv").exists()


def test_two_runs_started_together_into_one_out_lose_nothing(tmp_path: Path) -> None:
    """Two real CLI runs into one OUT, started at the same moment, each with 15 plans of
    its own (seconds of work, so they overlap): one takes OUT and writes its complete
    dataset, the other refuses in one line naming the winner's pid (exit 2) and writes
    nothing; run again, it adds its plans and the first run's are still there."""
    import subprocess

    batches = {}
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        for index in range(15):
            (folder / f"{run}{index}.txt").write_bytes(plan_text(budget=f"{index + 1}{'0' if run == 'a' else '1'}"))
        batches[run] = folder
    out = tmp_path / "out"
    command = [sys.executable, "-m", "thaiplan", "convert", "-o", str(out), "-q", "--jobs", "1"]
    runs = {run: subprocess.Popen([*command, str(folder)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for run, folder in batches.items()}  # fmt: skip
    done = {run: (process.wait(timeout=LIMIT_S), process.stderr.read().decode()) for run, process in runs.items()}
    assert sorted(code for code, _ in done.values()) == [0, 2], done
    winner = next(run for run, (code, _) in done.items() if code == 0)
    loser = "b" if winner == "a" else "a"
    assert done[loser][1].splitlines() == [f"{out} is in use by another thaiplan run (pid {runs[winner].pid}); "
                                           "wait for that run to finish, or give another -o folder"]  # fmt: skip
    assert done[winner][1] == ""
    names = sorted(Path(row["source"]).name for row in _rows(out / "documents.csv"))
    assert names == sorted(path.name for path in batches[winner].iterdir())  # complete, and only the winner's
    assert len({row["doc_id"] for row in _rows(out / "items.csv")}) == 15
    again = subprocess.run([*command, str(batches[loser])], cwd=tmp_path, capture_output=True, timeout=LIMIT_S)
    assert again.returncode == 0, again.stderr
    assert len({Path(row["source"]).parent.name for row in _rows(out / "documents.csv")}) == 2
    assert len(_rows(out / "documents.csv")) == 30


def test_a_full_disk_during_the_export_keeps_the_previous_dataset(tmp_path: Path, monkeypatch) -> None:
    import errno

    from thaiplan import typed_exports
    from thaiplan.runner import run

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_bytes(plan_text())
    second.write_bytes(plan_text(budget="๑๒๓"))
    out = tmp_path / "out"
    run([first], out, {"jobs": 1})
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix in (".csv", ".md", ".parquet")}

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(typed_exports, "export_typed", full)
    with pytest.raises(OSError):
        run([second], out, {"jobs": 1})
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix in (".csv", ".md", ".parquet")}
    assert after == before  # the previous complete dataset, not new CSVs beside old ones
    assert not [p for p in out.iterdir() if p.name.startswith(".exports.")]
    monkeypatch.undo()
    run([second], out, {"jobs": 1})  # the next run exports the whole dataset again
    assert len(_rows(out / "documents.csv")) == 2


def test_leftovers_of_a_killed_run_are_cleaned_by_the_next(tmp_path: Path) -> None:
    from thaiplan.runner import run

    good = tmp_path / "good.txt"
    good.write_bytes(plan_text())
    out = tmp_path / "out"
    (out / "plans").mkdir(parents=True)
    leftovers = [out / "plans" / ".0123456789abcdef.json.k2j3h4.tmp", out / ".documents.csv.x8y9.tmp"]
    for path in leftovers:
        path.write_text("half written")
    (out / ".exports.q1w2e3").mkdir()
    run([good], out, {"jobs": 1})
    assert not any(p.exists() for p in leftovers)
    assert not (out / ".exports.q1w2e3").exists()
    assert len(list((out / "plans").glob("*.json"))) == 1


TOO_LARGE_PART = "too large (the Word file's part word/document.xml unpacks to more than 100 MB, limits.max_part_mb)"
DOCX_BOMBS = {
    "lying_size": (lambda: docx_lying_size(1024, 1000), TOO_LARGE_PART),  # declares 1,000 bytes, holds 1 GB
    "gigabyte_part": (lambda: docx_lying_size(1024, None), TOO_LARGE_PART),
    "part_declared_small": (lambda: docx_lying_size(1024, 50 << 20), TOO_LARGE_PART),
    "lying_within_bounds": (lambda: docx_lying_size(2, 1000),  # holds 2 MB: not a bomb, but not what it says
                            "damaged or incomplete (its part word/document.xml holds 2,097,"),
    "nested_tables_200mb": (lambda: docx_nested_tables((200 << 20) // 48), "too large (the Word file's part"),
    "nested_tables_deep": (lambda: docx_nested_tables(300), "too large (the Word file's XML is past libxml2's bounds"),
}


def _one_line_each(tmp_path: Path, cases: dict[str, tuple[Callable[[], bytes], str]], suffix: str,
                   *others: Path) -> list[Path]:  # fmt: skip
    """Build every case, convert them in one batch with a good plan (and `others`): each
    case fails in one line that says what was expected, with its format known."""
    hostile = []
    for name, (build, _) in cases.items():
        hostile.append(tmp_path / f"{name}{suffix}")
        hostile[-1].write_bytes(build())
    ran = _batch(tmp_path, *hostile, *others, expect_failed=len(hostile))
    assert all(_status(tmp_path, path)["format"] == suffix[1:] for path in hostile)  # a failed row says what it was
    for path, (_, expected) in zip(hostile, cases.values()):
        line = next(line for line in ran.lines if line.startswith(f"{path}: "))
        assert expected in line, line
    return hostile


def _status(tmp_path: Path, path: Path) -> dict[str, str]:
    return next(row for row in _rows(tmp_path / "out" / "documents.csv") if row["source"] == str(path))


def test_docx_bombs_are_one_line_each(tmp_path: Path) -> None:
    _one_line_each(tmp_path, DOCX_BOMBS, ".docx")


def test_an_excel_part_lying_about_its_size_is_too_large(tmp_path: Path) -> None:
    """zipfile stops a member at the size it declares and reports a bad CRC: the bomb
    would be called damaged. Counted while it inflates, it is too large."""
    import zipfile

    from tests.hostile_files import Member, repeated_deflate, zip_bytes
    from thaiplan.errors import ExtractionError, TooLarge
    from thaiplan.extract import xls

    workbook = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
    bomb = repeated_deflate("xl/worksheets/sheet1.xml", [(b" " * (1 << 20), 200)])  # 200 MB
    expected = r"too large \(the Excel file: its part xl/worksheets/sheet1.xml unpacks to more than 100 MB"
    for declared in (1000, None):
        path = tmp_path / f"bomb{declared}.xlsx"
        member = replace(bomb, size=declared) if declared else bomb
        path.write_bytes(zip_bytes([Member.of("xl/workbook.xml", workbook), member]))
        with pytest.raises(TooLarge, match=expected):
            xls.read(path, Settings())
    small = repeated_deflate("xl/styles.xml", [(b" " * 1024, 3)])
    path = tmp_path / "lying.xlsx"
    path.write_bytes(zip_bytes([Member.of("xl/workbook.xml", workbook), replace(small, size=100)]))
    with pytest.raises(ExtractionError, match=r"damaged or incomplete \(its part xl/styles.xml holds 3,072 bytes, "
                                              r"not the 100 it declares\)"):  # fmt: skip
        xls.read(path, Settings())
    assert zipfile.is_zipfile(path)


@pytest.mark.parametrize("build", [lambda: docx_header_lines(90_000), lambda: docx_repeated_header(20, 200)],
                         ids=["header_90k_distinct_lines", "20mb_header_referenced_200_times"])  # fmt: skip
def test_docx_headers_read_in_linear_time_once(tmp_path: Path, build) -> None:
    hostile = tmp_path / "header.docx"
    hostile.write_bytes(build())
    ran = _batch(tmp_path, hostile, expect_failed=0)
    assert ran.seconds < 60, ran


PDF_CASES = {
    "self_reference": (pdf_self_reference, "the PDF is damaged: object 4 refers to itself"),
    "circular_page_tree": (pdf_circular_page_tree, "the PDF is damaged ("),
    "content_stream_bomb": (lambda: pdf_content_bomb(1024), "too large (a compressed stream of the PDF inflates"),
    "object_stream_bomb": (lambda: pdf_object_stream_bomb(1024), "too large (a compressed stream of the PDF inflates"),
}


def test_pdf_loops_and_bombs_are_one_line_each(tmp_path: Path) -> None:
    loop = tmp_path / "circular_contents.pdf"  # a form that draws itself: read (nothing on it), not a plan
    loop.write_bytes(pdf_circular_contents())
    hostile = _one_line_each(tmp_path, PDF_CASES, ".pdf", loop)
    assert _status(tmp_path, loop)["status"] == "not_a_plan"
    for path in hostile[:2]:  # `thaiplan text` says the same in one line (was a PdfiumError traceback)
        text = run_thaiplan("text", path, cwd=tmp_path, timeout=60)
        assert text.code == 1 and len(text.lines) == 1 and text.lines[0].startswith(f"{path}: the PDF is damaged")


def test_a_huge_page_is_rendered_within_the_pixel_budget(tmp_path: Path) -> None:
    from thaiplan.extract.ocr import _render
    from thaiplan.settings import OcrSettings

    path = tmp_path / "big.pdf"
    path.write_bytes(pdf_big_page(200))
    budget = OcrSettings().max_render_mpixels
    pixels, dpi = _render(str(path), 1, 300, budget)
    assert pixels.size <= budget * 1_000_000 and dpi == 29  # 30 dpi, rounded down to a whole dpi
    assert _render(str(SAMPLE_PDF), 1, 300, budget)[1] == 300  # an A4 page keeps its dpi


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")
def test_a_200_inch_scanned_page_converts_with_a_finding(tmp_path: Path) -> None:
    hostile = tmp_path / "big.pdf"
    hostile.write_bytes(pdf_big_page(200))
    _batch(tmp_path, hostile, expect_failed=0)  # a blank page: read, but no plan table
    row = _status(tmp_path, hostile)
    assert (row["status"], row["format"], row["pages"], row["read_by"]) == ("not_a_plan", "pdf", "1", "ocr"), row
    text = run_thaiplan("text", hostile, cwd=tmp_path, timeout=LIMIT_S)
    assert "Traceback" not in text.stderr and "MemoryError" not in text.stderr, text


FRAMES_READ = """
import sys
from pathlib import Path
from thaiplan.extract import image, ocr
batches = []
ocr.require_engine = lambda *args: None
ocr.ocr_images = lambda frames, first, settings: (batches.append((first, len(frames))), ([], [], []))[1]
document = image.read(Path(sys.argv[1]))
print(document.pages, max(size for _, size in batches), batches[-1][0])
"""


def test_a_tiff_of_many_pages_is_decoded_a_few_frames_at_a_time(tmp_path: Path) -> None:
    hostile = tmp_path / "pages.tif"
    hostile.write_bytes(tiff_frames(300))  # 300 A4 pages: 2.6 GB of grey pixels if held at once
    ran = run_measured(sys.executable, "-c", FRAMES_READ, hostile, cwd=tmp_path)
    assert ran.code == 0, ran
    assert ran.stdout.split() == ["300", "2", "299"]  # ocr.workers (2) frames at a time
    assert ran.peak_mb < 400, ran


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")
def test_a_tiff_of_2000_pages_with_content_is_refused_before_ocr(tmp_path: Path) -> None:
    """2,000 A4 pages of a plan (228 KB: every frame shares one strip) would take hours
    of OCR: refused in one line, in seconds, before a frame is read."""
    hostile = tmp_path / "pages.tif"
    hostile.write_bytes(tiff_frames(2000, page=seed_page_picture()))
    ran = _batch(tmp_path, hostile, expect_failed=1)
    assert ran.seconds < 30, ran
    assert ran.lines == [f"{hostile}: too large (the image has more than 500 pages to read by OCR, "
                         "limits.max_ocr_pages); split it into parts of at most 500 pages, or raise "
                         "--set limits.max_ocr_pages=N (and limits.timeout_s: a page takes a few seconds)"]  # fmt: skip


def test_the_ocr_page_bound_is_a_setting_for_images_and_pdfs(tmp_path: Path) -> None:
    from thaiplan.errors import TooLarge
    from thaiplan.extract import image, pdf

    tiff, scans = tmp_path / "pages.tif", tmp_path / "scans.pdf"
    tiff.write_bytes(tiff_frames(21, size=(64, 64)))
    scans.write_bytes(pdf_scanned_pages(21))
    settings = Settings.resolve({"limits.max_ocr_pages": 20})
    with pytest.raises(TooLarge, match=r"^too large \(the image has more than 20 pages to read by OCR, limits.max_ocr_pages\)$"):
        list(image.frames(tiff, settings))
    with pytest.raises(TooLarge, match=r"^too large \(21 pages of the PDF need OCR, more than 20, limits.max_ocr_pages\)$"):
        pdf.read(scans, settings)
    assert sum(1 for _ in image.frames(tiff, Settings.resolve({"limits.max_ocr_pages": 21}))) == 21
    assert pdf.read(scans, Settings.resolve({"limits.max_ocr_pages": 21, "pdf.ocr": False})).pages == 21  # no OCR: no bound


@pytest.mark.parametrize(("size", "message"), [((16_000, 10_000), "page 1 of the image is 16000×10000 pixels"),
                                               ((20_000, 10_000), "the image is larger than the 178 Mpx Pillow decodes")])
def test_an_image_past_the_pixel_bound_is_too_large(tmp_path: Path, size: tuple[int, int], message: str) -> None:
    import warnings

    from PIL import Image

    from thaiplan.errors import TooLarge
    from thaiplan.extract import image

    path = tmp_path / "huge.png"
    Image.new("1", size).save(path)  # 30 KB
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's DecompressionBombWarning is not let through
        with pytest.raises(TooLarge, match=rf"too large \({message}, limits.max_image_mpixels\)"):
            list(image.frames(path, Settings()))


def test_huge_cells_convert_in_linear_time(tmp_path: Path) -> None:
    """200,000 inner spaces in an item name (was > 300 s) and 170,000 characters of plan
    words in a total row, spaced or not (was 276 s)."""
    cells = {"spaces": {"item": many_spaces(200_000)}, "words": {"total_label": many_plan_words(170_000)},
             "words_unspaced": {"total_label": ("โครงการ" * 30_000)[:170_000]}}  # fmt: skip
    hostile = []
    for name, cell in cells.items():
        hostile.append(tmp_path / f"{name}.txt")
        hostile[-1].write_bytes(plan_text(**cell))
    ran = _batch(tmp_path, *hostile, expect_failed=0)
    assert ran.seconds < 60, ran
    statuses = {row["source"]: row["status"] for row in _rows(tmp_path / "out" / "documents.csv")}
    assert all(statuses[str(path)] == "converted" for path in hostile), statuses


def test_a_text_file_past_the_part_bound_is_too_large(tmp_path: Path) -> None:
    from thaiplan.errors import TooLarge
    from thaiplan.extract import text

    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(101 << 20)  # sparse: no disk used
    with pytest.raises(TooLarge, match=r"too large \(a text file of more than 100 MB, limits.max_part_mb\)"):
        text.read(path, Settings())


def test_a_blank_scanned_page_is_skipped_not_read() -> None:
    """A blank A4 frame at 300 dpi is one note in milliseconds (2,000 of them: seconds), while a
    page with a few words on it is still read."""
    import numpy as np

    from thaiplan.extract.ocr_page import read_page
    from thaiplan.settings import OcrSettings

    blank = np.full((3508, 2480), 255, np.uint8)
    blank[100:104, 100:104] = 0  # a speck
    started = time.perf_counter()
    result = read_page(blank, 7, OcrSettings(), 300)
    assert time.perf_counter() - started < 1.0
    assert result["notes"] == [{"kind": "blank_page", "message": "page 7 is blank: nothing to read", "page": 7}]
    assert result["tables"] == [] and result["lines"] == []
    words = blank.copy()
    words[200:260, 200:900] = 0  # a bar of ink as large as a line of text
    assert not any(n["kind"] == "blank_page" for n in read_page(words, 7, OcrSettings(), 300)["notes"])


def test_inkless_frames_never_reach_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Frames with no dark pixel at all are noted blank in the reader; only the frame
    with ink goes to OCR, under its own page number (batches stay consecutive)."""
    from PIL import Image, ImageDraw

    from thaiplan.extract import image, ocr

    pages = [Image.new("L", (800, 1100), 255) for _ in range(4)]
    ImageDraw.Draw(pages[2]).rectangle((100, 100, 700, 160), fill=0)
    path = tmp_path / "scan.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_deflate")
    sent: list[tuple[int, int]] = []

    def fake_ocr(batch: list[Image.Image], first_page: int, settings: object) -> tuple[list, list, list]:
        sent.append((first_page, len(batch)))
        return [], [], []

    monkeypatch.setattr(ocr, "ocr_images", fake_ocr)
    monkeypatch.setattr(ocr, "require_engine", lambda *args: None)
    raw = image.read(path)
    assert sent == [(3, 1)]
    assert [(n.kind, n.page) for n in raw.notes] == [("blank_page", 1), ("blank_page", 2), ("blank_page", 4)]
    assert raw.pages == 4
