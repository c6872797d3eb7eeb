"""Rebuild line wraps that a text copy of a table turned into spaces (or kept as "\\n").

A plain-text copy of a PDF table turns every line wrap inside a cell into a
space: `การสร้าง สังคมที่ไม่ทน ต่อการทุจริต` is `การสร้างสังคมที่ไม่ทนต่อการทุจริต`,
while `ตรวจสอบ กำกับ ดูแล` keeps its genuine spaces. Each space is decided from

* a line-width model: cells of one column share a width, so a wrap ends a
  line that was full (the next word would not have fitted) and a space inside
  a line is genuine; the column width is estimated from the column itself;
* dictionary and character evidence (normalize.wraps_lex): a dictionary word
  across the space, fragments on either side, digits / Latin / brackets next
  to the space, phrase-opening words.

Everything is cached per text, so template phrases repeated across plans cost
nothing after the first time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from thaiplan.normalize import wraps_lex
from thaiplan.normalize.wraps_lex import CODE, STRONG, space_score
from thaiplan.normalize.wraps_width import space_width, text_width
from thaiplan.settings import WrapSettings

_SPACES = re.compile(r"\s+")
INF = float("inf")


DEFAULT = WrapSettings()  # frozen and validated: safe as a default argument


@dataclass(frozen=True)
class _Cell:
    """A copied cell cut at its spaces, with the widths and evidence the model needs."""

    segments: tuple[str, ...]
    widths: tuple[float, ...]  # of each segment
    heads: tuple[float, ...]  # width of each segment's first word
    scores: tuple[float, ...]  # per space: > 0 genuine, < 0 wrap
    paragraph: tuple[bool, ...]  # per space: a new numbered paragraph starts after it


@lru_cache(maxsize=16384)
def _analyse(text: str) -> _Cell:
    """Cut a copied cell at its spaces and gather widths and per-space evidence (cached per text)."""
    segs = tuple(text.split(" "))
    scores = tuple(space_score(a, b) for a, b in zip(segs, segs[1:]))
    paragraph = tuple(bool(CODE.match(b)) and i > 0 for i, b in enumerate(segs[1:], 1))
    return _Cell(
        segments=segs,
        widths=tuple(text_width(s) for s in segs),
        heads=tuple(text_width(wraps_lex.first_token(s)) for s in segs),
        scores=scores,
        paragraph=paragraph,
    )


def _layout(
    cell: _Cell, width: float, estimating: bool = False, st: WrapSettings = DEFAULT
) -> tuple[float, tuple[int, ...]]:
    """Cheapest split of a cell into lines of at most `width`: (cost, index of the last segment per line).

    While estimating the column width, soft evidence for a genuine space is ignored (only
    certain spaces are free inside a line), so that "no wraps at all" does not win by default.
    """
    n = len(cell.segments)
    scores = [s if (s < 0 or s >= STRONG or not estimating) else 0.0 for s in cell.scores]
    sp = space_width()
    best = [0.0] + [INF] * n
    back = [0] * (n + 1)
    limit = width * (1 + st.over_free)
    for end in range(n):
        line = -sp
        inline = 0.0
        for start in range(end, -1, -1):
            line += cell.widths[start] + sp
            if start < end:
                inline += max(0.0, st.inline_prior - scores[start]) * st.inline_weight
                if line > limit * 1.3:
                    break
            cost = best[start] + inline
            if line > limit:
                cost += st.over_weight * (line - limit) / width
            if end < n - 1 and not cell.paragraph[end]:
                room = width - (line + sp + cell.heads[end + 1])
                if room > width * st.short_free:
                    cost += st.short_weight * (room - width * st.short_free) / width
            if cost < best[end + 1]:
                best[end + 1] = cost
                back[end + 1] = start
    ends, pos = [], n
    while pos > 0:
        ends.append(pos - 1)
        pos = back[pos]
    return best[n], tuple(reversed(ends))


@lru_cache(maxsize=65536)
def _cell_cost(
    text: str, width_q: int, estimating: bool = False, st: WrapSettings = DEFAULT
) -> tuple[float, tuple[int, ...]]:
    """_layout cached per (text, width quantised to 1/20 of a glyph, settings)."""
    return _layout(_analyse(text), width_q / 20, estimating, st)


Pair = tuple[str, str]


def _pair(cell: _Cell, i: int) -> Pair:
    """The words either side of space i: the last token before it, the first after it."""
    left = wraps_lex.tokens(cell.segments[i])
    return (left[-1] if left else cell.segments[i], wraps_lex.first_token(cell.segments[i + 1]))


def _inline_pairs(text: str, width_q: int, st: WrapSettings) -> set[Pair]:
    """Word pairs this cell prints with a space inside a line: certainly genuine spaces."""
    cell = _analyse(text)
    breaks = set(_cell_cost(text, width_q, False, st)[1])
    return {_pair(cell, i) for i in range(len(cell.scores)) if i not in breaks}


def _decide(text: str, width_q: int, genuine_pairs: frozenset[Pair], st: WrapSettings) -> str:
    """The cell with spaces inside lines kept and line-end spaces kept only on evidence:
    the dictionary, or the same two words printed with a space inside a line elsewhere
    in the document (list items such as `กำกับ ดูแล` fall at line ends too)."""
    cell = _analyse(text)
    _, ends = _cell_cost(text, width_q, False, st)
    breaks = set(ends)
    out = [cell.segments[0]]
    for i, seg in enumerate(cell.segments[1:]):
        genuine = i not in breaks or cell.scores[i] > st.keep_threshold
        if not genuine and genuine_pairs and cell.scores[i] > -STRONG:
            genuine = _pair(cell, i) in genuine_pairs
        out.append(" " + seg if genuine else seg)
    return "".join(out)


def _clean(text: str) -> str:
    """Collapse whitespace runs (newlines too) to one space, strip the ends."""
    return _SPACES.sub(" ", text).strip()


def estimate_width(cells: Sequence[str], st: WrapSettings = DEFAULT) -> int:
    """Column width (in 1/20 glyph units) that explains the column's spaces best.

    The widest segment is a lower bound (every segment sat on one line); the
    candidates above it are scored by the total layout cost of the cells.
    """
    multi = sorted({c for c in cells if " " in c}, key=lambda c: -c.count(" "))[: st.max_cells]
    if not multi:
        return 0
    floor = max(max(_analyse(c).widths) for c in multi)
    ceiling = min(max(text_width(c) for c in multi) * 1.05, floor * st.width_span)
    coarse = 1 + st.width_step
    candidates = [floor * coarse**k for k in range(64) if floor * coarse**k <= max(ceiling, floor)]
    best = min(candidates, key=lambda w: (_column_cost(multi, w, st), w))
    fine = [best * (1 + st.width_step * k / 4) for k in range(-3, 4)]
    return round(min(fine, key=lambda w: (_column_cost(multi, w, st), w)) * 20)


def _column_cost(cells: Sequence[str], width: float, st: WrapSettings) -> float:
    """Total layout cost of the cells at one column width."""
    width_q = round(width * 20)
    return sum(_cell_cost(c, width_q, True, st)[0] for c in cells)


@lru_cache(maxsize=1024)
def _rebuild_column(cells: tuple[str, ...], genuine_pairs: frozenset[Pair], st: WrapSettings) -> tuple[str, ...]:
    """rebuild_column on cleaned cells (cached per column)."""
    width_q = estimate_width(cells, st)
    return tuple(_decide(c, width_q, genuine_pairs, st) if " " in c else c for c in cells)


def rebuild_columns(columns: Sequence[Sequence[str]], st: WrapSettings = DEFAULT) -> list[list[str]]:
    """Several columns of one document, each as rebuild_column, with evidence shared
    across them: a word pair printed with a space inside a line anywhere in the
    document keeps its space where it falls at a line end.

    >>> rebuild_columns([["๑. การสร้าง สังคมที่ไม่ทน ต่อการทุจริต"]])
    [['๑. การสร้างสังคมที่ไม่ทนต่อการทุจริต']]
    """
    cleaned = [tuple(_clean(t) for t in column) for column in columns]
    widths = [estimate_width(column, st) for column in cleaned]
    pairs: set[Pair] = set()
    for column, width_q in zip(cleaned, widths):
        for text in column:
            if " " in text and width_q:
                pairs |= _inline_pairs(text, width_q, st)
    shared = frozenset(pairs)
    return [list(_rebuild_column(column, shared, st)) for column in cleaned]


def rebuild_column(texts: Sequence[str], st: WrapSettings = DEFAULT) -> list[str]:
    """Cells of one table column from a plain-text copy (every wrap became a space).

    Returns each cell with each space decided: kept (genuine) or removed (wrap).
    Cells may start with mission codes like '๒.๓.๑ ' or '๑. ' (dimension), contain
    digits, Latin, brackets, quotes, slashes. Empty strings stay empty.

    >>> rebuild_column(["๑. การสร้าง สังคมที่ไม่ทน ต่อการทุจริต", ""])
    ['๑. การสร้างสังคมที่ไม่ทนต่อการทุจริต', '']
    """
    return list(_rebuild_column(tuple(_clean(t) for t in texts), frozenset(), st))


def _edge_pair(left: str, right: str) -> Pair:
    """The last token of `left` and the first of `right` (space-free pieces)."""
    tokens = wraps_lex.tokens(left)
    return (tokens[-1] if tokens else left, wraps_lex.first_token(right))


def line_pairs(texts: Sequence[str]) -> frozenset[Pair]:
    """Word pairs printed with a space inside a line (cells whose line breaks are
    known): certainly genuine spaces, evidence for the breaks elsewhere."""
    pairs: set[Pair] = set()
    for text in texts:
        for line in text.split("\n"):
            pieces = line.split()
            pairs.update(_edge_pair(a, b) for a, b in zip(pieces, pieces[1:]))
    return frozenset(pairs)


def rebuild_breaks(
    text: str,
    hints: Sequence[str | None] = (),
    genuine_pairs: frozenset[Pair] = frozenset(),
    st: WrapSettings = DEFAULT,
) -> str:
    """A cell whose line breaks are known ('\\n': DOCX hand breaks/paragraphs, PDF lines,
    OCR lines). hints: one per '\\n', 'space' (a genuine space ended the line), 'short'
    (line stopped well short of the cell edge: genuine break -> space), 'full' (ran to the
    edge: a wrap -> join unless the dictionary says both sides are whole phrases and Thai
    would put a space), or None (unknown: decide with the dictionary/word-class rules).
    Spaces inside lines are kept (runs of spaces collapse to one). Returns one line.

    >>> rebuild_breaks("ร่วมใจอนุรักษ์ทรัพยากร\\nธรรมชาติ")
    'ร่วมใจอนุรักษ์ทรัพยากรธรรมชาติ'
    >>> rebuild_breaks("ตรวจสอบ\\nกำกับ", ["space"])
    'ตรวจสอบ กำกับ'
    """
    raw = text.split("\n")
    lines = [_SPACES.sub(" ", ln) for ln in raw]
    out = lines[0].strip(" ")
    for i, nxt in enumerate(lines[1:]):
        hint = hints[i] if i < len(hints) else None
        ended_space = lines[i].endswith(" ") or nxt.startswith(" ")
        nxt = nxt.strip(" ")
        if not nxt:
            continue
        if not out:
            out = nxt
            continue
        left, right = out.rsplit(" ", 1)[-1], nxt.split(" ", 1)[0]
        if hint == "space" or ended_space:
            genuine = True
        elif hint == "full":  # a space would have been drawn: only a code or a digit/Latin edge takes one
            genuine = space_score(left, right) >= STRONG
        else:
            genuine = space_score(left, right) > st.keep_threshold
            if not genuine and genuine_pairs:
                genuine = _edge_pair(left, right) in genuine_pairs
        out += (" " if genuine else "") + nxt
    return out


def clear_caches() -> None:
    """Forget every cache (for cold-start timings)."""
    for fn in (_analyse, _cell_cost, _rebuild_column):
        fn.cache_clear()
    wraps_lex.clear_caches()
    text_width.cache_clear()
