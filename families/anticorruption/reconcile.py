"""Reconciliation: every printed total checked against the rows it sums, and
printed subtotals checked against the printed grand total."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from thaiplan.families.model import Check
from thaiplan.normalize.model import COUNT_QUANTITIES, Finding, Item, Plan, StatedTotal


def _quantities(plan: Plan) -> list[str]:
    """Count quantities to check: the three of every template, guidelines where used."""
    quantities = ["projects", "activities", "measures"]
    if any(i.type == "guideline" for i in plan.items) or any(t.counts.get("guidelines") for t in plan.totals):
        quantities.append("guidelines")
    return quantities


def _in_scope(items: Iterable[Item], scope: str) -> list[Item]:
    if scope == "all":
        return list(items)
    return [i for i in items if i.dimension is not None and str(i.dimension) == scope]


def reconcile(plan: Plan) -> list[Check]:
    checks: list[Check] = []
    quantities = _quantities(plan)
    for index, total in enumerate(plan.totals):
        items = _in_scope(plan.items, total.scope)
        where = {"table": total.table, "total": index}
        if total.counts_printed:
            for quantity in quantities:
                counted = tuple(i.item_no for i in items if COUNT_QUANTITIES.get(i.type) == quantity)
                stated = total.counts.get(quantity) or 0  # a count not printed is stated 0
                checks.append(Check(total.scope, quantity, None, Decimal(stated), Decimal(len(counted)), total.page,
                                    items=counted, **where))  # fmt: skip
        for amount in total.amounts:
            if amount.amount is None:
                continue
            added = [(i.item_no, b.amount) for i in items for b in i.budgets
                     if b.fiscal_year == amount.fiscal_year and b.amount is not None]  # fmt: skip
            computed_amount = sum((baht for _, baht in added), Decimal(0))
            checks.append(
                Check(total.scope, "amount", amount.fiscal_year, amount.amount, computed_amount, total.page,
                      items=tuple(dict.fromkeys(no for no, _ in added)), **where)  # fmt: skip
            )
    return checks


def subtotal_findings(plan: Plan) -> list[Finding]:
    """The grand total against the sum of the printed subtotals, per quantity."""
    grand = [t for t in plan.totals if t.scope == "all"]
    subtotals = [t for t in plan.totals if t.scope != "all"]
    if not grand or not subtotals:
        return []
    findings: list[Finding] = []
    total = grand[-1]
    if total.counts_printed and all(t.counts_printed for t in subtotals):
        for quantity in _quantities(plan):
            summed = sum(t.counts.get(quantity) or 0 for t in subtotals)
            stated = total.counts.get(quantity) or 0
            if summed != stated:
                findings.append(_finding(quantity, None, Decimal(summed), Decimal(stated), total))
    for amount in total.amounts:
        if amount.amount is None:
            continue
        parts = [b.amount for t in subtotals for b in t.amounts if b.fiscal_year == amount.fiscal_year]
        if not parts or any(p is None for p in parts):
            continue
        summed_amount = sum((p for p in parts if p is not None), Decimal(0))
        if summed_amount != amount.amount:
            findings.append(_finding("amount", amount.fiscal_year, summed_amount, amount.amount, total))
    return findings


def _finding(quantity: str, year: int | None, summed: Decimal, stated: Decimal, total: StatedTotal) -> Finding:
    in_year = f" for fiscal year {year}" if year else ""
    unit = "baht" if quantity == "amount" else quantity
    return Finding(
        "warning",
        "subtotals_vs_grand_total",
        f"{quantity}{in_year}: the printed subtotals add up to {_plain(summed)} {unit} "
        f"but the grand total ({total.label}) prints {_plain(stated)}",
        page=total.page,
    )


def _plain(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"
