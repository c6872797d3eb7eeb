"""The Thai constants, in one place: digits, marks, letter ranges, the
Buddhist Era, fiscal years and the dictionary.

Readers and normalisers import these instead of writing them again (a leaf
module: it imports nothing of thaiplan).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
THAI_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
ARABIC_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)

# Combining marks: drawn above or below the letter before them, no advance of their own.
ABOVE_BELOW_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"  # ั ิ ี ึ ื ุ ู ฺ ็
TONES = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋
THANTHAKHAT = "\u0e4c"  # ์
NIKHAHIT = "\u0e4d"  # ํ (half of ำ)
YAMAKKAN = "\u0e4e"  # ๎
MARKS = ABOVE_BELOW_VOWELS + TONES + THANTHAKHAT + NIKHAHIT + YAMAKKAN
SARA_AA = "\u0e32"  # า
SARA_AM = "\u0e33"  # ำ

# Character classes for regular expressions (ranges, to go inside [...]).
CONSONANTS = "\u0e01-\u0e2e"  # ก-ฮ
LETTERS_AND_MARKS = "\u0e01-\u0e4e"  # consonants, vowels, marks: the characters of Thai words
LETTERS_MARKS_FONGMAN = "\u0e01-\u0e4f"  # ... and ๏, which opens a paragraph
THAI_BLOCK = "\u0e01-\u0e5b"  # the whole Unicode block, digits and ๚ ๛ included
THAI_DIGIT_RANGE = "\u0e50-\u0e59"

# A printed mission code, in either script: ๒.๓.๑, 2.3.1 (groups of one or two
# digits, two to four levels). normalize.codes reads codes printed with stray spaces too.
DIGIT = f"[0-9{THAI_DIGIT_RANGE}]"
MISSION_CODE = f"{DIGIT}{{1,2}}(?:\\.{DIGIT}{{1,2}}){{1,3}}"

BE_OFFSET = 543  # Buddhist Era year = Common Era year + 543
# Years a plan of these families can carry (B.E.): the OCR's and the period checks' one bound.
PLAN_YEARS_BE = (2540, 2600)


def to_arabic(text: str) -> str:
    """Thai digits to Arabic, everything else kept.

    >>> to_arabic("๒.๓.๑ ปี ๒๕๖๓")
    '2.3.1 ปี 2563'
    """
    return text.translate(THAI_TO_ARABIC)


def to_thai(text: str) -> str:
    """Arabic digits to Thai.

    >>> to_thai("2563")
    '๒๕๖๓'
    """
    return text.translate(ARABIC_TO_THAI)


def be_to_ce(year_be: int) -> int:
    """>>> be_to_ce(2563)
    2020
    """
    return year_be - BE_OFFSET


def ce_to_be(year_ce: int) -> int:
    """>>> ce_to_be(2020)
    2563
    """
    return year_ce + BE_OFFSET


def fiscal_year_start(year_be: int) -> date:
    """Fiscal year N (B.E.) starts on 1 October of N-1.

    >>> fiscal_year_start(2563)
    datetime.date(2019, 10, 1)
    """
    return date(be_to_ce(year_be) - 1, 10, 1)


def fiscal_year_end(year_be: int) -> date:
    """Fiscal year N (B.E.) ends on 30 September of N.

    >>> fiscal_year_end(2563)
    datetime.date(2020, 9, 30)
    """
    return date(be_to_ce(year_be), 9, 30)


@lru_cache(maxsize=1)
def thai_words() -> frozenset[str]:
    """pythainlp's word list (about 62,000 words), loaded once per process."""
    from pythainlp.corpus import thai_words as corpus_words  # lazy: loading costs time

    return frozenset(corpus_words())


def word_trie() -> object:
    """pythainlp's trie of the same list, the one its newmm tokenizer uses by default."""
    from pythainlp.tokenize import word_dict_trie  # built once by pythainlp

    return word_dict_trie()
