"""A development plan's budget cell: an amount and the funding source printed
beside it (`200,000.- (งบ อบต. )`), or `-` for none that year.

>>> budget_cell("200,000.-\\n(งบ อบต. )")
(Decimal('200000'), 'งบ อบต.')
>>> budget_cell("-"), budget_cell("(งบอุดหนุน )")
((Decimal('0'), ''), (None, 'งบอุดหนุน'))
>>> budget_cell(""), budget_cell("300,000-. (งบ อบต.)")
((None, ''), (Decimal('300000'), 'งบ อบต.'))
"""

from __future__ import annotations

import re
from decimal import Decimal

from thaiplan.normalize.amounts import AmountError, parse_amount

_SOURCE = re.compile(r"\(([^()]{1,80})\)")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"(?<=[\d๐-๙])\s*[-.]{1,3}$")
_AMOUNT_START = re.compile(r"^\s*(?:[-–]|[\d๐-๙][\d๐-๙,]*(?:\.[\d๐-๙]+)?)")


def budget_cell(text: str) -> tuple[Decimal | None, str]:
    """(amount, source); amount None where no amount is printed; raises AmountError
    where something is printed that is no amount."""
    sources = [_SPACES.sub(" ", s).strip() for s in _SOURCE.findall(text)]
    rest = _SPACES.sub(" ", _SOURCE.sub(" ", text)).strip()
    rest = _TRAILING.sub("", rest)  # `300,000-.`: the `.-` after an amount typed the other way round
    amount = parse_amount(rest) if rest else None
    return amount, " ".join(s for s in sources if s)


def starts_part(text: str) -> bool:
    """A budget cell that opens a part: it begins with an amount or `-`.

    >>> starts_part("-"), starts_part("200,000.-"), starts_part("(งบ อบต. )")
    (True, True, False)
    """
    return bool(_AMOUNT_START.match(text))


__all__ = ["AmountError", "budget_cell", "starts_part"]
