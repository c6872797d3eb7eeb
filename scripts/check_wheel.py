"""Check the wheel as a new user gets it (CI runs this after the tests).

1. `pip wheel .` gives a wheel whose only top-level package is `thaiplan`
   (plus its dist-info with LICENSE; `py.typed` inside the package).
2. In a new virtual environment outside the repository, with only that wheel
   installed, `thaiplan convert` turns every sample into the same files as the
   repository's golden outputs, run from a folder whose own `normalize.py` and
   `extract.py` would fail if anything imported them.

Usage: python scripts/check_wheel.py [--keep]   (exit 0 when every check holds)
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
NOT_OUTPUTS = {"OCR_VERSIONS"}  # golden metadata, not a file thaiplan writes
NOT_COMPARED = (".parquet", ".xlsx", ".html")  # not in the goldens: binary exports (tests/test_typed_exports.py) and
# report.html, whose page pictures depend on PDFium's rendering (tests/test_report_html.py)
DECOY = "raise SystemExit('a module of the working folder was imported instead of thaiplan')\n"


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=True, text=True, **kwargs)  # type: ignore[call-overload,no-any-return]


def build_wheel(folder: Path) -> Path:
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)])
    (wheel,) = folder.glob("thaiplan-*.whl")
    return wheel


def check_contents(wheel: Path) -> list[str]:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    problems = [f"unexpected top-level entry {top}" for top in sorted(tops)
                if top != "thaiplan" and not top.endswith(".dist-info")]  # fmt: skip
    for needed in ("thaiplan/py.typed", "thaiplan/extract/__init__.py", "thaiplan/normalize/__init__.py",
                   "thaiplan/families/__init__.py", "thaiplan/families/anticorruption/__init__.py"):
        if needed not in names:
            problems.append(f"the wheel lacks {needed}")
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in names):
        problems.append("the wheel lacks its LICENSE")
    return problems


def outputs_differ(out: Path, golden: Path) -> list[str]:
    mine = {p.relative_to(out) for p in out.rglob("*") if p.is_file() and not p.name.startswith(("thaiplan.sqlite", "."))
            and p.suffix not in NOT_COMPARED}  # fmt: skip
    theirs = {p.relative_to(golden) for p in golden.rglob("*") if p.is_file() and p.name not in NOT_OUTPUTS}
    problems = [f"{golden.name}: {name} missing" for name in sorted(theirs - mine)]
    problems += [f"{golden.name}: {name} not in the golden" for name in sorted(mine - theirs)]
    problems += [f"{golden.name}: {name} differs" for name in sorted(mine & theirs)
                 if not filecmp.cmp(out / name, golden / name, shallow=False)]  # fmt: skip
    return problems


def main() -> int:
    keep = "--keep" in sys.argv
    work = Path(tempfile.mkdtemp(prefix="thaiplan-wheel-"))
    try:
        wheel = build_wheel(work / "dist")
        problems = check_contents(wheel)
        python = os.environ.get("PYTHON", "python3")
        run([python, "-m", "venv", str(work / "venv")])
        pip = [str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        run([*pip, str(wheel)])
        user = work / "user"
        shutil.copytree(ROOT / "samples", user / "samples")
        (user / "normalize.py").write_text(DECOY, encoding="utf-8")
        (user / "extract.py").write_text(DECOY, encoding="utf-8")
        env = {**os.environ, "THAIPLAN_CACHE": str(work / "cache"), "PYTHONPATH": ""}
        run([str(work / "venv" / "bin" / "thaiplan"), "--version"], cwd=user, env=env)  # the console script
        for golden in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
            out = work / "out" / golden.name
            # `python -m` puts the working folder first on sys.path: the decoys there must not be imported
            run([str(work / "venv" / "bin" / "python"), "-m", "thaiplan", "convert", f"samples/{golden.name}",
                 "-o", str(out), "-q"], cwd=user, env=env)  # fmt: skip
            problems += outputs_differ(out, golden)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"check_wheel: {problem}", file=sys.stderr)
    print(f"check_wheel: {'FAILED' if problems else 'ok'} ({wheel.name})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
