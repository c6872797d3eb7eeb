"""Thai text repair: a chain of small named `str -> str` steps.

Shared by every reader's cells. Never NFKC: it splits ำ into ํ + า.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from thaiplan.thai import (
    ABOVE_BELOW_VOWELS,
    CONSONANTS,
    LETTERS_AND_MARKS,
    MARKS,
    NIKHAHIT,
    SARA_AA,
    SARA_AM,
    THANTHAKHAT,
    TONES,
    thai_words,
)

# Legacy Thai font glyphs in the Private Use Area (HarfBuzz thai_pua_shape;
# libthai agrees). Windows range F700–F71A, Mac range F884–F89E.
PUA_MAP: dict[int, str] = {
    0xF700: "ฐ", 0xF701: "ิ", 0xF702: "ี", 0xF703: "ึ", 0xF704: "ื",
    0xF705: "่", 0xF706: "้", 0xF707: "๊", 0xF708: "๋", 0xF709: "์",
    0xF70A: "่", 0xF70B: "้", 0xF70C: "๊", 0xF70D: "๋", 0xF70E: "์",
    0xF70F: "ญ", 0xF710: "ั", 0xF711: "ํ", 0xF712: "็",
    0xF713: "่", 0xF714: "้", 0xF715: "๊", 0xF716: "๋", 0xF717: "์",
    0xF718: "ุ", 0xF719: "ู", 0xF71A: "ฺ",
    0xF884: "ั", 0xF885: "ิ", 0xF886: "ี", 0xF887: "ึ", 0xF888: "ื", 0xF889: "็",
    0xF88A: "่", 0xF88B: "่", 0xF88C: "่", 0xF88D: "้", 0xF88E: "้", 0xF88F: "้",
    0xF890: "๊", 0xF891: "๊", 0xF892: "๊", 0xF893: "๋", 0xF894: "๋", 0xF895: "๋",
    0xF896: "์", 0xF897: "์", 0xF898: "์",
    0xF899: "ํ", 0xF89A: "ญ", 0xF89B: "ุ", 0xF89C: "ู", 0xF89D: "ฺ", 0xF89E: "ฐ",
}  # fmt: skip
_PUA_TABLE = {code: char for code, char in PUA_MAP.items()}

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Anchored at the start of a run of spaces (the lookbehind): a long run not followed by
# a mark is tried once, not once per space (which was quadratic in the run's length).
_SPACE_BEFORE_MARK = re.compile(f"(?<![ \u00a0])[ \u00a0]+(?=[{MARKS}{SARA_AM}])")
_TONE_BEFORE_VOWEL = re.compile(f"([{TONES}{THANTHAKHAT}])([{ABOVE_BELOW_VOWELS}])")
_DOUBLE_MARK = re.compile(f"([{MARKS}])\\1+")


_ANY_MARK = re.compile(f"[{MARKS}]")


def without_marks(text: str) -> str:
    """The text with its vowel and tone marks taken off: how OCR that lost them
    compares with a known word (มิติที่ read as มตท).

    >>> without_marks("มิติที่")
    'มตท'
    """
    return _ANY_MARK.sub("", text)


def map_private_use(text: str) -> str:
    """Legacy-font private-use glyphs to the Thai characters they draw.

    >>> map_private_use("ท\\uf710\\uf70bง")
    'ทั้ง'
    """
    return text.translate(_PUA_TABLE)


def remove_zero_width(text: str) -> str:
    """Zero-width spaces, joiners, BOMs and soft hyphens.

    >>> remove_zero_width("การ\\u200bทุจริต")
    'การทุจริต'
    """
    return _ZERO_WIDTH.sub("", text)


def repair_sara_am(text: str) -> str:
    """ำ written as ํ + า (tesseract, some fonts) or doubled as ำา / ำำ.

    >>> repair_sara_am("ตําบล")
    'ตำบล'
    >>> repair_sara_am("สำานึก")
    'สำนึก'
    >>> repair_sara_am("น\\u0e4d\\u0e49\\u0e32")
    'น้ำ'
    >>> repair_sara_am("ต\\u0e4d\\u0e33บล")
    'ตำบล'
    """
    text = re.sub(f"{NIKHAHIT}([{TONES}]?){SARA_AA}", lambda m: m.group(1) + SARA_AM, text)
    text = re.sub(f"{NIKHAHIT}([{TONES}]?){SARA_AM}", r"\1" + SARA_AM, text)
    text = re.sub(f"{SARA_AM}(?:{SARA_AA}|{SARA_AM}|{NIKHAHIT})+", SARA_AM, text)
    return text


def remove_spaces_before_marks(text: str) -> str:
    """A space cannot stand before a combining mark; drop it.

    >>> remove_spaces_before_marks("ในเรื ่อง")
    'ในเรื่อง'
    """
    return _SPACE_BEFORE_MARK.sub("", text)


def reorder_marks(text: str) -> str:
    """Tone marks after the vowel they sit on; a mark repeated is kept once.

    Both edits act inside a run of marks only, so each run is settled on its own;
    a run still longer than MAX_MARK_RUN once repeats are dropped is no syllable
    (garbage) and is left so: settling it takes time quadratic in its length.

    >>> reorder_marks("ก\\u0e48\\u0e34")
    'กิ่'
    """
    return _MARK_RUN.sub(_settle_marks, text)


MAX_MARK_RUN = 16  # a Thai syllable carries at most 3 or 4
_MARK_RUN = re.compile(f"[{MARKS}]{{2,}}")


def _settle_marks(match: re.Match[str]) -> str:
    run = _DOUBLE_MARK.sub(r"\1", match.group())
    if len(run) > MAX_MARK_RUN:
        return run
    while True:  # a swap can bring two equal marks together: repeat until stable
        fixed = _DOUBLE_MARK.sub(r"\1", _TONE_BEFORE_VOWEL.sub(r"\2\1", run))
        if fixed == run:
            return run
        run = fixed


# --- dictionary-arbitrated repairs -------------------------------------------
# What geometry could not fix, a word list can arbitrate: a candidate edit is
# kept only when it makes more of the run dictionary words. Edits:
# "am":   ำ read for า (a bold font's wrong ToUnicode: ด้ำน for ด้าน), also
#         when it only makes fewer, longer words (ประชำชน: ประ ชำ ชน are words);
# "aa":   า read for ำ, nikhahit lost (น้า for น้ำ): also when it only makes
#         fewer, longer words (แหล่งน้า -> แหล่งน้ำ), since น้า alone is a word;
# "mark": a mark cluster written after the next consonant (ไดด้ี -> ได้ดี).
_THAI_RUN = re.compile(f"[{LETTERS_AND_MARKS}]+")
_MOVABLE = ABOVE_BELOW_VOWELS + TONES + THANTHAKHAT  # not ํ: that is ำ's business
_CLUSTER = re.compile(f"(?<=[{CONSONANTS}])([{CONSONANTS}])([{_MOVABLE}]+)")
_LOST_NIKHAHIT = re.compile(f"(?<=[{CONSONANTS}][{TONES}]){SARA_AA}(?![{SARA_AA}{SARA_AM}{NIKHAHIT}])")
MAX_AM_PAIRS = 8  # ำ in a run up to which pairs of them are tried together
MAX_EDITS = 40  # per run; a run needing more is beyond a word list's say
MAX_RUN = 120  # longer runs are cut for scoring cost


@lru_cache(maxsize=65536)
def _score(run: str) -> tuple[int, int]:
    """(characters outside dictionary words, number of words): lower is better."""
    from pythainlp.tokenize import word_tokenize

    words = thai_words()
    tokens = word_tokenize(run, engine="newmm", keep_whitespace=False)
    unknown = sum(len(t) for t in tokens if t not in words)
    return unknown, len(tokens)


def _candidates(run: str, moves: bool) -> list[tuple[str, str, tuple[int, int]]]:
    """(kind, the run edited, the span of the edit in it); marks moved only if `moves`."""
    out: list[tuple[str, str, tuple[int, int]]] = []
    spots = [i for i, ch in enumerate(run) if ch == SARA_AM and run[i - 1 : i] != NIKHAHIT]
    for i in spots:
        out.append(("am", run[:i] + SARA_AA + run[i + 1 :], (i, i + 1)))
    if len(spots) <= MAX_AM_PAIRS:  # two side by side, where no one edit makes words (ด้ำนทรัพยำกร)
        for a, b in itertools.combinations(spots, 2):
            out.append(("am", run[:a] + SARA_AA + run[a + 1 : b] + SARA_AA + run[b + 1 :], (a, b + 1)))
    for m in _LOST_NIKHAHIT.finditer(run):
        out.append(("aa", run[: m.start()] + SARA_AM + run[m.end() :], (m.start(), m.end())))
    for m in _CLUSTER.finditer(run) if moves else ():
        if m.start() >= 1 and run[m.start() - 1] not in MARKS:
            marks = m.group(2)
            for k in range(1, len(marks) + 1):
                moved = run[: m.start()] + marks[:k] + m.group(1) + marks[k:] + run[m.end() :]
                out.append(("mark", moved, (m.start() - 1, m.end())))
    return out


def _in_words(run: str, span: tuple[int, int]) -> bool:
    """Every word the edited span or a letter beside it touches is in the word list.
    A mark moved onto the consonant before must make words there, not merely fewer
    unknown letters: names such as อุ๊ด, สวั่น are unknown either way, and นายุอ๊ด,
    นายสั่วน (สั่ว and a stray น) only look better."""
    from pythainlp.tokenize import word_tokenize

    words, start = thai_words(), 0
    for token in word_tokenize(run, engine="newmm", keep_whitespace=False):
        start = run.find(token, start)
        end = start + len(token)
        if end >= span[0] and start <= span[1] and token not in words:
            return False
        start = end
    return True


def _repair_run(run: str, moves: bool = True) -> str:
    if len(run) > MAX_RUN:
        return "".join(_repair_run(run[i : i + MAX_RUN], moves) for i in range(0, len(run), MAX_RUN))
    score = _score(run)
    for _ in range(MAX_EDITS):
        best, best_score = run, score
        for kind, candidate, span in _candidates(run, moves):
            new = _score(candidate)
            better = new[0] < best_score[0] or (kind != "mark" and new[0] == best_score[0] and new[1] < best_score[1])
            if better and (kind != "mark" or _in_words(candidate, span)):
                best, best_score = candidate, new
        if best == run:
            break
        run, score = best, best_score
    return run


def repair_by_dictionary(text: str, moves: bool = True) -> str:
    """Misread ำ/า and (with `moves`) displaced marks, where a word list makes the fix certain.

    >>> repair_by_dictionary("ใหม้ี ไดด้ี ผลลพัธ์ หมทู่ี่")
    'ให้มี ได้ดี ผลลัพธ์ หมู่ที่'
    >>> repair_by_dictionary("ด้ำนยุทธศำสตร์ แหล่งน้า ประชำชน")
    'ด้านยุทธศาสตร์ แหล่งน้ำ ประชาชน'
    >>> repair_by_dictionary("กำรพัฒนำด้ำนทรัพยำกรธรรมชำติ")
    'การพัฒนาด้านทรัพยากรธรรมชาติ'
    >>> repair_by_dictionary("น้า ทำงาน")  # น้า (aunt) and ทำงาน are words: left alone
    'น้า ทำงาน'
    >>> repair_by_dictionary("นายอุ๊ด เวทธิกูล นายสวั่น")  # names: no word list knows them, no move makes words
    'นายอุ๊ด เวทธิกูล นายสวั่น'
    """
    if not _THAI_RUN.search(text):
        return text
    return _THAI_RUN.sub(lambda m: _repair_run(m.group(), moves), text)


def repair_am_by_dictionary(text: str) -> str:
    """repair_by_dictionary without moving marks: for text whose reader put each
    mark on the glyph it is drawn over (a PDF's glyphs, extract.pdf_chars), where
    a move would only trade a name no word list knows for words (อรพิน -> อริพน).

    >>> repair_am_by_dictionary("บ้านนางอรพิน ด้ำนทรัพยำกร")
    'บ้านนางอรพิน ด้านทรัพยากร'
    """
    return repair_by_dictionary(text, moves=False)


def nfc(text: str) -> str:
    """Canonical composition; never NFKC, which splits ำ.

    >>> nfc("จำนวน")
    'จำนวน'
    """
    return unicodedata.normalize("NFC", text)


REPAIR_STEPS: tuple[Callable[[str], str], ...] = (
    map_private_use,
    remove_zero_width,
    remove_spaces_before_marks,  # before ำ repair: `ำ ำ` must become one ำ
    repair_sara_am,
    repair_by_dictionary,  # before reorder_marks: it must see each displaced cluster whole
    reorder_marks,
    nfc,
)
MAX_PASSES = 4  # the chain settles in one or two passes; repeat so repair stays idempotent


# Typed text (a Word or Excel cell) holds the characters its author typed: nothing
# was misread, so only the encoding is made canonical. The word list's guesses
# are for text read off a page (a PDF text layer, OCR, a plain-text copy of a
# PDF): applied to typed text they rewrite names no word list knows (the real
# plan's อรพิน -> อริพน, กาศกุล -> กาศุกล).
TYPED_STEPS: tuple[Callable[[str], str], ...] = tuple(s for s in REPAIR_STEPS if s is not repair_by_dictionary)


# Text whose marks were placed by geometry (a PDF's glyphs): ำ/า misreads are still the
# font's (a wrong ToUnicode), but where a mark stands was seen, not guessed.
PLACED_STEPS: tuple[Callable[[str], str], ...] = tuple(
    repair_am_by_dictionary if s is repair_by_dictionary else s for s in REPAIR_STEPS
)


def _to_fixpoint(text: str, steps: tuple[Callable[[str], str], ...]) -> str:
    for _ in range(MAX_PASSES):  # so that repair(repair(x)) == repair(x)
        before = text
        for step in steps:
            text = step(text)
        if text == before:
            break
    return text


@lru_cache(maxsize=65536)  # pure; plans repeat the template's texts across an archive
def repair(text: str) -> str:
    """Run every repair step in order. Idempotent.

    >>> repair("ส\\u0e4d\\u0e32นึก ท\\uf710\\uf70bง")
    'สำนึก ทั้ง'
    """
    return _to_fixpoint(text, REPAIR_STEPS)


@lru_cache(maxsize=65536)
def repair_typed(text: str) -> str:
    """The repair of typed text: every step but the dictionary's. Idempotent.

    >>> repair_typed("บ้านนางอรพิน ตันตา ท\\uf710\\uf70bง")  # a name kept, a legacy font's code points mapped
    'บ้านนางอรพิน ตันตา ทั้ง'
    """
    return _to_fixpoint(text, TYPED_STEPS)


@lru_cache(maxsize=65536)
def repair_placed(text: str) -> str:
    """The repair of text whose marks a reader placed where they are drawn: every
    step, the dictionary's without moving marks. Idempotent.

    >>> repair_placed("บ้านนายมา กาศกุล ประชำชน")
    'บ้านนายมา กาศกุล ประชาชน'
    """
    return _to_fixpoint(text, PLACED_STEPS)
