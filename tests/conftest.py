"""Shared fixtures. `pytest --update-golden` rewrites tests/golden/ from the
current output (review the diff before committing it)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

# The run's own cache (digit model, OCR pages), so no result comes from or goes to the
# user's ~/.cache/thaiplan. Set in os.environ, before any test imports thaiplan, so the
# CLI's subprocesses inherit it. The folder is kept in the environment too because this
# file is imported twice (as conftest and as tests.conftest) and both must agree.
if not os.environ.get("THAIPLAN_TEST_CACHE"):
    os.environ["THAIPLAN_TEST_CACHE"] = tempfile.mkdtemp(prefix="thaiplan-test-cache-")
    atexit.register(shutil.rmtree, os.environ["THAIPLAN_TEST_CACHE"], ignore_errors=True)
os.environ["THAIPLAN_CACHE"] = os.environ["THAIPLAN_TEST_CACHE"]

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seed_result():
    """The seed converted once for the session, in this process (the plan objects kept)."""
    from thaiplan.pipeline import convert_file

    return convert_file(SEED, source=str(Path("samples") / SEED.name))


@pytest.fixture(scope="session")
def seed_plan_scans() -> Callable[[int], list]:
    """samples/seed_plan.pdf scanned at a dpi (tests/builders.scanned_pages, seed 7), each
    dpi made once a session: test_ocr's grid test and test_scans' seed scans share the pages
    (35 of them take 10 s at 200 dpi, 25 s at 300)."""
    from tests.builders import scanned_pages

    made: dict[int, list] = {}

    def pages(dpi: int) -> list:
        if dpi not in made:
            made[dpi] = scanned_pages(ROOT / "samples" / "seed_plan.pdf", dpi)
        return made[dpi]

    return pages


def env_without_tesseract() -> dict[str, str]:
    """The environment with every PATH folder that holds tesseract left out (an empty
    PATH when all do: the tests call the interpreter by its full path)."""
    folders = [f for f in os.environ.get("PATH", "").split(os.pathsep) if f and not (Path(f) / "tesseract").exists()]
    return {**os.environ, "PATH": os.pathsep.join(folders)}
