"""Private builder for OCR tests: the seed plan as a bordered Word table,
exported to PDF by LibreOffice, then "scanned" (rendered grey, skewed, speckled).

Kept apart from tests/builders.py (another engineer's) so the OCR tests do not
depend on its schedule; the two can merge later.
"""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from tests.builders import landscape_a4
from tests.pdf_fixtures import to_pdf

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"
COLUMN_CM = (3.2, 6.4, 5.6, 2.8, 3.6, 3.0)
SUM_LABELS = ("รวม", "รวมทั้งสิ้น")


@dataclass(frozen=True)
class ExpectedCell:
    """A cell as the builder wrote it: what OCR should give back."""

    row: int  # data row, 0-based, header excluded
    col: int
    text: str
    col_span: int = 1
    row_span: int = 1


def seed_plan() -> tuple[list[str], list[str], list[list[str]]]:
    """(title lines, header, data rows) of the seed plan; repeated headers dropped."""
    titles: list[str] = []
    header: list[str] = []
    rows: list[list[str]] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if "\t" not in line:
            titles.append(line.strip())
            continue
        cells = [part.strip() for part in line.split("\t")]
        cells += [""] * (6 - len(cells))
        if cells[0] == "มิติ":
            header = header or cells
            continue
        rows.append(cells)
    return titles, header, rows


def plan_layout(rows: list[list[str]]) -> list[ExpectedCell]:
    """Cells after merging: a dimension's cell spans its rows (vMerge) and a
    total row's label spans the first two columns (gridSpan)."""
    cells: list[ExpectedCell] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        if not row[0] and row[1] in SUM_LABELS:
            cells.append(ExpectedCell(index, 0, row[1], col_span=2))
            cells += [ExpectedCell(index, c, row[c]) for c in range(2, 6) if row[c]]
            index += 1
            continue
        span = 1
        if row[0]:
            while index + span < len(rows) and not rows[index + span][0] and rows[index + span][1] not in SUM_LABELS:
                span += 1
            cells.append(ExpectedCell(index, 0, row[0], row_span=span))
        for offset in range(span):
            cells += [
                ExpectedCell(index + offset, c, rows[index + offset][c]) for c in range(1, 6) if rows[index + offset][c]
            ]
        index += span
    return cells


def build_docx(path: Path, font: str = "Norasi", size_pt: int = 16) -> list[ExpectedCell]:
    """Write the seed plan as a landscape DOCX with a bordered table."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    titles, header, rows = seed_plan()
    document = Document()
    landscape_a4(document, Cm(1.8), ("left", "right", "top", "bottom"))
    style = document.styles["Normal"]
    style.font.name, style.font.size = font, Pt(size_pt)
    style.element.rPr.rFonts.set(qn("w:cs"), font)
    style.element.rPr.append(_element(OxmlElement, qn, "w:szCs", size_pt * 2))
    style.paragraph_format.space_after = Pt(0)
    for title in titles:
        document.add_paragraph(title)
    table = document.add_table(rows=len(rows) + 1, cols=6)
    table.style = "Table Grid"
    table.autofit = False
    for col, width in enumerate(COLUMN_CM):
        table.columns[col].width = Cm(width)  # w:gridCol, which LibreOffice follows
        for cell in table.columns[col].cells:
            cell.width = Cm(width)
    for col, text in enumerate(header):
        table.cell(0, col).text = text
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))
    layout = plan_layout(rows)
    for cell in layout:
        top = table.cell(cell.row + 1, cell.col)
        if cell.col_span > 1 or cell.row_span > 1:
            top = top.merge(table.cell(cell.row + cell.row_span, cell.col + cell.col_span - 1))
        top.text = cell.text
    document.save(str(path))
    return layout


def _element(oxml_element, qn, tag: str, value: int):  # type: ignore[no-untyped-def]
    element = oxml_element(tag)
    element.set(qn("w:val"), str(value))
    return element


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    return to_pdf(docx, out_dir, timeout=300)


def render_pdf(pdf: Path, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def scan(image: Image.Image, skew_deg: float, seed: int, dpi: int) -> Image.Image:
    """A flatbed scan's look: skew, slight blur, grey paper, speckles."""
    rng = np.random.default_rng(seed)
    rotated = image.rotate(skew_deg, resample=Image.BICUBIC, expand=False, fillcolor=255)
    blurred = rotated.filter(ImageFilter.GaussianBlur(radius=0.5 * dpi / 200))
    pixels = np.asarray(blurred, dtype=np.float32)
    pixels = pixels * 0.85 + 25 + rng.normal(0, 6, pixels.shape)  # grey paper, sensor noise
    speckles = rng.random(pixels.shape) < 0.0008
    pixels[speckles] = rng.uniform(0, 90, int(speckles.sum()))
    holes = rng.random(pixels.shape) < 0.0004
    pixels[holes] = 250
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def scanned_pages(pdf: Path, dpi: int, seed: int = 7) -> list[Image.Image]:
    rand = random.Random(seed)
    pages = render_pdf(pdf, dpi)
    return [scan(page, rand.choice((-1, 1)) * rand.uniform(0.5, 1.0), seed + n, dpi) for n, page in enumerate(pages)]


def save_image_pdf(images: list[Image.Image], path: Path, dpi: int) -> None:
    """An image-only PDF, as a scanner writes it."""
    first, *rest = [image.convert("L") for image in images]
    first.save(str(path), "PDF", resolution=float(dpi), save_all=True, append_images=rest, quality=50)


# ---- scoring OCR output against the cells the builder wrote ----------------

CODE = re.compile(r"[๐-๙0-9]+(?:\.[๐-๙0-9]+)+")
DIGIT_RUN = re.compile(r"[๐-๙0-9][๐-๙0-9,.]*")
COLUMNS = {0: "dimension", 1: "mission", 2: "name", 3: "budget", 4: "period", 5: "remark"}


def squash(text: str) -> str:
    """Text compared without whitespace (wraps differ by design), ำ repaired, dashes unified."""
    from thaiplan.normalize.thai_text import repair

    return re.sub(r"\s+", "", repair(text)).replace("–", "-")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row per character of `a`."""
    if not a or not b:
        return max(len(a), len(b))
    codes_b = np.array([ord(ch) for ch in b])
    steps = np.arange(len(b) + 1)
    previous = steps.copy()
    for i, char in enumerate(a, 1):
        candidates = np.empty(len(b) + 1, dtype=np.int64)
        candidates[0] = i
        candidates[1:] = np.minimum(previous[1:] + 1, previous[:-1] + (codes_b != ord(char)))
        # insertions: current[j] = min(candidates[j], current[j-1] + 1), a running minimum
        previous = np.minimum.accumulate(candidates - steps) + steps
    return int(previous[-1])


@dataclass
class Score:
    codes: tuple[int, int] = (0, 0)  # exact, total (in reading order, aligned)
    budgets: tuple[int, int] = (0, 0)
    period_numbers: tuple[int, int] = (0, 0)
    counts: tuple[int, int] = (0, 0)  # numbers in the total rows' count cells
    char_accuracy: dict[str, float] = field(default_factory=dict)  # per column, whitespace ignored
    failures: list[str] = field(default_factory=list)


def column_texts(tables: list) -> dict[int, list[str]]:  # tables: list[extract.model.Table]
    """Non-empty OCR cell texts per column in reading order; each page's
    repeated header row (row 0 of every table) left out."""
    got: dict[int, list[str]] = {c: [] for c in COLUMNS}
    for table in tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                if cell.text.strip() and cell.col in got:
                    got[cell.col].append(cell.text)
    return got


def score(expected: list[ExpectedCell], tables: list) -> Score:
    """Compare OCR text with the builder's cells, column by column.

    Rows split across pages and merged cells cut by a page break make cell
    counts differ, so each column is compared as one text in reading order:
    characters by edit distance, codes / budgets / numbers as sequences
    aligned by difflib (a misread one is a miss).
    """
    got = column_texts(tables)
    result = Score()
    for col, name in COLUMNS.items():
        want_text = "".join(squash(c.text) for c in expected if c.col == col)
        got_text = "".join(squash(text) for text in got[col])
        result.char_accuracy[name] = round(1 - edit_distance(want_text, got_text) / max(1, len(want_text)), 4)
    got_all = {col: "\n".join(texts) for col, texts in got.items()}
    in_order = sorted((c for c in expected if c.col in (0, 1)), key=lambda c: (c.row, c.col))
    codes = [m for c in in_order for m in CODE.findall(squash(c.text))]
    read_codes = [
        m for table in tables for row in table.rows[1:] for cell in row.cells if cell.col in (0, 1)
        for m in CODE.findall(squash(cell.text))
    ]  # fmt: skip
    result.codes = _aligned(codes, read_codes, "code", result.failures)
    result.budgets = _aligned(
        [squash(c.text) for c in expected if c.col == 3 and c.text],
        [squash(t) for t in got[3]], "budget", result.failures,
    )  # fmt: skip
    result.period_numbers = _aligned(
        [n for c in expected if c.col == 4 for n in DIGIT_RUN.findall(squash(c.text))],
        DIGIT_RUN.findall(squash(got_all[4])), "period number", result.failures,
    )  # fmt: skip
    count_cells = [c for c in expected if c.col == 2 and re.match(r"^[๐-๙]+\s*(โครงการ|กิจกรรม|มาตรการ)", c.text)]
    read_counts = [t for t in got[2] if re.search(r"(โครงการ|กิจกรรม|มาตรการ)\s*,", t)]
    result.counts = _aligned(
        [n for c in count_cells for n in DIGIT_RUN.findall(squash(c.text))],
        [n for t in read_counts for n in DIGIT_RUN.findall(squash(t))], "count", result.failures,
    )  # fmt: skip
    return result


def _aligned(want: list[str], got: list[str], what: str, failures: list[str]) -> tuple[int, int]:
    want = [w.strip(".,") for w in want]
    got = [g.strip(".,") for g in got]
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    right = sum(block.size for block in matcher.get_matching_blocks())
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        if tag != "equal":
            failures.append(f"{what}: {want[i0:i1]} read as {got[j0:j1]}")
    return right, len(want)
