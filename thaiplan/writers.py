"""Dataset files: CSV (UTF-8 with BOM for Excel, RFC 4180), JSON per plan.

Every file is written to a temporary name in the same folder and renamed,
so an interrupted run never leaves a half-written file."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from thaiplan.normalize.amounts import format_amount
from thaiplan.records import COLUMNS, DocumentResult, rows_of


def write_atomic(path: Path, data: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_text(columns: tuple[str, ...], rows: Iterable[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csvs(results: list[DocumentResult], out_dir: Path) -> dict[str, list[dict[str, object]]]:
    tables: dict[str, list[dict[str, object]]] = {name: [] for name in COLUMNS}
    for result in results:
        for name, rows in rows_of(result).items():
            tables[name].extend(rows)
    for name, columns in COLUMNS.items():
        write_atomic(out_dir / f"{name}.csv", csv_text(columns, tables[name]), encoding="utf-8-sig")
    return tables


def plan_json(result: DocumentResult) -> dict[str, object]:
    """The same records as the CSVs, nested, with raw texts kept beside rebuilt ones."""
    plan = result.plan
    assert plan is not None
    rows = rows_of(result)
    document = {"doc_id": result.doc_id, **strip(rows["documents"][0])}
    document |= {"fiscal_years": list(plan.fiscal_years), "title_raw": plan.title_raw}
    missions = [row | {"title_raw": m.title_raw} for row, m in zip(rows["missions"], plan.missions)]
    items = []
    for row, item in zip(rows["items"], plan.items):
        items.append(
            row
            | {
                "name_raw": item.name_raw,
                "label": item.label,
                "budgets": [
                    {"fiscal_year": b.fiscal_year, "amount_baht": _number(format_amount(b.amount)), "text": b.text}
                    for b in item.budgets
                ],
            }
        )
    totals = [
        {
            "scope": t.scope, "label": t.label, "page": t.page, "text": t.text,
            "counts": t.counts if t.counts_printed else None,
            "amounts": [{"fiscal_year": a.fiscal_year, "amount_baht": _number(format_amount(a.amount))} for a in t.amounts],
        }
        for t in plan.totals
    ]  # fmt: skip
    return {
        "document": document,
        "missions": [strip(r) for r in missions],
        "items": [strip(r) for r in items],
        "totals": totals,
        "reconciliation": [strip(r) for r in rows["reconciliation"]],
        "findings": [strip(r) for r in rows["findings"]],
    }


def _number(text: object) -> object:
    """Amount strings as JSON numbers (exact: plain decimals of at most 2 places)."""
    if isinstance(text, str) and text:
        return int(text) if "." not in text else float(text)
    return None if text == "" else text


_AMOUNT_KEYS = {"budget_baht", "amount_baht", "stated", "computed", "difference"}


def strip(row: dict[str, object]) -> dict[str, object]:
    """A CSV row for JSON: no doc_id (the document says it), numbers as numbers, empty as null."""
    return {
        key: _number(value) if key in _AMOUNT_KEYS else (None if value == "" else value)
        for key, value in row.items()
        if key != "doc_id"
    }


def write_plan_json(result: DocumentResult, out_dir: Path) -> Path:
    path = out_dir / "plans" / f"{result.doc_id}.json"
    write_atomic(path, json.dumps(plan_json(result), ensure_ascii=False, indent=1) + "\n")
    return path
