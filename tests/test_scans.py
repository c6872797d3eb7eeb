"""Scanned plans end to end, checked as a user would: a plan printed, scanned (grey,
skewed 0.5-1°, blurred, speckled) and saved as an image-only PDF must give the
dataset its typed original gives. Skipped where tesseract (with Thai) or, for the
plan built here, LibreOffice is missing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from tests.builders import build_docx, save_image_pdf, scanned_pages, soffice, to_pdf
from tests.plan_factory import YEARS, four_year_plan, text_rows
from thaiplan.extract import ocr
from thaiplan.normalize.model import Item
from thaiplan.pipeline import convert_file
from thaiplan.records import DocumentResult

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _need_tesseract() -> None:
    if not ocr.tesseract_available():
        pytest.skip(f"no OCR: {ocr.tesseract_status()}")


def _scan_and_convert(pdf: Path, dpi: int, folder: Path, pages: list | None = None) -> DocumentResult:
    """Print `pdf`, scan it at `dpi` into an image-only PDF, convert that; `pages`: the
    scanned pages when they were made already."""
    scan = folder / f"{pdf.stem}_scan_{dpi}dpi.pdf"
    save_image_pdf(pages or scanned_pages(pdf, dpi), scan, dpi)
    result = convert_file(scan)
    assert result.ok, result.error
    return result


def char_accuracy(truth: list[str], read: list[str]) -> float:
    """1 - total Levenshtein distance / total length of the truth, text by text."""
    distance = sum(Levenshtein.distance(t, r) for t, r in zip(truth, read, strict=True))
    return 1 - distance / max(1, sum(map(len, truth)))


def _differences(truth: list[str], read: list[str]) -> list[tuple[str, str]]:
    return [(t, r) for t, r in zip(truth, read) if t != r]


def _checks(result: DocumentResult) -> list[tuple]:
    """The reconciliation rows a user reads: scope, quantity, year, stated, computed, status."""
    return [(c.scope, c.quantity, c.fiscal_year, c.stated, c.computed, c.status) for c in result.checks]


# ---- the seed plan, 35 pages, scanned at 200 and 300 dpi -------------------------


@pytest.fixture(scope="module")
def seed_reference() -> DocumentResult:
    """The seed plan's DOCX, converted: what the scan must give back."""
    result = convert_file(SAMPLES / "seed_plan.docx")
    assert result.ok, result.error
    return result


@pytest.fixture(scope="module", params=[200, 300], ids=lambda dpi: f"{dpi}dpi")
def seed_scan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> DocumentResult:
    """samples/seed_plan.pdf (LibreOffice's export of the DOCX) scanned and converted."""
    _need_tesseract()
    # the session's scans of it (conftest.seed_plan_scans), asked for only once OCR can run
    pages = request.getfixturevalue("seed_plan_scans")(request.param)
    return _scan_and_convert(SAMPLES / "seed_plan.pdf", request.param, tmp_path_factory.mktemp("seed_scan"), pages)


def test_seed_scan_items_exact(seed_scan: DocumentResult, seed_reference: DocumentResult) -> None:
    """All 38 items, each with the original's code, type, budgets and period."""
    want = seed_reference.plan.items
    got = seed_scan.plan.items
    assert len(want) == 38
    assert len(got) == 38, [i.name for i in got]

    def facts(item: Item) -> tuple:
        budgets = tuple((b.fiscal_year, b.amount) for b in item.budgets)
        return item.code, item.type, item.budget_baht, budgets, item.period_start, item.period_end

    wrong = [(w.item_no, facts(w), facts(g), g.name) for w, g in zip(want, got) if facts(w) != facts(g)]
    assert not wrong, wrong


def test_seed_scan_item_names(seed_scan: DocumentResult, seed_reference: DocumentResult) -> None:
    """Item names read to at least 97% of their characters."""
    want = [i.name for i in seed_reference.plan.items]
    got = [i.name for i in seed_scan.plan.items]
    assert len(got) == len(want)
    accuracy = char_accuracy(want, got)
    assert accuracy >= 0.97, (round(accuracy, 4), _differences(want, got))


def test_seed_scan_missions(seed_scan: DocumentResult, seed_reference: DocumentResult) -> None:
    """The same mission codes in the same order; titles read to at least 95% of their characters."""
    assert [m.code for m in seed_scan.plan.missions] == [m.code for m in seed_reference.plan.missions]
    want = [m.title for m in seed_reference.plan.missions]
    got = [m.title for m in seed_scan.plan.missions]
    accuracy = char_accuracy(want, got)
    assert accuracy >= 0.95, (round(accuracy, 4), _differences(want, got))


def test_seed_scan_reconciliation(seed_scan: DocumentResult, seed_reference: DocumentResult) -> None:
    """Every printed total and what it is checked against as in the original, with the
    original's two mismatches: dimension 2's activities and measures."""
    assert {(c.scope, c.quantity) for c in seed_reference.mismatches} == {("2", "activities"), ("2", "measures")}
    want, got = _checks(seed_reference), _checks(seed_scan)
    assert got == want, {"missing": [c for c in want if c not in got], "extra": [c for c in got if c not in want]}


# ---- a 4-year plan (one budget column per year), built here, scanned at 300 dpi ----


@pytest.fixture(scope="module")
def fouryear(tmp_path_factory: pytest.TempPathFactory) -> tuple[DocumentResult, DocumentResult]:
    """(the scan's conversion, the DOCX's) of the factory's 4-year plan as a DOCX with the
    dimension merged down its rows, exported by LibreOffice, scanned at 300 dpi."""
    _need_tesseract()
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("fouryear_scan")
    title, rows = text_rows(four_year_plan(), thai_digits="mixed")
    docx = build_docx(folder / "plan_mixed.docx", title, rows[2:], header_rows=rows[:2], merge_dimension=True)
    reference = convert_file(docx)
    assert reference.ok, reference.error
    return _scan_and_convert(to_pdf(docx, folder), 300, folder), reference


def test_fouryear_scan_items_and_budgets(fouryear: tuple[DocumentResult, DocumentResult]) -> None:
    """The plan's years, every item with its mission code, every budget of every year."""
    spec = four_year_plan()
    plan = fouryear[0].plan
    assert plan.fiscal_years == YEARS
    assert len(plan.items) == len(spec.items), [i.name for i in plan.items]
    wrong = []
    for item, expected in zip(plan.items, spec.items):
        want = (expected.code, [(y, None if v is None else Decimal(str(v))) for y, v in zip(YEARS, expected.budgets)])
        got = (item.code, [(b.fiscal_year, b.amount) for b in item.budgets])
        if got != want:
            wrong.append((item.item_no, want, got, item.name))
    assert not wrong, wrong


def test_fouryear_scan_item_names(fouryear: tuple[DocumentResult, DocumentResult]) -> None:
    """Item names read to at least 97% of their characters."""
    want = [i.name for i in four_year_plan().items]
    got = [i.name for i in fouryear[0].plan.items]
    assert len(got) == len(want)
    accuracy = char_accuracy(want, got)
    assert accuracy >= 0.97, (round(accuracy, 4), _differences(want, got))


def test_fouryear_scan_exactly_the_planted_mismatches(fouryear: tuple[DocumentResult, DocumentResult]) -> None:
    """The two errors planted in the printed subtotals, and nothing else: every other
    reconciliation row as in the DOCX."""
    spec = four_year_plan()
    dim_code, year_index, added = spec.planted_amount
    dimension = next(d for d in spec.dimensions if d.code == dim_code)
    summed = sum(i.budgets[year_index] or 0 for i in dimension.items)
    count_dim, quantity, plus = spec.planted_count
    counted = sum(1 for d in spec.dimensions if d.code == count_dim for i in d.items if i.kind == quantity)
    planted = {
        (dim_code, "amount", YEARS[year_index], summed + added, summed),
        (count_dim, quantity, None, counted + plus, counted),
    }
    scan, reference = fouryear
    found = {(c.scope, c.quantity, c.fiscal_year, int(c.stated), int(c.computed)) for c in scan.mismatches}
    assert found == planted, _checks(scan)
    want, got = _checks(reference), _checks(scan)
    assert got == want, {"missing": [c for c in want if c not in got], "extra": [c for c in got if c not in want]}
