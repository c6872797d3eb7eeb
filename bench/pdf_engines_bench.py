"""The PDF engines side by side (issue 16): thaiplan's reader with table rules
from pdfium's paths (default) and from pdfplumber, against pypdfium2's own
glyph read and pdfplumber's extract_tables, in one run.

    python bench/pdf_engines_bench.py [--real DIR] [--repeat N]

DIR holds devplan-2556-2558.pdf and budget2565_doc3_vol14.pdf (default
$THAIPLAN_REAL, else the repository's tests/data/real). Not a test: timings depend on the
machine; the ratios are what to compare. Goals: reader <= 3x the glyph read,
reader <= 0.2x extract_tables, `thaiplan convert -j 1` (start-up excluded:
the same command on a one-table text file is subtracted) <= 0.25x
extract_tables, and the pdfium engine's peak memory converting the 288-page
volume no higher than the pdfplumber engine's.

Every timing is the best of N, taken both as wall time and as CPU time (the
process tree's user + system): on a shared machine the wall time of the same
work varies by 2x, its CPU time far less; on an idle one they agree.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TINY = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"  # converts in milliseconds: its run is the start-up
# Runs a command and prints its wall time, the peak RSS (KiB) and the CPU seconds of its process tree (the workers included).
WRAPPER = ("import resource, subprocess, sys, time; t = time.perf_counter(); r = subprocess.run(sys.argv[1:]);"
           "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
           "print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime, r.returncode)")  # fmt: skip


def pdfium_chars(path: Path) -> None:
    """Every glyph's code point and box: what pypdfium2 gives at the least."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    box = [ctypes.c_double() for _ in range(4)]
    document = pypdfium2.PdfDocument(str(path))
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        for char in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
            pdfium_c.FPDFText_GetUnicode(textpage.raw, char)
            pdfium_c.FPDFText_GetCharBox(textpage.raw, char, *box)
        textpage.close()
        page.close()
    document.close()


def plumber_tables(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()


def reader(engine: str):  # type: ignore[no-untyped-def]
    from thaiplan.extract.pdf import read
    from thaiplan.settings import Settings

    settings = Settings.resolve({"pdf.engine": engine})
    return lambda path: read(path, settings)


class Timing:
    """The best of several runs: wall seconds and CPU seconds, each its minimum."""

    def __init__(self) -> None:
        self.wall = self.cpu = float("inf")

    def add(self, wall: float, cpu: float) -> None:
        self.wall, self.cpu = min(self.wall, wall), min(self.cpu, cpu)

    def minus(self, other: Timing) -> Timing:
        less = Timing()
        less.add(self.wall - other.wall, self.cpu - other.cpu)
        return less


def best(func, path: Path, repeat: int) -> Timing:  # type: ignore[no-untyped-def]
    timing = Timing()
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        func(path)
        timing.add(time.perf_counter() - start, time.process_time() - cpu)
    return timing


def best_convert(path: Path, engine: str, repeat: int) -> tuple[Timing, int]:
    """The best of `repeat` conversions, and the highest peak memory (KiB) of them."""
    timing, peak = Timing(), 0
    for _ in range(repeat):
        wall, kib, cpu = convert(path, engine)
        timing.add(wall, cpu)
        peak = max(peak, kib)
    return timing, peak


def convert(path: Path, engine: str) -> tuple[float, int, float]:
    """(seconds, peak KiB, CPU seconds) of `thaiplan convert -j 1` on one file, in a fresh output folder."""
    with tempfile.TemporaryDirectory(prefix="thaiplan-bench-") as out:
        command = [sys.executable, "-c", WRAPPER, sys.executable, "-m", "thaiplan", "convert", str(path),
                   "-o", out, "-j", "1", "-q", "--set", f"pdf.engine={engine}"]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak, cpu, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"thaiplan convert {path.name} failed: {done.stderr}")
    return float(seconds), int(peak), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--real", type=Path, default=Path(os.environ.get("THAIPLAN_REAL", ROOT / "tests" / "data" / "real")))
    parser.add_argument("--repeat", type=int, default=3, help="best of N for the fast measurements")
    args = parser.parse_args()
    paths = [ROOT / "samples" / "seed_plan.pdf", args.real / "devplan-2556-2558.pdf",
             args.real / "budget2565_doc3_vol14.pdf"]  # fmt: skip
    pdfium_read, plumber_read = reader("pdfium"), reader("pdfplumber")
    pdfium_read(paths[0])  # warm up: imports, the word list, the tokenizer
    startup = best_convert(TINY, "pdfium", args.repeat)[0]
    print(f"start-up of `thaiplan convert -j 1` (a one-table text file): {startup.wall:.2f} s "
          f"({startup.cpu:.2f} s CPU), subtracted below")  # fmt: skip
    header = ("PDF", "pages", "time", "chars", "tables", "reader", "reader/plumber", "convert", "r/chars", "r/tables",
              "conv/tables")  # fmt: skip
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    peaks: dict[str, int] = {}
    for path in paths:
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(str(path)))
        chars = best(pdfium_chars, path, args.repeat)
        tables = best(plumber_tables, path, 1)
        ours = best(pdfium_read, path, args.repeat)
        theirs = best(plumber_read, path, 1)
        whole, peak = best_convert(path, "pdfium", args.repeat)
        whole = whole.minus(startup)
        if path == paths[-1]:
            peaks = {"pdfium": peak, "pdfplumber": convert(path, "pdfplumber")[1]}
        for kind in ("wall", "cpu"):
            c, t, o, p, w = (getattr(x, kind) for x in (chars, tables, ours, theirs, whole))
            print(f"| {path.name} | {pages} | {kind} | {c:.2f} s | {t:.2f} s | {o:.2f} s | {p:.2f} s | {w:.2f} s "
                  f"| {o / c:.2f}x | {o / t:.3f}x | {w / t:.3f}x |", flush=True)  # fmt: skip
    print("goals: r/chars <= 3x, r/tables <= 0.2x, conv/tables <= 0.25x")
    print(f"peak memory converting {paths[-1].name}: pdfium engine {peaks['pdfium'] / 1024:.0f} MB, "
          f"pdfplumber engine {peaks['pdfplumber'] / 1024:.0f} MB (goal: pdfium not higher)")


if __name__ == "__main__":
    main()
