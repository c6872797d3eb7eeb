"""Fuzzing as a habit (issue 15), brief enough for every CI run: arbitrary and
very long strings into every normaliser within a time bound, and structure-aware
fuzz of the text and DOCX readers (random tab/line layouts; random trees of
the WordprocessingML elements the reader walks). A reader may refuse a file,
but only with a ThaiplanError (one line), never another exception."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile_files import W, docx_bytes
from tests.normalisers import NORMALISERS, name_of
from thaiplan.errors import ThaiplanError
from thaiplan.extract import docx, text
from thaiplan.normalize.amounts import AmountError

BRIEF = settings(max_examples=40, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
thai = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
cell_text = st.text(alphabet=thai | st.sampled_from(" \u00a0-.,/()0123456789\n\t\u200b\uf70b"), max_size=200)
long_text = st.builds(lambda unit, count: unit * count, st.text(alphabet=thai | st.just(" "), min_size=1, max_size=8),
                      st.integers(1000, 20_000))  # fmt: skip


@pytest.mark.parametrize("function", NORMALISERS, ids=name_of)
@BRIEF
@given(value=st.text(max_size=300) | cell_text | long_text)
def test_normaliser_takes_any_text(function: Callable[[str], object], value: str) -> None:
    with contextlib.suppress(AmountError):  # parse_amount's documented refusal
        function(value)


lines = st.lists(st.lists(cell_text, min_size=1, max_size=8).map("\t".join), min_size=1, max_size=40)


@BRIEF
@given(rows=lines, separator=st.sampled_from(["\n", "\r\n", "\n\n", "\f\n"]))
def test_text_reader_takes_any_layout(rows: list[str], separator: str) -> None:
    data = separator.join(rows).encode("utf-8")
    _read_or_refuse(text.read, data, ".txt")


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    wrap = st.sampled_from(["tbl", "tr", "tc", "p", "r", "sdt", "sdtContent"])
    return st.builds(lambda tag, inner: f"<w:{tag}>{''.join(inner)}</w:{tag}>", wrap, st.lists(children, max_size=4))


leaves = st.one_of(
    cell_text.map(lambda t: f"<w:r><w:t>{t.replace('&', '').replace('<', '')}</w:t></w:r>"),
    st.sampled_from(["<w:br/>", '<w:br w:type="page"/>', "<w:tab/>", "<w:lastRenderedPageBreak/>", "<w:cr/>",
                     '<w:tcPr><w:gridSpan w:val="3"/><w:vMerge w:val="restart"/></w:tcPr>', '<w:vMerge/>',
                     '<w:trPr><w:tblHeader/></w:trPr>', '<w:gridBefore w:val="-2"/>', '<w:hMerge/>']),
)  # fmt: skip
bodies = st.recursive(leaves, _element, max_leaves=40)


@BRIEF
@given(parts=st.lists(bodies, min_size=1, max_size=6))
def test_docx_reader_takes_any_tree_of_its_elements(parts: list[str]) -> None:
    document = f"<w:document {W}><w:body>{''.join(parts)}</w:body></w:document>".encode()
    _read_or_refuse(docx.read, docx_bytes(document), ".docx")


def _read_or_refuse(read: Callable[[Path], object], data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(ThaiplanError):
            read(path)
