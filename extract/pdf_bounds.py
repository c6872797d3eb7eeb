"""PDFs read within bounds, before and while pdfium and pdfminer read them.

`bounded` wraps the PDF reader (one line in extract/pdf.py):

- before reading, one linear pass over the raw bytes: every Flate stream is
  inflated and counted, its output discarded, so a content-stream or
  object-stream bomb stops at `limits.max_stream_mb` instead of exhausting
  memory; objects that are only a reference to themselves (or a loop of such
  references), on which pdfminer loops forever, are refused;
- pdfium's page count against `limits.max_pages`, and every page's size,
  without loading the pages: a page that OCR could only render past
  `ocr.max_render_mpixels` gets a finding (`render_scale` scales it down);
- while reading: pdfminer's log lines and library warnings are captured and
  kept as findings, never printed; a pdfium error, a MemoryError or a
  RecursionError on bad bytes becomes one clear line of the PDF's kind.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import math
import mmap
import re
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from thaiplan.errors import ExtractionError, ThaiplanError, TooLarge
from thaiplan.extract.model import Note, RawDocument
from thaiplan.settings import Settings

Reader = Callable[[Path, "Settings | None"], RawDocument]
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_ALIAS = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*(\d+)\s+(\d+)\s+R\s*endobj")  # an object that is only a reference
# _ALIAS's tail: starting on a word, the search skips ahead (100x faster than _ALIAS on a 5 MB file with none)
_ALIAS_TAIL = re.compile(rb"obj\s*\d+\s+\d+\s+R\s*endobj")
DICT_BACK = 4096  # bytes before `stream` searched for its dictionary
CHUNK = 1 << 16
STEP = 1 << 20  # bytes inflated per call (memory stays at this, whatever the ratio)
MAX_NOTES = 20  # captured library messages kept as findings, per file
DAMAGED = "download the file again or re-export it from its source"


def bounded(read: Reader) -> Reader:
    """The PDF reader `read`, within the bounds of the settings (see the module)."""

    @functools.wraps(read)
    def guarded(path: Path, settings: Settings | None = None) -> RawDocument:
        settings = settings or Settings()
        notes = check(path, settings)
        with captured() as noise:
            try:
                raw = read(path, settings)
            except ThaiplanError:
                raise
            except MemoryError:
                raise TooLarge.past("reading the PDF ran out of memory", "limits.max_memory_mb") from None
            except RecursionError:
                raise ExtractionError("the PDF is damaged (its objects nest without end)", DAMAGED) from None
            except Exception as exc:  # pdfium and pdfminer raise many types on bad bytes
                if type(exc).__module__.split(".")[0] not in ("pypdfium2", "pdfminer", "pdfplumber"):
                    raise
                raise ExtractionError(f"the PDF is damaged ({type(exc).__name__}: {str(exc)[:80]})", DAMAGED) from None
        return replace(raw, notes=(*raw.notes, *notes, *noise))

    return guarded


def check(path: Path, settings: Settings) -> list[Note]:
    """TooLarge or ExtractionError for a PDF past a bound; findings for pages too large to render."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        _check_streams(data, settings.limits.max_stream_mb << 20)
        _check_aliases(data)
    return _check_pages(path, settings)


def _check_streams(data: mmap.mmap, cap: int) -> None:
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - DICT_BACK) : match.start()]
        head = head[head.rfind(b"obj") + 1 :]
        if b"/FlateDecode" in head and _inflated_size(data, match.end(), cap) > cap:
            raise TooLarge.past(f"a compressed stream of the PDF inflates to more than {cap >> 20} MB",
                                "limits.max_stream_mb")  # fmt: skip


def _inflated_size(data: mmap.mmap, start: int, cap: int) -> int:
    """Bytes the Flate stream at `start` inflates to, counted up to just past `cap`."""
    inflater = zlib.decompressobj()
    total, offset = 0, start
    try:
        while not inflater.eof and total <= cap and offset < len(data):
            pending = data[offset : offset + CHUNK]
            offset += CHUNK
            while pending and total <= cap and not inflater.eof:  # past the end, the tail stays: stop
                total += len(inflater.decompress(pending, STEP))
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream: the readers say so in their own words
    return total


def _check_aliases(data: mmap.mmap) -> None:
    """Objects that are a reference to themselves or a loop of such references."""
    if not _ALIAS_TAIL.search(data):
        return
    alias = {int(m[1]): int(m[3]) for m in _ALIAS.finditer(data)}
    for start in alias:
        seen = {start}
        node = alias[start]
        while node in alias:
            if node in seen:
                raise ExtractionError(f"the PDF is damaged: object {start} refers to itself (a reference loop)",
                                      DAMAGED)  # fmt: skip
            seen.add(node)
            node = alias[node]


def _check_pages(path: Path, settings: Settings) -> list[Note]:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    try:
        document = pypdfium2.PdfDocument(str(path), password=None)
    except pypdfium2.PdfiumError:
        return []  # the reader says why (password, damaged) in its own words
    try:
        count = len(document)
        if count > settings.limits.max_pages:
            raise TooLarge.past(f"the PDF has {count} pages", "limits.max_pages")
        notes = []
        size = pdfium_c.FS_SIZEF()
        for index in range(count):
            if not pdfium_c.FPDF_GetPageSizeByIndexF(document.raw, index, ctypes.byref(size)):
                continue
            scale = render_scale(size.width, size.height, settings.ocr.render_dpi, settings.ocr.max_render_mpixels)
            if scale < settings.ocr.render_dpi / 72:
                notes.append(Note("page_scaled_down", f"page {index + 1} is {size.width / 72:.0f}×"
                                  f"{size.height / 72:.0f} inches: if read by OCR it is rendered at "
                                  f"{scale * 72:.0f} dpi, not {settings.ocr.render_dpi} (ocr.max_render_mpixels)",
                                  page=index + 1))  # fmt: skip
        return notes
    finally:
        document.close()


def render_scale(width_pt: float, height_pt: float, dpi: int, max_mpixels: int) -> float:
    """The pdfium render scale for a page: `dpi`, lowered so the bitmap stays within the budget.

    >>> render_scale(595, 842, 300, 36)  # A4 at 300 dpi: 8.7 Mpx
    4.166666666666667
    >>> round(render_scale(14400, 14400, 300, 36) * 72)  # a 200-inch page: 30 dpi
    30
    """
    scale = dpi / 72
    pixels = max(width_pt, 1.0) * max(height_pt, 1.0) * scale * scale
    budget = max_mpixels * 1_000_000
    return scale if pixels <= budget else scale * math.sqrt(budget / pixels)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < MAX_NOTES:
            self.messages.append(record.getMessage())


@contextmanager
def captured() -> Iterator[list[Note]]:
    """pdfminer's log lines and Python warnings during the block, as findings (never on stderr)."""
    logger = logging.getLogger("pdfminer")
    handler = _Collect()
    saved = logger.handlers, logger.propagate, logger.level
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.WARNING
    notes: list[Note] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield notes
    finally:
        logger.handlers, logger.propagate, logger.level = saved
    messages = [*handler.messages, *(str(w.message) for w in caught[:MAX_NOTES])]
    notes.extend(Note("pdf_library_warning", f"the PDF reader warned: {' '.join(m.split())[:200]}")
                 for m in dict.fromkeys(messages))  # fmt: skip

