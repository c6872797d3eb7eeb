"""Both PDF engines give the same dataset: table rules from pdfium's path
objects (the default) and from pdfplumber's pdfminer parse, on every PDF
sample and every real PDF kept here (tests/data/real/SOURCES.md). The raw
documents are compared too (every cell, line and note; cell boxes to 0.01 pt:
pdfium keeps coordinates as 32-bit floats), since the budget volume gives no
plan rows. The scan is read from its OCR recording; the real files' OCR
pages are skipped, OCR being the same whichever engine read the text layer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ocr_recording import RECORDING, SCAN
from thaiplan import pipeline
from thaiplan.extract.model import Note, RawDocument
from thaiplan.extract.pdf import read
from thaiplan.extract.pdf_paths import page_edges
from thaiplan.records import rows_of
from thaiplan.settings import Settings

REAL = ROOT / "tests" / "data" / "real"
PDFS = sorted((ROOT / "samples").glob("*.pdf")) + sorted(REAL.glob("*.pdf"))


def _settings(path: Path, engine: str) -> Settings:
    changes: dict[str, object] = {"pdf.engine": engine}
    if path.name == SCAN.name:
        changes |= {"ocr.engine": "replay", "ocr.replay_file": str(RECORDING)}
    elif path.parent == REAL:
        changes["pdf.ocr"] = False
    return Settings.resolve(changes)


def _convert(path: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> tuple[RawDocument, dict]:
    """The file's raw document and dataset rows (a failure's included), from one read."""
    raws: list[RawDocument] = []
    reader = pipeline.read_document
    monkeypatch.setattr(pipeline, "read_document", lambda p, s: raws.append(reader(p, s)) or raws[-1])
    result = pipeline.convert_file(path, _settings(path, engine), source=str(path.relative_to(ROOT)))
    return raws[0], rows_of(result)


def _without_boxes(document: RawDocument) -> tuple[RawDocument, list, list]:
    """The document without its cell boxes and row breaks (compared with a tolerance), and those."""
    boxes = [c.bbox for t in document.tables for r in t.rows for c in r.cells]
    breaks = [t.row_breaks for t in document.tables]
    tables = tuple(replace(t, row_breaks=(), rows=tuple(replace(r, cells=tuple(replace(c, bbox=None) for c in r.cells))
                                                        for r in t.rows)) for t in document.tables)  # fmt: skip
    return replace(document, tables=tables), boxes, breaks


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_engines_give_the_same_dataset(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw_pdfium, mine = _convert(path, "pdfium", monkeypatch)
    raw_plumber, theirs = _convert(path, "pdfplumber", monkeypatch)
    assert mine.keys() == theirs.keys()
    for table in mine:
        assert mine[table] == theirs[table], f"{path.name}: {table} differ between the engines"
    (doc_pdfium, boxes_pdfium, breaks_pdfium) = _without_boxes(raw_pdfium)
    (doc_plumber, boxes_plumber, breaks_plumber) = _without_boxes(raw_plumber)
    assert doc_pdfium == doc_plumber
    for a, b in zip(boxes_pdfium, boxes_plumber, strict=True):
        assert (a is None) == (b is None)
        assert a is None or max(abs(u - v) for u, v in zip(a, b)) < 0.01
    # where column rules break off: the two parsers place a path's pieces up to a fraction of a point apart
    for a, b in zip(breaks_pdfium, breaks_plumber, strict=True):
        assert len(a) == len(b) and all(abs(u - v) < 0.5 for u, v in zip(a, b))


def test_the_default_engine_is_pdfium_and_never_parses_with_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfplumber.table (and with it pdfminer's modules) finds the tables, but
    no pdfminer parse of the document runs: opening, parsing and interpreting
    a page all raise here, and the pdfplumber engine trips them."""
    import pdfminer.pdfinterp
    import pdfminer.pdfparser
    import pdfplumber

    from thaiplan.errors import ExtractionError

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pdfminer parsed the document")

    monkeypatch.setattr(pdfplumber, "open", parse)
    monkeypatch.setattr(pdfminer.pdfparser.PDFParser, "__init__", parse)
    monkeypatch.setattr(pdfminer.pdfinterp.PDFPageInterpreter, "process_page", parse)
    seed = ROOT / "samples" / "seed_plan.pdf"
    assert Settings().pdf.engine == "pdfium"
    assert read(seed).tables
    with pytest.raises(ExtractionError, match="damaged"):
        read(seed, Settings.resolve({"pdf.engine": "pdfplumber"}))


def test_a_page_past_the_path_cap_keeps_its_text_and_says_so() -> None:
    seed = ROOT / "samples" / "seed_plan.pdf"
    capped = read(seed, Settings.resolve({"pdf.max_path_segments": 1}))
    notes = [n for n in capped.notes if n.kind == "too_many_paths"]
    assert notes and all(isinstance(n, Note) and n.severity == "warning" for n in notes)
    assert "pdf.max_path_segments" in notes[0].message
    assert not capped.tables and capped.lines  # the text stays, as lines
    full = read(seed)
    assert full.tables and not [n for n in full.notes if n.kind == "too_many_paths"]


def test_path_objects_are_capped_before_their_segments_are_read() -> None:
    import pypdfium2

    from thaiplan.extract.pdf_ruling import TooManyPaths

    document = pypdfium2.PdfDocument(str(REAL / "devplan-2556-2558.pdf"))
    try:
        page = document[30]  # a table page
        assert page_edges(page, page.get_height(), 10_000, 100_000)
        with pytest.raises(TooManyPaths, match="pdf.max_path_objects"):
            page_edges(page, page.get_height(), 5, 100_000)
        page.close()
    finally:
        document.close()


def test_a_lattice_past_the_crossing_caps_is_refused_before_the_search() -> None:
    from thaiplan.extract.pdf_ruling import MAX_CROSSINGS, MAX_PAIRS, Edge, TooManyPaths, find_tables

    def grid(n: int, gap: float) -> list[Edge]:  # n x n lines: n * n crossings, or none with the gap
        return ([Edge(5.0 * i, 0.0, 5.0 * i, 5.0 * n, 5.0 * n, "v") for i in range(n)]
                + [Edge(0.0, gap + 5.0 * j, 5.0 * n, gap + 5.0 * j, 5.0 * n, "h") for j in range(n)])  # fmt: skip

    assert len(find_tables(grid(30, 0.0))[0][0]) == 29 * 29
    side = int(MAX_CROSSINGS**0.5) + 1
    with pytest.raises(TooManyPaths, match="crossings"):
        find_tables(grid(side, 0.0))
    side = int(MAX_PAIRS**0.5) + 1  # no crossing at all, but every pair is tried
    with pytest.raises(TooManyPaths, match="pairs"):
        find_tables(grid(side, 10_000.0))


def test_an_unknown_engine_is_refused() -> None:
    from thaiplan.errors import SettingsError

    with pytest.raises(SettingsError, match="pdf.engine"):
        Settings.resolve({"pdf.engine": "pdfminer"})
    with pytest.raises(SettingsError, match="pdf.max_path_segments"):
        Settings.resolve({"pdf.max_path_segments": 0})
