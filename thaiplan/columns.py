"""The dataset's contract: each table's columns, in CSV order, and each column's type.

Apart from the records (thaiplan.records) so that what only needs the
contract (the store, the exports' bookkeeping, a rerun with nothing to convert)
does not import the pipeline's model.
"""

from __future__ import annotations

from typing import Literal

COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "source", "sha256", "family", "format", "read_by", "pages", "ocr_pages", "title", "organization", "fiscal_year_first", "fiscal_year_last", "status", "items", "mismatches", "warnings", "error", "thaiplan_version"),
    "missions": ("doc_id", "code", "parent", "level", "kind", "title", "page"),
    "items": ("doc_id", "item_no", "code", "dimension", "type", "name", "budget_baht", "period_start", "period_end", "period_text", "remark", "page", "warnings", "objective", "target", "kpi", "expected_result", "responsible_unit"),
    "budgets": ("doc_id", "item_no", "part", "fiscal_year", "amount_baht", "source"),
    "totals": ("doc_id", "table", "scope", "label", "fiscal_year", "projects", "activities", "measures", "guidelines", "amount_baht", "page"),
    "reconciliation": ("doc_id", "table", "scope", "quantity", "fiscal_year", "stated", "computed", "difference", "status", "page"),
    "findings": ("doc_id", "severity", "kind", "code", "item_no", "page", "message"),
}  # fmt: skip

Kind = Literal["string", "integer", "decimal", "date"]
_INTEGERS = {"pages", "ocr_pages", "fiscal_year_first", "fiscal_year_last", "items", "mismatches", "level", "page",
             "item_no", "part", "dimension", "fiscal_year", "projects", "activities", "measures", "guidelines"}  # fmt: skip
_DECIMALS = {"budget_baht", "amount_baht", "stated", "computed", "difference"}
_DATES = {"period_start", "period_end"}


def kind_of(table: str, column: str) -> Kind:
    """The type of one dataset column: the one mapping the store, every typed export and thaiplan.load use."""
    if column in _INTEGERS or (table == "documents" and column == "warnings"):  # in items, warnings is text
        return "integer"
    if column in _DECIMALS:
        return "decimal"
    if column in _DATES:
        return "date"
    return "string"
