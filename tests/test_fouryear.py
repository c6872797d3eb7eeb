"""4-year plans (one budget column per fiscal year) of our own making."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.builders import build_docx, soffice, to_pdf
from tests.plan_factory import YEARS, four_year_plan, plan_text, text_rows
from thaiplan.pipeline import convert_file


def _pdf_from_docx(docx: Path) -> Path:
    """LibreOffice's PDF export of a DOCX."""
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    return to_pdf(docx, docx.parent)


@pytest.fixture(
    scope="module",
    params=["text-mixed", "text-thai", "text-arabic", "docx-mixed", "docx-merged-thai", "pdf-merged-mixed"],
)
def converted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    form, digits = request.param.split("-", 1)
    folder = tmp_path_factory.mktemp("fouryear")
    if form == "text":
        path = folder / f"plan_{digits}.txt"
        path.write_text(plan_text(four_year_plan(), thai_digits=digits), encoding="utf-8")
    else:
        title, rows = text_rows(four_year_plan(), thai_digits=digits.removeprefix("merged-"))  # docx or pdf
        path = build_docx(
            folder / f"plan_{digits}.docx",
            title,
            rows[2:],
            header_rows=rows[:2],
            merge_dimension=digits.startswith("merged"),
        )
        if form == "pdf":
            path = _pdf_from_docx(path)
    result = convert_file(path)
    assert result.ok, result.error
    return result


def test_every_budget_of_every_year(converted) -> None:
    spec = four_year_plan()
    plan = converted.plan
    assert plan.fiscal_years == YEARS
    assert len(plan.items) == len(spec.items)
    for item, expected in zip(plan.items, spec.items):
        assert item.name == expected.name
        assert item.code == expected.code
        assert [b.fiscal_year for b in item.budgets] == list(YEARS)
        assert [b.amount for b in item.budgets] == [None if v is None else Decimal(str(v)) for v in expected.budgets]


def test_empty_budget_cell_stays_unknown(converted) -> None:
    item = next(i for i in converted.plan.items if i.name.startswith("โครงการเสริมสร้างพลเมืองดี"))
    assert item.budgets[2].amount is None
    assert item.budget_baht == Decimal(45000)


def test_missions_inherited_and_labels_kept_out(converted) -> None:
    plan = converted.plan
    assert [i.label.strip("().") for i in plan.items[:4]] in (
        ["1", "2", "3", "4"],
        ["๑", "๒", "๓", "๔"],
        ["1", "๒", "3", "๔"],
    )
    assert all(not i.name[0].isdigit() for i in plan.items)
    assert sorted(m.code for m in plan.missions) == [
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
        "2.2",
        "3",
        "3.1",
        "3.2",
        "4",
        "4.1",
    ]
    # the item after a page break with an empty mission cell keeps 2.2
    assert next(i for i in plan.items if i.name.startswith("โครงการจัดซื้อ")).code == "2.2"


def test_types_include_guidelines(converted) -> None:
    assert next(i for i in converted.plan.items if i.name.startswith("แนวปฏิบัติ")).type == "guideline"


def test_exactly_the_planted_mismatches(converted) -> None:
    found = {(c.scope, c.quantity, c.fiscal_year, int(c.stated), int(c.computed)) for c in converted.mismatches}
    assert found == {("2", "amount", 2562, 20000, 10000), ("3", "projects", None, 3, 2)}
    kinds = {f.kind for f in converted.findings if f.severity == "warning"}
    assert kinds == {"subtotals_vs_grand_total"}


def test_totals_per_year(converted) -> None:
    grand = next(t for t in converted.plan.totals if t.scope == "all")
    assert [a.fiscal_year for a in grand.amounts] == list(YEARS)
    assert grand.amounts[2].amount == Decimal("111250.50")


def test_sample_four_year_plan_is_the_factory_output() -> None:
    sample = Path(__file__).resolve().parents[1] / "samples" / "fouryear_2561-2564.txt"
    assert sample.read_text(encoding="utf-8") == plan_text(four_year_plan())
