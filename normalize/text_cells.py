"""Cell text made whole: Thai repair, then wraps rebuilt.

A plain-text copy lost its line breaks (every wrap became a space), so its
spaces are decided a column at a time (cells of one column share a width).
Readers that keep line breaks (DOCX, PDF, OCR) have each break decided with
what the reader saw (break hints)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from thaiplan.normalize.rows import LogicalRow
from thaiplan.normalize.thai_text import repair, repair_placed, repair_typed
from thaiplan.normalize.wraps import line_pairs, rebuild_breaks, rebuild_columns
from thaiplan.settings import WrapSettings

_SPACES = re.compile(r"[ \t\u00a0]+")
TYPED = frozenset({"docx", "xls"})  # cells holding what their author typed: no dictionary guesses
PLACED = frozenset({"pdf"})  # cells whose marks the reader put where they are drawn: no mark moved by guess


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def rebuild_texts(
    rows: Sequence[LogicalRow], roles: Sequence[str], wraps: WrapSettings | None = None
) -> list[dict[str, tuple[str, str]]]:
    """For each row, role → (rebuilt text, raw text as extracted)."""
    wraps = wraps or WrapSettings()
    copied: dict[str, list[tuple[int, str]]] = {role: [] for role in roles}  # plain-text copies, by column
    broken: list[tuple[int, str, str]] = []  # cells with known line breaks: (row, role, repaired text)
    for index, row in enumerate(rows):
        for role in roles:
            raw = row.texts.get(role)
            if not raw:
                continue
            cell = row.cells.get(role)
            if cell is not None and cell.method == "text":
                copied[role].append((index, _tidy(repair(raw).replace("\n", " "))))
            else:
                method = cell.method if cell is not None else None
                fix = repair_typed if method in TYPED else repair_placed if method in PLACED else repair
                broken.append((index, role, fix(raw)))
    result: list[dict[str, tuple[str, str]]] = [{} for _ in rows]
    pairs = line_pairs([text for _, _, text in broken]) if broken else frozenset()
    for index, role, text in broken:
        raw = rows[index].texts[role]
        hints = rows[index].hints.get(role, [])
        if len(hints) != raw.count("\n"):
            hints = [None] * raw.count("\n")
        result[index][role] = (_tidy(rebuild_breaks(text, hints, pairs, wraps)), raw)
    columns = [(role, cells) for role, cells in copied.items() if cells]
    rebuilt = rebuild_columns([[text for _, text in cells] for _, cells in columns], wraps)
    for (role, cells), texts in zip(columns, rebuilt):
        for (index, _), text in zip(cells, texts):
            result[index][role] = (_tidy(text), rows[index].texts[role])
    return result
