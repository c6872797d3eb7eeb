"""Dictionary and character evidence about one space in Thai text: genuine or a wrap?

Thai writes no space between words; a space separates phrases, clauses and list
items and surrounds digits, Latin words, brackets and quotes. A line wrap that a
copy turned into a space lands anywhere between words, also inside compounds.
`space_score` returns log-odds style evidence (> 0: a genuine space, < 0: a
wrap) from what touches the space and from the Thai dictionary (pythainlp
`thai_words()`, newmm tokenizer), loaded on first use.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from thaiplan.thai import THAI_DIGIT_RANGE, thai_words, word_trie

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

# A mission / dimension code such as ๒.๓.๑ or ๑. : its space is always genuine.
CODE = re.compile(f"^[0-9{THAI_DIGIT_RANGE}]+(?:\\.[0-9{THAI_DIGIT_RANGE}]+)*\\.?$")
# Thai letters, vowels and marks (not digits, not ฯ or ๆ, which take spaces).
THAI_WORD_CHARS = frozenset(
    chr(c) for c in [*range(0x0E01, 0x0E2F), *range(0x0E30, 0x0E3B), *range(0x0E40, 0x0E46), *range(0x0E47, 0x0E4F)]
)
SLASH = "/"
STRONG = 8.0
# Weights of the dictionary evidence (tuned on half the synthetic set, bench/wraps_eval.py).
WEIGHTS = {"span": 2.5, "fragment": 1.5, "bound_ending": 1.0}
_ABBREVIATION = re.compile(f"[.0-9{THAI_DIGIT_RANGE}]")
# Words that end a phrase only rarely: a wrap right after them is the likelier story.
BOUND_ENDINGS = frozenset(
    [
        "การ",
        "ความ",
        "ของ",
        "ใน",
        "และ",
        "ที่",
        "แก่",
        "ให้",
        "กับ",
        "ตาม",
        "เพื่อ",
        "โดย",
        "จาก",
        "ด้วย",
        "หรือ",
        "ผู้",
        "ทาง",
        "ว่า",
    ]
)

# Prefixes that line breakers keep with the word they nominalise (การรับ, ความรู้, ผู้บริหาร).
BOUND_PREFIXES = frozenset(["การ", "ความ", "ผู้", "นัก"])


def _lexicon() -> tuple[object, frozenset[str]]:
    """The dictionary trie and word set (loaded lazily: ~0.5 s once)."""
    return word_trie(), thai_words()


MAX_SEGMENT = 2000  # characters newmm reads at once: its time grows faster than the length (n^1.3)


@lru_cache(maxsize=65536)
def tokens(segment: str) -> tuple[str, ...]:
    """newmm tokens of a space-free segment (cached: template phrases repeat across plans).
    A segment longer than any cell's (MAX_SEGMENT) is read in pieces, in linear time."""
    from pythainlp.tokenize import newmm

    trie, _ = _lexicon()
    if len(segment) > MAX_SEGMENT:
        return tuple(t for i in range(0, len(segment), MAX_SEGMENT) for t in tokens(segment[i : i + MAX_SEGMENT]))
    return tuple(t for t in newmm.segment(segment, custom_dict=trie) if t.strip())


def is_word(token: str) -> bool:
    """A dictionary word (or not Thai at all, e.g. digits: not a fragment)."""
    if not any(ch in THAI_WORD_CHARS for ch in token):
        return True
    return token in _lexicon()[1]


def _spans(left: str, right: str) -> bool:
    """Does a dictionary word run across the space, starting and ending on token boundaries?"""
    trie, _ = _lexicon()
    lt, rt = tokens(left), tokens(right)
    if not lt or not rt:
        return False
    ends, pos = set(), 0
    for tok in rt[:3]:
        pos += len(tok)
        ends.add(pos)
    head = right[:pos]
    start = len(left)
    for tok in reversed(lt[-2:]):
        start -= len(tok)
        tail = left[start:]
        for word in trie.prefixes(tail + head):  # type: ignore[attr-defined]
            over = len(word) - len(tail)
            if over in ends and len(word) >= 3:
                return True
    return False


def _kind(ch: str) -> str:
    """'thai' for Thai word characters, 'slash', else 'other' (digit, Latin, bracket, quote, ๆ)."""
    if ch in THAI_WORD_CHARS:
        return "thai"
    return "slash" if ch == SLASH else "other"


@lru_cache(maxsize=131072)
def space_score(left: str, right: str) -> float:
    """Evidence that the space between segments `left` and `right` is genuine (> 0) or a wrap (< 0).

    >>> space_score("๒.๓.๑", "มี") > 0
    True
    >>> space_score("ลาย", "ลักษณ์อักษร") < 0
    True
    """
    if not left or not right:
        return 0.0
    if CODE.match(left) and len(left) <= 12:
        return STRONG
    lk, rk = _kind(left[-1]), _kind(right[0])
    if "slash" in (lk, rk):
        return -STRONG
    if lk == "other" or rk == "other" or _ABBREVIATION.search(right.split("/")[0][:8]):
        return STRONG
    score = 0.0
    if _spans(left, right):
        score -= WEIGHTS["span"]
    lt, rt = tokens(left), tokens(right)
    last, first = lt[-1], rt[0]
    if not is_word(last):
        score -= WEIGHTS["fragment"]
    if not is_word(first):
        score -= WEIGHTS["fragment"]
    if last in BOUND_ENDINGS:
        score -= WEIGHTS["bound_ending"]
    return score


def first_token(segment: str) -> str:
    """The first unit a line breaker could move to the next line (การ/ความ/ผู้ + word count as one)."""
    toks = tokens(segment)
    if not toks:
        return segment
    if toks[0] in BOUND_PREFIXES and len(toks) > 1:
        return toks[0] + toks[1]
    return toks[0]


def clear_caches() -> None:
    """Forget cached tokens and scores (benchmarks measure cold runs)."""
    tokens.cache_clear()
    space_score.cache_clear()
