"""The plain-text reader: encodings, line endings, page breaks."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.conftest import SEED
from thaiplan.extract import InputError, UnsupportedFormat, read_document
from thaiplan.extract.text import decode


def _cells(path: Path) -> list[list[str]]:
    doc = read_document(path)
    return [[c.text for c in row.cells] for table in doc.tables for row in table.rows]


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("cp874", lambda t: t.encode("cp874")),
        ("utf16", lambda t: t.encode("utf-16")),
        ("utf16be", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
        ("utf8bom_crlf", lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_seed_in_other_encodings_reads_the_same(tmp_path: Path, name: str, encode) -> None:
    text = SEED.read_text(encoding="utf-8")
    copy = tmp_path / f"seed_{name}.txt"
    copy.write_bytes(encode(text))
    assert _cells(copy) == _cells(SEED)
    assert read_document(copy).lines == read_document(SEED).lines


def test_seed_pages_follow_blank_lines() -> None:
    doc = read_document(SEED)
    assert doc.pages == 5
    assert doc.tables[0].rows[0].page == 1
    assert doc.tables[0].rows[-1].page == 5


def test_cp874_quotes_decode() -> None:
    assert decode("“โตไปไม่โกง”".encode("cp874")) == "“โตไปไม่โกง”"


def test_binary_bytes_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFormat, match="binary"):
        read_document(path)


def test_blank_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="blank"):
        read_document(path)


def test_latin1_text_is_not_taken_for_thai(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Café déjà vu\tnaïve\n".encode("latin-1"))
    with pytest.raises(UnsupportedFormat, match="encoding"):
        read_document(path)
