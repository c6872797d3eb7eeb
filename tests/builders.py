"""The documents the tests build from plan text: one module for all of them.

- The seed plan read from its text copy (`seed_rows`, `seed_table`, `seed_truth`).
- DOCX plans the way officials make them (`build_docx`; samples/seed_plan.docx).
  Officials wrap cells by hand (line breaks at spaces and mid-phrase), put a
  mission and its sub-mission in one cell as two paragraphs, merge the
  dimension column down its rows, mark the header row to repeat or repeat it by
  hand, and sometimes make one table per page. The builder reproduces each
  habit so the DOCX reader and the normaliser can be tested against the text
  path's known answers.
- The seed as one plain bordered Word table in a `TableLayout`
  (`build_seed_docx`): `PDF_LAYOUT` for the text-layer PDF tests
  (tests/data/seed_plan.pdf), `SCAN_LAYOUT`, with merged cells, for the OCR tests.
- LibreOffice's PDF export of a DOCX (`to_pdf`, `build_seed_pdf`).
- "Scans" of a PDF: rendered grey, skewed, blurred, speckled (`scanned_pages`,
  `save_image_pdf`; samples/seed_plan_scan_200dpi.pdf).

The 4-year plan's contents are tests/plan_factory.py's; it is laid out with `build_docx`.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"
TRUTH_FILES = (ROOT / "tests" / "data" / "seed_truth.tsv", ROOT / "tests" / "data" / "wraps_seed_truth.tsv")
SAMPLE_DOCX = ROOT / "samples" / "seed_plan.docx"
FONT = "TH SarabunPSK"
# Characters on a hand-wrapped line per column (dimension, mission, item, budget, period, remark).
WIDTHS = (14, 30, 26, 12, 16, 16)
SECOND_CODE = re.compile(r"\s+(?=[๐-๙0-9]+\.[๐-๙0-9]+\.[๐-๙0-9]+\s)")  # "๒.๒ … ๒.๒.๑ …"
MISSION_CODE = re.compile(r"^[๐-๙0-9]+\.[๐-๙0-9]+(\.[๐-๙0-9]+)*\s")
LEADING_CODE = re.compile(r"^[๐-๙0-9]+(\.[๐-๙0-9]+)*\.?\s")


def seed_rows() -> tuple[list[str], list[list[str]]]:
    """(title lines, table rows of cell strings) of the seed text, pages'
    repeated header rows and short (shifted) rows included as they are."""
    titles: list[str] = []
    rows: list[list[str]] = []
    for line in SEED_TEXT.read_text(encoding="utf-8-sig").splitlines():
        if "\t" in line:
            rows.append([cell.strip() for cell in line.split("\t")])
        elif line.strip():
            titles.append(line.strip())
    return titles, rows


def seed_table(columns: int = 6) -> tuple[list[str], list[list[str]]]:
    """(title lines, [header, *data rows]) of the seed: the header once (the copy
    repeats it on every page), every row filled out to `columns` cells."""
    titles, rows = seed_rows()
    header = rows[0]
    table = [header] + [row for row in rows if row[0] != header[0]]
    return titles, [(row + [""] * columns)[:columns] for row in table]


def seed_truth() -> dict[str, str]:
    """Raw seed cell -> its true text (wraps the copy turned into spaces removed),
    from the first hand-labelled file present; empty when there is none."""
    for path in TRUTH_FILES:
        if path.exists():
            truth: dict[str, str] = {}
            for line in path.read_text(encoding="utf-8").splitlines():
                fields = line.split("\t")
                if line.startswith("#") or len(fields) < 2:
                    continue
                truth[fields[-2].strip()] = fields[-1].strip()
            return truth
    return {}


def hand_lines(raw: str, truth: str, hand_breaks: bool = True, width: int = 28) -> list[str]:
    """Split a cell paragraph into hand-wrapped lines: a break without a space
    where the copy had a wrap (a space the truth lacks), and a break after a
    kept space (the line ends with " ") where the next word would pass `width`.

    >>> hand_lines("การสร้าง สังคมที่ไม่ทน", "การสร้างสังคมที่ไม่ทน")
    ['การสร้าง', 'สังคมที่ไม่ทน']
    >>> hand_lines("ตุลาคม ๒๕๖๒ - กันยายน ๒๕๖๓", "ตุลาคม ๒๕๖๒ - กันยายน ๒๕๖๓", width=16)
    ['ตุลาคม ๒๕๖๒ - ', 'กันยายน ๒๕๖๓']
    """
    if not hand_breaks:
        return [truth]
    wraps = _wrap_points(raw, truth)
    lines: list[str] = []
    current = ""
    for index, char in enumerate(truth):
        if index in wraps and current:
            lines.append(current)
            current = ""
        current += char
        if char == " " and current.strip():
            ahead = index + 1
            while ahead < len(truth) and truth[ahead] != " " and ahead not in wraps:
                ahead += 1
            if len(current) + ahead - index - 1 > width:
                lines.append(current)
                current = ""
    return [*lines, current] if current else lines


def _wrap_points(raw: str, truth: str) -> set[int]:
    """Indices in `truth` where the copy had a space that the truth does not."""
    points: set[int] = set()
    i = j = 0
    while i < len(raw) and j < len(truth):
        if raw[i] == truth[j]:
            i, j = i + 1, j + 1
        elif raw[i] == " ":
            points.add(j)
            i += 1
        elif truth[j] == " ":
            j += 1
        else:
            return set()  # the truth changed more than spaces: no wraps to rebuild
    return points


def build_docx(
    path: Path,
    title_lines: list[str],
    rows: list[list[str]],
    *,
    merge_dimension: bool = True,
    hand_breaks: bool = True,
    split_codes_into_paragraphs: bool = True,
    repeat_header: bool = True,
    tables_per_page: int | None = None,
    header_rows: list[list[str]] | None = None,
) -> Path:
    """Write a plan as a DOCX. `rows` holds the header row first (unless
    `header_rows` is given) and, like the seed, header rows repeated by hand
    where a page began; those split the plan into pages. `repeat_header` marks
    the header `w:tblHeader` and drops the hand copies; otherwise the copies
    stay in the body. `tables_per_page` makes that many tables per page."""
    header = header_rows or rows[:1]
    body = rows if header_rows else rows[1:]
    width = max(len(row) for row in [*header, *body])
    pages = _pages([_pad(row, width) for row in body], [_pad(row, width) for row in header])
    if tables_per_page is None:
        pages = _join_split_rows(pages)
    truth = seed_truth()
    document = Document()
    _page_setup(document)
    for line in title_lines:
        document.add_paragraph(line)
    writer = _Writer(truth, hand_breaks, split_codes_into_paragraphs, merge_dimension, width)
    if tables_per_page is None:
        table = writer.new_table(document, [_pad(row, width) for row in header], repeat_header)
        for number, (page_header, page_rows) in enumerate(pages):
            if number and not repeat_header:
                writer.add_row(table, page_header, plain=True, new_page=True)
            for index, row in enumerate(page_rows):
                writer.add_row(table, row, new_page=bool(number and repeat_header and index == 0))
    else:
        for number, (page_header, page_rows) in enumerate(pages):
            if number:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            chunk = -(-len(page_rows) // tables_per_page) or 1
            for part in range(tables_per_page):
                if part:
                    document.add_paragraph()
                top = [page_header] if number else [_pad(row, width) for row in header]
                table = writer.new_table(document, top if part == 0 else [], repeat_header)
                for row in page_rows[part * chunk : (part + 1) * chunk]:
                    writer.add_row(table, row)
                writer.end_merge()
    document.add_paragraph("ผู้จัดทำแผน")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_sample_docx(path: Path = SAMPLE_DOCX) -> Path:
    """samples/seed_plan.docx: the seed plan with every default habit."""
    titles, rows = seed_rows()
    return build_docx(path, titles, rows)


def _pad(row: list[str], width: int) -> list[str]:
    """A row that lost its leading empty cell (the text copy's shift: a mission
    code in the dimension column) gets it back; short rows are filled out."""
    row = list(row)
    if row and MISSION_CODE.match(row[0]):
        row = ["", *(row[:-1] if len(row) >= width and not row[-1] else row)]
    return row + [""] * (width - len(row))


def _is_header(row: list[str], header: list[list[str]]) -> bool:
    return any(row[:3] == top[:3] for top in header)


def _pages(body: list[list[str]], header: list[list[str]]) -> list[tuple[list[str], list[list[str]]]]:
    """(that page's header row as printed, its rows) per page; the first page's header is `header`."""
    pages: list[tuple[list[str], list[list[str]]]] = [(header[-1], [])]
    for row in body:
        if _is_header(row, header):
            pages.append((row, []))
        else:
            pages[-1][1].append(row)
    return pages


def _join_split_rows(pages: list[tuple[list[str], list[list[str]]]]) -> list[tuple[list[str], list[list[str]]]]:
    """In one table Word keeps a row whole across a page; undo the copy's split row
    (a page's first row that only continues the mission text above)."""
    for number in range(1, len(pages)):
        rows = pages[number][1]
        previous = pages[number - 1][1]
        if rows and previous and _continues(rows[0]):
            previous[-1] = [f"{a} {b}".strip() for a, b in zip(previous[-1], rows[0])]
            del rows[0]
    return pages


def _continues(row: list[str]) -> bool:
    return not row[0] and bool(row[1]) and not LEADING_CODE.match(row[1]) and not any(row[2:])


def landscape_a4(document: Document, margin: Length, sides: tuple[str, ...] = ("left", "right")) -> None:
    """Landscape A4 with `margin` on the given sides (the others keep Word's default)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in sides:
        setattr(section, f"{side}_margin", margin)


def _page_setup(document: Document) -> None:
    landscape_a4(document, Mm(15))
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(16)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), "32")
    style.element.get_or_add_rPr().append(size_cs)


class _Writer:
    """Adds rows cell by cell, merging the dimension column down its rows."""

    def __init__(self, truth: dict[str, str], hand_breaks: bool, split_codes: bool, merge: bool, width: int):
        self.truth, self.hand_breaks, self.split_codes, self.merge = truth, hand_breaks, split_codes, merge
        self.width = width
        self.merge_open = False

    def new_table(self, document: Document, header: list[list[str]], repeat: bool) -> object:
        table = document.add_table(rows=0, cols=self.width)
        table.style = "Table Grid"
        for row in header:
            self.add_row(table, row, header=repeat, plain=True)
        self.end_merge()
        return table

    def end_merge(self) -> None:
        self.merge_open = False

    def add_row(
        self, table: object, texts: list[str], *, header: bool = False, plain: bool = False, new_page: bool = False
    ) -> None:
        """Add a row; `plain` (a header row) takes no part in the dimension merge."""
        row = table.add_row()
        if plain:
            self.end_merge()
        if header:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        is_total = texts[1].replace(" ", "").startswith("รวม")
        for col, (cell, raw) in enumerate(zip(row.cells, texts)):
            if col == 0 and self.merge and not plain:
                if raw:
                    _set_vmerge(cell, "restart")
                    self.merge_open = not is_total
                elif self.merge_open and not is_total:
                    _set_vmerge(cell, None)
                    continue
                else:
                    self.merge_open = False
            self.fill(cell, raw, col, new_page)

    def fill(self, cell: _Cell, raw: str, col: int, new_page: bool) -> None:
        truth = self.truth.get(raw, raw)
        raws, truths = [raw], [truth]
        if self.split_codes and col == 1:
            raws, truths = SECOND_CODE.split(raw), SECOND_CODE.split(truth)
            if len(raws) != len(truths):
                raws = truths
        paragraph = cell.paragraphs[0]
        for index, (part_raw, part_truth) in enumerate(zip(raws, truths)):
            if index:
                paragraph = cell.add_paragraph()
            run = paragraph.add_run()
            if new_page and index == 0:
                run._r.append(OxmlElement("w:lastRenderedPageBreak"))  # where Word last broke the page
            width = WIDTHS[min(col, len(WIDTHS) - 1)]
            for number, line in enumerate(hand_lines(part_raw, part_truth, self.hand_breaks, width)):
                if number:
                    run.add_break()
                run.add_text(line)


def _set_vmerge(cell: _Cell, value: str | None) -> None:
    mark = OxmlElement("w:vMerge")
    if value:
        mark.set(qn("w:val"), value)
    cell._tc.get_or_add_tcPr().append(mark)


# ---- the seed as one plain bordered table (text-layer PDF and OCR tests) ----------

SUM_LABELS = ("รวม", "รวมทั้งสิ้น")


@dataclass(frozen=True)
class TableLayout:
    """How `build_seed_docx` lays the seed's table out on landscape A4."""

    font: str
    column_cm: tuple[float, ...]  # one per column
    margin_cm: float  # on all four sides
    merged: bool  # dimension cells merged down their rows, total labels across two columns
    # True: the font set once in the Normal style, paragraphs without space after;
    # False: on every run (empty cells' paragraph marks keep Word's default size).
    style_font: bool
    size_pt: int = 16


# tests/data/seed_plan.pdf: every cell written, rows cut by page breaks (LibreOffice's
# default), which the PDF reader's cross-page tests need. 26.7 cm: A4 landscape less margins.
PDF_LAYOUT = TableLayout("Garuda", (3.0, 6.6, 6.6, 3.2, 4.0, 3.3), 1.5, merged=False, style_font=False)
# The OCR tests' scans: merged cells, so the grid finder meets row and column spans.
SCAN_LAYOUT = TableLayout("Norasi", (3.2, 6.4, 5.6, 2.8, 3.6, 3.0), 1.8, merged=True, style_font=True)


@dataclass(frozen=True)
class ExpectedCell:
    """A cell as the builder wrote it: what a reader should give back."""

    row: int  # data row, 0-based, header excluded
    col: int
    text: str
    col_span: int = 1
    row_span: int = 1


def plan_layout(rows: list[list[str]]) -> list[ExpectedCell]:
    """The non-empty cells after merging: a dimension's cell spans its rows (vMerge)
    and a total row's label spans the first two columns (gridSpan)."""
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


def build_seed_docx(path: Path, layout: TableLayout = PDF_LAYOUT) -> Path:
    """The seed plan as a landscape DOCX: its title lines, then one bordered table
    whose header row repeats on every page."""
    titles, (header, *rows) = seed_table(len(layout.column_cm))
    document = Document()
    landscape_a4(document, Cm(layout.margin_cm), ("left", "right", "top", "bottom"))
    if layout.style_font:
        style = document.styles["Normal"]
        style.font.name, style.font.size = layout.font, Pt(layout.size_pt)
        style.element.rPr.rFonts.set(qn("w:cs"), layout.font)
        style.element.rPr.append(_cs_size(layout.size_pt))
        style.paragraph_format.space_after = Pt(0)
    for title in titles:
        _write(document.add_paragraph(), title, layout)
    table = document.add_table(rows=len(rows) + 1, cols=len(layout.column_cm))
    table.style = "Table Grid"
    table.autofit = False
    for col, width in enumerate(layout.column_cm):
        table.columns[col].width = Cm(width)  # w:gridCol, which LibreOffice follows
        for cell in table.columns[col].cells:
            cell.width = Cm(width)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for col, text in enumerate(header):
        _write(table.cell(0, col).paragraphs[0], text, layout)
    if layout.merged:
        cells = plan_layout(rows)
    else:  # every cell, empty ones too: each gets a run in the layout's font
        cells = [ExpectedCell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    for cell in cells:
        top = table.cell(cell.row + 1, cell.col)
        if cell.col_span > 1 or cell.row_span > 1:
            top = top.merge(table.cell(cell.row + cell.row_span, cell.col + cell.col_span - 1))
        _write(top.paragraphs[0], cell.text, layout)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _write(paragraph: Paragraph, text: str, layout: TableLayout) -> None:
    run = paragraph.add_run(text)
    if not layout.style_font:
        run.font.name = layout.font
        run.font.size = Pt(layout.size_pt)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), layout.font)
        run._element.get_or_add_rPr().append(_cs_size(layout.size_pt))


def _cs_size(size_pt: int) -> OxmlElement:
    """w:szCs: the size of complex-script (Thai) text, in half points."""
    element = OxmlElement("w:szCs")
    element.set(qn("w:val"), str(size_pt * 2))
    return element


# ---- LibreOffice ------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(source: Path, out_dir: Path, timeout: float = 300) -> Path:
    """Convert with LibreOffice headless, in a private profile so parallel runs do not clash."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=timeout,
        )  # fmt: skip
    return out_dir / (source.stem + ".pdf")


def build_seed_pdf(path: Path, layout: TableLayout = PDF_LAYOUT) -> Path:
    """The seed plan as a LibreOffice PDF at `path`."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(build_seed_docx(Path(tmp) / (path.stem + ".docx"), layout), Path(tmp))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, path)
    return path


# ---- scans ------------------------------------------------------------------------


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
    """Every page of `pdf` scanned at `dpi`, each turned 0.5-1° either way (the same for the same seed)."""
    rand = random.Random(seed)
    pages = render_pdf(pdf, dpi)
    return [scan(page, rand.choice((-1, 1)) * rand.uniform(0.5, 1.0), seed + n, dpi) for n, page in enumerate(pages)]


def save_image_pdf(images: list[Image.Image], path: Path, dpi: int) -> None:
    """An image-only PDF, as a scanner writes it."""
    first, *rest = [image.convert("L") for image in images]
    first.save(str(path), "PDF", resolution=float(dpi), save_all=True, append_images=rest, quality=50)


if __name__ == "__main__":  # python -m tests.builders OUT.pdf: tests/data/seed_plan.pdf afresh
    import sys

    print(build_seed_pdf(Path(sys.argv[1])))
