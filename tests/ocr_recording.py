"""Record the OCR of the scanned sample for the replay engine, so the pipeline
around OCR (cells → rows → plan → reconciliation) is tested without tesseract.

    .venv/bin/python -m tests.ocr_recording      # rewrites tests/data/ocr/seed_plan_scan_200dpi.replay.json

Re-record after a change to the OCR that the scan golden shows (the test says
which tesseract made the recording).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "samples" / "seed_plan_scan_200dpi.pdf"
RECORDING = ROOT / "tests" / "data" / "ocr" / "seed_plan_scan_200dpi.replay.json"


def main() -> None:
    from thaiplan.extract.ocr import record
    from thaiplan.settings import Settings

    RECORDING.parent.mkdir(parents=True, exist_ok=True)
    record(SCAN, None, Settings(), RECORDING)
    print(f"{RECORDING.relative_to(ROOT)}: {RECORDING.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
