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

Rows stream from the store table by table and document by document, written
in record batches, so memory stays flat however many documents there are.
Every file is written under a temporary name and renamed; the bytes depend
only on the rows (no timestamps), so an unchanged dataset exports the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thaiplan.records import COLUMNS, Kind, kind_of
from thaiplan.store import Store
from thaiplan.writers import atomic_path, write_atomic

if TYPE_CHECKING:
    import pyarrow as pa


XLSX_NAME = "thaiplan.xlsx"
DATAPACKAGE_NAME = "datapackage.json"
EXCEL_MAX_ROWS = 1_048_576  # rows in one sheet, the header included
BATCH_ROWS = 8192  # rows per Parquet record batch and row group: what the driver holds at once

def parquet_name(table: str) -> str:
    return f"{table}.parquet"


# Writing cells is the slow part of an export (about 10 ms per document with
# openpyxl); beyond this many documents a workbook is no longer something to
# open in Excel anyway, and the Parquet and CSV files carry the dataset.
XLSX_MAX_DOCUMENTS = 2000


def typed_files(with_xlsx: bool = True) -> list[str]:
    return [*(parquet_name(t) for t in COLUMNS), *([XLSX_NAME] if with_xlsx else []), DATAPACKAGE_NAME]


def complete(out: Path) -> bool:
    """Every typed export is there (a folder exported before they existed gets them)."""
    return all((out / name).is_file() for name in typed_files(with_xlsx=False))


def export_typed(store: Store, out: Path, doc_ids: list[str]) -> None:
    """Write the Parquet files, the workbook (up to XLSX_MAX_DOCUMENTS) and the data package of `out`."""
    import pyarrow.parquet as pq

    with_xlsx = len(doc_ids) <= XLSX_MAX_DOCUMENTS
    if not with_xlsx:
        (out / XLSX_NAME).unlink(missing_ok=True)  # never an out-of-date workbook beside the dataset
    workbook = _Workbook()
    for table, columns in COLUMNS.items():
        schema = _arrow_schema(table)
        sheet = workbook.sheet(table, columns) if with_xlsx else None
        with atomic_path(out / parquet_name(table)) as tmp:
            writer = pq.ParquetWriter(str(tmp), schema)
            try:
                batch: list[tuple[Any, ...]] = []
                for row in _typed_rows(store, table, doc_ids):
                    if sheet is not None:
                        sheet.append(row)
                    batch.append(row)
                    if len(batch) >= BATCH_ROWS:
                        writer.write_batch(_batch(schema, batch))
                        batch = []
                if batch:
                    writer.write_batch(_batch(schema, batch))
            finally:
                writer.close()
        if sheet is not None:
            sheet.close()
    if with_xlsx:
        with atomic_path(out / XLSX_NAME) as tmp:
            workbook.save(tmp)
    write_atomic(out / DATAPACKAGE_NAME, json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n")


# --- rows ---


def _typed_rows(store: Store, table: str, doc_ids: list[str]) -> Iterator[tuple[Any, ...]]:
    """The table's rows in the CSV's order, each cell as its Python type (None when empty)."""
    columns = COLUMNS[table]
    convert = [_CONVERTERS[kind_of(table, c)] for c in columns]
    if table == "documents":
        rows: Iterator[dict[str, Any]] = store.documents()
    else:
        rows = store.table_rows(table)
    for row in rows:
        yield tuple(None if (v := row.get(c)) is None or v == "" else f(v) for c, f in zip(columns, convert))


def _integer(value: object) -> int:
    return int(value)  # type: ignore[call-overload,no-any-return]


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))  # stored as the CSV's text: `20000`, `1250.50`


def _date(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value))


_CONVERTERS: dict[Kind, Callable[[object], object]] = {
    "string": str,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
}


# --- Parquet ---


def _arrow_type(kind: Kind) -> pa.DataType:
    import pyarrow as pa

    return {"string": pa.string(), "integer": pa.int64(), "decimal": pa.decimal128(18, 2), "date": pa.date32()}[kind]


def _arrow_schema(table: str) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(c, _arrow_type(kind_of(table, c))) for c in COLUMNS[table]])


def _batch(schema: pa.Schema, rows: list[tuple[Any, ...]]) -> pa.RecordBatch:
    import pyarrow as pa

    columns = list(zip(*rows))
    return pa.record_batch([pa.array(col, type=f.type) for col, f in zip(columns, schema)], schema=schema)


# --- Excel ---

# Column widths in characters: Thai text is narrow per code point (vowels and
# tone marks stack), so a text column shows most of a name at 50-60.
_WIDE = {"title": 60, "name": 60, "message": 70, "error": 50, "organization": 40, "remark": 30, "period_text": 26,
         "warnings": 40, "label": 24, "source": 40, "sha256": 66}  # fmt: skip
_KIND_WIDTH: dict[Kind, int] = {"string": 12, "integer": 10, "decimal": 16, "date": 12}
_FORMATS: dict[Kind, str] = {"string": "@", "integer": "0", "decimal": "#,##0.00", "date": "yyyy-mm-dd"}
_CELL_LIMIT = 32_767  # characters Excel keeps in one cell
_FIXED_TIME = dt.datetime(2000, 1, 1)  # the workbook's created/modified: no clock in the bytes


class _Workbook:
    """A write-only openpyxl workbook whose file depends only on its cells."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self.book.properties.created = _FIXED_TIME
        self.book.properties.modified = _FIXED_TIME
        self.cut: list[tuple[str, int, int]] = []  # (table, rows shown, rows in all)
        self.shortened = 0

    def sheet(self, table: str, columns: tuple[str, ...]) -> _Sheet:
        return _Sheet(self, table, columns)

    def save(self, path: Path) -> None:
        from openpyxl.writer.excel import ExcelWriter

        if self.cut or self.shortened:
            self._notes()
        # ExcelWriter is what openpyxl's own save uses; given our archive, no entry carries the clock
        with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(self.book, archive).save()

    def _notes(self) -> None:

        ws = self.book.create_sheet("notes")
        ws.column_dimensions["A"].width = 100
        ws.append([_bold(ws, "notes")])
        for table, shown, total in self.cut:
            ws.append([f"{table}: the first {shown:,} of {total:,} rows (Excel's limit); "
                       f"{table}.csv and {table}.parquet hold them all"])  # fmt: skip
        if self.shortened:
            ws.append([f"{self.shortened:,} cells longer than Excel's {_CELL_LIMIT:,} characters are cut; "
                       "the CSV and Parquet files hold the whole text"])  # fmt: skip


def _bold(ws: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True)
    return cell


class _Sheet:
    """One table's sheet: the header, then rows until Excel's limit (the rest only counted)."""

    def __init__(self, workbook: _Workbook, table: str, columns: tuple[str, ...]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        self.workbook, self.table = workbook, table
        ws = self.ws = workbook.book.create_sheet(table)
        kinds = [kind_of(table, c) for c in columns]
        for number, (column, kind) in enumerate(zip(columns, kinds), 1):
            ws.column_dimensions[get_column_letter(number)].width = _WIDE.get(
                column, max(_KIND_WIDTH[kind], len(column) + 2)
            )
        ws.freeze_panes = "A2"
        ws.append([_bold(ws, c) for c in columns])
        # One styled cell per column, refilled for each row: openpyxl writes a row's cells as it is appended
        self.cells = [WriteOnlyCell(ws) for _ in columns]
        for cell, kind in zip(self.cells, kinds):
            cell.number_format = _FORMATS[kind]
        self.strings = [k == "string" for k in kinds]
        self.rows = 1
        self.total = 0

    def append(self, row: tuple[Any, ...]) -> None:
        self.total += 1
        if self.rows >= EXCEL_MAX_ROWS:
            return
        self.rows += 1
        values: list[Any] = []
        for value, cell, is_string in zip(row, self.cells, self.strings):
            if value is None:
                values.append(None)
                continue
            if is_string:
                value = self._text(value)
            cell.value = value
            if is_string:
                cell.data_type = "s"  # a text starting with `=` stays text, never a formula
            values.append(cell)
        self.ws.append(values)

    def _text(self, value: str) -> str:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
        if len(value) > _CELL_LIMIT:
            self.workbook.shortened += 1
            value = value[: _CELL_LIMIT - 1] + "…"
        return value

    def close(self) -> None:
        if self.total > self.rows - 1:
            self.workbook.cut.append((self.table, self.rows - 1, self.total))


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed date (zipfile stamps the clock or a file's mtime)."""

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
        info.compress_type = self.compression
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: str | bytes, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        info = self._info(str(arcname if arcname is not None else filename))
        info.file_size = os.path.getsize(filename)  # so zipfile chooses ZIP64 for a sheet over 2 GB
        with open(filename, "rb") as source, self.open(info, "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)  # a sheet's XML streams; it may be large


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
