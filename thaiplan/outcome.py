"""One file, converted, as the store wants it: every row formatted, the plan's
JSON and its report section, and nothing else (the plan objects stay in the
worker)."""

from __future__ import annotations

import json
from pathlib import Path

from thaiplan.columns import COLUMNS
from thaiplan.errors import ThaiplanError
from thaiplan.plan_files import plan_json
from thaiplan.records import DocumentResult, rows_of
from thaiplan.report import render_document
from thaiplan.settings import Settings
from thaiplan.store import Outcome, pack, sql_row


def _rows(result: DocumentResult) -> dict[str, list[tuple[object, ...]]]:
    return {table: [sql_row(row, COLUMNS[table]) for row in rows] for table, rows in rows_of(result).items()}


def outcome_of(result: DocumentResult) -> Outcome:
    rows = _rows(result)
    if not result.ok:
        return Outcome(result.source, result.sha256, "failed", rows, error_kind=result.error_kind,
                       error=result.error, seconds=result.seconds)  # fmt: skip
    assert result.plan is not None
    text = json.dumps(plan_json(result), ensure_ascii=False, indent=1) + "\n"
    return Outcome(result.source, result.sha256, result.status, rows, pack(text), pack(render_document(result)),
                   seconds=result.seconds, pages=result.plan.pages, crops=result.crops)  # fmt: skip


def convert_to_outcome(path: Path, settings: Settings, source: str | None = None, sha256: str = "") -> Outcome:
    from thaiplan.pipeline import convert_file  # the whole pipeline: only workers load it

    return outcome_of(convert_file(path, settings, source, sha256))


def failure(source: str, sha256: str, exc: ThaiplanError, seconds: float = 0.0) -> Outcome:
    """A file that never produced a result of its own (timeout, crash, memory)."""
    return outcome_of(DocumentResult.failure(source, sha256, exc, seconds))


def duplicate(source: str, sha256: str, first: str) -> Outcome:
    result = DocumentResult(source, sha256, duplicate_of=first, error=f"same content as {first}; converted once")
    rows = _rows(result)
    return Outcome(source, sha256, "duplicate", rows, error=result.error, duplicate_of=first)
