"""Benchmark (not a test): files per second per core on a folder of copies of
the seed plan, against the raw reading cost (decode + split) of the same files.

    python bench/run.py [--copies 1000] [--jobs 1]

The run goes through the archive runner (watched worker processes, the
store, the exports); the driver's own start-up is measured separately."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    from thaiplan.pipeline import convert_file
    from thaiplan.runner import run

    convert_file(SEED)  # warm up: imports and the Thai dictionary (the workers pay it once each, included below)
    startup = time.perf_counter() - started
    work = Path(tempfile.mkdtemp(prefix="thaiplan-bench-"))
    try:
        folder = work / "plans"
        folder.mkdir()
        data = SEED.read_bytes()
        for index in range(args.copies):
            # each copy differs by one byte so none is skipped as a duplicate
            (folder / f"plan_{index:05d}.txt").write_bytes(data + f"\n# {index}\n".encode())
        raw_started = time.perf_counter()
        for path in sorted(folder.iterdir()):
            [line.split("\t") for line in path.read_bytes().decode("utf-8").splitlines()]
        raw = time.perf_counter() - raw_started
        run_started = time.perf_counter()
        result = run([folder], work / "out", {"jobs": args.jobs})
        elapsed = time.perf_counter() - run_started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    converted = result.count("converted")
    rate = converted / elapsed
    print(f"start-up {startup:.2f} s (excluded)")
    print(
        f"{converted}/{args.copies} files converted in {elapsed:.2f} s with {args.jobs} job(s): "
        f"{rate:.0f} files/s, {rate / args.jobs:.0f} files/s per core (goal >= 50)"
    )
    print(f"raw read (decode + split) of the same files: {raw:.3f} s; thaiplan is {elapsed / raw:.0f}x that")


if __name__ == "__main__":
    main()
