"""A development plan's summary checked against its details, and against itself.

Every printed summary figure is a Check: for a year, a numbered project counts
once where its budget (all parts together) that year is not zero, and the
amounts add; the all-years column counts and adds over the years. Within the
summary, each รวม row must add its guidelines, รวมทั้งสิ้น its strategies, and
the all-years column its years: where they do not, a finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from thaiplan.families.model import Check
from thaiplan.normalize.model import Finding, Item, Plan, StatedTotal

TABLE = "summary"


def _in_scope(items: Iterable[Item], scope: str) -> list[Item]:
    if scope == "all":
        return list(items)
    if "." in scope:
        return [i for i in items if i.code == scope]
    return [i for i in items if i.dimension is not None and str(i.dimension) == scope]


def _year_amount(item: Item, year: int) -> Decimal:
    return sum((b.amount for b in item.budgets if b.fiscal_year == year and b.amount is not None), Decimal(0))


def _computed(items: list[Item], year: int | None, years: tuple[int, ...]) -> tuple[int, Decimal, tuple[int, ...]]:
    """(projects, amount, the item_no added) for one year, or summed over `years` when None."""
    counted, amount, used = 0, Decimal(0), []
    for each in (years if year is None else (year,)):
        for item in items:
            baht = _year_amount(item, each)
            if baht:
                counted += 1
                amount += baht
                used.append(item.item_no)
    return counted, amount, tuple(dict.fromkeys(used))


def reconcile(plan: Plan) -> list[Check]:
    """One Check per printed summary figure; none when the document has no details to add up."""
    if not plan.items:
        return []
    years = tuple(plan.fiscal_years)
    checks: list[Check] = []
    for index, total in enumerate(plan.totals):
        if total.table != TABLE:
            continue
        year = total.amounts[0].fiscal_year if total.amounts else None
        projects, amount, used = _computed(_in_scope(plan.items, total.scope), year, years)
        where = {"table": TABLE, "total": index, "items": used}
        if total.counts_printed:
            stated = Decimal(total.counts.get("projects") or 0)
            checks.append(Check(total.scope, "projects", year, stated, Decimal(projects), total.page, **where))
        if total.amounts and total.amounts[0].amount is not None:
            checks.append(Check(total.scope, "amount", year, total.amounts[0].amount, amount, total.page, **where))
    return checks


def _figure(total: StatedTotal, quantity: str) -> Decimal | None:
    if quantity == "projects":
        value = total.counts.get("projects") if total.counts_printed else None
        return None if value is None else Decimal(value)
    return total.amounts[0].amount if total.amounts else None


def summary_findings(plan: Plan) -> list[Finding]:
    """The summary against itself, and a word where its details are not in this file."""
    summary = [t for t in plan.totals if t.table == TABLE]
    if not summary:
        return [Finding("info", "details_without_summary",
                        "this file holds detail tables but no summary table (บัญชีสรุปโครงการ): "
                        "the plan's summary, if any, is in another file")] if plan.items else []  # fmt: skip
    findings = []
    if not plan.items:
        findings.append(Finding("info", "summary_without_details",
                                "this file holds the summary table (บัญชีสรุปโครงการ) but not its detail tables: "
                                "its figures are checked where the details are converted with it", page=summary[0].page))  # fmt: skip
    by_scope: dict[tuple[str, int | None], StatedTotal] = {}
    for total in summary:
        by_scope.setdefault((total.scope, total.amounts[0].fiscal_year if total.amounts else None), total)
    for (scope, year), total in by_scope.items():
        for what, members in _parts(scope, year, by_scope, plan.fiscal_years):
            findings.extend(_sum_checked(total, year, members, what))
    return findings


def _sum_checked(total: StatedTotal, year: int | None, members: list[StatedTotal], what: str) -> list[Finding]:
    findings = []
    for quantity in ("projects", "amount"):
        stated = _figure(total, quantity)
        values = [_figure(m, quantity) for m in members]
        if stated is None or any(v is None for v in values):
            continue
        summed = sum((v for v in values if v is not None), Decimal(0))
        if summed != stated:
            findings.append(_disagrees(total, quantity, year, stated, summed, what))
    return findings


def _parts(scope: str, year: int | None, by_scope: dict[tuple[str, int | None], StatedTotal],
           years: tuple[int, ...]) -> list[tuple[str, list[StatedTotal]]]:  # fmt: skip
    """What a printed figure should add up: an all-years figure its years; a
    strategy's รวม its guidelines and รวมทั้งสิ้น the strategies, in the same column
    (the all-years column included: both checks hold there)."""
    out = []
    if year is None:
        members = [by_scope[(scope, y)] for y in years if (scope, y) in by_scope]
        if members and len(members) == len(years):
            out.append(("its years", members))
    if scope == "all":
        members = [t for (s, y), t in by_scope.items() if y == year and s != "all" and "." not in s]
        what = "the strategies' รวม rows"
    elif "." not in scope:
        members = [t for (s, y), t in by_scope.items() if y == year and s.startswith(scope + ".")]
        what = "its guideline rows"
    else:
        members = []
    if members:
        out.append((what, members))
    return out


def _disagrees(total: StatedTotal, quantity: str, year: int | None, stated: Decimal, summed: Decimal, what: str) -> Finding:
    in_year = f" for fiscal year {year}" if year else " for all years"
    unit = "baht" if quantity == "amount" else "projects"
    return Finding(
        "warning",
        "summary_total_mismatch",
        f"summary {total.label[:40]!r}{in_year}: prints {_plain(stated)} {unit}, {what} add up to {_plain(summed)}",
        code=total.scope,
        page=total.page,
    )


def _plain(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
