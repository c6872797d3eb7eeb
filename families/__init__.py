"""Plan families behind one interface: each gives its header vocabulary and
table kinds, a score that detects it, the builder of its Plan, its
reconciliation and its checks. Adding a family is adding a folder here and a
line to FAMILIES.

>>> [family.name for family in FAMILIES]
['anticorruption', 'development']
"""

from __future__ import annotations

from thaiplan.extract.model import RawDocument
from thaiplan.families.anticorruption import FAMILY as ANTICORRUPTION
from thaiplan.families.base import Family
from thaiplan.families.development import FAMILY as DEVELOPMENT

FAMILIES: tuple[Family, ...] = (ANTICORRUPTION, DEVELOPMENT)
BY_NAME = {family.name: family for family in FAMILIES}


def detect(raw: RawDocument) -> Family:
    """The family whose tables the document holds most of; the first family when
    none (its builder then says what was found instead)."""
    scores = [(family.score(raw), -index) for index, family in enumerate(FAMILIES)]
    return FAMILIES[-max(scores)[1]]


def family_named(name: str) -> Family:
    return BY_NAME[name]


__all__ = ["ANTICORRUPTION", "DEVELOPMENT", "FAMILIES", "Family", "detect", "family_named"]
