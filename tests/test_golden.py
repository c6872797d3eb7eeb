"""Golden tests: every sample's full output compared with reviewed files under
tests/golden/<sample>/. `pytest --update-golden` rewrites them; a missing
golden file fails. An OCR sample's golden folder also records the tesseract and
OpenCV that made it (OCR_VERSIONS): without tesseract its test is skipped, and
under other versions it is still compared, a failure naming both."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from thaiplan.runner import expand, run

GOLDEN = ROOT / "tests" / "golden"
SAMPLES = [i.path.relative_to(ROOT) for i in expand([ROOT / "samples"])]
OCR_SAMPLES = {"seed_plan_scan_200dpi.pdf"}  # read by tesseract, whose output changes between versions
VERSION_FILE = "OCR_VERSIONS"  # in an OCR sample's golden folder: tesseract's and OpenCV's; not an output
DATABASE = "thaiplan.sqlite"  # the store (not reproducible byte for byte) and, as .files, its bookkeeping: the goldens hold its exports
TEXT_EXPORTS = (".csv", ".json", ".md")  # compared; the binary Parquet and Excel files are tested in test_typed_exports


def _outputs(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in TEXT_EXPORTS and not path.name.startswith((DATABASE, "."))
    }


def _tesseract_versions(expected_dir: Path) -> tuple[str, str]:
    """(the installed tesseract's version, what a failed comparison adds: both versions
    when they differ). Skips when tesseract cannot run, naming the golden's version."""
    from thaiplan.extract import ocr

    recorded_file = expected_dir / VERSION_FILE
    recorded = "unrecorded versions"
    if recorded_file.is_file():
        recorded = recorded_file.read_text(encoding="utf-8").strip()
    if not ocr.tesseract_available():
        pytest.skip(f"{ocr.tesseract_status()}: the scan golden was made with {recorded}")
    installed = ocr.ocr_versions()
    if installed == recorded:
        return installed, ""
    return installed, f" (the golden was made with {recorded}, this machine has {installed}: OCR may differ)"


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_matches_golden(
    sample: Path, tmp_path: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # sources are recorded relative to the repo root
    installed, versions = _tesseract_versions(GOLDEN / sample.name) if sample.name in OCR_SAMPLES else ("", "")
    out = tmp_path / "out"
    result = run([sample], out, {"jobs": 1})
    assert result.files[0].status == "converted", result.files[0].error
    expected_dir = GOLDEN / sample.name
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        # report.html embeds page pictures whose bytes depend on PDFium's rendering: tests/test_report_html.py
        shutil.copytree(out, expected_dir, ignore=shutil.ignore_patterns(f"{DATABASE}*", ".*", "*.parquet", "*.xlsx",
                                                                         "*.html", "report"))  # fmt: skip
        if sample.name in OCR_SAMPLES:
            (expected_dir / VERSION_FILE).write_text(installed + "\n", encoding="utf-8")
    assert expected_dir.is_dir(), f"no golden output for {sample}; run pytest --update-golden and review it"
    if sample.name in OCR_SAMPLES:
        assert (expected_dir / VERSION_FILE).is_file(), f"{sample.name}: no {VERSION_FILE}; run --update-golden"
    actual, expected = _outputs(out), _outputs(expected_dir)
    assert sorted(actual) == sorted(expected), f"{sample.name}: other output files than the golden's{versions}"
    for name in expected:
        assert actual[name] == expected[name], f"{sample.name}: {name} differs from the golden file{versions}"


def test_every_golden_folder_has_a_sample() -> None:
    names = {p.name for p in SAMPLES}
    stale = [p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name not in names] if GOLDEN.exists() else []
    assert not stale, f"golden folders without a sample: {stale}"


def test_samples_exist() -> None:
    assert SAMPLES, "samples/ holds no plan"
    assert os.path.exists(ROOT / "samples" / "README.md")
