"""A spreadsheet cell's value as the sheet shows it, from its number format.

Covers what plan workbooks use: General, fixed decimals (`0.00`), thousands
separators (`#,##0`), percentages, the accounting format whose zero section
prints `-`, literal text around the number, and dates, in the Buddhist Era
where the format says so (the `bbbb` year, or a locale whose calendar byte
is 07, Thai Buddhist: `[$-107041E]`). Anything else falls back to General,
which never shows float noise (`1250.4999999999998` → `1250.5`).

>>> display(200000.0, "#,##0")
'200,000'
>>> display(0.0, '_-* #,##0_-;\\\\-* #,##0_-;_-* "-"??_-;_-@_-')
'-'
>>> display(-1500.0, "#,##0.00")
'-1,500.00'
>>> display(0.125, "0.0%")
'12.5%'
>>> display(1250.4999999999998, "General")
'1250.5'
>>> import datetime
>>> display(datetime.datetime(2013, 10, 1), "[$-107041E]d mmm yy")
'1 ต.ค. 56'
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
BE_OFFSET = 543
_TOKEN = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|.', re.S)
_DATE_TOKEN = re.compile(r"(yyyy|yy|bbbb|bb|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p)", re.I)


def general(value: float) -> str:
    """Excel's General: integers whole, others to 11 significant digits, never an exponent."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.11g}"
    if "e" in text:
        text = f"{Decimal(text):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sections(code: str) -> list[str]:
    parts, current = [], []
    for token in _TOKEN.findall(code):
        if token == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(token)
    parts.append("".join(current))
    return parts


def _is_date(section: str) -> bool:
    bare = "".join(t for t in _TOKEN.findall(section) if len(t) == 1 or t[0] not in '"\\_*[')
    return bool(re.search(r"[ymdhsb]", bare, re.I)) and not re.search(r"[0#?]", bare)


def display(value: object, code: str | None) -> str:
    """`value` (a number, a date or text) as a cell formatted with `code` shows it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _date(value, code or "")
    if not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    code = code or "General"
    sections = _sections(code)
    number = float(value)
    if number < 0 and len(sections) > 1:
        section, number, sign = sections[1], -number, ""
    elif number == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if number < 0 else ""
        number = abs(number)
    if section.strip().lower() in ("general", "") or "@" in section and not re.search(r"[0#?]", section):
        return sign + general(number)
    if _is_date(section):
        return _date(_from_serial(number), section)
    return (sign + _number(number, section)).strip()


def _number(number: float, section: str) -> str:
    before, after, pattern = [], [], []
    for token in _TOKEN.findall(section):
        if token[0] == '"':
            (after if pattern else before).append(token[1:-1])
        elif token[0] == "\\" and len(token) == 2:
            (after if pattern else before).append(token[1])
        elif token[0] in "_*[" and len(token) > 1:
            continue  # spacing, fill, colour or locale: nothing printed
        elif token in "0#?,." and not after:
            pattern.append(token)
        elif token == "%":
            number *= 100
            (after if pattern else before).append("%")
        elif token not in "0#?":
            (after if pattern else before).append(token)
    if not pattern:
        return "".join(before + after)
    spec = "".join(pattern)
    integer, _, decimals = spec.partition(".")
    while integer.endswith(","):  # trailing commas scale by a thousand
        integer, number = integer[:-1], number / 1000
    places = sum(ch in "0?#" for ch in decimals)
    amount = Decimal(repr(number)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{amount:,.{places}f}" if "," in integer else f"{amount:.{places}f}"
    if "." in text:  # optional decimals (#) drop trailing zeros
        head, tail = text.split(".")
        keep = len(decimals.rstrip("#?")) if decimals.replace("0", "") else places
        tail = tail[:keep] + tail[keep:].rstrip("0")
        text = f"{head}.{tail}" if tail else head
    if "0" not in integer and text.startswith("0"):
        text = text[1:]  # `#.##`, `??`: no leading zero
    if "." in spec and "." not in text:
        text += "."  # `#,##0.-` prints its point: `200,000.-`
    return "".join(before) + text + "".join(after)


def _from_serial(serial: float) -> dt.datetime:
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)


def _date(value: dt.date | dt.time, code: str) -> str:
    section = _sections(code)[0]
    locale = re.search(r"\[\$-([0-9A-Fa-f]+)\]", section)
    lcid = int(locale.group(1), 16) if locale else 0
    buddhist = (lcid >> 16) & 0xFF == 0x07
    thai = lcid & 0xFFFF == 0x041E or buddhist
    if not _DATE_TOKEN.search(re.sub(r'"[^"]*"|\[[^\]]*\]', "", section)):
        return value.isoformat()
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 30), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    text = "".join(t for t in _TOKEN.findall(section) if not (t[0] in "_*[" and len(t) > 1))
    out: list[str] = []
    after_hour = False  # `mm` after an hour is minutes
    for part in re.split(r'("[^"]*"|\\.)', text):
        if part.startswith(('"', "\\")):
            out.append(part.strip('"').lstrip("\\"))
            continue
        for piece in _DATE_TOKEN.split(part):
            out.append(_date_piece(piece, value, buddhist, thai, after_hour))
            if _DATE_TOKEN.fullmatch(piece):
                after_hour = piece.lower().startswith("h")
    return "".join(out).strip()


def _date_piece(piece: str, value: dt.datetime, buddhist: bool, thai: bool, minutes: bool) -> str:
    low = piece.lower()
    year = value.year + (BE_OFFSET if buddhist else 0)
    months = (THAI_MONTHS, THAI_MONTHS_SHORT) if thai else (EN_MONTHS, tuple(m[:3] for m in EN_MONTHS))
    table = {
        "yyyy": str(year),
        "yy": f"{year % 100:02d}",
        "bbbb": str(value.year + BE_OFFSET),
        "bb": f"{(value.year + BE_OFFSET) % 100:02d}",
        "mmmm": months[0][value.month - 1],
        "mmm": months[1][value.month - 1],
        "mm": f"{value.minute:02d}" if minutes else f"{value.month:02d}",
        "m": str(value.minute) if minutes else str(value.month),
        "dd": f"{value.day:02d}",
        "d": str(value.day),
        "hh": f"{value.hour:02d}",
        "h": str(value.hour),
        "ss": f"{value.second:02d}",
        "s": str(value.second),
    }
    return table.get(low, piece)
