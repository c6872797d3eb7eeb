"""Scanned plans as images: PNG, JPEG, multi-page TIFF. Every page goes to OCR."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from thaiplan.extract.errors import ExtractionError
from thaiplan.extract.model import RawDocument
from thaiplan.extract.ocr import ocr_images
from thaiplan.extract.ocr_read import require_tesseract


def read(path: Path) -> RawDocument:
    """Read an image file (all frames of a TIFF) as a scanned plan; boxes in pixels."""
    require_tesseract()  # before decoding: a missing tool is the clearer message
    try:
        with Image.open(path) as image:
            frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ExtractionError(f"the image cannot be decoded ({exc})") from exc
    if not frames:
        raise ExtractionError("the image has no pages")
    tables, lines, notes = ocr_images(frames)
    return RawDocument(
        source=str(path),
        format="image",
        pages=len(frames),
        lines=tuple(lines),
        tables=tuple(tables),
        notes=tuple(notes),
    )
