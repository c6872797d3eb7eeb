"""Cell text made whole: Thai repair, then wraps rebuilt.

A plain-text copy lost its line breaks (every wrap became a space), so its
spaces are decided a column at a time (cells of one column share a width).
Readers that keep line breaks (DOCX, PDF, OCR) have each break decided with
what the reader saw (break hints)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from normalize.rows import LogicalRow
from normalize.thai_text import repair
from normalize.wraps import line_pairs, rebuild_breaks, rebuild_columns

_SPACES = re.compile(r"[ \t\u00a0]+")


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def rebuild_texts(rows: Sequence[LogicalRow], roles: Sequence[str]) -> list[dict[str, tuple[str, str]]]:
    """For each row, role → (rebuilt text, raw text as extracted)."""
    result: list[dict[str, tuple[str, str]]] = [{} for _ in rows]
    copied_columns: list[tuple[str, list[int]]] = []
    broken = [
        repair(row.texts[role])
        for row in rows
        for role in roles
        if row.texts.get(role) and (cell := row.cells.get(role)) is not None and cell.method != "text"
    ]
    pairs = line_pairs(broken) if broken else frozenset()
    for role in roles:
        copied: list[int] = []  # rows whose cell came from a plain-text copy
        for index, row in enumerate(rows):
            raw = row.texts.get(role)
            if not raw:
                continue
            cell = row.cells.get(role)
            if cell is not None and cell.method == "text":
                copied.append(index)
                continue
            hints = list(cell.break_hints) if cell is not None else []
            if len(hints) != raw.count("\n"):
                hints = [None] * raw.count("\n")
            result[index][role] = (_tidy(rebuild_breaks(repair(raw), hints, pairs)), raw)
        if copied:
            copied_columns.append((role, copied))
    columns = [
        [_tidy(repair(rows[i].texts[role]).replace("\n", " ")) for i in copied] for role, copied in copied_columns
    ]
    for (role, copied), rebuilt in zip(copied_columns, rebuild_columns(columns)):
        for index, text in zip(copied, rebuilt):
            result[index][role] = (_tidy(text), rows[index].texts[role])
    return result
