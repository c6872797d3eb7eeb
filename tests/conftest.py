"""Shared fixtures. `pytest --update-golden` rewrites tests/golden/ from the
current output (review the diff before committing it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seed_batch(tmp_path_factory: pytest.TempPathFactory):
    """The seed converted once for the session (from the repo root, relative path)."""
    from thaiplan.batch import run_batch

    out = tmp_path_factory.mktemp("seed_out")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        batch = run_batch([Path("samples") / SEED.name], out, jobs=1)
    finally:
        os.chdir(cwd)
    return batch
