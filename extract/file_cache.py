"""The readers' on-disk cache (OCR readings, LibreOffice's DOCX of a .doc): one
folder per kind under Settings.cache, entries fanned out by the key's first two
hex digits, each written atomically (a parallel worker sees all of it or nothing).
A cache that cannot be written only costs speed. THAIPLAN_NO_CACHE turns it off."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from thaiplan.settings import Settings


def cache_root(settings: Settings, kind: str) -> Path | None:
    return None if os.environ.get("THAIPLAN_NO_CACHE") else settings.cache / kind


def entry(root: Path, key: str, suffix: str) -> Path:
    return root / key[:2] / f"{key}{suffix}"


def keep(root: Path | None, key: str, suffix: str, write: Callable[[Path], None]) -> None:
    """Write the entry through `write(temporary_path)`, then rename it into place."""
    if root is None:
        return
    path = entry(root, key, suffix)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        write(temporary)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only cache only costs speed
