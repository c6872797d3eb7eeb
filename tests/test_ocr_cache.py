"""The OCR page cache: a page is read once, and read again whenever an OCR
setting, the OCR code or data, or tesseract changes, with no version number
bumped by hand. The page reader is a counting stand-in, so this needs no tesseract."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from thaiplan import fingerprint
from thaiplan.extract import ocr
from thaiplan.settings import Settings


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages the stand-in reader was asked for."""
    calls: list[int] = []

    def read_page(grey: np.ndarray, page: int, settings: Any, dpi: int) -> dict[str, Any]:
        calls.append(page)
        return {"tables": [], "lines": [f"page {page}"], "notes": [], "angle": 0.0, "scale": 1.0}

    monkeypatch.setattr(ocr, "read_page", read_page)
    monkeypatch.setattr(ocr, "require_tesseract", lambda what="": None)
    monkeypatch.setattr(ocr, "tesseract_version", lambda: "tesseract 5.3.0")
    monkeypatch.setattr(ocr, "load_model", lambda: None)
    return calls


def _read(settings: Settings) -> list[str]:
    image = Image.fromarray(np.full((40, 60), 255, np.uint8))
    _, lines, _ = ocr.ocr_images([image], 1, settings)
    return [line.text for line in lines]


def test_a_page_is_read_once(counted: list[int], tmp_path: Path) -> None:
    settings = Settings.resolve({"cache_dir": str(tmp_path), "ocr.workers": 1})
    assert _read(settings) == ["page 1"] and _read(settings) == ["page 1"]
    assert counted == [1]


def test_an_ocr_setting_invalidates_the_cache(counted: list[int], tmp_path: Path) -> None:
    settings = Settings.resolve({"cache_dir": str(tmp_path), "ocr.workers": 1})
    _read(settings)
    _read(settings.updated({"ocr.low_confidence": 55}))
    _read(settings.updated({"ocr.workers": 2}))  # only how fast: the cached page serves
    assert counted == [1, 1]


@pytest.mark.parametrize(
    ("reader", "other"), [("tesseract_version", "tesseract 5.4.1"), ("opencv_version", "OpenCV 5.1.0")]
)
def test_another_tesseract_or_opencv_invalidates_the_cache(
    counted: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str, other: str
) -> None:
    settings = Settings.resolve({"cache_dir": str(tmp_path), "ocr.workers": 1})
    _read(settings)
    monkeypatch.setattr(ocr, reader, lambda: other)
    _read(settings)
    assert counted == [1, 1]


def test_a_change_to_the_ocr_code_invalidates_the_cache(
    counted: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.resolve({"cache_dir": str(tmp_path / "cache"), "ocr.workers": 1})
    _read(settings)
    # The key holds the fingerprint of thaiplan.extract's files: stand in a copy
    # of the package with one line of ocr_page.py changed.
    copy = tmp_path / "copy"
    source = Path(ocr.__file__).parent
    (copy / "fakeextract").mkdir(parents=True)
    for path in source.glob("*.py"):
        (copy / "fakeextract" / path.name).write_bytes(path.read_bytes())
    monkeypatch.syspath_prepend(str(copy))
    before = fingerprint.code_fingerprint("fakeextract")
    page_module = copy / "fakeextract" / "ocr_page.py"
    page_module.write_text(page_module.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    fingerprint.code_fingerprint.cache_clear()
    after = fingerprint.code_fingerprint("fakeextract")
    assert after != before
    monkeypatch.setattr(ocr, "code_fingerprint", lambda package: after)
    _read(settings)
    assert counted == [1, 1]
    sys.modules.pop("fakeextract", None)
    importlib.invalidate_caches()


def test_the_fingerprint_is_the_same_in_a_wheel_and_in_the_repository() -> None:
    """It names files relative to their package, never by the folder they sit in."""
    files = fingerprint.package_files("thaiplan.extract")
    assert {"ocr.py", "ocr_page.py", "thai_digits.py"} <= {p.name for p in files}
    assert fingerprint.code_fingerprint("thaiplan.extract") == fingerprint.code_fingerprint("thaiplan.extract")


def test_the_pipeline_fingerprint_covers_every_source_file_of_the_package() -> None:
    """A change to any module (a plan family's builder included) must make a rerun convert
    again: every .py file of the four installed folders is in the fingerprint."""
    from tests.conftest import ROOT

    covered = {p.resolve() for package in fingerprint.PACKAGES for p in fingerprint.package_files(package)}
    sources = {p.resolve() for folder in ("thaiplan", "extract", "normalize", "families")
               for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts}  # fmt: skip
    assert sources - covered == set()
    assert (ROOT / "families" / "development" / "builder.py").resolve() in covered
