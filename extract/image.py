"""Scanned plans as images: PNG, JPEG, multi-page TIFF. Every page goes to OCR.

Frames are decoded one at a time and read in small batches (a TIFF of 2,000
pages is never held whole); a frame past `limits.max_image_mpixels` is too
large, and so is a file of more frames than `limits.max_ocr_pages`, said
before the first frame is read (frames are counted by walking the TIFF's
directories, which decodes nothing). Pillow's own bomb warning is not
printed: the bound here says it in words.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from thaiplan.errors import ExtractionError, TooLarge, too_many_ocr_pages
from thaiplan.extract.model import Line, Note, RawDocument, Table
from thaiplan.settings import Settings

FORMAT = "image"
MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff(head: bytes) -> bool:
    return head.startswith(MAGIC)


def read(path: Path, settings: Settings | None = None) -> RawDocument:
    """Read an image file (all frames of a TIFF) as a scanned plan; boxes in pixels."""
    from thaiplan.extract.ocr import engine_name, require_engine  # OCR libraries only when an image comes

    settings = settings or Settings()
    require_engine(settings.ocr, "an image needs OCR")  # before decoding: a missing tool is the clearer message
    found: tuple[list[Table], list[Line], list[Note]] = ([], [], [])
    pages = 0
    batch: list[Image.Image] = []
    for frame in frames(path, settings):
        pages += 1
        if _inkless(frame):  # not worth a trip to an OCR process (a TIFF of hundreds of blank frames)
            _ocr_batch(batch, pages - 1, settings, found)  # a batch holds consecutive pages
            found[2].append(Note("blank_page", f"page {pages} is blank: nothing to read", pages))
            continue
        batch.append(frame)
        if len(batch) == settings.ocr.workers:
            _ocr_batch(batch, pages, settings, found)
    _ocr_batch(batch, pages, settings, found)
    if not pages:
        raise ExtractionError("the image has no pages")
    tables, lines, notes = found
    return RawDocument(source=str(path), format="image", pages=pages, lines=tuple(lines), tables=tuple(tables),
                       notes=tuple(notes), ocr_pages=tuple(range(1, pages + 1)),
                       ocr_engine=engine_name(settings.ocr))  # fmt: skip


# No pixel darker than this (0 black, 255 white): not a mark on the page, not even a
# speck. A page with any darker pixel goes to OCR, whose own blank test looks closer.
INKLESS_LEVEL = 200


def _inkless(frame: Image.Image) -> bool:
    low = frame.convert("L").getextrema()[0]
    return isinstance(low, (int, float)) and low >= INKLESS_LEVEL


def _ocr_batch(batch: list[Image.Image], last_page: int, settings: Settings, found: tuple[list, ...]) -> None:
    """OCR the frames of `batch` (ending at page `last_page`) into `found`, and empty it."""
    from thaiplan.extract.ocr import ocr_images

    if batch:
        for into, more in zip(found, ocr_images(batch, last_page - len(batch) + 1, settings)):
            into.extend(more)
        batch.clear()


def frames(path: Path, settings: Settings) -> Iterator[Image.Image]:
    """The image's frames, each decoded when it is asked for, within the limits."""
    limits = settings.limits
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if _has_frame(image, limits.max_pages):
                    raise TooLarge.past(f"the image has more than {limits.max_pages} pages", "limits.max_pages")
                if _has_frame(image, limits.max_ocr_pages):  # every frame is read by OCR
                    raise too_many_ocr_pages(f"the image has more than {limits.max_ocr_pages} pages to read by OCR",
                                             limits.max_ocr_pages)  # fmt: skip
                for number, frame in enumerate(ImageSequence.Iterator(image), 1):
                    width, height = frame.size
                    if width * height > limits.max_image_mpixels * 1_000_000:
                        raise TooLarge.past(f"page {number} of the image is {width}×{height} pixels",
                                            "limits.max_image_mpixels")  # fmt: skip
                    yield frame.copy()
    except Image.DecompressionBombError as exc:
        pixels = 2 * (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
        raise TooLarge.past(f"the image is larger than the {pixels} Mpx Pillow decodes", "limits.max_image_mpixels") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:  # Pillow's errors on bad bytes
        raise ExtractionError(f"the image cannot be decoded ({exc})") from None


def _has_frame(image: Image.Image, index: int) -> bool:
    """Whether the image has a frame `index` (0-based); the image is left at its first frame."""
    try:
        image.seek(index)
    except EOFError:
        return False
    finally:
        image.seek(0)
    return True
