"""Same input, same output, on any machine: the text, DOCX and PDF samples
convert to the same bytes when no font at all is visible, and the conversion
neither opens a font file, lists a font folder nor asks fontconfig (the data it
needs ships in the package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SAMPLES = ["samples/000_8b3bc95f51f4a1e5.txt", "samples/fouryear_2561-2564.txt", "samples/seed_plan.docx",
           "samples/seed_plan.pdf"]  # fmt: skip
EMPTY_FONTCONFIG = '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n'
# Loaded first by the guarded interpreter (sitecustomize on PYTHONPATH): writes one
# line to THAIPLAN_FONT_LOG for each font file opened or folder listed, each
# fontconfig tool started and each font Pillow loads (FreeType opens files in C,
# out of the audit hook's sight).
GUARD = """
import os, sys

LOG = os.environ["THAIPLAN_FONT_LOG"]
FONT_FILES = (".ttf", ".otf", ".ttc", ".pfa", ".pfb", ".pcf", ".woff", ".woff2")


def note(what):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(what + "\\n")


def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path != LOG and ("/fonts/" in path or path.endswith("/fonts") or path.lower().endswith(FONT_FILES)):
            note(f"{event} {path}")
    elif event in ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.system") and "fc-" in repr(args):
        note(f"{event} {args!r}")


sys.addaudithook(hook)

from PIL import ImageFont

_init = ImageFont.FreeTypeFont.__init__


def init(self, font=None, *args, **kwargs):
    note(f"ImageFont {font!r}")
    _init(self, font, *args, **kwargs)


ImageFont.FreeTypeFont.__init__ = init
"""


def _fontless_env(folder: Path) -> dict[str, str]:
    """An environment with no font visible through fontconfig and the guard loaded."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fonts.conf").write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, FONTCONFIG_FILE=str(folder / "fonts.conf"), PYTHONPATH=path,
                THAIPLAN_FONT_LOG=str(folder / "fonts.log"))  # fmt: skip


def _convert(out: Path, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "thaiplan", "convert", *SAMPLES, "-o", str(out), "-j", "1"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr


def _files(folder: Path) -> dict[str, bytes]:
    """The exports (the database itself records times; its exports are the dataset)."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(("thaiplan.sqlite", "."))}  # fmt: skip


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The samples converted twice, as usual and with no font visible: (out, fontless out, guard folder)."""
    work = tmp_path_factory.mktemp("same_output")
    env = dict(os.environ, THAIPLAN_CACHE=str(work / "cache"), PYTHAINLP_OFFLINE="1")
    _convert(work / "usual" / "out", env)
    guard = work / "guard"
    _convert(work / "fontless" / "out", {**_fontless_env(guard), "THAIPLAN_CACHE": str(work / "cache2")})
    return work / "usual" / "out", work / "fontless" / "out", guard


def test_no_font_visible_gives_the_same_bytes(runs: tuple[Path, Path, Path]) -> None:
    usual, fontless, _ = runs
    expected, actual = _files(usual), _files(fontless)
    assert sorted(actual) == sorted(expected) and "items.csv" in expected
    assert [name for name in expected if actual[name] != expected[name]] == []


def test_conversion_reads_no_font(runs: tuple[Path, Path, Path]) -> None:
    log = runs[2] / "fonts.log"
    assert not log.exists(), log.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig tools are not installed")
def test_empty_fontconfig_hides_every_font(tmp_path: Path) -> None:
    """The set-up above really hides the fonts fontconfig would find."""
    env = _fontless_env(tmp_path)
    listed = subprocess.run(["fc-list", ":lang=th", "file"], env=env, capture_output=True, text=True, check=False)
    assert listed.stdout.strip() == ""


def test_guard_notices_a_font(tmp_path: Path) -> None:
    """The guard is not blind: a font Pillow loads and a font file opened are logged."""
    env = _fontless_env(tmp_path)
    (tmp_path / "some.ttf").write_bytes(b"")
    code = "from PIL import ImageFont; ImageFont.load_default(size=12); open('some.ttf').close()"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True, timeout=60)
    log = (tmp_path / "fonts.log").read_text(encoding="utf-8")
    assert "ImageFont" in log and "some.ttf" in log
