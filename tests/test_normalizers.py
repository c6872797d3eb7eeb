"""Unit tests for each normaliser, with the forms plans really print."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from thaiplan.normalize.amounts import AmountError, parse_amount, says_no_budget
from thaiplan.normalize.codes import dimension_of, split_missions
from thaiplan.normalize.counts import parse_counts
from thaiplan.normalize.item_types import item_type, split_label
from thaiplan.normalize.metadata import fiscal_years_in, organization_in, read_metadata
from thaiplan.normalize.periods import parse_period, respell_months
from thaiplan.thai import to_arabic, to_thai


def test_thai_digits_both_ways() -> None:
    assert to_arabic("๒.๓.๑ ปี ๒๕๖๓") == "2.3.1 ปี 2563"
    assert to_thai("430,000") == "๔๓๐,๐๐๐"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("๒๐,๐๐๐.-", Decimal(20000)),
        ("๐", Decimal(0)),
        ("-", Decimal(0)),
        ("–", Decimal(0)),
        ("20,000", Decimal(20000)),
        ("1,250.50", Decimal("1250.50")),
        ("๒๐,๐๐๐ บาท", Decimal(20000)),
        ("๓๐๐,๐๐๐.-", Decimal(300000)),
        ("๑,๒๕๐.๕๐", Decimal("1250.50")),
        ("20000", Decimal(20000)),
    ],
)
def test_amounts(text: str, amount: Decimal) -> None:
    assert parse_amount(text) == amount


def test_empty_amount_is_unknown_not_zero() -> None:
    assert parse_amount("") is None
    assert parse_amount("   ") is None


@pytest.mark.parametrize("text", ["ไม่ใช้งบประมาณ", "20,00", "abc", "1.2.3"])
def test_not_an_amount(text: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(text)


def test_no_budget_remark() -> None:
    assert says_no_budget("ไม่ใช้ งบประมาณ")
    assert not says_no_budget("ใช้งบประมาณของเทศบาล")


@pytest.mark.parametrize(
    ("text", "years", "start", "end"),
    [
        ("มกราคม ๒๕๖๓", (), date(2020, 1, 1), date(2020, 1, 31)),
        ("ตุลาคม – ธันวาคม ๒๕๖๒", (), date(2019, 10, 1), date(2019, 12, 31)),
        ("ตุลาคม ๒๕๖๒ - กันยายน ๒๕๖๓", (), date(2019, 10, 1), date(2020, 9, 30)),
        ("มกราคม - มีนาคม ๒๕๖๓", (), date(2020, 1, 1), date(2020, 3, 31)),
        ("ต.ค. ๖๒", (), date(2019, 10, 1), date(2019, 10, 31)),
        ("ตค.62", (), date(2019, 10, 1), date(2019, 10, 31)),
        ("ต.ค. ๖๒ - ก.ย. ๖๓", (), date(2019, 10, 1), date(2020, 9, 30)),
        ("ตุลาคม ๒๕๖๒ ถึง กันยายน ๒๕๖๓", (), date(2019, 10, 1), date(2020, 9, 30)),
        ("ตลอดปีงบประมาณ", (2563,), date(2019, 10, 1), date(2020, 9, 30)),
        ("ตลอดปี", (2561, 2562, 2563, 2564), date(2017, 10, 1), date(2021, 9, 30)),
        ("ไตรมาสที่ ๒", (2563,), date(2020, 1, 1), date(2020, 3, 31)),
        ("ไตรมาส ๑–๔", (2563,), date(2019, 10, 1), date(2020, 9, 30)),
        ("มีนาคม", (2563,), date(2020, 3, 1), date(2020, 3, 31)),
        ("พฤศจิกายน", (2563,), date(2019, 11, 1), date(2019, 11, 30)),
        ("กุมภาพันธ์ ๒๕๖๓", (), date(2020, 2, 1), date(2020, 2, 29)),
        ("กุมภาพันธ์ ๒๕๖๒", (), date(2019, 2, 1), date(2019, 2, 28)),
        ("ตุลาคม – มีนาคม ๒๕๖๓", (), date(2019, 10, 1), date(2020, 3, 31)),
        ("กรกฏาคม 2563", (), date(2020, 7, 1), date(2020, 7, 31)),
        ("เมษายน - พฤษภาคม ๒๕๖๓", (), date(2020, 4, 1), date(2020, 5, 31)),
        ("มกราคม 2020", (), date(2020, 1, 1), date(2020, 1, 31)),
        ("1 ตุลาคม 2562 - 30 กันยายน 2563", (), date(2019, 10, 1), date(2020, 9, 30)),
    ],
)
def test_periods(text: str, years: tuple[int, ...], start: date, end: date) -> None:
    period = parse_period(text, years)
    assert period is not None, text
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["", "ดำเนินการต่อเนื่อง", "มีนาคม", "ไตรมาส ๕"])
def test_unreadable_periods_give_none(text: str) -> None:
    assert parse_period(text) is None  # no fiscal year known: a bare month cannot be placed


def test_dimension_forms() -> None:
    assert dimension_of("๑. การสร้าง สังคมที่ไม่ทน").code == "1"
    assert dimension_of("มิติที่ ๓ การส่งเสริมบทบาท").code == "3"
    assert dimension_of("มิติที่ 4 การเสริมสร้าง").text == "การเสริมสร้าง"
    assert dimension_of("๑.๑ การสร้าง") is None
    assert dimension_of("โครงการ") is None


def test_two_codes_in_one_cell() -> None:
    lead, parts = split_missions("๒.๒ มาตรการสร้างความโปร่งใส ในการปฏิบัติราชการ ๒.๒.๑ สร้างความโปร่งใสในการ")
    assert lead == ""
    assert [p.code for p in parts] == ["2.2", "2.2.1"]
    assert parts[0].text == "มาตรการสร้างความโปร่งใส ในการปฏิบัติราชการ"


def test_arabic_codes_and_trailing_dot() -> None:
    assert [p.code for p in split_missions("2.3.1. มีการจัดทำ")[1]] == ["2.3.1"]
    assert split_missions("การรับ - จ่ายเงิน ๒๕๖๓")[1] == []
    assert split_missions("33.33 %")[1] == []  # a share, not mission 33.33
    assert split_missions("ร้อยละ ๖๖.๖๗%")[1] == []


@pytest.mark.parametrize(
    ("name", "kind", "guess"),
    [
        ("โครงการป้องกันผลประโยชน์ทับซ้อน", "project", None),
        ("กิจกรรมส่งเสริมสภาเด็ก", "activity", None),
        ("มาตรการสร้างความโปร่งใส", "measure", None),
        ("แนวปฏิบัติงานการจัดซื้อ", "guideline", None),
        ("มาตรฐานการยกระดับการปฏิบัติหน้าที่", "measure", "มาตรฐาน"),
        ("ประชุมประชาคมท้องถิ่น", "other", None),
    ],
)
def test_item_types(name: str, kind: str, guess: str | None) -> None:
    typed = item_type(name)
    assert (typed.type, typed.guessed_from) == (kind, guess)


@pytest.mark.parametrize("label", ["๑)", "1.", "(๑)", "-", "•"])
def test_item_labels_kept_out_of_names(label: str) -> None:
    assert split_label(f"{label} โครงการอบรม") == (label, "โครงการอบรม")


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("๘ โครงการ , ๑ กิจกรรม", {"projects": 8, "activities": 1}),
        ("๕ โครงการ ๑ กิจกรรม ๑ มาตรการ", {"projects": 5, "activities": 1, "measures": 1}),
        ("จำนวน ๕ โครงการ", {"projects": 5}),
        ("๑๖ โครงการ, ๙ กิจกรรม, ๑๓ มาตรการ", {"projects": 16, "activities": 9, "measures": 13}),
        ("๒ แนวปฏิบัติ", {"guidelines": 2}),
        ("", {}),
    ],
)
def test_counts(text: str, counts: dict[str, int]) -> None:
    assert parse_counts(text) == counts


def test_metadata_from_title_lines() -> None:
    meta = read_metadata(["แผนปฏิบัติการป้องกันการทุจริตเทศบาลตำบลแม่กลอง ประจำปีงบประมาณ พ.ศ. ๒๕๖๓"])
    assert meta.organization == "เทศบาลตำบลแม่กลอง"
    assert meta.fiscal_years == (2563,)
    assert fiscal_years_in("แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ – ๒๕๖๔)") == (2561, 2562, 2563, 2564)
    assert organization_in("องค์การบริหารส่วนตำบลไทรย้อย อำเภอเด่นชัย") == "องค์การบริหารส่วนตำบลไทรย้อย"


@pytest.mark.parametrize(
    ("text", "fixed", "pairs"),
    [
        ("ตุลาคม - จันวาคม ๒๕๖๒", "ตุลาคม - ธันวาคม ๒๕๖๒", [("จันวาคม", "ธันวาคม")]),  # OCR: ธ read as จ
        ("กันยายบ ๒๕๖๓", "กันยายน ๒๕๖๓", [("กันยายบ", "กันยายน")]),
        ("มีนาคม - กันยายน ๒๕๖๓", "มีนาคม - กันยายน ๒๕๖๓", []),  # right already
        ("ตลอดปีงบประมาณ", "ตลอดปีงบประมาณ", []),  # no month near
        ("ต.ค. ๖๒", "ต.ค. ๖๒", []),  # abbreviations are too short to guess at
    ],
)
def test_month_names_one_letter_off_are_respelled(text: str, fixed: str, pairs: list) -> None:
    assert respell_months(text) == (fixed, pairs)


def _scanned_plan(header: list[str], rows: list[list[str]]):
    """The plan built from one page of OCR cells (empty strings: empty cells)."""
    from thaiplan.extract.model import Cell, RawDocument, Row, Table
    from thaiplan.families.anticorruption.builder import build_plan

    table = Table(
        tuple(Row(tuple(Cell(t, c, "ocr", 1) for c, t in enumerate(r) if t), page=1) for r in [header, *rows])
    )
    return build_plan(RawDocument(source="scan.pdf", format="pdf", pages=1, tables=(table,)))


def test_respelled_period_parses_and_is_reported() -> None:
    plan = _scanned_plan(
        ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "ปีงบประมาณ ๒๕๖๓", "ช่วงเวลาดำเนินการ"],
        [
            ["๑. การสร้างสังคม", "๑.๑ สร้างจิตสำนึก", "โครงการ ก", "๑๐,๐๐๐", "ตุลาคม - จันวาคม ๒๕๖๒"],
            ["", "๑.๒ สร้างความตระหนัก", "โครงการ ข", "๕,๐๐๐", "มกราคม ๒๕๐๓"],  # ๒๕๖๓ misread
        ],
    )
    first, second = plan.items
    assert (first.period_start, first.period_end) == (date(2019, 10, 1), date(2019, 12, 31))
    assert first.period_text == "ตุลาคม - จันวาคม ๒๕๖๒"  # the source text is kept
    assert (second.period_start, second.period_end) == (None, None)  # 1960 is no date in a 2563 plan
    kinds = {(f.kind, f.item_no) for f in plan.findings}
    assert ("month_respelled", 1) in kinds and ("period_outside_plan", 2) in kinds


def _ocr_plan(header_dimension: str, dimension_cells: list[str]):
    header = [header_dimension, "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)"]
    rows = [[dim, f"{n}.๑ ภารกิจ", f"โครงการ {n}", "๑๐๐"] for n, dim in zip("๑๒๓๔", dimension_cells)]
    return _scanned_plan(header, rows)


@pytest.mark.parametrize("header", ["มิติ", "มต", "NA"])  # มิติ as OCR reads it: marks lost, or junk
def test_dimension_column_found_when_its_header_was_misread(header: str) -> None:
    plan = _ocr_plan(header, ["๑. การสร้างสังคม", "๒. การบริหารราชการ"])
    assert [(m.code, m.title) for m in plan.missions if m.level == 1] == [("1", "การสร้างสังคม"), ("2", "การบริหารราชการ")]


def test_dimension_number_without_its_dot_only_when_next() -> None:
    plan = _ocr_plan("มิติ", ["๑. การสร้างสังคม", "๒ การบริหารราชการ", "", "๙ การเสริมพลัง"])
    dimensions = [(m.code, m.title) for m in plan.missions if m.level == 1]
    assert dimensions[:2] == [("1", "การสร้างสังคม"), ("2", "การบริหารราชการ")]
    assert ("9", "การเสริมพลัง") not in dimensions  # ๙ does not follow ๒: not taken for a number
