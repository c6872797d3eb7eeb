"""Strategy and guideline headings of a development plan, printed above each
detail table (and repeated on every page) or as rows of a summary table.

>>> heading_of("1. ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน", None)
Heading(kind='strategy', code='1', title='ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน')
>>> heading_of("ยุทธศาสตร์ที่ ๒ การพัฒนาแหล่งน้ำ", None)
Heading(kind='strategy', code='2', title='การพัฒนาแหล่งน้ำ')
>>> heading_of("1.2 แนวทางการพัฒนา ระบบแสงสว่าง", "1").code
'1.2'
>>> heading_of("แนวทางที่ ๓ ส่งเสริมอาชีพ", "4").code
'4.3'
>>> heading_of("6.2 ส่งเสริมพัฒนา", "6", strict=True) is None, heading_of("6.2 ส่งเสริมพัฒนา", "6").code
(True, '6.2')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thaiplan.thai import to_arabic

_SPACES = re.compile(r"\s+")
_STRATEGY = re.compile(r"^(?:ยุทธศาสตร์ที่\s*(\d{1,2})\s*[.:]?|(\d{1,2})\s*[.)]\s*(?=ยุทธศาสตร์))\s*(.+)$")
_GUIDELINE_WORD = re.compile(r"^แนวทาง(?:การพัฒนา)?ที่\s*(\d{1,2})\s*[.:]?\s*(.+)$")
_GUIDELINE_CODE = re.compile(r"^(\d{1,2})\s*\.\s*(\d{1,2})\s*[.)]?\s+(.+)$")
MAX_TITLE = 400  # characters: a heading is a line, not a paragraph


@dataclass(frozen=True)
class Heading:
    kind: str  # strategy or guideline
    code: str  # Arabic dotted: "1", "1.2"
    title: str


def heading_of(text: str, strategy: str | None, strict: bool = False) -> Heading | None:
    """The heading a text is, if any. A guideline `แนวทางที่ ๓` takes the current
    strategy's number; `1.2 …` counts only under `แนวทาง…` when `strict` (a line
    of running text, where `1.2` may begin anything)."""
    flat = _SPACES.sub(" ", to_arabic(text)).strip()
    if not flat or len(flat) > MAX_TITLE:
        return None
    match = _STRATEGY.match(flat)
    if match:
        return Heading("strategy", str(int(match.group(1) or match.group(2))), match.group(3).strip())
    match = _GUIDELINE_WORD.match(flat)
    if match and strategy:
        return Heading("guideline", f"{strategy}.{int(match.group(1))}", match.group(2).strip())
    match = _GUIDELINE_CODE.match(flat)
    if match and (not strict or match.group(3).startswith("แนวทาง")):
        return Heading("guideline", f"{int(match.group(1))}.{int(match.group(2))}", match.group(3).strip())
    return None
