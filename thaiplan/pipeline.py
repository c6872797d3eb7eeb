"""One file through the whole pipeline: read, detect its family, normalise, reconcile, check.

This runs inside a worker process (thaiplan.worker); tests call it directly.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from thaiplan.crops import figure_crops
from thaiplan.errors import OutOfMemory, ThaiplanError, internal_error
from thaiplan.extract import read_document
from thaiplan.families import detect
from thaiplan.families.model import Check
from thaiplan.fingerprint import file_sha256
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
    try:
        if not sha and path.is_file() and path.stat().st_size:
            sha = file_sha256(path)  # in blocks: a large scan is never held whole for its hash
        raw = read_document(path, settings)
        family = detect(raw)
        plan = family.build(raw, settings)
    except ThaiplanError as exc:
        return DocumentResult.failure(source, sha, exc, time.perf_counter() - started)
    except MemoryError:  # the runner's limit usually ends the worker first
        return DocumentResult.failure(source, sha, OutOfMemory("ran out of memory"), time.perf_counter() - started)
    except Exception as exc:  # a bug of ours must not stop the batch
        if os.environ.get("THAIPLAN_DEBUG"):
            raise
        return DocumentResult.failure(source, sha, internal_error(exc), time.perf_counter() - started)
    checks = family.reconcile(plan)
    findings = (*plan.findings, *family.check(plan))
    crops, crop_findings = _crops(path, raw.format, plan, checks, settings)
    return DocumentResult(source, sha, raw.format, plan, tuple(checks), (*findings, *crop_findings),
                          seconds=time.perf_counter() - started, crops=crops)  # fmt: skip


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
