"""Text-layer PDFs: tables from the ruling lines, cell text from the glyphs.

pdfium reads the characters, which it maps to Unicode far better on Thai
(THAI_NOTES), and the page's paths, from which extract.pdf_ruling finds the
ruled tables (by pdfplumber.table's functions); each page is loaded once for
its glyphs, its text-layer check and its paths. `pdf.engine = "pdfplumber"` takes the tables from pdfminer's
parse instead (extract.pdf_plumber, 15-30x slower). Pages whose text layer is
garbage (glyph codes, unmapped glyphs, non-words) give a note and no rows; the
OCR reader gets them.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

from thaiplan.errors import ExtractionError, OcrUnavailable, too_many_ocr_pages
from thaiplan.extract.model import Cell, Line, Note, PageRead, RawDocument, Row, Table
from thaiplan.extract.pdf_bounds import bounded
from thaiplan.extract.pdf_chars import Glyph, TextLine, build_lines, cell_text, page_glyphs, space_width
from thaiplan.extract.pdf_fonts import FontTexts
from thaiplan.extract.pdf_layer import judge
from thaiplan.extract.pdf_paths import page_edges
from thaiplan.extract.pdf_plumber import DAMAGED_HINT, PlumberGeometry
from thaiplan.extract.pdf_ruling import Edge, TooManyPaths, find_tables
from thaiplan.extract.pdf_tables import (
    Grid,
    GridCell,
    index_of,
    rule_breaks,
    rule_only_regions,
    ruled_grid,
    text_rows,
)
from thaiplan.settings import PdfSettings, Settings

FORMAT = "pdf"
SAME_TABLE_X = 6.0  # tables whose outer rules are this close continue one another
MAX_PAD = 12.0  # a cell's left padding is at most this (points)


def preload() -> None:
    """Import what reading a text-layer PDF imports on its first page (pdfplumber's
    table functions with pdfminer's modules, the word tokenizer: 0.2 s), and build the
    layer check's word index (0.05 s), for a worker to load before its first file."""
    import pdfplumber.table  # noqa: F401
    import pythainlp.tokenize.newmm  # noqa: F401

    from thaiplan.extract.pdf_layer import word_share

    word_share("การ")  # builds the index on first use


def sniff(head: bytes) -> bool:
    """%PDF near the start (some producers put junk or a BOM before it)."""
    start = head[:1024]
    return start.lstrip(b"\x00\r\n\t ").startswith(b"%PDF") or b"%PDF-" in start


@dataclass
class _PageTable:
    grid: Grid
    rows: list[Row]
    page: int
    breaks: tuple[float, ...] = ()


@dataclass
class _Page:
    lines: list[Line] = field(default_factory=list)
    tables: list[_PageTable] = field(default_factory=list)
    unusable: str = ""
    scanned: bool = False  # no text at all, only images
    notes: list[Note] = field(default_factory=list)
    rule: str = "layer_reads"  # which rule of extract.pdf_layer decided how the page is read


@bounded  # bombs, loops and huge pages refused before pdfium and pdfminer see them (extract/pdf_bounds.py)
def read(path: Path, settings: Settings | None = None) -> RawDocument:
    """Read a text-layer PDF into a RawDocument (format "pdf").

    Pages whose text layer is unusable go to the OCR reader unless settings.pdf.ocr is False.
    """
    settings = settings or Settings()
    ocr = settings.pdf.ocr
    document = _open_pdfium(path)
    try:
        plumber = PlumberGeometry(path) if settings.pdf.engine == "pdfplumber" else None
    except BaseException:
        document.close()
        raise
    notes: list[Note] = []
    lines: list[Line] = []
    tables: list[Table] = []
    unusable: list[int] = []
    reads: list[PageRead] = []
    fonts = FontTexts()
    try:
        reference: list[float] | None = None
        if len(document) > settings.limits.max_pages:
            raise ExtractionError(f"the PDF has {len(document)} pages, more than limits.max_pages",
                                  "split it, or raise the limit with --set limits.max_pages=N")  # fmt: skip
        for number in range(1, len(document) + 1):
            page = _read_page(document, plumber, number, settings.pdf, fonts)
            notes.extend(page.notes)
            reads.append(PageRead(number, "ocr" if page.unusable else "text", page.rule))
            if page.unusable:
                unusable.append(number)
                if page.scanned and ocr:  # a scan is no fault of the file: say how it was read
                    notes.append(Note("scanned_page", f"page {number} is a scan (no text layer): read by OCR",
                                      page=number, severity="info"))  # fmt: skip
                else:
                    notes.append(Note("unusable_text_layer", f"page {number}: the text layer is unusable: "
                                      f"{page.unusable}", page=number))  # fmt: skip
                continue
            lines.extend(page.lines)
            for part in page.tables:
                reference = _map_columns(part, reference)
                tables.append(Table(rows=tuple(part.rows), page_first=number, row_breaks=part.breaks))
        pages = len(document)
        if not any(c.end_hint == "space" or "space" in c.break_hints for t in tables for r in t.rows for c in r.cells):
            tables = [_without_full_hints(t) for t in tables]
    finally:
        if plumber is not None:
            plumber.close()
        document.close()
    if ocr and len(unusable) > settings.limits.max_ocr_pages:
        raise too_many_ocr_pages(f"{len(unusable)} pages of the PDF need OCR, more than {settings.limits.max_ocr_pages}",
                                 settings.limits.max_ocr_pages)  # fmt: skip
    extra = _ocr(path, unusable, notes, settings, text_tables=bool(tables)) if unusable and ocr else []
    for item in extra:
        if isinstance(item, Table):
            tables.append(item)
        elif isinstance(item, Line):
            lines.append(item)
        elif isinstance(item, Note):
            notes.append(item)
    read_by_ocr = tuple(unusable) if unusable and ocr and not any(n.kind == "ocr_skipped" for n in notes) else ()
    reads = [r if r.read_by == "text" or r.page in read_by_ocr else replace(r, read_by="none") for r in reads]
    return RawDocument(source=str(path), format="pdf", pages=pages, lines=tuple(lines), tables=tuple(tables),
                       notes=tuple(notes), ocr_pages=read_by_ocr, ocr_engine=_engine(settings, read_by_ocr),
                       page_reads=tuple(reads))  # fmt: skip


def _engine(settings: Settings, ocr_pages: tuple[int, ...]) -> str:
    if not ocr_pages:
        return ""  # not importing the OCR reader (numpy, OpenCV: 0.3 s) for a text-layer PDF
    from thaiplan.extract.ocr import engine_name

    return engine_name(settings.ocr)


def _without_full_hints(table: Table) -> Table:
    """A producer that never draws a space glyph at a line end tells nothing by its
    absence: "full" becomes "tight" (unknown)."""

    def fix(cell: Cell) -> Cell:
        return replace(cell, break_hints=tuple("tight" if h == "full" else h for h in cell.break_hints),
                       end_hint="tight" if cell.end_hint == "full" else cell.end_hint)  # fmt: skip

    return replace(table, rows=tuple(replace(row, cells=tuple(fix(c) for c in row.cells)) for row in table.rows))


def _open_pdfium(path: Path) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(str(path), password=None)  # opens owner-only encryption
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError("the PDF is password-protected",
                                  "ask the publisher for an unprotected copy") from None  # fmt: skip
        raise ExtractionError("the PDF is damaged or not a PDF (pdfium cannot open it)", DAMAGED_HINT) from None


def _read_page(document: pypdfium2.PdfDocument, plumber: PlumberGeometry | None, number: int,
               settings: PdfSettings, fonts: FontTexts) -> _Page:  # fmt: skip
    pdfium_page = document[number - 1]
    try:
        textpage = pdfium_page.get_textpage()
        height = pdfium_page.get_height()
        glyphs = page_glyphs(textpage, height)
        if not glyphs:
            textpage.close()
            if _has_images(pdfium_page):
                return _Page(unusable="it has no text layer, only images (a scan)", scanned=True, rule="no_text_layer")
            return _Page(rule="blank_page")
        verdict = judge(pdfium_page, textpage, glyphs, settings, fonts)
        textpage.close()
        if verdict.ocr:
            return _Page(unusable=verdict.why, rule=verdict.rule)
        glyphs = verdict.glyphs
        if plumber is not None:
            tables, edges = plumber.page(number)
        else:
            try:
                edges = page_edges(pdfium_page, height, settings.max_path_objects, settings.max_path_segments)
                tables = find_tables(edges)
            except TooManyPaths as exc:  # a hostile or pathological page: its text without its rules
                page = _layout(glyphs, [], [], number, verdict.rule)
                page.notes.extend(_repair_notes(verdict.notes, number))
                page.notes.append(Note("too_many_paths", f"page {number} draws more {exc}: its table rules "
                                       "were not read, its text is kept as lines", page=number))  # fmt: skip
                return page
        rules = [e for e in edges if e.orientation == "v"]  # all that the steps below look at, filtered once
        grids = [ruled_grid(cells, box, rules) for cells, box in tables]
        regions = rule_only_regions(rules, [g.bbox for g in grids])
        page = _layout(glyphs, grids, regions, number, verdict.rule, rules)
        page.notes.extend(_repair_notes(verdict.notes, number))
        return page
    finally:
        pdfium_page.close()


def _repair_notes(notes: list[tuple[str, str]], number: int) -> list[Note]:
    """The page's findings on its repaired glyphs (extract/pdf_repair.py)."""
    return [Note(kind, f"page {number}: {message}", page=number) for kind, message in notes]


def _has_images(page: pypdfium2.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))


def _layout(glyphs: list[Glyph], grids: list[Grid], regions: list[tuple], number: int, rule: str,
            edges: Sequence[Edge] = ()) -> _Page:  # fmt: skip
    """The page's glyphs into its tables' cells and its lines; `edges`: its vertical edges (for rule_breaks)."""
    space = space_width(glyphs)
    per_cell: dict[tuple[int, int], list[Glyph]] = {}
    per_region: dict[int, list[Glyph]] = {}
    outside: list[Glyph] = []
    locators = [(g, grid.bbox, grid.locate) for g, grid in enumerate(grids)]
    for glyph in glyphs:
        x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.baseline) / 2
        for g, (x0, top, x1, bottom), locate in locators:
            cell = locate(x, y) if x0 <= x <= x1 and top <= y <= bottom else None
            if cell is not None:
                per_cell.setdefault((g, id(cell)), []).append(glyph)
                break
        else:
            for r, (box, _) in enumerate(regions):
                if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                    per_region.setdefault(r, []).append(glyph)
                    break
            else:
                outside.append(glyph)
    result = _Page(lines=[Line(line.text, number, round(line.top, 2)) for line in build_lines(outside)], rule=rule)
    for g, grid in enumerate(grids):
        rows: dict[int, list[Cell]] = {}
        for cell in grid.cells:
            made = _cell(cell, build_lines(per_cell.get((g, id(cell)), [])), space, number)
            rows.setdefault(cell.row, []).append(made)
        made = [Row(tuple(c), page=number) for _, c in sorted(rows.items())]
        result.tables.append(_PageTable(grid, made, number, rule_breaks(edges, grid.bbox, grid.xs)))
    for r, (box, xs) in enumerate(regions):
        table = _rule_only_table(box, xs, per_region.get(r, []), space, number)
        table.breaks = rule_breaks(edges, box, xs)
        previous = result.tables[-1] if result.tables else None
        if previous and abs(previous.grid.bbox[3] - box[1]) <= 3 and _compatible(previous.grid.xs, xs):
            _map_columns(table, previous.grid.xs)  # the body under a ruled header: one table
            previous.rows.extend(table.rows)
            previous.breaks += table.breaks
        else:
            result.tables.append(table)
    result.tables.sort(key=lambda t: t.grid.bbox[1])
    return result


def _cell(cell: GridCell, lines: list[TextLine], space: float, page: int) -> Cell:
    x0, _, x1, _ = cell.bbox
    # the padding, taken equal on both sides: the median line start (a glyph with a
    # negative side bearing, such as โ or ใ, starts left of the padding)
    starts = sorted(max(0.0, line.x0 - x0) for line in lines)
    pad = starts[len(starts) // 2] if starts else 0.0
    text, hints, end = cell_text(lines, x1, min(pad, MAX_PAD), space)
    return Cell(text=text, col=cell.col, col_span=cell.col_span, row_span=cell.row_span, method="pdf",
                page=page, bbox=cell.bbox, break_hints=hints, end_hint=end,
                lines=tuple((line.top, line.bottom) for line in lines) if text else ())  # fmt: skip


def _rule_only_table(box: tuple, xs: list[float], glyphs: list[Glyph], space: float, page: int) -> _PageTable:
    """A table with column rules only: lines per column, rows from the text."""
    columns: dict[int, list[Glyph]] = {}
    for glyph in glyphs:
        col = min(max(bisect.bisect_right(xs, glyph.cx) - 1, 0), len(xs) - 2)
        columns.setdefault(col, []).append(glyph)
    lines = {col: build_lines(gs) for col, gs in columns.items()}
    bands = [(line.top, line.bottom, col, line.text) for col, ls in lines.items() for line in ls]
    grid = Grid(bbox=box, xs=xs, ruled_rows=False)
    rows: list[Row] = []
    spans = text_rows(bands, box[1], box[3])
    per_row = _lines_per_row(lines, spans)
    for r, (top, bottom) in enumerate(spans):
        cells = []
        for col in range(len(xs) - 1):
            inside = per_row.get((r, col), [])
            spot = GridCell((xs[col], top, xs[col + 1], bottom), r, col)
            grid.cells.append(spot)
            cells.append(_cell(spot, inside, space, page))
        rows.append(Row(tuple(cells), page=page))
    return _PageTable(grid, rows, page)


def _lines_per_row(lines: dict[int, list[TextLine]], spans: list[tuple[float, float]]
                   ) -> dict[tuple[int, int], list[TextLine]]:  # fmt: skip
    """(row, column) -> the column's lines whose middle is in the row's span, in order.
    text_rows' spans are contiguous bands: a bisection finds a line's row."""
    tops = [top for top, _ in spans]
    per_row: dict[tuple[int, int], list[TextLine]] = {}
    ordered = all(a <= b for a, b in zip(tops, tops[1:], strict=False))
    for col, column in lines.items():
        for line in column:
            middle = (line.top + line.bottom) / 2
            if ordered:
                r = bisect.bisect_right(tops, middle) - 1
                rows = [r] if r >= 0 and middle < spans[r][1] else []
            else:  # bands out of order: every span that holds the middle
                rows = [r for r, (top, bottom) in enumerate(spans) if top <= middle < bottom]
            for r in rows:
                per_row.setdefault((r, col), []).append(line)
    return per_row


def _compatible(xs: Sequence[float], reference: Sequence[float]) -> bool:
    return abs(xs[0] - reference[0]) <= SAME_TABLE_X and abs(xs[-1] - reference[-1]) <= SAME_TABLE_X


def _map_columns(table: _PageTable, reference: list[float] | None) -> list[float]:
    """Renumber a table's columns on the reference boundaries (the first table of
    its run), so a column keeps its index on every page. Returns the reference."""
    xs = table.grid.xs
    if reference is None or not _compatible(xs, reference):
        return xs
    if xs == reference:
        return reference
    for i, row in enumerate(table.rows):
        cells = []
        for cell in row.cells:
            start, end = cell.col, cell.col + cell.col_span
            col = index_of(reference, xs[start])
            span = max(1, index_of(reference, xs[min(end, len(xs) - 1)]) - col)
            cells.append(replace(cell, col=col, col_span=span))
        table.rows[i] = Row(tuple(cells), page=row.page, is_header=row.is_header)
    return reference


def _ocr(path: Path, pages: list[int], notes: list[Note], settings: Settings, text_tables: bool) -> list[object]:
    """Hand unusable pages to the OCR reader. When OCR cannot run, a document
    whose text layer gave tables keeps them with a warning; one that has
    nothing else fails with what to install."""
    from thaiplan.extract.ocr import ocr_pages  # OCR libraries only for PDFs that need them
    from thaiplan.extract.ocr_read import tesseract_status

    try:
        tables, lines, ocr_notes = ocr_pages(path, pages, settings)
    except OcrUnavailable as exc:
        if not text_tables:
            raise OcrUnavailable(f"pages {_ranges(pages)} have no usable text layer and need OCR, but "
                                 f"{tesseract_status() or exc}", exc.hint) from None  # fmt: skip
        notes.append(Note("ocr_skipped", f"pages {_ranges(pages)} were skipped: {exc}; {exc.hint}",
                          severity="warning"))  # fmt: skip
        return []
    return [*tables, *lines, *ocr_notes]


def _ranges(pages: list[int]) -> str:
    """Page numbers as ranges.

    >>> _ranges([1, 2, 3, 7])
    '1-3, 7'
    """
    out: list[str] = []
    start = prev = pages[0]
    for page in [*pages[1:], None]:
        if page is not None and page == prev + 1:
            prev = page
            continue
        out.append(f"{start}-{prev}" if prev != start else str(start))
        if page is not None:
            start = prev = page
    return ", ".join(out)
