"""The interface every plan family gives (thaiplan.families)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from thaiplan.extract.model import RawDocument
from thaiplan.families.model import Check
from thaiplan.normalize.headers import headers_in
from thaiplan.normalize.model import Finding, Plan
from thaiplan.normalize.vocabulary import Vocabulary
from thaiplan.settings import Settings


@dataclass(frozen=True)
class Family:
    """name: documents.family; vocabulary: its detail tables' header words;
    score: how many of the document's tables are this family's (0: none);
    build: the Plan (raises NoPlanTable when there is none); reconcile: a
    Check per printed figure; check: findings beyond the figures."""

    name: str
    vocabulary: Vocabulary
    score: Callable[[RawDocument], int]
    build: Callable[[RawDocument, Settings], Plan]
    reconcile: Callable[[Plan], list[Check]]
    check: Callable[[Plan], list[Finding]]


def headers_accepted(raw: RawDocument, vocabulary: Vocabulary) -> int:
    """How many table headers in the document are of one of the vocabulary's table kinds."""
    return sum(
        vocabulary.table_kind(column_map) is not None
        for table in raw.tables
        for column_map in headers_in(table.rows, vocabulary)
    )
