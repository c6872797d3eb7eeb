"""The pdfplumber engine (`pdf.engine = "pdfplumber"`): table geometry from
pdfminer's parse of the page, as the reader had it before PDFium's paths.

Kept as a cross-check of the PDFium engine (tests/test_pdf_engines.py runs
both on every PDF sample) and for PDFs whose paths pdfium misreads. It costs
15-30x the glyph read (bench/pdf_engines_bench.py).
"""

from __future__ import annotations

from pathlib import Path

from thaiplan.errors import ExtractionError
from thaiplan.extract.model import BBox
from thaiplan.extract.pdf_ruling import Edge

DAMAGED_HINT = "download the file again or re-export it from its source"


class PlumberGeometry:
    """One pdfplumber document, read page by page."""

    def __init__(self, path: Path) -> None:
        import pdfplumber  # here: only this engine opens the document with it

        try:
            self._pdf = pdfplumber.open(str(path), password="")
            _ = self._pdf.pages  # parses the page tree: a broken file fails here, once
        except Exception as exc:  # pdfminer raises many unrelated types for broken files
            raise ExtractionError(f"the PDF is damaged ({type(exc).__name__})", DAMAGED_HINT) from None

    def page(self, number: int) -> tuple[list[tuple[list[BBox], BBox]], list[Edge]]:
        """A page's ruled tables (cell boxes, table box) and its edges."""
        try:
            page = self._pdf.pages[number - 1]
            tables = [(list(t.cells), t.bbox) for t in page.find_tables()]
            edges = [_edge(e) for e in page.edges]
            page.close()
        except Exception as exc:  # a page pdfminer cannot parse: the file is damaged
            raise ExtractionError(f"page {number} of the PDF is damaged ({type(exc).__name__})", DAMAGED_HINT) from None
        return tables, edges

    def close(self) -> None:
        self._pdf.close()


def _edge(e: dict) -> Edge:
    orientation = e["orientation"] or ""
    return Edge(e["x0"], e["top"], e["x1"], e["bottom"], e["height"] if orientation == "v" else e["width"], orientation)
