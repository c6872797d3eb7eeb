"""A scanned table of numbers made here (no source to record): Arabic amounts with
decimals, lone zeros, percentages, dates with slashes and Thai list numbers ๑–๑๑,
drawn with Pillow in a Thai font at a given dpi, then "scanned" as
builders.scan does (skew, blur, grey paper, specks)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.builders import scan
from thaiplan.thai import to_thai

AMOUNTS = ("637,560.00", "0", "1,250.50", "20,000", "3,088,135.02", "0", "45,900.75", "100,000.00", "7,400", "0",
           "426,800.00")  # fmt: skip
SHARES = ("100 %", "50 %", "33.33 %", "0 %", "12.5 %", "100 %", "75 %", "8 %", "100 %", "66.67 %", "90 %")
DATES = ("17/10/2559", "1/1/2560", "30/9/2561", "15/12/2562", "17/10/2559", "28/2/2563", "31/3/2564", "9/11/2565",
         "4/7/2566", "17/10/2559", "20/6/2557")  # fmt: skip
NAMES = ("ซ่อมถนน", "ขุดลอกคลอง", "ประปา", "ไฟฟ้า", "อบรม", "กีฬา", "ห้องสมุด", "ศาลา", "ฝาย", "ลานกีฬา", "รางระบายน้ำ")
HEADER = ("ที่", "รายการ", "งบประมาณ", "ร้อยละ", "วันที่")
ROWS = tuple((f"{to_thai(str(n + 1))}.", NAMES[n], AMOUNTS[n], SHARES[n], DATES[n]) for n in range(len(NAMES)))
NUMBER_COLUMNS = (0, 2, 3, 4)
COLUMN_INCHES = (0.7, 2.0, 1.9, 1.2, 1.6)
ROW_INCHES = 0.42


def number_table(font: Path, dpi: int, size_pt: int = 16) -> Image.Image:
    """The table on a white page at `dpi`: numbers right-aligned, names left."""

    def px(inches: float) -> int:
        return round(inches * dpi)

    face = ImageFont.truetype(str(font), round(size_pt / 72 * dpi))
    row_height = px(ROW_INCHES)
    xs = [px(0.6)]
    for inches in COLUMN_INCHES:
        xs.append(xs[-1] + px(inches))
    ys = [px(0.8) + i * row_height for i in range(len(ROWS) + 2)]
    page = Image.new("L", (px(8.27), ys[-1] + px(0.8)), 255)
    draw = ImageDraw.Draw(page)
    rule = max(1, dpi // 100)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=rule)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=rule)
    for r, row in enumerate((HEADER, *ROWS)):
        for c, text in enumerate(row):
            left = xs[c + 1] - px(0.1) - draw.textlength(text, font=face) if c >= 2 else xs[c] + px(0.1)
            draw.text((left, ys[r] + row_height / 2), text, fill=0, font=face, anchor="lm")
    return page


def scanned_number_table(font: Path, dpi: int, seed: int = 3) -> Image.Image:
    image = scan(number_table(font, dpi), 0.6, seed, dpi)
    image.info["dpi"] = (dpi, dpi)
    return image
