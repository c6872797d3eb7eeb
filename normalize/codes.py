"""Dimension and mission codes: `๑. การสร้าง…`, `มิติที่ ๑ …`, `๒.๓.๑ …`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from thaiplan.normalize.thai_text import without_marks
from thaiplan.thai import to_arabic

# A mission code starts the cell or follows white space; a trailing dot is allowed.
# A number followed by a percent sign is a share (`33.33 %`), never a code.
_MISSION = re.compile(r"(?:(?<=\s)|^)(\d{1,2}(?:\s?\.\s?\d{1,2}){1,3})\.?(?!\s*[%％])(?=\s|$|[\u0e01-\u0e4f(“\"])")
_DIMENSION = re.compile(r"^\s*(?:มิติ\s*ที่\s*(\d{1,2})\.?|มิติ\s+(\d{1,2})\.?|(\d{1,2})\s*\.(?!\s*\d))\s*[:：\-–]?\s*")


@dataclass(frozen=True)
class CodedText:
    code: str  # Arabic dotted
    text: str  # the title after the code, as printed (raw)


def dimension_of(text: str) -> CodedText | None:
    """The dimension number and title of a dimension cell.

    >>> dimension_of("๑. การสร้าง สังคมที่ไม่ทน")
    CodedText(code='1', text='การสร้าง สังคมที่ไม่ทน')
    >>> dimension_of("มิติที่ ๒ การบริหารราชการ")
    CodedText(code='2', text='การบริหารราชการ')
    >>> dimension_of("๑.๑ การสร้าง") is None
    True
    """
    arabic = to_arabic(text)
    match = _DIMENSION.match(arabic)
    if not match:
        return None
    number = next(group for group in match.groups() if group)
    return CodedText(number.lstrip("0") or "0", text[match.end() :].strip())


_MITI_UNMARKED = tuple(without_marks(word) for word in ("มิติ", "มิติที่"))  # as OCR gives them, marks lost


def unmarked_dimension(text: str) -> CodedText | None:
    """A dimension cell whose มิติ/มิติที่ lost its marks (OCR), maybe after a stray
    token read from the marks (`aad`).

    >>> unmarked_dimension("aad มตท ๑ การสร้างสังคม")
    CodedText(code='1', text='การสร้างสังคม')
    >>> unmarked_dimension("การสร้าง ๑ สังคม") is None
    True
    """
    words = text.split()
    for index, word in enumerate(words[:3]):
        if without_marks(word) in _MITI_UNMARKED and index + 1 < len(words):
            number = to_arabic(words[index + 1]).rstrip(".")
            return CodedText(number.lstrip("0") or "0", " ".join(words[index + 2 :])) if number.isdigit() else None
    return None


def split_missions(text: str) -> tuple[str, list[CodedText]]:
    """Split a mission cell into the text before any code and its coded parts.

    >>> split_missions("๒.๒ มาตรการสร้าง ในการ ๒.๒.๑ สร้างความ")
    ('', [CodedText(code='2.2', text='มาตรการสร้าง ในการ'), CodedText(code='2.2.1', text='สร้างความ')])
    >>> split_missions("และสุขอนามัย")
    ('และสุขอนามัย', [])
    """
    arabic = to_arabic(text)  # same length: digits map one to one
    matches = list(_MISSION.finditer(arabic))
    if not matches:
        return text.strip(), []
    lead = text[: matches[0].start()].strip()
    parts = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        code = re.sub(r"\s", "", match.group(1))
        parts.append(CodedText(_canonical(code), text[match.end() : end].strip()))
    return lead, parts


def _canonical(code: str) -> str:
    return ".".join(str(int(part)) for part in code.split("."))


