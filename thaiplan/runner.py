"""The archive runner: inputs → hashed → new, changed, unchanged or duplicate
→ converted in watched workers (local or on Dask) → stored one by one →
exported.

The dataset is the union of every run into OUT: a rerun converts only new
and changed files (or all of them once the pipeline's fingerprint changed),
a failed or mistyped run never loses what OUT held, and an interrupted run
keeps everything finished. `--fresh` builds a new database beside the old
one and puts it in place only when the run completes.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thaiplan.errors import InputError, describe
from thaiplan.exports import write_plan_file
from thaiplan.fingerprint import code_fingerprint, file_sha256
from thaiplan.outdir import clean_leftovers, export_whole, locked
from thaiplan.paths import check_regular, source_name
from thaiplan.settings import Settings
from thaiplan.store import DB_NAME, Outcome, Store, Task, unpack

# Files in an input folder that are never plans.
SKIPPED_NAMES = ("readme", "license", "sources")
SKIPPED_SUFFIXES = (".md", ".json", ".csv", ".py", ".sh", ".toml", ".yml", ".yaml", ".tmp", ".sqlite",
                    ".sqlite-wal", ".sqlite-shm")  # fmt: skip


@dataclass(frozen=True)
class FileStatus:
    """What this run did with one input."""

    source: str
    status: str  # converted, not_a_plan, failed, duplicate, unchanged, skipped
    error_kind: str = ""
    error: str = ""
    seconds: float = 0.0
    pages: int | None = None
    doc_id: str = ""

    @property
    def error_line(self) -> str:
        return f"{self.source}: {self.error}"


@dataclass
class RunResult:
    out_dir: Path
    files: list[FileStatus] = field(default_factory=list)
    interrupted: bool = False
    _tables: dict[str, object] | None = field(default=None, repr=False)

    @property
    def failed(self) -> list[FileStatus]:
        return [f for f in self.files if f.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def tables(self) -> dict[str, object]:
        """The dataset (the whole of OUT, not only this run's files), typed."""
        from thaiplan.loading import load

        if self._tables is None:
            self._tables = load(self.out_dir)
        return self._tables  # type: ignore[return-value]

    def __getitem__(self, table: str) -> object:
        """`result["items"]`: one table of the dataset."""
        return self.tables()[table]


@dataclass(frozen=True)
class Input:
    path: Path
    named: bool  # given by name (a folder's files are not): an unknown format is then an error


Event = Callable[[str, dict[str, object]], None]


def expand(inputs: Sequence[str | Path], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[Input]:
    """Files as given; folders walked recursively in name order, skipping hidden
    files, documentation and thaiplan's own outputs. `include`/`exclude` are
    glob patterns on the path below the folder (or the name)."""
    found: list[Input] = []
    for entry in map(Path, inputs):
        if not entry.is_dir():
            found.append(Input(entry, True))
            continue
        for path in sorted(entry.rglob("*")):
            relative = path.relative_to(entry)
            if not path.is_file() or any(p.startswith(".") for p in relative.parts) or _documentation(path):
                continue
            if _selected(relative.as_posix(), include, exclude):
                found.append(Input(path, False))
    return found


def _documentation(path: Path) -> bool:
    name = path.name.lower()
    return name.startswith(SKIPPED_NAMES) or name.endswith(SKIPPED_SUFFIXES)


def _selected(relative: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]

    def matches(patterns: Sequence[str]) -> bool:
        return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)

    return (not include or matches(include)) and not matches(exclude)


def pipeline_fingerprint(settings: Settings) -> str:
    """What produced a stored document: thaiplan's code and data, and the settings."""
    digest = hashlib.sha256(f"{code_fingerprint()}|{settings.fingerprint()}".encode())
    return digest.hexdigest()[:16]


def run(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    settings: Settings | dict[str, object] | None = None,
    *,
    fresh: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    on_event: Event | None = None,
    stop: threading.Event | None = None,
) -> RunResult:
    """Convert `inputs` into the dataset of `out_dir`. Ctrl-C (KeyboardInterrupt)
    or `stop` ends it within seconds with what finished stored and exported."""
    settings = Settings.resolve(settings)
    out = Path(out_dir)
    emit = on_event or (lambda kind, data: None)
    result = RunResult(out)
    found = expand(inputs, include, exclude)
    if not any(i.path.is_file() for i in found):
        for item in found:  # nothing to convert: report, and leave OUT exactly as it was
            _record(result, _not_a_file(item.path), emit)
        return result
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):  # one run into OUT at a time; the second refuses
        clean_leftovers(out)
        return _run_locked(found, out, settings, fresh, emit, result, stop)


def _run_locked(found: list[Input], out: Path, settings: Settings, fresh: bool, emit: Event, result: RunResult,
                stop: threading.Event | None) -> RunResult:  # fmt: skip
    target = out / DB_NAME
    building = out / f".{DB_NAME}.fresh" if fresh else target
    if fresh:
        _remove_database(building)
    store = Store(building)
    stop = stop or threading.Event()
    try:
        _convert(found, store, out, settings, result, emit, stop)
    except KeyboardInterrupt:
        stop.set()
        result.interrupted = True
    finally:
        store.close()
    if fresh and not result.interrupted:
        _remove_database(target)
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{building}{suffix}").exists():
                os.replace(f"{building}{suffix}", f"{target}{suffix}")
    if fresh and result.interrupted:
        _remove_database(building)  # the old dataset stays as it was
    with Store(target) as final:
        export_whole(final, out, settings.report.lang)
    return result


def _convert(found: list[Input], store: Store, out: Path, settings: Settings, result: RunResult,
             emit: Event, stop: threading.Event) -> None:  # fmt: skip
    fingerprint = pipeline_fingerprint(settings)
    known = store.known()
    tasks: list[Task] = []
    named: dict[str, bool] = {}
    first_of: dict[str, str] = {}  # sha256 -> the source converted for it in this run
    for item in found:
        source = source_name(item.path)
        if not item.path.is_file():
            _record(result, _not_a_file(item.path), emit)
            continue
        try:
            sha = file_sha256(item.path)
        except OSError as exc:
            error = InputError(f"cannot be read ({exc.strerror})", "check the file's permissions")
            _record(result, FileStatus(source, "failed", error.kind, describe(error)), emit)
            continue
        stored = known.get(source)
        if stored and stored.sha256 == sha and stored.fingerprint == fingerprint and stored.status != "failed":
            _record(result, FileStatus(source, "unchanged", doc_id=sha[:16]), emit)
            continue
        first = first_of.get(sha) or store.converted_source_of(sha, fingerprint)
        if first and first != source:
            from thaiplan.outcome import duplicate  # its rows need the records' model: only for a duplicate

            outcome = duplicate(source, sha, first)
            store.put(outcome, fingerprint)
            _record(result, FileStatus(source, "duplicate", error=outcome.error, doc_id=sha[:16]), emit)
            continue
        first_of[sha] = source
        named[source] = item.named
        tasks.append(Task(source, sha, str(item.path)))
    emit("planned", {"files": len(tasks)})
    for outcome in _outcomes(tasks, settings, stop, emit):
        if not named.get(outcome.source, True) and outcome.error_kind == "unsupported_format":
            _record(result, FileStatus(outcome.source, "skipped", outcome.error_kind, outcome.error), emit)
            continue
        store.put(outcome, fingerprint)
        if outcome.plan_json is not None:
            write_plan_file(out, outcome.doc_id, unpack(outcome.plan_json))
        _record(result, FileStatus(outcome.source, outcome.status, outcome.error_kind, outcome.error,
                                   outcome.seconds, outcome.pages, outcome.doc_id), emit)  # fmt: skip


def _outcomes(tasks: list[Task], settings: Settings, stop: threading.Event, emit: Event) -> Iterator[Outcome]:
    if not tasks:
        return iter(())
    # The workers' machinery (subprocesses, their protocol): only a run with something to convert loads it.
    from thaiplan.pool import default_max_memory_mb, run_local

    if settings.limits.max_memory_mb is None:
        settings = settings.updated({"limits.max_memory_mb": default_max_memory_mb(settings.worker_count)})
    if settings.scheduler:
        from thaiplan.dask_runner import run_dask

        return run_dask(tasks, settings, stop, emit)
    return run_local(tasks, settings, stop, emit)


def _not_a_file(path: Path) -> FileStatus:
    try:
        check_regular(path)
        error = InputError("not a regular file", "check the path")  # pragma: no cover (changed meanwhile)
    except InputError as exc:
        error = exc
    return FileStatus(source_name(path), "failed", error.kind, describe(error))


def _record(result: RunResult, status: FileStatus, emit: Event) -> None:
    result.files.append(status)
    data: dict[str, object] = {"file": status.source, "status": status.status, "seconds": round(status.seconds, 3)}
    if status.status == "failed":
        data |= {"kind": status.error_kind, "message": status.error}
    if status.pages is not None:
        data["pages"] = status.pages
    emit("failed" if status.status == "failed" else "finished", data)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

