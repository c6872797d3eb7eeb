"""Every text normaliser (a `str -> anything` step that sees a cell's text), and
adversarial texts for them: what test_linear.py times and test_fuzz.py feeds.

A cell from a hostile file can be a megabyte of spaces, digits, plan words
or marks; each pattern is one way a regex or a loop can go quadratic.
"""

from __future__ import annotations

from collections.abc import Callable

from thaiplan import thai
from thaiplan.families.anticorruption import rows
from thaiplan.normalize import (
    amounts,
    codes,
    counts,
    item_types,
    metadata,
    periods,
    thai_text,
    wraps_lex,
    wraps_width,
)

NORMALISERS: tuple[Callable[[str], object], ...] = (
    amounts.parse_amount,
    amounts.says_no_budget,
    amounts.without_unit,
    codes.dimension_of,
    codes.unmarked_dimension,
    codes.split_missions,
    counts.parse_counts,
    item_types.item_type,
    item_types.split_label,
    item_types.is_item_text,
    metadata.fiscal_years_in,
    metadata.organization_in,
    periods.respell_months,
    periods.parse_period,
    rows.is_total_label,
    rows.cell_kind,
    *thai_text.REPAIR_STEPS,
    thai_text.repair,
    thai_text.without_marks,
    wraps_lex.tokens,
    wraps_width.text_width,
    thai.to_arabic,
)


def _cycle(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "inner_spaces": lambda size: "โครงการ" + " " * (size - 11) + "อบรม",
    "plan_words": _cycle("โครงการ"),
    "plan_words_spaced": _cycle("กิจกรรม "),
    "thai_digits": _cycle("๑"),
    "dotted_code": _cycle("๑."),
    "amount": _cycle("1,000"),
    "marks": _cycle("ก่ิ ่"),
    "tones_before_a_vowel": lambda size: "ก" + ("่้" * size)[: size - 2] + "ิ",
    "months": _cycle("ต.ค. ๒๕๖๓ - "),
    "mixed": _cycle("๑.๑ โครงการ๒๕๖๓ รวม ๕ โครงการ ตุลาคม ๒๕๖๒ บาท.- "),
}


def name_of(function: Callable[..., object]) -> str:
    return f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"


def clear_caches() -> None:
    """Empty every memo, so a timing measures the work, not a cache."""
    for function in (*NORMALISERS, thai_text._score):
        clear = getattr(function, "cache_clear", None)
        if clear is not None:
            clear()
