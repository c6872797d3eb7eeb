"""Every module's doctest examples, imported as the installed package has them
(thaiplan.extract.…, thaiplan.normalize.…), so each module is loaded once."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import sys

import pytest

from tests.conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# The packages of pyproject.toml's [tool.setuptools] packages. In an editable
# install thaiplan.extract lives in extract/, so it is not found inside thaiplan/.
PACKAGES = tuple(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])


def _modules() -> list[str]:
    names = list(PACKAGES)
    for package in PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__, prefix=f"{package}."):
            if not info.ispkg and not info.name.endswith("__main__"):  # running __main__ starts the CLI
                names.append(info.name)
    return sorted(names)


MODULES = _modules()


def test_the_package_has_its_parts() -> None:
    assert {"thaiplan.extract.text", "thaiplan.families.anticorruption.builder", "thaiplan.cli"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {name}"
