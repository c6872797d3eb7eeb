"""The development plan family (issue 13): the real 3-year plan of อบต.ไทรย้อย
as a workbook (details + summary) and as a Word file (details only), the
summary checked against the details, the numbering check, and the two families
never reading each other's tables."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from thaiplan.extract.model import Cell, RawDocument, Row, Table
from thaiplan.families import ANTICORRUPTION, DEVELOPMENT, detect
from thaiplan.families.base import headers_accepted
from thaiplan.families.development.budgets import AmountError, budget_cell
from thaiplan.families.development.checks import check_plan
from thaiplan.families.development.parts import part_label, part_numbers
from thaiplan.families.development.reconcile import reconcile, summary_findings
from thaiplan.normalize.model import Budget, Item, Plan
from thaiplan.pipeline import convert_file

REAL = ROOT / "tests" / "data" / "real"
REAL_XLS, REAL_DOC = REAL / "devplan-2556-2558.xls", REAL / "devplan-2556-2558.doc"
SAMPLES = [ROOT / "samples" / name for name in ("000_8b3bc95f51f4a1e5.txt", "fouryear_2561-2564.txt", "seed_plan.docx")]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
# Projects per guideline of the real plan, counted by hand in the workbook's รายละเอียด sheet.
PER_GUIDELINE = {"1.1": 62, "1.2": 26, "2.1": 43, "2.2": 13, "3.1": 18, "3.2": 2, "4.1": 22, "5.1": 4, "6.1": 21,
                 "6.2": 7, "7.1": 9, "7.2": 7, "8.1": 15, "8.2": 5, "9.1": 47, "9.2": 6, "10.1": 17, "10.2": 2}  # fmt: skip


@pytest.fixture(scope="module")
def xls_result():
    return convert_file(REAL_XLS)


def _per_guideline(plan: Plan) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in plan.items:
        counts[item.code or ""] = counts.get(item.code or "", 0) + 1
    return counts


def test_the_workbook_gives_every_project_with_its_parts_budgets_and_sources(xls_result) -> None:
    plan = xls_result.plan
    assert (plan.family, plan.fiscal_years) == ("development", (2556, 2557, 2558))
    assert _per_guideline(plan) == PER_GUIDELINE
    kinds = {m.code: m.kind for m in plan.missions}
    assert kinds["1"] == "strategy" and kinds["1.2"] == "guideline" and len(kinds) == 28
    first = plan.items[0]
    assert (first.label, first.code, first.dimension, first.type) == ("1", "1.1", 1, "project")
    assert first.name.replace(" ", "") == "โครงการก่อสร้างถนนคสล.หมู่ที่2"
    assert first.objective.replace(" ", "") == "เพื่อให้ประชาชนได้รับความสะดวกรวดเร็วในการเดินทาง"
    assert first.target.count("จุดที่") == 3 and first.responsible_unit.split("\n") == ["ส่วนโยธา"] * 3
    assert [(b.part, b.fiscal_year, b.amount, b.source) for b in first.budgets if b.amount] == [
        (1, 2556, Decimal(200000), "งบ อบต."), (2, 2557, Decimal(200000), "งบ อบต."), (3, 2557, Decimal(200000), "งบ อบต.")
    ]  # fmt: skip
    second = plan.items[1]
    assert [(b.part, b.fiscal_year, b.amount) for b in second.budgets] == [
        (None, 2556, Decimal(200000)), (None, 2557, Decimal(0)), (None, 2558, Decimal(0))
    ]  # fmt: skip
    seventh = plan.items[6]  # จุดที่ 1-3 from the อบจ. subsidy
    assert {b.source for b in seventh.budgets if b.amount} >= {"งบอุดหนุน"}
    # ที่ restarts with each strategy and runs on across its guidelines: no numbering finding
    assert [i.label for i in plan.items if i.dimension == 1][-1] == "88"
    assert not any(f.kind.startswith("number_") for f in xls_result.findings)


def test_the_summary_is_read_completely(xls_result) -> None:
    summary = [t for t in xls_result.plan.totals if t.table == "summary"]
    # 18 guidelines + 10 รวม + รวมทั้งสิ้น, each for 3 years and the 3-year column
    assert len(summary) == 29 * 4
    grand = {t.amounts[0].fiscal_year: (t.counts["projects"], t.amounts[0].amount) for t in summary if t.scope == "all"}
    assert grand == {2556: (173, Decimal(53959000)), 2557: (136, Decimal(61909000)),
                     2558: (154, Decimal(74959000)), None: (463, Decimal(190827000))}  # fmt: skip
    scopes = {t.scope for t in summary}
    assert scopes == set(PER_GUIDELINE) | {str(n) for n in range(1, 11)} | {"all"}


def test_every_summary_figure_is_checked_and_only_disagreements_are_mismatches(xls_result) -> None:
    checks = [c for c in xls_result.checks if c.table == "summary"]
    assert len(checks) == 29 * 4 * 2  # projects and amount of every printed figure
    # 1.2 in 2556: projects 63-66 (190,000 + 200,000 + 60,000 + 600,000); the summary prints 4 and 850,000
    by = {(c.scope, c.quantity, c.fiscal_year): c for c in checks}
    assert (by["1.2", "projects", 2556].status, by["1.2", "projects", 2556].computed) == ("ok", 4)
    wrong = by["1.2", "amount", 2556]
    assert (wrong.stated, wrong.computed, wrong.difference, wrong.status) == (850000, 1050000, -200000, "mismatch")
    assert by["1.2", "amount", None].computed == sum(by["1.2", "amount", y].computed for y in (2556, 2557, 2558))
    mismatches = [c for c in checks if c.status == "mismatch"]
    assert len(mismatches) == len(xls_result.mismatches) == 43
    assert all(c.difference == c.stated - c.computed != 0 for c in mismatches)
    # its รวม rows add up their guidelines and its 3-year column its years: no finding
    assert not any(f.kind == "summary_total_mismatch" for f in xls_result.findings)


@needs_soffice
def test_the_word_file_gives_the_workbooks_projects_item_for_item(xls_result) -> None:
    doc = convert_file(REAL_DOC)
    assert doc.plan.family == "development" and len(doc.plan.items) == len(xls_result.plan.items)

    def key(item: Item) -> tuple:
        budgets = tuple((b.part, b.fiscal_year, b.amount, b.source) for b in item.budgets)
        return item.label, item.code, item.name.replace(" ", ""), budgets

    assert [key(i) for i in doc.plan.items] == [key(i) for i in xls_result.plan.items]
    assert [(m.code, m.kind) for m in doc.plan.missions] == [(m.code, m.kind) for m in xls_result.plan.missions]
    assert not doc.plan.totals and not doc.checks  # the summary is in the workbook only, and a finding says so
    assert [f.kind for f in doc.findings if "summary" in f.kind] == ["details_without_summary"]
    assert not any("summary" in f.kind for f in xls_result.findings)  # the workbook has both


def _item(no: int, label: str, code: str, amounts: dict[int, int]) -> Item:
    budgets = tuple(Budget(year, Decimal(baht)) for year, baht in amounts.items())
    return Item(no, code, int(code.split(".")[0]), "project", f"โครงการ {no}", "", budgets, label=label)


def _plan(items: tuple[Item, ...], totals: tuple = ()) -> Plan:
    return Plan("x", "xls", 1, "", "", (2556, 2557), (), items, totals, (), family="development")


def test_numbering_gaps_repeats_and_restarts_are_findings() -> None:
    items = (_item(1, "1", "1.1", {}), _item(2, "2", "1.1", {}), _item(3, "2", "1.2", {}), _item(4, "4", "1.2", {}),
             _item(5, "1", "1.2", {}), _item(6, "2", "2.1", {}), _item(7, "1", "3.1", {}))  # fmt: skip
    kinds = [(f.kind, f.item_no) for f in check_plan(_plan(items))]
    assert kinds == [("number_repeated", 3), ("number_gap", 4), ("number_restarted", 5), ("number_not_restarted", 6)]


def _summary_table(rows: list[list[str]]) -> Table:
    header = ["ยุทธศาสตร์", "ปี 2556", "", "ปี 2557", "", "รวม 2 ปี", ""]
    cells = [Row(tuple(Cell(t, c, "xls", 1) for c, t in enumerate(r) if t), page=1) for r in [header, *rows]]
    return Table(tuple(cells), 1)


def test_summary_totals_that_do_not_add_up_are_findings_and_figures_are_checked() -> None:
    from thaiplan.families.development.summary import read_summary

    summary = read_summary([_summary_table([
        ["1. ยุทธศาสตร์การพัฒนาด้านถนน"],
        ["1.1 แนวทางการพัฒนา ถนน", "2", "300,000", "1", "100,000", "3", "400,000"],
        ["1.2 แนวทางการพัฒนา ไฟฟ้า", "1", "50,000", "0", "0", "2", "50,000"],  # prints 2 for 1 + 0
        ["รวม", "3", "350,000", "1", "90,000", "4", "440,000"],  # 2557: 100,000 + 0 printed 90,000
        ["รวมทั้งสิ้น", "3", "350,000", "1", "90,000", "4", "440,000"],
    ])])  # fmt: skip
    items = (_item(1, "1", "1.1", {2556: 200000, 2557: 100000}), _item(2, "2", "1.1", {2556: 100000, 2557: 0}),
             _item(3, "3", "1.2", {2556: 50000, 2557: 0}))  # fmt: skip
    plan = _plan(items, summary.totals)
    found = sorted(f.message for f in summary_findings(plan))
    # the all-years column is checked both ways: against its years and, in a รวม row, against its guidelines
    assert found == sorted([
        "summary '1.2 แนวทางการพัฒนา ไฟฟ้า' for all years: prints 2 projects, its years add up to 1",
        "summary 'รวม' for all years: prints 4 projects, its guideline rows add up to 5",
        "summary 'รวม' for all years: prints 440,000 baht, its guideline rows add up to 450,000",
        "summary 'รวม' for fiscal year 2557: prints 90,000 baht, its guideline rows add up to 100,000",
    ])  # fmt: skip
    assert not any("'รวมทั้งสิ้น'" in m for m in found)  # it prints what the รวม row prints
    checks = {(c.scope, c.quantity, c.fiscal_year): c for c in reconcile(plan)}
    assert len(checks) == 4 * 3 * 2
    assert checks["1", "amount", 2557].difference == -10000 and checks["1.1", "projects", 2557].status == "ok"
    assert checks["1.2", "projects", None].difference == 1


def test_summary_without_details_is_said() -> None:
    from thaiplan.families.development.summary import read_summary

    summary = read_summary([_summary_table([["1.1 แนวทางการพัฒนา ถนน", "2", "300,000", "1", "100,000", "3", "400,000"]])])
    plan = _plan((), summary.totals)
    assert reconcile(plan) == []
    assert [f.kind for f in summary_findings(plan)] == ["summary_without_details"]


def test_the_families_never_read_each_others_tables(xls_result) -> None:
    """The anti-corruption vocabulary accepts no header of the development plan, and
    the development family none of the anti-corruption samples'."""
    from thaiplan.extract import read_document
    from thaiplan.settings import Settings

    development = read_document(REAL_XLS, Settings())
    assert headers_accepted(development, ANTICORRUPTION.vocabulary) == 0
    assert DEVELOPMENT.score(development) > 0 and detect(development) is DEVELOPMENT
    for sample in SAMPLES:
        raw = read_document(sample, Settings())
        assert DEVELOPMENT.score(raw) == 0 and ANTICORRUPTION.score(raw) > 0, sample.name
        assert detect(raw) is ANTICORRUPTION


def test_a_document_with_no_plan_table_stays_not_a_plan() -> None:
    raw = RawDocument("x.txt", "text", 1, tables=(Table((Row((Cell("ชื่อ", 0, "text"), Cell("ที่อยู่", 1, "text"))),)),))
    assert detect(raw) is ANTICORRUPTION  # the first family says what was found instead


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["งบ อบต.", "งบอุดหนุน", "งบ อบจ."]))
def test_a_budget_cell_gives_its_amount_and_source(baht: int, source: str) -> None:
    assert budget_cell(f"{baht:,}.-\n({source} )") == (Decimal(baht), source, None)
    assert budget_cell(f"{baht:,}") == (Decimal(baht), "", None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["จุดที่ 1 กว้าง", "จุดที่ ๒", "จุด 3", "จุกที่ 4", "กว้าง 4 ม.", "", "จุดที่ 1"]), max_size=8))
def test_parts_of_a_project_are_always_told_apart(targets: list[str]) -> None:
    numbers = part_numbers(targets)
    assert len(numbers) == len(targets) and len(set(numbers)) == len(numbers)
    printed = [part_label(t) for t in targets]
    assert numbers == printed or numbers == list(range(1, len(targets) + 1))  # as printed, or by position


@given(st.integers(min_value=1000, max_value=10**9), st.data())
def test_a_budget_split_by_a_gap_is_read_as_one_and_said(baht: int, data: st.DataObject) -> None:
    printed = f"{baht:,}.-"
    gap = data.draw(st.integers(min_value=1, max_value=len(printed) - 3))  # inside the number, not in its `.-`
    cell = budget_cell(f"{printed[:gap]} {printed[gap:]}\n(งบ อบต. )")
    assert cell == (Decimal(baht), "งบ อบต.", printed)


def test_two_amounts_in_one_budget_cell_are_not_joined() -> None:
    with pytest.raises(AmountError):
        budget_cell("2,000 5,000")


def _detail_table(budget: str) -> Table:
    header = ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย", "2566 (บาท)", "2567 (บาท)", "หน่วยงานที่รับผิดชอบ"]
    row = ["1", "โครงการก่อสร้างถนน", "เพื่อการสัญจร", "กว้าง 4 ม.", budget, "-", "ส่วนโยธา"]
    return Table(tuple(Row(tuple(Cell(t, c, "text", 1) for c, t in enumerate(r)), page=1) for r in (header, row)), 1)


def test_the_development_builder_joins_a_split_budget_with_a_finding() -> None:
    from thaiplan.families.development.builder import build_plan

    plan = build_plan(RawDocument("plan.txt", "text", 1, tables=(_detail_table("300,0 00.-\n(งบ อบต.)"),)))
    assert [(b.fiscal_year, b.amount, b.source) for b in plan.items[0].budgets] == [
        (2566, Decimal(300000), "งบ อบต."), (2567, Decimal(0), "")]  # fmt: skip
    assert [(f.kind, f.message, f.item_no) for f in plan.findings if f.kind == "amount_joined"] == [
        ("amount_joined", "amount split by a gap read as one: '300,0 00.- (งบ อบต.)' as '300,000.-'", 1)]  # fmt: skip
    whole = build_plan(RawDocument("plan.txt", "text", 1, tables=(_detail_table("300,000.-\n(งบ อบต.)"),)))
    assert whole.items[0].budgets[0].amount == 300000 and not any(f.kind == "amount_joined" for f in whole.findings)
