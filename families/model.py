"""What every family's reconciliation gives: one Check per printed figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Check:
    scope: str
    quantity: str  # projects, activities, measures, guidelines, amount
    fiscal_year: int | None
    stated: Decimal
    computed: Decimal
    page: int | None
    table: str = "detail"  # where the printed figure stands: detail (a total row) or summary
    total: int | None = None  # which of the plan's totals printed it (its index)
    items: tuple[int, ...] = ()  # the item_no of every row that was added up

    @property
    def difference(self) -> Decimal:
        return self.stated - self.computed

    @property
    def status(self) -> str:
        return "ok" if self.difference == 0 else "mismatch"
