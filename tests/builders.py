"""Build DOCX plans the way officials make them, from the seed plan's text.

Officials wrap cells by hand (line breaks at spaces and mid-phrase), put a
mission and its sub-mission in one cell as two paragraphs, merge the
dimension column down its rows, mark the header row to repeat or repeat it by
hand, and sometimes make one table per page. These builders reproduce each
habit so the DOCX reader and the normaliser can be tested against the text
path's known answers.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import _Cell

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
