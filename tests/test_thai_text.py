"""Thai repair steps: each on its own, and the chain's properties."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from thaiplan.normalize.thai_text import (  # noqa: E402
    REPAIR_STEPS,
    map_private_use,
    remove_spaces_before_marks,
    remove_zero_width,
    repair,
    repair_by_dictionary,
    repair_placed,
    repair_sara_am,
    repair_typed,
)


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [("ใหม้ี", "ให้มี"), ("ไดด้ี", "ได้ดี"), ("ผลลพัธ์", "ผลลัพธ์"), ("หมทู่ ี่", "หมู่ที่")],
)
def test_displaced_marks(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


def test_lost_nikhahit_only_where_the_word_list_is_sure() -> None:
    assert repair("แหล่งน้า") == "แหล่งน้ำ"
    assert repair("ท่อน้าประปา").startswith("ท่อน้ำ")
    assert repair("น้า") == "น้า"  # น้า (aunt) is a word: nothing makes น้ำ certain


def test_sara_am_read_for_sara_aa() -> None:
    assert repair("ด้ำนยุทธศำสตร์") == "ด้านยุทธศาสตร์"
    assert repair("ทำงาน") == "ทำงาน"


def test_sara_am_forms() -> None:
    assert repair_sara_am("สำานึก") == "สำนึก"
    assert repair_sara_am("ตําบล") == "ตำบล"
    assert repair_sara_am("น\u0e4d\u0e49\u0e32") == "น้ำ"
    assert repair_sara_am("ต\u0e4d\u0e33บล") == "ตำบล"


def test_private_use_zero_width_spaces_before_marks() -> None:
    assert map_private_use("ท\uf710\uf70bง") == "ทั้ง"
    assert remove_zero_width("การ\u200bทุจริต") == "การทุจริต"
    assert remove_spaces_before_marks("ในเรื ่อง") == "ในเรื่อง"


def test_never_nfkc() -> None:
    assert repair("จำนวน") == "จำนวน"  # NFKC would split ำ into ํ + า


def test_dictionary_step_leaves_non_thai_alone() -> None:
    assert repair_by_dictionary("Budget 2563: 20,000.-") == "Budget 2563: 20,000.-"


def test_every_step_is_named_and_documented() -> None:
    for step in REPAIR_STEPS:
        assert step.__name__ != "<lambda>"
        assert step.__doc__ and ">>>" in step.__doc__


@pytest.mark.parametrize("name", ["บ้านนางอรพิน ตันตา", "นายมา กาศกุล", "นายอุ๊ด เวทธิกูล", "นายสวั่น"])
def test_typed_text_keeps_names_the_word_list_does_not_know(name: str) -> None:
    """Word and Excel cells (the real plan 2556-2558): nothing was misread, so no mark is moved."""
    assert repair_typed(name) == name


def test_typed_text_still_gets_its_encoding_made_canonical() -> None:
    assert repair_typed("ท\uf710\uf70bง ตําบล การ\u200bทุจริต ในเรื ่อง") == "ทั้ง ตำบล การทุจริต ในเรื่อง"
    assert repair_typed("ไดด้ี") == "ไดดี้"  # marks in canonical order, but no guess about which consonant they belong to


@pytest.mark.parametrize("name", ["บ้านนางอรพิน ตันตาถึง", "บ้านนายมา กาศกุล"])
def test_placed_marks_keep_names_the_word_list_does_not_know(name: str) -> None:
    """A PDF's glyphs (the real plan's page 127): the reader put each mark on the glyph it is drawn
    over, so the word list moves none (it would make อริพน, กาศุกล: words, but not these names)."""
    assert repair(name) != name  # the full chain guesses, as it must for a plain-text copy
    assert repair_placed(name) == name


def test_placed_marks_still_get_a_misread_sara_am_fixed() -> None:
    assert repair_placed("ด้ำนยุทธศำสตร์ แหล่งน้า") == "ด้านยุทธศาสตร์ แหล่งน้ำ"


THAI_ISH = st.text(
    alphabet=st.sampled_from(
        list("กขคงจดตนบปผพมยรลวสหอะาำิีึืุูเแโใไ่้๊๋์ํ็ั ๑๒.\n") + ["\uf710", "\uf70b", "\u200b", "\ufffd", "a", "1"]
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(THAI_ISH)
def test_repair_is_idempotent_and_never_raises(text: str) -> None:
    once = repair(text)
    assert repair(once) == once
    typed = repair_typed(text)
    assert repair_typed(typed) == typed
    placed = repair_placed(text)
    assert repair_placed(placed) == placed
