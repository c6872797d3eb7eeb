"""Evaluate normalize.wraps: hand-labelled seed cells and synthetic wrapped copies.

Synthetic copies: genuine Thai texts (with their real spaces) from a real Word
document (tests/data/real/devplan-2556-2558.doc, converted to DOCX with
LibreOffice), laid out greedily into lines of a column width by an independent
line breaker (ICU's Thai line breaker or libthai, both via ctypes; never
pythainlp, which the decider uses) with advance widths from a TLWG font the
decider does not measure with (Garuda, Norasi, Loma, Kinnari), then copied the
way a PDF text copy does it: every line end becomes one space.

    python bench/wraps_eval.py generate   # writes wraps_synth_all.tsv in the temp folder and tests/data/wraps_synth.tsv
    python bench/wraps_eval.py eval       # accuracy (tune / held-out halves) and timings
"""

from __future__ import annotations

import ctypes
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.wraps_truth import read_columns, score  # noqa: E402

SOURCE_DOC = ROOT / "tests" / "data" / "real" / "devplan-2556-2558.doc"  # see its SOURCES.md
FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
LAYOUT_FONTS = ("Garuda", "Norasi", "Loma", "Kinnari")
ALL_TSV = Path(tempfile.gettempdir()) / "wraps_synth_all.tsv"  # every generated cell: too many to ship
SHIPPED_TSV = ROOT / "tests" / "data" / "wraps_synth.tsv"
SEED_TSV = ROOT / "tests" / "data" / "wraps_seed_truth.tsv"
# Column widths in average Thai glyphs (mission, item, dimension columns).
COLUMN_KINDS = {"mission": (25, 35), "item": (22, 30), "dimension": (12, 15)}
_THAI = re.compile("[\u0e01-\u0e2e]")


def docx_texts(doc: Path = SOURCE_DOC) -> list[str]:
    """Paragraph and cell texts of the real document: the genuine spaces we test against."""
    import docx
    from docx.oxml.ns import qn

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "docx", "--outdir", tmp, str(doc)],
            check=True,
            capture_output=True,
        )
        document = docx.Document(str(Path(tmp) / (doc.stem + ".docx")))
    texts = []
    for para in document.element.body.iter(qn("w:p")):
        raw = "".join(el.text or "" for el in para.iter(qn("w:t")))
        text = raw.replace("\xa0", " ").strip(" \t")
        if "\t" in text or len(text) < 15 or len(_THAI.findall(text)) < 0.6 * len(text.replace(" ", "")):
            continue
        texts.append(re.sub(" +", " ", text))
    return texts


def chunks(texts: Sequence[str], rng: random.Random) -> Iterator[str]:
    """Cut long paragraphs at genuine spaces into cell-sized texts (15-200 chars)."""
    for text in texts:
        words = text.split(" ")
        current: list[str] = []
        target = rng.randint(40, 200)
        for word in words:
            current.append(word)
            if sum(map(len, current)) >= target:
                yield " ".join(current)
                current, target = [], rng.randint(40, 200)
        if current and sum(map(len, current)) >= 15:
            yield " ".join(current)


class Breaker:
    """Thai line-break opportunities from ICU or libthai (not pythainlp)."""

    def __init__(self) -> None:
        self.icu = ctypes.CDLL("libicuuc.so.72")
        self.icu.ubrk_open_72.restype = ctypes.c_void_p
        self.icu.ubrk_open_72.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_void_p,
            ctypes.c_int32,
            ctypes.POINTER(ctypes.c_int),
        ]
        self.icu.ubrk_next_72.argtypes = [ctypes.c_void_p]
        self.icu.ubrk_next_72.restype = ctypes.c_int32
        self.icu.ubrk_close_72.argtypes = [ctypes.c_void_p]
        self.thai = ctypes.CDLL("libthai.so.0")
        self.thai.th_brk_new.restype = ctypes.c_void_p
        self.thai.th_brk_new.argtypes = [ctypes.c_char_p]
        self.thai.th_brk_find_breaks.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_size_t,
        ]
        self.brk = self.thai.th_brk_new(None)

    def breaks(self, text: str, engine: str) -> list[int]:
        """Offsets where a line may break (before text[i])."""
        if engine == "icu":
            data = text.encode("utf-16-le")
            buf = ctypes.create_string_buffer(data, len(data) + 2)
            status = ctypes.c_int(0)
            it = self.icu.ubrk_open_72(2, b"th", buf, len(text), ctypes.byref(status))
            out = []
            while (pos := self.icu.ubrk_next_72(it)) != -1:
                out.append(pos)
            self.icu.ubrk_close_72(it)
            return [p for p in out if 0 < p < len(text)]
        enc = text.encode("cp874", errors="replace")
        arr = (ctypes.c_int * (len(text) + 1))()
        n = self.thai.th_brk_find_breaks(self.brk, enc, arr, len(text) + 1)
        return [p for p in arr[:n] if 0 < p < len(text)]


def layout(text: str, width: float, measure: Callable[[str], float], cuts: list[int]) -> list[str]:
    """Greedy line filling: break at the last opportunity that still fits."""
    pieces, last = [], 0
    for cut in [*cuts, len(text)]:
        pieces.append(text[last:cut])
        last = cut
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and measure((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    lines.append(line.rstrip())
    return [ln for ln in lines if ln]


def generate(per_column: int = 30, seed: int = 7) -> None:
    """Write the synthetic set: column_id, kind, font, engine, copy, truth.

    Texts are split in two halves first (even column ids: tuning, odd: held out);
    each text is laid out in two different columns (width, font, breaker).
    """
    from PIL import ImageFont

    rng = random.Random(seed)
    texts = [t for t in dict.fromkeys(chunks(docx_texts(), rng)) if len(t) >= 25]
    rng.shuffle(texts)
    breaker = Breaker()
    rows = []
    col = 0
    for half in (0, 1):
        mine = texts[half::2]
        for copy_no in range(2):
            order = mine[:]
            random.Random(seed + copy_no).shuffle(order)
            for start in range(0, len(order), per_column):
                cells = order[start : start + per_column]
                cid = col * 2 + half
                col += 1
                kind = rng.choice(list(COLUMN_KINDS))
                font_name = LAYOUT_FONTS[col % len(LAYOUT_FONTS)]
                engine = "icu" if col % 3 else "libthai"
                font = ImageFont.truetype(str(FONT_DIR / f"{font_name}.ttf"), 100)
                glyph = font.getlength("กขคมนบปอ") / 8
                width = glyph * rng.uniform(*COLUMN_KINDS[kind])
                if kind == "dimension":
                    cells = [" ".join(c.split(" ")[:2]) for c in cells]
                for cell in cells:
                    lines = layout(cell, width, font.getlength, breaker.breaks(cell, engine))
                    rows.append((f"c{cid:03d}", kind, font_name, engine, " ".join(lines), cell))
    ALL_TSV.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    held = [r for r in rows if int(r[0][1:]) % 2 == 1]
    keep_cols = sorted({r[0] for r in held})[:6]
    shipped = [r for r in held if r[0] in keep_cols]
    SHIPPED_TSV.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# generated by bench/wraps_eval.py generate from {SOURCE_DOC.relative_to(ROOT)} "
        "(texts with genuine spaces; ICU/libthai breaks; TLWG font widths)\n"
    )
    SHIPPED_TSV.write_text(header + "".join("\t".join(r) + "\n" for r in shipped), encoding="utf-8")
    print(f"{len(rows)} cells in {len({r[0] for r in rows})} columns -> {ALL_TSV}; {len(shipped)} shipped")


def report(name: str, cols: dict[str, list[tuple[str, str]]], show: int = 0) -> None:
    """Print accuracy and the keep-every-space baseline."""
    from thaiplan.normalize.wraps import rebuild_column

    right, base, total = score(cols, rebuild_column, show)
    print(f"{name}: {right}/{total} = {right / max(total, 1):.3f} (baseline keep-all {base / max(total, 1):.3f})")


def seed_columns() -> dict[str, list[str]]:
    """The seed's dimension, mission and item columns as rebuild_column gets them."""
    cols: dict[str, list[str]] = defaultdict(list)
    for line in SEED_TSV.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            col, raw, _ = line.split("\t")
            cols[col].append(raw)
    return cols


def timings() -> None:
    """Cold (fresh caches) and warm timings over the seed's columns."""
    import thaiplan.normalize.wraps as wraps

    cols = seed_columns()
    wraps.rebuild_column(["การสร้าง สังคม"])  # load dictionary and font
    wraps.clear_caches()
    t0 = time.perf_counter()
    for cells in cols.values():
        wraps.rebuild_column(cells)
    cold = time.perf_counter() - t0
    runs = 20
    t0 = time.perf_counter()
    for _ in range(runs):
        for cells in cols.values():
            wraps.rebuild_column(cells)
    warm = (time.perf_counter() - t0) / runs
    n = sum(map(len, cols.values()))
    print(f"timings over {n} seed cells: cold {cold * 1000:.1f} ms, warm {warm * 1000:.2f} ms")


def main(argv: Sequence[str]) -> None:
    """generate | eval [show]"""
    if argv and argv[0] == "generate":
        generate()
        return
    show = int(argv[1]) if len(argv) > 1 else 0
    report("seed hand-labelled", read_columns(SEED_TSV), show)
    cols = read_columns(ALL_TSV)
    report("synthetic tune (even columns)", {k: v for k, v in cols.items() if int(k[1:]) % 2 == 0}, show)
    report("synthetic held-out (odd columns)", {k: v for k, v in cols.items() if int(k[1:]) % 2 == 1})
    report("synthetic shipped (tests/data)", read_columns(SHIPPED_TSV))
    timings()


if __name__ == "__main__":
    main(sys.argv[1:])
