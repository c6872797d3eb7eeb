"""Pages per second: thaiplan's PDF reader against pdfplumber's extract_tables alone.

    python bench/pdf_bench.py [PDF...]

Not a test: timings depend on the machine. The goal is a ratio <= 1.5.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL = ROOT / "tests" / "data" / "real"  # see its SOURCES.md
DEFAULT = [REAL / "devplan-2556-2558.pdf", REAL / "strategy-2551-2555.pdf", ROOT / "samples" / "seed_plan.pdf"]


def plumber_tables(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def thaiplan_read(path: Path) -> int:
    from thaiplan.extract.pdf import read

    return read(path).pages or 0


def timed(func, path: Path) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    pages = func(path)
    return time.perf_counter() - start, pages


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or DEFAULT
    thaiplan_read(paths[0])  # warm up imports and the word list
    total = {"pdfplumber": 0.0, "thaiplan": 0.0}
    for path in paths:
        t_ref, pages = timed(plumber_tables, path)
        t_our, _ = timed(thaiplan_read, path)
        total["pdfplumber"] += t_ref
        total["thaiplan"] += t_our
        print(f"{path.name:32s} {pages:4d} pages  pdfplumber {pages / t_ref:6.1f} p/s  "
              f"thaiplan {pages / t_our:6.1f} p/s  ratio {t_our / t_ref:.2f}")  # fmt: skip
    print(f"overall time ratio thaiplan / pdfplumber extract_tables: {total['thaiplan'] / total['pdfplumber']:.2f}")


if __name__ == "__main__":
    main()
