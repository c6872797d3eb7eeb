"""Input paths as the dataset records them, and which paths are read at all.

A file name is stored as text. Names that are not valid UTF-8 (Thai names in
cp874 from Windows ZIP archives) reach Python as surrogate escapes, which no
UTF-8 writer accepts; `source_name` writes each such byte as `\\xNN` (Python's
backslashreplace), so the name is kept byte for byte:
`os.fsdecode(codecs.escape_decode(name)[0])` is the path again.

Only regular files are read: opening a FIFO blocks until a writer comes, and a
device (the zero device) never ends. `check_regular` refuses them in one line.

This module imports nothing of thaiplan but its errors (the base layer).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from thaiplan.errors import InputError


def source_name(path: str | Path) -> str:
    """`str(path)`, with the bytes that are not UTF-8 written as `\\xNN`.

    >>> source_name("plans/แผน.txt")
    'plans/แผน.txt'
    >>> source_name(os.fsdecode(b"plans/\\xbb\\xd5.txt"))
    'plans/\\\\xbb\\\\xd5.txt'
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


def check_regular(path: Path) -> os.stat_result:
    """The file's stat, or InputError unless it is a regular file (symlinks followed)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("file not found", "check the path") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", "check the file's permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file", "give the folder as an input to convert it whole")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"is {kind_of(info.st_mode)}, not a regular file: not read",
                         "give the plan document itself (a regular file)")  # fmt: skip
    return info


def open_regular(path: Path) -> int:
    """A read-only descriptor of `path`, opened without blocking (a FIFO swapped in after
    the check would otherwise hang the open), or InputError unless it is a regular file."""
    check_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", "check the file's permissions") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError("is not a regular file: not read", "give the plan document itself (a regular file)")
    return fd
