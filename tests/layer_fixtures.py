"""Small PDFs, one per text-layer rule (extract/pdf_layer.py), written with pdfium's
own page objects: each imitates what a real producer writes.

- `invisible_scan`: a page image under an invisible (or visible) Latin-only text
  layer (a scanner's OCR: Canon, saiyoi_projects_notice_scan.pdf);
- `placed_glyphs`: every glyph its own text object at `1 Tf` in a scaled matrix,
  placed at its advance with a little kerning (Acrobat 9's TJ arrays,
  budget2565_doc3_vol14.pdf);
- `glyph_id_layer`: a CID font without a ToUnicode map, so pdfium hands out
  glyph ids for code points (Microsoft Reporting Services, poknoi_budget2560_report.pdf).
"""

from __future__ import annotations

import ctypes
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw, ImageFont


def sarabun() -> Path:
    import fontpkg_sarabun

    return Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf"


def _text_object(document: pypdfium2.PdfDocument, font: object, text: str, x: float, y: float, scale: float,
                 mode: int = pdfium_c.FPDF_TEXTRENDERMODE_FILL) -> object:  # fmt: skip
    obj = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, 1.0)  # `1 Tf`: the size is in the matrix
    encoded = (text + "\0").encode("utf-16-le")
    buffer = ctypes.create_string_buffer(encoded, len(encoded))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    pdfium_c.FPDFTextObj_SetTextRenderMode(obj, mode)
    pdfium_c.FPDFPageObj_Transform(obj, scale, 0, 0, scale, x, y)
    return obj


def _load_font(document: pypdfium2.PdfDocument, path: Path, cid: bool = True) -> tuple[object, ctypes.Array]:
    data = path.read_bytes()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = pdfium_c.FPDFText_LoadFont(document.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, cid)
    assert font, f"pdfium could not load {path}"
    return font, buffer  # the buffer must outlive the font


def _save(document: pypdfium2.PdfDocument, page: pypdfium2.PdfPage, path: Path) -> Path:
    assert pdfium_c.FPDFPage_GenerateContent(page.raw)
    page.close()
    document.save(str(path))
    document.close()
    return path


def invisible_scan(
    path: Path, thai: str = "โครงการซ่อมแซมถนน งบประมาณ ๓๘,๘๐๐ บาท", dpi: int = 300, visible: bool = False
) -> Path:
    """A page that is one image of Thai text, under invisible Latin gibberish (`visible`:
    drawn over the image, as a scanner that does not hide its OCR writes it)."""
    width, height = 595, 300
    image = Image.new("L", (width * dpi // 72, height * dpi // 72), 255)
    draw = ImageDraw.Draw(image)
    draw.text((60, 120), thai, font=ImageFont.truetype(str(sarabun()), 20 * dpi // 72), fill=0)
    document = pypdfium2.PdfDocument.new()
    page = document.new_page(width, height)
    picture = pypdfium2.PdfImage.new(document)
    picture.set_bitmap(pypdfium2.PdfBitmap.from_pil(image.convert("RGB")))
    picture.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
    page.insert_obj(picture)
    font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    for row, line in enumerate(["d:s nrna q dni:uir,rr:ei eucirualil:da s", "t3a{ 6au:1 nrd1qln:rn1 :d1{rilil1dolu"]):
        mode = pdfium_c.FPDF_TEXTRENDERMODE_FILL if visible else pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        obj = _text_object(document, font, line, 40, 200 - 30 * row, 14, mode)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    return _save(document, page, path)


def advances(font_path: Path, text: str) -> list[float]:
    """Each character's advance in ems, from the font's cmap and hmtx."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_path), lazy=True) as font:
        cmap, metrics, em = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
        return [metrics[cmap[ord(ch)]][0] / em if ord(ch) in cmap else 0.0 for ch in text]


def placed_glyphs(path: Path, lines: list[str], size: float = 16.0, kern_em: float = 0.012) -> Path:
    """Every glyph placed on its own (a text object each) at its advance plus a
    kerning that alternates in sign; spaces are space glyphs."""
    document = pypdfium2.PdfDocument.new()
    page = document.new_page(595, 842)
    font, keep = _load_font(document, sarabun())
    for row, line in enumerate(lines):
        x, y = 60.0, 780.0 - 40 * row
        for i, (ch, advance) in enumerate(zip(line, advances(sarabun(), line))):
            pdfium_c.FPDFPage_InsertObject(page.raw, _text_object(document, font, ch, x, y, size))
            x += advance * size + (kern_em * size * (1 if i % 2 else -1) if advance else 0.0)
    del keep
    return _save(document, page, path)


def glyph_id_layer(path: Path, lines: list[str], size: float = 14.0) -> Path:
    """Thai in a CID font whose ToUnicode map is blanked out (the bytes overwritten
    with spaces, so every offset holds): pdfium then reads glyph ids."""
    document = pypdfium2.PdfDocument.new()
    page = document.new_page(595, 842)
    font, keep = _load_font(document, sarabun())
    for row, line in enumerate(lines):
        pdfium_c.FPDFPage_InsertObject(page.raw, _text_object(document, font, line, 60, 780 - 30 * row, size))
    _save(document, page, path)
    del keep
    data = path.read_bytes()
    blanked, count = re.subn(rb"/ToUnicode\s+\d+\s+\d+\s+R", lambda m: b" " * len(m.group()), data)
    assert count, "pdfium wrote no ToUnicode map to remove"
    path.write_bytes(blanked)
    return path


def thai_subset(text: str, extra: tuple[str, ...] = (), unmapped: str = "",
                glyph_names: bool = False) -> tuple[bytes, dict[str, int]]:  # fmt: skip
    """Sarabun cut to the glyphs of `text` and the `extra` ones (by name), without layout
    tables, its cmap without the characters of `unmapped`, without glyph names unless `glyph_names`:
    a font in which only the outlines tell what its other glyphs draw. Returns the program
    and the glyph ids by name."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(sarabun()))
    cmap = font.getBestCmap()
    names = [cmap[ord(ch)] for ch in text if ord(ch) in cmap] + list(extra)
    options = subset.Options()
    options.layout_features, options.glyph_names, options.notdef_outline = [], glyph_names, True
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=names)
    subsetter.subset(font)
    ids = {name: font.getGlyphID(name) for name in names}
    for table in font["cmap"].tables:
        for ch in unmapped:
            table.cmap.pop(ord(ch), None)
    if not glyph_names:
        font["post"].formatType = 3.0
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), ids


def glyph_runs(path: Path, lines: list[list[str]], program: bytes, ids: dict[str, int], size: float = 16.0,
               lost_codes: tuple[str, ...] = (), upward: bool = False) -> Path:  # fmt: skip
    """Each line a list of glyph names, each glyph its own text object (set by glyph id, as
    Acrobat writes them) at its advance. pdfium's ToUnicode names only the glyphs the font's
    cmap reaches: the others are unmapped (then the widths are rewritten to hold them: pdfium
    writes none for them, 1 em by default). The glyphs of `lost_codes` are mapped to U+FFFD,
    as some producers write for a glyph they cannot name (pdfium then gives no code for it).
    `upward`: the lines written bottom to top, turned a quarter (a margin's vertical title)."""
    import io

    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(program)) as font:
        metrics, em, order = font["hmtx"].metrics, font["head"].unitsPerEm, font.getGlyphOrder()
        reached = set(font.getBestCmap().values())
    document = pypdfium2.PdfDocument.new()
    page = document.new_page(595, 842)
    buffer = (ctypes.c_uint8 * len(program)).from_buffer_copy(program)
    handle = pdfium_c.FPDFText_LoadFont(document.raw, buffer, len(program), pdfium_c.FPDF_FONT_TRUETYPE, True)
    assert handle, "pdfium could not load the subset font"
    for row, line in enumerate(lines):
        x, y = (60.0 + 40 * row, 100.0) if upward else (60.0, 780.0 - 40 * row)
        for name in line:
            obj = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, handle, 1.0)
            assert pdfium_c.FPDFText_SetCharcodes(obj, (ctypes.c_uint32 * 1)(ids[name]), 1)
            matrix = (0, size, -size, 0) if upward else (size, 0, 0, size)
            pdfium_c.FPDFPageObj_Transform(obj, *matrix, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
            advance = metrics[order[ids[name]]][0] / em * size
            x, y = (x, y + advance) if upward else (x + advance, y)
    _save(document, page, path)
    del buffer
    widths = b"[ 1[ " + b" ".join(b"%d" % round(metrics[n][0] * 1000 / em) for n in order[1:]) + b"]]"
    lost = {ids[n] for n in lost_codes}
    unreached = [gid for gid, n in enumerate(order) if n not in reached and gid]

    def edit(body: bytes) -> bytes:
        if re.fullmatch(rb"\[ *\d+ *\[[\d\s\[\]]*\]", body.strip()):  # the W array
            return widths
        if lost and b"/FlateDecode" in body and b"stream" in body:
            cmap = zlib.decompress(body[body.index(b"stream") + 8 : body.rindex(b"endstream")].strip(b"\r\n"))
            if b"begincmap" in cmap:  # the ToUnicode map: the lost glyphs' entries say U+FFFD
                entries = b"".join(b"<%04X> <FFFD>\n" % gid for gid in sorted(lost))
                cmap = cmap.replace(b"endcmap", b"%d beginbfchar\n%sendbfchar\nendcmap" % (len(lost), entries))
                return b"<</Length %d>>stream\r\n%s\r\nendstream" % (len(cmap), cmap)
        return body

    assert unreached, "every glyph is in the cmap: none is unmapped"
    return rewrite_objects(path, edit)


def rewrite_objects(path: Path, edit: Callable[[bytes], bytes]) -> Path:
    """The PDF (as pdfium saves it: a classic xref table) with each object's body passed
    through `edit`, its cross-reference table rebuilt."""
    data = path.read_bytes()
    end = data.rindex(b"\nxref") + 1
    found = list(re.finditer(rb"(\d+) 0 obj\r?\n(.*?)\r?\nendobj\r?\n", data[:end], re.S))
    out = bytearray(data[: found[0].start()])
    offsets: dict[int, int] = {}
    for match in found:
        offsets[int(match[1])] = len(out)
        out += b"%s 0 obj\r\n%s\r\nendobj\r\n" % (match[1], edit(match[2]))
    start, size = len(out), max(offsets) + 1
    out += b"xref\r\n0 %d\r\n0000000000 65535 f\r\n" % size
    out += b"".join(b"%010d 00000 n\r\n" % offsets[i] if i in offsets else b"0000000000 65535 f\r\n" for i in range(1, size))
    trailer = re.search(rb"trailer\s*(<<.*>>)\s*startxref", data[end:], re.S)
    assert trailer, "no trailer"
    out += b"trailer\r\n%s\r\nstartxref\r\n%d\r\n%%%%EOF\r\n" % (trailer[1], start)
    path.write_bytes(bytes(out))
    return path
