"""How much reading a DOCX plan costs next to python-docx's own `Document()` load.

The target is at most 2x. Measured on the seed plan built as DOCX and on the
real 133-page development plan converted from .doc (the conversion is timed
too). CPU time, best of N interleaved runs, so other processes on the machine
disturb it less. Run: python bench/docx_bench.py [runs]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx as python_docx  # noqa: E402

from tests.builders import build_docx, seed_rows  # noqa: E402
from thaiplan.extract import doc, docx  # noqa: E402

REAL_DOC = ROOT / "tests" / "data" / "real" / "devplan-2556-2558.doc"  # see tests/data/real/SOURCES.md


def best_cpu(function: Callable[[], object], runs: int) -> float:
    """Best CPU time of `runs` calls (the least disturbed one)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def compare(label: str, path: Path, runs: int) -> None:
    baseline = reader = float("inf")
    for _ in range(runs):  # interleave so both see the same machine load
        baseline = min(baseline, best_cpu(lambda: python_docx.Document(str(path)), 1))
        reader = min(reader, best_cpu(lambda: docx.read(path), 1))
    print(
        f"{label}: Document() {baseline * 1000:.1f} ms, extract.docx.read {reader * 1000:.1f} ms, "
        f"ratio {reader / baseline:.2f} (target <= 2)"
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        titles, rows = seed_rows()
        compare("seed plan DOCX", build_docx(folder / "seed.docx", titles, rows), runs)
        start = time.perf_counter()
        converted = doc.convert(REAL_DOC, folder)
        print(f"real .doc ({REAL_DOC.stat().st_size // 1024} KiB) converted in {time.perf_counter() - start:.1f} s")
        compare("real plan DOCX (converted .doc)", converted, max(runs // 3, 3))


if __name__ == "__main__":
    main()
