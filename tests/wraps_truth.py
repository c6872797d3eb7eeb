"""Hand-labelled and synthetic wrap truth (tests/data/wraps_*.tsv) and the score
used on it: the share of a copy's spaces decided as in the truth. One piece for
the tests and bench/wraps_eval.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

Columns = dict[str, list[tuple[str, str]]]


def read_columns(path: Path) -> Columns:
    """Columns of (copied, truth) cells from a TSV (first field: column id; last two: copy, truth)."""
    cols: Columns = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            cols[parts[0]].append((parts[-2], parts[-1]))
    return cols


def space_marks(text: str) -> set[int]:
    """Indices of non-space characters that follow a space."""
    marks, k, pending = set(), 0, False
    for ch in text:
        if ch == " ":
            pending = True
            continue
        if pending and k:
            marks.add(k)
        pending, k = False, k + 1
    return marks


def score(cols: Columns, rebuild: Callable[[Sequence[str]], list[str]], show: int = 0) -> tuple[int, int, int]:
    """(right decisions, keep-every-space baseline right, all decisions) of `rebuild` per column;
    `show` prints that many wrong cells."""
    right = base = total = shown = 0
    for cells in cols.values():
        out = rebuild([c for c, _ in cells])
        for (copy, truth), got in zip(cells, out):
            cand, want, have = space_marks(copy), space_marks(truth), space_marks(got)
            total += len(cand)
            right += sum((k in want) == (k in have) for k in cand)
            base += sum(k in want for k in cand)
            if show and got != truth and shown < show:
                shown += 1
                print(f"  copy  {copy}\n  truth {truth}\n  got   {got}")
    return right, base, total
