"""A plan family's header vocabulary and row rules: the data header recognition
and row assembly are given, so they serve every family without knowing any.

A family (thaiplan.families) builds one Vocabulary; normalize.headers and
normalize.rows read it and never name a family's words themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from thaiplan.normalize.thai_text import without_marks
from thaiplan.normalize.unruled import RowAnchors

if TYPE_CHECKING:
    from thaiplan.extract.model import Cell, Row
    from thaiplan.normalize.headers import ColumnMap
    from thaiplan.normalize.rows import LogicalRow


class RowRules(Protocol):
    """How a family's rows are put together (realigned, typed, joined)."""

    def aligned(self, row: Row, column_map: ColumnMap) -> Row: ...

    def cell_role(self, cell: Cell, column_map: ColumnMap, role: str | None) -> str | None: ...

    def is_total(self, row: LogicalRow) -> bool: ...

    def joins(self, row: LogicalRow, above: LogicalRow) -> bool: ...


class PlainRows:
    """Rows as the grid has them: no realignment, no total rows, no joining
    (a family that groups rows itself, as the development plan's parts)."""

    def aligned(self, row: Row, column_map: ColumnMap) -> Row:
        return row

    def cell_role(self, cell: Cell, column_map: ColumnMap, role: str | None) -> str | None:
        return role

    def is_total(self, row: LogicalRow) -> bool:
        return False

    def joins(self, row: LogicalRow, above: LogicalRow) -> bool:
        return False


@dataclass(frozen=True)
class Vocabulary:
    """The words of a family's table headers.

    role_words: (role, words) in the order they are tried; a header text
        containing a word names its role.
    number_words: whole header texts that name the number column (ที่).
    item_words: header cells starting with one of these are headers only when
        whole (`item_headers`) or listing several (`/`): `ไม่ใช้งบประมาณ`,
        `โครงการก่อสร้าง…` are data.
    short_words: a header starting with the word is a header up to that length.
    header_starts: other words a header cell starts with.
    role_exclusions: role -> prefixes that keep a text from naming it.
    subheader_words: whole texts of a header's lower row besides years.
    unique_roles: roles one column at most may hold.
    lowest_row_names_role: in a two-row header the lower row names the role
        (the anti-corruption template); else the column's whole header text.
    subheader_fragments: the lower header rows may hold pieces of the upper
        header's words (a header cell wrapped over rows of a sheet).
    table_kind: the kind of table a column map is, or None (not this family's).
    headers_named, table_named: what a message says the family's tables are.
    anchors: the lines that open a row where rows are not ruled (None: the
        reader's rows are taken as they are).
    """

    family: str
    role_words: tuple[tuple[str, tuple[str, ...]], ...]
    number_words: tuple[str, ...]
    item_words: tuple[str, ...]
    item_headers: tuple[str, ...]
    header_starts: tuple[str, ...]
    table_kind: Callable[[ColumnMap], str | None]
    headers_named: str
    table_named: str
    short_words: dict[str, int] = field(default_factory=dict)
    role_exclusions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    subheader_words: tuple[str, ...] = ("(บาท)", "บาท", "งบประมาณ", "งบประมาณ(บาท)")
    unique_roles: tuple[str, ...] = ()
    lowest_row_names_role: bool = True
    subheader_fragments: bool = False
    rules: RowRules = field(default_factory=PlainRows)
    anchors: RowAnchors | None = None

    @cached_property
    def bare_roles(self) -> dict[str, str]:
        """Whole header words without their marks (an OCR that lost them) -> role."""
        return {without_marks(word): role for role, words in self.role_words for word in words}
