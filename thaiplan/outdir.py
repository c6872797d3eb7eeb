"""OUT as one run at a time sees it: a lock, the leftovers of a killed run, and
exports that are all or nothing.

- `locked(out)`: one run into OUT at a time. The second refuses at once with
  `OUT is in use by another thaiplan run (pid N)` (exit 2): waiting could hang
  a cluster job for hours, and two runs interleaving their exports would lose
  one run's results. The lock is an advisory `flock` on `OUT/.thaiplan.lock`,
  so it is released when its holder dies, even by SIGKILL.
- `clean_leftovers(out)`: with the lock held, the temporary files and export
  folders a killed run left (`.NAME.XXXX.tmp`, `.exports.XXXX`) are removed.
- `export_whole(store, out)`: every export is written into a temporary folder
  inside OUT; only when all of them are written are they renamed into place
  (renames need no space), so a full disk or a crash during the write leaves
  the previous complete dataset, never new CSVs beside old ones.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from thaiplan.columns import COLUMNS
from thaiplan.errors import OutputInUse
from thaiplan.exports import MARKER, REPORT_HTML, REPORT_PAGES, export, pages_hold, up_to_date
from thaiplan.store import Store

LOCK_NAME = ".thaiplan.lock"
STAGING_PREFIX = ".exports."
PLANS = "plans"


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold OUT's lock for the block, or OutputInUse if another run has it."""
    import fcntl

    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputInUse(f"{out} is in use by another thaiplan run (pid {_holder(fd)})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock (the file stays: removing it would race a waiting run)


def _holder(fd: int) -> str:
    """The pid the lock's holder wrote, waiting a moment for it: a run that has just
    taken the lock writes its pid right after (two runs started together meet there)."""
    for _ in range(50):
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if holder:
            return holder
        time.sleep(0.02)
    return "unknown"


def clean_leftovers(out: Path) -> None:
    """Temporary files and export folders a killed run left in OUT (call with the lock held)."""
    for folder in (out, out / PLANS, out / REPORT_PAGES):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            name = path.name
            if name.startswith(STAGING_PREFIX) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif name.startswith(".") and name.endswith(".tmp") and path.is_file():
                path.unlink(missing_ok=True)


def export_whole(store: Store, out: Path, lang: str = "th") -> bool:
    """`exports.export` of every file at once: written aside, then renamed into OUT.
    True when they were written (False: they already showed this database)."""
    if up_to_date(store, out, lang):
        return False
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        _link_files(out / PLANS, staging / PLANS, "*.json")
        _link_files(out / REPORT_PAGES, staging / REPORT_PAGES, "*.html")
        export(store, staging, lang, keep_pages=pages_hold(out, lang), final=out)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _link_files(folder: Path, staged: Path, pattern: str) -> None:
    """The plan files (report pages) already written, hard-linked (a copy where links are
    refused) into the staging folder: `export` then writes only the missing ones."""
    staged.mkdir()
    if not folder.is_dir():
        return
    for path in folder.glob(pattern):
        try:
            os.link(path, staged / path.name)
        except OSError:
            shutil.copy2(path, staged / path.name)


def _swap_in(staging: Path, out: Path) -> None:
    """Rename every staged export into OUT (the marker last), drop exports it no longer has."""
    from thaiplan.typed_exports import typed_files

    (out / MARKER).unlink(missing_ok=True)  # a crash among the renames: the next run exports again
    names = {f"{t}.csv" for t in COLUMNS} | set(typed_files(with_xlsx=True)) | {"report.md", REPORT_HTML}
    for name in sorted(names):
        if (staging / name).is_file():
            os.replace(staging / name, out / name)
        else:
            (out / name).unlink(missing_ok=True)
    for folder in (PLANS, REPORT_PAGES):
        old = out / f"{STAGING_PREFIX}{folder}-old"
        if (out / folder).is_dir():
            os.replace(out / folder, old)
        os.replace(staging / folder, out / folder)
        shutil.rmtree(old, ignore_errors=True)
    os.replace(staging / MARKER, out / MARKER)
