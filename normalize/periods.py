"""Periods as printed in plans → first and last day (Common Era).

`มกราคม ๒๕๖๓`, `ตุลาคม – ธันวาคม ๒๕๖๒`, `ต.ค. ๖๒ - ก.ย. ๖๓`, `ไตรมาสที่ ๒`,
`ตลอดปีงบประมาณ`. Years are Buddhist Era (two digits mean 25xx). A month
with no year is placed by the plan's fiscal year (Oct–Dec fall in the
previous calendar year). Thai fiscal year N runs 1 Oct (N-1) to 30 Sep N.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from thaiplan.thai import be_to_ce, ce_to_be, fiscal_year_end, fiscal_year_start, to_arabic

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("มกราคม", "มค"),
        ("กุมภาพันธ์", "กุมภาพันธ", "กพ"),
        ("มีนาคม", "มีค"),
        ("เมษายน", "เมย"),
        ("พฤษภาคม", "พค"),
        ("มิถุนายน", "มิย"),
        ("กรกฎาคม", "กรกฏาคม", "กค"),
        ("สิงหาคม", "สค"),
        ("กันยายน", "กย"),
        ("ตุลาคม", "ตค"),
        ("พฤศจิกายน", "พย"),
        ("ธันวาคม", "ธค"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_THAI = "\u0e01-\u0e4f"
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_TOKEN = re.compile(rf"(?<![{_THAI}])(?P<month>{_MONTH_RE})(?![{_THAI}])|(?P<num>\d+)|(?P<sep>-)")
_DASHES = re.compile(r"[\u2010-\u2015\u2212~]|ถึงเดือน|ถึง|จนถึง")
_WHOLE_YEAR = re.compile(r"ตลอดปี(?:งบประมาณ)?|ทั้งปี(?:งบประมาณ)?|ตลอดทั้งปี")
_QUARTER = re.compile(r"ไตรมาส\s*(?:ที่)?\s*(\d)(?:\s*-\s*(?:ไตรมาส\s*(?:ที่)?\s*)?(\d))?")
_QUARTER_MONTHS = {1: (10, 12), 2: (1, 3), 3: (4, 6), 4: (7, 9)}


_FULL_NAMES = tuple(name for name in MONTHS if len(name) >= 5)
_THAI_RUN = re.compile(rf"[{_THAI}]{{5,}}")


def respell_months(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Words one letter away from exactly one month name, put right (OCR reads
    ธันวาคม as จันวาคม), and the (was, now) pairs; other text untouched.

    >>> respell_months("ตุลาคม - จันวาคม ๒๕๖๒")
    ('ตุลาคม - ธันวาคม ๒๕๖๒', [('จันวาคม', 'ธันวาคม')])
    >>> respell_months("ตลอดปีงบประมาณ")
    ('ตลอดปีงบประมาณ', [])
    """
    fixes: list[tuple[str, str]] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in MONTHS:
            return word
        near = {name for name in _FULL_NAMES if _one_edit(word, name)}
        if len(near) != 1:
            return word
        fixes.append((word, near.pop()))
        return fixes[-1][1]

    return _THAI_RUN.sub(fix, text), fixes


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by exactly one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    i = next((k for k, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass
class _End:
    month: int | None = None
    year: int | None = None  # Buddhist Era
    day: int | None = None


def parse_period(text: str, fiscal_years: tuple[int, ...] = ()) -> Period | None:
    """First and last day of a printed period, or None when it cannot be read.
    Never raises.

    >>> parse_period("ตุลาคม – ธันวาคม ๒๕๖๒")
    Period(start=datetime.date(2019, 10, 1), end=datetime.date(2019, 12, 31))
    >>> parse_period("กุมภาพันธ์ ๒๕๖๓")
    Period(start=datetime.date(2020, 2, 1), end=datetime.date(2020, 2, 29))
    >>> parse_period("ต.ค. ๖๒ - ก.ย. ๖๓")
    Period(start=datetime.date(2019, 10, 1), end=datetime.date(2020, 9, 30))
    >>> parse_period("ไตรมาสที่ ๒", (2563,))
    Period(start=datetime.date(2020, 1, 1), end=datetime.date(2020, 3, 31))
    """
    try:
        return _parse(text, fiscal_years)
    except (ValueError, OverflowError):
        return None


def _parse(text: str, fiscal_years: tuple[int, ...]) -> Period | None:
    clean = _DASHES.sub("-", to_arabic(text)).replace(".", "").replace("พศ", " ")
    clean = clean.replace("เดือน", " ")
    first_fy = min(fiscal_years) if fiscal_years else None
    last_fy = max(fiscal_years) if fiscal_years else None
    years = [_year(int(n)) for n in re.findall(r"(?<!\d)(\d{4})(?!\d)", clean)]
    years = [y for y in years if y]
    if _WHOLE_YEAR.search(clean):
        first = min(years) if years else first_fy
        last = max(years) if years else last_fy
        return _fiscal_span(first, last)
    quarter = _QUARTER.search(clean)
    if quarter:
        return _quarters(quarter, years, first_fy, last_fy)
    ends = _endpoints(clean)
    if ends is None:
        return None
    if not ends:
        if years and not re.search(rf"[{_THAI}]", re.sub("ปีงบประมาณ|ปี", "", clean)):
            return _fiscal_span(min(years), max(years))  # "๒๕๖๑ - ๒๕๖๔": fiscal years
        return None
    start, end = ends[0], ends[-1]
    _fill_years(start, end, first_fy, last_fy)
    if start.year is None or end.year is None or start.month is None or end.month is None:
        return None
    first_day = date(be_to_ce(start.year), start.month, start.day or 1)
    last_month_days = calendar.monthrange(be_to_ce(end.year), end.month)[1]
    last_day = date(be_to_ce(end.year), end.month, end.day or last_month_days)
    return Period(first_day, last_day) if first_day <= last_day else None


def _endpoints(clean: str) -> list[_End] | None:
    """Month endpoints in order; None when the text holds something unreadable."""
    ends: list[_End] = []
    current: _End | None = None
    pending_day: int | None = None
    for match in _TOKEN.finditer(clean):
        if match.group("month"):
            current = _End(MONTHS[match.group("month")], day=pending_day)
            pending_day = None
            ends.append(current)
        elif match.group("num"):
            value = int(match.group("num"))
            if (
                current is not None
                and current.year is None
                and (value >= 100 or value >= 32 or len(match.group("num")) == 2 and value >= 40)
            ):
                current.year = _year(value)
                if current.year is None:
                    return None
            elif value <= 31 and pending_day is None:
                pending_day = value
            elif current is not None and current.year is None:
                current.year = _year(value)
            elif value < 100:
                return None  # a stray small number: not a period we can read
        else:
            current = None
    return ends


def _year(value: int) -> int | None:
    """A printed year as Buddhist Era: 2563, 63, 2020 → 2563."""
    if value >= 2400:
        return value if value <= 2700 else None
    if 1900 <= value <= 2200:
        return ce_to_be(value)
    if value < 100:
        return 2500 + value
    return None


def _fill_years(start: _End, end: _End, first_fy: int | None, last_fy: int | None) -> None:
    """Give each end a year: the year printed once covers both ends."""
    if start.year is None and end.year is not None and start.month and end.month:
        start.year = end.year - (1 if start.month > end.month else 0)
    elif end.year is None and start.year is not None and start.month and end.month:
        end.year = start.year + (1 if end.month < start.month else 0)
    elif start.year is None and end.year is None and first_fy and last_fy:
        start.year = _calendar_year_in_fy(start.month, first_fy)
        end.year = _calendar_year_in_fy(end.month, last_fy)
        if end is not start and (end.year, end.month) < (start.year, start.month):
            end.year += 1


def _calendar_year_in_fy(month: int | None, fiscal_year: int) -> int:
    return fiscal_year - 1 if month and month >= 10 else fiscal_year


def _fiscal_span(first: int | None, last: int | None) -> Period | None:
    if first is None or last is None:
        return None
    return fiscal_span(first, last)


def _quarters(match: re.Match[str], years: list[int], first_fy: int | None, last_fy: int | None) -> Period | None:
    q_first = int(match.group(1))
    q_last = int(match.group(2) or q_first)
    if not (1 <= q_first <= q_last <= 4):
        return None
    first = min(years) if years else first_fy
    last = max(years) if years else last_fy
    if first is None or last is None:
        return None
    start_month = _QUARTER_MONTHS[q_first][0]
    end_month = _QUARTER_MONTHS[q_last][1]
    start_year = be_to_ce(_calendar_year_in_fy(start_month, first))
    end_year = be_to_ce(_calendar_year_in_fy(end_month, last))
    return Period(
        date(start_year, start_month, 1), date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    )


def fiscal_span(first: int, last: int, margin: int = 0) -> Period:
    """Fiscal years first..last (BE), widened by `margin` years each side: 1 Oct of
    the year before the first to 30 Sep of the last.

    >>> fiscal_span(2563, 2563)
    Period(start=datetime.date(2019, 10, 1), end=datetime.date(2020, 9, 30))
    >>> fiscal_span(2563, 2563, margin=1).start
    datetime.date(2018, 10, 1)
    """
    return Period(fiscal_year_start(first - margin), fiscal_year_end(last + margin))
