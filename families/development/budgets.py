"""A development plan's budget cell: an amount and the funding source printed
beside it (`200,000.- (งบ อบต. )`), or `-` for none that year.

>>> budget_cell("200,000.-\\n(งบ อบต. )")
BudgetCell(amount=Decimal('200000'), source='งบ อบต.', joined=None)
>>> budget_cell("-")[:2], budget_cell("(งบอุดหนุน )")[:2]
((Decimal('0'), ''), (None, 'งบอุดหนุน'))
>>> budget_cell("")[:2], budget_cell("300,000-. (งบ อบต.)")[:2]
((None, ''), (Decimal('300000'), 'งบ อบต.'))
>>> budget_cell("300,0 00.- (งบ อบต.)")
BudgetCell(amount=Decimal('300000'), source='งบ อบต.', joined='300,000.-')
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from thaiplan.normalize.amounts import AmountError, join_split_amount, parse_amount

_SOURCE = re.compile(r"\(([^()]{1,80})\)")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"(?<=[\d๐-๙])\s*[-.]{1,3}$")
_AMOUNT_START = re.compile(r"^\s*(?:[-–]|[\d๐-๙][\d๐-๙,]*(?:\.[\d๐-๙]+)?)")


class BudgetCell(NamedTuple):
    amount: Decimal | None  # None where no amount is printed
    source: str
    joined: str | None = None  # the amount as read when a gap inside it was closed (a finding for the caller)


def budget_cell(text: str) -> BudgetCell:
    """The amount and source of a cell; raises AmountError where something is
    printed that is no amount. An amount a text layer split by a gap
    (`300,0 00.-`) is read as one (join_split_amount) and `joined` says so."""
    sources = [_SPACES.sub(" ", s).strip() for s in _SOURCE.findall(text)]
    rest = _SPACES.sub(" ", _SOURCE.sub(" ", text)).strip()
    joined = join_split_amount(rest)
    rest = _TRAILING.sub("", joined or rest)  # `300,000-.`: the `.-` after an amount typed the other way round
    amount = parse_amount(rest) if rest else None
    return BudgetCell(amount, " ".join(s for s in sources if s), joined)


def starts_part(text: str) -> bool:
    """A budget cell that opens a part: it begins with an amount or `-`.

    >>> starts_part("-"), starts_part("200,000.-"), starts_part("(งบ อบต. )")
    (True, True, False)
    """
    return bool(_AMOUNT_START.match(text))


__all__ = ["AmountError", "BudgetCell", "budget_cell", "starts_part"]
