"""A 200-file archive (text, DOCX, PDF and a scan) interrupted with SIGINT or
SIGKILL at a random moment, then run again: the dataset equals an
uninterrupted run's, table for table; after SIGINT no worker, tesseract or
soffice is left. The same archive on a Dask LocalCluster gives the same dataset."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT
from thaiplan.extract import ocr

SAMPLES = ROOT / "samples"
RUN_MARK = "THAIPLAN_TEST_RUN"  # in the environment of one run's driver, so of all it starts


def _archive(folder: Path) -> Path:
    """200 distinct files: each copy differs in bytes that do not change what it says."""
    folder.mkdir()
    texts = [SAMPLES / "000_8b3bc95f51f4a1e5.txt", SAMPLES / "fouryear_2561-2564.txt"]
    for i in range(150):
        source = texts[i % 2]
        (folder / f"t{i:03d}.txt").write_bytes(source.read_bytes() + b"\n" * (i // 2 + 1))
    for i in range(35):
        target = folder / f"d{i:03d}.docx"
        shutil.copy(SAMPLES / "seed_plan.docx", target)
        with zipfile.ZipFile(target, "a") as archive:
            archive.comment = f"copy {i}".encode()
    for i in range(14):
        (folder / f"p{i:03d}.pdf").write_bytes((SAMPLES / "seed_plan.pdf").read_bytes() + f"% copy {i}\n".encode())
    shutil.copy(SAMPLES / "seed_plan_scan_200dpi.pdf", folder / "s000.pdf")
    return folder


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ocr.tesseract_available():
        pytest.skip(f"the archive holds a scan: {ocr.tesseract_status()}")
    return _archive(tmp_path_factory.mktemp("archive") / "plans")


@pytest.fixture(scope="module")
def reference(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference") / "out"
    done = _convert(archive, out)
    assert done.returncode == 0, done.stderr
    return _dataset(out)


def _convert(archive: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "thaiplan", "convert", str(archive), "-o", str(out), "-j", "2", "-q",
                           *extra], capture_output=True, text=True, timeout=900, cwd=ROOT)  # fmt: skip


def _dataset(out: Path) -> dict[str, bytes]:
    exports = [p for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(("thaiplan.sqlite", "."))]
    return {str(p.relative_to(out)): p.read_bytes() for p in exports}


def _leftovers(mark: str) -> list[str]:
    """The run's processes still alive: those whose environment carries the run's mark.
    Every worker, tesseract and soffice inherits the driver's environment, whichever
    session it starts and wherever it is reparented once the driver is gone (neither
    the driver's process tree nor a session id finds such an orphan), and no process of
    another run on the machine carries this mark."""
    found = []
    for process in psutil.process_iter(["cmdline", "status"]):
        try:
            if process.info["status"] == psutil.STATUS_ZOMBIE or process.environ().get(RUN_MARK) != mark:
                continue
        except psutil.Error:  # gone meanwhile, or another user's
            continue
        found.append(f"{process.pid} {' '.join(process.info['cmdline'] or [])[:80]}")
    return found


def _interrupted(archive: Path, out: Path, signum: int, seed: int) -> tuple[subprocess.Popen[str], str]:
    """The running convert, sent `signum` at a random moment, and the mark of its processes."""
    mark = uuid.uuid4().hex
    process = subprocess.Popen([sys.executable, "-m", "thaiplan", "convert", str(archive), "-o", str(out), "-j", "2",
                                "-q"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, RUN_MARK: mark})  # fmt: skip
    time.sleep(random.Random(seed).uniform(2.0, 6.0))
    process.send_signal(signum)
    return process, mark


def test_a_process_the_run_left_behind_is_found(tmp_path: Path) -> None:
    """An orphan in a session of its own (as a leaked worker or soffice would be) is found by
    its run's mark; a process of another run is not."""
    mark, other = uuid.uuid4().hex, uuid.uuid4().hex
    pids = tmp_path / "pids"
    for value in (mark, other):  # the shell exits at once: its sleep is reparented, as a leaked child is
        subprocess.run(["sh", "-c", f"sleep 60 & echo $! >> {pids}"], env={**os.environ, RUN_MARK: value},
                       start_new_session=True, check=True)  # fmt: skip
    orphan, stranger = (int(line) for line in pids.read_text().split())
    try:
        assert [line.split()[0] for line in _leftovers(mark)] == [str(orphan)]
    finally:
        for pid in (orphan, stranger):
            os.kill(pid, signal.SIGKILL)


def test_sigint_stops_cleanly_and_the_rerun_completes(archive: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    out = tmp_path / "out"
    process, mark = _interrupted(archive, out, signal.SIGINT, seed=1)
    _, stderr = process.communicate(timeout=30)  # stops within seconds
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "Run the same command again to go on where it stopped" in stderr
    time.sleep(0.5)
    assert _leftovers(mark) == []
    kept = (out / "documents.csv").read_text(encoding="utf-8-sig").count("\n") - 1
    again = _convert(archive, out)
    assert again.returncode == 0, again.stderr
    assert _dataset(out) == reference
    assert kept >= 1  # what finished before the interruption was kept (and not converted again)


def test_sigkill_loses_only_what_was_in_flight(archive: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    out = tmp_path / "out"
    process, mark = _interrupted(archive, out, signal.SIGKILL, seed=2)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # workers and their OCR page processes die with the driver (thaiplan.lifeline); a
    # tesseract already reading a page finishes it (seconds), then nothing of the run is left
    deadline = time.monotonic() + 60
    while _leftovers(mark) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _leftovers(mark) == []
    again = _convert(archive, out, "--log-json", str(tmp_path / "log.jsonl"))
    assert again.returncode == 0, again.stderr
    assert _dataset(out) == reference
    log = (tmp_path / "log.jsonl").read_text(encoding="utf-8")
    assert '"status": "unchanged"' in log  # the rerun resumed: what was stored was not converted again


def test_the_same_archive_on_a_dask_cluster(archive: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = _convert(archive, tmp_path / "out", "--scheduler", cluster.scheduler_address)
    assert done.returncode == 0, done.stderr
    assert _dataset(tmp_path / "out") == reference


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    seed = SAMPLES / "000_8b3bc95f51f4a1e5.txt"
    done = subprocess.run([sys.executable, "-m", "thaiplan", "convert", str(seed), "-o", str(tmp_path / "out"),
                           "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"})  # fmt: skip
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("tcp://127.0.0.1:9: the Dask scheduler tcp://127.0.0.1:9 cannot be reached")
