"""The anti-corruption plan's row rules: total rows (รวม …), rows whose leading
cells were lost realigned by what their cells hold, a dimension cell in an
unnamed column, and rows that only continue the row above (a wrap, a page break)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from thaiplan.extract.model import Cell, Row
from thaiplan.normalize.amounts import looks_like_amount
from thaiplan.normalize.codes import dimension_of, split_missions, unmarked_dimension
from thaiplan.normalize.counts import has_counts
from thaiplan.normalize.headers import ColumnMap
from thaiplan.normalize.item_types import is_item_text, split_label
from thaiplan.normalize.periods import MONTHS
from thaiplan.normalize.rows import LogicalRow
from thaiplan.thai import to_arabic

_TOTAL = re.compile(r"^รวม(ทั้งสิ้น|ทั้งหมด|ทุกมิติ|ทั้งหมดทุกมิติ)?(มิติที่?\d+)?(จำนวน)?$")
_MONTH_WORD = re.compile("|".join(sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True)) + r"|ไตรมาส|ตลอดปี")
MAX_SHIFT = 2

def is_total_label(text: str) -> bool:
    compact = re.sub(r"\s+", "", to_arabic(text))
    if _TOTAL.match(compact):
        return True
    if compact.startswith("รวม") and not compact.startswith("รวมพลัง"):
        rest = compact[3:]
        rest = re.sub(r"^(ทั้งสิ้น|ทั้งหมด)", "", rest)
        return has_counts(rest) and not is_item_text(rest)
    return False


@lru_cache(maxsize=65536)
def cell_kind(text: str) -> str:
    """What a cell's content looks like: total, amount, code, dimension, item, period, text."""
    if not text:
        return "empty"
    if is_total_label(text):
        return "total"
    if looks_like_amount(text):
        return "amount"
    lead, parts = split_missions(text)
    if parts and not lead and "." in parts[0].code:
        return "code"
    if dimension_of(text):
        return "dimension"
    if is_item_text(text):
        return "item"
    if _MONTH_WORD.search(text):
        return "period"
    return "text"


# How well a kind of content fits a column role; realigns shifted rows.
_FIT: dict[str, dict[str, int]] = {
    "total": {"mission": 1, "dimension": 1, "item": 1},
    "amount": {"budget": 3, "*": -2},
    "code": {"mission": 3, "*": -2},
    "dimension": {"dimension": 3, "*": -1},
    "item": {"item": 3, "budget": -1, "period": -1},
    "period": {"period": 2},
    "text": {"budget": -1, "period": -1},
}


def _kind_score(text: str, role: str) -> int:
    fit = _FIT.get(cell_kind(text))
    if not fit:
        return 0
    return fit.get(role, fit.get("*", 0))


def _aligned(row: Row, column_map: ColumnMap) -> Row:
    """Shift a row whose leading cells were lost so its content fits the header."""
    if row.cells and row.cells[0].method != "text":
        return row
    roles = column_map.roles

    def score(shift: int) -> int:
        total = 0
        for cell in row.cells:
            role = roles.get(cell.col + shift)
            if role is None:
                total += -3 if cell.text else 0
            else:
                total += _kind_score(cell.text, "budget" if role == "budget" else role)
        return total

    base = score(0)
    best_shift, best = 0, base
    for shift in range(1, MAX_SHIFT + 1):
        value = score(shift)
        if value > best + 1:
            best_shift, best = shift, value
    if best_shift == 0:
        return row
    cells = tuple(replace(c, col=c.col + best_shift) for c in row.cells)
    return Row(cells, row.page, row.is_header)


def _unnamed_dimension(cell: Cell, column_map: ColumnMap) -> bool:
    """A dimension cell (`๑. การสร้าง…`) left of the missions in a column whose
    header was not read (OCR gave `NA` for มิติ), in a table with no dimension column."""
    mission = column_map.column_of("mission")
    if mission is None or cell.col >= mission or column_map.column_of("dimension") is not None:
        return False
    return dimension_of(cell.text) is not None or unmarked_dimension(cell.text) is not None


def _is_continuation(row: LogicalRow) -> bool:
    """Only free text: no code, no dimension, no item word, no amount, no period."""
    if row.kind != "data" or row.budgets or row.get("period"):
        return False
    if not any(row.texts.get(role) for role in ("dimension", "mission", "item")):
        return False
    mission = row.get("mission")
    if mission and split_missions(mission)[1]:
        return False
    if row.get("dimension") and dimension_of(row.get("dimension")):
        return False
    return not (row.get("item") and is_item_text(row.get("item")))


def _cut_by_page_break(row: LogicalRow, above: LogicalRow) -> bool:
    """The first row of a page that is the lower half of the row above: it starts no
    item, no dimension, and any mission code in it belongs under the row above
    (a mission cell `๒.๓ …` cut before its `๒.๓.๑ …`)."""
    if row.kind != "data" or row.page is None or row.page == above.page:
        return False
    if above.kind == "total":  # `… , ๔` / `มาตรการ`: a total's counts cut by the page
        return not row.budgets and not split_missions(row.get("mission"))[1] and not row.get("dimension")
    label_only = bool(above.get("item")) and not split_label(above.get("item"))[1]  # `๔)` / `กิจกรรม…`
    if row.get("item") and is_item_text(row.get("item")) and not label_only:
        return False
    if row.get("dimension") and dimension_of(row.get("dimension")):
        return False
    codes = [p.code for p in split_missions(row.get("mission"))[1]]
    above_codes = [p.code for p in split_missions(above.get("mission"))[1]]
    if codes and not (above_codes and all(c.startswith(above_codes[-1] + ".") for c in codes)):
        return False
    return bool(row.texts or row.budgets)


class AntiCorruptionRows:
    """The row rules normalize.rows is given for this family."""

    def aligned(self, row: Row, column_map: ColumnMap) -> Row:
        return _aligned(row, column_map)

    def cell_role(self, cell: Cell, column_map: ColumnMap, role: str | None) -> str | None:
        return "dimension" if role in (None, "other") and _unnamed_dimension(cell, column_map) else role

    def is_total(self, row: LogicalRow) -> bool:
        return any(is_total_label(row.get(role)) for role in ("dimension", "mission", "item", "number"))

    def joins(self, row: LogicalRow, above: LogicalRow) -> bool:
        return _is_continuation(row) or _cut_by_page_break(row, above)
