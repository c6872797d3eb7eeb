"""Invariants that must hold for any input (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from thaiplan.normalize.periods import parse_period
from thaiplan.normalize.thai_text import repair
from thaiplan.thai import to_arabic, to_thai

thai_text = st.text(
    alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F) | st.sampled_from(" -–.,/()0123456789"),
    max_size=60,
)
any_text = st.text(max_size=80)


@given(st.text(alphabet="0123456789", max_size=30))
def test_digits_round_trip_arabic(text: str) -> None:
    assert to_arabic(to_thai(text)) == text


@given(st.text(alphabet="๐๑๒๓๔๕๖๗๘๙", max_size=30))
def test_digits_round_trip_thai(text: str) -> None:
    assert to_thai(to_arabic(text)) == text


@given(any_text | thai_text)
def test_digit_conversion_keeps_length_and_other_characters(text: str) -> None:
    converted = to_arabic(text)
    assert len(converted) == len(text)
    assert all(a == b or b in "๐๑๒๓๔๕๖๗๘๙" for a, b in zip(converted, text))


@given(
    any_text
    | thai_text
    | st.text(
        alphabet=st.characters(min_codepoint=0xF700, max_codepoint=0xF71A) | st.sampled_from("กขำาํ่้ "), max_size=40
    )
)
def test_repair_is_idempotent(text: str) -> None:
    once = repair(text)
    assert repair(once) == once


@settings(max_examples=300)
@given(any_text | thai_text, st.lists(st.integers(min_value=2400, max_value=2700), max_size=4))
def test_period_parser_never_raises(text: str, years: list[int]) -> None:
    period = parse_period(text, tuple(years))
    assert period is None or period.start <= period.end
