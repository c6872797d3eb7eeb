"""The local development plan (แผนพัฒนาท้องถิ่น: แผนพัฒนาสามปี, 4- and 5-year
plans): detail tables (รายละเอียดโครงการพัฒนา, ผ.02) and the summary
(บัญชีสรุปโครงการพัฒนา, ผ.01)."""

from __future__ import annotations

from thaiplan.extract.model import RawDocument
from thaiplan.families.base import Family, headers_accepted
from thaiplan.families.development.builder import build_plan
from thaiplan.families.development.checks import check_plan
from thaiplan.families.development.reconcile import reconcile, summary_findings
from thaiplan.families.development.summary import is_summary_table
from thaiplan.families.development.vocabulary import VOCABULARY
from thaiplan.normalize.model import Finding, Plan


def score(raw: RawDocument) -> int:
    """Detail table headers and summary tables in the document."""
    return headers_accepted(raw, VOCABULARY) + sum(map(is_summary_table, raw.tables))


def _checks(plan: Plan) -> list[Finding]:
    return [*summary_findings(plan), *check_plan(plan)]


FAMILY = Family(
    name="development",
    vocabulary=VOCABULARY,
    score=score,
    build=build_plan,
    reconcile=reconcile,
    check=_checks,
)
