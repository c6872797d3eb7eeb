"""A project's parts numbered as the plan prints them: the N of a `จุดที่ N`
that opens the part's target, so `part` in budgets.csv is the number a reader
finds on the page (1.1 no. 37 of the real plan prints จุดที่ 5 and 6).

>>> part_numbers(["จุดที่ ๑ กว้าง ๔ ม.", "จุดที่ 2กว้าง 3 ม."])
[1, 2]
>>> part_numbers(["กว้าง 6 ม. ยาว 1,500 ม.", "จุดที่ 2 กว้าง", "จุด 3 กว้าง"])
[None, 2, 3]
>>> part_numbers(["กว้าง 3 ม.", "ยาว 200 ม."]), part_numbers(["จุดที่ 1", "จุดที่ 1"])
([1, 2], [1, 2])
>>> part_numbers(["ขุดลอกลำเหมือง"]), part_numbers(["จุดที่ 1 กว้าง 4 ม."])
([None], [1])
"""

from __future__ import annotations

import re

from thaiplan.thai import to_arabic

# `จุด 3` (no ที่) and `จุกที่ 1` (a typo the real plan prints once, 2.1 no. 14) occur as well.
_LABEL = re.compile(r"^\s*จุ[ดก]\s*(?:ที่)?\s*([0-9]{1,3})(?![0-9.,])")


def part_label(target: str) -> int | None:
    """The number of a leading `จุดที่ N`, or None."""
    match = _LABEL.match(to_arabic(target))
    return int(match.group(1)) if match else None


def part_numbers(targets: list[str]) -> list[int | None]:
    """Each part's printed number; where the printed labels do not tell the parts
    apart (two without one, or one number twice), their positions 1, 2 … instead,
    so every budget row stays one cell of one part."""
    labels = [part_label(target) for target in targets]
    if len(set(labels)) == len(labels):
        return labels
    return list(range(1, len(labels) + 1))
