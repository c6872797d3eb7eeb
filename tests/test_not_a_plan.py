"""Documents that are not plans all end the same way (issue 14): status
`not_a_plan`, exit 0, with their format, pages, how they were read and the
header words seen; no metadata taken from running text."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pytest

from thaiplan.cli import main
from thaiplan.extract.model import Line
from thaiplan.normalize.metadata import read_metadata

REAL = Path(__file__).parent / "data" / "real"


def _documents(out: Path) -> list[dict[str, str]]:
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _findings(out: Path) -> list[dict[str, str]]:
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_national_budget_volume_is_not_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """288 pages of budget tables (was 'converted' with a warning, title and fiscal
    year taken from a heading on page 40-something)."""
    source = REAL / "budget2565_doc3_vol14.pdf"
    assert main(["convert", str(source), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    (row,) = _documents(tmp_path / "out")
    assert (row["status"], row["format"], row["pages"], row["read_by"], row["family"]) == \
        ("not_a_plan", "pdf", "288", "pdf", "")  # fmt: skip
    assert row["error"].startswith("150 table(s) found, none an anti-corruption plan table")
    assert "งบประมาณ" in row["error"] and "หน่วยนับ" in row["error"]  # the header words seen
    # nothing guessed from running text; the year is the cover's own (ประจำปีงบประมาณ พ.ศ. ๒๕๖๕), readable
    # since the Acrobat letter-spacing is gone (extract/pdf_chars.py)
    assert row["title"] == "" and row["organization"] == "" and row["fiscal_year_first"] == "2565"
    assert any(f["kind"] == "not_a_plan_table" for f in _findings(tmp_path / "out"))


def test_a_document_without_tables_is_not_a_plan_with_what_was_read(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    letter = tmp_path / "letter.txt"
    letter.write_text("ประกาศองค์การบริหารส่วนตำบลไทรย้อย\nเรื่อง การรับสมัครพนักงาน\n", encoding="utf-8")
    good = Path(__file__).resolve().parents[1] / "samples" / "000_8b3bc95f51f4a1e5.txt"
    assert main(["convert", str(letter), str(good), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    rows = {Path(r["source"]).name: r for r in _documents(tmp_path / "out")}
    assert rows[good.name]["status"] == "converted"
    row = rows["letter.txt"]
    assert (row["status"], row["format"], row["pages"], row["items"]) == ("not_a_plan", "text", "", "0"), row  # a text file has no pages
    assert row["error"] == "no table with plan headers (มิติ, ภารกิจ, โครงการ, งบประมาณ) was found"
    assert row["organization"] == "องค์การบริหารส่วนตำบลไทรย้อย"  # its own title block names it
    # the reports list it with what was found, apart from the plans and the failures
    report_md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "2 file(s): 1 converted, 1 not a plan table, 0 failed" in report_md
    section = report_md.split("## Files that hold no plan table")[1].split("\n#")[0]
    assert f"| {letter} | text |  | no table with plan headers (มิติ, ภารกิจ, โครงการ, งบประมาณ) was found |" in section
    index = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "1 ไม่ใช่ตารางแผน" in index
    listed = index.split("<h2 id='not_plans'>ไฟล์ที่ไม่มีตารางแผน</h2>")[1]
    table = listed.split("</table>")[0]
    assert html.escape(str(letter)) in table and "no table with plan headers" in table and good.name not in table


def test_metadata_comes_from_the_title_block_only() -> None:
    lines = [Line("แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๓", 1), Line("เทศบาลตำบลแม่กลอง", 1),
             Line("ตามระเบียบกระทรวงมหาดไทย พ.ศ. ๒๕๔๘ ให้ อบต. ทั้งหมด จัดทำแผน", 2), Line("อบต. จัดซื้อเอง", 3)]  # fmt: skip
    meta = read_metadata(lines)
    assert (meta.organization, meta.fiscal_years) == ("เทศบาลตำบลแม่กลอง", (2563,))
    running = read_metadata([Line("บทนำ", 1), *lines[2:]])  # no title block of its own: nothing guessed
    assert (running.title, running.organization, running.fiscal_years) == ("", "", ())
    regulation = read_metadata([Line("แผนการดำเนินงาน", 1), Line("ตามระเบียบกระทรวงมหาดไทย พ.ศ. ๒๕๔๘", 1)])
    assert regulation.fiscal_years == ()  # a regulation's year is not the plan's
