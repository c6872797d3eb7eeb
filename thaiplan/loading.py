"""Read an output folder back as analysis-ready pandas frames.

Types, the same whichever file a table is read from:

- codes, ids and text: pandas `string` dtype, a missing value is `pd.NA`
  (`2.3.1` and `1.10` stay as written, never a float);
- counts, years, pages and numbers: `Int64` (nullable integers);
- dates: `datetime64[s]`, so `.dt.year` and date arithmetic work (the
  second unit keeps any year in range, not only 1677-2262);
- amounts (baht): `Float64`, nullable floats.

Why Float64 and not decimals: amounts are printed with at most two places,
and each value is read as the float nearest to its exact decimal (through its
text, not a binary cast), so `round(2)` of any value gives back the printed
baht and satang exactly, for amounts far beyond any budget (up to about 10^13
baht). Sums, means, `describe()`, `round()` and plotting then work as on any
numeric column; a sum of many values may carry float error in its last digits,
which `round(2)` removes. Decimal columns (object dtype of `Decimal`, or
pyarrow-backed decimals) sum exactly but `describe()`, `std()` and much of
NumPy do not take them. For exact decimals read the Parquet file itself:
`pd.read_parquet("OUT/items.parquet", dtype_backend="pyarrow")` gives
`decimal128(18, 2)`.

A table is read from its Parquet file when there is one at least as new as the
CSV (fast and already typed), else from the CSV.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from thaiplan.columns import COLUMNS, kind_of
from thaiplan.typed_exports import parquet_name

DATE_DTYPE = "datetime64[s]"


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """All dataset tables of an output folder, by name (documents, items, …)."""
    folder = Path(out_dir)
    frames: dict[str, pd.DataFrame] = {}
    for name in COLUMNS:
        csv_path, parquet_path = folder / f"{name}.csv", folder / parquet_name(name)
        if parquet_path.is_file() and (not csv_path.exists() or _not_older(parquet_path, csv_path)):
            frames[name] = _from_parquet(name, parquet_path)
        else:
            frames[name] = _from_csv(name, csv_path)
    return frames


def _not_older(path: Path, than: Path) -> bool:
    """An export writes the CSV first: an older Parquet file is left from an earlier export."""
    return path.stat().st_mtime_ns >= than.stat().st_mtime_ns


def _from_csv(name: str, path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = pd.DataFrame(index=raw.index)
    for column in COLUMNS[name]:
        values = [v if v != "" else None for v in raw[column]]  # an empty cell is unknown
        kind = kind_of(name, column)
        if kind == "integer":
            frame[column] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif kind == "decimal":
            frame[column] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        elif kind == "date":
            frame[column] = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d").astype(DATE_DTYPE)
        else:
            frame[column] = pd.array(values, dtype="string")
    return frame


def _from_parquet(name: str, path: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=list(COLUMNS[name]))
    for index, column in enumerate(table.column_names):
        kind = kind_of(name, column)
        if kind == "decimal":  # through the text: arrow's decimal-to-float cast is not always the nearest float
            table = table.set_column(index, column, pc.cast(pc.cast(table.column(index), pa.string()), pa.float64()))
        elif kind == "date":
            table = table.set_column(index, column, pc.cast(table.column(index), pa.timestamp("s")))
    dtypes = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}
    frame = table.to_pandas(types_mapper=dtypes.get)
    for column in COLUMNS[name]:
        if kind_of(name, column) == "date":
            frame[column] = frame[column].astype(DATE_DTYPE)
    return frame
