"""The seed plan end to end: the figures a user checks by hand."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import thaiplan


def test_items_missions_and_budget(seed_result) -> None:
    plan = seed_result.plan
    assert len(plan.items) == 38
    assert Counter(i.type for i in plan.items) == {"project": 16, "activity": 9, "measure": 13}
    assert Counter(m.level for m in plan.missions) == {1: 4, 2: 15, 3: 34}
    assert sum(i.budget_baht for i in plan.items) == Decimal(430000)
    assert plan.fiscal_years == (2563,)
    assert plan.organization == "เทศบาลตำบลแม่กลอง"


def test_rows_that_lost_their_leading_tab(seed_result) -> None:
    items = {i.code: i for i in seed_result.plan.items}
    for code in ("4.2.2", "4.2.3"):
        assert items[code].dimension == 4
        assert items[code].budget_baht == Decimal(10000)
        assert items[code].type == "project"


def test_cell_continued_across_a_page_break(seed_result) -> None:
    missions = {m.code: m for m in seed_result.plan.missions}
    assert missions["3.2.1"].title.endswith("และสุขอนามัยของประชาชนในท้องถิ่น")
    assert missions["3.2"].title.startswith("การรับฟังความคิดเห็น")


def test_two_codes_in_one_cell_give_the_item_to_the_deeper(seed_result) -> None:
    plan = seed_result.plan
    codes = [m.code for m in plan.missions]
    assert "2.2" in codes and "2.2.1" in codes
    assert [i.code for i in plan.items if i.name.startswith("มาตรการสร้างความโปร่งใสในการบริหารงานบุคคล")] == ["2.2.1"]


def test_periods(seed_result) -> None:
    items = {i.code: i for i in seed_result.plan.items}
    assert (items["4.4.2"].period_start, items["4.4.2"].period_end) == (date(2019, 10, 1), date(2020, 9, 30))
    assert (items["1.1"].period_start, items["1.1"].period_end) == (date(2019, 10, 1), date(2019, 12, 31))
    assert (items["1.2.1"].period_start, items["1.2.1"].period_end) == (date(2020, 2, 1), date(2020, 2, 29))


def test_guessed_type_is_a_warning(seed_result) -> None:
    result = seed_result
    item = next(i for i in result.plan.items if i.name.startswith("มาตรฐานการยกระดับ"))
    assert item.type == "measure"
    assert any(f.kind == "type_guessed" and f.item_no == item.item_no for f in result.findings)


def test_reconciliation(seed_result) -> None:
    result = seed_result
    mismatches = {(c.scope, c.quantity): (int(c.stated), int(c.computed)) for c in result.mismatches}
    assert mismatches == {("2", "activities"): (8, 4), ("2", "measures"): (4, 8)}
    grand = {c.quantity: c for c in result.checks if c.scope == "all"}
    assert {q: int(grand[q].stated) for q in ("projects", "activities", "measures", "amount")} == {
        "projects": 16, "activities": 9, "measures": 13, "amount": 430000,
    }  # fmt: skip
    assert all(c.status == "ok" for c in grand.values())
    subtotal = [f for f in result.findings if f.kind == "subtotals_vs_grand_total"]
    assert len(subtotal) == 2
    assert any("activities" in f.message and "13" in f.message and "9" in f.message for f in subtotal)
    assert any("measures" in f.message and "9" in f.message and "13" in f.message for f in subtotal)


def test_load_gives_typed_frames(tmp_path) -> None:
    from tests.conftest import SEED

    thaiplan.convert([SEED], tmp_path / "out", jobs=1)
    frames = thaiplan.load(tmp_path / "out")
    items = frames["items"]
    assert len(items) == 38
    assert items.loc[items.code == "4.2.2", "budget_baht"].iloc[0] == Decimal(10000)
    assert str(frames["missions"].code.dtype) in ("object", "str", "string")
    assert frames["missions"].code.iloc[0] == "1"
    assert items.period_start.iloc[0].date() == date(2019, 10, 1)  # datetime64: .dt works
    assert int(frames["budgets"].fiscal_year.iloc[0]) == 2563
    assert len(frames["reconciliation"]) == 20
