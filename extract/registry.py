"""Pick the extractor by what the bytes are (magic numbers), never by extension.

Readers are imported lazily so converting text files never pays for loading
PDF or OCR libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from thaiplan.extract.errors import ExtractionError, InputError, UnsupportedFormat
from thaiplan.extract.model import RawDocument

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Reader:
    format: str
    module: str  # module with `read(path: Path) -> RawDocument`
    sniff: Callable[[bytes, Path], bool]


def _is_pdf(head: bytes, path: Path) -> bool:
    return head[:1024].lstrip(b"\x00\r\n\t ").startswith(b"%PDF") or b"%PDF-" in head[:1024]


def _is_zip(head: bytes, path: Path) -> bool:
    return head.startswith(b"PK\x03\x04")


def _is_ole(head: bytes, path: Path) -> bool:
    return head.startswith(OLE_MAGIC)


def _is_image(head: bytes, path: Path) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def _is_text(head: bytes, path: Path) -> bool:
    return True  # the text reader decides itself whether the bytes are text


READERS: tuple[Reader, ...] = (
    Reader("pdf", "thaiplan.extract.pdf", _is_pdf),
    Reader("docx", "thaiplan.extract.docx", _is_zip),
    Reader("doc", "thaiplan.extract.doc", _is_ole),
    Reader("image", "thaiplan.extract.image", _is_image),
    Reader("text", "thaiplan.extract.text", _is_text),
)


def detect(path: Path) -> Reader:
    """Return the reader for `path` by its content."""
    if not path.exists():
        raise InputError("file not found", "check the path")
    if path.is_dir():
        raise InputError("is a folder, not a file", "give the folder as an input to convert it whole")
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", "check the file's permissions") from exc
    if not head:
        raise InputError("the file is empty", "give the plan document itself")
    for reader in READERS:
        if reader.sniff(head, path):
            if reader.format == "doc" and path.stat().st_size < 64 * 1024 * 1024:
                _check_ole_word(path)
            return reader
    raise UnsupportedFormat("unrecognised file format")  # pragma: no cover (text accepts all)


def _check_ole_word(path: Path) -> None:
    """An OLE file may be a Word 97 document, an encrypted DOCX or an Excel file."""
    data = path.read_bytes()
    if ENCRYPTED_STREAM in data:
        raise ExtractionError("the Word file is password-protected", "save an unprotected copy and convert that")
    if WORD_STREAM not in data:
        raise UnsupportedFormat(
            "an Office file that is not a Word document (Excel or PowerPoint?)",
            "save the plan as .docx, .doc or PDF",
        )


def read_document(path: Path) -> RawDocument:
    """Read any supported file into a RawDocument."""
    reader = detect(path)
    module = importlib.import_module(reader.module)
    return module.read(path)
