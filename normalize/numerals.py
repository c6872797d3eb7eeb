"""Thai digits (๐–๙) and Arabic digits."""

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)


def to_arabic(text: str) -> str:
    """Replace Thai digits with Arabic ones; everything else is kept.

    >>> to_arabic("๒.๓.๑ ปี ๒๕๖๓")
    '2.3.1 ปี 2563'
    """
    return text.translate(_TO_ARABIC)


def to_thai(text: str) -> str:
    """Replace Arabic digits with Thai ones.

    >>> to_thai("2563")
    '๒๕๖๓'
    """
    return text.translate(_TO_THAI)
