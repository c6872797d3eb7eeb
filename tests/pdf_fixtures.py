"""Build the seed plan as DOCX and, through LibreOffice, as a text-layer PDF.

A private builder for the PDF tests: the seed text is the expected output, the
PDF made from it the input. Rows may break across pages (LibreOffice's default),
which is what the cross-page tests need.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from thaiplan.extract.text import parse_text
from tests.builders import landscape_a4

SEED = Path(__file__).resolve().parents[1] / "samples" / "000_8b3bc95f51f4a1e5.txt"
COLUMNS = 6
WIDTHS_CM = (3.0, 6.6, 6.6, 3.2, 4.0, 3.3)  # 26.7 cm: A4 landscape less margins
FONT = "Garuda"


def seed_table() -> tuple[list[str], list[list[str]]]:
    """The seed's title lines and its rows (the header once, then data rows)."""
    doc = parse_text(SEED.read_text(encoding="utf-8"), str(SEED))
    header: list[str] | None = None
    rows: list[list[str]] = []
    for row in doc.tables[0].rows:
        texts = [cell.text for cell in row.cells] + [""] * COLUMNS
        texts = texts[:COLUMNS]
        if texts[0] == "มิติ":  # the copy repeats the header on every page
            header = header or texts
            continue
        rows.append(texts)
    assert header is not None
    return [line.text for line in doc.lines], [header, *rows]


def _font(run, size: int = 16) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), FONT)
    run._element.get_or_add_rPr().append(_cs_size(size))


def _cs_size(size: int) -> OxmlElement:
    element = OxmlElement("w:szCs")
    element.set(qn("w:val"), str(size * 2))
    return element


def build_seed_docx(path: Path) -> None:
    title_lines, rows = seed_table()
    document = Document()
    landscape_a4(document, Cm(1.5), ("left", "right", "top", "bottom"))
    for text in title_lines:
        _font(document.add_paragraph().add_run(text))
    table = document.add_table(rows=len(rows), cols=COLUMNS)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS_CM):
        column.width = Cm(width)
    for r, texts in enumerate(rows):
        row = table.rows[r]
        if r == 0:  # repeat the header on every page, as plans do
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for c, text in enumerate(texts):
            cell = row.cells[c]
            cell.width = Cm(WIDTHS_CM[c])
            _font(cell.paragraphs[0].add_run(text))
    document.save(str(path))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(source: Path, out_dir: Path, timeout: float = 180) -> Path:
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


def build_seed_pdf(path: Path) -> Path:
    """The seed plan as a LibreOffice PDF at `path`."""
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / (path.stem + ".docx")
        build_seed_docx(docx_path)
        pdf = to_pdf(docx_path, Path(tmp))
        shutil.copyfile(pdf, path)
    return path


if __name__ == "__main__":  # python -m tests.pdf_fixtures OUT.pdf
    import sys

    print(build_seed_pdf(Path(sys.argv[1])))
