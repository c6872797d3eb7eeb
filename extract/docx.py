"""Word (DOCX) plans: the table XML read straight from the ZIP with lxml.

python-docx's `row.cells` repeats a merged cell once per grid column and per
row it covers, and loading a `Document()` builds more than a reader needs, so
this module walks `w:tbl`/`w:tr`/`w:tc` itself: each cell once, with its grid
column and spans. Word has no fixed pages; page numbers are estimated from the
page breaks Word last rendered (`w:lastRenderedPageBreak`) or, failing those,
from explicit page and section breaks, and are None when the file has neither.
"""

from __future__ import annotations

import gc
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from thaiplan.errors import ExtractionError, TooLarge, UnsupportedFormat, short_reason
from thaiplan.extract import xls
from thaiplan.extract.model import Cell, Line, Note, RawDocument, Row, Table
from thaiplan.extract.zip_bounds import BoundedZip
from thaiplan.settings import Limits, Settings

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


BODY, P, R, T, TAB, PTAB = (_w(n) for n in ("body", "p", "r", "t", "tab", "ptab"))
BR, CR, NBH = (_w(n) for n in ("br", "cr", "noBreakHyphen"))
TBL, TR, TC, TRPR, TCPR = (_w(n) for n in ("tbl", "tr", "tc", "trPr", "tcPr"))
GRID_SPAN, GRID_BEFORE, V_MERGE, H_MERGE, TBL_HEADER = (
    _w(n) for n in ("gridSpan", "gridBefore", "vMerge", "hMerge", "tblHeader")
)
PPR, SECT_PR, PAGE_BREAK_BEFORE, SECT_TYPE = (_w(n) for n in ("pPr", "sectPr", "pageBreakBefore", "type"))
RENDERED_BREAK = _w("lastRenderedPageBreak")
SDT, SDT_CONTENT, CUSTOM_XML = (_w(n) for n in ("sdt", "sdtContent", "customXml"))
VAL, TYPE = _w("val"), _w("type")
OFFICE_DOCUMENT = "/officeDocument"
HEADER_REL = "/header"
FALSE_VALUES = frozenset({"0", "false", "off"})
STREAM_TAGS = (
    T,
    P,
    TAB,
    PTAB,
    BR,
    CR,
    TC,
    TR,
    TBL,
    GRID_SPAN,
    V_MERGE,
    H_MERGE,
    GRID_BEFORE,
    TBL_HEADER,
    NBH,
    RENDERED_BREAK,
    PAGE_BREAK_BEFORE,
    SECT_PR,
)
TEXT_TAGS = frozenset({T, TAB, PTAB, BR, CR, NBH})
CONTAINERS = frozenset({SDT, SDT_CONTENT, CUSTOM_XML})
XML_BOUNDS = ("Excessive depth", "Resource limit exceeded", "huge text node", "xmlSAX2Characters", "Memory allocation failed")
DAMAGED_HINT = "open it in Word or LibreOffice, save it again as .docx and convert that"


class _Para:
    """A paragraph's text parts and the page breaks before its first letter and in all."""

    __slots__ = ("parts", "lead", "total", "page")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.lead = self.total = 0
        self.page = 1

    def text(self) -> str:
        return "".join(self.parts)


class _CellBuf:
    """A cell being read; its grid column and row span are settled per table."""

    __slots__ = ("paras", "nested", "span", "vmerge", "hmerge", "text", "col", "row_span")

    def __init__(self) -> None:
        self.paras: list[_Para] = []
        self.nested: list[_TableBuf] = []
        self.span = 1
        self.vmerge: str | None = None  # "restart" or "continue"
        self.hmerge = False  # legacy horizontal-merge continuation
        self.text = ""
        self.col = 0
        self.row_span = 1


class _RowBuf:
    __slots__ = ("cells", "grid_before", "is_header", "page")

    def __init__(self) -> None:
        self.cells: list[_CellBuf] = []
        self.grid_before = 0
        self.is_header: bool | None = None
        self.page = 1


class _TableBuf:
    __slots__ = ("nested", "rows")

    def __init__(self, nested: bool) -> None:
        self.nested = nested
        self.rows: list[_RowBuf] = []


@dataclass
class _Stream:
    """One pass over the elements that matter, in document order.

    One `iter()` with a tag filter is far cheaper than a `find()` per cell and
    an `iter()` per paragraph (lxml parses tag names on every call); the
    structure is recovered from each block element's parent.
    """

    body: etree._Element
    rendered: bool  # count Word's own rendered page breaks (else explicit breaks)
    items: list[_Para | _TableBuf] = field(default_factory=list)  # body level, in order
    tables: list[_TableBuf] = field(default_factory=list)  # all, in order of their start

    def run(self) -> None:
        owners: dict[etree._Element, object] = {self.body: self.items}
        para = _Para()  # runs outside any paragraph (none in valid files) land here, unused
        row = _RowBuf()
        cell = _CellBuf()
        outer = para
        orphan: etree._Element | None = None  # the text-box paragraph being skipped
        rendered = self.rendered
        for el in self.body.iter(*STREAM_TAGS):
            tag = el.tag
            if orphan is not None and tag in TEXT_TAGS and _paragraph_of(el) is not orphan:
                para, orphan = outer, None  # back from a text box to the paragraph holding it
            if tag == T:
                if el.text:
                    para.parts.append(el.text)
            elif tag == P:
                parent = el.getparent()
                owner = owners.get(parent)
                if owner is None and parent.tag in CONTAINERS:
                    owner = owners.get(_parent(el))
                if owner is None:  # a text box's paragraph: floats outside the flow, left out
                    if orphan is None:
                        outer = para
                    orphan = el
                else:
                    orphan = None
                para = _Para()
                if isinstance(owner, _CellBuf):
                    owner.paras.append(para)
                elif owner is self.items:
                    self.items.append(para)
            elif tag in (TAB, PTAB):
                if el.getparent().tag == R:  # not a tab stop in the paragraph's properties
                    para.parts.append(" ")
            elif tag == BR:
                if el.get(TYPE) != "page":
                    para.parts.append("\n")
                elif not rendered:
                    _mark(para)
            elif tag == CR:
                para.parts.append("\n")
            elif tag == TC:
                cell = _CellBuf()
                owners[el] = cell
                parent = el.getparent()
                owner = owners.get(parent)
                if owner is None and parent.tag in CONTAINERS:
                    owner = owners.get(_parent(el))
                if isinstance(owner, _RowBuf):
                    owner.cells.append(cell)
            elif tag == TR:
                row = _RowBuf()
                owners[el] = row
                owner = owners.get(_parent(el))
                if isinstance(owner, _TableBuf):
                    owner.rows.append(row)
            elif tag == TBL:
                owner = owners.get(_parent(el))
                table = _TableBuf(nested=isinstance(owner, _CellBuf))
                owners[el] = table
                self.tables.append(table)
                if isinstance(owner, _CellBuf):
                    owner.nested.append(table)
                elif owner is self.items:
                    self.items.append(table)
            elif tag == GRID_SPAN:
                cell.span = max(_int_val(el, 1), 1)
            elif tag == V_MERGE:
                cell.vmerge = "restart" if el.get(VAL) == "restart" else "continue"
            elif tag == H_MERGE:
                cell.hmerge = el.get(VAL) != "restart"
            elif tag == GRID_BEFORE:
                row.grid_before = _int_val(el, 0)
            elif tag == TBL_HEADER:
                if el.get(VAL) not in FALSE_VALUES:
                    row.is_header = True
            elif tag == NBH:
                para.parts.append("-")
            elif tag == RENDERED_BREAK:
                if rendered:
                    _mark(para)
            elif rendered:
                continue
            elif tag == PAGE_BREAK_BEFORE:
                if el.get(VAL) not in FALSE_VALUES:
                    _mark(para)
            elif tag == SECT_PR and el.getparent().tag == PPR:
                kind = el.find(SECT_TYPE)
                if kind is None or kind.get(VAL) != "continuous":
                    para.total += 1  # the next section starts on a new page


def _mark(para: _Para) -> None:
    """Count a page break; it comes before the paragraph's text if none was seen yet."""
    para.total += 1
    if not any(part.strip() for part in para.parts):
        para.lead += 1


def _paragraph_of(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != P:
        parent = parent.getparent()
    return parent


def _parent(el: etree._Element) -> etree._Element:
    """The block that holds `el`, looking through content controls and custom XML."""
    parent = el.getparent()
    while parent is not None and parent.tag in CONTAINERS:
        parent = parent.getparent()
    return parent


class _Pager:
    """Second pass: page estimates in document order, cell texts, grid columns, spans."""

    def __init__(self) -> None:
        self.page = 1
        self.notes: list[Note] = []

    def items(self, items: list[_Para | _TableBuf]) -> None:
        for item in items:
            if isinstance(item, _Para):
                item.page = self.page + item.lead
                self.page += item.total
            else:
                self.table(item, 0)

    def table(self, table: _TableBuf, number: int) -> None:
        for index, row in enumerate(table.rows):
            start = self.page
            lead = total = 0
            for cell in row.cells:
                cell_lead = cell_total = 0
                seen_text = False
                for para in cell.paras:
                    if not seen_text:
                        cell_lead = cell_total + para.lead
                        seen_text = bool(para.text().strip())
                    cell_total += para.total
                lead, total = max(lead, cell_lead), max(total, cell_total)
                cell.text = "\n".join(para.text() for para in cell.paras).strip()
                for inner in cell.nested:
                    self.notes.append(
                        Note(
                            "nested_table",
                            f"a table inside a cell (row {index + 1}) was read as its own table; "
                            "the cell's text leaves it out",
                            start,
                        )
                    )
                    self.table(inner, number)
                    self.page = start
            row.page = start + lead
            self.page = start + total
        _settle_grid(table)


def _settle_grid(table: _TableBuf) -> None:
    """Give each cell its grid column; fold vMerge and hMerge continuations into
    the cell they continue (which then spans more rows or columns)."""
    merging: dict[int, _CellBuf] = {}  # grid column -> cell a vMerge continues
    for row in table.rows:
        kept: list[_CellBuf] = []
        still_merging: dict[int, _CellBuf] = {}
        col = row.grid_before
        for cell in row.cells:
            if cell.hmerge and kept:
                kept[-1].span += cell.span
                col += cell.span
                continue
            above = merging.get(col) if cell.vmerge == "continue" else None
            if above is not None:
                above.row_span += 1
                if cell.text:  # Word hides text under a merge; keep it rather than lose it
                    above.text = f"{above.text}\n{cell.text}" if above.text else cell.text
                still_merging[col] = above
            else:
                cell.col = col
                kept.append(cell)
                if cell.vmerge is not None:
                    still_merging[col] = cell
            col += cell.span
        row.cells = kept
        merging = still_merging


def _int_val(el: etree._Element, default: int) -> int:
    try:
        return max(int(el.get(VAL, default)), 0)
    except ValueError:
        return default


def _parser() -> etree.XMLParser:
    """A fresh parser per file (lxml parsers are not shared across threads); no
    entities, no network, and libxml2's own bounds kept (not huge_tree): elements
    nested at most 256 deep, a text node at most 10 MB."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _xml(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        if any(word in str(exc) for word in XML_BOUNDS):
            raise TooLarge(f"too large (the Word file's XML is past libxml2's bounds: {short_reason(exc)})",
                           "the file may be damaged or a decompression bomb") from None  # fmt: skip
        raise


def _rels(archive: BoundedZip, name: str, base: str) -> list[tuple[str, str, str]]:
    """(id, type, target path inside the ZIP) of a part's relationships."""
    data = archive.read(name)
    if data is None:
        return []
    found = []
    for rel in _xml(data).iter(f"{{{PKG_RELS_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = posixpath.normpath(posixpath.join(base, target)).lstrip("/")
        found.append((rel.get("Id", ""), rel.get("Type", ""), path))
    return found


def _not_word(archive: BoundedZip) -> UnsupportedFormat:
    if archive.read("mimetype") == b"application/vnd.oasis.opendocument.text":
        what = "an OpenDocument text (.odt), not a Word document"
    elif any(name.startswith("ppt/") for name in archive.namelist()):
        what = "a PowerPoint file, not a Word document"
    else:
        what = "a ZIP archive that is not a Word document"
    return UnsupportedFormat(what, "save the plan as .docx, .doc or PDF")


def _load(path: Path, limits: Limits) -> tuple[etree._Element, bytes, list[etree._Element]]:
    """The main document's root, its raw bytes, and the page-header parts' roots."""
    with BoundedZip(path, limits, "the Word file") as archive:
        package = _rels(archive, "_rels/.rels", "")
        main = next((p for _, kind, p in package if kind.endswith(OFFICE_DOCUMENT)), "word/document.xml")
        data = archive.read(main)
        if data is None:
            raise _not_word(archive)
        root = _xml(data)
        if root.tag == f"{{{STRICT_W_NS}}}document":
            raise UnsupportedFormat(
                "a Word file saved as Strict Open XML", "save it again as an ordinary Word document (.docx)"
            )
        if root.tag != _w("document"):
            raise _not_word(archive)
        folder, name = posixpath.split(main)
        rels = _rels(archive, posixpath.join(folder, "_rels", f"{name}.rels"), folder)
        targets = dict.fromkeys(target for _, kind, target in rels if kind.endswith(HEADER_REL))  # each part once
        parts = (archive.read(target) for target in targets)
        headers = [_xml(part) for part in parts if part is not None]
    return root, data, headers


FORMAT = "docx"


def sniff(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")  # any ZIP: read() says which Office file it is if not Word


def read(path: Path, settings: Settings | None = None) -> RawDocument:
    """Read a DOCX plan's tables, running lines and page headers."""
    if xls.is_workbook(path):  # an Excel file whose first bytes did not say so
        return xls.read(path, settings)
    try:
        root, data, headers = _load(path, (settings or Settings()).limits)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        message = f"the Word file is damaged or incomplete ({short_reason(exc)})"
        raise ExtractionError(message, DAMAGED_HINT) from exc
    except etree.XMLSyntaxError as exc:
        message = f"the Word file is damaged: its XML is not well-formed ({short_reason(exc)})"
        raise ExtractionError(message, DAMAGED_HINT) from exc
    except OSError as exc:
        raise ExtractionError(f"the Word file cannot be read ({short_reason(exc)})", DAMAGED_HINT) from exc
    collecting = gc.isenabled()
    gc.disable()  # the walk allocates ~10 objects per cell and holds them all: nothing for the GC to free
    try:
        return parse(root, data, headers, str(path))
    finally:
        if collecting:
            gc.enable()


def parse(root: etree._Element, data: bytes, headers: list[etree._Element], source: str) -> RawDocument:
    """Turn a parsed document into a RawDocument (split from `read` for tests)."""
    rendered = b"lastRenderedPageBreak" in data
    known = rendered or b"pageBreakBefore" in data or b'type="page"' in data or data.count(b"sectPr") > 2
    body = root.find(BODY)
    stream = _Stream(body if body is not None else root, rendered)
    stream.run()
    pager = _Pager()
    pager.items(stream.items)

    def page(number: int) -> int | None:
        return number if known else None

    header_lines: list[Line] = []
    seen: set[str] = set()  # a set: a header of 90,000 distinct lines was quadratic as a list scan
    for part in headers:
        header = _Stream(part, rendered=False)
        header.run()
        for item in header.items:
            for line in item.text().split("\n") if isinstance(item, _Para) else ():
                if line.strip() and line.strip() not in seen:
                    seen.add(line.strip())
                    header_lines.append(Line(line.strip()))
    tables = []
    for table in stream.tables:
        rows = tuple(
            Row(
                tuple(Cell(c.text, c.col, "docx", page(r.page), col_span=c.span, row_span=c.row_span) for c in r.cells),
                page(r.page),
                r.is_header,
            )
            for r in table.rows
        )
        tables.append(Table(rows, rows[0].page if rows else None, table.nested))
    lines = [
        Line(line.strip(), page(item.page))
        for item in stream.items
        if isinstance(item, _Para)
        for line in item.text().split("\n")
        if line.strip()
    ]
    notes = tuple(Note(n.kind, n.message, page(n.page) if n.page else None) for n in pager.notes)
    return RawDocument(source, "docx", page(pager.page), tuple(header_lines + lines), tuple(tables), notes)
