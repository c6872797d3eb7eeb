"""ZIP members read within bounds: the bytes are counted while they inflate,
never taken from the sizes the archive declares (a bomb lies about them).

`BoundedZip` reads each member once (a part referenced 200 times is read and
counted once), stops a member past `limits.max_part_mb` and the whole archive
past `limits.max_unpacked_mb`, and says so with a `TooLarge` naming the bound.

zipfile itself stops a member at the size it declares and then reports a bad
CRC, so a bomb declaring 1,000 bytes would be called damaged: `inflating`
lets a member inflate until its own data ends (or passes the bound), and
`check_declared` calls it damaged only when it ends within the bound but not
at the size it declares.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import IO

from thaiplan.errors import TooLarge
from thaiplan.settings import Limits

CHUNK = 1 << 20
UNBOUNDED = 1 << 62  # the size zipfile is told a member has: it stops at the declared size


class BoundedZip:
    """A ZIP archive whose members are read within the bounds of `limits`."""

    def __init__(self, path: Path, limits: Limits, what: str = "the ZIP archive") -> None:
        self.archive = zipfile.ZipFile(path)
        self.max_part = limits.max_part_mb << 20
        self.max_total = limits.max_unpacked_mb << 20
        self.what = what
        self.total = 0
        self.read_parts: dict[str, bytes] = {}

    def __enter__(self) -> BoundedZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()

    def namelist(self) -> list[str]:
        return self.archive.namelist()

    def read(self, name: str) -> bytes | None:
        """The member's bytes (None when there is none), or TooLarge past a bound."""
        if name in self.read_parts:
            return self.read_parts[name]
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        self._check_part(name, info.file_size)  # a declared size past the bound: no need to inflate
        chunks: list[bytes] = []
        size = 0
        with inflating(self.archive, info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                self._check_part(name, size)
                self._check_total(self.total + size)
                chunks.append(chunk)
        check_declared(info, size)
        self.total += size
        data = self.read_parts[name] = b"".join(chunks)
        return data

    def _check_part(self, name: str, size: int) -> None:
        if size > self.max_part:
            raise TooLarge.past(f"{self.what}'s part {name} unpacks to more than {self.max_part >> 20} MB",
                                "limits.max_part_mb")  # fmt: skip

    def _check_total(self, size: int) -> None:
        if size > self.max_total:
            raise TooLarge.past(f"{self.what} unpacks to more than {self.max_total >> 20} MB", "limits.max_unpacked_mb")



def inflating(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """The member's bytes as they inflate until its data ends, whatever size it
    declares: the caller counts them and stops at its bound (never read(-1)).
    The CRC is still checked when the data ends."""
    unbounded = copy.copy(info)
    unbounded.file_size = UNBOUNDED
    return archive.open(unbounded)


def check_declared(info: zipfile.ZipInfo, size: int) -> None:
    """A member that inflated to `size` bytes within the bounds but declares another size is damaged."""
    if size != info.file_size:
        raise zipfile.BadZipFile(f"its part {info.filename} holds {size:,} bytes, not the {info.file_size:,} it declares")
