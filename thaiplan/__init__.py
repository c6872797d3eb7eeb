"""thaiplan: Thai local-government plan tables to a clean, checkable dataset.

>>> import thaiplan
>>> frames = thaiplan.convert(["samples"], "output")   # doctest: +SKIP
>>> frames["items"].groupby("type").budget_baht.sum()   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    import pandas as pd


def convert(
    paths: list[str | Path] | str | Path, out_dir: str | Path = "output", jobs: int | None = None
) -> dict[str, pd.DataFrame]:
    """Convert plan files or folders into `out_dir` and return the dataset tables."""
    from thaiplan.batch import run_batch
    from thaiplan.loading import load as _load

    inputs = [paths] if isinstance(paths, (str, Path)) else list(paths)
    run_batch(inputs, out_dir, jobs=jobs)
    return _load(out_dir)


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read an output folder back with the right types."""
    from thaiplan.loading import load as _load

    return _load(out_dir)


__all__ = ["__version__", "convert", "load"]
