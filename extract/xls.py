"""Excel workbooks (.xlsx with openpyxl, legacy .xls with xlrd): each sheet a table.

A workbook is one document and each worksheet one "page" (1-based, in the
workbook's order, so provenance names the sheet). A sheet's used range
becomes one Table of the rows that hold something, cells in grid order; a
merged range is one Cell with its spans (counted in the rows and columns
kept); empty cells, hidden sheets, rows and columns are left out. The rows
above the first row with two or more cells (titles, organisation) become
Lines. A cell's text is its value as the sheet shows it (`xls_format`):
`200000` formatted `#,##0` reads `200,000`; a code typed as text (`1.10`)
stays text.

Bounds come before any heavy loading: the ZIP members are decompressed once
with their bytes counted (declared sizes are not trusted) and every sheet's
XML is streamed to find its used range; an .xls is bounded by its size, its
sheet count and each sheet's range.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from thaiplan.errors import ExtractionError, TooLarge, UnsupportedFormat, short_reason
from thaiplan.extract.model import Cell, Line, Note, RawDocument, Row, Table
from thaiplan.extract.xls_format import display
from thaiplan.extract.zip_bounds import check_declared, inflating
from thaiplan.settings import Limits, Settings

FORMAT = "xls"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_MAIN = re.compile(rb"(spreadsheetml\.(sheet|template)|ms-excel\.(sheet|template)\.macroEnabled)\.main\+xml")
BINARY_MAIN = b"ms-excel.sheet.binary.macroEnabled.main"
WORKBOOK_STREAMS = frozenset({"Workbook", "Book"})
OTHER_OFFICE_STREAMS = frozenset({"WordDocument", "PowerPoint Document"})  # a workbook inside these is embedded
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CELL_TAG, ROW_TAG, SHEET_TAG, FORMULA_TAG, VALUE_TAG, MERGE_TAG = (
    f"{{{SHEET_NS}}}{n}" for n in ("c", "row", "sheet", "f", "v", "mergeCell")
)
CHUNK = 1 << 20
THAI_CODEPAGE = "cp874"
MAX_SCAN_BYTES = 16 << 20  # the part of a damaged ZIP whose local headers are looked at
DAMAGED_HINT = "open it in Excel or LibreOffice, save it again as .xlsx and convert that"


@dataclass
class _Sheet:
    """One worksheet as read: display texts by (row, col), merges, what is hidden (0-based)."""

    index: int  # 1-based position in the workbook
    name: str
    hidden: bool = False
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


# --- sniffing -----------------------------------------------------------------


def sniff(head: bytes) -> bool:
    """An .xlsx (a ZIP whose content types name a workbook) or an .xls (an OLE
    file whose directory, if it is in `head`, has a Workbook/Book stream and
    no WordDocument). Files whose start does not tell are handed over by the
    Word readers, which look at the whole file (`is_workbook`)."""
    if head.startswith(ZIP_MAGIC):
        types = _first_member(head, CONTENT_TYPES)
        if types and (WORKBOOK_MAIN.search(types) or BINARY_MAIN in types):
            return True
        return _excel_names(_zip_names_in(head))
    if head.startswith(OLE_MAGIC):
        names = _ole_names_in(head)
        return bool(names & WORKBOOK_STREAMS) and not names & OTHER_OFFICE_STREAMS
    return False


def _first_member(head: bytes, name: str) -> bytes | None:
    """The start of the ZIP's first member if it is `name` (inflated as far as `head` goes)."""
    if len(head) < 30:
        return None
    method, size, name_len, extra_len = struct.unpack("<8xH8xI4xHH", head[:30])
    start = 30 + name_len + extra_len
    if head[30 : 30 + name_len] != name.encode():
        return None
    body = head[start:]
    if method == 0:
        return body[:size] if size else body
    if method != 8:
        return None
    with contextlib.suppress(zlib.error):
        return zlib.decompressobj(-15).decompress(body, 1 << 16)
    return None


def _zip_names_in(data: bytes) -> set[str]:
    """Member names of the ZIP local headers found in `data` (a file's start, or a damaged file)."""
    names = set()
    start = data.find(ZIP_MAGIC)
    while start != -1 and start + 30 <= len(data):
        length = int.from_bytes(data[start + 26 : start + 28], "little")
        with contextlib.suppress(UnicodeDecodeError):
            names.add(data[start + 30 : start + 30 + length].decode("utf-8"))
        start = data.find(ZIP_MAGIC, start + 4)
    return names


def _excel_names(names: set[str]) -> bool:
    """Excel's parts (xl/…) and no Word or PowerPoint part among ZIP member names."""
    return any(n.startswith("xl/") for n in names) and not any(n.startswith(("word/", "ppt/")) for n in names)


def _ole_names_in(head: bytes) -> set[str]:
    """Names of the OLE directory entries found in `head` (128-byte entries, UTF-16 names)."""
    names = set()
    for offset in range(512, len(head) - 127, 128):
        entry = head[offset : offset + 128]
        length = int.from_bytes(entry[64:66], "little")
        if 2 <= length <= 64 and length % 2 == 0 and entry[66] in (1, 2, 5):
            with contextlib.suppress(UnicodeDecodeError):
                names.add(entry[: length - 2].decode("utf-16-le"))
    return names


def ole_streams(data: bytes) -> set[str] | None:
    """The top-level stream names of an OLE file, None when it is not readable as one."""
    try:
        return ole_directory(data)
    except ValueError:
        return None


def ole_directory(data: bytes) -> set[str]:
    """The top-level stream names of an OLE file; ValueError saying why when its
    structure cannot be read (a truncated or damaged file)."""
    from xlrd import compdoc

    try:
        document = compdoc.CompDoc(data, logfile=io.StringIO())
    except Exception as exc:  # noqa: BLE001 (xlrd raises CompDocError, struct.error, IndexError … on damage)
        raise ValueError(short_reason(exc)) from None
    return {entry.name for entry in document.dirlist if entry.parent == 0}


def other_office_file() -> UnsupportedFormat:
    """An OLE file that is neither Word nor Excel (the doc and xls readers both say so)."""
    return UnsupportedFormat(
        "an Office file that is neither a Word document nor an Excel workbook (PowerPoint?)",
        "save the plan as .docx, .doc, .xlsx, .xls or PDF",
    )


def is_workbook(path: Path) -> bool:
    """Whether the ZIP or OLE file at `path` is an Excel workbook, looking at the whole file."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
        if magic.startswith(ZIP_MAGIC):
            if not zipfile.is_zipfile(path):  # damaged: its local headers still name its parts
                with path.open("rb") as handle:
                    return _excel_names(_zip_names_in(handle.read(MAX_SCAN_BYTES)))
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                    return True
                types = _start_of(archive, CONTENT_TYPES) if CONTENT_TYPES in names else b""
                return bool(WORKBOOK_MAIN.search(types))
        if magic == OLE_MAGIC:
            streams = ole_streams(path.read_bytes())
            return bool(streams and streams & WORKBOOK_STREAMS and not streams & OTHER_OFFICE_STREAMS)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, KeyError):
        return False
    return False


# --- reading ------------------------------------------------------------------


def read(path: Path, settings: Settings | None = None) -> RawDocument:
    """Read every visible worksheet of an .xlsx or .xls workbook."""
    limits = (settings or Settings()).limits
    with path.open("rb") as handle:
        magic = handle.read(8)
    notes: list[Note] = []
    if magic.startswith(ZIP_MAGIC):
        (sheets, unsaved), kind = _read_xlsx(path, limits), "xlsx"
        if unsaved:
            notes.append(Note("formulas_unsaved", f"{unsaved} formula cell(s) have no saved value and were read as "
                              "empty (the workbook was written without calculating them); open it in Excel or "
                              "LibreOffice, save it and convert it again"))  # fmt: skip
    else:
        sheets, kind = _read_xls(path, limits), "xls"
    return _document(str(path), kind, sheets, notes)


def _too_large(what: str, setting: str) -> TooLarge:
    error = TooLarge.past(f"the Excel file: {what}", setting)
    error.hint = f"split the workbook or keep only the plan's sheets, or raise --set {setting}=N"
    return error


def _damaged(exc: BaseException) -> ExtractionError:
    return ExtractionError(f"the Excel file is damaged or incomplete ({short_reason(exc)})", DAMAGED_HINT)


class _Counted(io.RawIOBase):
    """A ZIP member read with its bytes counted against a bound."""

    def __init__(self, member: io.BufferedIOBase, name: str, limit: int) -> None:
        self.member, self.name, self.limit, self.count = member, name, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.member.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise _too_large(f"its part {self.name} unpacks to more than {self.limit >> 20} MB", "limits.max_part_mb")
        buffer[: len(data)] = data
        return len(data)


def _start_of(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's first MB at most (its declared size is not trusted)."""
    with inflating(archive, archive.getinfo(name)) as member:
        return member.read(CHUNK)


def _check_xlsx(archive: zipfile.ZipFile, limits: Limits) -> int:
    """Decompress every member once, counting; stream each sheet's XML for its used range.
    Returns how many formulas have no saved value."""
    names = archive.namelist()
    if CONTENT_TYPES in names and BINARY_MAIN in _start_of(archive, CONTENT_TYPES):
        raise UnsupportedFormat("an Excel binary workbook (.xlsb)", "save it as .xlsx and convert that")
    if "xl/workbook.xml" not in names:
        raise UnsupportedFormat(
            "a ZIP archive that is not an Excel workbook", "save the plan as .xlsx, .xls, .docx or PDF"
        )
    limit = limits.max_part_mb << 20
    sheets = unsaved = unpacked = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        with inflating(archive, info) as member:
            counted = _Counted(member, info.filename, limit)
            stream = io.BufferedReader(counted, CHUNK)
            if info.filename == "xl/workbook.xml":
                sheets = sum(1 for _ in etree.iterparse(stream, tag=SHEET_TAG, **_ITER))
                if sheets > limits.max_sheets:
                    raise _too_large(f"{sheets} sheets, more than {limits.max_sheets}", "limits.max_sheets")
            elif info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                unsaved += _check_range(stream, info.filename, limits)
            while stream.read(CHUNK):  # the rest of a member an XML parse left (or all of it)
                pass
        check_declared(info, counted.count)
        unpacked += counted.count
        if unpacked > limits.max_unpacked_mb << 20:
            raise _too_large(f"its parts unpack to more than {limits.max_unpacked_mb} MB", "limits.max_unpacked_mb")
    return unsaved


_ITER = {"events": ("end",), "resolve_entities": False, "no_network": True, "huge_tree": True}


def _check_range(stream: io.BufferedReader, name: str, limits: Limits) -> int:
    """Stream a sheet's XML: its used range (from the cells' references) within the bound;
    how many formulas it holds without a saved value (data_only reads those as empty)."""
    rows = cols = row = col = unsaved = 0
    for _, el in etree.iterparse(stream, tag=(CELL_TAG, ROW_TAG, MERGE_TAG), **_ITER):
        if el.tag == MERGE_TAG:  # openpyxl makes a cell object for every cell a merge covers
            corner = re.match(r"[A-Z]{1,3}\d+:([A-Z]{1,3})(\d+)$", el.get("ref") or "")
            if corner:
                rows, cols = max(rows, int(corner.group(2))), max(cols, _col_number(corner.group(1)))
                _check_cells(rows, cols, limits)
            continue
        ref = el.get("r") or ""
        if el.tag == ROW_TAG:
            row = int(ref) if ref.isdigit() else row + 1
            col = 0
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
            continue
        if el.find(FORMULA_TAG) is not None and not el.findtext(VALUE_TAG):  # openpyxl writes an empty <v/>
            unsaved += 1
        match = re.match(r"([A-Z]{1,3})(\d+)$", ref)
        col = _col_number(match.group(1)) if match else col + 1
        rows, cols = max(rows, int(match.group(2)) if match else row + 1), max(cols, col)
        _check_cells(rows, cols, limits)
    return unsaved


def _check_cells(rows: int, cols: int, limits: Limits, least: str = "at least ") -> None:
    if rows * cols > limits.max_sheet_cells:
        raise _too_large(f"a sheet of {least}{rows:,} rows x {cols:,} columns, more than "
                         f"{limits.max_sheet_cells:,} cells", "limits.max_sheet_cells")  # fmt: skip


def _col_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _read_xlsx(path: Path, limits: Limits) -> tuple[list[_Sheet], int]:
    """The sheets, and how many formulas have no saved value."""
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            unsaved = _check_xlsx(archive, limits)
        with path.open("rb") as handle, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like: nothing a user can act on
            book = openpyxl.load_workbook(handle, read_only=False, data_only=True)  # read_only has no merges
            return [_xlsx_sheet(index, ws) for index, ws in enumerate(book.worksheets, 1)], unsaved
    except (ExtractionError, TooLarge, UnsupportedFormat):
        raise
    except Exception as exc:  # noqa: BLE001 (zipfile, lxml, openpyxl raise many kinds on a damaged file)
        raise _damaged(exc) from exc


def _xlsx_sheet(index: int, ws: object) -> _Sheet:
    sheet = _Sheet(index, ws.title, hidden=ws.sheet_state != "visible")
    for number, dim in ws.row_dimensions.items():
        if dim.hidden:
            sheet.hidden_rows.add(number - 1)
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min:
            sheet.hidden_cols.update(range(dim.min - 1, (dim.max or dim.min)))
    sheet.merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            text = display(value, cell.number_format) if cell.data_type != "s" else str(value)
            _put(sheet, cell.row - 1, cell.column - 1, text)
    return sheet


def _read_xls(path: Path, limits: Limits) -> list[_Sheet]:
    import xlrd

    size = path.stat().st_size
    if size > limits.max_part_mb << 20:
        raise _too_large(f"{size >> 20} MB, more than {limits.max_part_mb} MB", "limits.max_part_mb")
    data = path.read_bytes()

    def open_book(**extra: str) -> xlrd.Book:
        return xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO(), **extra
        )

    try:
        book = open_book()
        if book.biff_version < 80 and book.codepage is None:  # Excel 95 or older without a CODEPAGE record:
            book = open_book(encoding_override=THAI_CODEPAGE)  # its bytes are Thai Windows, not iso-8859-1
    except xlrd.XLRDError as exc:
        if "can't find workbook" in str(exc).lower():
            raise other_office_file() from exc
        if "encrypted" in str(exc).lower():
            raise ExtractionError(
                "the Excel file is password-protected", "save an unprotected copy and convert that"
            ) from exc
        raise _damaged(exc) from exc
    except Exception as exc:  # noqa: BLE001 (xlrd raises struct.error, IndexError, AssertionError … on damage)
        raise _damaged(exc) from exc
    if book.nsheets > limits.max_sheets:
        raise _too_large(f"{book.nsheets} sheets, more than {limits.max_sheets}", "limits.max_sheets")
    sheets = []
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            _check_cells(ws.nrows, ws.ncols, limits, least="")
            sheets.append(_xls_sheet(book, index + 1, ws))
            book.unload_sheet(index)
    except (ExtractionError, TooLarge):
        raise
    except Exception as exc:  # noqa: BLE001
        raise _damaged(exc) from exc
    return sheets


def _xls_sheet(book: object, index: int, ws: object) -> _Sheet:
    import xlrd

    sheet = _Sheet(index, ws.name, hidden=ws.visibility != 0)
    sheet.hidden_rows = {r for r, info in ws.rowinfo_map.items() if info.hidden}
    sheet.hidden_cols = {c for c, info in ws.colinfo_map.items() if info.hidden}
    sheet.merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in ws.merged_cells]
    for r in range(ws.nrows):
        for c, cell in enumerate(ws.row(r)):
            kind = cell.ctype
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            if kind == xlrd.XL_CELL_TEXT:
                text = cell.value
            elif kind == xlrd.XL_CELL_ERROR:
                text = xlrd.error_text_from_code.get(cell.value, "#ERROR")
            elif kind == xlrd.XL_CELL_BOOLEAN:
                text = "TRUE" if cell.value else "FALSE"
            else:
                code = _xls_format(book, cell.xf_index)
                value = cell.value
                if kind == xlrd.XL_CELL_DATE:
                    with contextlib.suppress(xlrd.xldate.XLDateError, ValueError, OverflowError):
                        value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                text = display(value, code)
            _put(sheet, r, c, text)
    return sheet


def _xls_format(book: object, xf_index: int | None) -> str:
    try:
        return book.format_map[book.xf_list[xf_index].format_key].format_str
    except (IndexError, KeyError, TypeError):
        return "General"


def _put(sheet: _Sheet, row: int, col: int, text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if text:
        sheet.texts[(row, col)] = text


# --- sheets to a document -----------------------------------------------------


def _document(source: str, kind: str, sheets: list[_Sheet], notes: list[Note]) -> RawDocument:
    lines: list[Line] = []
    tables: list[Table] = []
    for sheet in sheets:
        if sheet.hidden:
            notes.append(Note("hidden_sheet", f"sheet {sheet.index} ({sheet.name}) is hidden and was left out",
                              sheet.index, "info"))  # fmt: skip
            continue
        sheet_lines, table, skipped = _sheet_table(sheet)
        lines += sheet_lines
        if table is not None:
            tables.append(table)
        if skipped:
            notes.append(Note("hidden_cells", f"sheet {sheet.index} ({sheet.name}): {skipped} cells in hidden rows "
                              "or columns were left out", sheet.index, "info"))  # fmt: skip
    return RawDocument(source, kind, len(sheets), tuple(lines), tuple(tables), tuple(notes))


def _sheet_table(sheet: _Sheet) -> tuple[list[Line], Table | None, int]:
    """The sheet's title lines, its table, and how many cells hidden rows or columns held."""
    texts = dict(sheet.texts)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in sheet.merges:
        anchor = texts.get((r0, c0))
        if (r1 - r0 + 1) * (c1 - c0 + 1) <= len(texts):
            covered = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        else:  # a merge wider than the sheet's content (a whole row or column): look at the content instead
            covered = [(r, c) for r, c in texts if r0 <= r <= r1 and c0 <= c <= c1]
        for pos in covered:
            texts.pop(pos, None)  # Excel shows only the first cell of a merge
        if anchor is not None:
            texts[(r0, c0)] = anchor
            spans[(r0, c0)] = (r1, c1)
    visible = {pos: text for pos, text in texts.items() if _shown(sheet, *pos)}
    skipped = len(texts) - len(visible)
    if not visible:
        return [], None, skipped
    by_row: dict[int, list[int]] = {}
    for r, c in sorted(visible):
        by_row.setdefault(r, []).append(c)
    kept_rows = sorted(by_row)
    first_col = min(c for _, c in visible)
    last_col = max(spans.get(pos, pos)[1] for pos in visible)
    grid = [c for c in range(first_col, last_col + 1) if c not in sheet.hidden_cols]
    col_at = {c: i for i, c in enumerate(grid)}
    lines: list[Line] = []
    rows: list[Row] = []
    page = sheet.index
    for r in kept_rows:
        cols = by_row[r]
        if not rows and len(cols) == 1:
            lines.append(Line(visible[(r, cols[0])], page))  # a title above the table
            continue
        cells = []
        for c in cols:
            r1, c1 = spans.get((r, c), (r, c))
            cells.append(Cell(visible[(r, c)], col_at[c], "xls", page,
                              col_span=max(1, sum(1 for x in range(c, c1 + 1) if x in col_at)),
                              row_span=max(1, bisect.bisect_right(kept_rows, r1) - bisect.bisect_left(kept_rows, r))))  # fmt: skip
        rows.append(Row(tuple(cells), page))
    return lines, (Table(tuple(rows), page) if rows else None), skipped


def _shown(sheet: _Sheet, row: int, col: int) -> bool:
    return row not in sheet.hidden_rows and col not in sheet.hidden_cols
