"""Scanned plans as images: PNG, JPEG, multi-page TIFF. Every page goes to OCR."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from thaiplan.errors import ExtractionError
from thaiplan.extract.model import RawDocument
from thaiplan.settings import Settings

FORMAT = "image"
MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff(head: bytes) -> bool:
    return head.startswith(MAGIC)


def read(path: Path, settings: Settings | None = None) -> RawDocument:
    """Read an image file (all frames of a TIFF) as a scanned plan; boxes in pixels."""
    from thaiplan.extract.ocr import engine_name, ocr_images, require_engine  # OCR libraries only for images

    settings = settings or Settings()
    require_engine(settings.ocr, "an image needs OCR")  # before decoding: a missing tool is the clearer message
    try:
        with Image.open(path) as image:
            frames = []
            for frame in ImageSequence.Iterator(image):
                if len(frames) == settings.limits.max_pages:
                    raise ExtractionError(f"the image has more than {len(frames)} pages",
                                          "split it, or raise the limit with --set limits.max_pages=N")  # fmt: skip
                frames.append(frame.copy())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ExtractionError(f"the image cannot be decoded ({exc})") from exc
    if not frames:
        raise ExtractionError("the image has no pages")
    tables, lines, notes = ocr_images(frames, 1, settings)
    return RawDocument(
        source=str(path),
        format="image",
        pages=len(frames),
        lines=tuple(lines),
        tables=tuple(tables),
        notes=tuple(notes),
        ocr_pages=tuple(range(1, len(frames) + 1)),
        ocr_engine=engine_name(settings.ocr),
    )
