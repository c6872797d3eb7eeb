"""Counts printed in total rows: `๘ โครงการ , ๑ กิจกรรม`, `จำนวน ๕ โครงการ`."""

from __future__ import annotations

import re

from thaiplan.thai import to_arabic

_WORDS = {
    "โครงการ": "projects",
    "กิจกรรม": "activities",
    "มาตรการ": "measures",
    "แนวปฏิบัติ": "guidelines",
    "แนวทางปฏิบัติ": "guidelines",
}
_WORD = "|".join(sorted(_WORDS, key=len, reverse=True))
_NUMBER_FIRST = re.compile(rf"(?<!\d)(\d+)\s*({_WORD})")  # from a run's first digit only: linear
MAX_SUFFIX = 40  # characters between a plan word and its number (โครงการทั้งหมด ๕): bounded, so
# a cell of plan words with no number is read in linear time, not quadratic
_WORD_FIRST = re.compile(rf"({_WORD})\S{{0,{MAX_SUFFIX}}}\s*(?:จำนวน\s*)?(\d+)")


def parse_counts(text: str) -> dict[str, int]:
    """Counts by quantity from a total row's text; empty if none printed.

    >>> parse_counts("๘ โครงการ , ๑ กิจกรรม")
    {'projects': 8, 'activities': 1}
    >>> parse_counts("๕ โครงการ ๑ กิจกรรม ๑ มาตรการ")
    {'projects': 5, 'activities': 1, 'measures': 1}
    >>> parse_counts("จำนวน ๕ โครงการ")
    {'projects': 5}
    """
    arabic = to_arabic(text)
    counts: dict[str, int] = {}
    for number, word in _NUMBER_FIRST.findall(arabic):
        counts[_WORDS[word]] = counts.get(_WORDS[word], 0) + int(number)
    if not counts:
        for word, number in _WORD_FIRST.findall(arabic):
            counts[_WORDS[word]] = counts.get(_WORDS[word], 0) + int(number)
    return counts


def has_counts(text: str) -> bool:
    return bool(parse_counts(text))
