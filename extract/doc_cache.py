"""LibreOffice's DOCX of a Word 97 file, kept in the cache: converting a .doc is
the slowest step of reading it (15-100 s for the real 133-page plan), and a
rerun after a thaiplan upgrade, `--fresh` or a test session would pay it again
for the same bytes.

The key is the .doc's bytes, LibreOffice's version (another version may lay
the DOCX out differently) and the fingerprint of the readers' code (the
conversion command lives there), so an entry is never served to another
LibreOffice or other code. THAIPLAN_NO_CACHE turns it off.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from thaiplan.fingerprint import code_fingerprint, file_sha256
from thaiplan.settings import Settings

SUFFIX = ".docx"


@lru_cache(maxsize=4)
def libreoffice_version(program: str) -> str:
    """`LibreOffice 7.4.7.2 40(Build:2)`, or "unknown" (then entries are still keyed by it)."""
    with tempfile.TemporaryDirectory(prefix="thaiplan-doc-") as home:
        try:
            out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60,
                                 env={**os.environ, "HOME": home}, check=False)  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"
    lines = (out.stdout or "").strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def cache_root(settings: Settings) -> Path | None:
    return None if os.environ.get("THAIPLAN_NO_CACHE") else settings.cache / "doc"


def cache_key(path: Path, program: str) -> str:
    digest = hashlib.sha256(file_sha256(path).encode())
    digest.update(libreoffice_version(program).encode())
    digest.update(code_fingerprint("thaiplan.extract").encode())
    return digest.hexdigest()


def _entry(root: Path, key: str) -> Path:
    return root / key[:2] / f"{key}{SUFFIX}"


def cached(root: Path | None, key: str) -> Path | None:
    """The kept DOCX, if there is one."""
    if root is None:
        return None
    entry = _entry(root, key)
    return entry if entry.is_file() and entry.stat().st_size > 0 else None


def keep(root: Path | None, key: str, converted: Path) -> None:
    """Keep a conversion (atomically: a parallel worker sees all of it or nothing)."""
    if root is None:
        return
    entry = _entry(root, key)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(converted, temporary)
        os.replace(temporary, entry)
    except OSError:
        pass  # a read-only cache only costs speed
