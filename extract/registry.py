"""Pick the reader by what the bytes are (magic numbers), never by extension.

Every format module is a `Reader`: a FORMAT name, `sniff(head)` on the
file's first bytes and `read(path, settings)`. The registry is the ordered
tuple of those modules; the first whose `sniff` says yes reads the file
(text last: it accepts anything and decides itself whether the bytes are
text). Tests and plug-ins add readers with `register`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from thaiplan.errors import InputError, UnsupportedFormat
from thaiplan.extract import doc, docx, image, pdf, text, xls
from thaiplan.extract.model import RawDocument
from thaiplan.paths import open_regular
from thaiplan.settings import Settings

HEAD_BYTES = 8192


class Reader(Protocol):
    FORMAT: str

    def sniff(self, head: bytes) -> bool:
        """True when the file starting with `head` is this reader's format."""
        ...

    def read(self, path: Path, settings: Settings | None = None) -> RawDocument:
        """The document as written, or a ThaiplanError saying why not."""
        ...


READERS: list[Reader] = [pdf, xls, docx, doc, image, text]  # xls first: docx and doc claim any ZIP / OLE file


def register(reader: Reader, first: bool = True) -> None:
    """Add a reader (before the built-in ones unless `first` is False; text stays last)."""
    READERS.insert(0 if first else len(READERS) - 1, reader)


def unregister(reader: Reader) -> None:
    READERS.remove(reader)


def head_of(path: Path) -> bytes:
    """The first bytes of a file, or InputError saying why there are none."""
    fd = open_regular(path)  # a FIFO or a device would block or never end
    try:
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", "check the file's permissions") from exc
    if not head:
        raise InputError("the file is empty", "give the plan document itself")
    return head


def detect(path: Path) -> Reader:
    """The reader for `path`, by its content."""
    head = head_of(path)
    for reader in READERS:
        if reader.sniff(head):
            return reader
    raise UnsupportedFormat("unrecognised file format")


def read_document(path: Path, settings: Settings | dict[str, object] | None = None) -> RawDocument:
    """Read any supported file into a RawDocument."""
    return detect(path).read(path, Settings.resolve(settings))
