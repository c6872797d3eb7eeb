"""The typed exports (Parquet, Excel, datapackage.json) and thaiplan.load's dtypes,
read by the tools people use: frictionless, pandas, DuckDB, openpyxl."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import thaiplan
from tests.conftest import ROOT, SEED
from thaiplan import loading, typed_exports
from thaiplan.columns import COLUMNS
from thaiplan.runner import run
from thaiplan.store import Store

FOURYEAR = ROOT / "samples" / "fouryear_2561-2564.txt"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("typed") / "out"
    result = run([SEED, FOURYEAR], folder, {"jobs": 1})
    assert [f.status for f in result.files] == ["converted", "converted"]
    return folder


def _descriptor(out: Path) -> dict[str, object]:
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _read_with_schema(path: Path, resource: dict[str, object]) -> pd.DataFrame:
    """A CSV read by plain pandas, with only the datapackage's types as a guide."""
    schema = resource["schema"]
    assert isinstance(schema, dict)
    pandas_type = {"string": str, "integer": "Int64", "number": "Float64", "date": str}
    dtypes = {f["name"]: pandas_type[f["type"]] for f in schema["fields"]}
    dates = [f["name"] for f in schema["fields"] if f["type"] == "date"]
    frame = pd.read_csv(path, dtype=dtypes, encoding=str(resource["encoding"]), keep_default_na=False,
                        na_values=schema["missingValues"])  # fmt: skip
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame


def test_the_data_package_validates(out: Path) -> None:
    from frictionless import validate

    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = [r["name"] for r in _descriptor(out)["resources"]]  # type: ignore[index]
    assert names == list(COLUMNS)


def test_the_data_package_catches_a_wrong_cell(out: Path, tmp_path: Path) -> None:
    """The schema is checked, not guessed: a text item number and a budget of an unknown item fail."""
    from frictionless import validate

    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    items = (copy / "items.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    items[1] = items[1].replace(",1,1.1,", ",one,1.1,", 1)
    (copy / "items.csv").write_text("".join(items), encoding="utf-8-sig")
    report = validate(str(copy / "datapackage.json"))
    kinds = {error.type for task in report.tasks for error in task.errors}
    assert {"type-error", "foreign-key"} <= kinds


def test_keys_are_declared_only_where_they_hold(out: Path) -> None:
    resources = {r["name"]: r for r in _descriptor(out)["resources"]}  # type: ignore[index]
    keys = {name: r["schema"].get("primaryKey") for name, r in resources.items()}
    assert keys["documents"] == ["source"]
    assert keys["missions"] == ["doc_id", "code"]
    assert keys["items"] == ["doc_id", "item_no"]
    assert keys["budgets"] is None  # an unlabelled budget column gives an empty fiscal_year
    for name, key in keys.items():
        if key:
            frame = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
            assert not frame.duplicated(key).any() and (frame[key] != "").all().all(), name
    # documents.doc_id is not unique (duplicates share it): no foreign key may point at it
    for resource in resources.values():
        for foreign in resource["schema"].get("foreignKeys", []):
            assert foreign["reference"]["resource"] != "documents"


def test_codes_stay_strings_through_the_schema(out: Path, tmp_path: Path) -> None:
    resources = {r["name"]: r for r in _descriptor(out)["resources"]}  # type: ignore[index]
    for resource in resources.values():
        for field in resource["schema"]["fields"]:
            if field["name"] in ("code", "parent", "doc_id", "scope", "sha256"):
                assert field["type"] == "string", (resource["name"], field["name"])
    items = _read_with_schema(out / "items.csv", resources["items"])
    code = items.loc[items.item_no == 14, "code"].iloc[0]
    assert isinstance(code, str) and code == "2.3.1"
    assert items.budget_baht.dtype == "Float64" and items.period_start.dt.year.iloc[0] == 2019
    # `1.10` (tenth sub-mission) must not become 1.1: neither sample has one, so make one
    text = (out / "items.csv").read_text(encoding="utf-8-sig").replace(",2.3.1,", ",1.10,", 1)
    (tmp_path / "items.csv").write_text(text, encoding="utf-8-sig")
    changed = _read_with_schema(tmp_path / "items.csv", resources["items"])
    assert changed.loc[changed.item_no == 14, "code"].iloc[0] == "1.10"


def test_every_csv_loads_through_its_schema(out: Path) -> None:
    for resource in _descriptor(out)["resources"]:  # type: ignore[attr-defined]
        frame = _read_with_schema(out / resource["path"], resource)
        assert list(frame.columns) == list(COLUMNS[resource["name"]])


def test_duckdb_reads_parquet_with_types(out: Path) -> None:
    import duckdb

    relation = duckdb.sql(f"SELECT code, budget_baht FROM '{out / 'items.parquet'}'")
    assert [str(t) for t in relation.types] == ["VARCHAR", "DECIMAL(18,2)"]
    rows = relation.fetchall()
    assert "2.3.1" in {code for code, _ in rows} and all(isinstance(a, Decimal) for _, a in rows if a is not None)
    csv = pd.read_csv(out / "items.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert sum(a for _, a in rows if a is not None) == sum(Decimal(v) for v in csv.budget_baht if v)

    def types(table: str) -> dict[str, str]:
        return {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM '{out / table}.parquet'").fetchall()}

    items, documents = types("items"), types("documents")
    assert items["item_no"] == "BIGINT" and items["period_start"] == "DATE" and items["warnings"] == "VARCHAR"
    assert documents["warnings"] == "BIGINT" and documents["fiscal_year_first"] == "BIGINT"


def test_parquet_rows_are_the_csv_rows(out: Path) -> None:
    import pyarrow.parquet as pq

    for table in COLUMNS:
        parquet = pq.read_table(out / f"{table}.parquet")
        assert parquet.column_names == list(COLUMNS[table])
        csv = pd.read_csv(out / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        as_text = [["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in row.values()]
                   for row in parquet.to_pylist()]  # fmt: skip
        expected = csv.values.tolist()
        for kind_row, expected_row in zip(as_text, expected):
            for column, got, want in zip(COLUMNS[table], kind_row, expected_row):
                if typed_exports.kind_of(table, column) == "decimal" and want:
                    assert Decimal(got) == Decimal(want), (table, column)
                else:
                    assert got == want, (table, column)
        assert len(as_text) == len(expected)


def test_a_csv_is_read_in_pieces_of_whole_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces end where rows end, never at a line break inside a quoted cell (Thai text
    keeps its line breaks), and hold about BATCH_BYTES each: the driver's memory stays
    flat however long the CSV is."""
    import pyarrow.csv as pcsv

    columns = COLUMNS["findings"]
    messages = ['ไม่พบ "รหัส"\r\nในบรรทัด', "สอง\nบรรทัด", "x" * 300, "", '""', "จบ\r\n", "ธรรมดา"]
    rows = [[f"doc{i % 3}", "warning", "kind", "1.2", str(i), "", messages[i % len(messages)]] for i in range(200)]
    path = tmp_path / "findings.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        writer.writerows(rows)
    monkeypatch.setattr(typed_exports, "BATCH_BYTES", 256)
    pieces = list(typed_exports._row_pieces(path))
    data = path.read_bytes()
    assert b"".join(pieces) == data[data.index(b"\r\n") + 2:]  # every row, the header left out
    assert len(pieces) > 20 and max(map(len, pieces)) < 2 * 256 + 1000  # bounded (one row is 900 bytes)
    schema = typed_exports._arrow_schema("findings")
    got = [row for batch in typed_exports._csv_batches(path, schema) for row in batch.to_pylist()]
    whole = pcsv.read_csv(path, parse_options=pcsv.ParseOptions(newlines_in_values=True),
                          convert_options=pcsv.ConvertOptions(column_types=schema, null_values=[""],
                                                              strings_can_be_null=True))  # fmt: skip
    assert got == whole.to_pylist() and len(got) == 200
    assert got[0]["message"] == 'ไม่พบ "รหัส"\r\nในบรรทัด' and got[3]["message"] is None


def test_a_row_longer_than_many_pieces_stays_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell of thousands of bytes with quotes and line breaks, read over many blocks,
    ends up in one piece with its row; the rows around it are cut as usual."""
    long = ('"ยาว" ' * 400 + "\n") * 5
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows([["a", "b"], ["1", "สั้น"], ["2", long], ["3", "ท้าย"]])
    monkeypatch.setattr(typed_exports, "BATCH_BYTES", 64)
    pieces = list(typed_exports._row_pieces(path))
    rows = [list(csv.reader(io.StringIO(p.decode("utf-8"), newline=""))) for p in pieces]
    # each piece parses on its own into whole rows: the long one was never cut
    assert [r for piece in rows for r in piece] == [["1", "สั้น"], ["2", long], ["3", "ท้าย"]]
    assert len(pieces) >= 2


def test_the_workbook_keeps_codes_as_text(out: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(out / "thaiplan.xlsx")
    assert book.sheetnames == list(COLUMNS)
    sheet = book["items"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header == list(COLUMNS["items"]) and all(c.font.b for c in sheet[1])
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 50  # 38 + 12 items
    by_no = {(r[0].value, r[1].value): r for r in rows}
    row = by_no[("8deb8fc674fe0bad", 14)]
    code, budget, start = row[header.index("code")], row[header.index("budget_baht")], row[header.index("period_start")]
    assert code.value == "2.3.1" and code.data_type == "s" and code.number_format == "@"
    assert budget.data_type == "n" and isinstance(budget.value, (int, float)) and budget.number_format == "#,##0.00"
    assert isinstance(start.value, datetime) and start.is_date
    assert sheet.column_dimensions["F"].width >= 50  # name: Thai text
    assert book.properties.created == book.properties.modified == datetime(2000, 1, 1)


def test_typed_files_are_the_same_bytes_for_the_same_rows(out: Path, tmp_path: Path) -> None:
    with Store.open(out) as store:
        typed_exports.export_typed(out, tmp_path, len(store.doc_ids()))
    for name in typed_exports.typed_files():
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
        assert (tmp_path / name).stat().st_mode & 0o777 == (out / "items.csv").stat().st_mode & 0o777
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_sheet_stops_at_excels_limit(out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    monkeypatch.setattr(typed_exports, "EXCEL_MAX_ROWS", 21)
    with Store.open(out) as store:
        typed_exports.export_typed(out, tmp_path, len(store.doc_ids()))
    book = openpyxl.load_workbook(tmp_path / "thaiplan.xlsx")
    assert book["items"].max_row == 21 and book["documents"].max_row == 3
    notes = [c.value for (c,) in book["notes"].iter_rows()]
    assert any(n.startswith("items: the first 20 of 50 rows") and "items.parquet" in n for n in notes)
    assert not any(n.startswith("documents") for n in notes)


def test_load_gives_analysis_ready_dtypes(out: Path) -> None:
    frames = thaiplan.load(out)
    items, budgets = frames["items"], frames["budgets"]
    assert items.code.dtype == "string" and items.doc_id.dtype == "string"
    assert items.item_no.dtype == "Int64" and frames["documents"].warnings.dtype == "Int64"
    assert items.budget_baht.dtype == "Float64" and str(items.period_start.dtype).startswith("datetime64")
    assert items.warnings.dtype == "string" and items.warnings.isna().any()
    assert items.loc[items.item_no.eq(1) & items.doc_id.eq("f376767d03bdefe4"), "period_start"].isna().all()
    assert items.remark.isna().any() and items.remark[items.remark.isna()].iloc[0] is pd.NA
    assert items.period_start.dt.year.dropna().eq(2019).any()
    assert items.budget_baht.round(2).equals(items.budget_baht) and items.budget_baht.sum() == 998250.5
    assert items.budget_baht.round().max() == 300000
    assert items.budget_baht.describe()["count"] == items.budget_baht.notna().sum()
    # the README's one line: budgets by type and fiscal year
    b = budgets.merge(items[["doc_id", "item_no", "type"]], on=["doc_id", "item_no"])
    by = b.groupby(["type", "fiscal_year"]).amount_baht.sum()
    assert by[("project", 2563)] == 536250.5 and by[("activity", 2561)] == 5000
    # amounts are the floats nearest to the printed decimals
    csv = pd.read_csv(out / "totals.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert frames["totals"].amount_baht.tolist() == [float(v) if v else pd.NA for v in csv.amount_baht]


def test_load_reads_parquet_or_the_csv_alike(out: Path, tmp_path: Path) -> None:
    from_parquet = thaiplan.load(out)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    for table in COLUMNS:
        stale = copy / f"{table}.parquet"
        stale.write_bytes(b"not parquet")  # left by an earlier export: older than its CSV, so not read
        os.utime(stale, ns=(0, 0))
    from_csv = thaiplan.load(copy)
    for table in COLUMNS:
        pd.testing.assert_frame_equal(from_parquet[table], from_csv[table], check_index_type=False)
        pd.testing.assert_frame_equal(from_csv[table], loading._from_csv(table, out / f"{table}.csv"))


def test_a_folder_exported_before_typed_files_gets_them(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    run([SEED], folder, {"jobs": 1})
    for name in typed_exports.typed_files():
        (folder / name).unlink()
    run([SEED], folder, {"jobs": 1})  # nothing to convert, but the exports are not complete
    assert typed_exports.complete(folder)


def test_a_large_dataset_gets_no_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past XLSX_MAX_DOCUMENTS the workbook is left out (and an old one removed), the rest written."""
    from thaiplan import typed_exports
    from thaiplan.runner import run

    out = tmp_path / "out"
    run([SEED], out, {"jobs": 1})
    assert (out / "thaiplan.xlsx").is_file()
    monkeypatch.setattr(typed_exports, "XLSX_MAX_DOCUMENTS", 0)
    (out / ".thaiplan-exports").unlink()  # make the next run export again
    run([SEED], out, {"jobs": 1})
    assert not (out / "thaiplan.xlsx").exists()
    assert (out / "items.parquet").is_file() and (out / "datapackage.json").is_file()
