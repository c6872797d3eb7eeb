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

    from thaiplan.runner import RunResult
    from thaiplan.settings import Settings


def convert(
    paths: list[str | Path] | str | Path,
    out_dir: str | Path = "output",
    jobs: int | None = None,
    settings: Settings | dict[str, object] | None = None,
    *,
    fresh: bool = False,
    scheduler: str | None = None,
) -> RunResult:
    """Convert plan files or folders into the dataset of `out_dir` (added to what
    it holds; `fresh` starts over) and return the run's result: `.files` (per
    file: status, error kind and message) and the tables (`result["items"]`).

    `settings`: a Settings, a dict such as {"ocr.render_dpi": 200}, or None for
    the defaults; `jobs` and `scheduler` (a Dask address) override it.
    """
    from thaiplan.runner import run
    from thaiplan.settings import Settings as _Settings

    resolved = _Settings.resolve(settings)
    overrides = {k: v for k, v in {"jobs": jobs, "scheduler": scheduler}.items() if v is not None}
    inputs = [paths] if isinstance(paths, (str, Path)) else list(paths)
    return run(inputs, out_dir, resolved.updated(overrides), fresh=fresh)


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read an output folder back with the right types."""
    from thaiplan.loading import load as _load

    return _load(out_dir)


def __getattr__(name: str) -> object:
    """`thaiplan.Settings`, imported on first use (a text run stays light)."""
    if name == "Settings":
        from thaiplan.settings import Settings

        return Settings
    raise AttributeError(f"module 'thaiplan' has no attribute {name!r}")


__all__ = ["Settings", "__version__", "convert", "load"]
