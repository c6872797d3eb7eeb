"""Settings, the error path and the reader registry, as a user or a caller meets them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, env_without_tesseract
from thaiplan.errors import EXIT_USAGE, InputError, OcrUnavailable, SettingsError, ThaiplanError, message_for
from thaiplan.extract import registry
from thaiplan.extract.model import RawDocument
from thaiplan.settings import OcrSettings, Settings

SCAN = ROOT / "samples" / "seed_plan_scan_200dpi.pdf"


def _cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "thaiplan", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)  # fmt: skip


# --- Settings -----------------------------------------------------------------


def test_settings_resolve_from_none_dict_and_instance() -> None:
    default = Settings.resolve(None)
    assert default == Settings() and default.ocr.render_dpi == 300
    nested = Settings.resolve({"ocr": {"render_dpi": 200}, "pdf": {"ocr": False}})
    dotted = Settings.resolve({"ocr.render_dpi": 200, "pdf.ocr": "false"})
    assert nested == dotted and nested.ocr.render_dpi == 200 and nested.pdf.ocr is False
    assert Settings.resolve(nested) is nested


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ocr.dpi": 200}, "unknown setting ocr.dpi"),
        ({"colour": "red"}, "unknown setting colour"),
        ({"ocr.render_dpi": "many"}, "setting ocr.render_dpi must be int"),
        ({"ocr.render_dpi": 5000}, "setting ocr.render_dpi must be 72..600"),
        ({"ocr.engine": "replay"}, "setting ocr.replay_file must be set when ocr.engine is replay"),
        ({"jobs": 0}, "setting jobs must be 1..1024"),
        ({"ocr.year_range": "2600,2500"}, "setting ocr.year_range must be two Buddhist Era years"),
    ],
)
def test_bad_settings_say_which_and_why(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.resolve(changes)
    assert str(caught.value).startswith(message)
    assert caught.value.exit_code == EXIT_USAGE


def test_fingerprint_follows_output_settings_only() -> None:
    base = Settings()
    assert Settings.resolve({"jobs": 7, "cache_dir": "/tmp/x", "ocr.workers": 1}).fingerprint() == base.fingerprint()
    assert Settings.resolve({"ocr.low_confidence": 50}).fingerprint() != base.fingerprint()
    assert Settings.resolve({"wraps.keep_threshold": 0.7}).fingerprint() != base.fingerprint()


def test_cache_dir_and_jobs_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("THAIPLAN_CACHE", str(tmp_path / "c"))
    assert Settings().cache == tmp_path / "c"
    assert Settings.resolve({"cache_dir": str(tmp_path)}).cache == tmp_path
    assert 1 <= Settings().worker_count <= 8


def test_cli_settings_file_and_set(tmp_path: Path) -> None:
    config = tmp_path / "thaiplan.toml"
    config.write_text("jobs = 1\n[ocr]\nrender_dpi = 200\n[pdf]\nocr = false\n", encoding="utf-8")
    shown = _cli("settings", "--config", str(config), "--set", "ocr.render_dpi=250")
    assert shown.returncode == 0, shown.stderr
    lines = dict(line.split(" = ", 1) for line in shown.stdout.splitlines())
    assert lines["ocr.render_dpi"].startswith("250") and lines["pdf.ocr"].startswith("False")
    assert lines["jobs"].startswith("1")


def test_cli_bad_setting_is_a_usage_error(tmp_path: Path) -> None:
    result = _cli("convert", str(SEED), "-o", str(tmp_path / "out"), "--set", "ocr.dpi=200")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "thaiplan: unknown setting ocr.dpi; see `thaiplan settings` for every setting, its default and allowed values"
    ]
    assert not (tmp_path / "out").exists()


def test_wrap_settings_reach_the_normaliser(tmp_path: Path) -> None:
    import thaiplan

    keep_all = {"wraps.keep_threshold": -40.0, "wraps.over_weight": 0.0, "wraps.short_weight": 0.0}
    default = thaiplan.convert([SEED], tmp_path / "a", jobs=1)["items"]
    changed = thaiplan.convert([SEED], tmp_path / "b", jobs=1, settings=keep_all)["items"]
    assert list(default.code) == list(changed.code)
    assert sum(a != b for a, b in zip(default.name, changed.name)) >= 10  # spaces kept at line ends


# --- The error path -----------------------------------------------------------


def test_each_error_carries_kind_hint_and_exit_code() -> None:
    for cls in ThaiplanError.__subclasses__():
        assert cls.kind and cls.hint and cls.exit_code in (1, 2), cls
    exc = OcrUnavailable("scanned pages need OCR, but tesseract is not installed")
    assert message_for("scan.pdf", exc) == (
        "scan.pdf: scanned pages need OCR, but tesseract is not installed; "
        "install tesseract with its Thai model: sudo apt-get install tesseract-ocr tesseract-ocr-tha"
    )


def test_a_failed_result_keeps_the_error_kind(tmp_path: Path) -> None:
    from thaiplan.pipeline import convert_file

    result = convert_file(tmp_path / "nosuch.txt")
    assert not result.ok and result.error_kind == InputError.kind == "input"
    assert result.error_line == f"{tmp_path / 'nosuch.txt'}: file not found; check the path"


def test_scan_without_tesseract_says_install_tesseract(tmp_path: Path) -> None:
    env = env_without_tesseract()
    assert shutil.which("tesseract", path=env["PATH"]) is None
    result = _cli("convert", str(SCAN), "-o", str(tmp_path / "out"), env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"{SCAN}: pages 1-35 have no usable text layer and need OCR, but tesseract is not installed; "
        "install tesseract with its Thai model: sudo apt-get install tesseract-ocr tesseract-ocr-tha"
    )


# --- The reader registry ------------------------------------------------------


def test_every_reader_has_the_same_interface() -> None:
    import inspect

    for reader in registry.READERS:
        assert isinstance(reader.FORMAT, str)
        assert list(inspect.signature(reader.read).parameters) == ["path", "settings"], reader
        assert list(inspect.signature(reader.sniff).parameters) == ["head"], reader


def test_readers_are_picked_by_content(tmp_path: Path) -> None:
    pdf_named_txt = tmp_path / "plan.txt"
    pdf_named_txt.write_bytes((ROOT / "samples" / "seed_plan.pdf").read_bytes())
    assert registry.detect(pdf_named_txt).FORMAT == "pdf"
    assert registry.detect(ROOT / "samples" / "seed_plan.docx").FORMAT == "docx"
    assert registry.detect(SEED).FORMAT == "text"


@dataclass(frozen=True)
class _StubReader:
    """A reader a plug-in (or a fault-injection test) registers."""

    FORMAT: str = "stub"

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"STUB")

    def read(self, path: Path, settings: Settings | None = None) -> RawDocument:
        assert isinstance(settings, Settings) and settings.ocr == OcrSettings(render_dpi=123)
        return RawDocument(source=str(path), format=self.FORMAT, pages=1)


def test_a_registered_reader_gets_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "x.stub"
    path.write_bytes(b"STUB file")
    stub = _StubReader()
    registry.register(stub)
    try:
        raw = registry.read_document(path, {"ocr.render_dpi": 123})
    finally:
        registry.unregister(stub)
    assert raw.format == "stub"
    assert registry.detect(path).FORMAT == "text"  # gone again


# --- Portability --------------------------------------------------------------


def test_the_readme_example_runs_under_spawn(tmp_path: Path) -> None:
    """The README's Python example, as macOS and Windows start workers (spawn)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("000_8b3bc95f51f4a1e5.txt", "seed_plan.docx"):
        shutil.copy(ROOT / "samples" / name, plans / name)
    script = tmp_path / "example.py"
    preamble = "import multiprocessing\nmultiprocessing.set_start_method('spawn', force=True)\n"
    script.write_text(preamble + example, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "project" in result.stdout and "measure" in result.stdout
    documents = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8-sig")
    assert documents.count(",converted,") == 2


def test_output_files_get_the_ordinary_mode(tmp_path: Path) -> None:
    from thaiplan.runner import run

    previous = os.umask(0o022)
    try:
        run([SEED], tmp_path / "out", {"jobs": 1})
    finally:
        os.umask(previous)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "out").rglob("*")
             if p.is_file() and not p.name.startswith("thaiplan.sqlite")}  # fmt: skip
    assert modes and set(modes.values()) == {0o644}, modes
