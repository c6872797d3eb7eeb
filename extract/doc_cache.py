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

from thaiplan.extract import file_cache
from thaiplan.fingerprint import code_fingerprint, file_sha256
from thaiplan.settings import Settings

SUFFIX = ".docx"


@lru_cache(maxsize=4)
def libreoffice_version(program: str) -> str:
    """`LibreOffice 7.4.7.2 40(Build:2)`, or "unknown" (then entries are still keyed by it)."""
    with tempfile.TemporaryDirectory(prefix="thaiplan-doc-", ignore_cleanup_errors=True) as home:  # as in doc.read
        try:
            out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60,
                                 env={**os.environ, "HOME": home}, check=False)  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"
    lines = (out.stdout or "").strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def cache_root(settings: Settings) -> Path | None:
    return file_cache.cache_root(settings, "doc")


def cache_key(path: Path, program: str) -> str:
    digest = hashlib.sha256(file_sha256(path).encode())
    digest.update(libreoffice_version(program).encode())
    digest.update(code_fingerprint("thaiplan.extract").encode())
    return digest.hexdigest()


def cached(root: Path | None, key: str) -> Path | None:
    """The kept DOCX, if there is one."""
    if root is None:
        return None
    entry = file_cache.entry(root, key, SUFFIX)
    return entry if entry.is_file() and entry.stat().st_size > 0 else None


def keep(root: Path | None, key: str, converted: Path) -> None:
    """Keep a conversion."""
    file_cache.keep(root, key, SUFFIX, lambda temporary: shutil.copyfile(converted, temporary))
