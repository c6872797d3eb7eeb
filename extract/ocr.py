"""OCR of scanned plan pages: ruled tables cell by cell, Thai digits read right.

The page pipeline (extract/ocr_page.py): measure the glyph size and enlarge
small scans, deskew, find the ruling lines and the grid with its merged
cells, read every cell as its own image with tesseract (tha+eng, one process
per page), re-read numeric words with extract/thai_digits.py, read the text
outside the tables as lines.

Here: the public entry points, a pool of worker processes (one page each),
and a cache of page results keyed by the page image's bytes and the settings,
so converting the same file again is fast.

Boxes: `ocr_pages` gives PDF points; `ocr_images` gives pixels of the image
as passed in (both measured on the deskewed page, which turns by ≤ 3°).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from thaiplan.extract.model import Cell, Line, Note, Row, Table
from thaiplan.extract.ocr_page import THAI_TO_ARABIC, OcrSettings, read_page
from thaiplan.extract.ocr_read import require_tesseract, tesseract_status, tesseract_version
from thaiplan.extract.thai_digits import MODEL_VERSION, cache_dir, load_model

PIPELINE_VERSION = 17  # bump when page results change for the same image and settings
DEFAULT_SETTINGS = OcrSettings()
Result = tuple[list[Table], list[Line], list[Note]]
CODE = re.compile(r"(?<![\d๐-๙.])([\d๐-๙]{1,2}(?:\.[\d๐-๙]{1,2})+)(?![\d๐-๙])")

__all__ = ["OcrSettings", "ocr_images", "ocr_pages", "tesseract_available"]


def tesseract_available() -> bool:
    """True when tesseract and its Thai and English models are installed."""
    return tesseract_status() is None


def ocr_pages(path: Path, pages: list[int], settings: OcrSettings = DEFAULT_SETTINGS) -> Result:
    """OCR the given 1-based pages of a PDF (rendered with pypdfium2 at
    settings.render_dpi); boxes in PDF points."""
    require_tesseract()
    load_model()  # train the digit model once here, not in every worker
    jobs = [("pdf", str(path), page, settings) for page in pages]
    return _collect(_run(jobs, settings), pages)


def ocr_images(images: list[Image.Image], first_page: int = 1, settings: OcrSettings = DEFAULT_SETTINGS) -> Result:
    """OCR page images (any mode; read as grey); boxes in the images' pixels."""
    require_tesseract()
    load_model()
    pages = list(range(first_page, first_page + len(images)))
    dpis = [_image_dpi(image) for image in images]
    jobs = [("array", np.asarray(image.convert("L")), page, settings, dpi)
            for image, page, dpi in zip(images, pages, dpis)]  # fmt: skip
    return _collect(_run(jobs, settings), pages)


def _image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError):
        value = 0
    return value if 100 <= value <= 1200 else 300  # tesseract wants a figure; most scans are 200-300


def _run(jobs: list[tuple[Any, ...]], settings: OcrSettings) -> list[dict[str, Any]]:
    workers = min(settings.workers, len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        return [_page_job(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_page_job, jobs))


def _page_job(job: tuple[Any, ...]) -> dict[str, Any]:
    """Render (PDFs) and read one page, through the cache."""
    kind, source, page, settings = job[:4]
    if kind == "pdf":
        grey, dpi = _render(source, page, settings.render_dpi), settings.render_dpi
    else:
        grey, dpi = source, job[4]
    key = _cache_key(grey, settings, dpi)
    cached = _cache_get(key)
    if cached is not None:
        return cached
    result = read_page(grey, page, settings, dpi)
    if kind == "pdf":  # pixels to PDF points
        factor = 72 / dpi
        for table in result["tables"]:
            for row in table:
                for cell in row:
                    cell["bbox"] = tuple(round(v * factor, 2) for v in cell["bbox"])
    _cache_put(key, result)
    return result


def _render(path: str, page: int, dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        bitmap = document[page - 1].render(scale=dpi / 72, grayscale=True)
        return np.asarray(bitmap.to_pil().convert("L"))
    finally:
        document.close()


def _cache_key(grey: np.ndarray, settings: OcrSettings, dpi: int) -> str:
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(grey).tobytes())
    meta = [grey.shape, dpi, asdict(settings), PIPELINE_VERSION, MODEL_VERSION, tesseract_version()]
    digest.update(repr(meta).encode())
    return digest.hexdigest()


def _cache_path(key: str) -> Path:
    return cache_dir() / "ocr" / key[:2] / f"{key}.json"


def _cache_get(key: str) -> dict[str, Any] | None:
    if os.environ.get("THAIPLAN_NO_CACHE"):
        return None
    try:
        return json.loads(_cache_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _cache_put(key: str, result: dict[str, Any]) -> None:
    path = _cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only cache only costs speed


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
