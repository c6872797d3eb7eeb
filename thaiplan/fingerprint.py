"""Fingerprints of the code and data that produce a result, computed from the
files themselves: a cache keyed by them can never serve a result of other
code, and nobody has to remember to bump a version number.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from functools import lru_cache
from pathlib import Path

# as pyproject.toml installs them; the families' own subpackages (one folder per plan
# family) always lie inside families/, so that package is read with its subfolders
PACKAGES = ("thaiplan", "thaiplan.extract", "thaiplan.normalize", "thaiplan.families")
WITH_SUBFOLDERS = frozenset({"thaiplan.families"})
SOURCE_SUFFIXES = (".py", ".json", ".npz", ".txt", ".tsv")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (a scan may be hundreds of MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_files(package: str) -> list[Path]:
    """The source and data files of one package (not of its subpackages, which
    an editable install may keep in other folders; list those separately), with its
    subfolders' for a package of WITH_SUBFOLDERS."""
    folders = _folders(package)
    files: list[Path] = []
    for folder in folders:
        found = folder.rglob("*.py") if package in WITH_SUBFOLDERS else folder.glob("*.py")
        files += [p for p in found if p.is_file() and "__pycache__" not in p.parts]
        for data in folder.rglob("data") if package in WITH_SUBFOLDERS else [folder / "data"]:
            if data.is_dir():
                files += [p for p in data.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES]
    return sorted(set(files))


def _folders(package: str) -> list[Path]:
    """Where a package's files are, found without importing it (importing
    thaiplan.extract would load every reader: a rerun that converts nothing
    should not pay for that)."""
    spec = importlib.util.find_spec(package)
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise ModuleNotFoundError(f"no package {package}")
    return [Path(entry) for entry in locations]


@lru_cache(maxsize=8)
def code_fingerprint(*packages: str) -> str:
    """16 hex digits over the files of the given packages (default: all of
    thaiplan): each file's package, name and bytes, the same in a wheel and in
    an editable install.

    >>> code_fingerprint("thaiplan.extract") == code_fingerprint("thaiplan.extract")
    True
    """
    digest = hashlib.sha256()
    for package in packages or PACKAGES:
        roots = _folders(package)
        for path in package_files(package):
            root = next(r for r in roots if path.is_relative_to(r))
            digest.update(f"{package}:{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
