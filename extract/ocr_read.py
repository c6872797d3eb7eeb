"""Reading images with tesseract: one process per page, every cell its own image.

pytesseract starts one tesseract process per call, and loading the tha+eng
models costs about as much as reading a cell; tesseract also accepts a text
file listing images and reads them one by one in a single process. So a
page's cells are written as PNGs, listed, and read with one call whose TSV
output (word boxes, confidences) is split back per image.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from thaiplan.errors import OcrUnavailable
from thaiplan.extract.thai_digits import Reading, drop_specks, read_number
from thaiplan.thai import DIGIT, LETTERS_AND_MARKS, MISSION_CODE

LANGUAGES = "tha+eng"
TIMEOUT_S = 600
# A word is a number to re-read when it is made of these and holds a digit.
NUMBER_CHARS = set("๐๑๒๓๔๕๖๗๘๙0123456789,.-–/()")
DIGITS = set("๐๑๒๓๔๕๖๗๘๙0123456789")
# Tesseract's stand-ins for digits it cannot emit (Latin letters for ๑ ๒ ...).
DIGIT_LOOKALIKES = set("oOlIsSgqGe")
LIST_LOOKALIKES = set("ซฯๆ")  # tesseract's tha model cannot emit ๗ (THAI_NOTES.md)
LIST_NUMBER = re.compile(f"^{DIGIT}{{1,3}}\\.?$")
THAI_LETTER = re.compile(f"[{LETTERS_AND_MARKS}]")
CODE_TEXT = re.compile(f"^{MISSION_CODE}\\.?$")
FLAT_LINE = 0.55  # a line this much lower than the cell's typical line is marks only
STRICT_MIN_CONFIDENCE = 70.0  # for tokens tesseract did not read as a number
LONE_MIN_CONFIDENCE = 40.0  # the weakest glyph's vote share


@dataclass(frozen=True)
class Word:
    text: str
    box: tuple[int, int, int, int]  # in the image that was read, x0 y0 x1 y1
    confidence: float
    line: tuple[int, int, int]  # block, paragraph, line
    renumbered: bool = False  # re-read by the digit recogniser
    tesseract_text: str = ""


@dataclass(frozen=True)
class ReadText:
    lines: tuple[str, ...]
    confidence: float | None  # character-weighted mean of the word confidences
    words: tuple[Word, ...]


@lru_cache(maxsize=1)
def tesseract_status() -> str | None:
    """None when tesseract with Thai is usable, else what is missing."""
    binary = shutil.which("tesseract")
    if binary is None:
        return "tesseract is not installed"
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract cannot be run ({exc})"
    languages = set((listed.stdout + listed.stderr).split())
    missing = [lang for lang in LANGUAGES.split("+") if lang not in languages]
    if missing:
        return f"tesseract has no {'/'.join(missing)} language model"
    return None


def require_tesseract(what: str = "scanned pages need OCR") -> None:
    """OcrUnavailable (saying what to install) unless tesseract with Thai can run."""
    problem = tesseract_status()
    if problem is not None:
        raise OcrUnavailable(f"{what}, but {problem}")


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else "unknown"


def opencv_version() -> str:
    """`OpenCV 5.0.0`. A reading depends on it as on tesseract: its image operations
    shape every cell image (5.1 reads one of the seed scan's budgets differently, measured)."""
    return f"OpenCV {cv2.__version__}"


def run_tesseract(images: list[np.ndarray], psm: int, dpi: int) -> list[tuple[list[dict[str, str]], str]]:
    """(TSV word rows, plain text) per image, read by one tesseract process.

    Both outputs are kept: TSV gives boxes and confidences but, for Thai,
    one "word" per character; the plain text says where the spaces are.
    """
    if not images:
        return []
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # our own pool uses the cores; OpenMP only adds overhead
    with tempfile.TemporaryDirectory(prefix="thaiplan-ocr-") as folder:
        names = []
        for index, image in enumerate(images):
            name = os.path.join(folder, f"{index:04d}.png")
            cv2.imwrite(name, image)
            names.append(name)
        listing = os.path.join(folder, "images.txt")
        with open(listing, "w", encoding="utf-8") as handle:
            handle.write("\n".join(names) + "\n")
        base = os.path.join(folder, "out")
        command = [
            "tesseract", listing, base, "-l", LANGUAGES, "--psm", str(psm), "--dpi", str(dpi), "txt", "tsv",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, env=env, timeout=TIMEOUT_S, check=False)
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrUnavailable(f"tesseract failed: {message[-1] if message else done.returncode}")
        with open(base + ".tsv", encoding="utf-8", errors="replace") as handle:
            tsv = handle.read()
        with open(base + ".txt", encoding="utf-8", errors="replace") as handle:
            texts = handle.read().split("\f")
    per_image: list[list[dict[str, str]]] = [[] for _ in images]
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            per_image[int(row["page_num"]) - 1].append(row)
    texts += [""] * (len(images) - len(texts))
    return list(zip(per_image, texts))


def is_numeric(text: str) -> bool:
    """Tesseract's token looks like a number (its digits may be wrong).

    >>> is_numeric("๒๕๒๓"), is_numeric("6.0.6"), is_numeric("(บาท)"), is_numeric("๒๐.,๐๐๐.-")
    (True, True, False, True)
    """
    chars = set(text)
    return (
        bool(chars & DIGITS)
        and chars <= NUMBER_CHARS | DIGIT_LOOKALIKES
        and (len([c for c in text if c in DIGIT_LOOKALIKES]) <= len(text) // 2)
    )


def _tsv_lines(rows: list[dict[str, str]]) -> list[list[Word]]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for row in rows:
        left, top = int(row["left"]), int(row["top"])
        box = (left, top, left + int(row["width"]), top + int(row["height"]))
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        word = Word(row["text"].strip(), box, max(0.0, float(row["conf"])), key)
        lines.setdefault(key, []).append(word)
    return list(lines.values())


def _tokens(words: list[Word], printed: str | None) -> list[Word]:
    """Merge tesseract's per-character words into space-delimited tokens, with
    spaces where its plain text has them (else where the gap is wide)."""
    if printed is not None and "".join(w.text for w in words) == printed.replace(" ", ""):
        groups: list[list[Word]] = []
        pending = iter(words)
        for chunk in printed.split():
            group, length = [], 0
            while length < len(chunk):
                word = next(pending)
                group.append(word)
                length += len(word.text)
            groups.append(group)
    else:
        height = float(np.median([w.box[3] - w.box[1] for w in words]))
        groups = [[words[0]]]
        for previous, word in zip(words, words[1:]):
            if word.box[0] - previous.box[2] > 0.4 * height:
                groups.append([word])
            else:
                groups[-1].append(word)
    tokens = []
    for group in groups:
        text = "".join(w.text for w in group)
        box = (min(w.box[0] for w in group), min(w.box[1] for w in group),
               max(w.box[2] for w in group), max(w.box[3] for w in group))  # fmt: skip
        confidence = sum(w.confidence * len(w.text) for w in group) / max(1, len(text))
        tokens.append(Word(text, box, round(confidence, 1), group[0].line, tesseract_text=text))
    return tokens


def words_from_tsv(rows: list[dict[str, str]], printed: str, image: np.ndarray, min_area: int) -> ReadText:
    """Tokens of one image, numeric ones re-read by the digit recogniser."""
    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    clean = drop_specks(ink, min_area)  # once per cell: looking for what tesseract left out
    tsv_lines = _tsv_lines(rows)
    text_lines = [line.strip() for line in printed.splitlines() if line.strip()]
    aligned = len(text_lines) == len(tsv_lines)
    flat = _flat_lines(tsv_lines)
    words: list[Word] = []
    for index, line_words in enumerate(tsv_lines):
        if index in flat:
            continue
        line_tokens = _join_split_code(_tokens(line_words, text_lines[index] if aligned else None))
        dropped = _dropped_code(line_tokens[0], clean, min_area)
        if dropped is not None:
            words.append(dropped)
        for position, token in enumerate(line_tokens):
            if may_be_list_number(token.text) and (position == 0 or line_tokens[position - 1].text.endswith("ที่")):
                token = _reread_list_number(token, ink, min_area)
            elif position == 0 and looks_like_code(token.text) and not is_numeric(token.text):
                token = _reread_code(token, ink, min_area)
            elif is_numeric(token.text):
                token = _renumber(token, ink, min_area)
            elif may_be_number(token.text):
                token = _renumber(token, ink, min_area, strict=True)
            words.append(token)
    if words:
        words = _with_dropped_lines(words, clean, min_area)
    if not any(THAI_LETTER.match(word.text) for word in words) and sum(len(w.text) for w in words) <= 12:
        lone = _lone_number(clean, min_area)
        if lone is not None:
            return assemble([lone])
    return assemble(words)


def _flat_lines(lines: list[list[Word]]) -> set[int]:
    """Lines far flatter than the others: marks above a Thai line that
    tesseract split off as a line of their own and read as junk (a a Un)."""
    heights = [max(w.box[3] for w in line) - min(w.box[1] for w in line) for line in lines]
    if len(heights) < 2:
        return set()
    typical = float(np.median(heights))
    return {
        index for index, (line, height) in enumerate(zip(lines, heights))
        if height < FLAT_LINE * typical and not any(THAI_LETTER.match(w.text) for w in line)
    }  # fmt: skip


def _lone_number(clean: np.ndarray, min_area: int) -> Word | None:
    """A cell holding one short number on one line (๐, ๒๐,๐๐๐.-) that
    tesseract dropped or read as Latin junk (oO, €0,000.-): read it whole."""
    rows = np.flatnonzero(clean.any(axis=1))
    if rows.size == 0 or np.any(np.diff(rows) > 2):
        return None  # blank rows between ink: more than one line
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    columns = np.flatnonzero(clean[y0:y1].any(axis=0))
    x0, x1 = int(columns[0]), int(columns[-1]) + 1
    reading = read_number(clean[y0:y1, x0:x1], "", min_area)
    if reading is None or reading.confidence < LONE_MIN_CONFIDENCE or not reading.digit_like:
        return None  # a smudge, or what is not a number
    if not set(reading.text) & DIGITS and reading.text != "-":  # `-`: nothing budgeted
        return None
    return Word(reading.text, (x0, y0, x1, y1), reading.confidence, (1, 1, 1), True, "")


def looks_like_code(text: str) -> bool:
    """A line's first token shaped like a mission code whose digits tesseract read
    as letters (๓ as ด, ๑ as @): short groups joined by dots.

    >>> looks_like_code("ด.๒.ด๓"), looks_like_code("@๑.ดา.๒"), looks_like_code("พ.ศ."), looks_like_code("การ")
    (True, True, True, False)
    """
    groups = text.rstrip(".").split(".")
    return 2 <= len(groups) <= 4 and all(len(group) <= 4 for group in groups) and len(text) <= 12


def _join_split_code(tokens: list[Word]) -> list[Word]:
    """A code tesseract cut in two at a dot (`๒.๕` `.ดต` for ๒.๕.๓): one token again."""
    if len(tokens) < 2:
        return tokens
    first, second = tokens[0], tokens[1]
    joined = first.text + second.text
    if not (first.text.endswith(".") or second.text.startswith(".")) or not looks_like_code(joined):
        return tokens
    box = (min(first.box[0], second.box[0]), min(first.box[1], second.box[1]),
           max(first.box[2], second.box[2]), max(first.box[3], second.box[3]))  # fmt: skip
    confidence = min(first.confidence, second.confidence)
    return [Word(joined, box, confidence, first.line, tesseract_text=joined), *tokens[2:]]


def _code_reading(crop: np.ndarray, hint: str, min_area: int) -> Reading | None:
    """The digit recogniser's reading of `crop`, only when it is a code, glyph for
    glyph digit-like (พ.ศ. is not), and confident."""
    reading = read_number(crop, hint, min_area)
    if reading is None or not CODE_TEXT.match(reading.text) or not reading.digit_like:
        return None
    return reading if reading.confidence >= STRICT_MIN_CONFIDENCE else None


def may_be_list_number(text: str) -> bool:
    """A list number (๗.) or a village number (หมู่ที่ ๗) whose ๗ tesseract read as
    a Thai sign it can emit: ซ ฯ ๆ.

    >>> may_be_list_number("ซ."), may_be_list_number("๑ฯ"), may_be_list_number("ๆ"), may_be_list_number("ซอย")
    (True, True, True, False)
    """
    body = text.rstrip(".")
    return 0 < len(body) <= 3 and bool(set(body) & LIST_LOOKALIKES) and set(body) <= LIST_LOOKALIKES | DIGITS


def _reread_list_number(word: Word, ink: np.ndarray, min_area: int) -> Word:
    """The digit recogniser's reading of a list or village number, kept only when
    it is digits (and the dot), every glyph digit-like, and confident."""
    x0, y0, x1, y1 = _widen(word.box, ink)
    reading = read_number(ink[y0:y1, x0:x1], word.text, min_area)
    if (
        reading is None
        or not LIST_NUMBER.match(reading.text)
        or not reading.digit_like
        or reading.confidence < STRICT_MIN_CONFIDENCE
    ):
        return word
    return Word(reading.text, word.box, reading.confidence, word.line, True, word.text)


def _reread_code(word: Word, ink: np.ndarray, min_area: int) -> Word:
    """A code-shaped token tesseract read as letters (ด.๒.ด๓), read again."""
    x0, y0, x1, y1 = _widen(word.box, ink)
    reading = _code_reading(ink[y0:y1, x0:x1], word.text, min_area)
    if reading is None:
        return word
    return Word(reading.text, word.box, reading.confidence, word.line, True, word.text)


def _dropped_code(first: Word, clean: np.ndarray, min_area: int) -> Word | None:
    """A code tesseract left out at a line's start (๔.๔.๑ before ส่งเสริม…): ink
    left of the line's first word, read by the digit recogniser, kept only as a code."""
    x0, y0, x1, y1 = first.box
    height = y1 - y0
    band = clean[y0:y1, : max(0, x0 - height // 4)]
    columns = np.flatnonzero(band.any(axis=0))
    if columns.size == 0 or columns[-1] - columns[0] + 1 < 0.6 * height:
        return None
    box = (int(columns[0]), y0, int(columns[-1]) + 1, y1)
    reading = _code_reading(band[:, box[0] : box[2]], "", min_area)
    if reading is None:
        return None
    return Word(reading.text, box, reading.confidence, first.line, True, "")


def _with_dropped_lines(words: list[Word], clean: np.ndarray, min_area: int) -> list[Word]:
    """Codes on a line of their own that tesseract left out (๔.๔.๑ above ส่งเสริม…):
    bands of ink no word covers, as tall as a line, read by the digit recogniser and
    kept only as a confident code, in their place among the lines."""
    covered = np.zeros(clean.shape[0], bool)
    for word in words:
        covered[word.box[1] : word.box[3]] = True
    rows = clean.any(axis=1) & ~covered
    height = float(np.median([w.box[3] - w.box[1] for w in words]))
    found: list[Word] = []
    for y0, y1 in _runs(rows):
        if not 0.5 * height <= y1 - y0 <= 1.6 * height:
            continue
        columns = np.flatnonzero(clean[y0:y1].any(axis=0))
        x0, x1 = int(columns[0]), int(columns[-1]) + 1
        reading = _code_reading(clean[y0:y1, x0:x1], "", min_area)
        if reading is not None:
            found.append(Word(reading.text, (x0, y0, x1, y1), reading.confidence, (-1, y0, 0), True, ""))
    for extra in found:  # before the first line that starts below it
        at = next((i for i, w in enumerate(words) if w.box[1] >= extra.box[3] - 2), len(words))
        words.insert(at, extra)
    return words


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def may_be_number(text: str) -> bool:
    """A token tesseract may have made of a digit it cannot emit (๘ read as ณ๕,
    ๑๖ as od, the ๖ of ๒๕๖๓ as าว): worth a strict second look.

    >>> may_be_number("ณ๕"), may_be_number("od"), may_be_number("&"), may_be_number("การ"), may_be_number("๒๕าว๓")
    (True, True, True, False, True)
    """
    if len(text) <= 3:
        return bool(set(text) & DIGITS) or not THAI_LETTER.search(text)  # od, &, @
    digits = sum(1 for ch in text if ch in DIGITS)
    return len(text) <= 10 and digits >= 2 and sum(1 for ch in text if ch not in NUMBER_CHARS) <= 4


def _renumber(word: Word, ink: np.ndarray, min_area: int, strict: bool = False) -> Word:
    x0, y0, x1, y1 = _widen(word.box, ink)
    crop = ink[y0:y1, x0:x1]
    reading = read_number(crop, word.text, min_area)
    if reading is None or not (set(reading.text) & DIGITS):
        return word
    if strict and not (
        reading.digit_like
        and reading.confidence >= STRICT_MIN_CONFIDENCE
        and len(reading.text) <= max(3, len(word.text) + 1)
    ):
        return word
    return Word(reading.text, word.box, reading.confidence, word.line, True, word.text)


def _widen(box: tuple[int, int, int, int], ink: np.ndarray) -> tuple[int, int, int, int]:
    """The word's box grown to the blank columns on either side: tesseract's
    Thai boxes often cut the last digit in half."""
    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 8)
    y0, y1 = max(0, y0 - pad), min(ink.shape[0], y1 + pad)
    band = ink[y0:y1].any(axis=0)
    limit = y1 - y0  # never wander further than a glyph (tesseract may cut one in half)
    left, right = x0, x1
    while left > 0 and x0 - left < limit and band[left - 1]:
        left -= 1
    while right < band.size and right - x1 < limit and band[right]:
        right += 1
    return max(0, left - 1), y0, min(band.size, right + 1), y1


def assemble(words: list[Word]) -> ReadText:
    lines: list[str] = []
    current: tuple[int, int, int] | None = None
    for word in words:
        if word.line != current:
            lines.append(word.text)
            current = word.line
        else:
            lines[-1] += " " + word.text
    weight = sum(len(word.text) for word in words)
    confidence = round(sum(word.confidence * len(word.text) for word in words) / weight, 1) if weight else None
    return ReadText(tuple(lines), confidence, tuple(words))
