"""Typed exports beside the CSVs: OUT/<table>.parquet, OUT/thaiplan.xlsx and
OUT/datapackage.json (a Frictionless Data Package describing the CSVs).

The CSVs stay the contract; these files carry the same rows with their types,
so no reader has to guess that `1.10` is a code and not a number:

- Parquet: strings for ids, codes and text; decimal128(18, 2) for amounts
  (exact baht and satang); date32 for dates; int64 with nulls for counts,
  years, pages and numbers.
- Excel: one sheet per table, the header frozen and bold; string cells typed as
  text (format `@`), amounts as numbers, dates as dates. A table longer than a
  sheet holds is cut at Excel's row limit, and a `notes` sheet says so.
- datapackage.json: a Table Schema per CSV (types, missing values, keys).

They are written from the CSVs the export has just written (so they hold the
very same rows), streamed in record batches, so memory stays flat however
many documents there are.
Every file is written under a temporary name and renamed; the bytes depend
only on the rows (no timestamps), so an unchanged dataset exports the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thaiplan.columns import COLUMNS, Kind, kind_of
from thaiplan.writers import atomic_path, write_atomic

if TYPE_CHECKING:
    import pyarrow as pa


XLSX_NAME = "thaiplan.xlsx"
DATAPACKAGE_NAME = "datapackage.json"
EXCEL_MAX_ROWS = 1_048_576  # rows in one sheet, the header included
BATCH_BYTES = 1 << 22  # CSV bytes per record batch and Parquet row group: what the driver holds at once

def parquet_name(table: str) -> str:
    return f"{table}.parquet"


# Writing cells is the slow part of an export (Python per cell, even with
# XlsxWriter); beyond this many documents a workbook is no longer something to
# open in Excel anyway, and the Parquet and CSV files carry the dataset.
XLSX_MAX_DOCUMENTS = 2000


def typed_files(with_xlsx: bool = True) -> list[str]:
    return [*(parquet_name(t) for t in COLUMNS), *([XLSX_NAME] if with_xlsx else []), DATAPACKAGE_NAME]


def complete(out: Path) -> bool:
    """Every typed export is there (a folder exported before they existed gets them)."""
    return all((out / name).is_file() for name in typed_files(with_xlsx=False))


def export_typed(csv_dir: Path, out: Path, documents: int) -> None:
    """Write the Parquet files, the workbook (up to XLSX_MAX_DOCUMENTS documents) and
    the data package of `out` from the CSVs in `csv_dir`: the typed files are the
    CSVs' very rows, typed by Arrow's CSV reader (C++, no Python per cell for Parquet)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pool = pa.default_memory_pool()
    with_xlsx = documents <= XLSX_MAX_DOCUMENTS
    if not with_xlsx:
        (out / XLSX_NAME).unlink(missing_ok=True)  # never an out-of-date workbook beside the dataset
    workbook = _Workbook() if with_xlsx else None
    try:
        for table in COLUMNS:
            schema = _arrow_schema(table)
            sheet = workbook.sheet(table) if workbook is not None else None
            with atomic_path(out / parquet_name(table)) as tmp:
                writer = pq.ParquetWriter(str(tmp), schema)
                try:
                    for batch in _csv_batches(csv_dir / f"{table}.csv", schema):
                        writer.write_batch(batch)
                        if sheet is not None:
                            sheet.extend(batch)
                finally:
                    writer.close()
            pool.release_unused()  # Arrow's pool keeps what it freed: given back, each table starts low
            if sheet is not None:
                sheet.close()
        if workbook is not None:
            with atomic_path(out / XLSX_NAME) as tmp:
                workbook.save(tmp)
    finally:
        if workbook is not None:
            workbook.discard()
    write_atomic(out / DATAPACKAGE_NAME, json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n")


# --- Parquet ---


def _arrow_type(kind: Kind) -> pa.DataType:
    import pyarrow as pa

    return {"string": pa.string(), "integer": pa.int64(), "decimal": pa.decimal128(18, 2), "date": pa.date32()}[kind]


def _arrow_schema(table: str) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(c, _arrow_type(kind_of(table, c))) for c in COLUMNS[table]])


def _csv_batches(path: Path, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """A CSV of the dataset as record batches of `schema`, one per piece of whole rows
    (_row_pieces); an empty cell is null, as the CSV's contract says (empty is unknown, not 0).

    Each piece is parsed on its own: Arrow's streaming reader (open_csv) reads up to 32
    blocks ahead on a background thread whatever the block size, so the driver would
    hold most of a large CSV at once."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    convert = pcsv.ConvertOptions(column_types=schema, include_columns=schema.names, null_values=[""],
                                  strings_can_be_null=True, quoted_strings_can_be_null=True)  # fmt: skip
    parse = pcsv.ParseOptions(newlines_in_values=True)  # a cell may hold a line break
    for piece in _row_pieces(path):
        read = pcsv.ReadOptions(column_names=schema.names, block_size=len(piece) + 1, use_threads=False)
        table = pcsv.read_csv(pa.py_buffer(piece), read_options=read, parse_options=parse, convert_options=convert)
        if table.num_rows:
            yield table.combine_chunks().to_batches()[0]


def _row_pieces(path: Path) -> Iterator[bytes]:
    """The rows of a CSV written by exports (UTF-8 with BOM, RFC 4180 quoting), header
    left out, in pieces of whole rows of about BATCH_BYTES (one longer row: its own piece).
    A line break ends a row where the quotes before it are paired; every quote of such a
    CSV is in a quoted cell (a quote inside one is doubled), so the count tells. Each block
    is scanned once: what is pending holds no row end, only its quotes' parity is kept."""
    with path.open("rb") as handle:
        handle.readline()  # the BOM and the column names (plain words, never quoted)
        pending: list[bytes] = []
        odd = 0  # the parity of the quotes pending
        while block := handle.read(BATCH_BYTES):
            cut = _last_row_end(block, odd)
            if cut:
                yield b"".join([*pending, block[:cut]])
                pending, odd = [block[cut:]], block.count(b'"', cut) % 2
            else:
                pending.append(block)
                odd ^= block.count(b'"') % 2
        if any(pending):
            yield b"".join(pending)


def _last_row_end(block: bytes, odd_before: int) -> int:
    """The offset just past the last line break of `block` that ends a row (0: none does),
    after text whose quotes' parity is `odd_before`."""
    odd = odd_before ^ (block.count(b'"') % 2)  # the quotes up to the end, paired or not
    end = len(block)
    while (newline := block.rfind(b"\n", 0, end)) >= 0:
        odd ^= block.count(b'"', newline, end) % 2
        if not odd:  # the quotes before this line break are paired: it ends a row
            return newline + 1
        end = newline
    return 0


# --- Excel ---

# Column widths in characters: Thai text is narrow per code point (vowels and
# tone marks stack), so a text column shows most of a name at 50-60.
_WIDE = {"title": 60, "name": 60, "message": 70, "error": 50, "organization": 40, "remark": 30, "period_text": 26,
         "warnings": 40, "label": 24, "source": 40, "sha256": 66}  # fmt: skip
_KIND_WIDTH: dict[Kind, int] = {"string": 12, "integer": 10, "decimal": 16, "date": 12}
_FORMATS: dict[Kind, str] = {"string": "@", "integer": "0", "decimal": "#,##0.00", "date": "yyyy-mm-dd"}
_CELL_LIMIT = 32_767  # characters Excel keeps in one cell
_FIXED_TIME = dt.datetime(2000, 1, 1)  # the workbook's created/modified: no clock in the bytes
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML 1.0 cannot hold


class _Workbook:
    """An XlsxWriter workbook in constant-memory mode (rows go to disk as they are
    written) whose bytes depend only on its cells: fixed document dates, and
    XlsxWriter stamps every zip entry with one fixed date."""

    def __init__(self) -> None:
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="thaiplan-xlsx-")
        self.path = Path(self.folder) / XLSX_NAME
        self.book = _xlsxwriter().Workbook(str(self.path), {
            "constant_memory": True, "tmpdir": self.folder,
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })  # fmt: skip
        self.book.set_properties({"created": _FIXED_TIME})
        self.bold = self.book.add_format({"bold": True})
        self.formats = {kind: self.book.add_format({"num_format": f}) for kind, f in _FORMATS.items()}
        self.cut: list[tuple[str, int, int]] = []  # (table, rows shown, rows in all)
        self.shortened = 0

    def sheet(self, table: str) -> _Sheet:
        return _Sheet(self, table)

    def save(self, path: Path) -> None:
        if self.cut or self.shortened:
            self._notes()
        self.book.close()
        shutil.move(str(self.path), path)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _notes(self) -> None:
        ws = self.book.add_worksheet("notes")
        ws.set_column(0, 0, 100)
        lines = [f"{table}: the first {shown:,} of {total:,} rows (Excel's limit); "
                 f"{table}.csv and {table}.parquet hold them all" for table, shown, total in self.cut]  # fmt: skip
        if self.shortened:
            lines.append(f"{self.shortened:,} cells longer than Excel's {_CELL_LIMIT:,} characters are cut; "
                         "the CSV and Parquet files hold the whole text")  # fmt: skip
        ws.write_string(0, 0, "notes", self.bold)
        for row, line in enumerate(lines, 1):
            ws.write_string(row, 0, line)


def _xlsxwriter() -> Any:
    import xlsxwriter

    return xlsxwriter


class _Sheet:
    """One table's sheet: the header, then rows until Excel's limit (the rest only counted)."""

    def __init__(self, workbook: _Workbook, table: str) -> None:
        self.workbook, self.table = workbook, table
        ws = self.ws = workbook.book.add_worksheet(table)
        columns = COLUMNS[table]
        self.kinds = [kind_of(table, c) for c in columns]
        for number, (column, kind) in enumerate(zip(columns, self.kinds)):
            ws.set_column(number, number, _WIDE.get(column, max(_KIND_WIDTH[kind], len(column) + 2)))
        ws.freeze_panes(1, 0)
        for number, column in enumerate(columns):
            ws.write_string(0, number, column, workbook.bold)
        self.rows = 1
        self.total = 0

    def extend(self, batch: pa.RecordBatch) -> None:
        """Write a batch column by column (XlsxWriter keeps the current row's cells
        until the next row starts, so cells go row by row)."""
        self.total += batch.num_rows
        room = max(0, EXCEL_MAX_ROWS - self.rows)
        count = min(room, batch.num_rows)
        columns = [batch.column(i).to_pylist()[:count] for i in range(batch.num_columns)]
        writers = [self._writer(kind) for kind in self.kinds]
        first = self.rows
        for offset in range(count):
            row = first + offset
            for number, (values, write) in enumerate(zip(columns, writers)):
                value = values[offset]
                if value is not None:
                    write(row, number, value)
        self.rows += count

    def _writer(self, kind: Kind) -> Callable[[int, int, Any], Any]:
        ws, cell_format = self.ws, self.workbook.formats[kind]
        if kind == "string":  # write_string: a text starting with `=` stays text, never a formula
            return lambda row, col, value: ws.write_string(row, col, self._text(value), cell_format)
        if kind == "date":
            return lambda row, col, value: ws.write_datetime(row, col, value, cell_format)
        return lambda row, col, value: ws.write_number(row, col, float(value), cell_format)

    def _text(self, value: str) -> str:
        value = _NOT_IN_XML.sub("", value)
        if len(value) > _CELL_LIMIT:
            self.workbook.shortened += 1
            value = value[: _CELL_LIMIT - 1] + "…"
        return value

    def close(self) -> None:
        if self.total > self.rows - 1:
            self.workbook.cut.append((self.table, self.rows - 1, self.total))


# --- datapackage.json ---

_FRICTIONLESS: dict[Kind, str] = {"string": "string", "integer": "integer", "decimal": "number", "date": "date"}

# Keys the pipeline guarantees, not only ones the samples happen to satisfy:
# documents are stored under their source path (the store's primary key);
# a document's missions are one per code (a repeated code is a finding, not a
# row) and its items are numbered 1, 2, … A budgets key (doc_id, item_no,
# fiscal_year) is NOT declared: a plain budget column without a year in a
# plan of several years gives an empty fiscal_year (a key may not be empty),
# and two columns headed by one year would give the same key twice.
PRIMARY_KEYS: dict[str, list[str]] = {
    "documents": ["source"],
    "missions": ["doc_id", "code"],
    "items": ["doc_id", "item_no"],
}
# Foreign keys only where the referenced fields are a key: every budget row is
# one of its item's cells. No table declares a key to documents: documents.doc_id
# is not unique there (a duplicate shares its original's doc_id, and so do two
# sources with the same bytes), so it cannot be the target of a foreign key (in
# SQL, or for a validator that checks the target is a key). The link is there all
# the same: join on doc_id with documents whose status is `converted`.
FOREIGN_KEYS: dict[str, list[dict[str, Any]]] = {
    "budgets": [{"fields": ["doc_id", "item_no"], "reference": {"resource": "items", "fields": ["doc_id", "item_no"]}}],
}

_DESCRIPTIONS = {
    "doc_id": "first 16 hex digits of the file's SHA-256",
    "code": "mission code, Arabic dotted (2.3.1): text, never a number",
    "parent": "the parent mission's code",
    "fiscal_year": "Buddhist Era fiscal year (N runs 1 Oct N-1 to 30 Sep N)",
    "fiscal_year_first": "Buddhist Era",
    "fiscal_year_last": "Buddhist Era",
    "budget_baht": "baht; empty is unknown, not 0",
    "amount_baht": "baht; empty is unknown, not 0",
    "period_start": "Common Era",
    "period_end": "Common Era",
    "family": "plan family: anticorruption or development",
    "read_by": "how the text was read: text, docx, xls, pdf, ocr, or mixed (some pages OCR'd)",
    "ocr_pages": "how many pages were read by OCR",
    "kind": "heading kind: dimension, mission, sub_mission (strategy, guideline)",
    "part": "the item's sub-row with its own budget (จุดที่ ๑, ๒ …); empty when none",
    "source": "funding source printed beside the amount (งบ อบต., งบอุดหนุน)",
    "table": "where the printed figure stands: detail (a total row) or summary (a summary table)",
}
_TABLE_DESCRIPTIONS = {
    "documents": "one row per input file",
    "missions": "one row per dimension, mission and sub-mission",
    "items": "one row per project, activity or measure",
    "budgets": "one row per item and fiscal year",
    "totals": "one row per printed total row and fiscal year; its counts on one row only, never once per year",
    "reconciliation": "one row per printed figure checked",
    "findings": "one row per other problem found",
}


def datapackage() -> dict[str, Any]:
    """The Data Package descriptor of the CSVs (the same for every dataset: the tables' contract)."""
    return {
        "profile": "tabular-data-package",
        "name": "thaiplan",
        "title": "Thai local-government plan tables",
        "description": "Written by thaiplan. The same tables, typed, are in <table>.parquet and thaiplan.xlsx.",
        "resources": [_resource(table) for table in COLUMNS],
    }


def _resource(table: str) -> dict[str, Any]:
    fields = []
    for column in COLUMNS[table]:
        field: dict[str, Any] = {"name": column, "type": _FRICTIONLESS[kind_of(table, column)]}
        if field["type"] == "number":
            field["bareNumber"] = True  # plain decimals, no separators: 20000, 1250.50
        if field["type"] == "date":
            field["format"] = "default"  # ISO 8601, YYYY-MM-DD
        if column in _DESCRIPTIONS:
            field["description"] = _DESCRIPTIONS[column]
        if column == "doc_id" and table != "documents":  # rows exist only for a converted document
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[table]
    if table in FOREIGN_KEYS:
        schema["foreignKeys"] = FOREIGN_KEYS[table]
    return {
        "name": table,
        "path": f"{table}.csv",
        "profile": "tabular-data-resource",
        "description": _TABLE_DESCRIPTIONS[table],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",  # UTF-8 with a byte-order mark, so Excel opens the Thai text right
        "dialect": {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
        "schema": schema,
    }


# --- files ---
