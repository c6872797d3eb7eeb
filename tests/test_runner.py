"""The archive runner as a researcher meets it: a dataset that survives
interruption, resumes, keeps what earlier runs stored, isolates bad files
and shows its progress."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED
from thaiplan.runner import run
from thaiplan.store import MIGRATIONS, SCHEMA_VERSION, Store

FOURYEAR = ROOT / "samples" / "fouryear_2561-2564.txt"
DOCX = ROOT / "samples" / "seed_plan.docx"
FAULTS = {"plugins": ("tests.fault_readers",)}


@pytest.fixture(autouse=True)
def _workers_find_the_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes import tests.fault_readers from the repository."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def _cli(*args: str, cwd: Path = ROOT, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "thaiplan", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, **kwargs)  # type: ignore[call-overload,no-any-return]  # fmt: skip


def _documents(out: Path) -> list[dict[str, str]]:
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _dataset(out: Path) -> dict[str, bytes]:
    """Every export of a dataset folder (the database itself aside)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(("thaiplan.sqlite", ".")) and p.name != "log.jsonl"}  # fmt: skip


def test_bad_workers_are_that_files_failure(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for fault in ("SLEEP", "SEGV", "EXIT", "ALLOC"):
        (folder / f"{fault.lower()}.plan").write_text(f"FAULT-{fault}\n", encoding="ascii")
    shutil.copy(SEED, folder / SEED.name)
    settings = FAULTS | {"limits.timeout_s": 6, "limits.max_memory_mb": 400, "jobs": 2}  # start-up is not counted
    started = time.monotonic()
    result = run([folder], tmp_path / "out", settings)
    assert time.monotonic() - started < 60
    kinds = {Path(f.source).name: (f.status, f.error_kind) for f in result.files}
    assert kinds == {
        SEED.name: ("converted", ""),
        "sleep.plan": ("failed", "timeout"),
        "segv.plan": ("failed", "crashed"),
        "exit.plan": ("failed", "crashed"),
        "alloc.plan": ("failed", "out_of_memory"),
    }
    rows = {Path(d["source"]).name: d for d in _documents(tmp_path / "out")}
    assert rows[SEED.name]["items"] == "38"
    assert "SIGSEGV" in rows["segv.plan"]["error"] and "raise --timeout" in rows["sleep.plan"]["error"]


def test_a_rerun_converts_nothing_and_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run([SEED, FOURYEAR], out, {"jobs": 2})
    before = _dataset(out)
    again = run([SEED, FOURYEAR], out, {"jobs": 2})
    assert [f.status for f in first.files] == ["converted", "converted"] or sorted(f.status for f in first.files) == ["converted"] * 2
    assert sorted(f.status for f in again.files) == ["unchanged", "unchanged"]
    assert _dataset(out) == before


# What a rerun over unchanged files never needs: the pipeline and its model, the workers'
# machinery, the exports' writers. Each costs start-up time (the whole rerun is a few
# tenths of the first run's second or two).
NOT_FOR_A_RERUN = ("thaiplan.families", "thaiplan.normalize", "thaiplan.extract", "thaiplan.records",
                   "thaiplan.report", "thaiplan.report_html", "thaiplan.outcome", "thaiplan.pool", "thaiplan.worker",
                   "pyarrow", "pandas", "xlsxwriter")  # fmt: skip


def test_a_rerun_over_unchanged_files_loads_neither_pipeline_nor_exports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("convert", str(FOURYEAR), "-o", str(out), "-q").returncode == 0
    listing = ("import sys\nfrom thaiplan.cli import main\n"
               f"code = main(['convert', {str(FOURYEAR)!r}, '-o', {str(out)!r}, '-q'])\n"
               "print(code, *sorted(sys.modules))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", listing], cwd=ROOT, capture_output=True, text=True, timeout=120)
    code, *modules = done.stdout.split()
    assert code == "0", done.stderr
    assert not [m for m in modules if m.startswith(NOT_FOR_A_RERUN)]
    assert "thaiplan.runner" in modules and "thaiplan.exports" in modules  # it did go through the run


def test_runs_into_one_folder_add_up(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([SEED], out, {"jobs": 1})
    run([FOURYEAR], out, {"jobs": 1})
    assert sorted(Path(d["source"]).name for d in _documents(out)) == sorted([SEED.name, FOURYEAR.name])
    assert len(list((out / "plans").glob("*.json"))) == 2


def test_a_mistyped_run_leaves_the_dataset_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([SEED], out, {"jobs": 1})
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    result = _cli("convert", "nosuch", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "nosuch: file not found; check the path"
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()} == before


def test_a_changed_file_replaces_its_rows_and_a_fixed_one_its_failure(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text("not a plan\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run([plan], out, {"jobs": 1}).files[0].status == "not_a_plan"  # read, but no plan table (issue 14)
    shutil.copy(FOURYEAR, plan)
    assert run([plan], out, {"jobs": 1}).files[0].status == "converted"
    shutil.copy(SEED, plan)
    assert run([plan], out, {"jobs": 1}).files[0].status == "converted"
    (document,) = _documents(out)
    assert document["status"] == "converted" and document["items"] == "38"
    with (out / "items.csv").open(encoding="utf-8-sig") as handle:
        assert {row["doc_id"] for row in csv.DictReader(handle)} == {document["doc_id"]}
    assert [p.stem for p in (out / "plans").glob("*.json")] == [document["doc_id"]]


def test_duplicates_are_hashed_first_and_converted_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, folder / name)
    log = tmp_path / "log.jsonl"
    result = _cli("convert", str(folder), "-o", str(tmp_path / "out"), "--log-json", str(log), "-j", "2")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [e["file"] for e in events if e["event"] == "started"] == [str(folder / "a.txt")]
    statuses = {Path(e["file"]).name: e["status"] for e in events if e["event"] == "finished"}
    assert statuses == {"a.txt": "converted", "b.txt": "duplicate", "c.txt": "duplicate"}
    assert all(isinstance(e["seconds"], float | int) for e in events if e["event"] == "finished")
    rows = {Path(d["source"]).name: d for d in _documents(tmp_path / "out")}
    assert rows["b.txt"]["status"] == "duplicate" and rows["b.txt"]["doc_id"] == rows["a.txt"]["doc_id"]


def test_fresh_starts_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([SEED, FOURYEAR], out, {"jobs": 2})
    run([FOURYEAR], out, {"jobs": 1}, fresh=True)
    assert [Path(d["source"]).name for d in _documents(out)] == [FOURYEAR.name]
    assert len(list((out / "plans").glob("*.json"))) == 1


def test_stray_files_in_a_folder_are_skipped(tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "site"
    folder.mkdir()
    shutil.copy(SEED, folder / "plan.txt")
    (folder / "index.html").write_text("<!DOCTYPE html><html><body>แผน</body></html>", encoding="utf-8")
    with zipfile.ZipFile(folder / "archive.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = _cli("convert", str(folder), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert [Path(d["source"]).name for d in _documents(tmp_path / "out")] == ["plan.txt"]
    assert "3 skipped" in result.stdout


def test_a_database_of_the_previous_schema_is_migrated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = sqlite3.connect(out / "thaiplan.sqlite")
    for statement in MIGRATIONS[0].split(";"):
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO documents (doc_id, source, sha256, status, items) VALUES "
                "('aaaaaaaaaaaaaaaa', 'old/plan.txt', 'aaaaaaaaaaaaaaaa00', 'converted', 3)")  # fmt: skip
    old.commit()
    old.close()
    with Store.open(out) as store:
        assert store.version == SCHEMA_VERSION == 3
        assert "old/plan.txt" in store.known()
    run([SEED], out, {"jobs": 1})
    assert sorted(d["source"] for d in _documents(out)) == sorted(["old/plan.txt", str(SEED)])


def test_a_version_2_database_gets_the_contract_columns(tmp_path: Path) -> None:
    """A dataset written before family, read_by, kind and table existed keeps its
    rows, gains the columns, and states each total's counts once (not per year)."""
    out = tmp_path / "out"
    out.mkdir()
    old = sqlite3.connect(out / "thaiplan.sqlite")
    for migration in MIGRATIONS[:2]:
        for statement in migration.split(";"):
            old.execute(statement)
    old.execute("PRAGMA user_version = 2")
    old.execute("INSERT INTO documents (doc_id, source, sha256, format, status, items, thaiplan_version) VALUES "
                "('bbbbbbbbbbbbbbbb', 'old/scan.png', 'bbbbbbbbbbbbbbbb00', 'image', 'converted', 1, '0.0.9')")
    old.execute("INSERT INTO missions (doc_id, code, parent, level, title) VALUES "
                "('bbbbbbbbbbbbbbbb', '2.3.1', '2.3', 3, 'x')")
    for year, amount in ((2561, "10"), (2562, "20")):
        old.execute("INSERT INTO totals (doc_id, scope, label, fiscal_year, projects, activities, measures, "
                    "amount_baht, page) VALUES ('bbbbbbbbbbbbbbbb', '1', 'รวม', ?, 2, 1, 0, ?, 4)", (year, amount))
    old.commit()
    old.close()
    with Store.open(out) as store:
        assert store.version == 3
        document = next(store.documents())
        assert (document["family"], document["read_by"], document["thaiplan_version"]) == (
            "anticorruption", "ocr", "0.0.9")
        assert [m["kind"] for m in store.rows("missions", "bbbbbbbbbbbbbbbb")] == ["sub_mission"]
        totals = store.rows("totals", "bbbbbbbbbbbbbbbb")
    assert [(t["table"], t["fiscal_year"], t["projects"], t["amount_baht"]) for t in totals] == [
        ("detail", 2561, 2, "10"), ("detail", 2562, None, "20")]


def test_progress_without_a_terminal_is_one_line_per_file(tmp_path: Path) -> None:
    result = _cli("convert", str(SEED), str(FOURYEAR), "-o", str(tmp_path / "out"), "-j", "2")
    assert result.returncode == 0
    progress = [line for line in result.stdout.splitlines() if line.endswith(" s)")]
    assert sorted(progress[i].split(":")[0] for i in range(2)) == sorted([str(SEED), str(FOURYEAR)])
    assert all(": converted (" in line for line in progress)


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """What a person sees in a terminal: a bar with files done of total, pages, rate and ETA."""
    import fcntl
    import pty
    import re
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: thaiplan on a 160-column pseudo-terminal
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
            os.chdir(ROOT)
            env = {**os.environ, "COLUMNS": "160", "LINES": "40"}
            os.execve(sys.executable, [sys.executable, "-m", "thaiplan", "convert", str(SEED), str(FOURYEAR), "-o",
                                       str(tmp_path / "out"), "-j", "1"], env)  # fmt: skip
        finally:
            os._exit(127)  # never back into pytest
    screen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    _, status = os.waitpid(pid, 0)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode("utf-8", "replace"))  # colours and cursor moves
    assert os.waitstatus_to_exitcode(status) == 0, text
    last_frame = text.split("\r")[-2] if "\r" in text else text
    frames = [frame for frame in text.replace("\n", "\r").split("\r") if frame.startswith("thaiplan ")]
    assert frames and "0/2 files 0 pages" in frames[0], frames[:1]
    final = frames[-1]
    assert "2/2 files 8 pages" in final and "files/s" in final and "ETA" in final, final
    assert any(str(SEED.name) in frame for frame in frames)  # the file in progress is shown
    assert "thaiplan: 2 of 2 file(s) converted" in text and last_frame
