"""The 5-year development plan of tests/plan_factory.py laid out as an official types it (DOCX, PDF).

The summary table (แบบ ผ.01, บัญชีสรุปโครงการพัฒนา) comes first, then for each guideline its
strategy and guideline headings and a detail table (แบบ ผ.02): ที่ | โครงการ | วัตถุประสงค์ |
เป้าหมาย (ผลผลิตของโครงการ) | งบประมาณ 2566 … 2570 under one merged header | ตัวชี้วัด (KPI) |
ผลลัพธ์ที่คาดว่าจะได้รับ | หน่วยงานรับผิดชอบหลัก. A project with parts takes one row per part
(จุดที่ ๑, ๒ …), ที่ and the project's texts in its first row only; a budget cell prints the
amount and, under it, its funding source (`200,000` / `(งบ อบต.)`), or `-`. Some figures are in
Thai digits. `rules=False` draws no horizontal rules between body rows (the PDF variant).

    python -m tests.devplan_docx             # rewrites tests/data/devplan_2566-2570.{docx,pdf}
    python -m tests.devplan_docx --samples   # and copies them to samples/ (then make their goldens)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from tests.builders import ROOT, TableLayout, _write, landscape_a4, to_pdf
from tests.plan_factory import DevPlan, DevProject, five_year_plan
from thaiplan.thai import to_thai

# The test copies (tests/data) and the shipped samples (samples/, converted by `make output`).
TEST_FILES = (ROOT / "tests" / "data" / "devplan_2566-2570.docx", ROOT / "tests" / "data" / "devplan_2566-2570.pdf")
SAMPLES = (ROOT / "samples" / "devplan_2566-2570.docx", ROOT / "samples" / "devplan_2566-2570.pdf")
LAYOUT = TableLayout(
    "Garuda", (0.9, 4.0, 3.4, 3.2, *(1.7,) * 5, 2.6, 2.6, 1.9), 1.2, merged=True, style_font=False, size_pt=10
)
SUMMARY_CM = (6.5, *(1.2, 2.1) * 6)


def _amount(value: int | None, thai: bool) -> str:
    if value is None:
        return ""
    if value == 0:
        return "-"
    return to_thai(f"{value:,}") if thai else f"{value:,}"


def _table(document: Document, widths: tuple[float, ...], rows: int, rules: bool = True) -> Table:
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False
    for col, width in enumerate(widths):
        table.columns[col].width = Cm(width)
        for cell in table.columns[col].cells:
            cell.width = Cm(width)
    if not rules:
        _no_inner_horizontal(table)
    return table


def _no_inner_horizontal(table: Table) -> None:
    """Outer frame and column rules only: rows are told apart by their content, not by lines."""
    borders = OxmlElement("w:tblBorders")
    for side, value in (
        ("top", "single"),
        ("left", "single"),
        ("bottom", "single"),
        ("right", "single"),
        ("insideH", "nil"),
        ("insideV", "single"),
    ):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), value)
        if value == "single":
            element.set(qn("w:sz"), "4")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _put(table: Table, row: int, col: int, lines: list[str]) -> None:
    cell = table.cell(row, col)
    _write(cell.paragraphs[0], lines[0] if lines else "", LAYOUT)
    for line in lines[1:]:
        _write(cell.add_paragraph(), line, LAYOUT)


def _heading(document: Document, text: str) -> None:
    _write(document.add_paragraph(), text, LAYOUT)


def _summary(document: Document, plan: DevPlan) -> None:
    _heading(document, "แบบ ผ.01")
    _heading(document, "บัญชีสรุปโครงการพัฒนา")
    _heading(document, f"{plan.title} {plan.organization}")
    printed = plan.printed()
    body: list[list[str]] = []
    titles = {g.code: g.title for g in plan.guidelines}
    for strategy in plan.strategies:
        body.append([f"{to_thai(strategy.code)}) ยุทธศาสตร์{strategy.title}"] + [""] * 12)
        for scope in [g.code for g in strategy.guidelines] + [strategy.code]:
            label = f"{to_thai(scope)} {titles[scope]}" if scope in titles else "รวม"
            body.append([label] + _figures(plan, printed, scope, thai=scope == strategy.code))
    body.append(["รวมทั้งสิ้น"] + _figures(plan, printed, "all", thai=False))
    table = _table(document, SUMMARY_CM, 2 + len(body))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table.cell(0, 0).merge(table.cell(1, 0))
    _put(table, 0, 0, ["ยุทธศาสตร์"])
    for k, label in enumerate([f"ปี {to_thai(str(y))}" for y in plan.years] + ["รวม ๕ ปี"]):
        table.cell(0, 1 + 2 * k).merge(table.cell(0, 2 + 2 * k))
        _put(table, 0, 1 + 2 * k, [label])
        _put(table, 1, 1 + 2 * k, ["จำนวน", "โครงการ"])
        _put(table, 1, 2 + 2 * k, ["งบประมาณ", "(บาท)"])
    for r, row in enumerate(body, start=2):
        for c, text in enumerate(row):
            _put(table, r, c, [text])


def _figures(plan: DevPlan, printed: dict, scope: str, thai: bool) -> list[str]:
    out = []
    for year in (*plan.years, None):
        count, amount = printed[(scope, year, "projects")], printed[(scope, year, "amount")]
        out += [to_thai(str(count)) if thai else str(count), _amount(amount, thai) if amount else "-"]
    return out


def _detail_header(table: Table, years: tuple[int, ...]) -> None:
    for col, words in (
        (0, ["ที่"]),
        (1, ["โครงการ"]),
        (2, ["วัตถุประสงค์"]),
        (3, ["เป้าหมาย", "(ผลผลิตของโครงการ)"]),
        (9, ["ตัวชี้วัด", "(KPI)"]),
        (10, ["ผลลัพธ์ที่คาด", "ว่าจะได้รับ"]),
        (11, ["หน่วยงาน", "รับผิดชอบหลัก"]),
    ):
        table.cell(0, col).merge(table.cell(1, col))
        _put(table, 0, col, words)
    table.cell(0, 4).merge(table.cell(0, 8))
    _put(table, 0, 4, ["งบประมาณและที่มา"])
    for k, year in enumerate(years):
        _put(table, 1, 4 + k, [str(year), "(บาท)"])
    for row in (0, 1):
        table.rows[row]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _project_rows(project: DevProject, thai: bool) -> list[list[list[str]]]:
    rows = []
    for index, part in enumerate(project.parts):
        budgets = [[_amount(b, thai), f"({part.source})"] if b else [_amount(b, thai)] for b in part.budgets]
        first = index == 0
        number = to_thai(str(project.no)) if thai else str(project.no)
        rows.append(
            [
                [number if first else ""],
                [project.name if first else ""],
                [project.objective if first else ""],
                [part.target],
                *budgets,
                [project.kpi if first else ""],
                [project.result if first else ""],
                [project.unit if first else ""],
            ]
        )
    return rows


def build_devplan_docx(path: Path, plan: DevPlan | None = None, rules: bool = True) -> Path:
    """The plan as a landscape DOCX (summary, then one detail table per guideline)."""
    plan = plan or five_year_plan()
    document = Document()
    landscape_a4(document, Cm(LAYOUT.margin_cm), ("left", "right", "top", "bottom"))
    _summary(document, plan)
    for s_index, strategy in enumerate(plan.strategies):
        for guideline in strategy.guidelines:
            document.add_page_break()
            _heading(document, "แบบ ผ.02")
            _heading(document, f"รายละเอียดโครงการพัฒนา {plan.title}")
            _heading(document, f"ยุทธศาสตร์ที่ {to_thai(strategy.code)} {strategy.title}")
            _heading(document, f"{guideline.code} แนวทาง{guideline.title}")
            body = [row for p in guideline.projects for row in _project_rows(p, thai=s_index == 1)]
            table = _table(document, LAYOUT.column_cm, 2 + len(body), rules=rules)
            _detail_header(table, plan.years)
            for r, row in enumerate(body, start=2):
                for c, lines in enumerate(row):
                    _put(table, r, c, lines)
    document.styles["Normal"].paragraph_format.space_after = Pt(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def build_devplan_pdf(path: Path, plan: DevPlan | None = None) -> Path:
    """The plan through LibreOffice's PDF export, without horizontal rules between body rows."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(build_devplan_docx(Path(tmp) / (path.stem + ".docx"), plan, rules=False), Path(tmp))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, path)
    return path


def write_samples(to_samples: bool = False) -> list[Path]:
    """Rebuild the DOCX and the PDF in tests/data (and copy them to samples/ when asked: each sample
    there needs its golden, made once the development family reads it). The PDF is LibreOffice's."""
    docx_path, pdf_path = TEST_FILES
    build_devplan_docx(docx_path)
    build_devplan_pdf(pdf_path)
    if not to_samples:
        return list(TEST_FILES)
    for source, copy in zip(TEST_FILES, SAMPLES):
        shutil.copyfile(source, copy)
    return [*TEST_FILES, *SAMPLES]


if __name__ == "__main__":
    for sample in write_samples(to_samples="--samples" in sys.argv):
        print(sample)
