"""Dataset files: CSV (UTF-8 with BOM for Excel, RFC 4180), JSON per plan.

Every file is written to a temporary name in the same folder and renamed,
so an interrupted run never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from thaiplan.normalize.amounts import format_amount
from thaiplan.normalize.model import Box
from thaiplan.records import DocumentResult, rows_of


def _file_mode() -> int:
    """The mode an ordinary new file gets under this process's umask (0644 under 022):
    mkstemp makes its files 0600, which other users and tools could not read."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path in the same folder, renamed to `path` with the ordinary
    mode when the block ends (removed if it fails), for writers that want a name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file written under a temporary name in the same folder, renamed
    into place when the block ends (removed if it fails)."""
    with atomic_path(path) as tmp, tmp.open("w", encoding=encoding, newline="") as handle:
        yield handle


def write_atomic(path: Path, data: str, encoding: str = "utf-8") -> None:
    with atomic_text(path, encoding) as handle:
        handle.write(data)


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
