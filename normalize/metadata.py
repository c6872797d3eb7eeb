"""Title, organisation and fiscal years from the text above the table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from thaiplan.thai import to_arabic

_ORG = re.compile(
    r"(เทศบาล(?:นคร|เมือง|ตำบล)\s?[\u0e01-\u0e4f]+|องค์การบริหารส่วน(?:ตำบล|จังหวัด)\s?[\u0e01-\u0e4f]+"
    r"|อบต\.\s?[\u0e01-\u0e4f]+|อบจ\.\s?[\u0e01-\u0e4f]+|เมืองพัทยา|กรุงเทพมหานคร)"
)
_FY = re.compile(
    r"(?:ปีงบประมาณ|พ\s?\.\s?ศ\s?\.?|ปี)\s*(?:พ\s?\.\s?ศ\s?\.?)?\s*(\d{4})(?:\s*(?:[-–—]|ถึง)\s*(?:พ\s?\.\s?ศ\s?\.?\s*)?(\d{4}))?"
)
_PLAN_WORDS = ("แผนปฏิบัติการ", "แผนป้องกัน", "แผนพัฒนา", "แผนยุทธศาสตร์", "แผนการ", "แผน")
_STOP = ("ประจำปี", "ปีงบประมาณ", "พ.ศ", "อำเภอ", "จังหวัด")


@dataclass(frozen=True)
class Metadata:
    title: str
    organization: str
    fiscal_years: tuple[int, ...]


def fiscal_years_in(text: str) -> tuple[int, ...]:
    """Fiscal years (BE) named in a title line.

    >>> fiscal_years_in("ประจำปีงบประมาณ พ.ศ. ๒๕๖๓")
    (2563,)
    >>> fiscal_years_in("แผนปฏิบัติการ ๔ ปี (พ.ศ. ๒๕๖๑ – ๒๕๖๔)")
    (2561, 2562, 2563, 2564)
    >>> fiscal_years_in("แผนพัฒนาสามปี (พ.ศ. 2556 ถึง 2558)"), fiscal_years_in("แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๑–๒๕๖๕)")[-1]
    ((2556, 2557, 2558), 2565)
    """
    for match in _FY.finditer(to_arabic(text)):
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if 2400 <= first <= last <= 2700 and last - first <= 10:
            return tuple(range(first, last + 1))
    return ()


def organization_in(text: str) -> str:
    """The local government named in a line.

    >>> organization_in("แผนปฏิบัติการป้องกันการทุจริตเทศบาลตำบลแม่กลอง ประจำปีงบประมาณ")
    'เทศบาลตำบลแม่กลอง'
    """
    match = _ORG.search(text)
    if not match:
        return ""
    name = match.group(1)
    for stop in _STOP:
        if stop in name:
            name = name[: name.index(stop)]
    return name.strip()


def read_metadata(lines: list[str]) -> Metadata:
    """From the lines before the table (and page headers), first match wins."""
    title = next((line for line in lines if any(word in line for word in _PLAN_WORDS[:4])), "")
    if not title:
        title = next((line for line in lines if "แผน" in line), "")
    organization = organization_in(title) or next((o for o in map(organization_in, lines) if o), "")
    years = fiscal_years_in(title) or next((y for y in map(fiscal_years_in, lines) if y), ())
    return Metadata(title.strip(), organization, years)
