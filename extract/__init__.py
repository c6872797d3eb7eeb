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
from thaiplan.extract.registry import detect, read_document

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
