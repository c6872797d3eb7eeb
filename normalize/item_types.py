"""Item type from the name's first word, and item labels kept out of the name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from thaiplan.normalize.model import ItemType

TYPE_WORDS: tuple[tuple[str, ItemType], ...] = (
    ("แนวทางปฏิบัติ", "guideline"),
    ("แนวปฏิบัติ", "guideline"),
    ("โครงการ", "project"),
    ("กิจกรรม", "activity"),
    ("มาตรการ", "measure"),
)
MIN_SIMILARITY = 0.7
_LABEL = re.compile(r"^\s*(?:\(?[0-9๐-๙]{1,3}[).]|[-–•·●○▪*]|\([0-9๐-๙]{1,3}\))\s*")


@dataclass(frozen=True)
class Typed:
    type: ItemType
    guessed_from: str | None = None  # the printed word when the type is a guess


def item_type(name: str) -> Typed:
    """Type of an item by its first word; a near miss is a guess.

    >>> item_type("โครงการป้องกันผลประโยชน์ทับซ้อน")
    Typed(type='project', guessed_from=None)
    >>> item_type("มาตรฐานการยกระดับการปฏิบัติหน้าที่")
    Typed(type='measure', guessed_from='มาตรฐาน')
    >>> item_type("ประชุมประชาคม")
    Typed(type='other', guessed_from=None)
    """
    text = name.strip()
    for word, kind in TYPE_WORDS:
        if text.startswith(word):
            return Typed(kind)
    best: tuple[float, ItemType, str] | None = None
    for word, kind in TYPE_WORDS:
        head = text[: len(word)]
        score = SequenceMatcher(None, head, word).ratio()
        if score >= MIN_SIMILARITY and (best is None or score > best[0]):
            best = (score, kind, head)
    if best:
        return Typed(best[1], best[2])
    return Typed("other")


def split_label(text: str) -> tuple[str, str]:
    """Split an item label (๑)  1.  (๑)  -  •) from the name.

    >>> split_label("๑) โครงการอบรม")
    ('๑)', 'โครงการอบรม')
    >>> split_label("โครงการอบรม")
    ('', 'โครงการอบรม')
    """
    match = _LABEL.match(text)
    if not match:
        return "", text.strip()
    return match.group(0).strip(), text[match.end() :].strip()


def is_item_text(text: str) -> bool:
    """True where a cell's text begins like an item name of a known type."""
    name = split_label(text)[1]
    return any(name.startswith(word) for word, _ in TYPE_WORDS)
