"""Scoring OCR output against the cells a builder wrote (tests/builders.plan_layout):
per column, characters by edit distance and codes, budgets and numbers as aligned
sequences. Used by tests/test_ocr.py, tests/test_scans.py and bench/ocr_bench.py."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from tests.builders import ExpectedCell

CODE = re.compile(r"[๐-๙0-9]+(?:\.[๐-๙0-9]+)+")
DIGIT_RUN = re.compile(r"[๐-๙0-9][๐-๙0-9,.]*")
COLUMNS = {0: "dimension", 1: "mission", 2: "name", 3: "budget", 4: "period", 5: "remark"}


def squash(text: str) -> str:
    """Text compared without whitespace (wraps differ by design), ำ repaired, dashes unified."""
    from thaiplan.normalize.thai_text import repair

    return re.sub(r"\s+", "", repair(text)).replace("–", "-")


@dataclass
class Score:
    codes: tuple[int, int] = (0, 0)  # exact, total (in reading order, aligned)
    budgets: tuple[int, int] = (0, 0)
    period_numbers: tuple[int, int] = (0, 0)
    counts: tuple[int, int] = (0, 0)  # numbers in the total rows' count cells
    char_accuracy: dict[str, float] = field(default_factory=dict)  # per column, whitespace ignored
    failures: list[str] = field(default_factory=list)


def column_texts(tables: list) -> dict[int, list[str]]:  # tables: list[extract.model.Table]
    """Non-empty OCR cell texts per column in reading order; each page's
    repeated header row (row 0 of every table) left out."""
    got: dict[int, list[str]] = {c: [] for c in COLUMNS}
    for table in tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                if cell.text.strip() and cell.col in got:
                    got[cell.col].append(cell.text)
    return got


def score(expected: list[ExpectedCell], tables: list) -> Score:
    """Compare OCR text with the builder's cells, column by column.

    Rows split across pages and merged cells cut by a page break make cell
    counts differ, so each column is compared as one text in reading order:
    characters by edit distance, codes / budgets / numbers as sequences
    aligned by difflib (a misread one is a miss).
    """
    got = column_texts(tables)
    result = Score()
    for col, name in COLUMNS.items():
        want_text = "".join(squash(c.text) for c in expected if c.col == col)
        got_text = "".join(squash(text) for text in got[col])
        result.char_accuracy[name] = round(1 - Levenshtein.distance(want_text, got_text) / max(1, len(want_text)), 4)
    got_all = {col: "\n".join(texts) for col, texts in got.items()}
    in_order = sorted((c for c in expected if c.col in (0, 1)), key=lambda c: (c.row, c.col))
    codes = [m for c in in_order for m in CODE.findall(squash(c.text))]
    read_codes = [
        m for table in tables for row in table.rows[1:] for cell in row.cells if cell.col in (0, 1)
        for m in CODE.findall(squash(cell.text))
    ]  # fmt: skip
    result.codes = _aligned(codes, read_codes, "code", result.failures)
    result.budgets = _aligned(
        [squash(c.text) for c in expected if c.col == 3 and c.text],
        [squash(t) for t in got[3]], "budget", result.failures,
    )  # fmt: skip
    result.period_numbers = _aligned(
        [n for c in expected if c.col == 4 for n in DIGIT_RUN.findall(squash(c.text))],
        DIGIT_RUN.findall(squash(got_all[4])), "period number", result.failures,
    )  # fmt: skip
    count_cells = [c for c in expected if c.col == 2 and re.match(r"^[๐-๙]+\s*(โครงการ|กิจกรรม|มาตรการ)", c.text)]
    read_counts = [t for t in got[2] if re.search(r"(โครงการ|กิจกรรม|มาตรการ)\s*,", t)]
    result.counts = _aligned(
        [n for c in count_cells for n in DIGIT_RUN.findall(squash(c.text))],
        [n for t in read_counts for n in DIGIT_RUN.findall(squash(t))], "count", result.failures,
    )  # fmt: skip
    return result


def _aligned(want: list[str], got: list[str], what: str, failures: list[str]) -> tuple[int, int]:
    want = [w.strip(".,") for w in want]
    got = [g.strip(".,") for g in got]
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    right = sum(block.size for block in matcher.get_matching_blocks())
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        if tag != "equal":
            failures.append(f"{what}: {want[i0:i1]} read as {got[j0:j1]}")
    return right, len(want)
