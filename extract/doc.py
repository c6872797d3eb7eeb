"""Legacy Word 97 (.doc) plans: converted to DOCX by LibreOffice, then read as DOCX.

Each conversion runs in its own temporary folder with its own LibreOffice
profile, so parallel conversions never share (and lock) a profile, under a
time limit after which the whole process group is killed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from thaiplan.extract import docx
from thaiplan.extract.errors import ExtractionError, ToolMissing
from thaiplan.extract.model import RawDocument

CONVERT_TIMEOUT_S = 120.0  # a 133-page plan converts in about 10 s
SOFFICE_HINT = "install LibreOffice: apt-get install libreoffice-writer-nogui"
DOCX_FILTER = "docx:MS Word 2007 XML"
WORD97_FILTER = "MS Word 97"


def soffice() -> str:
    """The LibreOffice program, or ToolMissing with how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ToolMissing("LibreOffice (soffice) is needed to read .doc files and is not installed", SOFFICE_HINT)
    return found


def convert(path: Path, out_dir: Path, timeout: float = CONVERT_TIMEOUT_S) -> Path:
    """Convert `path` to DOCX inside `out_dir` (a private folder) and return the DOCX."""
    program = soffice()
    source = out_dir / "input.doc"  # a plain name: the output name follows the input's
    shutil.copyfile(path, source)
    profile = out_dir / "profile"
    command = [
        program,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"--infilter={WORD97_FILTER}",  # else a damaged file is imported as plain text
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        DOCX_FILTER,
        "--outdir",
        str(out_dir / "out"),
        str(source),
    ]
    env = {**os.environ, "HOME": str(out_dir)}  # nothing of LibreOffice's lands in the user's home
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ExtractionError(
            f"LibreOffice did not finish converting the .doc within {timeout:g} s",
            "convert it to .docx by hand (or allow more time) and convert that",
        ) from None
    target = out_dir / "out" / "input.docx"
    if process.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        detail = " ".join(stderr.decode("utf-8", "replace").split())[-200:]
        raise ExtractionError(
            "LibreOffice could not convert the .doc (damaged or password-protected?)"
            + (f": {detail}" if detail else ""),
            "open it in Word or LibreOffice, save it as .docx and convert that",
        )
    return target


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill soffice and whatever it started (it forks oosplash → soffice.bin)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def read(path: Path, timeout: float = CONVERT_TIMEOUT_S) -> RawDocument:
    """Read a .doc plan: convert it in a private temporary folder, read the DOCX."""
    with tempfile.TemporaryDirectory(prefix="thaiplan-doc-") as tmp:
        converted = convert(path, Path(tmp), timeout)
        raw = docx.read(converted)
    return dataclasses.replace(raw, source=str(path), format="doc")
