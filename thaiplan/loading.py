"""Read an output folder back with the right types: codes as strings, amounts
as Decimals, dates as dates, counts and years as nullable integers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from thaiplan.records import COLUMNS

_INTEGERS = {
    "pages",
    "fiscal_year_first",
    "fiscal_year_last",
    "items",
    "mismatches",
    "level",
    "page",
    "item_no",
    "dimension",
    "fiscal_year",
    "projects",
    "activities",
    "measures",
}
_DECIMALS = {"budget_baht", "amount_baht", "stated", "computed", "difference"}
_DATES = {"period_start", "period_end"}


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """All dataset tables of an output folder, by name (documents, items, …)."""
    folder = Path(out_dir)
    frames: dict[str, pd.DataFrame] = {}
    for name, columns in COLUMNS.items():
        path = folder / f"{name}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for column in columns:
            if column in _INTEGERS or (name == "documents" and column == "warnings"):
                frame[column] = pd.array([int(v) if v else None for v in frame[column]], dtype="Int64")
            elif column in _DECIMALS:
                frame[column] = frame[column].map(_decimal).astype(object)
            elif column in _DATES:
                frame[column] = frame[column].map(_date).astype(object)
        frames[name] = frame
    return frames
