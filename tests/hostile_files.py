"""Hostile inputs built in the tests (issue 15): each small on disk, each aimed
at one bound of a reader, a normaliser, the writer or the runner.

A bomb is a few KB of deflate that inflates to far more than any plan; a loop
is an object that refers to itself; the rest are plans with one cell made
absurd (30-digit amounts, 200,000 inner spaces, 170,000 plan words).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"
ITEM_ROW = 5  # 0-based index of the seed's first item row (after the title and the header)


def seed_lines() -> list[str]:
    return SEED_TEXT.read_text(encoding="utf-8-sig").splitlines()


def plan_text(budget: str | None = None, item: str | None = None, total_label: str | None = None) -> bytes:
    """The seed plan as text with its first item's budget or name, or its first
    total row's counts, replaced."""
    lines = seed_lines()
    cells = lines[ITEM_ROW].split("\t")
    if budget is not None:
        cells[3] = budget
    if item is not None:
        cells[2] = item
    lines[ITEM_ROW] = "\t".join(cells)
    if total_label is not None:
        at = next(i for i, line in enumerate(lines) if line.startswith("\tรวม\t"))
        total = lines[at].split("\t")
        total[2] = total_label
        lines[at] = "\t".join(total)
    return ("\n".join(lines) + "\n").encode("utf-8")


def many_spaces(count: int) -> str:
    """An item name with `count` spaces inside it (none before a mark)."""
    return "โครงการ" + " " * count + "อบรม"


def many_plan_words(chars: int) -> str:
    """A total row's counts cell of about `chars` characters of plan words and no number."""
    return ("โครงการ " * (chars // 8 + 1))[:chars]


def bad_name(folder: Path, data: bytes) -> Path:
    """A file whose name is cp874 bytes (ปี.txt), not valid UTF-8, as Windows ZIP archives leave them."""
    path = Path(os.fsdecode(os.fsencode(folder) + b"/\xbb\xd5.txt"))
    path.write_bytes(data)
    return path


LIMIT_S = 120.0
LIMIT_BYTES = 2 << 30


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the largest resident size of the process or any of its workers

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


# Runs thaiplan and reports, on its last stderr line, the peak resident size of it and its workers.
_MEASURED = (
    "import resource, subprocess, sys; code = subprocess.call([sys.executable, '-m', 'thaiplan', *sys.argv[1:]]); "
    "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def run_thaiplan(*args: str | Path, cwd: Path, timeout: float = LIMIT_S, env: dict[str, str] | None = None) -> Ran:
    """`thaiplan ARGS` in a subprocess capped at 2 GB of address space (each worker too),
    ended past `timeout`; its time and peak memory measured."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *map(str, args)], cwd=cwd, capture_output=True,
                          timeout=timeout, preexec_fn=_limit_memory, env=env or dict(os.environ))  # fmt: skip
    stderr, _, peak = done.stderr.decode("utf-8", "backslashreplace").rstrip().rpartition("peak-kb ")
    stdout = done.stdout.decode("utf-8", "backslashreplace")
    return Ran(done.returncode, stdout, stderr, time.monotonic() - started, int(peak or 0) / 1024)
