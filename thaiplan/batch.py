"""The batch runner: many inputs, one dataset; one bad file never stops the rest."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from thaiplan.extract import ThaiplanError, read_document
from thaiplan.normalize.plan import build_plan
from thaiplan.checks import check_plan
from thaiplan.reconcile import reconcile, subtotal_findings
from thaiplan.records import DocumentResult
from thaiplan.report import render_report
from thaiplan.writers import write_atomic, write_csvs, write_plan_json

# Files in an input folder that are never plans.
SKIPPED_NAMES = ("readme", "license", "sources")
SKIPPED_SUFFIXES = (".md", ".json", ".csv", ".py", ".sh", ".toml", ".yml", ".yaml", ".tmp")


@dataclass(frozen=True)
class BatchResult:
    results: list[DocumentResult]
    out_dir: Path

    @property
    def failed(self) -> list[DocumentResult]:
        return [r for r in self.results if not r.ok and not r.duplicate_of]


def expand_inputs(inputs: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders walked recursively in name order, skipping hidden
    files and documentation. A missing path is kept so it is reported."""
    files: list[Path] = []
    for entry in map(Path, inputs):
        if entry.is_dir():
            for path in sorted(entry.rglob("*")):
                parts = path.relative_to(entry).parts
                if path.is_file() and not any(p.startswith(".") for p in parts) and not _skipped(path):
                    files.append(path)
        else:
            files.append(entry)
    return files


def _skipped(path: Path) -> bool:
    name = path.name.lower()
    return name.startswith(SKIPPED_NAMES) or name.endswith(SKIPPED_SUFFIXES)


def convert_file(path: Path) -> DocumentResult:
    """Read, normalise, reconcile and check one file. Never raises for a user's file."""
    started = time.perf_counter()
    source = str(path)
    sha = ""
    try:
        data = path.read_bytes() if path.is_file() else b""
        sha = hashlib.sha256(data).hexdigest() if data else ""
        raw = read_document(path)
        plan = build_plan(raw)
    except ThaiplanError as exc:
        return DocumentResult(source, sha, error=f"{exc}; {exc.hint}", seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug of ours must not stop the batch
        if os.environ.get("THAIPLAN_DEBUG"):
            raise
        return DocumentResult(
            source,
            sha,
            error=f"thaiplan failed on this file ({type(exc).__name__}: {exc}); please report it with the file",
            seconds=time.perf_counter() - started,
        )
    checks = reconcile(plan)
    findings = (*plan.findings, *subtotal_findings(plan), *check_plan(plan))
    return DocumentResult(source, sha, raw.format, plan, tuple(checks), findings, seconds=time.perf_counter() - started)


def _map(files: list[Path], jobs: int) -> Iterable[DocumentResult]:
    if jobs <= 1 or len(files) < 2:
        return map(convert_file, files)
    executor = ProcessPoolExecutor(max_workers=jobs)
    chunk = max(1, min(32, len(files) // (jobs * 4)))
    return _closing(executor, executor.map(convert_file, files, chunksize=chunk))


def _closing(executor: ProcessPoolExecutor, results: Iterable[DocumentResult]) -> Iterable[DocumentResult]:
    with executor:
        yield from results


def run_batch(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    jobs: int | None = None,
    on_result: Callable[[DocumentResult], None] | None = None,
) -> BatchResult:
    """Convert every input and write the dataset into out_dir."""
    out = Path(out_dir)
    files = expand_inputs(inputs)
    jobs = jobs or min(len(os.sched_getaffinity(0)), 8)
    results: list[DocumentResult] = []
    seen: dict[str, str] = {}
    for result in _map(files, jobs):
        if result.ok and result.sha256 in seen:
            first = seen[result.sha256]
            result = replace(
                result,
                plan=None,
                checks=(),
                findings=(),
                duplicate_of=first,
                error=f"same content as {first}; converted once",
            )
        elif result.ok:
            seen[result.sha256] = result.source
        results.append(result)
        if on_result:
            on_result(result)
    out.mkdir(parents=True, exist_ok=True)
    for result in results:
        if result.ok:
            write_plan_json(result, out)
    write_csvs(results, out)
    write_atomic(out / "report.md", render_report(results))
    return BatchResult(results, out)
