"""Benchmarks of the archive runner (not a test; numbers for the issue notes).

    python bench/runner_bench.py [--quick]

1. 1,000 text plans and 100 PDFs with -j 1 and -j 2: the speed-up on 2 cores.
2. The driver's peak memory converting 1,000 and 10,000 text plans (its own
   resident memory, sampled; workers are separate processes).
3. The same 100 PDFs on a Dask LocalCluster (2 workers) against the local pool.
4. The store's overhead per document (commit + its share of the exports)
   against one text plan's conversion time, in one process.
5. A rerun over an unchanged folder against the first run.

Every figure of one kind is measured in the same run, on the same files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

# As on a user's machine: Python caches compiled modules (a sandbox that sets
# PYTHONDONTWRITEBYTECODE would have every run compile thaiplan anew).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT))


def text_folder(folder: Path, count: int) -> Path:
    """`count` distinct text plans (the two samples, each copy with its own trailing blank lines)."""
    folder.mkdir(parents=True)
    sources = [(SAMPLES / name).read_bytes() for name in ("000_8b3bc95f51f4a1e5.txt", "fouryear_2561-2564.txt")]
    for i in range(count):
        (folder / f"t{i:05d}.txt").write_bytes(sources[i % 2] + b"\n" * (i // 2 + 1) + b" ")
    return folder


def pdf_folder(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    data = (SAMPLES / "seed_plan.pdf").read_bytes()
    for i in range(count):
        (folder / f"p{i:04d}.pdf").write_bytes(data + f"% copy {i}\n".encode())
    return folder


def convert(inputs: Path, out: Path, *extra: str) -> tuple[float, int]:
    """(seconds, the driver's peak resident bytes) of one CLI run."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "thaiplan", "convert", str(inputs), "-o", str(out), "-q", *extra],
                               cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    peak = 0
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"convert failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, peak


def rerun(inputs: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "thaiplan", "convert", str(inputs), "-o", str(out), "-q"], cwd=ROOT,
                   env=ENV, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def store_overhead(rounds: int) -> tuple[float, float, float]:
    """(seconds per conversion of a text plan, seconds per document in the store: put +
    exports, the same without the Excel workbook), over `rounds` distinct plans (each
    its own doc_id, so the exports hold every document's rows)."""
    from thaiplan import typed_exports
    from thaiplan.exports import export
    from thaiplan.outcome import convert_to_outcome
    from thaiplan.settings import Settings
    from thaiplan.store import Store

    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(text_folder(Path(tmp) / "in", rounds).iterdir())
        convert_to_outcome(files[0], settings)  # warm: dictionary and caches
        started = time.perf_counter()
        outcomes = [convert_to_outcome(path, settings) for path in files]
        conversion = (time.perf_counter() - started) / rounds
        per_document = []
        for workbook in (True, False):
            out = Path(tmp) / f"out{workbook}"
            limit = typed_exports.XLSX_MAX_DOCUMENTS
            typed_exports.XLSX_MAX_DOCUMENTS = limit if workbook else 0
            with Store.open(out) as store:
                started = time.perf_counter()
                for outcome in outcomes:
                    store.put(outcome, "bench")
                export(store, out)
                per_document.append((time.perf_counter() - started) / rounds)
            typed_exports.XLSX_MAX_DOCUMENTS = limit
    return conversion, per_document[0], per_document[1]


def dask_time(inputs: Path, out: Path) -> float:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        convert(inputs, out, "--scheduler", cluster.scheduler_address)  # warm the workers
        seconds, _ = convert(inputs, out, "--scheduler", cluster.scheduler_address)
    return seconds


def main() -> None:
    quick = "--quick" in sys.argv
    texts, pdfs, many = (200, 20, 2000) if quick else (1000, 100, 10000)
    with tempfile.TemporaryDirectory(prefix="thaiplan-bench-") as tmp:
        base = Path(tmp)
        text_in, pdf_in = text_folder(base / "texts", texts), pdf_folder(base / "pdfs", pdfs)
        print(f"{texts} text plans, {pdfs} PDFs (seed_plan.pdf, 35 pages), {psutil.cpu_count()} cores")
        for name, folder in (("text", text_in), ("pdf", pdf_in)):
            one, _ = convert(folder, base / "out1", "-j", "1")
            two, _ = convert(folder, base / "out2", "-j", "2")
            count = texts if name == "text" else pdfs
            print(f"{name}: -j 1 {one:.1f} s ({count / one:.1f} files/s), -j 2 {two:.1f} s ({count / two:.1f} files/s): "
                  f"speed-up {one / two:.2f}x")  # fmt: skip
        first, _ = convert(text_in, base / "out3", "-j", "2")
        again = rerun(text_in, base / "out3")
        print(f"rerun over the unchanged {texts} text plans: {again:.2f} s, {100 * again / first:.1f}% of the first run")
        samples = base / "samples"
        samples.mkdir()
        for name in ("000_8b3bc95f51f4a1e5.txt", "fouryear_2561-2564.txt"):
            shutil.copy(SAMPLES / name, samples / name)
        first, _ = convert(samples, base / "out8")
        again = rerun(samples, base / "out8")
        print(f"rerun over the 2 unchanged text samples: {again:.2f} s against {first:.2f} s: {100 * again / first:.1f}%")
        _, peak_small = convert(text_in, base / "out4", "-j", "2")
        big_in = text_folder(base / "many", many)
        _, peak_big = convert(big_in, base / "out5", "-j", "2")
        print(f"driver peak memory: {peak_small >> 20} MB at {texts} files, {peak_big >> 20} MB at {many}: "
              f"{peak_big / peak_small:.2f}x")  # fmt: skip
        local, _ = convert(pdf_in, base / "out6", "-j", "2")
        on_dask = dask_time(pdf_in, base / "out7")
        print(f"{pdfs} PDFs: local pool {local:.1f} s, Dask LocalCluster {on_dask:.1f} s: {on_dask / local:.2f}x")
    conversion, stored, without_xlsx = store_overhead(50 if quick else 300)
    print(f"store: {1000 * stored:.2f} ms per document (commit + exports) against {1000 * conversion:.1f} ms to "
          f"convert a text plan: {100 * stored / conversion:.1f}%; without the workbook "
          f"{1000 * without_xlsx:.2f} ms: {100 * without_xlsx / conversion:.1f}%")  # fmt: skip


if __name__ == "__main__":
    main()
