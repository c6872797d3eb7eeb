"""Plan checks that are not totals: budgets against remarks, periods against
the fiscal years, code numbering, items with no mission."""

from __future__ import annotations

from collections import defaultdict

from thaiplan.normalize.amounts import says_no_budget
from thaiplan.normalize.model import Finding, Item, Plan, Severity
from thaiplan.normalize.periods import fiscal_span


def check_plan(plan: Plan) -> list[Finding]:
    return [*_budget_remarks(plan), *_periods(plan), *_numbering(plan), *_orphans(plan)]


def _about(item: Item, severity: Severity, kind: str, message: str) -> Finding:
    """A finding that points at one item."""
    return Finding(severity, kind, message, item.code, item.item_no, item.page)


def _budget_remarks(plan: Plan) -> list[Finding]:
    findings = []
    for item in plan.items:
        amount = item.budget_baht
        no_budget = says_no_budget(item.remark)
        if amount == 0 and not no_budget:
            message = "budget is 0 but the remark does not say ไม่ใช้งบประมาณ"
            findings.append(_about(item, "info", "zero_budget_unexplained", message))
        elif amount and amount > 0 and no_budget:
            message = f"budget is {amount} but the remark says ไม่ใช้งบประมาณ"
            findings.append(_about(item, "warning", "budget_despite_no_budget_remark", message))
    return findings


def _periods(plan: Plan) -> list[Finding]:
    if not plan.fiscal_years:
        return []
    first, last = min(plan.fiscal_years), max(plan.fiscal_years)
    span = fiscal_span(first, last)  # exact: a period printed outside the plan's years is worth a warning
    start, end = span.start, span.end
    years = "-".join(str(y) for y in sorted({first, last}))
    return [
        _about(
            item,
            "warning",
            "period_outside_fiscal_years",
            f"period {item.period_text!r} ({item.period_start} to {item.period_end}) falls outside fiscal year {years}",
        )
        for item in plan.items
        if item.period_start and item.period_end and (item.period_start < start or item.period_end > end)
    ]


def _numbering(plan: Plan) -> list[Finding]:
    """Sibling codes should run 1, 2, 3 … under each parent."""
    children: dict[str | None, list[int]] = defaultdict(list)
    pages: dict[str | None, int | None] = {}
    for mission in plan.missions:
        children[mission.parent].append(int(mission.code.rsplit(".", 1)[-1]))
        pages.setdefault(mission.parent, mission.page)
    findings = []
    for parent, numbers in children.items():
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        for number in missing:
            code = f"{parent}.{number}" if parent else str(number)
            findings.append(
                Finding(
                    "warning",
                    "code_skipped",
                    f"code {code} is missing from the numbering",
                    code,
                    None,
                    pages.get(parent),
                )
            )
    return findings


def _orphans(plan: Plan) -> list[Finding]:
    return [
        _about(item, "warning", "item_without_mission", "item has no mission code above it")
        for item in plan.items
        if item.code is None
    ]
