"""Legacy Word 97 (.doc) plans: converted to DOCX by LibreOffice, then read as DOCX.

Each conversion runs in its own temporary folder with its own LibreOffice
profile, so parallel conversions never share (and lock) a profile, under a
time limit after which the whole process group is killed. The DOCX is kept in
the cache (doc_cache.py): the same bytes are converted once.
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

from thaiplan.errors import ExtractionError, ToolMissing
from thaiplan.extract import doc_cache, docx, xls
from thaiplan.extract.model import RawDocument
from thaiplan.settings import Limits, Settings

FORMAT = "doc"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
MAX_SCAN_BYTES = 64 << 20  # stream names are looked for in files up to this size
SOFFICE_HINT = "install LibreOffice: apt-get install libreoffice-writer-nogui"
DOCX_FILTER = "docx:MS Word 2007 XML"
WORD97_FILTER = "MS Word 97"


def soffice() -> str:
    """The LibreOffice program, or ToolMissing with how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ToolMissing("LibreOffice (soffice) is needed to read .doc files and is not installed", SOFFICE_HINT)
    return found


def sniff(head: bytes) -> bool:
    return head.startswith(OLE_MAGIC)


def check_word(path: Path) -> None:
    """An OLE file may be a Word 97 document, an encrypted DOCX or (read by xls) an Excel file."""
    if path.stat().st_size > MAX_SCAN_BYTES:
        return
    data = path.read_bytes()
    if ENCRYPTED_STREAM in data:
        raise ExtractionError("the Word file is password-protected", "save an unprotected copy and convert that")
    if WORD_STREAM not in data:
        raise xls.other_office_file()


def convert(path: Path, out_dir: Path, timeout: float = Limits().doc_timeout_s) -> Path:
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


def read(path: Path, settings: Settings | None = None) -> RawDocument:
    """Read a .doc plan: convert it in a private temporary folder, read the DOCX."""
    settings = settings or Settings()
    if path.is_file() and path.stat().st_size <= MAX_SCAN_BYTES and xls.is_workbook(path):  # an .xls whose start did not say so
        return xls.read(path, settings)
    program = soffice()  # first: a missing tool is the clearer message
    check_word(path)
    root = doc_cache.cache_root(settings)
    key = doc_cache.cache_key(path, program) if root is not None else ""
    with tempfile.TemporaryDirectory(prefix="thaiplan-doc-") as tmp:
        converted = doc_cache.cached(root, key)
        if converted is None:
            converted = convert(path, Path(tmp), settings.limits.doc_timeout_s)
            doc_cache.keep(root, key, converted)
        raw = docx.read(converted, settings)
    return dataclasses.replace(raw, source=str(path), format="doc")
