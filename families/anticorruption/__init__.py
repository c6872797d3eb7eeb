"""The anti-corruption action plan (แผนปฏิบัติการป้องกันการทุจริต), yearly and 4-year."""

from __future__ import annotations

from functools import partial

from thaiplan.families.anticorruption.builder import build_plan
from thaiplan.families.anticorruption.checks import check_plan
from thaiplan.families.anticorruption.reconcile import reconcile, subtotal_findings
from thaiplan.families.anticorruption.vocabulary import VOCABULARY
from thaiplan.families.base import Family, headers_accepted
from thaiplan.normalize.model import Finding, Plan


def _checks(plan: Plan) -> list[Finding]:
    return [*subtotal_findings(plan), *check_plan(plan)]


FAMILY = Family(
    name="anticorruption",
    vocabulary=VOCABULARY,
    score=partial(headers_accepted, vocabulary=VOCABULARY),
    build=build_plan,
    reconcile=reconcile,
    check=_checks,
)
