"""Pictures of printed figures: for each total row whose figures disagree with
the plan's rows, a crop of the rendered page around the row, the row outlined.

Made in the worker, which has the file (a later export may not: the source
can move), and stored with the document; report.html shows them. PDF pages
(text layer or OCR'd) are rendered with pypdfium2, boxes in PDF points; image
files are cropped from their frames, boxes in pixels. DOCX and text plans
have no page to picture: the report shows their rows as an HTML table.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, ImageDraw

from thaiplan.families.model import Check
from thaiplan.normalize.model import Box, Plan

OUTLINE = (220, 20, 120)  # magenta: stands out on black-on-white pages and on blue rules
MARGIN_PT = 14.0  # context around the row: the rows above and below show
MAX_CROP_PX = 1800  # the widest picture kept (a wide table is scaled down to this)
MAX_RENDER_PIXELS = 4_000_000  # what a crop may take before it is scaled (a row of a 200-inch page: not 480 Mpx)


def figure_crops(path: Path, read_format: str, plan: Plan, checks: Iterable[Check], dpi: int) -> dict[int, bytes]:
    """PNG bytes per total index, for the totals with a mismatch that have boxes on a page."""
    wanted = sorted({c.total for c in checks if c.status == "mismatch" and c.total is not None})
    regions = {index: region for index in wanted if (region := _region(plan.totals[index].boxes))}
    if not regions:
        return {}
    if read_format == "pdf":
        return _from_pdf(path, regions, dpi)
    if read_format == "image":
        return _from_image(path, regions)
    return {}


def _region(boxes: tuple[Box, ...]) -> tuple[int, tuple[float, float, float, float]] | None:
    """The page of a row's first cell and the union of the row's cells on it."""
    if not boxes:
        return None
    page = boxes[0][0]
    on_page = [b[1:] for b in boxes if b[0] == page]
    return page, (min(b[0] for b in on_page), min(b[1] for b in on_page),
                  max(b[2] for b in on_page), max(b[3] for b in on_page))  # fmt: skip


def _from_pdf(path: Path, regions: dict[int, tuple[int, tuple[float, ...]]], dpi: int) -> dict[int, bytes]:
    import pypdfium2 as pdfium

    out: dict[int, bytes] = {}
    with pdfium.PdfDocument(str(path)) as document:
        for index, (page_no, (x0, top, x1, bottom)) in regions.items():
            if not 1 <= page_no <= len(document):
                continue
            page = document[page_no - 1]
            width, height = page.get_size()
            left, upper = max(0.0, x0 - MARGIN_PT), max(0.0, top - MARGIN_PT)
            right, lower = min(width, x1 + MARGIN_PT), min(height, bottom + MARGIN_PT)
            if right - left < 1 or lower - upper < 1:
                continue
            scale = min(dpi / 72, ((MAX_RENDER_PIXELS / ((right - left) * (lower - upper))) ** 0.5))
            bitmap = page.render(scale=scale, crop=(left, height - lower, width - right, upper))
            image = bitmap.to_pil().convert("RGB")
            outline = ((x0 - left) * scale, (top - upper) * scale, (x1 - left) * scale, (bottom - upper) * scale)
            out[index] = _png(image, outline)
    return out


def _from_image(path: Path, regions: dict[int, tuple[int, tuple[float, ...]]]) -> dict[int, bytes]:
    from PIL import ImageSequence

    out: dict[int, bytes] = {}
    with Image.open(path) as source:
        for frame_no, frame in enumerate(ImageSequence.Iterator(source), start=1):
            for index, (page_no, (x0, top, x1, bottom)) in regions.items():
                if page_no != frame_no:
                    continue
                margin = MARGIN_PT * _pixels_per_point(frame)
                box = (max(0, int(x0 - margin)), max(0, int(top - margin)),
                       min(frame.width, int(x1 + margin)), min(frame.height, int(bottom + margin)))  # fmt: skip
                if box[2] - box[0] < 1 or box[3] - box[1] < 1:
                    continue
                crop = frame.crop(box)
                factor = math.ceil((crop.width * crop.height / MAX_RENDER_PIXELS) ** 0.5)
                if factor > 1:  # reduce before the RGB copy: a huge frame's crop stays within the budget
                    crop = crop.reduce(factor)
                outline = tuple(v / factor for v in (x0 - box[0], top - box[1], x1 - box[0], bottom - box[1]))
                out[index] = _png(crop.convert("RGB"), outline)  # type: ignore[arg-type]
            if frame_no >= max(page for page, _ in regions.values()):
                break
    return out


def _pixels_per_point(image: Image.Image) -> float:
    dpi = image.info.get("dpi", (200, 200))[0] or 200
    return float(dpi) / 72


def _png(image: Image.Image, outline: tuple[float, float, float, float]) -> bytes:
    """The crop with the row outlined, scaled down when wide, as a compact PNG."""
    draw = ImageDraw.Draw(image)
    width = max(2, round(image.width / 400))
    draw.rectangle(outline, outline=OUTLINE, width=width)
    if image.width > MAX_CROP_PX:
        image = image.resize((MAX_CROP_PX, round(image.height * MAX_CROP_PX / image.width)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.quantize(colors=64).save(buffer, format="PNG", optimize=True)  # a page is black, white and a few rules
    return buffer.getvalue()
