"""`thaiplan debug FILE --page N`: one page drawn with what the readers saw on it.

The page is rendered (PDF: pypdfium2; image: the frame itself), in grey so the
marks stand out, and on it: every cell's box as read (the table grid), each
row's role as a tint (header, data, total: normalize.rows' assembly), and a
badge left of each row with its reading order on the page. A user sees why a
table was misread: a missing rule, cells merged or split, a header taken as
data, a row joined to the one above or left out.

Boxes are PDF points for PDFs (text layer and OCR alike) and pixels for
images; OCR measured them on the deskewed page, so a page read by OCR is
deskewed the same way before drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from thaiplan.errors import ExtractionError, InputError
from thaiplan.extract.model import BBox, Cell, RawDocument, Row, Table
from thaiplan.extract.registry import detect, read_document
from thaiplan.normalize.vocabulary import Vocabulary
from thaiplan.settings import Settings

DEFAULT_DPI = 144  # PDF pages: 2 pixels per point, sharp enough to see a rule
GRID = (220, 0, 110)  # cell boxes: a magenta no page and no role tint has
ROLE_COLOURS: dict[str, tuple[int, int, int]] = {
    "header": (40, 100, 230),
    "data": (30, 160, 70),
    "total": (240, 130, 0),
}
TINT_ALPHA = 60  # role tints stay light: the page's text must show through
LINE_PX = 2
FRAME_PX = 4


@dataclass(frozen=True)
class RowMark:
    """One row of the page as the assembly took it."""

    row: Row
    role: str  # "header", "data" or "total"
    label: str  # reading order on the page; "+": joined to the plan row above; "x": left out


@dataclass(frozen=True)
class PageDocument:
    """What the readers gave for one page, and the page's pixels."""

    document: RawDocument
    page: int
    image: Image.Image  # grey; deskewed when OCR measured the boxes
    scale: float  # pixels per box unit (dpi / 72 for PDFs, 1 for images)
    method: str  # how the page's cells were read: "pdf", "ocr" or "" (no cells)

    def cells(self) -> list[Cell]:
        return [c for t in self.document.tables for r in t.rows for c in r.cells if c.page == self.page and c.bbox]


@dataclass(frozen=True)
class DebugPage:
    image: Image.Image  # RGB: the page, the marks, a legend strip below
    cells: int
    rows: int
    method: str

    def summary(self, source: object, page: int, out: object) -> str:
        if not self.cells:
            return f"{source}: page {page} has no table cells to draw (no table found); wrote the page to {out}"
        how = "OCR" if self.method == "ocr" else "its text layer"
        return f"{source}: page {page}, read by {how}: {self.cells} cells in {self.rows} rows drawn to {out}"


def page_document(path: Path, page: int, settings: Settings | None = None, dpi: int = DEFAULT_DPI) -> PageDocument:
    """Read `path` for page `page` (1-based): the document and the page's image.

    A PDF's text layer is read whole (fast, and the assembly needs the pages
    before); OCR runs only on this page (and page 1 for the header when this
    page repeats none), not on all of a scan's pages.
    """
    settings = settings or Settings()
    reader = detect(path)
    if reader.FORMAT == "pdf":
        return _pdf_page(path, page, settings, dpi)
    if reader.FORMAT == "image":
        return _image_page(path, page, settings)
    raise InputError(f"a {reader.FORMAT} file has no page images to draw",
                     "export it to PDF and give the PDF")  # fmt: skip


def _check_page(page: int, count: int, what: str) -> None:
    if not 1 <= page <= count:
        noun = "page" if count == 1 else "pages"
        raise InputError(f"page {page} does not exist: {what} has {count} {noun}", f"give --page 1..{count}")


def _pdf_page(path: Path, page: int, settings: Settings, dpi: int) -> PageDocument:
    import pypdfium2 as pdfium

    from thaiplan.extract.pdf_bounds import render_scale

    document = read_document(path, settings.updated({"pdf.ocr": False}))  # first: the reader's bounds (bombs, loops)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        raise ExtractionError("the PDF cannot be opened") from None
    try:
        _check_page(page, len(pdf), "the PDF")
        pdf_page = pdf[page - 1]
        scale = render_scale(*pdf_page.get_size(), dpi, settings.ocr.max_render_mpixels)  # a 200-inch page: lower dpi
        grey = pdf_page.render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    unusable = {n.page for n in document.notes if n.kind == "unusable_text_layer"}
    if page in unusable and settings.pdf.ocr:
        document = _with_ocr(path, document, page, unusable, settings)
    method = _method(document, page)
    return PageDocument(document, page, _deskewed(grey) if method == "ocr" else grey, scale, method)


def _with_ocr(path: Path, document: RawDocument, page: int, unusable: set[int], settings: Settings) -> RawDocument:
    from thaiplan.extract.ocr import ocr_pages
    from thaiplan.families import FAMILIES
    from thaiplan.normalize.headers import is_header_row

    tables, _, _ = ocr_pages(path, [page], settings)
    headed = any(is_header_row(r, f.vocabulary) for f in FAMILIES for t in tables for r in t.rows)
    if page > 1 and 1 in unusable and not headed:
        first, _, _ = ocr_pages(path, [1], settings)  # the header the assembly needs to know the columns
        tables = [*first, *tables]
    merged = sorted([*document.tables, *tables], key=lambda t: t.page_first or 0)
    return replace(document, tables=tuple(merged))


def _image_page(path: Path, page: int, settings: Settings) -> PageDocument:
    from thaiplan.extract.image import frames

    count = 0
    for count, frame in enumerate(frames(path, settings), 1):  # the reader's bounds: frames, pixels
        if count == page:
            grey, scale = _within_budget(frame.convert("L"), settings.ocr.max_render_mpixels)
            break
    else:
        _check_page(page, count, "the image")
    document = read_document(path, settings)
    method = _method(document, page)
    return PageDocument(document, page, _deskewed(grey) if method == "ocr" else grey, scale, method)


def _within_budget(grey: Image.Image, max_mpixels: int) -> tuple[Image.Image, float]:
    """The frame, reduced to the render budget when larger (with the scale its boxes need)."""
    pixels = grey.width * grey.height
    if pixels <= max_mpixels * 1_000_000:
        return grey, 1.0
    scale = (max_mpixels * 1_000_000 / pixels) ** 0.5
    size = (max(1, int(grey.width * scale)), max(1, int(grey.height * scale)))
    return grey.resize(size, Image.Resampling.BOX), size[0] / grey.width


def _method(document: RawDocument, page: int) -> str:
    methods = [c.method for t in document.tables for r in t.rows for c in r.cells if c.page == page and c.bbox]
    return "ocr" if "ocr" in methods else (methods[0] if methods else "")


def _deskewed(grey: Image.Image) -> Image.Image:
    from thaiplan.extract.ocr_grid import deskew  # OpenCV only for pages OCR measured

    straight, _ = deskew(np.asarray(grey))
    return Image.fromarray(straight)


def row_marks(tables: tuple[Table, ...], page: int, vocabulary: Vocabulary) -> list[RowMark]:
    """The role and reading-order label of each row on `page`.

    The assembly is run on the document up to each row and compared with the
    run up to the row before: a new plan row (data or total), a row joined to
    the plan row above, a header, or a row left out.
    """
    from thaiplan.normalize.headers import is_header_row, is_subheader_row
    from thaiplan.normalize.rows import assemble

    def state(upto: tuple[Table, ...]) -> tuple[int, str, str]:
        rows = assemble(upto, vocabulary).rows
        if not rows:
            return (0, "", "")
        return (len(rows), repr(sorted(rows[-1].texts.items())), repr(sorted(rows[-1].budgets.items())))

    positions = [(t, i) for t, table in enumerate(tables) for i, row in enumerate(table.rows) if _on_page(row, page)]
    if not positions:
        return []
    first_t, first_i = positions[0]
    before = state((*tables[:first_t], replace(tables[first_t], rows=tables[first_t].rows[:first_i])))
    marks: list[RowMark] = []
    for order, (t, i) in enumerate(positions, start=1):
        row = tables[t].rows[i]
        upto = (*tables[:t], replace(tables[t], rows=tables[t].rows[: i + 1]))
        after = state(upto)
        if after[0] > before[0]:
            marks.append(RowMark(row, assemble(upto, vocabulary).rows[-1].kind, str(order)))
        elif after != before:
            marks.append(RowMark(row, assemble(upto, vocabulary).rows[-1].kind, f"{order}+"))
        elif is_header_row(row, vocabulary) or (
            marks and marks[-1].role == "header" and (is_subheader_row(row, vocabulary) or bool(row.is_header))
        ):
            marks.append(RowMark(row, "header", str(order)))
        else:
            marks.append(RowMark(row, "data", f"{order}x"))
        before = after
    return marks


def _on_page(row: Row, page: int) -> bool:
    return row.page == page or any(c.page == page for c in row.cells)


def draw(view: PageDocument) -> DebugPage:
    """The page with the cell grid, role tints, reading-order badges and a legend."""
    from thaiplan.families import detect as family_of

    marks = row_marks(view.document.tables, view.page, family_of(view.document).vocabulary)
    scale = view.scale
    width, height = view.image.size
    font_px = max(12, round(min(width, height) / 60))
    font = _font(font_px)
    legend_h = round(font_px * 2.4)
    canvas = Image.new("RGB", (width, height + legend_h), "white")
    canvas.paste(view.image.convert("RGB"), (0, 0))

    def px(box: BBox) -> tuple[int, int, int, int]:
        return (round(box[0] * scale), round(box[1] * scale), round(box[2] * scale), round(box[3] * scale))

    placed = [(mark, [c for c in mark.row.cells if c.page == view.page and c.bbox]) for mark in marks]
    tint = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    tint_draw = ImageDraw.Draw(tint)
    for mark, cells in placed:
        for cell in cells:
            assert cell.bbox is not None
            tint_draw.rectangle(px(cell.bbox), fill=(*ROLE_COLOURS[mark.role], TINT_ALPHA))
    canvas = Image.alpha_composite(canvas.convert("RGBA"), tint).convert("RGB")
    pen = ImageDraw.Draw(canvas)
    cells_drawn = 0
    for table in view.document.tables:  # the table's frame, drawn outside it so no cell edge is hidden
        boxes = [px(c.bbox) for r in table.rows for c in r.cells if c.page == view.page and c.bbox]
        if boxes:
            x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
            pen.rectangle((x0 - FRAME_PX, y0 - FRAME_PX, x1 + FRAME_PX, y1 + FRAME_PX), outline=GRID, width=FRAME_PX)
    for _, cells in placed:
        for cell in cells:
            assert cell.bbox is not None
            pen.rectangle(px(cell.bbox), outline=GRID, width=LINE_PX)
            cells_drawn += 1
    left_of = _table_lefts(view)
    for mark, cells in placed:
        if not cells:
            continue
        top = min(px(c.bbox)[1] for c in cells if c.bbox)
        _badge(pen, font, mark.label, ROLE_COLOURS[mark.role], left_of.get(id(mark.row), 0), top + 2)
    _legend(pen, font, font_px, (0, height, width, height + legend_h))
    return DebugPage(canvas, cells_drawn, sum(1 for _, cells in placed if cells), view.method)


def _table_lefts(view: PageDocument) -> dict[int, int]:
    """Each row's table's left edge in pixels, where its badge ends."""
    lefts: dict[int, int] = {}
    for table in view.document.tables:
        xs = [c.bbox[0] for r in table.rows for c in r.cells if c.page == view.page and c.bbox]
        if xs:
            for row in table.rows:
                lefts[id(row)] = round(min(xs) * view.scale) - FRAME_PX - 3
    return lefts


def _badge(pen: ImageDraw.ImageDraw, font: ImageFont.ImageFont | ImageFont.FreeTypeFont, label: str,
           colour: tuple[int, int, int], right: int, top: int) -> None:  # fmt: skip
    x0, y0, x1, y1 = pen.textbbox((0, 0), label, font=font)
    pad = 3
    w, h = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    left = max(0, right - w)  # against the page's edge when the table leaves no margin
    pen.rectangle((left, top, left + w, top + h), fill=colour)
    pen.text((left + pad - x0, top + pad - y0), label, fill="white", font=font)


def _legend(pen: ImageDraw.ImageDraw, font: ImageFont.ImageFont | ImageFont.FreeTypeFont, size: int,
            box: tuple[int, int, int, int]) -> None:  # fmt: skip
    x, top, _, bottom = box
    pen.rectangle(box, fill=(245, 245, 245))
    y = top + (bottom - top - size) // 2
    x += size
    pen.rectangle((x, y, x + size * 2, y + size), outline=GRID, width=LINE_PX)
    x += size * 2 + size // 2
    pen.text((x, y), "cell as read", fill="black", font=font)
    x += round(pen.textlength("cell as read", font=font)) + size * 2
    for role, colour in ROLE_COLOURS.items():
        pen.rectangle((x, y, x + size, y + size), fill=colour)
        x += size + size // 2
        pen.text((x, y), role, fill="black", font=font)
        x += round(pen.textlength(role, font=font)) + size * 2
    note = "badge: reading order on the page;  N+ joined to the plan row above;  Nx left out (not a plan row)"
    pen.text((x, y), note, fill="black", font=font)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size)  # Pillow's own TrueType face: no font package needed
    except (TypeError, OSError):  # an old Pillow or one without FreeType: the bitmap face
        return ImageFont.load_default()


def debug_page(path: Path, page: int, settings: Settings | None = None, dpi: int = DEFAULT_DPI) -> DebugPage:
    """Read page `page` of `path` and draw it (save with `.image.save(...)`)."""
    return draw(page_document(path, page, settings, dpi))
