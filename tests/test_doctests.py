"""Every module's doctest examples, imported as the installed package has them
(thaiplan.extract.…, thaiplan.normalize.…), so each module is loaded once."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import thaiplan


def _modules() -> list[str]:
    names = [thaiplan.__name__]
    for info in pkgutil.walk_packages(thaiplan.__path__, prefix="thaiplan."):
        if not info.name.endswith("__main__"):  # running it would start the CLI
            names.append(info.name)
    return sorted(names)


MODULES = _modules()


def test_the_package_has_its_parts() -> None:
    assert {"thaiplan.extract.text", "thaiplan.normalize.plan", "thaiplan.cli"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {name}"
