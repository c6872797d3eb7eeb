"""The data two steps need ships in the package and is loaded from there: the
digit recogniser's model and the glyph widths of wrap decisions. Loading them
starts no program, reads no font and trains nothing."""

from __future__ import annotations

import inspect
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import ImageFont

from thaiplan.extract import thai_digits
from thaiplan.extract.thai_digits import CLASSES, DigitModel, load_model, model_file, read_number
from thaiplan.normalize import wraps_width
from thaiplan.normalize.wraps_width import char_width, text_width, width_table


def _forbid(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("touched at load time")


@pytest.fixture
def no_fonts_nor_training(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way to list fonts, load one or train fails the test."""
    for name in ("run", "Popen", "check_output"):
        monkeypatch.setattr(subprocess, name, _forbid)
    monkeypatch.setattr(ImageFont, "truetype", _forbid)
    monkeypatch.setattr(ImageFont.FreeTypeFont, "__init__", _forbid)
    monkeypatch.setattr(DigitModel, "fit", classmethod(_forbid))


def test_model_file_is_inside_the_package() -> None:
    path = Path(str(model_file()))
    assert path.is_file() and path.parent == Path(thai_digits.__file__).parent / "data"
    assert path.stat().st_size < 5_000_000


@pytest.mark.usefixtures("no_fonts_nor_training")
def test_model_loads_from_the_package_file() -> None:
    load_model.cache_clear()
    try:
        model = load_model()
    finally:
        load_model.cache_clear()  # the next caller loads it normally
    assert set(np.unique(model.labels)) == set(range(len(CLASSES)))
    assert model.features.shape == (len(model.labels), model.components.shape[1])
    assert model.mean.shape == (model.components.shape[0],) and model.digit_distance > 0


def test_runtime_modules_hold_no_font_code() -> None:
    for module in (thai_digits, wraps_width):
        source = inspect.getsource(module)
        assert "ImageFont" not in source and "fc-list" not in source and "/usr/share/fonts" not in source
    assert not hasattr(thai_digits, "training_set") and not hasattr(thai_digits, "thai_fonts")


@pytest.mark.usefixtures("no_fonts_nor_training")
def test_widths_load_from_the_package_file() -> None:
    width_table.cache_clear()
    text_width.cache_clear()
    try:
        table = width_table()
    finally:
        width_table.cache_clear()
        text_width.cache_clear()
    assert table["ก"] == 1.0 and table["\u0e48"] == 0.0 and 0.4 < table[" "] < 0.7
    assert len(table) == 193  # Thai block, printable ASCII, quotes, dashes and the ellipsis


def test_a_character_outside_the_table_keeps_the_simple_rule() -> None:
    assert char_width("\u0e31", {}) == 0.0  # a combining mark has no advance
    assert char_width(" ", {}) == 0.5
    assert char_width("€", {}) == 1.0 == char_width("€")


@pytest.mark.parametrize("number", ["๒๕๖๔", "๔๗๘,๙๖๐", "๓.๒.๑", "2564"])
def test_reads_numbers_typed_in_sarabun(number: str) -> None:
    """Most plans are typed in (TH) Sarabun, one of the model's fonts."""
    fontpkg_sarabun = pytest.importorskip("fontpkg_sarabun", reason="the build extra is not installed")
    from PIL import Image, ImageDraw

    font = ImageFont.truetype(str(Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf"), 40)
    image = Image.new("L", (400, 90), 0)
    ImageDraw.Draw(image).text((10, 10), number, fill=255, font=font)
    reading = read_number((np.asarray(image) > 128).astype(np.uint8) * 255, number)
    assert reading is not None and reading.text == number
