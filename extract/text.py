"""Plain-text plans: a table copied out of a PDF or Word, one row a line,
cells separated by tabs. Blank lines separate pages in such copies."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from thaiplan.errors import InputError, TooLarge, UnsupportedFormat
from thaiplan.extract.model import Cell, Line, RawDocument, Row, Table
from thaiplan.settings import Settings

THAI_LETTER = re.compile(r"[\u0e01-\u0e5b]")
LINE_SPLIT = re.compile(r"\r\n|\r|\n")
# A text file holds few control characters besides tab, CR, LF, FF.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MIN_THAI_SHARE_CP874 = 0.3
MARKUP = re.compile(r"\s*<(?:!doctype\s+html|html|\?xml|head|body)\b", re.IGNORECASE)


def decode(data: bytes) -> str:
    """Decode a plan's bytes: BOM first, then strict UTF-8, then cp874 (TIS-620
    plus curly quotes) when the result is mostly Thai.

    >>> decode("ปี ๒๕๖๓".encode("cp874"))
    'ปี ๒๕๖๓'
    >>> decode(codecs.BOM_UTF8 + "รวม".encode())
    'รวม'
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    if b"\x00" in data:
        raise UnsupportedFormat(
            "a binary file, not text or a known document format",
            "give the plan as .txt, .docx, .doc, .pdf or an image",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        text = ""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(1 for ch in letters if THAI_LETTER.match(ch)) / len(letters) >= MIN_THAI_SHARE_CP874:
        return text
    raise UnsupportedFormat(
        "text in an unknown encoding (not UTF-8, UTF-16 or TIS-620/cp874)",
        "save the file as UTF-8",
    )


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnsupportedFormat(
            f"declares {encoding.upper()} but holds invalid bytes at {exc.start}",
            "save the file again as UTF-8",
        ) from exc


def parse_text(text: str, source: str) -> RawDocument:
    """Split decoded text into running lines and one table of tab-separated rows."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(CONTROL.findall(text[:20000])) > 8:
        raise UnsupportedFormat(
            "a binary file, not text or a known document format",
            "give the plan as .txt, .docx, .doc, .pdf or an image",
        )
    if MARKUP.match(text[:1000]):
        raise UnsupportedFormat(
            "a web page (HTML or XML), not a plan",
            "save the plan itself (.txt, .docx, .doc, .pdf or an image) and convert that",
        )
    lines: list[Line] = []
    rows: list[Row] = []
    page = 1
    block_has_rows = False
    for raw in LINE_SPLIT.split(text):
        line = raw.replace("\f", "")
        if "\f" in raw or not line.strip():
            if block_has_rows:  # a blank line after table rows: the copy's page break
                page += 1
                block_has_rows = False
            continue
        if "\t" not in line:
            lines.append(Line(line.strip(), page))
            continue
        cells = tuple(
            Cell(text=part.strip(), col=index, method="text", page=page) for index, part in enumerate(line.split("\t"))
        )
        if any(cell.text for cell in cells):
            rows.append(Row(cells=cells, page=page))
            block_has_rows = True
    if not lines and not rows:
        raise InputError("the file holds only blank lines", "give the plan document itself")
    pages = page - (0 if block_has_rows else 1) if rows else None
    table = (Table(rows=tuple(rows), page_first=rows[0].page),) if rows else ()
    return RawDocument(source=source, format="text", pages=pages, lines=tuple(lines), tables=table)


FORMAT = "text"


def sniff(head: bytes) -> bool:
    return True  # the last reader tried: read() decides whether the bytes are text


def read(path: Path, settings: Settings | None = None) -> RawDocument:
    limit = (settings or Settings()).limits.max_part_mb
    if path.stat().st_size > limit << 20:  # a text plan is a few hundred KB; this is read whole
        raise TooLarge.past(f"a text file of more than {limit} MB", "limits.max_part_mb")
    return parse_text(decode(path.read_bytes()), str(path))
