"""What every extractor returns: a RawDocument, a grid of cells with provenance.

Extractors do no Thai repair and no interpretation: they say what is written
where, and how it was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Method = Literal["text", "docx", "xls", "pdf", "ocr"]
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points

# How a line inside a cell ended, where the extractor can tell (PDF geometry):
# "space": a space glyph ended the line (a genuine space);
# "short": the line stopped well short of the cell edge (a genuine break);
# "full": no space glyph, though one would have fitted before the edge (a wrap
#   inside a word run: this producer draws the spaces it breaks at);
# "tight": no room left for a space glyph (one may have been swallowed: unknown);
# None: unknown (DOCX hand breaks, OCR).
BreakHint = Literal["space", "short", "full", "tight"] | None


@dataclass(frozen=True)
class Cell:
    """One table cell as written.

    `text` keeps line breaks as "\\n". For method "text" (a plain-text copy
    of a table) a wrap inside the cell was turned into a space by whoever
    copied it, so every space is a candidate wrap.
    """

    text: str
    col: int  # first grid column, 0-based
    method: Method
    page: int | None = None  # 1-based
    bbox: BBox | None = None
    col_span: int = 1
    row_span: int = 1
    confidence: float | None = None  # OCR: 0..100
    break_hints: tuple[BreakHint, ...] = ()  # one per "\n" in text, when known
    end_hint: BreakHint = None  # how the last line ended: joins a cell a page break cut
    # Where each line stands, (top, baseline) in points, one per line of text, when the
    # reader knows (PDF): rows without rulings are told apart by them (normalize.unruled).
    lines: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        if self.col < 0 or self.col_span < 1 or self.row_span < 1:
            raise ValueError(f"bad cell geometry: col={self.col} span={self.col_span}x{self.row_span}")
        if self.break_hints and len(self.break_hints) != self.text.count("\n"):
            raise ValueError("break_hints must have one entry per line break")
        if self.lines and len(self.lines) != self.text.count("\n") + 1:
            raise ValueError("lines must have one entry per line of text")


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    page: int | None = None
    is_header: bool | None = None  # True where the format marks it (w:tblHeader)

    def text_at(self, col: int) -> str:
        for cell in self.cells:
            if cell.col <= col < cell.col + cell.col_span:
                return cell.text
        return ""


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    page_first: int | None = None
    nested: bool = False
    # Where the rows of a table drawn without row rules end (PDF: its column rules break
    # off there), in points from the page top: the rows it was drawn from.
    row_breaks: tuple[float, ...] = ()


@dataclass(frozen=True)
class Line:
    """A line of running text outside tables (title, organisation, page headers)."""

    text: str
    page: int | None = None
    top: float | None = None  # where it stands on its page (PDF), points from the top


@dataclass(frozen=True)
class Note:
    """Something the extractor saw that a person should know (an unusable page,
    a nested table). Normalisation turns notes into findings."""

    kind: str
    message: str
    page: int | None = None
    severity: Literal["info", "warning", "error"] = "warning"


@dataclass(frozen=True)
class PageRead:
    """How one page was read: "text" (its text layer), "ocr", or "none" (OCR could not
    run), and the rule of extract.pdf_layer that decided."""

    page: int
    read_by: str
    rule: str


@dataclass(frozen=True)
class RawDocument:
    source: str
    format: str  # "text", "docx", "doc", "xls", "xlsx", "pdf", "scan", "image"
    pages: int | None
    lines: tuple[Line, ...] = ()  # text before and around the tables, in order
    tables: tuple[Table, ...] = ()
    notes: tuple[Note, ...] = field(default=())
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR (all of a scan or an image)
    ocr_engine: str = ""  # what read them: "tesseract 5.3.0"
    page_reads: tuple[PageRead, ...] = ()  # a PDF's pages, each with how it was read and why

    @property
    def read_by(self) -> str:
        """How the text was read: text, docx, xls, pdf, ocr, or mixed (a PDF with some pages OCR'd)."""
        if self.format in ("pdf", "scan"):
            if not self.ocr_pages:
                return "pdf"
            return "ocr" if self.pages is not None and len(set(self.ocr_pages)) >= self.pages else "mixed"
        return {"doc": "docx", "image": "ocr", "xlsx": "xls"}.get(self.format, self.format)
