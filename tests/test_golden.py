"""Golden tests: every sample's full output compared with reviewed files under
tests/golden/<sample>/. `pytest --update-golden` rewrites them; a missing
golden file fails."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from thaiplan.batch import expand_inputs, run_batch

GOLDEN = ROOT / "tests" / "golden"
SAMPLES = [p.relative_to(ROOT) for p in expand_inputs([ROOT / "samples"])]


def _outputs(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_matches_golden(
    sample: Path, tmp_path: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # sources are recorded relative to the repo root
    out = tmp_path / "out"
    batch = run_batch([sample], out, jobs=1)
    assert batch.results[0].ok, batch.results[0].error
    expected_dir = GOLDEN / sample.name
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    assert expected_dir.is_dir(), f"no golden output for {sample}; run pytest --update-golden and review it"
    actual, expected = _outputs(out), _outputs(expected_dir)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{sample.name}: {name} differs from the golden file"


def test_every_golden_folder_has_a_sample() -> None:
    names = {p.name for p in SAMPLES}
    stale = [p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name not in names] if GOLDEN.exists() else []
    assert not stale, f"golden folders without a sample: {stale}"


def test_samples_exist() -> None:
    assert SAMPLES, "samples/ holds no plan"
    assert os.path.exists(ROOT / "samples" / "README.md")
