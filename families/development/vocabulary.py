"""The development plan's detail table (รายละเอียดโครงการพัฒนา, ผ.02):
ที่ | โครงการ | วัตถุประสงค์ | เป้าหมาย (ผลผลิตของโครงการ) | งบประมาณและที่มา
(one column per year) | ตัวชี้วัด (KPI) | ผลลัพธ์ที่คาดว่าจะได้รับ | หน่วยงานที่รับผิดชอบ.

>>> from thaiplan.normalize.headers import _role_of
>>> [_role_of(t, VOCABULARY) for t in ("เป้าหมาย(ผลผลิตของโครงการ)", "หน่วยงานที่รับผิดชอบ", "ตัวชี้วัด(KPI)")]
['target', 'responsible_unit', 'kpi']
"""

from __future__ import annotations

import re

from thaiplan.families.development.budgets import starts_part
from thaiplan.normalize.headers import ColumnMap
from thaiplan.normalize.unruled import RowAnchors
from thaiplan.normalize.vocabulary import PlainRows, Vocabulary
from thaiplan.thai import to_arabic

# Tried in order: `เป้าหมาย (ผลผลิตของโครงการ)` names the target before `โครงการ` names the item.
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("objective", ("วัตถุประสงค์",)),
    ("target", ("เป้าหมาย", "ผลผลิต")),
    ("kpi", ("ตัวชี้วัด", "KPI")),
    ("expected_result", ("ผลลัพธ์", "ผลที่คาดว่า")),
    ("responsible_unit", ("หน่วยงาน",)),
    ("item", ("โครงการ",)),
    ("budget", ("งบประมาณ", "(บาท)", "บาท")),
)
TEXT_ROLES = ("item", "objective", "target", "kpi", "expected_result", "responsible_unit")
HEADER_STARTS = (
    "ที่", "ลำดับ", "ชื่อโครงการ", "วัตถุประสงค์", "เป้าหมาย", "งบประมาณ", "(บาท)", "ตัวชี้วัด", "ผลลัพธ์", "ผลที่คาดว่า",
    "หน่วยงาน", "ปี", "พ.ศ",
)  # fmt: skip
# Columns of the anti-corruption plan: a table holding them is not this family's.
FOREIGN_ROLES = frozenset({"mission", "dimension"})
FOREIGN_WORDS = ("มิติ", "ภารกิจ")


_ROW_NUMBER = re.compile(r"^\s*(\d{1,4})\s*[.)]?\s*$")


def row_number(text: str) -> str | None:
    """The digits of a project's ที่ (`18`, `๑` -> `1`, `3.` -> `3`), None for anything else."""
    match = _ROW_NUMBER.match(to_arabic(text))
    return match.group(1) if match else None


def is_row_number(text: str) -> bool:
    """ที่ of a project: `18`, `๑`, `3.`.

    >>> is_row_number("18"), is_row_number("๑"), is_row_number("1.1"), is_row_number("ที่")
    (True, True, False, False)
    """
    return row_number(text) is not None


# Rows have no rulings in these plans: a project opens where ที่ has a number, a part
# where a budget cell has an amount or `-`.
ANCHORS = RowAnchors(number_role="number", amount_role="budget", starts_row=is_row_number, starts_part=starts_part)


def table_kind(column_map: ColumnMap) -> str | None:
    """A detail table: projects, what they are for, and budgets by year."""
    found = column_map.found
    years = [y for y in column_map.budget_years.values() if y]
    foreign = any(word in text for text in column_map.header_text.values() for word in FOREIGN_WORDS)
    if foreign or FOREIGN_ROLES & found:
        return None
    return "detail" if "item" in found and years and {"objective", "target"} & found else None


VOCABULARY = Vocabulary(
    family="development",
    role_words=ROLE_WORDS,
    number_words=("ที่", "ลำดับ", "ลำดับที่"),
    item_words=("โครงการ",),
    item_headers=("โครงการ",),
    header_starts=HEADER_STARTS,
    table_kind=table_kind,
    headers_named="ที่, โครงการ, วัตถุประสงค์, เป้าหมาย, งบประมาณ by year",
    table_named="a development plan's detail table (no โครงการ/วัตถุประสงค์ and yearly budget columns)",
    unique_roles=("number", *TEXT_ROLES),
    lowest_row_names_role=False,
    subheader_fragments=True,
    rules=PlainRows(),
    anchors=ANCHORS,
)
