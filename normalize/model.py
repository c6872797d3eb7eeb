"""The canonical plan: what every reader's output becomes, and what the
dataset files are written from. Unknown is None, never a placeholder."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

ItemType = Literal["project", "activity", "measure", "guideline", "other"]
Severity = Literal["info", "warning", "error"]
ITEM_TYPES: tuple[ItemType, ...] = ("project", "activity", "measure", "guideline", "other")
# Count quantities in type order, as totals print them.
# The heading kinds of the anti-corruption plan, by level (2.3.1 and deeper: sub_mission).
MISSION_KINDS = ("dimension", "mission", "sub_mission")
# Where a cell stood on its page: (page, x0, top, x1, bottom), in PDF points
# for PDFs (OCR'd pages too) and in pixels for images.
Box = tuple[int, float, float, float, float]
COUNT_QUANTITIES = {"project": "projects", "activity": "activities", "measure": "measures", "guideline": "guidelines"}
QUOTE_LIMIT = 80  # characters of a cell quoted in a finding's message


def quoted(text: str) -> str:
    """A cell's text for a finding's message: repr, cut short when long.

    >>> quoted("abc"), quoted("x" * 100)[-3:]
    ("'abc'", "x'…")
    """
    return repr(text) if len(text) <= QUOTE_LIMIT else f"{text[:QUOTE_LIMIT]!r}…"


@dataclass(frozen=True)
class Mission:
    code: str  # Arabic dotted: "2", "2.3", "2.3.1"
    title: str
    title_raw: str
    page: int | None = None
    boxes: tuple[Box, ...] = ()  # the heading's cells
    heading_kind: str = ""  # a family's own kind (strategy, guideline); else by level below

    @property
    def level(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def dimension(self) -> int:
        return int(self.code.split(".", 1)[0])

    @property
    def kind(self) -> str:
        return self.heading_kind or MISSION_KINDS[min(self.level, len(MISSION_KINDS)) - 1]


@dataclass(frozen=True)
class Budget:
    fiscal_year: int | None  # Buddhist Era; None when the plan's year is unknown
    amount: Decimal | None  # None: the cell was empty (unknown), not zero
    text: str = ""
    part: int | None = None  # the item's sub-row (จุดที่ ๑, ๒ …) with its own budget; None when it has none
    source: str = ""  # a funding source printed beside the amount (งบ อบต.)

    def __post_init__(self) -> None:
        if self.amount is not None and self.amount < 0:
            raise ValueError(f"negative budget {self.amount}")


@dataclass(frozen=True)
class Item:
    item_no: int  # 1-based order in the document
    code: str | None  # the mission it belongs to
    dimension: int | None
    type: ItemType
    name: str
    name_raw: str
    budgets: tuple[Budget, ...] = ()
    period_start: date | None = None
    period_end: date | None = None
    period_text: str = ""
    remark: str = ""
    page: int | None = None
    warnings: tuple[str, ...] = ()
    label: str = ""  # an item label printed before the name ("๑)", "-")
    boxes: tuple[Box, ...] = ()  # the cells the item was read from
    # the development plan's columns (empty for the anti-corruption plan)
    objective: str = ""
    target: str = ""
    kpi: str = ""
    expected_result: str = ""
    responsible_unit: str = ""

    @property
    def budget_baht(self) -> Decimal | None:
        known = [b.amount for b in self.budgets if b.amount is not None]
        return sum(known, Decimal(0)) if known else None


@dataclass(frozen=True)
class StatedTotal:
    """A printed total row (รวม / รวมทั้งสิ้น): counts by type and amounts by year."""

    scope: str  # dimension code "1".."4" or "all"
    label: str
    counts: dict[str, int | None] = field(default_factory=dict)  # quantity -> count (None: unreadable)
    counts_printed: bool = False  # False: the row prints amounts only
    amounts: tuple[Budget, ...] = ()
    page: int | None = None
    text: str = ""
    table: str = "detail"  # a total row of the plan table; "summary": a summary table's row
    boxes: tuple[Box, ...] = ()  # the cells of the printed row
    cells: tuple[str, ...] = ()  # the printed row's cells as written, left to right


@dataclass(frozen=True)
class Finding:
    severity: Severity
    kind: str
    message: str
    code: str | None = None
    item_no: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Plan:
    source: str
    format: str
    pages: int | None
    title: str
    organization: str
    fiscal_years: tuple[int, ...]
    missions: tuple[Mission, ...]
    items: tuple[Item, ...]
    totals: tuple[StatedTotal, ...]
    findings: tuple[Finding, ...]
    title_raw: str = ""
    family: str = "anticorruption"
    read_by: str = ""  # text, docx, xls, pdf, ocr, or mixed (some pages OCR'd)
    ocr_pages: tuple[int, ...] = ()
    ocr_engine: str = ""  # e.g. "tesseract 5.3.0", when any page was OCR'd
    page_reads: tuple[tuple[int, str, str], ...] = ()  # a PDF's (page, read_by, rule): extract.pdf_layer
