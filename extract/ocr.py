"""OCR of scanned plan pages: ruled tables cell by cell, Thai digits read right.

The page pipeline (extract/ocr_page.py): measure the glyph size and enlarge
small scans, deskew, find the ruling lines and the grid with its merged
cells, read every cell as its own image with tesseract (tha+eng, one process
per page), re-read numeric words with extract/thai_digits.py, read the text
outside the tables as lines.

Here: the public entry points, the page engine (tesseract, or a replay of
recorded page results for tests without tesseract), a pool of worker
processes (one page each), and a cache of page results keyed by the page
image's bytes, the OCR settings, tesseract's and OpenCV's versions and a fingerprint of
this package's code and data (so a change to any of them reads pages again).

Boxes: `ocr_pages` gives PDF points; `ocr_images` gives pixels of the image
as passed in (both measured on the deskewed page, which turns by ≤ 3°).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from thaiplan.errors import ExtractionError
from thaiplan.extract import file_cache
from thaiplan.extract.model import Cell, Line, Note, Row, Table
from thaiplan.extract.ocr_page import read_page
from thaiplan.extract.ocr_read import opencv_version, require_tesseract, tesseract_status, tesseract_version
from thaiplan.extract.pdf_bounds import render_scale
from thaiplan.extract.thai_digits import load_model
from thaiplan.fingerprint import code_fingerprint, file_sha256
from thaiplan.lifeline import die_with_parent
from thaiplan.settings import OcrSettings, Settings
from thaiplan.thai import DIGIT, MISSION_CODE, THAI_DIGIT_RANGE, THAI_TO_ARABIC

Result = tuple[list[Table], list[Line], list[Note]]
CODE = re.compile(f"(?<![0-9{THAI_DIGIT_RANGE}.])({MISSION_CODE})(?!{DIGIT})")

__all__ = ["engine_name", "ocr_images", "ocr_pages", "ocr_versions", "record", "require_engine", "tesseract_available"]


def tesseract_available() -> bool:
    """True when tesseract and its Thai and English models are installed."""
    return tesseract_status() is None


def require_engine(settings: OcrSettings, what: str = "scanned pages need OCR") -> None:
    """OcrUnavailable unless the configured engine can run (a replay always can)."""
    if settings.engine == "tesseract":
        require_tesseract(what)


def engine_name(settings: OcrSettings) -> str:
    """What read the pages, as a dataset records it: `tesseract 5.3.0`. A replay gives the
    version that made the recording: its page results are that tesseract's, unchanged."""
    if settings.engine == "replay":
        return str(_recording(str(settings.replay_file)).get("tesseract", "unknown"))
    return tesseract_version()


def ocr_versions() -> str:
    """What a reading depends on besides this package: `tesseract 5.3.0; OpenCV 5.0.0`."""
    return f"{tesseract_version()}; {opencv_version()}"


@dataclass(frozen=True)
class _PageJob:
    """One page to read, as it crosses to a worker process."""

    page: int
    dpi: int
    settings: OcrSettings
    cache: Path | None  # None: no cache
    pdf: str | None = None  # a PDF page: rendered in the worker
    pixels: np.ndarray | None = None  # an image page: its grey pixels
    replay_key: str = ""

    def grey(self) -> tuple[np.ndarray, int]:
        """The page's grey pixels and the dpi they are at (a huge PDF page: below `dpi`)."""
        if self.pixels is not None:
            return self.pixels, self.dpi
        assert self.pdf is not None
        return _render(self.pdf, self.page, self.dpi, self.settings.max_render_mpixels)


def ocr_pages(path: Path, pages: list[int], settings: Settings | None = None) -> Result:
    """OCR the given 1-based pages of a PDF (rendered with pypdfium2 at
    settings.ocr.render_dpi); boxes in PDF points."""
    settings = settings or Settings()
    require_engine(settings.ocr)
    ocr = settings.ocr
    file_key = file_sha256(path)[:16] if ocr.engine == "replay" else ""
    jobs = [_PageJob(page, ocr.render_dpi, ocr, _cache_root(settings), pdf=str(path),
                     replay_key=f"pdf:{file_key}:{page}:{ocr.render_dpi}") for page in pages]  # fmt: skip
    return _collect(_run(jobs, ocr), pages)


def ocr_images(images: list[Image.Image], first_page: int = 1, settings: Settings | None = None) -> Result:
    """OCR page images (any mode; read as grey); boxes in the images' pixels."""
    settings = settings or Settings()
    require_engine(settings.ocr)
    pages = list(range(first_page, first_page + len(images)))
    jobs = []
    for image, page in zip(images, pages):
        grey = np.asarray(image.convert("L"))
        dpi = _image_dpi(image)
        key = f"image:{_pixels_digest(grey)}:{dpi}"
        jobs.append(_PageJob(page, dpi, settings.ocr, _cache_root(settings), pixels=grey, replay_key=key))
    return _collect(_run(jobs, settings.ocr), pages)


def record(jobs_source: Path, pages: list[int] | None, settings: Settings, out: Path) -> Path:
    """Read a PDF's pages with tesseract and write them as a replay file for
    `ocr.engine = "replay"` (tests of everything around OCR, without tesseract)."""
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(jobs_source)) as document:
        numbers = pages or list(range(1, len(document) + 1))
    ocr = settings.ocr
    jobs = [_PageJob(page, ocr.render_dpi, ocr, _cache_root(settings), pdf=str(jobs_source)) for page in numbers]
    results = _run(jobs, ocr)
    digest = file_sha256(jobs_source)[:16]
    recording = {
        "tesseract": tesseract_version(),
        "versions": ocr_versions(),
        "pages": {f"pdf:{digest}:{page}:{ocr.render_dpi}": result for page, result in zip(numbers, results)},
    }
    out.write_text(json.dumps(recording, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return out


def _image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError):
        value = 0
    return value if 100 <= value <= 1200 else 300  # tesseract wants a figure; most scans are 200-300


def _run(jobs: list[_PageJob], settings: OcrSettings) -> list[dict[str, Any]]:
    if settings.engine == "tesseract":
        load_model()  # load the digit model once here, before the workers fork
    workers = min(settings.workers, len(jobs), os.cpu_count() or 1)
    if workers <= 1 or settings.engine == "replay":
        return [_page_job(job) for job in jobs]
    # each page process dies with its worker: a SIGKILLed run leaves none waiting on the pool's queue
    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent) as pool:
        return list(pool.map(_page_job, jobs))


def _page_job(job: _PageJob) -> dict[str, Any]:
    """Read one page: from the recording, from the cache, or with tesseract."""
    if job.settings.engine == "replay":
        return _replayed(job)
    grey, dpi = job.grey()
    key = _cache_key(grey, job.settings, dpi)
    cached = _cache_get(job.cache, key)
    if cached is not None:
        return cached
    result = read_page(grey, job.page, job.settings, dpi)
    if job.pdf is not None:  # pixels to PDF points
        factor = 72 / dpi
        for table in result["tables"]:
            for row in table:
                for cell in row:
                    cell["bbox"] = tuple(round(v * factor, 2) for v in cell["bbox"])
    _cache_put(job.cache, key, result)
    return result


def _replayed(job: _PageJob) -> dict[str, Any]:
    recording = _recording(str(job.settings.replay_file))
    try:
        return dict(recording["pages"][job.replay_key])
    except KeyError:
        raise ExtractionError(
            f"page {job.page} is not in the OCR recording {job.settings.replay_file}",
            "record this file with thaiplan.extract.ocr.record, or set ocr.engine to tesseract",
        ) from None


_RECORDINGS: dict[str, dict[str, Any]] = {}


def _recording(path: str) -> dict[str, Any]:
    if path not in _RECORDINGS:
        try:
            _RECORDINGS[path] = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExtractionError(f"the OCR recording {path} cannot be read ({exc})",
                                  "check ocr.replay_file") from None  # fmt: skip
    return _RECORDINGS[path]


def _render(path: str, page: int, dpi: int, max_mpixels: int) -> tuple[np.ndarray, int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        pdf_page = document[page - 1]
        used = min(dpi, int(render_scale(*pdf_page.get_size(), dpi, max_mpixels) * 72))  # a 200-inch page: not
        bitmap = pdf_page.render(scale=used / 72, grayscale=True)  # a 60000² bitmap, a lower dpi (see pdf_bounds)
        return np.asarray(bitmap.to_pil().convert("L")), max(used, 1)
    finally:
        document.close()


def _pixels_digest(grey: np.ndarray) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(grey).tobytes())
    digest.update(repr(grey.shape).encode())
    return digest.hexdigest()[:16]


def _cache_key(grey: np.ndarray, settings: OcrSettings, dpi: int) -> str:
    """The page's pixels, the settings that shape a reading, tesseract's and OpenCV's
    versions and the fingerprint of this package's code and data files."""
    output_settings = Settings(ocr=settings).output_dict()["ocr"]
    meta = [dpi, output_settings, ocr_versions(), code_fingerprint("thaiplan.extract")]
    digest = hashlib.sha256(_pixels_digest(grey).encode())
    digest.update(json.dumps(meta, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _cache_root(settings: Settings) -> Path | None:
    return file_cache.cache_root(settings, "ocr")


def _cache_get(root: Path | None, key: str) -> dict[str, Any] | None:
    if root is None:
        return None
    try:
        return json.loads(file_cache.entry(root, key, ".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _cache_put(root: Path | None, key: str, result: dict[str, Any]) -> None:
    text = json.dumps(result, ensure_ascii=False)
    file_cache.keep(root, key, ".json", lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _collect(results: list[dict[str, Any]], pages: list[int]) -> Result:
    tables: list[Table] = []
    lines: list[Line] = []
    notes: list[Note] = []
    for page, result in zip(pages, results):
        lines += [Line(text, page) for text in result["lines"]]
        for table in result["tables"]:
            rows = tuple(Row(cells=tuple(_cell(cell, page) for cell in row), page=page) for row in table)
            tables.append(Table(rows=rows, page_first=page))
        notes += [Note(note["kind"], note["message"], note["page"]) for note in result["notes"]]
    notes += code_sequence_notes(tables)
    return tables, lines, notes


def _cell(data: dict[str, Any], page: int) -> Cell:
    return Cell(
        text=data["text"], col=data["col"], method="ocr", page=page, bbox=tuple(data["bbox"]),
        col_span=data["col_span"], row_span=data["row_span"], confidence=data["confidence"],
    )  # fmt: skip


def code_sequence_notes(tables: list[Table]) -> list[Note]:
    """Plan numbering as a check on the digits: each code (๒.๓.๑) should follow
    one already seen (๒.๓, or ๒.๒.๑ before ๒.๒.๒). One that does not is a Note.

    >>> cells = [Cell("๑.๑ ก", 1, "ocr", 1), Cell("๑.๑.๑ ข", 1, "ocr", 1), Cell("๑.๑.๓ ค", 1, "ocr", 2)]
    >>> [n.message[:30] for n in code_sequence_notes([Table((Row(tuple(cells)),))])]
    ['code ๑.๑.๓ does not follow the']
    """
    seen: set[tuple[int, ...]] = set()
    notes: list[Note] = []
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                for match in CODE.finditer(cell.text):
                    parts = tuple(int(p) for p in match.group(1).translate(THAI_TO_ARABIC).split("."))
                    if not _follows(parts, seen):
                        notes.append(Note(
                            "ocr_code_sequence",
                            f"code {match.group(1)} does not follow the codes before it; check its digits",
                            cell.page,
                        ))  # fmt: skip
                    seen.add(parts)
    return notes


def _follows(parts: tuple[int, ...], seen: set[tuple[int, ...]]) -> bool:
    if parts in seen or not seen:
        return True
    *parent, last = parts
    previous = (*parent, last - 1)
    if last == 1:  # a first child: its parent is a dimension (๒.๑) or a code already read
        return len(parent) <= 1 or tuple(parent) in seen
    return previous in seen
