"""One file through the whole pipeline: read, detect its family, normalise, reconcile, check.

This runs inside a worker process (thaiplan.worker); tests call it directly.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from thaiplan.crops import figure_crops
from thaiplan.errors import NotAPlan, OutOfMemory, ThaiplanError, internal_error
from thaiplan.extract import read_document
from thaiplan.extract.model import Note, RawDocument
from thaiplan.extract.registry import detect as reader_of
from thaiplan.families import detect
from thaiplan.families.model import Check
from thaiplan.fingerprint import file_sha256
from thaiplan.normalize.metadata import read_metadata
from thaiplan.normalize.model import Finding, Plan
from thaiplan.records import DocumentResult
from thaiplan.settings import Settings


def convert_file(
    path: Path, settings: Settings | None = None, source: str | None = None, sha256: str = ""
) -> DocumentResult:
    """Read, normalise, reconcile and check one file (recorded as `source`, default
    the path; `sha256` when the caller already hashed it). Never raises for a user's file."""
    settings = settings or Settings()
    started = time.perf_counter()
    source = source or str(path)
    sha = sha256
    known: dict[str, object] = {}  # what is known of the file when it fails: its format, its pages
    try:
        if not sha and path.is_file() and path.stat().st_size:
            sha = file_sha256(path)  # in blocks: a large scan is never held whole for its hash
        known["format"] = reader_of(path).FORMAT
        raw = read_document(path, settings)
        known["pages"] = raw.pages
        family = detect(raw)
        plan = family.build(raw, settings)
    except NotAPlan as exc:  # read, but no plan table: the same outcome as tables of another kind
        return DocumentResult(source, sha, raw.format, _not_a_plan(raw, exc), seconds=time.perf_counter() - started)
    except ThaiplanError as exc:
        return _failure(source, sha, exc, started, known)
    except MemoryError:  # the runner's limit usually ends the worker first
        return _failure(source, sha, OutOfMemory("ran out of memory"), started, known)
    except Exception as exc:  # a bug of ours must not stop the batch
        if os.environ.get("THAIPLAN_DEBUG"):
            raise
        return _failure(source, sha, internal_error(exc), started, known)
    checks = family.reconcile(plan)
    findings = (*plan.findings, *family.check(plan))
    crops, crop_findings = _crops(path, raw.format, plan, checks, settings)
    return DocumentResult(source, sha, raw.format, plan, tuple(checks), (*findings, *crop_findings),
                          seconds=time.perf_counter() - started, crops=crops)  # fmt: skip


def _failure(source: str, sha: str, exc: ThaiplanError, started: float, known: dict[str, object]) -> DocumentResult:
    return replace(DocumentResult.failure(source, sha, exc, time.perf_counter() - started), **known)


def _not_a_plan(raw: RawDocument, exc: NotAPlan) -> Plan:
    """A document read whole that holds no table: no rows, the reason as a finding,
    and how it was read (format, pages, which pages by OCR)."""
    meta = read_metadata(list(raw.lines))
    notes = (*raw.notes, Note("no_plan_table", str(exc), None, "warning"))
    return Plan(raw.source, raw.format, raw.pages, meta.title, meta.organization, meta.fiscal_years, (), (), (),
                tuple(Finding(n.severity, n.kind, n.message, page=n.page) for n in notes), meta.title, family="",
                read_by=raw.read_by, ocr_pages=raw.ocr_pages, ocr_engine=raw.ocr_engine)  # fmt: skip


def _crops(path: Path, read_format: str, plan: Plan, checks: list[Check], settings: Settings
           ) -> tuple[dict[int, bytes], tuple[Finding, ...]]:  # fmt: skip
    """The report's pictures; a page that cannot be pictured is a note, never a failed file."""
    if not settings.report.crops:
        return {}, ()
    try:
        return figure_crops(path, read_format, plan, checks, settings.report.crop_dpi), ()
    except Exception as exc:  # a picture is a nicety: the dataset stands without it
        if os.environ.get("THAIPLAN_DEBUG"):
            raise
        return {}, (Finding("info", "crop_failed", f"the report has no picture of the page ({type(exc).__name__})"),)
