"""The summary table of a development plan (บัญชีสรุปโครงการพัฒนา, ผ.01):
per strategy, guideline, รวม (the strategy's total) and รวมทั้งสิ้น, for each
year and for all years together, the number of projects and their budget.

    ยุทธศาสตร์ | ปี 2556       | ปี 2557       | … | รวม 3 ปี
               | จำนวน | งบประมาณ | จำนวน | งบประมาณ | … | จำนวน | งบประมาณ

Every printed figure becomes a stated total (table `summary`): one per row and
year, and one for the all-years column (fiscal year None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from thaiplan.extract.model import Row, Table
from thaiplan.families.development.headings import Heading, heading_of
from thaiplan.normalize.amounts import AmountError, parse_amount
from thaiplan.normalize.model import Box, Budget, Finding, StatedTotal, quoted
from thaiplan.thai import to_arabic

_SPACES = re.compile(r"\s+")
_YEAR_HEAD = re.compile(r"^(?:ปี)?(?:งบประมาณ)?(?:พ\.ศ\.?)?(25\d\d)(?:\(บาท\))?$")
_ALL_YEARS = re.compile(r"^รวม(\d{1,2}|สาม|สี่|ห้า)ปี")
_COUNT = re.compile(r"^\d{1,6}$")
_DIGIT = re.compile(r"\d")
TABLE = "summary"


@dataclass(frozen=True)
class Summary:
    totals: tuple[StatedTotal, ...] = ()
    headings: tuple[tuple[Heading, int | None], ...] = ()
    findings: tuple[Finding, ...] = ()
    fiscal_years: tuple[int, ...] = ()


@dataclass
class _Figures:
    scope: str
    label: str
    page: int | None
    cells: list[str]
    boxes: list[Box]
    figures: dict[int | None, tuple[int | None, Decimal | None]] = field(default_factory=dict)


def _compact(text: str) -> str:
    return _SPACES.sub("", to_arabic(text))


def _groups(row: Row) -> dict[int, int | None] | None:
    """A summary header row: first column of each year's pair -> year (None: all years)."""
    texts = [(c.col, _compact(c.text)) for c in row.cells if c.text.strip()]
    if not texts or not texts[0][1].startswith("ยุทธศาสตร์"):
        return None
    groups: dict[int, int | None] = {}
    for col, text in texts[1:]:
        year = _YEAR_HEAD.match(text)
        if year:
            groups[col] = int(year.group(1))
        elif _ALL_YEARS.match(text):
            groups[col] = None
    return groups if sum(1 for y in groups.values() if y) >= 2 else None


def is_summary_table(table: Table) -> bool:
    return any(_groups(row) for row in table.rows)


def read_summary(tables: list[Table]) -> Summary:
    rows: list[_Figures] = []
    headings: list[tuple[Heading, int | None]] = []
    findings: list[Finding] = []
    years: set[int] = set()
    for table in tables:
        groups: dict[int, int | None] | None = None
        strategy: str | None = None
        for row in table.rows:
            header = _groups(row)
            if header:
                groups = header
                years |= {y for y in header.values() if y}
                continue
            if groups is None or not row.cells:
                continue
            strategy = _row(row, groups, strategy, rows, headings, findings)
    return Summary(tuple(t for f in rows for t in _stated(f)), tuple(headings), tuple(findings), tuple(sorted(years)))


def _row(
    row: Row,
    groups: dict[int, int | None],
    strategy: str | None,
    rows: list[_Figures],
    headings: list[tuple[Heading, int | None]],
    findings: list[Finding],
) -> str | None:
    """One summary row read into `rows`; returns the strategy it leaves current."""
    first = min(groups)
    if any(c.col + c.col_span > first + 2 for c in row.cells if c.text.strip() and c.col < first):
        return strategy  # a title over the whole table, repeated on every page
    label = _SPACES.sub(" ", " ".join(c.text for c in row.cells if c.col < first and c.text.strip())).strip()
    if not any(_DIGIT.search(to_arabic(c.text)) for c in row.cells if c.col + c.col_span > first):
        # no figure: a heading, a label wrapped onto the next row, or a repeated title or header
        heading = heading_of(label, strategy)
        if heading is not None:
            headings.append((heading, row.page))
            return heading.code.split(".", 1)[0]
        label_only = all(c.col + c.col_span <= first for c in row.cells if c.text.strip())
        if label and label_only and rows and rows[-1].page == row.page:
            rows[-1].label = f"{rows[-1].label} {label}"
            rows[-1].cells.append(label)
        return strategy
    figures = _figures(row, groups, findings)
    compact = _compact(label)
    if compact.startswith(("รวมทั้งสิ้น", "รวมทั้งหมด")):
        scope = "all"
    elif compact.startswith("รวม"):
        scope = strategy or "?"
    else:
        heading = heading_of(label, strategy)
        if heading is None:
            findings.append(Finding("warning", "summary_row_unnamed",
                                    f"a summary row with figures names no strategy or guideline: {quoted(label)}",
                                    page=row.page))  # fmt: skip
            return strategy
        headings.append((heading, row.page))
        scope = heading.code
        strategy = heading.code.split(".", 1)[0]
    boxes: list[Box] = [(c.page or row.page, *c.bbox) for c in row.cells if c.bbox and (c.page or row.page)]  # type: ignore[misc]
    rows.append(_Figures(scope, label, row.page, [c.text for c in row.cells if c.text.strip()], boxes, figures))
    return strategy


def _figures(row: Row, groups: dict[int, int | None], findings: list[Finding]) -> dict[int | None, tuple[int | None, Decimal | None]]:
    out: dict[int | None, tuple[int | None, Decimal | None]] = {}
    for col, year in groups.items():
        count_text, amount_text = _compact(row.text_at(col)), row.text_at(col + 1).strip()
        count = int(count_text.replace(",", "")) if _COUNT.match(count_text.replace(",", "")) else None
        if count_text and count is None:
            findings.append(Finding("warning", "count_unparsed", f"summary count not understood: {quoted(count_text)}",
                                    page=row.page))  # fmt: skip
        try:
            amount = parse_amount(amount_text) if amount_text else None
        except AmountError:
            amount = None
            findings.append(Finding("warning", "amount_unparsed", f"summary amount not understood: {quoted(amount_text)}",
                                    page=row.page))  # fmt: skip
        out[year] = (count, amount)
    return out


def _stated(row: _Figures) -> list[StatedTotal]:
    return [
        StatedTotal(
            scope=row.scope,
            label=row.label,
            counts={"projects": count} if count is not None else {},
            counts_printed=count is not None,
            amounts=(Budget(year, amount),),
            page=row.page,
            text=row.label,
            table=TABLE,
            boxes=tuple(row.boxes),
            cells=tuple(row.cells),
        )
        for year, (count, amount) in row.figures.items()
        if count is not None or amount is not None
    ]
