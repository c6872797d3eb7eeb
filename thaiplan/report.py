"""report.md: per document, what was read, what disagrees, what needs a person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from thaiplan.normalize.amounts import format_amount
from thaiplan.records import DocumentResult

_TYPE_NAMES = {
    "project": "projects",
    "activity": "activities",
    "measure": "measures",
    "guideline": "guidelines",
    "other": "other",
}


def _cell(value: object) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def report_parts(documents: Iterable[dict[str, Any]], sections: Iterable[str]) -> Iterator[str]:
    """report.md, piece by piece (a file of 10,000 documents is never one string), from the
    stored documents (documents.csv's rows) and the converted documents' sections
    (render_document), both in source order."""
    documents = list(documents)
    converted = [d for d in documents if d["status"] == "converted"]
    failed = [d for d in documents if d["status"] == "failed"]
    not_plans = [d for d in documents if d["status"] == "not_a_plan"]
    lines = [
        "# thaiplan report",
        "",
        f"{len(documents)} file(s): {len(converted)} converted, "
        f"{f'{len(not_plans)} not a plan table, ' if not_plans else ''}{len(failed)} failed; "
        f"{sum(d['mismatches'] or 0 for d in converted)} printed figure(s) disagree with the rows; "
        f"{sum(d['warnings'] or 0 for d in converted)} warning(s).",
        "",
    ]
    if failed:
        lines += ["## Files not converted", "", "| file | problem |", "|---|---|"]
        lines += [f"| {_cell(d['source'])} | {_cell(d['error'])} |" for d in failed]
        lines.append("")
    if not_plans:  # read, but no plan table in them: what was seen says why
        lines += ["## Files that hold no plan table", "", "| file | format | pages | what was found |", "|---|---|---|---|"]
        lines += [f"| {_cell(d['source'])} | {_cell(d['format'])} | {_cell(d['pages'])} | {_cell(d['error'])} |"
                  for d in not_plans]  # fmt: skip
        lines.append("")
    head = "\n".join(lines) + "\n"
    pending: str | None = None
    for section in sections:
        if pending is None:
            yield head
        else:
            yield pending
        pending = section
    yield (pending if pending is not None else head).rstrip() + "\n"  # one newline at the end


def render_document(result: DocumentResult) -> str:
    """One converted document's section of report.md."""
    return "\n".join(_document(result)) + "\n"


def _document(result: DocumentResult) -> list[str]:
    plan = result.plan
    assert plan is not None
    types = Counter(item.type for item in plan.items)
    levels = Counter(m.level for m in plan.missions)
    years = sorted({b.fiscal_year for i in plan.items for b in i.budgets if b.fiscal_year})
    budget_parts = []
    for year in years or [None]:
        amount = sum(
            (b.amount for i in plan.items for b in i.budgets if b.fiscal_year == year and b.amount is not None), start=0
        )
        budget_parts.append(f"{format_amount(amount) if amount else 0} baht" + (f" in {year}" if year else ""))
    fiscal = (
        "–".join(str(y) for y in sorted({min(plan.fiscal_years), max(plan.fiscal_years)}))
        if plan.fiscal_years
        else "unknown"
    )
    lines = [
        f"## {plan.title or result.source}",
        "",
        f"- file: `{result.source}` ({result.format}, {plan.pages or '?'} page(s)), doc_id `{result.doc_id}`",
        f"- organisation: {plan.organization or 'not found'}; fiscal year(s): {fiscal}",
        f"- read: {len(plan.items)} items ("
        + ", ".join(f"{types[t]} {_TYPE_NAMES[t]}" for t in _TYPE_NAMES if types[t])
        + f"), {len(plan.missions)} mission nodes ({levels[1]} dimensions, {levels[2]} missions, {levels[3]} sub-missions), "
        + "; ".join(budget_parts),
        f"- printed totals: {len(plan.totals)}; figures checked: {len(result.checks)}, disagreeing: {len(result.mismatches)}",
        "",
    ]
    if result.mismatches:
        lines += [
            "### Printed totals that disagree with the rows",
            "",
            "| scope | quantity | fiscal year | stated | computed | difference | page |",
            "|---|---|---|---:|---:|---:|---:|",
        ]
        for c in result.mismatches:
            scope = "grand total" if c.scope == "all" else f"dimension {c.scope}"
            lines.append(
                f"| {scope} | {c.quantity} | {_cell(c.fiscal_year)} | {format_amount(c.stated)} | {format_amount(c.computed)} | {format_amount(c.difference)} | {_cell(c.page)} |"
            )
        lines.append("")
    else:
        lines += ["Every printed total agrees with the rows.", ""]
    if result.findings:
        lines += ["### Findings", "", "| severity | kind | code | item | page | message |", "|---|---|---|---|---|---|"]
        order = {"error": 0, "warning": 1, "info": 2}
        for f in sorted(result.findings, key=lambda f: order.get(f.severity, 3)):
            lines.append(
                f"| {f.severity} | {f.kind} | {_cell(f.code)} | {_cell(f.item_no)} | {_cell(f.page)} | {_cell(f.message)} |"
            )
        lines.append("")
    return lines
