"""Header rows found by their words, not their position, and the column map.

A header repeats on every page (sometimes missing a cell); a 4-year plan has
a two-row header with one budget column per year under `งบประมาณ`. The words
are a family's (normalize.vocabulary), given by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from thaiplan.extract.model import Row
from thaiplan.normalize.thai_text import without_marks
from thaiplan.normalize.vocabulary import Vocabulary
from thaiplan.thai import to_arabic

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
    def found(self) -> set[str]:
        return set(self.roles.values())


def _compact(text: str) -> str:
    return _SPACES.sub("", text)


def header_score(row: Row, vocabulary: Vocabulary) -> int:
    """How many cells are header words; 0 for data rows."""
    score = 0
    for cell in row.cells:
        text = _compact(cell.text)
        if not text:
            continue
        if _looks_like_data(text):
            return 0
        if _is_header_word(text, vocabulary):
            score += 1
    return score


def _is_header_word(text: str, vocabulary: Vocabulary) -> bool:
    """A header cell starts with its word and is short: `งบประมาณ (บาท)` is a
    header, `ไม่ใช้งบประมาณ` and `๓) แนวปฏิบัติการจัดการ…` are data."""
    if len(text) > 30:
        return False
    if text.startswith(vocabulary.item_words):
        return "/" in text or text in vocabulary.item_headers
    for word, longest in vocabulary.short_words.items():
        if text.startswith(word):
            return len(text) <= longest
    if text.startswith(vocabulary.header_starts):
        return True
    return bool(_YEAR.fullmatch(to_arabic(text)))


def _looks_like_data(text: str) -> bool:
    arabic = to_arabic(text)
    return bool(re.match(r"^\(?\d+[.)]", arabic)) or bool(re.search(r"\d{1,3},\d{3}", arabic)) or text.startswith("รวม")


def _role_of(text: str, vocabulary: Vocabulary) -> str | None:
    """The role a header text names; a whole header word that lost its marks counts."""
    role = _role_by_words(text, vocabulary)
    if role is None and len(text) <= 12:
        role = vocabulary.bare_roles.get(without_marks(text))
    return role


def _role_by_words(text: str, vocabulary: Vocabulary) -> str | None:
    if text in vocabulary.number_words:
        return "number"
    for role, words in vocabulary.role_words:
        if text.startswith(vocabulary.role_exclusions.get(role, ())):
            continue
        if any(word in text for word in words):
            return role
    if _YEAR.search(to_arabic(text)) and len(text) <= 14:
        return "budget"  # `ปี ๒๕๖๑`, `๒๕๖๒`, `พ.ศ. 2563` under a budget header
    return None


def is_header_row(row: Row, vocabulary: Vocabulary) -> bool:
    return bool(row.is_header) or header_score(row, vocabulary) >= 2


def is_subheader_row(row: Row, vocabulary: Vocabulary) -> bool:
    """A lower row of a header: years, `(บาท)`, `งบประมาณ`; where the family's
    headers wrap over rows, also short pieces of header words beside a year or `(บาท)`."""
    texts = [_compact(c.text) for c in row.cells if c.text.strip()]
    if not texts:
        return False

    def unit(text: str) -> bool:
        return bool(_YEAR.search(to_arabic(text))) and len(text) <= 14 or text in vocabulary.subheader_words

    if all(unit(t) for t in texts):
        return True
    return vocabulary.subheader_fragments and any(map(unit, texts)) and all(_fragment(t) for t in texts)


def _fragment(text: str) -> bool:
    """A piece of a wrapped header word: short, no number of a data row, no amount."""
    return len(text) <= 20 and not _looks_like_data(text)


def is_header_piece(text: str) -> bool:
    """A short text that is no data (a header word's wrapped piece), as `ที่` of `หน่วยงาน ที่ รับผิดชอบ`.

    >>> is_header_piece("ที่"), is_header_piece("200,000.-"), is_header_piece("1.")
    (True, False, False)
    """
    return _fragment(_compact(text))


def build_column_map(header_rows: list[Row], vocabulary: Vocabulary) -> ColumnMap:
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
        lowest = len(parts) > 1 and vocabulary.lowest_row_names_role
        role = _role_of(last, vocabulary) if lowest else _role_of(joined, vocabulary)
        if role is None:
            role = _role_of(joined, vocabulary)
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
    _drop_duplicate_roles(roles, years, vocabulary.unique_roles)
    return ColumnMap(roles, years, header_text)


def _drop_duplicate_roles(roles: dict[int, str], years: dict[int, int | None], unique: tuple[str, ...]) -> None:
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
        if role in unique:
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


def headers_in(rows: tuple[Row, ...], vocabulary: Vocabulary) -> list[ColumnMap]:
    """The column map of every header (a header row and its lower rows) among `rows`."""
    maps: list[ColumnMap] = []
    index = 0
    while index < len(rows):
        if is_header_row(rows[index], vocabulary):
            header = [rows[index]]
            while index + 1 < len(rows) and (is_subheader_row(rows[index + 1], vocabulary) or rows[index + 1].is_header):
                index += 1
                header.append(rows[index])
            maps.append(build_column_map(header, vocabulary))
        index += 1
    return maps
