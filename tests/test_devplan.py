"""Development plans (issue 13) checked as a user sees the dataset (thaiplan.convert, then thaiplan.load):
the real 3-year plan in its three forms against the hand-checked truth list
(tests/data/real/devplan-2556-2558.truth.json, how it was made: its .md), and the factory's 5-year
plan (tests/plan_factory.py, tests/devplan_docx.py) with exactly its planted summary mismatches.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import docx
import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.devplan_docx import TEST_FILES
from tests.plan_factory import DevPlan, dev_truth, five_year_plan

REAL = ROOT / "tests" / "data" / "real"
TRUTH = REAL / "devplan-2556-2558.truth.json"
REAL_FORMS = ("pdf", "doc", "xls")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def squash(text: object) -> str:
    """Text compared without whitespace (wrap joins are the wraps tests' business) and with Arabic digits."""
    return re.sub(r"\s+", "", str(text)).translate(THAI_DIGITS) if not pd.isna(text) else ""


@cache
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@cache
def dataset(path: Path, out: Path) -> dict[str, pd.DataFrame]:
    import thaiplan

    result = thaiplan.convert([path], out, fresh=True)
    assert [f.status for f in result.files] == ["converted"], result.files
    return thaiplan.load(out)


def _year(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def projects_of(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """Items in their order with their parts' budgets: {guideline, name, ..., budgets: {(part, year): (amount, source)}}."""
    items, budgets = frames["items"], frames["budgets"]
    out = []
    for _, item in items.iterrows():
        rows = budgets[(budgets["doc_id"] == item["doc_id"]) & (budgets["item_no"] == item["item_no"])]
        out.append(
            {
                "guideline": str(item["code"]),
                "name": squash(item["name"]),
                "item": item,
                "budgets": {
                    (str(r["part"]) if not pd.isna(r["part"]) else "", int(r["fiscal_year"])): (
                        None if pd.isna(r["amount_baht"]) else int(r["amount_baht"]),
                        squash(r["source"]),
                    )
                    for _, r in rows.iterrows()
                },
            }
        )
    return out


def truth_budgets(project: dict) -> dict[tuple[str, int], tuple[int | None, str]]:
    return {
        (part["part"], int(year)): (cell["amount"], squash(cell["source"]))
        for part in project["parts"]
        for year, cell in part["budgets"].items()
    }


@pytest.fixture(scope="module", params=REAL_FORMS)
def real(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    form = request.param
    return dataset(REAL / f"devplan-2556-2558.{form}", tmp_path_factory.mktemp(f"devplan_{form}"))


# ---- the real plan against the truth list ----------------------------------------------------


def test_real_plan_headings(real: dict[str, pd.DataFrame]) -> None:
    missions = real["missions"]
    got = {(r["kind"], str(r["code"])): squash(r["title"]) for _, r in missions.iterrows()}
    want = {("strategy", s["code"]): squash(s["title"]) for s in truth()["strategies"]}
    want |= {("guideline", g["code"]): squash(g["title"]) for g in truth()["guidelines"]}
    assert set(got) == set(want)
    wrong = {key: (got[key], title) for key, title in want.items() if title not in got[key]}
    assert not wrong


def test_real_plan_projects_item_for_item(real: dict[str, pd.DataFrame]) -> None:
    got = projects_of(real)
    want = truth()["projects"]
    assert [(p["guideline"], p["name"]) for p in got] == [(p["guideline"], squash(p["name"])) for p in want]
    texts_off = []  # (where, field): compared after the strict checks below
    for mine, theirs in zip(got, want):
        item = mine["item"]
        for field in ("objective", "target"):
            if squash(item[field]) != squash(theirs[field]):
                texts_off.append((theirs["where"], field))
        if not all(squash(unit) in squash(item["responsible_unit"]) for unit in theirs["responsible_units"]):
            texts_off.append((theirs["where"], "responsible_unit"))
        assert mine["budgets"] == truth_budgets(theirs), theirs["where"]
    assert not texts_off


def test_real_plan_budget_cells(real: dict[str, pd.DataFrame]) -> None:
    cells = [c for p in truth()["projects"] for q in p["parts"] for c in q["budgets"].values()]
    assert len(real["budgets"]) == len(cells) == 1116
    assert real["budgets"]["amount_baht"].isna().sum() == sum(c["amount"] is None for c in cells) == 1


def test_real_forms_agree(tmp_path_factory: pytest.TempPathFactory) -> None:
    forms = {
        form: projects_of(dataset(REAL / f"devplan-2556-2558.{form}", tmp_path_factory.mktemp(f"agree_{form}")))
        for form in REAL_FORMS
    }
    shapes = {form: [(p["guideline"], p["name"], p["budgets"]) for p in got] for form, got in forms.items()}
    assert shapes["pdf"] == shapes["doc"] == shapes["xls"]


@pytest.fixture(scope="module")
def real_xls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    return dataset(REAL / "devplan-2556-2558.xls", tmp_path_factory.mktemp("devplan_xls_summary"))


def test_real_summary_read_completely(real_xls: dict[str, pd.DataFrame]) -> None:
    totals = real_xls["totals"]
    summary = totals[totals["table"] == "summary"]
    got = {
        (str(r["scope"]), _year(r["fiscal_year"])): (int(r["projects"]), int(r["amount_baht"]))
        for _, r in summary.iterrows()
    }
    want = {(r["scope"], r["fiscal_year"]): (r["projects"], r["amount"]) for r in truth()["summary"]}
    assert len(summary) == len(want) == 116
    assert got == want


def _mismatches(frames: dict[str, pd.DataFrame]) -> set[tuple]:
    rec = frames["reconciliation"]
    rows = rec[(rec["table"] == "summary") & (rec["status"] == "mismatch")]
    return {
        (
            str(r["scope"]),
            r["quantity"],
            _year(r["fiscal_year"]),
            int(r["stated"]),
            int(r["computed"]),
            int(r["difference"]),
        )
        for _, r in rows.iterrows()
    }


def test_real_summary_mismatches_exact(real_xls: dict[str, pd.DataFrame]) -> None:
    want = {
        (c["scope"], c["quantity"], c["fiscal_year"], c["stated"], c["computed"], c["difference"])
        for c in truth()["reconciliation"]
        if c["status"] == "mismatch"
    }
    assert len(want) == 43
    assert _mismatches(real_xls) == want
    rec = real_xls["reconciliation"]
    assert ((rec["table"] == "summary") & (rec["status"] == "ok")).sum() == 232 - 43


# ---- the factory's 5-year plan ---------------------------------------------------------------


@pytest.fixture(scope="module", params=TEST_FILES, ids=lambda p: p.suffix[1:])
def factory(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    return dataset(request.param, tmp_path_factory.mktemp(f"factory_{request.param.suffix[1:]}"))


def _expected(plan: DevPlan) -> set[tuple]:
    return {
        (m["scope"], m["quantity"], m["fiscal_year"], m["stated"], m["computed"], m["difference"])
        for m in plan.expected_mismatches()
    }


def test_factory_plan_gives_exactly_its_planted_mismatches(factory: dict[str, pd.DataFrame]) -> None:
    assert _mismatches(factory) == _expected(five_year_plan())


def _internal(frames: dict[str, pd.DataFrame]) -> list[tuple]:
    """(check, scope, year, quantity) of each summary_total_mismatch finding, read from its message as a user reads it."""
    findings = frames["findings"]
    out = []
    for _, f in findings[findings["kind"] == "summary_total_mismatch"].iterrows():
        year = re.search(r"for fiscal year (\d{4})", f["message"])
        quantity = "amount" if re.search(r"prints [\d,.]+ baht", f["message"]) else "projects"
        check = "years" if "its years add up" in f["message"] else "rows"
        out.append((check, str(f["code"]), int(year.group(1)) if year else None, quantity))
    return out


def test_factory_plan_summary_disagreeing_with_itself_is_found(factory: dict[str, pd.DataFrame]) -> None:
    """Each plant also breaks the summary's own sums (a รวม row, รวมทั้งสิ้น, the รวม ๕ ปี column): 7 findings."""
    want = five_year_plan().expected_internal()
    assert len(want) == 7
    assert sorted(_internal(factory), key=str) == sorted(want, key=str)


def test_real_summary_agrees_with_itself(real_xls: dict[str, pd.DataFrame]) -> None:
    assert _internal(real_xls) == truth()["summary_internal"] == []


def test_factory_plan_dataset(factory: dict[str, pd.DataFrame]) -> None:
    want = dev_truth(five_year_plan())
    got = projects_of(factory)
    assert [(p["guideline"], p["name"]) for p in got] == [(i["guideline"], squash(i["name"])) for i in want["items"]]
    for mine, theirs in zip(got, want["items"]):
        for field in ("objective", "target", "kpi", "expected_result", "responsible_unit"):
            assert squash(mine["item"][field]) == squash(theirs[field]), (theirs["name"], field)
    budgets = {
        (b["guideline"], b["no"], b["part"], b["fiscal_year"]): (b["amount"], squash(b["source"]))
        for b in want["budgets"]
    }
    numbers = {}
    for p in got:
        numbers.setdefault(p["guideline"].split(".")[0], 0)
        numbers[p["guideline"].split(".")[0]] += 1
        for (part, year), cell in p["budgets"].items():
            key = (p["guideline"], numbers[p["guideline"].split(".")[0]], part, year)
            assert budgets.pop(key) == cell, key
    assert not budgets
    totals = factory["totals"]
    summary = totals[totals["table"] == "summary"]
    assert {
        (str(r["scope"]), _year(r["fiscal_year"])): (int(r["projects"]), int(r["amount_baht"]))
        for _, r in summary.iterrows()
    } == {(t["scope"], t["fiscal_year"]): (t["projects"], t["amount"]) for t in want["totals"]}


# ---- the factory itself (runs now) -----------------------------------------------------------


def test_planted_mismatches_are_the_three_planted() -> None:
    plan = five_year_plan()
    assert _expected(plan) == {
        ("1.2", "amount", 2568, 320000, 270000, 50000),
        ("2", "projects", 2567, 4, 3, 1),
        ("3.1", "amount", None, 220000, 210000, 10000),
    }
    # each plant also makes the summary disagree with itself, which is a finding, not a reconciliation row
    assert ("years", "3.1", None, "amount") in plan.expected_internal()
    assert ("rows", "1", 2568, "amount") in plan.expected_internal()


def test_counting_rule_counts_a_project_once_per_year() -> None:
    plan = five_year_plan()
    computed = plan.computed()
    # 1.1 no. 1 has three parts in 2566, 2567 and 2569: one project in each of those years
    assert [computed[("1.1", y, "projects")] for y in plan.years] == [2, 2, 2, 2, 2]
    # 2.2 no. 3 has no budget in any year: counted in none
    assert computed[("2.2", None, "projects")] == 2


def test_docx_sample_prints_the_factory_summary() -> None:
    """The committed DOCX is what the factory makes now (rebuild with `python -m tests.devplan_docx`)."""
    document = docx.Document(str(TEST_FILES[0]))
    summary = document.tables[0]
    rows = [[squash(c.text) for c in row.cells] for row in summary.rows]
    printed = five_year_plan().printed()
    line = next(r for r in rows if r[0].startswith("1.2"))
    assert line[1::2][:6] == [str(printed[("1.2", y, "projects")]) for y in (*five_year_plan().years, None)]
    assert line[6] == f"{printed[('1.2', 2568, 'amount')]:,}"
    assert len(document.tables) == 1 + len(five_year_plan().guidelines)
