"""Amounts split by a gap inside one cell (a Word PDF's text layer gives
`300,0 00.-`): joined where the pieces form one amount, with a finding; other
pieces stay as they are and are not read as one number."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile_files import plan_text
from thaiplan.normalize.amounts import AmountError, join_split_amount, looks_like_amount, parse_amount, without_unit
from thaiplan.pipeline import convert_file
from thaiplan.thai import to_arabic, to_thai

GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


@pytest.mark.parametrize(
    ("text", "joined", "amount"),
    [
        ("300,0 00.-", "300,000.-", Decimal(300000)),
        ("๓๐๐,๐ ๐๐.-", "๓๐๐,๐๐๐.-", Decimal(300000)),
        ("1,250 .50", "1,250.50", Decimal("1250.50")),
        ("1 ,000 บาท", "1,000 บาท", Decimal(1000)),
        ("3,088, 135.02", "3,088,135.02", Decimal("3088135.02")),
    ],
)
def test_pieces_of_one_amount_are_joined(text: str, joined: str, amount: Decimal) -> None:
    assert join_split_amount(text) == joined
    assert parse_amount(joined) == amount
    assert looks_like_amount(text)


@pytest.mark.parametrize("text", ["2559 2560", "12 34", "20 000", "300,00 0,0", "1,23 45", "๒๕๖๓ - ๒๕๖๔"])
def test_pieces_that_are_not_one_amount_stay(text: str) -> None:
    assert join_split_amount(text) is None
    with pytest.raises(AmountError):  # never read as one number, e.g. 25592560
        parse_amount(text)


@pytest.mark.parametrize("text", ["300,000.-", "๒๐,๐๐๐ บาท", "", "-", "100 บ.-"])
def test_nothing_to_join(text: str) -> None:
    assert join_split_amount(text) is None


@st.composite
def split_amounts(draw: st.DrawFn) -> tuple[str, str]:
    """A comma-grouped amount and the same with spaces put between some of its characters."""
    whole = draw(st.integers(1000, 10**12))
    text = f"{whole:,}" + (f".{draw(st.integers(0, 99)):02d}" if draw(st.booleans()) else "")
    if draw(st.booleans()):
        text = to_thai(text)
    cuts = draw(st.sets(st.integers(1, len(text) - 1), min_size=1, max_size=3))
    split = "".join(" " + ch if i in cuts else ch for i, ch in enumerate(text))
    return text, split + draw(st.sampled_from(["", ".-", " บาท"]))


@given(split_amounts())
def test_joining_only_removes_the_gaps(case: tuple[str, str]) -> None:
    original, split = case
    joined = join_split_amount(split)
    assert joined is not None
    assert joined.replace(" ", "") == split.replace(" ", "")  # same characters in the same order
    assert joined.startswith(original)
    assert GROUPED.match(to_arabic(original))


@given(st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙,. -", max_size=24))
def test_a_join_is_always_one_grouped_amount(text: str) -> None:
    joined = join_split_amount(text)
    if joined is not None:
        assert [c for c in joined if c.isdigit()] == [c for c in text if c.isdigit()]
        assert GROUPED.match(to_arabic(without_unit(joined).strip()))
        assert parse_amount(joined) is not None


def _first_budget(tmp_path: Path, budget: str) -> tuple[list, list]:
    path = tmp_path / "plan.txt"
    path.write_bytes(plan_text(budget=budget))
    result = convert_file(path)
    assert result.ok, result.error
    item = result.plan.items[0]
    return [(b.amount, b.text) for b in item.budgets], [(f.kind, f.message) for f in result.findings]


def test_a_plan_budget_split_by_a_gap_is_joined_with_a_finding(tmp_path: Path) -> None:
    budgets, findings = _first_budget(tmp_path, "๓๐๐,๐ ๐๐.-")
    assert budgets == [(Decimal(300000), "๓๐๐,๐ ๐๐.-")]  # the source text is kept as printed
    assert ("amount_joined", "amount split by a gap read as one: '๓๐๐,๐ ๐๐.-' as '๓๐๐,๐๐๐.-'") in findings


def test_two_numbers_in_a_budget_cell_are_not_read_as_one(tmp_path: Path) -> None:
    budgets, findings = _first_budget(tmp_path, "๒๕๕๙ ๒๕๖๐")
    assert budgets == [(None, "๒๕๕๙ ๒๕๖๐")]
    assert not any(kind == "amount_joined" for kind, _ in findings)
    assert any(kind == "amount_unparsed" and "๒๕๕๙ ๒๕๖๐" in message for kind, message in findings)
