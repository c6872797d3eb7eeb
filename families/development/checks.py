"""A development plan's own checks: the ที่ numbering, which restarts with each
strategy and runs on across its guidelines (1, 2, 3 … with no gap or repeat)."""

from __future__ import annotations

from thaiplan.normalize.model import Finding, Item, Plan


def check_plan(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    previous: Item | None = None
    for item in plan.items:
        number = int(item.label) if item.label.isdigit() else None
        if number is None:
            previous = item
            continue
        new_strategy = previous is None or previous.dimension != item.dimension
        last = int(previous.label) if previous is not None and previous.label.isdigit() else None
        if new_strategy and number != 1:
            findings.append(_about(item, "number_not_restarted",
                                   f"project {number} opens strategy {item.dimension}: its numbering should start at 1"))  # fmt: skip
        elif not new_strategy and last is not None:
            if number == 1 and last != 0:
                findings.append(_about(item, "number_restarted",
                                       f"the numbering restarts at 1 inside strategy {item.dimension} (after {last})"))  # fmt: skip
            elif number == last:
                findings.append(_about(item, "number_repeated", f"project number {number} appears twice"))
            elif number != last + 1:
                kind = "number_gap" if number > last else "number_out_of_order"
                findings.append(_about(item, kind, f"project {number} follows project {last} in strategy {item.dimension}"))
        previous = item
    return findings


def _about(item: Item, kind: str, message: str) -> Finding:
    return Finding("warning", kind, message, item.code, item.item_no, item.page)
