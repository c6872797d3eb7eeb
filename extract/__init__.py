"""Readers: one per format, each turning a file into a RawDocument."""

from thaiplan.errors import (
    ExtractionError,
    InputError,
    NoPlanTable,
    OcrUnavailable,
    ThaiplanError,
    ToolMissing,
    UnsupportedFormat,
)
from thaiplan.extract.model import Cell, Line, Note, RawDocument, Row, Table


def __getattr__(name: str) -> object:
    """`detect` and `read_document` load every reader: only when asked for."""
    if name in ("detect", "read_document"):
        from thaiplan.extract import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'thaiplan.extract' has no attribute {name!r}")


__all__ = [
    "Cell",
    "ExtractionError",
    "InputError",
    "Line",
    "NoPlanTable",
    "Note",
    "OcrUnavailable",
    "RawDocument",
    "Row",
    "Table",
    "ThaiplanError",
    "ToolMissing",
    "UnsupportedFormat",
    "detect",
    "read_document",
]
