"""The build side of the shipped data (extract/digit_training.py,
scripts/build_data.py), on one font and one size so it stays quick: the same
fonts give the same bytes, and a missing font stops the build with a message
saying what to install."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT
from thaiplan.extract import digit_training as training
from thaiplan.extract.thai_digits import CLASSES, DigitModel, read_model
from thaiplan.normalize.wraps_width import width_table

needs_tlwg = pytest.mark.skipif(
    not (training.TLWG_DIR / "Garuda.ttf").is_file(), reason="fonts-thai-tlwg is not installed"
)


def _build_script():
    spec = importlib.util.spec_from_file_location("build_data", ROOT / "scripts" / "build_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_tlwg
def test_training_set_is_deterministic() -> None:
    (garuda,) = training.tlwg_fonts(("Garuda",))
    features, labels, origin = training.training_set([garuda], sizes=(30,))
    again = training.training_set([garuda], sizes=(30,))
    assert np.array_equal(features, again[0]) and np.array_equal(labels, again[1])
    assert features.shape[0] == len(CLASSES) * training.COPIES and set(origin) == {0}
    assert np.array_equal(labels, np.repeat(np.arange(len(CLASSES)), training.COPIES))
    # one random stream in font order: adding a font after it leaves a font's samples alone
    (kinnari,) = training.tlwg_fonts(("Kinnari",))
    longer, _, origin2 = training.training_set([garuda, kinnari], sizes=(30,))
    assert np.array_equal(longer[origin2 == 0], features)


@needs_tlwg
def test_saved_model_bytes_depend_only_on_the_model(tmp_path: Path) -> None:
    model = DigitModel.fit(*training.training_set(training.tlwg_fonts(("Garuda",)), sizes=(30,))[:2])
    training.save_model(model, tmp_path / "a.npz")
    training.save_model(model, tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    back = read_model(tmp_path / "a.npz")
    assert np.array_equal(back.labels, model.labels)
    assert np.allclose(back.features, model.features, atol=2e-3)


def test_a_missing_font_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(training, "TLWG_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="fonts-thai-tlwg"):
        training.tlwg_fonts()
    monkeypatch.setitem(sys.modules, "fontpkg_sarabun", None)  # not installed
    with pytest.raises(FileNotFoundError, match=r"\.\[build\]"):
        training.sarabun_fonts()


def test_build_script_stops_on_a_missing_font(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(training, "TLWG_DIR", tmp_path)  # before anything is written
    assert _build_script().main(["--no-eval"]) == 1
    assert "fonts-thai-tlwg" in capsys.readouterr().err


@pytest.mark.skipif(not (training.TLWG_DIR / "Laksaman.ttf").is_file(), reason="fonts-thai-tlwg is not installed")
def test_shipped_widths_are_what_the_script_measures() -> None:
    build = _build_script()
    assert build.measure_widths(training.TLWG_DIR / "Laksaman.ttf") == width_table()
