"""A recogniser for number glyphs: Thai digits ๐–๙, Arabic 0–9, / and %, and , . -

Tesseract's `tha` model cannot emit ๔ ๖ ๗ ๘ ๙ at all (๒๕๖๓ comes back
๒๕๒๓), so numeric words are re-read here. The classifier is a k-nearest-
neighbour vote over HOG features of glyphs rendered from named Thai fonts
(TLWG and Sarabun) at several sizes, weights, blurs and noise levels. The
model ships in the package (data/thai_digits.npz, built by
scripts/build_data.py with extract/digit_training.py): nothing is trained, no
font is read and nothing is downloaded at run time, so every machine reads a
scan alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import cv2
import numpy as np

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
SYMBOLS = "/%"  # in dates (17/10/2559) and shares (100 %): shaped like digits, so classified with them
CLASSES = THAI_DIGITS + ARABIC_DIGITS + SYMBOLS
THAI_LABELS = np.array([char in THAI_DIGITS or char in SYMBOLS for char in CLASSES])
ARABIC_LABELS = np.array([char not in THAI_DIGITS for char in CLASSES])
PCA_DIMENSIONS = 96  # when chosen, held-out fonts 99.2% (all 901 HOG dimensions 99.1%), 9x less to scan per glyph
FEATURE_SIDE = 24
NEIGHBOURS = 7
WIDE_GLYPH = 1.3  # a column run wider than this times its height holds several digits
TOUCHING = 1.55  # a full-height blob wider than this times its height is digits touching (one is ≤ 1.45)
DIGIT_CHARS = set(THAI_DIGITS + ARABIC_DIGITS)
PUNCTUATION = set(".,-()[]")
# A space between glyphs: a gap this share of the digits' pitch, their centres this many pitches
# apart (measured on the training fonts: digits 0.2-1.0 apart edge to edge, spaces 0.6 and more).
SPACE_GAP = 0.45
SPACE_PITCH = 1.3
CUT_MIN_WIDTH = 0.75  # a glyph no rendered one resembles, this wide for its height, may be two touching
CUT_TRIES = 3  # the thinnest columns tried as the cut
# Only a glyph clearly unlike any digit, cut into halves clearly like glyphs: a ๒ a scan
# wore thin is a little unlike, and its halves look like / and ๓.
CUT_UNLIKE = 1.25
CUT_HALF_LIKE = 0.85
SOLO_PITCH = 1.15  # a digit's advance over its ink's width, for a lone digit (0 %)
MODEL_FILE = "thai_digits.npz"  # in data/ beside this module

HOG_CELL = 4
HOG_BINS = 9


def glyph_features(ink: np.ndarray) -> np.ndarray:
    """Features of one glyph (ink 255 on 0, any size): HOG of the glyph centred
    in a square (so its proportions count), plus its aspect ratio."""
    points = cv2.findNonZero(ink)
    if points is None:
        return np.zeros(_feature_length(), np.float32)
    x, y, w, h = cv2.boundingRect(points)
    glyph = ink[y : y + h, x : x + w]
    side = max(w, h) + 4
    square = np.zeros((side, side), np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = glyph
    small = cv2.resize(square, (FEATURE_SIDE, FEATURE_SIDE), interpolation=cv2.INTER_AREA)
    hog = _hog(small.astype(np.float32))
    aspect = np.array([np.log(h / w)], np.float32) * 0.5
    return np.concatenate([hog, aspect]).astype(np.float32)


def _feature_length() -> int:
    cells = FEATURE_SIDE // HOG_CELL
    return (cells - 1) ** 2 * 4 * HOG_BINS + 1


def _hog(image: np.ndarray) -> np.ndarray:
    """Histogram of oriented gradients: unsigned orientation, cells of
    HOG_CELL px, 2x2-cell blocks L2-normalised (OpenCV 5 dropped its own)."""
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=1)
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=1)
    magnitude = np.hypot(gx, gy)
    bins = ((np.arctan2(gy, gx) % np.pi) / np.pi * HOG_BINS).astype(np.int32) % HOG_BINS
    cells = FEATURE_SIDE // HOG_CELL
    cell_of = (np.arange(FEATURE_SIDE) // HOG_CELL)[:, None] * cells + (np.arange(FEATURE_SIDE) // HOG_CELL)
    index = cell_of.ravel() * HOG_BINS + bins.ravel()
    hist = np.bincount(index, weights=magnitude.ravel(), minlength=cells * cells * HOG_BINS)
    hist = hist.reshape(cells, cells, HOG_BINS)
    blocks = [hist[r : r + 2, c : c + 2].ravel() for r in range(cells - 1) for c in range(cells - 1)]
    normed = [block / (np.linalg.norm(block) + 1e-6) for block in blocks]
    feature = np.concatenate(normed)
    return (feature / (np.linalg.norm(feature) + 1e-6)).astype(np.float32)


def drop_specks(ink: np.ndarray, min_area: int) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= min_area)
    keep = keep[keep > 0]
    return np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)


class DigitModel:
    """k-NN over rendered glyphs, in their principal components; `classify`
    restricted to one script."""

    def __init__(self, features: np.ndarray, labels: np.ndarray, mean: np.ndarray, components: np.ndarray) -> None:
        self.mean = mean.astype(np.float32)
        self.components = components.astype(np.float32)
        self.features = features.astype(np.float32)  # already projected
        self.labels = labels.astype(np.int16)
        self._norms = np.square(self.features).sum(axis=1)
        # How far a genuine digit lies from its nearest rendered neighbour (99th
        # percentile over a sample, itself left out): beyond it, a glyph is no digit.
        sample = self.features[:: max(1, len(self.features) // 400)]
        near = self._squared_projected(sample)
        near[near < 1e-6] = np.inf
        self.digit_distance = float(np.sqrt(np.percentile(near.min(axis=1), 99)))

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray) -> DigitModel:
        """Principal components of the rendered glyphs' features, then the model."""
        mean = features.mean(axis=0)
        _, vectors = np.linalg.eigh(np.cov((features - mean).T))
        components = vectors[:, ::-1][:, :PCA_DIMENSIONS]
        return cls((features - mean) @ components, labels, mean, components)

    def squared(self, features: np.ndarray) -> np.ndarray:
        """Squared distances from each glyph's features to every rendered glyph."""
        return self._squared_projected((features - self.mean) @ self.components)

    def _squared_projected(self, projected: np.ndarray) -> np.ndarray:
        own = np.square(projected).sum(axis=1)[:, None]
        return np.maximum(own + self._norms[None, :] - 2 * projected @ self.features.T, 0)

    def nearest(self, features: np.ndarray, squared: np.ndarray | None = None) -> np.ndarray:
        """Distance from each glyph to the closest rendered digit (`squared`: the
        glyphs' squared distances, when already computed)."""
        if len(features) == 0:
            return np.zeros(0)
        return np.sqrt((self.squared(features) if squared is None else squared).min(axis=1))

    def classify(
        self, features: np.ndarray, script: str | None = None, squared: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """(character, vote share 0..1) per glyph; `script` "thai" or "arabic" limits the
        digits to that script's (the symbols stay in both)."""
        if len(features) == 0:
            return []
        distances = self.squared(features) if squared is None else squared
        if script is not None:
            allowed = (THAI_LABELS if script == "thai" else ARABIC_LABELS)[self.labels]
            distances = np.where(allowed[None, :], distances, np.inf)
        nearest = np.argpartition(distances, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
        results = []
        for row, indices in enumerate(nearest):
            order = indices[np.argsort(distances[row, indices])]
            votes = np.bincount(self.labels[order], weights=1.0 / (1 + np.arange(len(order))), minlength=len(CLASSES))
            best = int(votes.argmax())
            results.append((CLASSES[best], float(votes[best] / votes.sum())))
        return results


def model_file() -> Traversable:
    """The packaged model file (a resource, so it also works from a zipped install)."""
    return resources.files("thaiplan.extract") / "data" / MODEL_FILE


def read_model(source: Path | BinaryIO) -> DigitModel:
    """A model saved by digit_training.save_model."""
    with np.load(source, allow_pickle=False) as data:
        return DigitModel(data["features"], data["labels"], data["mean"], data["components"])


@lru_cache(maxsize=1)
def load_model() -> DigitModel:
    """The model shipped in the package."""
    with model_file().open("rb") as handle:
        return read_model(handle)


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0..100, the weakest glyph's vote share
    digit_like: bool = True  # every glyph lies as close to a rendered digit as digits do


Glyph = tuple[tuple[int, int, int, int], np.ndarray]  # box (x0 y0 x1 y1) in the word, ink cropped to it


def segment(ink: np.ndarray, min_area: int) -> list[Glyph]:
    """Glyphs left to right, split at blank columns.

    Digits in a printed number stand apart, while a scan often breaks one
    digit into pieces (the loop of ๒ loses its stroke): columns keep the pieces
    together where connected components would not. Within a run of columns,
    pieces side by side are glyphs of their own (๔๗๘ in Garuda, `/7` in an
    italic), pieces over one another one glyph (a broken digit, the rings of %),
    and a comma or dot tucked under an italic digit its own glyph.
    """
    ink = drop_specks(ink, min_area)
    columns = np.flatnonzero(ink.any(axis=0))
    if columns.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(columns) > 1)
    starts = np.concatenate([[columns[0]], columns[breaks + 1]])
    ends = np.concatenate([columns[breaks], [columns[-1]]]) + 1
    glyphs: list[Glyph] = []
    for x0, x1 in zip(starts, ends):
        glyphs += _glyphs_in_run(_main_body(ink[:, x0:x1]), int(x0))
    tallest = max(box[3] - box[1] for box, _ in glyphs)
    return [piece for glyph in glyphs for piece in _split_touching(glyph, tallest)]


def _glyphs_in_run(part: np.ndarray, offset: int) -> list[Glyph]:
    """The glyphs of one run of inked columns (see `segment`)."""
    pieces = _components(part, offset)
    if len(pieces) == 1:
        return pieces
    height = max(box[3] - box[1] for box, _ in pieces)
    bottom = max(box[3] for box, _ in pieces)
    loose = [_loose_mark(piece, pieces, height, bottom) for piece in pieces]
    groups: list[list[int]] = []  # indices of pieces, one list per glyph
    for index, (box, _) in enumerate(pieces):
        for group in groups:
            if loose[group[0]] == loose[index] and any(_stacked(box, pieces[other][0]) for other in group):
                group.append(index)
                break
        else:
            groups.append([index])
    if part.shape[1] <= WIDE_GLYPH * height and len(groups) > 1 and _one_glyph(pieces, groups, loose, height):
        groups = [[i for i in range(len(pieces)) if not loose[i]], *([i] for i in range(len(pieces)) if loose[i])]
    glyphs = [_union([pieces[i] for i in group]) for group in groups]
    return sorted(glyphs, key=lambda glyph: glyph[0][0])


def _one_glyph(pieces: list[Glyph], groups: list[list[int]], loose: list[bool], height: int) -> bool:
    """A narrow run's side-by-side pieces are one glyph (a worn ๒ falls apart into a
    stroke and the rest) unless each stands a digit's height and, together, they
    resemble no rendered glyph (`/7` set close)."""
    tall = [max(pieces[i][0][3] for i in g) - min(pieces[i][0][1] for i in g) >= 0.6 * height for g in groups]
    if not all(tall[k] for k, g in enumerate(groups) if not loose[g[0]]):
        return True
    model = load_model()
    whole = _union([piece for piece, is_loose in zip(pieces, loose) if not is_loose])
    return bool(model.nearest(glyph_features(whole[1])[None])[0] <= model.digit_distance)


def _stacked(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Two pieces over one another: most of the narrower one's columns are the other's too."""
    overlap = min(a[2], b[2]) - max(a[0], b[0])
    return overlap >= 0.5 * min(a[2] - a[0], b[2] - b[0])


def _loose_mark(piece: Glyph, pieces: list[Glyph], height: int, bottom: int) -> bool:
    """A dot or comma after a digit (an italic's overhang shares its columns): the
    rightmost piece, small, in the lower part of the run, and clear of every other
    piece in its own rows."""
    (x0, y0, x1, y1), own = piece
    if any(box[0] >= x0 or box[2] > x1 for box, _ in pieces if box != piece[0]):
        return False  # only after the rest: the ball terminal of a 5 broken off on its left is no dot
    if y1 - y0 > 0.5 * height or x1 - x0 > 0.45 * height or y0 < bottom - 0.6 * height or _has_hole(own):
        return False  # a ring (of %, of a broken digit) is no dot
    clear = max(2, round(0.08 * height))
    for (ox0, oy0, ox1, oy1), mask in pieces:
        if (ox0, oy0, ox1, oy1) == (x0, y0, x1, y1):
            continue
        rows = mask[max(y0, oy0) - oy0 : max(0, min(y1, oy1) - oy0)]
        inked = np.flatnonzero(rows.any(axis=0)) + ox0
        if inked.size and inked[0] < x1 + clear and inked[-1] > x0 - clear:
            return False  # ink in the same rows close to it: a piece of that glyph
        if ox0 <= x0 and x1 <= ox1:
            return False  # inside another piece's columns (the lower ring of %): part of it
    return True


def _has_hole(mask: np.ndarray) -> bool:
    _, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    return hierarchy is not None and bool((hierarchy[0][:, 3] >= 0).any())


def _union(pieces: list[Glyph]) -> Glyph:
    x0, y0 = min(box[0] for box, _ in pieces), min(box[1] for box, _ in pieces)
    x1, y1 = max(box[2] for box, _ in pieces), max(box[3] for box, _ in pieces)
    if len(pieces) == 1:
        return pieces[0]
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    for (px0, py0, px1, py1), piece in pieces:
        mask[py0 - y0 : py1 - y0, px0 - x0 : px1 - x0] |= piece
    return (x0, y0, x1, y1), mask


def _split_touching(glyph: Glyph, tallest: int) -> list[Glyph]:
    """Digits a blurred scan joined (the tail of ๕ touching ๖): cut a full-height
    blob too wide for one digit at its thinnest column near the middle, again
    while a part is still too wide. A dash is low, so never cut."""
    (x0, y0, x1, y1), mask = glyph
    width, height = x1 - x0, y1 - y0
    if height < 0.75 * tallest or width <= TOUCHING * height or _is_bar(glyph[0], mask):
        return [glyph]
    ink = mask.astype(bool).sum(axis=0)
    low, high = int(0.3 * width), int(0.7 * width) + 1
    cut = low + int(np.argmin(ink[low:high]))
    pieces = []
    for a, b in ((0, cut), (cut, width)):
        part = mask[:, a:b]
        rows = np.flatnonzero(part.any(axis=1))
        if rows.size == 0:
            continue
        top, bottom = int(rows[0]), int(rows[-1]) + 1
        pieces += _split_touching(((x0 + a, y0 + top, x0 + b, y0 + bottom), part[top:bottom]), tallest)
    return pieces


def _components(part: np.ndarray, offset: int) -> list[Glyph]:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(part, connectivity=8)
    order = sorted(range(1, count), key=lambda index: stats[index, cv2.CC_STAT_LEFT])
    out = []
    for index in order:
        x, y, w, h, _ = stats[index]
        mask = np.where(labels[y : y + h, x : x + w] == index, 255, 0).astype(np.uint8)
        out.append(((offset + int(x), int(y), offset + int(x + w), int(y + h)), mask))
    return out


def _main_body(part: np.ndarray) -> np.ndarray:
    """The glyph without dust above or below it: only pieces level with the
    tallest one (a broken digit's pieces always are; so are the rings of %,
    whose slash is the tallest but not the largest piece)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(part, connectivity=8)
    if count <= 2:
        return part
    largest = 1 + int(np.lexsort((stats[1:, cv2.CC_STAT_AREA], stats[1:, cv2.CC_STAT_HEIGHT]))[-1])
    top = stats[largest, cv2.CC_STAT_TOP]
    bottom = top + stats[largest, cv2.CC_STAT_HEIGHT]
    keep = [
        index for index in range(1, count)
        if stats[index, cv2.CC_STAT_TOP] < bottom and stats[index, cv2.CC_STAT_TOP] + stats[index, cv2.CC_STAT_HEIGHT] > top
    ]  # fmt: skip
    return np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)


def read_number(ink: np.ndarray, hint: str, min_area: int = 4) -> Reading | None:
    """Re-read a numeric word (ink 255 on 0, cropped to the word's box).

    `hint` is tesseract's reading, used only for brackets at either end.
    None when nothing glyph-like is found.
    """
    glyphs = segment(ink, min_area)
    if not glyphs:
        return None
    glyphs = _cut_unknown(glyphs, load_model())
    bars = {i for i, (box, mask) in enumerate(glyphs) if _is_bar(box, mask)}
    # brackets (`1)`, `(๒)`): narrow glyphs at either end, measured against the rest
    ends = {i for i in (0, len(glyphs) - 1) if _narrow(glyphs[i][0]) and len(glyphs) > 1} - bars
    if len(ends) == 2 and len(glyphs) == 2:  # `1)`: of two narrow glyphs, the one reaching lower
        ends = {max(ends, key=lambda i: glyphs[i][0][3])}
    unbarred = [box for i, (box, _) in enumerate(glyphs) if i not in bars]
    if not unbarred:  # only a dash (`-` for nothing)
        return Reading("-" * len(glyphs), 90.0, True)
    core = [box for i, (box, _) in enumerate(glyphs) if i not in bars | ends]
    if not core or max(b[3] - b[1] for b in core) < 0.4 * max(b[3] - b[1] for b in unbarred):
        core, ends = unbarred, set()  # `1.1`: the narrow ends are digits, not brackets round a dot
    tallest = max(box[3] - box[1] for box in core)
    digit_like = [box for box in core if box[3] - box[1] >= 0.5 * tallest]
    ref_height = float(np.median([box[3] - box[1] for box in digit_like]))
    baseline = float(np.median([box[3] for box in digit_like]))
    chars: list[str | None] = []
    to_classify: list[np.ndarray] = []
    for position, (box, mask) in enumerate(glyphs):
        width, height = box[2] - box[0], box[3] - box[1]
        if position in bars:
            chars.append("-")
        # punctuation is small both ways (๑ ๓ ๕ stand only x-height, about 0.65 of a ๒ or ๖),
        # or narrow and in the lower half: a comma among Thai digits is nearly their height
        elif (
            height <= 0.4 * ref_height
            or (height <= 0.65 * ref_height and width <= 0.5 * ref_height)
            or (box[1] > baseline - 0.55 * ref_height and width <= 0.6 * ref_height)
        ):
            chars.append(_punctuation(box, ref_height, baseline))
        elif position in ends and (box[3] > baseline + 0.08 * ref_height or height > 1.15 * ref_height):
            # a bracket reaches below the digits' baseline
            chars.append(_bracket(hint, position, len(glyphs)) or ("(" if position == 0 else ")"))
        else:
            chars.append(None)
            to_classify.append(glyph_features(mask))
    model = load_model()
    digit_like = True
    if to_classify:
        stacked = np.stack(to_classify)
        squared = model.squared(stacked)  # once: the distances dominate a reading's cost
        digit_like = bool(np.all(model.nearest(stacked, squared) <= model.digit_distance))
        first = model.classify(stacked, squared=squared)
        thai_votes = sum(1 for char, _ in first if char in THAI_DIGITS)
        digit_votes = sum(1 for char, _ in first if char not in SYMBOLS)
        # Tesseract tells the scripts apart well even when it misreads the digit (no
        # digits in its reading, or none at all: the glyphs' own votes decide).
        hint_digits = sum(1 for c in hint if c.isdigit())
        thai_hint = hint_digits > 0 and sum(1 for char in hint if char in THAI_DIGITS) * 2 >= hint_digits
        script = "thai" if thai_votes * 2 >= digit_votes or thai_hint else "arabic"
        readings = iter(model.classify(stacked, script, squared))
    else:
        readings = iter(())
    shares: list[float] = []
    read: list[str] = []
    for char in chars:
        if char is None:
            char, share = next(readings)
            shares.append(share)
        read.append(char)
    spaces = _spaces([box for box, _ in glyphs], read)
    text = "".join(char + (" " if index in spaces else "") for index, char in enumerate(read))
    return Reading(text, round(100 * min(shares, default=0.9), 1), digit_like)


def _spaces(boxes: list[tuple[int, int, int, int]], chars: list[str]) -> set[int]:
    """Glyphs followed by a space (`100 %`, two years in one cell): a gap wide
    against the digits' pitch. Digits have one advance in a font (tabular), so
    the pitch is the distance of neighbouring digits' centres; a narrow `1`
    stands far from its neighbours yet at the same pitch, a space adds half a
    digit's advance. No neighbouring digits: the widest digit stands for it."""
    centres = [(box[0] + box[2]) / 2 for box in boxes]
    digit = [char in DIGIT_CHARS for char in chars]
    pitches = [centres[i + 1] - centres[i] for i in range(len(boxes) - 1) if digit[i] and digit[i + 1]]
    if pitches:
        pitch = float(np.median(pitches))
    else:
        widths = [box[2] - box[0] for box, is_digit in zip(boxes, digit) if is_digit]
        if not widths:
            return set()
        pitch = SOLO_PITCH * max(widths)
    return {
        i for i in range(len(boxes) - 1)
        if boxes[i + 1][0] - boxes[i][2] >= SPACE_GAP * pitch and centres[i + 1] - centres[i] >= SPACE_PITCH * pitch
        and chars[i] not in PUNCTUATION and chars[i + 1] not in PUNCTUATION  # a code's ๑.๑.๒ stays one
    }  # fmt: skip


def _cut_unknown(glyphs: list[Glyph], model: DigitModel) -> list[Glyph]:
    """Two glyphs a font sets touching (`/7` in Loma, `/๒` in Kinnari Bold): a
    full-height glyph like no rendered one, cut at a thin column where both
    halves are like rendered glyphs."""
    tallest = max(box[3] - box[1] for box, _ in glyphs)
    out: list[Glyph] = []
    for glyph in glyphs:
        (x0, y0, x1, y1), mask = glyph
        if y1 - y0 < 0.75 * tallest or x1 - x0 < CUT_MIN_WIDTH * (y1 - y0) or _is_bar(glyph[0], mask):
            out.append(glyph)
            continue
        if model.nearest(glyph_features(mask)[None])[0] <= CUT_UNLIKE * model.digit_distance:
            out.append(glyph)
            continue
        out += _best_cut(glyph, model) or [glyph]
    return out


def _best_cut(glyph: Glyph, model: DigitModel) -> list[Glyph] | None:
    (x0, y0, x1, y1), mask = glyph
    width = x1 - x0
    ink = mask.astype(bool).sum(axis=0)
    low, high = int(0.25 * width), int(0.75 * width) + 1
    for cut in low + np.argsort(ink[low:high], kind="stable")[:CUT_TRIES]:
        halves = []
        for a, b in ((0, int(cut)), (int(cut), width)):
            rows = np.flatnonzero(mask[:, a:b].any(axis=1))
            if rows.size == 0:
                break
            halves.append(((x0 + a, y0 + int(rows[0]), x0 + b, y0 + int(rows[-1]) + 1), mask[rows[0] : rows[-1] + 1, a:b]))
        if len(halves) == 2:
            features = np.stack([glyph_features(half) for _, half in halves])
            if np.all(model.nearest(features) <= CUT_HALF_LIKE * model.digit_distance):
                return halves
    return None


def _is_bar(box: tuple[int, int, int, int], mask: np.ndarray) -> bool:
    """A dash: a solid horizontal bar (digits fill well under half their box)."""
    width, height = box[2] - box[0], box[3] - box[1]
    return width >= 2.5 * height and np.count_nonzero(mask) >= 0.7 * mask.size


def _narrow(box: tuple[int, int, int, int]) -> bool:
    return box[2] - box[0] < 0.45 * (box[3] - box[1])


def _punctuation(box: tuple[int, int, int, int], ref_height: float, baseline: float) -> str:
    width, height = box[2] - box[0], box[3] - box[1]
    centre = (box[1] + box[3]) / 2
    if width >= 1.5 * height and centre < baseline - 0.2 * ref_height:
        return "-"
    # a comma is tall for its width; reaching below the baseline, a little taller already
    # (a round dot may sit low, as in Purisa)
    if height >= 1.6 * width or (box[3] > baseline + 0.12 * ref_height and height > 1.05 * width):
        return ","
    return "."


def _bracket(hint: str, position: int, count: int) -> str | None:
    if position == 0 and hint[:1] and hint[:1] in "([":  # ("" is in every string)
        return hint[0]
    if position == count - 1 and hint[-1:] and hint[-1:] in ")]":
        return hint[-1]
    return None
