"""plans/<doc_id>.json: one document's records, nested, with the raw texts and
the boxes they were read from beside the rebuilt ones."""

from __future__ import annotations

from thaiplan.normalize.amounts import format_amount
from thaiplan.normalize.model import Box
from thaiplan.records import DocumentResult, rows_of

# A PDF whose every page was read as it stands (its text layer, or a scan's OCR) says
# so in read_by; `pages_read` lists the pages when any rule judged or repaired one.
PLAIN_READS = ("layer_reads", "no_text_layer", "blank_page")


def plan_json(result: DocumentResult) -> dict[str, object]:
    """The same records as the CSVs, nested, with raw texts kept beside rebuilt ones."""
    plan = result.plan
    assert plan is not None
    rows = rows_of(result)
    document = {"doc_id": result.doc_id, **strip(rows["documents"][0])}
    document |= {"fiscal_years": list(plan.fiscal_years), "title_raw": plan.title_raw,
                 "ocr_page_numbers": list(plan.ocr_pages), "ocr_engine": plan.ocr_engine or None}  # fmt: skip
    if any(rule not in PLAIN_READS for _, _, rule in plan.page_reads):
        document["pages_read"] = [{"page": p, "read_by": by, "rule": rule} for p, by, rule in plan.page_reads]
    missions = [row | {"title_raw": m.title_raw, "boxes": _boxes(m.boxes)} for row, m in zip(rows["missions"], plan.missions)]
    items = []
    for row, item in zip(rows["items"], plan.items):
        items.append(
            row
            | {
                "name_raw": item.name_raw,
                "label": item.label,
                "budgets": [
                    {"fiscal_year": b.fiscal_year, "amount_baht": _number(format_amount(b.amount)), "text": b.text}
                    | ({"part": b.part, "source": b.source or None} if plan.family == "development" else {})
                    for b in item.budgets
                ],
                "boxes": _boxes(item.boxes),
            }
        )
    totals = [
        {
            "table": t.table, "scope": t.scope, "label": t.label, "page": t.page, "text": t.text, "cells": list(t.cells),
            "counts": t.counts if t.counts_printed else None,
            "amounts": [{"fiscal_year": a.fiscal_year, "amount_baht": _number(format_amount(a.amount))} for a in t.amounts],
            "boxes": _boxes(t.boxes),
        }
        for t in plan.totals
    ]  # fmt: skip
    return {
        "document": document,
        "missions": [strip(r) for r in missions],
        "items": [strip(r) for r in items],
        "totals": totals,
        "reconciliation": [strip(r) | {"total": c.total, "items": list(c.items)}
                           for r, c in zip(rows["reconciliation"], result.checks)],  # fmt: skip
        "findings": [strip(r) for r in rows["findings"]],
    }


def _boxes(boxes: tuple[Box, ...]) -> list[list[float]]:
    """[page, x0, top, x1, bottom] per cell, to a tenth of a point (a pixel for images)."""
    return [[page, *(round(v, 1) for v in box)] for page, *box in boxes]


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
