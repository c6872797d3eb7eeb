"""Header rows found by their words, not their position, and the column map.

A header repeats on every page (sometimes missing a cell); a 4-year plan has
a two-row header with one budget column per year under `งบประมาณ`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from thaiplan.extract.model import Row
from thaiplan.normalize.thai_text import without_marks
from thaiplan.thai import to_arabic

# Role keywords, checked in order against a column's header text (spaces removed).
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mission", ("ภารกิจ",)),
    ("dimension", ("มิติ",)),
    ("item", ("โครงการ", "กิจกรรม", "มาตรการ", "แนวปฏิบัติ")),
    ("period", ("ช่วงเวลา", "ระยะเวลา", "ห้วงเวลา")),
    ("remark", ("หมายเหตุ",)),
    ("budget", ("งบประมาณ", "(บาท)", "บาท")),
    ("number", ("ลำดับ", "ที่")),
)
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
_YEAR = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ColumnMap:
    """Which grid column holds what. Budget columns map to fiscal years
    (None where the header names no year: the plan's own year)."""

    roles: dict[int, str]
    budget_years: dict[int, int | None] = field(default_factory=dict)
    header_text: dict[int, str] = field(default_factory=dict)

    def column_of(self, role: str) -> int | None:
        for col, name in self.roles.items():
            if name == role:
                return col
        return None

    @property
    def is_plan_table(self) -> bool:
        """An anti-corruption plan table: missions or dimensions, items, budgets."""
        found = set(self.roles.values())
        return bool({"mission", "dimension"} & found) and "item" in found and bool(self.budget_years)


def _compact(text: str) -> str:
    return _SPACES.sub("", text)


def header_score(row: Row) -> int:
    """How many cells are header words; 0 for data rows."""
    score = 0
    for cell in row.cells:
        text = _compact(cell.text)
        if not text:
            continue
        if _looks_like_data(text):
            return 0
        if _is_header_word(text):
            score += 1
    return score


def _is_header_word(text: str) -> bool:
    """A header cell starts with its word and is short: `งบประมาณ (บาท)` is a
    header, `ไม่ใช้งบประมาณ` and `๓) แนวปฏิบัติการจัดการ…` are data."""
    if len(text) > 30:
        return False
    if text.startswith(("โครงการ", "กิจกรรม", "มาตรการ", "แนวปฏิบัติ")):
        return "/" in text or text in ("โครงการ", "กิจกรรม", "มาตรการ", "แนวปฏิบัติ", "แนวปฏิบัติงาน")
    if text.startswith("มิติ"):
        return len(text) <= 12
    starts = ("ภารกิจ", "ช่วงเวลา", "ระยะเวลา", "ห้วงเวลา", "หมายเหตุ", "งบประมาณ", "(บาท)", "ลำดับ", "ที่", "ปี", "พ.ศ")
    if text.startswith(starts) or any(text.startswith(word) for word in OTHER_WORDS):
        return True
    return bool(_YEAR.fullmatch(to_arabic(text)))


def _looks_like_data(text: str) -> bool:
    arabic = to_arabic(text)
    return bool(re.match(r"^\(?\d+[.)]", arabic)) or bool(re.search(r"\d{1,3},\d{3}", arabic)) or text.startswith("รวม")


_BARE_ROLES = {without_marks(word): role for role, words in ROLE_WORDS if role != "number" for word in words}


def _role_of(text: str) -> str | None:
    """The role a header text names; a whole header word that lost its marks counts.

    >>> _role_of("ภารกิจตามมิติ"), _role_of("มต")
    ('mission', 'dimension')
    """
    role = _role_by_words(text)
    if role is None and len(text) <= 12:
        role = _BARE_ROLES.get(without_marks(text))
    return role


def _role_by_words(text: str) -> str | None:
    for role, words in ROLE_WORDS:
        if role == "number":
            if text in ("ที่", "ลำดับ", "ลำดับที่"):
                return role
            continue
        if role == "item" and text.startswith("ภารกิจ"):
            continue
        if any(word in text for word in words):
            return role
    if _YEAR.search(to_arabic(text)) and len(text) <= 14:
        return "budget"  # `ปี ๒๕๖๑`, `๒๕๖๒`, `พ.ศ. 2563` under a budget header
    return None


def is_header_row(row: Row) -> bool:
    return bool(row.is_header) or header_score(row) >= 2


def is_subheader_row(row: Row) -> bool:
    """The second row of a two-row header: years, `(บาท)`, `งบประมาณ`."""
    texts = [_compact(c.text) for c in row.cells if c.text.strip()]
    if not texts:
        return False
    return all(
        _YEAR.search(to_arabic(t)) and len(t) <= 14 or t in ("(บาท)", "บาท", "งบประมาณ", "งบประมาณ(บาท)") for t in texts
    )


def build_column_map(header_rows: list[Row]) -> ColumnMap:
    """Map grid columns to roles from one or two header rows."""
    texts: dict[int, list[str]] = {}
    for row in header_rows:
        for cell in row.cells:
            for col in range(cell.col, cell.col + cell.col_span):
                if cell.text.strip():
                    texts.setdefault(col, []).append(_compact(cell.text))
    roles: dict[int, str] = {}
    years: dict[int, int | None] = {}
    header_text: dict[int, str] = {}
    for col in sorted(texts):
        parts = texts[col]
        joined = " ".join(parts)
        header_text[col] = joined
        last = parts[-1]  # the lowest header row is the most specific
        year_match = _YEAR.search(to_arabic(joined))  # `ปี ๒๕๖๑` above `งบประมาณ (บาท)`, or below it
        role = _role_of(last) if len(parts) > 1 else _role_of(joined)
        if role is None:
            role = _role_of(joined)
        if year_match and (role in (None, "budget") or "งบประมาณ" in joined):
            roles[col] = "budget"
            years[col] = int(year_match.group(1))
        elif role == "budget":
            roles[col] = "budget"
            years[col] = None
        elif role:
            roles[col] = role
        else:
            roles[col] = "other"
    _drop_duplicate_roles(roles, years)
    return ColumnMap(roles, years, header_text)


def _drop_duplicate_roles(roles: dict[int, str], years: dict[int, int | None]) -> None:
    """A spanning header cell (e.g. `งบประมาณ` over year columns) gives one role many
    columns; keep the year columns, and a single plain budget column otherwise."""
    plain = [c for c, y in years.items() if y is None]
    if len(years) > len(plain) and plain:
        for col in plain:
            del years[col]
            roles[col] = "other"
    elif len(plain) > 1:
        for col in plain[1:]:
            del years[col]
            roles[col] = "other"
    seen: set[str] = set()
    for col in sorted(roles):
        role = roles[col]
        if role in ("dimension", "mission", "item", "period", "remark", "number"):
            if role in seen:
                roles[col] = "other"
            seen.add(role)


def header_words(rows: list[Row]) -> list[str]:
    """The header words of a table, for telling a user what was found."""
    words: list[str] = []
    for row in rows:
        for cell in row.cells:
            text = _SPACES.sub(" ", cell.text).strip()
            if text and text not in words:
                words.append(text)
    return words
