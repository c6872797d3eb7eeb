"""The anti-corruption plan's header words (แผนปฏิบัติการป้องกันการทุจริต):
มิติ | ภารกิจตามมิติ | โครงการ/กิจกรรม/มาตรการ | งบประมาณ (by year) | ช่วงเวลา | หมายเหตุ.

>>> from thaiplan.normalize.headers import _role_of
>>> _role_of("ภารกิจตามมิติ", VOCABULARY), _role_of("มต", VOCABULARY)
('mission', 'dimension')
"""

from __future__ import annotations

from thaiplan.families.anticorruption.rows import AntiCorruptionRows
from thaiplan.normalize.headers import ColumnMap
from thaiplan.normalize.vocabulary import Vocabulary

# Role keywords, checked in order against a column's header text (spaces removed).
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mission", ("ภารกิจ",)),
    ("dimension", ("มิติ",)),
    ("item", ("โครงการ", "กิจกรรม", "มาตรการ", "แนวปฏิบัติ")),
    ("period", ("ช่วงเวลา", "ระยะเวลา", "ห้วงเวลา")),
    ("remark", ("หมายเหตุ",)),
    ("budget", ("งบประมาณ", "(บาท)", "บาท")),
)
ITEM_WORDS = ("โครงการ", "กิจกรรม", "มาตรการ", "แนวปฏิบัติ")
# Words of other plan tables, so a table that is not ours can be named.
OTHER_WORDS = (
    "วัตถุประสงค์",
    "เป้าหมาย",
    "ผลลัพธ์",
    "ผลที่คาดว่าจะได้รับ",
    "หน่วยงานรับผิดชอบ",
    "ตัวชี้วัด",
    "แหล่งงบประมาณ",
    "ยุทธศาสตร์",
    "แนวทาง",
    "ผลผลิต",
)
HEADER_STARTS = ("ภารกิจ", "ช่วงเวลา", "ระยะเวลา", "ห้วงเวลา", "หมายเหตุ", "งบประมาณ", "(บาท)", "ลำดับ", "ที่", "ปี", "พ.ศ")
# The signature of this family's table: the columns no other family's table has.
OWN_ROLES = frozenset({"mission", "dimension"})


def table_kind(column_map: ColumnMap) -> str | None:
    """A plan table: missions or dimensions, items, budgets."""
    found = column_map.found
    return "plan" if OWN_ROLES & found and "item" in found and column_map.budget_years else None


VOCABULARY = Vocabulary(
    family="anticorruption",
    role_words=ROLE_WORDS,
    number_words=("ที่", "ลำดับ", "ลำดับที่"),
    item_words=ITEM_WORDS,
    item_headers=(*ITEM_WORDS, "แนวปฏิบัติงาน"),
    header_starts=(*HEADER_STARTS, *OTHER_WORDS),
    table_kind=table_kind,
    headers_named="มิติ, ภารกิจ, โครงการ, งบประมาณ",
    table_named="an anti-corruption plan table (no มิติ/ภารกิจ column)",
    short_words={"มิติ": 12},
    role_exclusions={"item": ("ภารกิจ",)},
    unique_roles=("dimension", "mission", "item", "period", "remark", "number"),
    rules=AntiCorruptionRows(),
)
