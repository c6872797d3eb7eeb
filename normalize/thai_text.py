"""Thai text repair: a chain of small named `str -> str` steps.

Shared by every reader's cells. Never NFKC: it splits ำ into ํ + า.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Legacy Thai font glyphs in the Private Use Area (HarfBuzz thai_pua_shape;
# libthai agrees). Windows range F700–F71A, Mac range F884–F89E.
PUA_MAP: dict[int, str] = {
    0xF700: "ฐ", 0xF701: "ิ", 0xF702: "ี", 0xF703: "ึ", 0xF704: "ื",
    0xF705: "่", 0xF706: "้", 0xF707: "๊", 0xF708: "๋", 0xF709: "์",
    0xF70A: "่", 0xF70B: "้", 0xF70C: "๊", 0xF70D: "๋", 0xF70E: "์",
    0xF70F: "ญ", 0xF710: "ั", 0xF711: "ํ", 0xF712: "็",
    0xF713: "่", 0xF714: "้", 0xF715: "๊", 0xF716: "๋", 0xF717: "์",
    0xF718: "ุ", 0xF719: "ู", 0xF71A: "ฺ",
    0xF884: "ั", 0xF885: "ิ", 0xF886: "ี", 0xF887: "ึ", 0xF888: "ื", 0xF889: "็",
    0xF88A: "่", 0xF88B: "่", 0xF88C: "่", 0xF88D: "้", 0xF88E: "้", 0xF88F: "้",
    0xF890: "๊", 0xF891: "๊", 0xF892: "๊", 0xF893: "๋", 0xF894: "๋", 0xF895: "๋",
    0xF896: "์", 0xF897: "์", 0xF898: "์",
    0xF899: "ํ", 0xF89A: "ญ", 0xF89B: "ุ", 0xF89C: "ู", 0xF89D: "ฺ", 0xF89E: "ฐ",
}  # fmt: skip
_PUA_TABLE = {code: char for code, char in PUA_MAP.items()}

TONES = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋
ABOVE_BELOW_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"  # ั ิ ี ึ ื ุ ู ฺ ็
MARKS = ABOVE_BELOW_VOWELS + TONES + "\u0e4c\u0e4d\u0e4e"  # + ์ ํ ๎
SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_BEFORE_MARK = re.compile(f"[ \u00a0]+(?=[{MARKS}{SARA_AM}])")
_TONE_BEFORE_VOWEL = re.compile(f"([{TONES}\u0e4c])([{ABOVE_BELOW_VOWELS}])")
_DOUBLE_MARK = re.compile(f"([{MARKS}])\\1+")


def map_private_use(text: str) -> str:
    """Legacy-font private-use glyphs to the Thai characters they draw.

    >>> map_private_use("ท\\uf710\\uf70bง")
    'ทั้ง'
    """
    return text.translate(_PUA_TABLE)


def remove_zero_width(text: str) -> str:
    """Zero-width spaces, joiners, BOMs and soft hyphens.

    >>> remove_zero_width("การ\\u200bทุจริต")
    'การทุจริต'
    """
    return _ZERO_WIDTH.sub("", text)


def repair_sara_am(text: str) -> str:
    """ำ written as ํ + า (tesseract, some fonts) or doubled as ำา / ำำ.

    >>> repair_sara_am("ตําบล")
    'ตำบล'
    >>> repair_sara_am("สำานึก")
    'สำนึก'
    >>> repair_sara_am("น\\u0e4d\\u0e49\\u0e32")
    'น้ำ'
    """
    text = re.sub(f"{NIKHAHIT}([{TONES}]?){SARA_AA}", lambda m: m.group(1) + SARA_AM, text)
    text = re.sub(f"{NIKHAHIT}([{TONES}]){SARA_AM}", r"\1" + SARA_AM, text)
    text = re.sub(f"{SARA_AM}(?:{SARA_AA}|{SARA_AM}|{NIKHAHIT})+", SARA_AM, text)
    return text


def remove_spaces_before_marks(text: str) -> str:
    """A space cannot stand before a combining mark; drop it.

    >>> remove_spaces_before_marks("ในเรื ่อง")
    'ในเรื่อง'
    """
    return _SPACE_BEFORE_MARK.sub("", text)


def reorder_marks(text: str) -> str:
    """Tone marks after the vowel they sit on; a mark repeated is kept once.

    >>> reorder_marks("ก\\u0e48\\u0e34")
    'กิ่'
    """
    while True:  # a swap can bring two equal marks together: repeat until stable
        fixed = _DOUBLE_MARK.sub(r"\1", _TONE_BEFORE_VOWEL.sub(r"\2\1", text))
        if fixed == text:
            return text
        text = fixed


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


REPAIR_STEPS: tuple[Callable[[str], str], ...] = (
    map_private_use,
    remove_zero_width,
    remove_spaces_before_marks,  # before ำ repair: `ำ ำ` must become one ำ
    repair_sara_am,
    reorder_marks,
    nfc,
)


def repair(text: str) -> str:
    """Run every repair step in order. Idempotent.

    >>> repair("ส\\u0e4d\\u0e32นึก ท\\uf710\\uf70bง")
    'สำนึก ทั้ง'
    """
    for step in REPAIR_STEPS:
        text = step(text)
    return text
