"""Budget amounts as printed: ๒๐,๐๐๐.-  ๐  -  20,000  1,250.50  ๒๐,๐๐๐ บาท."""

from __future__ import annotations

import re
from decimal import Decimal

from thaiplan.normalize.model import quoted
from thaiplan.normalize.thai_text import without_marks
from thaiplan.thai import to_arabic

_ZERO_MARKS = {"-", "–", "—", "๐", "0", "0.-", "-0-", "--"}
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")  # 300,000 1,250.50: a grouping that says one amount
_UNITS = ("บาท", "บ.")  # after the number: [spaces unit] [spaces] [.- .— - .] [spaces]
_MARKS_AFTER = ("", ".-", ".—", "-", ".")
MAX_DIGITS = 13  # whole-baht digits: 9,999,999,999,999 is above a national budget, and sums of
# thousands of such amounts still fit the typed exports' decimal128(18, 2)
_NO_BUDGET_WORDS = ("ไม่ใช้งบประมาณ", "ไม่ใช้งบ", "ไม่มีงบประมาณ")
_NO_BUDGET_UNMARKED = tuple(without_marks(word) for word in _NO_BUDGET_WORDS)


class AmountError(ValueError):
    """The text is not an amount."""


def parse_amount(text: str) -> Decimal | None:
    """An amount in baht, or None for an empty cell. Raises AmountError for text
    that is not an amount (the caller keeps the text and records a finding).

    >>> parse_amount("๒๐,๐๐๐.-")
    Decimal('20000')
    >>> parse_amount("1,250.50")
    Decimal('1250.50')
    >>> parse_amount("-")
    Decimal('0')
    >>> parse_amount("๒๐,๐๐๐ บาท")
    Decimal('20000')
    >>> parse_amount("") is None
    True
    >>> parse_amount("1" * 30)
    Traceback (most recent call last):
    thaiplan.normalize.amounts.AmountError: more than 13 digits, too large for an amount in baht: '111111111111111111111111111111'
    """
    cleaned = to_arabic(text).strip().replace("\u00a0", " ")
    if not cleaned:
        return None
    if cleaned in _ZERO_MARKS:
        return Decimal(0)
    core = without_unit(cleaned).strip()
    if " " in core:  # pieces of one amount are joined by join_split_amount, with a finding
        raise AmountError(f"not one amount (a gap inside): {quoted(text)}")
    if core in _ZERO_MARKS or core == "":
        if cleaned.strip(" .-–—") in ("", "0"):
            return Decimal(0)
        raise AmountError(f"not an amount: {text!r}")
    if not _NUMBER.match(core):
        raise AmountError(f"not an amount: {quoted(text)}")
    whole = core.replace(",", "").partition(".")[0]
    if len(whole.lstrip("0")) > MAX_DIGITS:
        raise AmountError(f"more than {MAX_DIGITS} digits, too large for an amount in baht: {quoted(text)}")
    return Decimal(core.replace(",", ""))


def join_split_amount(text: str) -> str | None:
    """`text` with the gaps inside its number removed, when the pieces form one
    amount with a valid thousands grouping (a Word PDF's text layer gives
    `300,0 00.-`); None when there is no such gap or the pieces are not one
    amount (`2559 2560`, `12 34`: they stay as they are). Digits and their order
    never change; the caller records that it joined them.

    >>> join_split_amount("300,0 00.-"), join_split_amount("๑,๒๕๐ .๕๐ บาท"), join_split_amount("2559 2560")
    ('300,000.-', '๑,๒๕๐.๕๐ บาท', None)
    """
    stripped = text.strip().replace("\u00a0", " ")
    core = without_unit(stripped).strip()
    if " " not in core or len(core) > 4 * MAX_DIGITS:
        return None
    joined = core.replace(" ", "")
    if not _GROUPED.match(to_arabic(joined)):
        return None
    start = stripped.index(core)
    return stripped[:start] + joined + stripped[start + len(core) :]


def without_unit(text: str) -> str:
    """The text without what may follow an amount: บาท or บ., then .- .— - or . (in
    linear time; the regex this replaces was cubic in a long run of spaces).

    >>> without_unit("๒๐,๐๐๐ บาท"), without_unit("100 บ.-"), without_unit("50,000.- ")
    ('๒๐,๐๐๐', '100', '50,000')
    """
    end = len(text)
    stripped = text.rstrip()
    for mark in _MARKS_AFTER:
        if not stripped.endswith(mark):
            continue
        before = stripped[: len(stripped) - len(mark)].rstrip()
        end = min(end, len(before))
        for unit in _UNITS:
            if before.endswith(unit):
                end = min(end, len(before[: -len(unit)].rstrip()))
    return text[:end]


def looks_like_amount(text: str) -> bool:
    try:
        return parse_amount(join_split_amount(text) or text) is not None
    except AmountError:
        return False


def says_no_budget(text: str) -> bool:
    """True where a remark says the item uses no budget (ไม่ใช้งบประมาณ), also as
    OCR gives it with a mark lost.

    >>> says_no_budget("ไม่ใช้งบประมาณ"), says_no_budget("ไมใช้งบประมาณ"), says_no_budget("ใช้งบประมาณ")
    (True, True, False)
    """
    compact = without_marks(text.replace(" ", ""))
    return any(word in compact for word in _NO_BUDGET_UNMARKED)


def format_amount(value: Decimal | None) -> str:
    """Plain decimal, no separators: 20000, 1250.50.

    >>> format_amount(Decimal("20000.00"))
    '20000'
    >>> format_amount(Decimal("1250.50"))
    '1250.50'
    >>> format_amount(Decimal("1" * 30 + ".5"))  # exact at any size (no context precision)
    '111111111111111111111111111111.50'
    """
    if value is None:
        return ""
    if value == value.to_integral_value():
        return f"{value.to_integral_value():f}"
    return f"{value:.2f}"
