"""Files written whole or not at all: every file is written to a temporary name
in the same folder and renamed, so an interrupted run never leaves a
half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


def _file_mode() -> int:
    """The mode an ordinary new file gets under this process's umask (0644 under 022):
    mkstemp makes its files 0600, which other users and tools could not read."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path in the same folder, renamed to `path` with the ordinary
    mode when the block ends (removed if it fails), for writers that want a name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file written under a temporary name in the same folder, renamed
    into place when the block ends (removed if it fails)."""
    with atomic_path(path) as tmp, tmp.open("w", encoding=encoding, newline="") as handle:
        yield handle


def write_atomic(path: Path, data: str, encoding: str = "utf-8") -> None:
    with atomic_text(path, encoding) as handle:
        handle.write(data)
