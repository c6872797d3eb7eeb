"""Rendered widths of Thai text, for the line-width model of normalize.wraps.

Cells of one table column share a width, so the lines a copy glued together
have similar rendered widths. Widths come from a per-character advance table
shipped in the package (data/glyph_widths.json), measured by
scripts/build_data.py from TLWG Laksaman, a font metric-compatible with TH
SarabunPSK: no font is read at run time, so a wrap decision is the same on
every machine. Units: the advance of ก is 1.0.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

WIDTHS_FILE = "glyph_widths.json"  # in data/ beside this module
# Thai combining marks: drawn above or below the previous letter, no advance.
COMBINING = frozenset(
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)
SPACE_FALLBACK = 0.5


@lru_cache(maxsize=1)
def width_table() -> dict[str, float]:
    """The shipped advance widths, character to width."""
    text = (resources.files("thaiplan.normalize") / "data" / WIDTHS_FILE).read_text(encoding="utf-8")
    return json.loads(text)["widths"]


def char_width(ch: str, table: dict[str, float] | None = None) -> float:
    """One character's advance: from the table, else 0 for marks, 0.5 for a space, 1 otherwise."""
    table = width_table() if table is None else table
    got = table.get(ch)
    if got is not None:
        return got
    if ch in COMBINING:
        return 0.0
    return SPACE_FALLBACK if ch == " " else 1.0


@lru_cache(maxsize=65536)
def text_width(text: str) -> float:
    """Rendered width of a run of text (no kerning or shaping: sums advances).

    >>> text_width("ที่") == text_width("ท")
    True
    """
    table = width_table()
    return sum(char_width(ch, table) for ch in text)


def space_width() -> float:
    """Width of one space in the same units."""
    return char_width(" ")
