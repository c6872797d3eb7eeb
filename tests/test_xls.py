"""Excel workbooks: .xlsx built here with openpyxl, and the real plan's .xls."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from thaiplan.errors import ExtractionError, ThaiplanError, TooLarge, UnsupportedFormat
from thaiplan.extract import doc, docx, xls
from thaiplan.extract.model import RawDocument
from thaiplan.extract.registry import HEAD_BYTES, detect, read_document
from thaiplan.extract.xls_format import display
from thaiplan.settings import Settings

REAL_XLS = ROOT / "tests" / "data" / "real" / "devplan-2556-2558.xls"
REAL_DOC = ROOT / "tests" / "data" / "real" / "devplan-2556-2558.doc"


def _plan_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "แผน"
    ws["A1"] = "แผนปฏิบัติการป้องกันการทุจริต"
    ws.merge_cells("A1:F1")
    ws["A2"] = "องค์การบริหารส่วนตำบลไทรย้อย"
    ws["A4"], ws["B4"], ws["C4"], ws["E4"], ws["F4"] = "ที่", "โครงการ", "งบประมาณ", "ร้อยละ", "วันที่"
    ws.merge_cells("A4:A5")
    ws.merge_cells("C4:D4")
    ws["C5"], ws["D5"] = "2566", "2567"
    ws["A6"] = "1.10"  # a code typed as text
    ws["B6"] = "โครงการส่งเสริมคุณธรรม"
    ws["C6"] = 200000
    ws["C6"].number_format = "#,##0"
    ws["D6"] = 1250.4999999999998
    ws["E6"] = 0.125
    ws["E6"].number_format = "0.0%"
    ws["F6"] = dt.datetime(2023, 10, 1)
    ws["F6"].number_format = "[$-107041E]d mmm yyyy"
    ws["A7"] = "1.2"
    ws["B7"] = "ซ่อน"
    ws.row_dimensions[7].hidden = True
    ws["C8"] = 0
    ws["C8"].number_format = '_-* #,##0_-;\\-* #,##0_-;_-* "-"??_-;_-@_-'
    ws["B8"] = "รวม"
    ws["H8"] = "ซ่อน"
    ws.column_dimensions["H"].hidden = True
    secret = book.create_sheet("ลับ")
    secret["A1"] = "ไม่แสดง"
    secret.sheet_state = "hidden"
    extra = book.create_sheet("สรุป")
    extra["A1"], extra["B1"] = "ยุทธศาสตร์", "รวม"
    book.save(path)
    return path


def _cells(raw: RawDocument, table: int = 0) -> list[list[tuple[int, str]]]:
    return [[(c.col, c.text) for c in row.cells] for row in raw.tables[table].rows]


def test_xlsx_sheet_reads_as_the_sheet_shows_it(tmp_path: Path) -> None:
    raw = read_document(_plan_book(tmp_path / "plan.xlsx"))
    assert raw.format == "xlsx" and raw.read_by == "xls" and raw.pages == 3
    assert [(line.text, line.page) for line in raw.lines] == [
        ("แผนปฏิบัติการป้องกันการทุจริต", 1),
        ("องค์การบริหารส่วนตำบลไทรย้อย", 1),
    ]
    assert len(raw.tables) == 2 and [t.page_first for t in raw.tables] == [1, 3]
    header, years, item, total = raw.tables[0].rows
    assert [(c.text, c.col, c.col_span, c.row_span) for c in header.cells] == [
        ("ที่", 0, 1, 2), ("โครงการ", 1, 1, 1), ("งบประมาณ", 2, 2, 1), ("ร้อยละ", 4, 1, 1), ("วันที่", 5, 1, 1),
    ]  # fmt: skip
    assert [(c.col, c.text) for c in years.cells] == [(2, "2566"), (3, "2567")]
    assert [(c.col, c.text) for c in item.cells] == [
        (0, "1.10"), (1, "โครงการส่งเสริมคุณธรรม"), (2, "200,000"), (3, "1250.5"), (4, "12.5%"), (5, "1 ต.ค. 2566"),
    ]  # fmt: skip
    assert [(c.col, c.text) for c in total.cells] == [(1, "รวม"), (2, "-")]  # the hidden row 7 and column H left out
    assert all(c.method == "xls" and c.page == 1 for row in raw.tables[0].rows for c in row.cells)
    assert {n.kind for n in raw.notes} == {"hidden_sheet", "hidden_cells"}
    assert _cells(raw, 1) == [[(0, "ยุทธศาสตร์"), (1, "รวม")]]


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (200000.0, "#,##0", "200,000"),
        (2000000.0, "#,##0.-", "2,000,000.-"),
        (-1500.0, "#,##0.00", "-1,500.00"),
        (-5.0, "#,##0;(#,##0)", "(5)"),
        (0.0, '_-* #,##0_-;\\-* #,##0_-;_-* "-"??_-;_-@_-', "-"),
        (0.1 + 0.2, "General", "0.3"),
        (41548.0, "General", "41548"),
        (0.5, "0%", "50%"),
        (5.0, '0" บาท"', "5 บาท"),
        (dt.datetime(2013, 10, 1), "d/m/yyyy", "1/10/2013"),
        (dt.datetime(2013, 10, 1), "[$-107041E]d mmmm yyyy", "1 ตุลาคม 2556"),
        (dt.datetime(2013, 10, 1), "d mmm bbbb", "1 Oct 2556"),
        (dt.datetime(2013, 10, 1, 14, 5), "dd/mm/yyyy hh:mm", "01/10/2013 14:05"),
        ("1.10", "General", "1.10"),
    ],
)
def test_display_formats(value: object, code: str, shown: str) -> None:
    assert display(value, code) == shown


def test_real_xls_reads_both_sheets() -> None:
    assert detect(REAL_XLS) is xls
    raw = read_document(REAL_XLS)
    assert raw.format == "xls" and raw.read_by == "xls" and raw.pages == 2 and raw.notes == ()
    summary, details = raw.tables
    assert (summary.page_first, details.page_first) == (1, 2)
    assert (len(summary.rows), len(details.rows)) == (59, 1466)
    assert raw.lines[1].text == "บัญชีสรุปโครงการพัฒนา" and raw.lines[3].text == "องค์การบริหารส่วนตำบลไทรย้อย"
    assert [line.text for line in raw.lines if line.page == 2][-1].startswith("1.1 แนวทางการพัฒนา ก่อสร้างปรับปรุง")
    grand = next(row for row in summary.rows if row.text_at(0) == "รวมทั้งสิ้น")
    assert [grand.text_at(c) for c in range(1, 9)] == [
        "173", "53,959,000", "136", "61,909,000", "154", "74,959,000", "463", "190,827,000",
    ]  # fmt: skip
    header = details.rows[0]
    budget = next(c for c in header.cells if c.text == "งบประมาณและที่มา")
    assert (budget.col, budget.col_span) == (4, 3)
    assert [details.rows[1].text_at(c) for c in (4, 5, 6)] == ["2556", "2557", "2558"]
    first = details.rows[3]
    assert [first.text_at(c) for c in range(5)] == ["1", "โครงการก่อสร้าง ถนน คสล.", "เพื่อให้ประชาชนได้รับความ",
                                                  "จุดที่ 1 กว้าง 3  ม.", "200,000.-"]  # fmt: skip
    stove = next(i for i, row in enumerate(details.rows) if row.text_at(1) == "โครงการจัดซื้อเตาเผาขยะ")
    assert details.rows[stove].text_at(4) == "2,000,000.-" and details.rows[stove + 1].text_at(4) == "(งบอุดหนุน)"
    assert all(c.page == 2 and c.method == "xls" for row in details.rows for c in row.cells)


def test_word_and_excel_sniffs_do_not_claim_each_other(tmp_path: Path) -> None:
    xls_head = REAL_XLS.read_bytes()[:HEAD_BYTES]
    doc_head = REAL_DOC.read_bytes()[:HEAD_BYTES]
    assert xls.sniff(xls_head) and not xls.sniff(doc_head)
    assert xls.is_workbook(REAL_XLS) and not xls.is_workbook(REAL_DOC)
    # an .xlsx whose start names no Excel part (sniffed as a ZIP): docx's read hands it over
    built = _plan_book(tmp_path / "plan.xlsx")
    shuffled = tmp_path / "shuffled.bin"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(shuffled, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename != "xl/styles.xml"):
            target.writestr(info.filename, source.read(info))
    assert docx.read(shuffled).format == "xlsx"
    # an .xls whose OLE directory lies past the first bytes: doc hands it over (before looking for LibreOffice)
    assert doc.read(REAL_XLS).format == "xls"
    # a ZIP that is neither
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "not a plan")
    assert not xls.sniff(other.read_bytes()) and not xls.is_workbook(other)


def _one_line_error(path: Path, kind: type[ThaiplanError], words: str, settings: dict | None = None) -> str:
    with pytest.raises(kind, match=words) as caught:
        read_document(path, settings)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message and "\n" not in caught.value.hint
    return caught.value.hint


def test_bounds_stop_a_workbook_with_one_line(tmp_path: Path) -> None:
    built = _plan_book(tmp_path / "plan.xlsx")
    hint = _one_line_error(
        built, TooLarge, r"too large \(the Excel file: .*more than 20 cells, limits.max_sheet_cells\)",
        {"limits.max_sheet_cells": 20},
    )
    assert "limits.max_sheet_cells" in hint
    _one_line_error(built, TooLarge, r"too large \(the Excel file: 3 sheets, more than 2, limits.max_sheets\)", {"limits.max_sheets": 2})
    _one_line_error(REAL_XLS, TooLarge, r"too large \(the Excel file: 2 sheets, more than 1, limits", {"limits.max_sheets": 1})
    _one_line_error(REAL_XLS, TooLarge, r"too large \(the Excel file: a sheet of 2,229 rows x 30 columns",
                    {"limits.max_sheet_cells": 10_000})  # fmt: skip
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/media/image1.bin", bytes(3 << 20))  # 3 MB of zeros, a few KB packed
    hint = _one_line_error(bomb, TooLarge, r"too large \(the Excel file: its part xl/media/image1.bin unpacks to more than 1 MB",
                           {"limits.max_part_mb": 1})  # fmt: skip
    assert "limits.max_part_mb" in hint
    assert read_document(bomb).tables  # the default bound lets it through
    wide = tmp_path / "wide_merge.xlsx"  # one merge over 100,000 rows: openpyxl would make a cell for each
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(wide, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                body = body.replace(
                    b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:Z100000"/></mergeCells>'
                )
            target.writestr(info, body)
    _one_line_error(wide, TooLarge, r"too large \(the Excel file: a sheet of at least 100,000 rows x 26 columns")
    with pytest.raises(ThaiplanError, match="limits.max_sheet_cells must be"):
        Settings.resolve({"limits.max_sheet_cells": 0})


def test_damaged_workbooks_give_one_clear_line(tmp_path: Path) -> None:
    data = _plan_book(tmp_path / "plan.xlsx").read_bytes()
    real = REAL_XLS.read_bytes()
    sheet = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(sheet, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, body[: len(body) // 2] if info.filename == "xl/worksheets/sheet1.xml" else body)
    cases = {
        "truncated.xlsx": data[: len(data) // 2],
        "bad_sheet.xlsx": sheet.getvalue(),
        "truncated.xls": real[: len(real) // 2],
        "mangled.xls": real[:4096] + bytes(200_000) + real[204_096:],
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        hint = _one_line_error(path, ExtractionError, "the Excel file is damaged or incomplete")
        assert "save it again as .xlsx" in hint


def test_encrypted_or_binary_workbooks_say_so(tmp_path: Path) -> None:
    xlsb = tmp_path / "book.xlsb"
    with zipfile.ZipFile(xlsb, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.ms-excel.sheet.binary.'
                         'macroEnabled.main"/></Types>')  # fmt: skip
        archive.writestr("xl/workbook.bin", b"\0" * 10)
    assert detect(xlsb) is xls
    _one_line_error(xlsb, UnsupportedFormat, r"an Excel binary workbook \(.xlsb\)")


def test_thaiplan_text_shows_the_rows_of_the_real_xls() -> None:
    result = subprocess.run([sys.executable, "-m", "thaiplan", "text", str(REAL_XLS)], capture_output=True,
                            text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "=== page 1 ===" in out and "=== page 2 ===" in out
    assert "รวมทั้งสิ้น\t173\t53,959,000\t136\t61,909,000\t154\t74,959,000\t463\t190,827,000" in out
    assert "19\tโครงการจัดซื้อเตาเผาขยะ\tเพื่อให้การเผาขยะมูลฝอย\tจำนวน 1 เตา\t2,000,000.-\t-\t-" in out


def test_real_xls_converts_as_a_development_plan() -> None:
    """A development plan: read by the development family (tests/test_development.py
    checks its projects and summary), none of its tables taken for anti-corruption rows."""
    from thaiplan.pipeline import convert_file

    result = convert_file(REAL_XLS)
    assert result.ok, result.error
    assert (result.plan.family, result.plan.read_by, len(result.plan.items)) == ("development", "xls", 326)
    assert not any(f.kind == "not_a_plan_table" for f in result.findings)
    assert result.plan.organization == "องค์การบริหารส่วนตำบลไทรย้อย"


def test_the_seed_plan_as_a_workbook_reads_like_its_docx(tmp_path: Path) -> None:
    """The seed plan's Word table copied cell for cell (merges too) into a sheet gives the same plan."""
    from tests.builders import build_docx, seed_rows
    from thaiplan.pipeline import convert_file

    source = build_docx(tmp_path / "seed.docx", *seed_rows())
    raw = docx.read(source)
    book = openpyxl.Workbook()
    ws = book.active
    for number, line in enumerate(raw.lines, 1):
        ws.cell(number, 1, line.text)
    number = len(raw.lines)
    for row in raw.tables[0].rows:
        number += 1
        for cell in row.cells:
            ws.cell(number, cell.col + 1, cell.text)
            if cell.col_span > 1 or cell.row_span > 1:
                ws.merge_cells(start_row=number, start_column=cell.col + 1, end_row=number + cell.row_span - 1,
                               end_column=cell.col + cell.col_span)  # fmt: skip
    book.save(tmp_path / "seed.xlsx")
    word, excel = convert_file(source), convert_file(tmp_path / "seed.xlsx")
    assert excel.ok, excel.error
    assert excel.plan.read_by == "xls" and len(excel.plan.items) == 38
    fields = ("code", "dimension", "type", "name", "budgets", "period_start", "period_end", "remark", "label")
    assert [[getattr(i, f) for f in fields] for i in excel.plan.items] == [
        [getattr(i, f) for f in fields] for i in word.plan.items
    ]
    assert [f.kind for f in excel.findings] == [f.kind for f in word.findings]
    assert (excel.plan.organization, excel.plan.fiscal_years) == (word.plan.organization, word.plan.fiscal_years)


def test_formulas_without_a_saved_value_are_named(tmp_path: Path) -> None:
    """openpyxl (like other writers) saves formulas without their values: they read empty, with a note."""
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"], ws["B1"] = "รายการ", "งบประมาณ"
    ws["A2"], ws["B2"] = "ก", 100
    ws["A3"], ws["B3"] = "รวม", "=SUM(B2:B2)"
    book.save(tmp_path / "formula.xlsx")
    raw = read_document(tmp_path / "formula.xlsx")
    assert _cells(raw) == [[(0, "รายการ"), (1, "งบประมาณ")], [(0, "ก"), (1, "100")], [(0, "รวม")]]
    (note,) = raw.notes
    assert note.kind == "formulas_unsaved" and note.message.startswith("1 formula cell(s) have no saved value")
    assert "formulas_unsaved" not in {n.kind for n in read_document(_plan_book(tmp_path / "plan.xlsx")).notes}


def _ole_head(*names: str) -> bytes:
    """An OLE file's first bytes: the header, then directory entries with these stream names."""
    entries = b""
    for name in names:
        encoded = name.encode("utf-16-le") + b"\0\0"
        entries += encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + b"\x02" + b"\0" * 61
    return xls.OLE_MAGIC + b"\0" * 504 + entries


def test_an_embedded_workbook_does_not_make_an_excel_file() -> None:
    assert xls.sniff(_ole_head("Workbook", "\x05SummaryInformation")) and xls.sniff(_ole_head("Book"))
    assert not xls.sniff(_ole_head("WordDocument", "1Table", "Workbook"))
    assert not xls.sniff(_ole_head("PowerPoint Document", "Workbook"))
    assert not xls.sniff(_ole_head("EncryptionInfo", "EncryptedPackage"))
