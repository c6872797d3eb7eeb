"""The pipeline around OCR, without tesseract: the scanned sample converted from
its recorded page results (ocr.engine = "replay") gives the scan's golden
dataset, file for file. Recorded by tests/ocr_recording.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, env_without_tesseract
from tests.ocr_recording import RECORDING, SCAN

GOLDEN = ROOT / "tests" / "golden" / SCAN.name


def test_replayed_scan_gives_the_golden_dataset(tmp_path: Path) -> None:
    recorded = json.loads(RECORDING.read_text(encoding="utf-8")).get("versions", "unrecorded versions")
    made_with = (GOLDEN / "OCR_VERSIONS").read_text(encoding="utf-8").strip()
    assert recorded == made_with, f"the recording ({recorded}) and the golden ({made_with}) differ: re-record"
    out = tmp_path / "out"
    env = env_without_tesseract()
    done = subprocess.run(
        [sys.executable, "-m", "thaiplan", "convert", f"samples/{SCAN.name}", "-o", str(out), "-q",
         "--set", "ocr.engine=replay", "--set", f"ocr.replay_file={RECORDING}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    golden = {p.relative_to(GOLDEN) for p in GOLDEN.rglob("*") if p.is_file() and p.name != "OCR_VERSIONS"}
    mine = {p.relative_to(out) for p in out.rglob("*")
            if p.is_file() and p.suffix in (".csv", ".json", ".md") and not p.name.startswith(".")}  # the golden's kinds
    assert mine == golden
    for name in sorted(golden):
        assert (out / name).read_bytes() == (GOLDEN / name).read_bytes(), f"{name} differs (re-record after OCR changes)"


def test_a_page_missing_from_the_recording_is_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.pdf"
    other.write_bytes(SCAN.read_bytes() + b"% another file\n")
    done = subprocess.run(
        [sys.executable, "-m", "thaiplan", "convert", str(other), "-o", str(tmp_path / "out"),
         "--set", "ocr.engine=replay", "--set", f"ocr.replay_file={RECORDING}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"{other}: page 1 is not in the OCR recording")
