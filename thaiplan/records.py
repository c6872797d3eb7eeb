"""One converted (or failed) document, and its rows for each dataset file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from thaiplan import __version__
from thaiplan.columns import COLUMNS
from thaiplan.errors import ThaiplanError, describe
from thaiplan.families.model import Check
from thaiplan.normalize.amounts import format_amount
from thaiplan.normalize.model import Finding, Plan, StatedTotal

NOT_A_PLAN_KINDS = ("not_a_plan_table", "no_plan_table")  # the findings that say a document holds no plan table


@dataclass(frozen=True)
class DocumentResult:
    source: str
    sha256: str = ""
    format: str = ""
    plan: Plan | None = None
    checks: tuple[Check, ...] = ()
    findings: tuple[Finding, ...] = ()
    error: str = ""  # `what is wrong; what to do` (no file name: see error_line)
    seconds: float = 0.0
    duplicate_of: str = ""  # an earlier input with the same bytes
    error_kind: str = ""  # the ThaiplanError's kind (input, unreadable, ocr_unavailable, …)
    crops: dict[int, bytes] | None = None  # PNG per total index: the disagreeing rows pictured (thaiplan.crops)
    pages: int | None = None  # a failed file's pages, when it was read before it failed

    @property
    def status(self) -> str:
        """converted, not_a_plan (read whole, no table of a known family), failed or duplicate."""
        if self.plan is None:
            return "duplicate" if self.duplicate_of else "failed"
        return "not_a_plan" if self.not_a_plan_reason else "converted"

    @property
    def not_a_plan_reason(self) -> str:
        """Why a document read whole is not a plan (the header words seen), or ""."""
        plan = self.plan
        if plan is None or plan.items or plan.missions or plan.totals:
            return ""
        return next((f.message for f in plan.findings if f.kind in NOT_A_PLAN_KINDS), "")

    @classmethod
    def failure(cls, source: str, sha256: str, exc: ThaiplanError, seconds: float) -> DocumentResult:
        return cls(source, sha256, error=describe(exc), error_kind=exc.kind, seconds=seconds)

    @property
    def error_line(self) -> str:
        """`FILE: what is wrong; what to do`, the line a user sees."""
        return f"{self.source}: {self.error}"

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]

    @property
    def ok(self) -> bool:
        return self.plan is not None

    @property
    def mismatches(self) -> list[Check]:
        return [c for c in self.checks if c.status == "mismatch"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity in ("warning", "error")]


def _value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# The development plan's item columns; empty for the anti-corruption plan.
_DEVELOPMENT_FIELDS = ("objective", "target", "kpi", "expected_result", "responsible_unit")


def _total_rows(doc_id: str, total: StatedTotal) -> list[dict[str, object]]:
    """A printed total's rows: its counts stated once, never once per year. A row
    of one year (or none) carries counts and amount together; a row printing
    amounts for several years gives a counts row (fiscal_year empty), then one
    amount row per year."""
    counts = {q: (total.counts.get(q, 0) if total.counts_printed else None) for q in _COUNT_COLUMNS}
    base = {"doc_id": doc_id, "table": total.table, "scope": total.scope, "label": total.label}
    no_counts = dict.fromkeys(_COUNT_COLUMNS)
    if len(total.amounts) <= 1:
        amount = total.amounts[0] if total.amounts else None
        year, baht = (amount.fiscal_year, amount.amount) if amount else (None, None)
        return [base | {"fiscal_year": year, **counts, "amount_baht": baht, "page": total.page}]
    rows = [base | {"fiscal_year": None, **counts, "amount_baht": None, "page": total.page}] if total.counts_printed else []
    rows += [base | {"fiscal_year": a.fiscal_year, **no_counts, "amount_baht": a.amount, "page": total.page}
             for a in total.amounts]  # fmt: skip
    return rows


_COUNT_COLUMNS = ("projects", "activities", "measures", "guidelines")


def rows_of(result: DocumentResult) -> dict[str, list[dict[str, object]]]:
    """The document's rows for every CSV file, in contract column order."""
    doc_id = result.doc_id
    plan = result.plan
    status = result.status
    out: dict[str, list[dict[str, object]]] = {name: [] for name in COLUMNS}
    out["documents"].append(
        {
            "doc_id": doc_id,
            "source": result.source,
            "sha256": result.sha256,
            "family": plan.family if plan and status == "converted" else "",
            "format": result.format,
            "read_by": plan.read_by if plan else "",
            "pages": plan.pages if plan else result.pages,
            "ocr_pages": len(plan.ocr_pages) if plan else "",
            "title": plan.title if plan else "",
            "organization": plan.organization if plan else "",
            "fiscal_year_first": min(plan.fiscal_years) if plan and plan.fiscal_years else "",
            "fiscal_year_last": max(plan.fiscal_years) if plan and plan.fiscal_years else "",
            "status": status,
            "items": len(plan.items) if plan else "",
            "mismatches": len(result.mismatches) if plan else "",
            "warnings": len(result.warnings) if plan else "",
            "error": result.error or result.not_a_plan_reason,
            "thaiplan_version": __version__,
        }
    )
    if plan is None:
        return out
    for m in plan.missions:
        out["missions"].append(
            {"doc_id": doc_id, "code": m.code, "parent": m.parent, "level": m.level, "kind": m.kind, "title": m.title,
             "page": m.page}
        )
    for item in plan.items:
        out["items"].append(
            {
                "doc_id": doc_id, "item_no": item.item_no, "code": item.code, "dimension": item.dimension,
                "type": item.type, "name": item.name, "budget_baht": item.budget_baht,
                "period_start": item.period_start, "period_end": item.period_end, "period_text": item.period_text,
                "remark": item.remark, "page": item.page, "warnings": "; ".join(item.warnings),
                **{name: getattr(item, name) for name in _DEVELOPMENT_FIELDS},
            }
        )  # fmt: skip
        for budget in item.budgets:
            out["budgets"].append(
                {
                    "doc_id": doc_id,
                    "item_no": item.item_no,
                    "part": budget.part,
                    "fiscal_year": budget.fiscal_year,
                    "amount_baht": budget.amount,
                    "source": budget.source,
                }
            )
    for total in plan.totals:
        out["totals"].extend(_total_rows(doc_id, total))
    for c in result.checks:
        out["reconciliation"].append(
            {
                "doc_id": doc_id, "table": c.table, "scope": c.scope, "quantity": c.quantity, "fiscal_year": c.fiscal_year,
                "stated": c.stated, "computed": c.computed, "difference": c.difference, "status": c.status, "page": c.page,
            }
        )  # fmt: skip
    for f in result.findings:
        out["findings"].append(
            {
                "doc_id": doc_id,
                "severity": f.severity,
                "kind": f.kind,
                "code": f.code,
                "item_no": f.item_no,
                "page": f.page,
                "message": f.message,
            }
        )
    for rows in out.values():
        for row in rows:
            for key, value in row.items():
                row[key] = _value(value)
    return out
