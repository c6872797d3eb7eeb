"""Build the truth list of the real development plan from its three forms, independently of thaiplan.

    python bench/devplan_truth.py compare   # read the XLS, the DOC and the PDF, print every disagreement
    python bench/devplan_truth.py write     # also write tests/data/real/devplan-2556-2558.truth.json

Each form is read with its own library, never with thaiplan: the workbook with
xlrd (sheet รายละเอียด, one sheet row per printed line; sheet บัญชี, the summary),
the Word file converted to DOCX by LibreOffice and walked with python-docx (one
table row per printed line, as in the workbook), the PDF with pdfplumber (chars
by line and by the column rules the page draws). The same assembler then makes
projects of the lines: a project starts where ที่ has a number, a part where a
budget cell holds an amount or `-`. The PDF's text layer garbles Thai (marks out
of order, ำ split), so PDF text is compared by its consonants and digits only.

The truth is written from the DOC (uncorrupted text) once every disagreement has
been looked at; `RESOLVED` lists how each was settled (by the page images).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real"
XLS = REAL / "devplan-2556-2558.xls"
DOC = REAL / "devplan-2556-2558.doc"
PDF = REAL / "devplan-2556-2558.pdf"
TRUTH = REAL / "devplan-2556-2558.truth.json"
YEARS = (2556, 2557, 2558)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Columns of the detail table: ที่, โครงการ, วัตถุประสงค์, เป้าหมาย, 2556, 2557, 2558, ผลลัพธ์, หน่วยงาน.
NO, NAME, OBJECTIVE, TARGET, Y1, Y2, Y3, RESULT, UNIT = range(9)
AMOUNT = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:\.-|-\.|\.?\s*-)?\s*$")
DASH = re.compile(r"^\s*-\s*$")
SOURCE = re.compile(r"^\s*\((.*)\)\s*$")
PART = re.compile(r"^\s*จุ[ดก](?:ที่)?\s*([0-9]+)")  # จุกที่ ๑: a typo the plan prints once (2.1 no. 14)


@dataclass
class Line:
    """One printed line of the detail table (or a heading above it)."""

    ref: str  # where: sheet row, DOC table row or PDF page:line
    cells: list[str] = field(default_factory=list)
    heading: str = ""  # a strategy/guideline heading line's text


@dataclass
class Part:
    label: str
    lines: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    budgets: list[dict | None] = field(default_factory=lambda: [None, None, None])
    ref: str = ""


@dataclass
class Project:
    strategy: str
    guideline: str
    no: int
    ref: str
    lines: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    parts: list[Part] = field(default_factory=list)


def clean(text: object) -> str:
    if isinstance(text, float):
        text = f"{text:.0f}" if text == int(text) else str(text)
    return re.sub(r"\s+", " ", str(text).replace("\xa0", " ")).strip()


# ---------------------------------------------------------------- readers


def xls_lines(path: Path = XLS) -> list[Line]:
    import xlrd

    sheet = xlrd.open_workbook(str(path)).sheet_by_name("รายละเอียด")
    lines = []
    for r in range(sheet.nrows):
        cells = [clean(sheet.cell_value(r, c)) for c in range(min(9, sheet.ncols))]
        lines.append(_line(f"xls:{r + 1}", cells))
    return lines


def docx_of(doc: Path, folder: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "docx",
                    "--outdir", str(folder), str(doc)], check=True, capture_output=True)  # fmt: skip
    return folder / (doc.stem + ".docx")


def doc_lines(path: Path = DOC) -> list[Line]:
    import docx
    from docx.oxml.ns import qn

    with tempfile.TemporaryDirectory(prefix="factory_doc") as tmp:
        body = docx.Document(str(docx_of(path, Path(tmp)))).element.body
    lines = []
    for t, table in enumerate(body.iter(qn("w:tbl"))):
        if "รายละเอียดโครงการพัฒนา" not in "".join(x.text or "" for x in table.iter(qn("w:t"))):
            continue  # the population and strategy tables of the plan's first part
        for r, tr in enumerate(table.iter(qn("w:tr"))):
            cells: list[str] = []
            for tc in tr.iterchildren(qn("w:tc")):
                span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                paras = ["".join(x.text or "" for x in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
                cells.append(clean(" ".join(paras)))
                cells += [""] * (int(span.get(qn("w:val"))) - 1 if span is not None else 0)
            lines.append(_line(f"doc:t{t + 1}r{r + 1}", cells[:9]))
    return lines


def pdf_lines(path: Path = PDF) -> list[Line]:
    """Lines of every table page: chars grouped by their line, cut at the page's column rules."""
    import pdfplumber

    lines = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rules = sorted({round(r["x0"]) for r in page.rects if r["width"] < 2 and r["height"] > 5})
            rules = [x for i, x in enumerate(rules) if i == 0 or x - rules[i - 1] > 3]
            if len(rules) != 10:
                continue  # not a detail-table page
            for index, chars in enumerate(_bands(page.chars)):
                text = clean("".join(c["text"] for c in chars))
                sk = skeleton(text)
                if not sk or sk.startswith(PDF_SKIP):
                    continue  # the page title and the repeated table header
                if chars[0]["x0"] < rules[2] and is_heading(text):
                    lines.append(Line(f"pdf:{number}:{index}", [], heading=text))
                    continue
                if sk in PDF_SKIP_LINES:
                    continue
                cells = [""] * 9
                for col in range(9):
                    inside = [c for c in chars if rules[col] <= (c["x0"] + c["x1"]) / 2 < rules[col + 1]]
                    cells[col] = clean("".join(c["text"] for c in inside))
                for col in (Y1, Y2, Y3):  # an amount's digits drawn in two runs: "300,0 00.-"
                    cells[col] = re.sub(r"(?<=[0-9,]) (?=[0-9])", "", cells[col])
                lines.append(_line(f"pdf:{number}:{index}", cells))
            _join_wrapped_amounts(lines)
    return lines


def _join_wrapped_amounts(lines: list[Line]) -> None:
    """A narrow budget cell wraps `200,000.-` as `200,000` over `.-`: the amount belongs to the lower line."""
    body = [line for line in lines if line.cells]
    for upper, lower in zip(body, body[1:]):
        for col in (Y1, Y2, Y3):
            if re.fullmatch(r"[0-9][0-9,]*", upper.cells[col]) and re.fullmatch(r"\.?-\.?", lower.cells[col]):
                lower.cells[col], upper.cells[col] = upper.cells[col] + ".-", ""


def _bands(chars: list[dict]) -> list[list[dict]]:
    """Chars grouped into printed lines (marks sit up to ~0.3 pt off their line), each sorted by x."""
    bands: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if bands and char["top"] - bands[-1][0]["top"] < 3:
            bands[-1].append(char)
        else:
            bands.append([char])
    return [sorted(b, key=lambda c: c["x0"]) for b in bands]


def _line(ref: str, cells: list[str]) -> Line:
    cells = (cells + [""] * 9)[:9]
    first = cells[0]
    if first and not any(cells[1:]) and not first.isdigit():
        return Line(ref, [], heading=first)
    return Line(ref, cells)


# ---------------------------------------------------------------- assembling

STRATEGY = (re.compile(r"^([0-9]+)\s*\.\s*ยุทธศาสตร์\s*(.*)$"), re.compile(r"^ยุทธศาสตร์ที่\s*([0-9]+)\s*(.*)$"))
GUIDELINE = (re.compile(r"^([0-9]+)\.([0-9]+)\s+(.*)$"), re.compile(r"^แนวทางที่\s*([0-9]+)\s*(.*)$"))
# Skeletons of the page title and header lines (skipped in the PDF, whose header words break across cells).
PDF_SKIP = ("รยลอยดครงกรพฒน", "ผนพฒนสมปพศ2556ถง2558", "องคกรบรหรสวนตบลทรยอย", "ทครงกรวตถปรสงค", "ผลผลตของ2556")
PDF_SKIP_LINES = ("ท", "รบผดชบ", "ครงกรบทบทบท")
HEADER_WORDS = ("ที่", "วัตถุประสงค์", "(ผลผลิตของ", "โครงการ)")


def skeleton(text: str) -> str:
    """Consonants, digits and Latin letters only: what survives the PDF's garbling."""
    return "".join(re.findall(r"[ก-ฮ0-9A-Za-z]", text.translate(THAI_DIGITS)))


def is_heading(text: str) -> bool:
    sk = skeleton(text)
    return bool(re.match(r"^([0-9]+ยทธศสตร|ยทธศสตรท[0-9]|นวทงท[0-9])", sk) or re.match(r"^[0-9]+\.[0-9]+\s*แนว", text))


def heading_of(text: str, strategy: str) -> tuple[str, str, str] | None:
    """(kind, code, title) of a heading line, or None. PDF text: matched on its skeleton."""
    for pattern in STRATEGY:
        if m := pattern.match(text):
            return "strategy", m.group(1), clean(m.group(2))
    for pattern in GUIDELINE:
        if (m := pattern.match(text)) and len(m.groups()) == 3:
            return "guideline", f"{m.group(1)}.{m.group(2)}", clean(m.group(3))
        if m and strategy:
            return "guideline", f"{strategy}.{m.group(1)}", clean(m.group(2))
    sk = skeleton(text)
    if m := re.match(r"^([0-9]+)ยทธศสตร", sk) or re.match(r"^ยทธศสตรท([0-9]+)", sk):
        return "strategy", m.group(1), sk
    if m := re.match(r"^นวทงท([0-9]+)", sk):
        return "guideline", f"{strategy}.{m.group(1)}", sk
    if m := re.match(r"^\s*([0-9]+)\.([0-9]+)", text.translate(THAI_DIGITS)):
        return "guideline", f"{m.group(1)}.{m.group(2)}", sk
    return None


def budget_of(amount: str) -> dict:
    m = AMOUNT.match(amount)
    value = int(float(m.group(1).replace(",", ""))) if m else 0
    return {"amount": value, "source": "", "printed": clean(amount)}


def assemble(lines: list[Line]) -> tuple[dict[str, str], dict[str, str], list[Project], list[str]]:
    strategies: dict[str, str] = {}
    guidelines: dict[str, str] = {}
    titles: dict[str, set[str]] = defaultdict(set)
    projects: list[Project] = []
    notes: list[str] = []
    strategy = guideline = ""
    project: Project | None = None
    part: Part | None = None
    sources = ["", "", ""]
    previous: Line | None = None
    owners: list[dict[int, list[str]]] = []  # where the last line's target text went
    for line in lines:
        before, previous = previous, line
        if line.heading:
            found = heading_of(line.heading, strategy)
            if found:
                kind, code, title = found
                if kind == "strategy":
                    if code != strategy:
                        project = part = None
                    strategy = code
                    strategies.setdefault(code, title)
                else:
                    guideline = code
                    guidelines.setdefault(code, title)
                titles[code].add(title)
            continue
        cells = line.cells
        if (
            not any(cells)
            or cells[NO] == "ที่"
            or cells[TARGET] in HEADER_WORDS
            or cells[Y1] in ("2556", "(บาท)")
            or cells[Y1].startswith("งบประมาณ")
            or skeleton(cells[TARGET]) in ("ผลผลตขง", "ครงกร", "ปหมย")
        ):
            continue
        if cells[NO] and not (m := re.match(r"^([0-9]+)\.?$", cells[NO].translate(THAI_DIGITS))):
            notes.append(f"{line.ref}: ที่ column holds {cells[NO]!r}: {cells}")
        elif cells[NO]:
            no = int(m.group(1))
            project = Project(strategy, guideline, no, line.ref)
            projects.append(project)
            part = None
        if project is None:
            notes.append(f"{line.ref}: a line before any project: {cells}")
            continue
        budget_cells = cells[Y1 : Y3 + 1]
        if any(AMOUNT.match(c) or DASH.match(c) for c in budget_cells):
            label = m.group(1) if (m := PART.match(cells[TARGET].translate(THAI_DIGITS))) else ""
            moved = []
            if (
                not label
                and before is not None
                and before.cells
                and not any(before.cells[Y1 : Y3 + 1])
                and (m := PART.match(before.cells[TARGET].translate(THAI_DIGITS)))
            ):
                # the PDF centres cells vertically: a part's first target line can stand above its amounts
                label, moved = m.group(1), [before.cells[TARGET]]
                for owner in owners:
                    owner[TARGET].pop()
            part = Part(label, ref=line.ref)
            part.lines[TARGET] += moved
            project.lines[TARGET] += moved
            project.parts.append(part)
            sources = ["", "", ""]
        for k, c in enumerate(budget_cells):
            if not c:
                continue
            if AMOUNT.match(c) or DASH.match(c):
                part.budgets[k] = budget_of(c)
            elif part is not None and part.budgets[k] is not None and (c.startswith("(") or sources[k]):
                # a funding source under its amount, sometimes wrapped over two lines
                sources[k] = clean(f"{sources[k]} {c}")
                if m := SOURCE.match(sources[k]):
                    part.budgets[k]["source"] = clean(m.group(1))
            else:
                notes.append(f"{line.ref}: budget text {c!r} where no amount is above it: {cells}")
        owners = [project.lines] + ([part.lines] if part is not None else [])
        for col in (NAME, OBJECTIVE, TARGET, RESULT, UNIT):
            if cells[col]:
                project.lines[col].append(cells[col])
                if part is not None and col in (TARGET, RESULT, UNIT):
                    part.lines[col].append(cells[col])
        if not cells[TARGET]:
            owners = []
    for code, seen in titles.items():
        if len(seen) > 1:
            notes.append(f"heading {code} printed with {len(seen)} titles: {sorted(seen)}")
    return strategies, guidelines, projects, notes


# ---------------------------------------------------------------- the summary sheet


def summary_rows(path: Path = XLS) -> list[dict]:
    """Every figure of sheet บัญชี as printed (cells formatted #,##0), with the row it stands in."""
    import xlrd

    sheet = xlrd.open_workbook(str(path)).sheet_by_name("บัญชี")
    rows, strategy = [], ""
    for r in range(sheet.nrows):
        label = clean(sheet.cell_value(r, 0))
        values = [sheet.cell_value(r, c) for c in range(1, 9)]
        if m := re.match(r"^([0-9]+)\)", label):
            strategy = m.group(1)
            continue
        if all(v == "" for v in values):
            continue
        if m := re.match(r"^([0-9]+\.[0-9]+)\s", label):
            scope = m.group(1)
        elif label == "รวม":
            scope = strategy
        elif label == "รวมทั้งสิ้น":
            scope = "all"
        else:
            continue  # the column header rows
        for index, year in enumerate((*YEARS, None)):
            rows.append(
                {
                    "row": r + 1,
                    "label": label,
                    "scope": scope,
                    "fiscal_year": year,
                    "projects": int(float(values[2 * index])),
                    "amount": int(float(values[2 * index + 1])),
                }
            )
    return rows


def computed_figures(projects: list[dict]) -> dict[tuple[str, int | None, str], int]:
    """(scope, year or None, quantity) -> the figure the details give: a project counts once in a year
    in which its parts' budgets add up to more than 0; amounts add; the all-years column adds the years."""
    figures: dict[tuple[str, int | None, str], int] = defaultdict(int)
    for project in projects:
        for year in YEARS:
            amount = sum(part["budgets"][str(year)]["amount"] or 0 for part in project["parts"])
            for scope in (project["guideline"], project["strategy"], "all"):
                for key in ((scope, year), (scope, None)):
                    figures[(*key, "projects")] += 1 if amount > 0 else 0
                    figures[(*key, "amount")] += amount
    return figures


def reconcile(summary: list[dict], projects: list[dict]) -> list[dict]:
    figures = computed_figures(projects)
    checks = []
    for row in summary:
        for quantity in ("projects", "amount"):
            stated, computed = row[quantity], figures[(row["scope"], row["fiscal_year"], quantity)]
            checks.append(
                {
                    "table": "summary",
                    "scope": row["scope"],
                    "quantity": quantity,
                    "fiscal_year": row["fiscal_year"],
                    "stated": stated,
                    "computed": computed,
                    "difference": stated - computed,
                    "status": "ok" if stated == computed else "mismatch",
                    "row": row["row"],
                }
            )
    return checks


def internal_checks(summary: list[dict]) -> list[dict]:
    """The summary against itself: each รวม row against its guideline rows, รวมทั้งสิ้น against the รวม rows,
    and the รวม ๓ ปี column against the three years."""
    by = {(r["scope"], r["fiscal_year"]): r for r in summary}
    out = []
    for (scope, year), row in by.items():
        for quantity in ("projects", "amount"):
            if year is None:
                parts = [by[(scope, y)][quantity] for y in YEARS]
                out.append(("years", scope, year, quantity, row[quantity], sum(parts)))
            children = [
                r
                for (s, y), r in by.items()
                if y == year
                and (
                    (scope == "all" and "." not in s and s != "all") or (s.startswith(scope + ".") and "." not in scope)
                )
            ]
            if children and scope != "all" or scope == "all":
                out.append(("rows", scope, year, quantity, row[quantity], sum(c[quantity] for c in children)))
    return [
        {"check": c, "scope": s, "fiscal_year": y, "quantity": q, "stated": a, "computed": b, "difference": a - b}
        for c, s, y, q, a, b in out
        if a != b
    ]


# ---------------------------------------------------------------- the truth file


def truth_projects(strategies: dict, guidelines: dict, projects: list[Project]) -> list[dict]:
    def text(lines: list[str]) -> str:
        return clean(" ".join(lines))

    out = []
    for p in projects:
        parts = []
        for index, q in enumerate(p.parts, start=1):
            parts.append(
                {
                    "index": index,
                    "part": q.label,
                    "target": text(q.lines[TARGET]),
                    "expected_result": text(q.lines[RESULT]),
                    "responsible_unit": text(q.lines[UNIT]),
                    "budgets": {
                        str(y): (
                            {"amount": b["amount"], "source": b["source"], "printed": b["printed"]}
                            if b
                            else {"amount": None, "source": "", "printed": ""}
                        )
                        for y, b in zip(YEARS, q.budgets)
                    },
                    "where": q.ref,
                }
            )
        units = list(dict.fromkeys(part["responsible_unit"] for part in parts if part["responsible_unit"]))
        out.append(
            {
                "strategy": p.strategy,
                "guideline": p.guideline,
                "no": p.no,
                "name": text(p.lines[NAME]),
                "objective": text(p.lines[OBJECTIVE]),
                "target": text(p.lines[TARGET]),
                "expected_result": text(p.lines[RESULT]),
                "responsible_units": units,
                "parts": parts,
                "where": p.ref,
            }
        )
    return out


def build() -> tuple[dict, list[str]]:
    """The truth (from the DOC) and the list of every disagreement between the three forms."""
    read = {"xls": assemble(xls_lines()), "doc": assemble(doc_lines()), "pdf": assemble(pdf_lines())}
    strategies, guidelines, projects, _notes = read["doc"]
    truth_list = truth_projects(strategies, guidelines, projects)
    problems = [f"{form}: {note}" for form, (_s, _g, _p, notes) in read.items() for note in notes]
    problems += differences("xls", read["xls"], read["doc"], exact=True)
    problems += differences("pdf", read["pdf"], read["doc"], exact=False)
    summary = summary_rows()
    truth = {
        "document": {
            name: {"file": path.name, "sha256": _sha(path)} for name, path in (("pdf", PDF), ("doc", DOC), ("xls", XLS))
        },
        "fiscal_years": list(YEARS),
        "strategies": [{"code": c, "title": t} for c, t in strategies.items()],
        "guidelines": [{"code": c, "strategy": c.split(".")[0], "title": t} for c, t in guidelines.items()],
        "projects": truth_list,
        "summary": summary,
        "reconciliation": reconcile(summary, truth_list),
        "summary_internal": internal_checks(summary),
    }
    return truth, problems


def differences(form: str, got: tuple, doc: tuple, exact: bool) -> list[str]:
    """What `form` reads differently from the DOC: headings, projects, parts, amounts, sources
    (and, where the text is not garbled, every text field)."""
    norm = (lambda x: x) if exact else skeleton
    out = []
    for index, kind in ((0, "strategy"), (1, "guideline")):
        for code in sorted(set(got[index]) | set(doc[index])):
            a, b = norm(got[index].get(code, "")), norm(doc[index].get(code, "") or "")
            if not (a == b if exact else b in a):
                out.append(f"{form}: {kind} {code}: {got[index].get(code)!r} / doc {doc[index].get(code)!r}")
    mine = {(p.guideline, p.no): p for p in got[2]}
    theirs = {(p.guideline, p.no): p for p in doc[2]}
    for key in sorted(set(mine) ^ set(theirs)):
        out.append(f"{form}: project {key} only in {'doc' if key in theirs else form}")
    for key in sorted(set(mine) & set(theirs)):
        a, b = mine[key], theirs[key]
        shape = [
            [
                q.label,
                [(x or {}).get("amount") for x in q.budgets],
                [norm((x or {}).get("source") or "") for x in q.budgets],
            ]
            for q in a.parts
        ]
        want = [
            [
                q.label,
                [(x or {}).get("amount") for x in q.budgets],
                [norm((x or {}).get("source") or "") for x in q.budgets],
            ]
            for q in b.parts
        ]
        if shape != want:
            out.append(f"{form}: project {key} ({a.ref}) parts {shape} / doc {want}")
        if exact:
            for col in (NAME, OBJECTIVE, TARGET, RESULT, UNIT):
                if a.lines[col] != b.lines[col]:
                    out.append(f"{form}: project {key} column {col}: {a.lines[col]} / doc {b.lines[col]}")
    return out


def dumps(truth: dict) -> str:
    """JSON with one record a line: small enough to ship, easy to review in a diff."""
    blocks = []
    for key, value in truth.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join(f"  {json.dumps(v, ensure_ascii=False)}" for v in value)
            blocks.append(f" {json.dumps(key)}: [\n{rows}\n ]")
        else:
            blocks.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    truth, problems = build()
    for problem in problems:
        print(problem)
    for check in truth["reconciliation"]:
        if check["status"] == "mismatch":
            print("summary mismatch:", check)
    for check in truth["summary_internal"]:
        print("summary internal:", check)
    if sys.argv[1:] == ["write"]:
        TRUTH.write_text(dumps(truth), encoding="utf-8")
        print(f"wrote {TRUTH}")


if __name__ == "__main__":
    main()
