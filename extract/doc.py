"""Legacy Word 97 (.doc) plans: converted to DOCX by LibreOffice, then read as DOCX.

Each conversion runs in its own temporary folder with its own LibreOffice
profile, so parallel conversions never share (and lock) a profile, under a
time limit (`limits.doc_timeout_s`) after which the whole process group is
killed, and a file-size limit (`limits.max_part_mb`: no file LibreOffice
writes may grow past it). The OLE structure is read first: a damaged one is
said to be damaged, without starting LibreOffice. The DOCX is kept in the
cache (doc_cache.py): the same bytes are converted once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from thaiplan.errors import ExtractionError, TooLarge, ToolMissing
from thaiplan.extract import doc_cache, docx, xls
from thaiplan.extract.model import RawDocument
from thaiplan.settings import Limits, Settings

FORMAT = "doc"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument"
ENCRYPTED_STREAM = "EncryptionInfo"  # an encrypted DOCX or XLSX is an OLE file holding this stream
MAX_SCAN_BYTES = 64 << 20  # the OLE structure is checked in files up to this size
DAMAGED_HINT = "open it in Word or LibreOffice, save it as .docx and convert that"
SOFFICE_HINT = "install LibreOffice: apt-get install libreoffice-writer-nogui"
DOCX_FILTER = "docx:MS Word 2007 XML"
WATCH_S = 0.1  # how often the time and the bytes written are checked
WRITE_FAILED = "Error Area:Io Class:Write"  # LibreOffice's words for a write that failed
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
    """An OLE file may be a Word 97 document, an encrypted DOCX or (read by xls) an
    Excel file; one whose structure cannot be read is damaged."""
    if path.stat().st_size > MAX_SCAN_BYTES:
        return
    data = path.read_bytes()
    try:
        streams = xls.ole_directory(data)
    except ValueError as exc:
        if ENCRYPTED_STREAM.encode("utf-16-le") in data:  # its directory names the stream: say what helps
            streams = {ENCRYPTED_STREAM}
        elif path.suffix.lower() != ".doc" and WORD_STREAM.encode("utf-16-le") not in data:
            raise xls.other_office_file() from None  # nothing says Word (a stray Thumbs.db): not ours to call damaged
        else:
            raise ExtractionError(f"the Word file is damaged or incomplete: its OLE structure cannot be read ({exc})",
                                  DAMAGED_HINT) from None  # fmt: skip
    if ENCRYPTED_STREAM in streams:
        raise ExtractionError("the Word file is password-protected", "save an unprotected copy and convert that")
    if WORD_STREAM not in streams:
        raise xls.other_office_file()


def convert(path: Path, out_dir: Path, limits: Limits = Limits()) -> Path:  # noqa: B008 (frozen, never changed)
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
    env = {**os.environ, "HOME": str(out_dir), "TMPDIR": str(out_dir)}  # nothing of LibreOffice's lands outside
    log = out_dir / "soffice.log"
    with log.open("wb") as stderr:  # a file, not a pipe: nothing to drain while the output is watched
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True, env=env,
                                   preexec_fn=lambda: _limit_file_size(limits.max_part_mb << 20))  # fmt: skip
        try:
            _watch(process, out_dir, limits, {source, log})
        finally:
            _kill_group(process)  # whatever it started and left running
    target = out_dir / "out" / "input.docx"
    if process.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        detail = " ".join(log.read_text("utf-8", "replace").split())[-200:]
        if WRITE_FAILED in detail and shutil.disk_usage(out_dir).free > limits.max_part_mb << 20:
            raise _too_large(limits)  # the disk has room: the file-size limit stopped the write
        raise ExtractionError(
            "LibreOffice could not convert the .doc (damaged or password-protected?)"
            + (f": {detail}" if detail else ""),
            DAMAGED_HINT,
        )
    return target


def _watch(process: subprocess.Popen[bytes], out_dir: Path, limits: Limits, inputs: set[Path]) -> None:
    """Wait for LibreOffice within the time limit while what it writes in `out_dir`
    (its output, temporary files and profile) stays within limits.max_part_mb."""
    deadline = time.monotonic() + limits.doc_timeout_s
    largest = limits.max_part_mb << 20
    while process.poll() is None:
        if time.monotonic() > deadline:
            raise ExtractionError(
                f"LibreOffice did not finish converting the .doc within {limits.doc_timeout_s:g} s",
                "convert it to .docx by hand (or allow more time with --set limits.doc_timeout_s=N) and convert that",
            )
        if _written(out_dir, inputs) > largest:
            raise _too_large(limits)
        time.sleep(WATCH_S)


def _too_large(limits: Limits) -> TooLarge:
    return TooLarge.past(f"LibreOffice's conversion of the .doc is more than {limits.max_part_mb} MB", "limits.max_part_mb")


def _written(out_dir: Path, inputs: set[Path]) -> int:
    """Bytes of the files LibreOffice has written so far (they come and go while it works)."""
    total = 0
    # os.walk, not rglob: a folder LibreOffice removes while it is walked is skipped, not an error
    for folder, _, names in os.walk(out_dir):
        for name in names:
            path = Path(folder, name)
            with contextlib.suppress(OSError):
                if path not in inputs and path.is_file():
                    total += path.stat().st_size
    return total


def _limit_file_size(largest: int) -> None:
    """In LibreOffice's process: no file grows past `largest` bytes, however fast it is
    written (the write fails with EFBIG; LibreOffice reports an Io Write error)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest, largest))


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill soffice and whatever it started (it forks oosplash → soffice.bin)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.returncode is None:
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
    # ignore_cleanup_errors: a LibreOffice child may still be removing its own profile files as we do
    with tempfile.TemporaryDirectory(prefix="thaiplan-doc-", ignore_cleanup_errors=True) as tmp:
        converted = doc_cache.cached(root, key)
        if converted is None:
            converted = convert(path, Path(tmp), settings.limits)
            doc_cache.keep(root, key, converted)
        raw = docx.read(converted, settings)
    return dataclasses.replace(raw, source=str(path), format="doc")
