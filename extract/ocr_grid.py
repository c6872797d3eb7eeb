"""Page geometry for OCR: binarise, deskew, find ruled tables and their cells.

Coordinates here are pixels of the deskewed page image, (x0, y0, x1, y1)
with x1/y1 exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PxBox = tuple[int, int, int, int]

MAX_SKEW_DEG = 3.0
SKEW_PROBE_WIDTH = 1000  # px; skew is measured on a downscaled copy (fast, still 0.05° precise)
LINE_KERNEL_FRACTION = 40  # a ruling line is at least 1/40 of the page's side
LINE_CLUSTER_PX = 10  # segments closer than this are one ruling line
BORDER_COVERAGE = 0.6  # share of an edge that must be inked for it to separate two grid cells
MIN_TABLE_FRACTION = 0.15  # a table is at least this share of the page's width and ... height / 3
HALF_SCALE_SIDE = 1200  # px; a page this large has its grid found at half size (rulings survive; 4x less work)


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: PxBox


@dataclass(frozen=True)
class GridTable:
    box: PxBox
    xs: tuple[int, ...]  # vertical rulings, left to right
    ys: tuple[int, ...]  # horizontal rulings, top to bottom
    cells: tuple[GridCell, ...]


def binarize(grey: np.ndarray) -> np.ndarray:
    """Ink as 255, paper as 0 (Otsu after a light blur that swallows sensor noise)."""
    smooth = cv2.GaussianBlur(grey, (3, 3), 0)
    _, binary = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


# A solid dark area at least this many inches on both sides, filled to this share of its
# box: a scanner's border or lid shadow, a redaction bar, never a glyph (a bold glyph
# has counters and is a tenth of an inch). Tesseract reads such an area as `-` or `|`.
SOLID_MIN_INCH = 0.25
SOLID_FILL = 0.97


def without_solid_areas(grey: np.ndarray, binary: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray, int]:
    """`grey` and `binary` with every solid dark area painted as paper, and how many there were
    (the arrays themselves when there are none)."""
    side = max(8, round(SOLID_MIN_INCH * dpi))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    solid = (widths >= side) & (heights >= side) & (stats[1:, cv2.CC_STAT_AREA] >= SOLID_FILL * widths * heights)
    found = np.flatnonzero(solid) + 1
    if not found.size:
        return grey, binary, 0
    area = np.isin(labels, found)
    # The area grown by a few pixels: its grey fringe, which binarisation left out, would read as a stroke.
    area = cv2.dilate(area.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    grey, binary = grey.copy(), binary.copy()
    grey[area] = paper_level(grey, binary)
    binary[area] = 0
    return grey, binary, int(found.size)


def estimate_skew(binary: np.ndarray) -> float:
    """Angle in degrees that makes text lines and rulings horizontal.

    Projection profile: rotate a downscaled copy and keep the angle whose row
    sums are most peaked (text lines and ruling lines both sharpen).
    """
    scale = min(1.0, SKEW_PROBE_WIDTH / binary.shape[1])
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if cv2.countNonZero(small) < 50:
        return 0.0
    smaller = cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)  # the coarse search, 4x cheaper

    def score(image: np.ndarray, angle: float) -> float:
        rows = _rotate(image, angle, 0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    coarse = np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.25)
    best = max(coarse, key=lambda angle: score(smaller, angle))
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return round(float(max(fine, key=lambda angle: score(small, angle))), 2)


def _rotate(image: np.ndarray, angle: float, fill: int) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )  # fmt: skip


def deskew(grey: np.ndarray, binary: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """The page turned straight, and the angle it was turned by (`binary`: the
    page already binarised)."""
    angle = estimate_skew(binarize(grey) if binary is None else binary)
    if abs(angle) < 0.05:
        return grey, 0.0
    return _rotate(grey, angle, 255), angle


def page_grid(binary: np.ndarray) -> tuple[list[GridTable], np.ndarray]:
    """The page's ruled tables and a mask of their rulings, in the page's pixels.

    A large page is measured at half size: a 2x2 block with any ink stays ink, so
    a one-pixel ruling survives, and boxes come back within a pixel.
    """
    height, width = binary.shape
    if min(height, width) < HALF_SCALE_SIDE:
        horizontal, vertical = ruling_masks(binary)
        tables = find_tables(binary, horizontal, vertical)
        return tables, grid_rulings(horizontal, vertical, tables)
    small = cv2.resize(binary, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    small = np.where(small > 0, 255, 0).astype(np.uint8)
    horizontal, vertical = ruling_masks(small, mend=False)  # mending at half size joins a text line into a rule
    tables = find_tables(small, horizontal, vertical)
    rulings = cv2.resize(grid_rulings(horizontal, vertical, tables), (width, height), interpolation=cv2.INTER_NEAREST)
    return [_doubled(table) for table in tables], rulings


def _doubled(table: GridTable) -> GridTable:
    def box(b: PxBox) -> PxBox:
        return (2 * b[0], 2 * b[1], 2 * b[2], 2 * b[3])

    cells = tuple(GridCell(c.row, c.col, c.row_span, c.col_span, box(c.box)) for c in table.cells)
    return GridTable(box(table.box), tuple(2 * x for x in table.xs), tuple(2 * y for y in table.ys), cells)


def ruling_masks(binary: np.ndarray, mend: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines (morphological opening with long kernels).
    `mend`: close one-pixel scan gaps first (a half-size page needs not: halving did)."""
    height, width = binary.shape
    side = min(height, width)
    length = max(20, side // LINE_KERNEL_FRACTION)
    bridged = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)) if mend else binary
    horizontal = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horizontal, vertical


def find_tables(binary: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray) -> list[GridTable]:
    """Ruled tables on the page, top to bottom, each with its merged cells."""
    height, width = binary.shape
    joined = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    tables: list[GridTable] = []
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        if w < MIN_TABLE_FRACTION * width or h < MIN_TABLE_FRACTION * height / 3:
            continue
        table = _grid(horizontal, vertical, (int(x), int(y), int(x + w), int(y + h)))
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.box[1])


def _positions(mask: np.ndarray, axis: int, min_length: int, min_total: int, min_longest: int) -> list[int]:
    """Centres of ruling lines along `axis` (0: y of horizontal lines, 1: x of vertical).

    A ruling's segments must add up to `min_total` and one must reach
    `min_longest`: a tall glyph (โ) makes a short vertical run, and the same
    glyph starting several lines of a cell makes several.
    """
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    centres: list[tuple[int, int]] = []
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        length, thick_start, thick = (w, y, h) if axis == 0 else (h, x, w)
        if length >= min_length:
            centres.append((int(thick_start + thick // 2), int(length)))
    centres.sort()
    merged: list[list[int]] = []  # centre, total length, longest segment
    for centre, length in centres:
        if merged and centre - merged[-1][0] <= LINE_CLUSTER_PX:
            total = merged[-1][1] + length
            mean = round((merged[-1][0] * merged[-1][1] + centre * length) / total)
            merged[-1] = [mean, total, max(merged[-1][2], length)]
        else:
            merged.append([centre, length, length])
    return [centre for centre, total, longest in merged if total >= min_total and longest >= min_longest]


def _coverage(mask: np.ndarray, fixed: int, start: int, end: int, vertical: bool) -> float:
    """Share of the edge from start to end at `fixed` that has ruling ink (±3 px)."""
    margin = max(2, (end - start) // 10)
    start, end = start + margin, end - margin
    if end <= start:
        return 1.0
    if vertical:
        band = mask[start:end, max(0, fixed - 3) : fixed + 4]
        return float(np.count_nonzero(band.max(axis=1))) / (end - start)
    band = mask[max(0, fixed - 3) : fixed + 4, start:end]
    return float(np.count_nonzero(band.max(axis=0))) / (end - start)


def _grid(horizontal: np.ndarray, vertical: np.ndarray, box: PxBox) -> GridTable | None:
    x0, y0, x1, y1 = box
    h_part = horizontal[y0:y1, x0:x1]
    v_part = vertical[y0:y1, x0:x1]
    min_cell = max(15, min(x1 - x0, y1 - y0) // 60)
    side = min(horizontal.shape)
    ys = _positions(h_part, 0, max(min_cell, (x1 - x0) // 20), (x1 - x0) // 10, side // 15)
    xs = _positions(v_part, 1, max(min_cell, (y1 - y0) // 40), (y1 - y0) // 6, side // 15)
    if len(xs) < 2 or len(ys) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and _coverage(v_part, xs[c + 1], ys[r], ys[r + 1], True) < BORDER_COVERAGE:
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and _coverage(h_part, ys[r + 1], xs[c], xs[c + 1], False) < BORDER_COVERAGE:
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
        c0, c1 = min(c for _, c in members), max(c for _, c in members)
        cell_box = (x0 + xs[c0], y0 + ys[r0], x0 + xs[c1 + 1], y0 + ys[r1 + 1])
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, cell_box))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return GridTable(
        box=(x0 + xs[0], y0 + ys[0], x0 + xs[-1], y0 + ys[-1]),
        xs=tuple(x0 + x for x in xs),
        ys=tuple(y0 + y for y in ys),
        cells=tuple(cells),
    )


def grid_rulings(horizontal: np.ndarray, vertical: np.ndarray, tables: list[GridTable]) -> np.ndarray:
    """Only the ruling segments that lie on a table's grid lines.

    The opened masks also hold tall glyph strokes (โ ไ ใ are ~1.5 text lines
    high); painting those over would cut the letters out of the cells.
    """
    out = np.zeros_like(horizontal)
    for mask, vertical_lines in ((horizontal, False), (vertical, True)):
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        keep = np.zeros(count, bool)
        for table in tables:
            x0, y0, x1, y1 = table.box
            lines = np.array(table.xs if vertical_lines else table.ys)
            for index in range(1, count):
                x, y, w, h, _ = stats[index]
                if x + w < x0 - 5 or x > x1 + 5 or y + h < y0 - 5 or y > y1 + 5:
                    continue
                centre = x + w / 2 if vertical_lines else y + h / 2
                if np.min(np.abs(lines - centre)) <= LINE_CLUSTER_PX:
                    keep[index] = True
        out[keep[labels]] = 255  # one pass over the page, not one per segment
    return cv2.dilate(out, np.ones((3, 3), np.uint8))


def clean_crop(
    grey: np.ndarray, binary: np.ndarray, rulings: np.ndarray, box: PxBox, inset: int, min_area: int
) -> np.ndarray | None:
    """A cell's grey image with its borders and specks painted over in the
    paper's colour, padded for tesseract; None when the cell holds no ink.

    Tesseract is given grey, not our binarisation: its own thresholding keeps
    thin Thai strokes (the loop of ใ) that a global Otsu breaks.
    """
    x0, y0, x1, y1 = box
    window = (slice(y0 + inset, y1 - inset), slice(x0 + inset, x1 - inset))
    return clean_region(grey[window], binary[window], rulings[window], min_area)


def clean_region(grey: np.ndarray, binary: np.ndarray, rulings: np.ndarray, min_area: int) -> np.ndarray | None:
    if grey.size == 0:
        return None
    kept = remove_specks(cv2.bitwise_and(binary, cv2.bitwise_not(rulings)), min_area)
    if not np.count_nonzero(kept):
        return None
    paper = paper_level(grey, binary)
    # Only the kept ink and its halo (where a thin stroke's grey lies) stay: the grey
    # fringe of a ruling or a speck, which binarisation left out, reads as ] ' or ก.
    halo = cv2.dilate(kept, np.ones((5, 5), np.uint8))
    clean = grey.copy()
    clean[halo == 0] = paper
    x0, y0, x1, y1 = ink_box(halo) or (0, 0, clean.shape[1], clean.shape[0])
    clean = clean[y0:y1, x0:x1]  # only the inked part: tesseract's time grows with the area it scans
    return cv2.copyMakeBorder(clean, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=paper)


def paper_level(grey: np.ndarray, binary: np.ndarray) -> int:
    background = grey[binary == 0]
    if not background.size:
        return 255
    counts = np.bincount(background.ravel(), minlength=256).cumsum()  # the median by histogram: no sort
    return int(np.searchsorted(counts, (counts[-1] + 1) // 2))


def remove_specks(ink: np.ndarray, min_area: int) -> np.ndarray:
    """Drop connected components smaller than `min_area` pixels (scanner dust)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < min_area)
    small = small[small > 0]
    if small.size:
        ink = ink.copy()
        ink[np.isin(labels, small)] = 0
    return ink


def ink_box(ink: np.ndarray) -> PxBox | None:
    """Bounding box of the ink (255) in a mask, or None."""
    points = cv2.findNonZero(ink)
    if points is None:
        return None
    x, y, w, h = cv2.boundingRect(points)
    return (x, y, x + w, y + h)
