"""One page image to tables, lines and notes (runs inside a pool worker).

Results are plain dicts so they pickle cheaply and cache as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import cv2
import numpy as np

from thaiplan.extract.ocr_grid import (
    GridTable,
    binarize,
    clean_crop,
    clean_region,
    deskew,
    ink_box,
    page_grid,
    remove_specks,
    without_solid_areas,
)
from thaiplan.extract.ocr_read import ReadText, Word, run_tesseract, words_from_tsv
from thaiplan.settings import OcrSettings
from thaiplan.thai import THAI_TO_ARABIC

# Ink below this share of a page's pixels is a blank page (scanner specks, at most a page
# number): skipped, not segmented and read (a 2,000-page TIFF of blank frames: seconds, not minutes).
BLANK_INK_SHARE = 5e-5
YEAR_CONTEXT = re.compile(r"(พ\.?ศ\.?|ปี|มกรา|กุมภา|มีนา|เมษา|พฤษภา|มิถุนา|กรกฎา|กรกฏา|สิงหา|กันยา|ตุลา|พฤศจิกา|ธันวา)")


def glyph_height(binary: np.ndarray) -> float | None:
    """Median height of glyph-sized ink components (rulings and specks left out),
    measured on the middle half of the page: as good a sample, half the work."""
    rows = binary.shape[0]
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary[rows // 4 : rows - rows // 4], connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    keep = (heights >= 6) & (heights <= 200) & (widths <= 4 * heights)
    return float(np.median(heights[keep])) if np.count_nonzero(keep) >= 20 else None


def read_page(grey: np.ndarray, page: int, settings: OcrSettings, dpi: int) -> dict[str, Any]:
    """Tables, lines and notes of one page; boxes in the (deskewed) input's pixels."""
    scale = 1.0
    grey, binary, solid = without_solid_areas(grey, binarize(grey), dpi)
    if np.count_nonzero(binary) <= BLANK_INK_SHARE * binary.size:  # a blank page: nothing for tesseract
        but = f" but for {solid} solid dark area{'s' * (solid > 1)} (a scanner's border?)" if solid else ""
        note = {"kind": "blank_page", "message": f"page {page} is blank{but}: nothing to read", "page": page}
        return {"tables": [], "lines": [], "notes": [note], "angle": 0.0, "scale": scale}
    height = glyph_height(binary)
    if height is not None and height < settings.min_glyph_px:
        # Tesseract's Thai model reads badly below ~20 px glyphs: enlarge small scans.
        scale = min(settings.max_upscale, settings.min_glyph_px / height)
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        binary = binarize(grey)
    straight, angle = deskew(grey, binary)
    if angle:
        binary = binarize(straight)
    tables, rulings = page_grid(binary)
    effective_dpi = round(dpi * scale)
    min_area = max(3, round(4 * (effective_dpi / 200) ** 2))
    inset = max(2, effective_dpi // 100)

    images: list[np.ndarray] = []
    owners: list[tuple[int, int]] = []  # (table index, cell index), (-1, band) for running text
    for t_index, table in enumerate(tables):
        for c_index, cell in enumerate(table.cells):
            crop = clean_crop(straight, binary, rulings, cell.box, inset, min_area)
            if crop is not None:
                images.append(crop)
                owners.append((t_index, c_index))
    for band, crop in enumerate(_outside_bands(straight, binary, rulings, tables, min_area)):
        images.append(crop)
        owners.append((-1, band))
    tsv = run_tesseract(images, settings.psm, effective_dpi)
    read: dict[tuple[int, int], ReadText] = {
        owner: words_from_tsv(rows, printed, image, min_area)
        for owner, (rows, printed), image in zip(owners, tsv, images)
    }
    return _result(tables, read, page, scale, angle, settings)


def _outside_bands(
    grey: np.ndarray, binary: np.ndarray, rulings: np.ndarray, tables: list[GridTable], min_area: int
) -> Iterator[np.ndarray]:
    """Running text outside the tables, one image per vertical band between them."""
    ink = binary.copy()
    for table in tables:
        x0, y0, x1, y1 = table.box
        ink[max(0, y0 - 4) : y1 + 5, max(0, x0 - 4) : x1 + 5] = 0
    edges = [0] + [v for table in tables for v in (table.box[1], table.box[3])] + [ink.shape[0]]
    for top, bottom in zip(edges[::2], edges[1::2]):
        band = remove_specks(cv2.subtract(ink[top:bottom], rulings[top:bottom]), min_area * 3)
        box = ink_box(band)
        if box is None or box[3] - box[1] < 8:
            continue
        x0, y0, x1, y1 = box
        window = (slice(top + y0, top + y1), slice(x0, x1))
        crop = clean_region(grey[window], ink[window], rulings[window], min_area * 3)
        if crop is not None:
            yield crop


def _result(
    tables: list[GridTable],
    read: dict[tuple[int, int], ReadText],
    page: int,
    scale: float,
    angle: float,
    settings: OcrSettings,
) -> dict[str, Any]:
    out_tables = []
    notes: list[dict[str, Any]] = []
    for t_index, table in enumerate(tables):
        rows: dict[int, list[dict[str, Any]]] = {}
        for c_index, cell in enumerate(table.cells):
            text = read.get((t_index, c_index))
            box = tuple(round(v / scale, 1) for v in cell.box)
            rows.setdefault(cell.row, []).append({
                "text": "\n".join(text.lines) if text else "",
                "col": cell.col, "col_span": cell.col_span, "row_span": cell.row_span,
                "bbox": box, "confidence": text.confidence if text else None,
            })  # fmt: skip
            if text is not None:
                notes += _cell_notes(text, page, cell.row, cell.col, settings)
        out_tables.append([rows[row] for row in sorted(rows)])
    lines = [line for (owner, band), text in sorted(read.items()) if owner == -1 for line in text.lines]
    return {"tables": out_tables, "lines": lines, "notes": notes, "angle": angle, "scale": scale}


def _cell_notes(text: ReadText, page: int, row: int, col: int, settings: OcrSettings) -> list[dict[str, Any]]:
    notes = []
    where = f"table row {row + 1}, column {col + 1}"
    if text.confidence is not None and text.confidence < settings.low_confidence:
        notes.append({
            "kind": "low_ocr_confidence", "page": page,
            "message": f"{where}: OCR confidence {text.confidence:.0f}: {' / '.join(text.lines)[:80]}",
        })  # fmt: skip
    low, high = settings.year_range
    words = list(text.words)
    for index, word in enumerate(words):
        if not word.renumbered or not _looks_like_year(word, words[index - 1] if index else None):
            continue
        value = int(word.text.translate(THAI_TO_ARABIC))
        if not low <= value <= high:
            notes.append({
                "kind": "ocr_implausible_year", "page": page,
                "message": f"{where}: year {word.text} read (tesseract: {word.tesseract_text}) is outside "
                f"{low}-{high}; check the digits",
            })  # fmt: skip
    return notes


def _looks_like_year(word: Word, before: Word | None) -> bool:
    digits = word.text.translate(THAI_TO_ARABIC)
    if not (digits.isdigit() and len(digits) == 4):
        return False
    return digits.startswith("25") or (before is not None and bool(YEAR_CONTEXT.search(before.text)))
