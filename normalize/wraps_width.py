"""Rendered widths of Thai text, for the line-width model of normalize.wraps.

Cells of one table column share a width, so the lines a copy glued together
have similar rendered widths. Widths come from a per-character advance table
measured once (lazily) from an installed font metric-compatible with TH
SarabunPSK (TLWG Laksaman); without the font, every non-combining character
counts as one unit. Units: the advance of ก is 1.0.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf"),
    Path("/usr/share/fonts/opentype/tlwg/Laksaman.otf"),
)
# Thai combining marks: drawn above or below the previous letter, no advance.
COMBINING = frozenset(
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)
_MEASURED = (
    [chr(c) for c in range(0x0E01, 0x0E5C)]
    + [chr(c) for c in range(0x20, 0x7F)]
    + list("\u201c\u201d\u2018\u2019\u2013\u2014\u2026")
)
SPACE_FALLBACK = 0.5


@lru_cache(maxsize=1)
def width_table() -> dict[str, float]:
    """Advance widths measured from the first font found; {} when none is (fallback widths)."""
    try:
        from PIL import ImageFont
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return {}
    for path in FONT_PATHS:
        if not path.exists():
            continue
        try:
            font = ImageFont.truetype(str(path), 100)
        except OSError:
            continue
        unit = font.getlength("ก") or 1.0
        return {ch: (0.0 if ch in COMBINING else font.getlength(ch) / unit) for ch in _MEASURED}
    return {}


def char_width(ch: str, table: dict[str, float] | None = None) -> float:
    """One character's advance: measured, else 0 for marks, 0.5 for a space, 1 otherwise."""
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
