"""The Word readers at the RawDocument level, and the DOCX plans end to end."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.builders import build_docx, seed_rows, seed_truth
from thaiplan.errors import ExtractionError, ThaiplanError, ToolMissing, UnsupportedFormat
from thaiplan.extract import doc, docx
from thaiplan.extract.registry import read_document
from thaiplan.settings import Settings

# A published plan, copied byte for byte (tests/data/real/SOURCES.md): a missing file fails.
REAL_DOC = Path(__file__).parent / "data" / "real" / "devplan-2556-2558.doc"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
VARIANTS = {
    "default": {},
    "unmerged": {"merge_dimension": False},
    "no_breaks": {"hand_breaks": False},
    "codes_in_one_paragraph": {"split_codes_into_paragraphs": False},
    "header_by_hand": {"repeat_header": False},
    "table_per_page": {"tables_per_page": 1},
    "two_tables_per_page": {"tables_per_page": 2, "repeat_header": False},
}


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    titles, rows = seed_rows()
    return {name: build_docx(folder / f"{name}.docx", titles, rows, **kw) for name, kw in VARIANTS.items()}


def _merged_table(path: Path) -> Path:
    """A 3x3 table: top row merged across, left column merged down, a nested table."""
    document = Document()
    document.add_paragraph("ชื่อแผน")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "หัว"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "มิติ"
    table.cell(1, 1).text = "ก"
    table.cell(1, 2).text = "ข"
    inner = table.cell(2, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "ใน"
    document.save(str(path))
    return path


def test_merged_cells_read_once_with_spans(tmp_path: Path) -> None:
    raw = docx.read(_merged_table(tmp_path / "m.docx"))
    outer = raw.tables[0]
    assert [(c.col, c.col_span, c.row_span, c.text) for c in outer.rows[0].cells] == [(0, 3, 1, "หัว")]
    assert [(c.col, c.row_span, c.text) for c in outer.rows[1].cells] == [(0, 2, "มิติ"), (1, 1, "ก"), (2, 1, "ข")]
    assert [c.col for c in outer.rows[2].cells] == [1, 2]  # the merged-down cell is not repeated


def test_nested_table_is_its_own_table_and_noted(tmp_path: Path) -> None:
    raw = docx.read(_merged_table(tmp_path / "m.docx"))
    assert [t.nested for t in raw.tables] == [False, True]
    assert raw.tables[1].rows[0].cells[0].text == "ใน"
    assert "ใน" not in raw.tables[0].rows[2].cells[0].text
    assert [n.kind for n in raw.notes] == ["nested_table"]


def test_grid_before_shifts_columns(tmp_path: Path) -> None:
    document = Document()
    table = document.add_table(rows=2, cols=3)
    row = table.rows[1]._tr
    trpr = row.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    trpr.append(before)
    row.remove(row.tc_lst[0])
    row.tc_lst[0].getparent()  # still two cells
    table.cell(1, 1).text = "x"
    document.save(str(tmp_path / "g.docx"))
    cells = docx.read(tmp_path / "g.docx").tables[0].rows[1].cells
    assert [c.col for c in cells] == [1, 2]


def test_seed_docx_dimension_merge_breaks_and_header(seed_docx: dict[str, Path]) -> None:
    raw = docx.read(seed_docx["default"])
    assert raw.format == "docx" and len(raw.tables) == 1
    rows = raw.tables[0].rows
    assert rows[0].is_header is True and all(r.is_header is None for r in rows[1:])
    first = rows[1].cells[0]
    assert (first.col, first.row_span) == (0, 9) and first.text.startswith("๑. การสร้าง\nสังคม")
    assert all(c.col != 0 for r in rows[2:10] for c in r.cells)  # continuation cells not emitted
    mission = rows[1].cells[1].text
    assert "\n" in mission and not rows[1].cells[1].break_hints
    assert raw.lines[0].text.startswith("แผนปฏิบัติการป้องกันการทุจริต")
    assert raw.pages == 5 and rows[-1].page == 5


def test_two_codes_become_two_paragraphs(seed_docx: dict[str, Path]) -> None:
    texts = [c.text for r in docx.read(seed_docx["default"]).tables[0].rows for c in r.cells]
    assert any(t.startswith("๒.๒ มาตรการสร้างความโปร่งใส") and "\n๒.๒.๑ " in t for t in texts)


def test_hand_repeated_headers_and_several_tables(seed_docx: dict[str, Path]) -> None:
    by_hand = docx.read(seed_docx["header_by_hand"]).tables[0].rows
    assert sum(r.cells[0].text == "มิติ" for r in by_hand) == 5
    assert all(r.is_header is None for r in by_hand)
    per_page = docx.read(seed_docx["table_per_page"])
    assert len(per_page.tables) == 5 and [t.page_first for t in per_page.tables] == [1, 2, 3, 4, 5]
    assert len(docx.read(seed_docx["two_tables_per_page"]).tables) == 10


def test_corrupt_files_give_one_clear_error(tmp_path: Path, seed_docx: dict[str, Path]) -> None:
    data = seed_docx["default"].read_bytes()
    cases = {
        "truncated.docx": (data[: len(data) // 2], ExtractionError, "damaged or incomplete"),
        "random.docx": (b"PK\x03\x04" + bytes(range(256)) * 40, ExtractionError, "damaged or incomplete"),
    }
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "not a plan")
    cases["other.zip"] = (other.read_bytes(), UnsupportedFormat, "not a Word document")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512
    cases["locked.docx"] = (ole, ExtractionError, "password-protected")
    for name, (content, kind, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(kind, match=words) as caught:
            read_document(path)
        assert isinstance(caught.value, ThaiplanError) and "\n" not in str(caught.value)


def test_missing_soffice_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissing) as caught:
        doc.read(tmp_path / "plan.doc")
    assert caught.value.hint == "install LibreOffice: apt-get install libreoffice-writer-nogui"


@needs_soffice
@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_doc_says_it_is_damaged(tmp_path: Path, damage: str) -> None:
    """A Word 97 file whose OLE structure cannot be read is damaged (issue 14: a
    truncated one was called 'an Office file that is not a Word document'), and
    LibreOffice is not started for it."""
    path = tmp_path / "bad.doc"
    data = REAL_DOC.read_bytes()
    path.write_bytes(data[:8] + "WordDocument".encode("utf-16-le") + b"\x01" * 3000 if damage == "garbage"
                     else data[: len(data) // 2])  # fmt: skip
    with pytest.raises(ExtractionError, match=r"^the Word file is damaged or incomplete: its OLE structure cannot be "
                                              r"read \([^\n]+\)$") as caught:  # fmt: skip
        read_document(path, Settings.resolve({"limits.doc_timeout_s": 60}))
    assert caught.value.hint == "open it in Word or LibreOffice, save it as .docx and convert that"
    assert not list(tmp_path.glob("thaiplan-doc-*"))


def _soffice_left(folder: Path) -> list[str]:
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        if any(str(folder) in part for part in process.info["cmdline"] or ()):
            found.append(" ".join(process.info["cmdline"]))
    return found


@needs_soffice
def test_a_doc_conversion_past_its_time_is_killed_with_its_processes(tmp_path: Path, monkeypatch) -> None:
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's conversions only
    started = time.monotonic()
    with pytest.raises(ExtractionError, match=r"^LibreOffice did not finish converting the .doc within 1 s$"):
        # an empty cache: the session's cache may already hold this .doc's conversion
        doc.read(REAL_DOC, Settings.resolve({"limits.doc_timeout_s": 1, "cache_dir": str(tmp_path / "cache")}))
    assert time.monotonic() - started < 15
    assert _soffice_left(tmp_path) == []  # soffice, oosplash and soffice.bin: the whole group
    assert not list(tmp_path.glob("thaiplan-doc-*"))


@needs_soffice
def test_a_doc_converting_to_more_than_the_part_bound_is_too_large(tmp_path: Path) -> None:
    """No file LibreOffice writes may grow past limits.max_part_mb (here 1 MB): a Word
    97 file holding a 3 MB picture that does not compress."""
    import os
    import subprocess

    from PIL import Image

    from thaiplan.errors import TooLarge

    picture = tmp_path / "noise.png"
    Image.frombytes("RGB", (1024, 1024), os.urandom(3 << 20)).save(picture)
    source = tmp_path / "big.docx"
    document = Document()
    document.add_paragraph("แผนปฏิบัติการ")
    document.add_picture(str(picture))
    document.save(source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)}, check=True)  # fmt: skip
    big = tmp_path / "big.doc"
    assert big.stat().st_size > 3 << 20
    with pytest.raises(TooLarge, match=r"^too large \(LibreOffice's conversion of the .doc is more than 1 MB, "
                                       r"limits.max_part_mb\)$"):  # fmt: skip
        doc.read(big, Settings.resolve({"limits.max_part_mb": 1}))


def _word97(docx_path: Path, folder: Path) -> Path:
    """The DOCX saved as Word 97 by LibreOffice (as officials' old files are)."""
    import subprocess

    folder.mkdir()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(folder), str(docx_path)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(folder)})  # fmt: skip
    return folder / (docx_path.stem + ".doc")


@needs_soffice
def test_a_doc_is_converted_once_per_libreoffice(
    seed_docx: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The DOCX LibreOffice made is kept (doc_cache.py): the same bytes read again start no
    LibreOffice, and read the same; another LibreOffice version or THAIPLAN_NO_CACHE converts again."""
    word97 = _word97(seed_docx["default"], tmp_path / "word97")
    settings = Settings.resolve({"cache_dir": str(tmp_path / "cache")})
    monkeypatch.delenv("THAIPLAN_NO_CACHE", raising=False)
    first = doc.read(word97, settings)
    assert len(list((tmp_path / "cache" / "doc").rglob("*.docx"))) == 1
    calls: list[Path] = []
    real_convert = doc.convert
    monkeypatch.setattr(doc, "convert", lambda *args: calls.append(args[0]) or real_convert(*args))
    again = doc.read(word97, settings)
    assert calls == [] and (again.tables, again.lines) == (first.tables, first.lines)
    monkeypatch.setattr(doc.doc_cache, "libreoffice_version", lambda program: "LibreOffice 99.9")
    doc.read(word97, settings)
    assert calls == [word97]
    monkeypatch.setenv("THAIPLAN_NO_CACHE", "1")
    doc.read(word97, settings)
    assert calls == [word97, word97]
    assert len(list((tmp_path / "cache" / "doc").rglob("*.docx"))) == 2


@needs_soffice
def test_real_doc_converts_and_reads() -> None:
    raw = read_document(REAL_DOC)
    assert raw.format == "doc" and raw.source == str(REAL_DOC)
    assert len(raw.tables) >= 4 and sum(len(t.rows) for t in raw.tables) > 2000
    assert raw.lines[0].text == "ประกาศองค์การบริหารส่วนตำบลไทรย้อย"


def _convert(path: Path, out: Path) -> dict:
    import thaiplan

    return thaiplan.convert([path], out)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_docx_variants_end_to_end(variant: str, seed_docx: dict[str, Path], tmp_path: Path) -> None:
    pytest.importorskip("thaiplan").convert  # noqa: B018 (the library API is needed)
    tables = _convert(seed_docx[variant], tmp_path)
    items = tables["items"]
    assert len(items) == 38
    assert Counter(items["type"]) == {"project": 16, "activity": 9, "measure": 13}
    assert len(tables["missions"]) == 53
    assert sum(Decimal(str(v)) for v in items["budget_baht"]) == Decimal(430000)
    truth = set(seed_truth().values())
    default = _convert(seed_docx["default"], tmp_path / "default")["items"]
    # every habit reads the same words; a cell the truth file lacks may differ in a space
    assert [n.replace(" ", "") for n in items["name"]] == [n.replace(" ", "") for n in default["name"]]
    assert sum(name in truth for name in items["name"]) >= 30


@needs_soffice
def test_real_development_plan_converts_as_one(tmp_path: Path) -> None:
    """The real 133-page .doc converts by the development family (its projects:
    tests/test_development.py) with the plan's organisation and years."""
    from thaiplan.pipeline import convert_file

    result = convert_file(REAL_DOC)
    assert result.ok, result.error
    assert (result.plan.family, len(result.plan.items)) == ("development", 326)
    assert result.plan.organization == "องค์การบริหารส่วนตำบลไทรย้อย"
    assert result.plan.fiscal_years == (2556, 2557, 2558)


def test_a_folder_libreoffice_removes_while_its_output_is_measured_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice deletes profile folders while it works: measuring what it wrote must not
    fail on one that is gone by the time it is listed (seen in CI: FileNotFoundError)."""
    (tmp_path / "out.docx").write_bytes(b"x" * 10)
    gone = tmp_path / "profile" / "user" / "pack"
    gone.mkdir(parents=True)
    (gone / "soffice.cfg").write_bytes(b"y" * 100)
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]  # the folder vanishes between listing and reading
        if Path(path) == gone:
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert doc._written(tmp_path, set()) == 10
