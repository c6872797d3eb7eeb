"""The text layer, measured (issue 14): how often each rule of extract/pdf_layer.py
fires, what `thaiplan text` makes of an Acrobat volume against pypdfium2's own
text, and what the per-page layer check costs.

    python bench/text_layer_bench.py [--real DIR] [--cost]

DIR holds the real PDFs (default tests/data/real). For every PDF there: pages
per (read_by, rule). For budget2565_doc3_vol14.pdf: the share of one-letter
words (a token of one base character, its marks aside) and the U+FFFD count in
`thaiplan text` and in `PdfTextPage.get_text_bounded()` of the same pages, the
glyphs without Unicode per repair route (extract/pdf_repair.py) and the repairs' CPU time.
With --cost: extract.pdf.read on devplan-2556-2558.pdf and the Acrobat volume,
with and without the checks of pdf_layer.judge (timed inside the read), and the
checks' share of the read. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACROBAT = "budget2565_doc3_vol14.pdf"
COST_FILES = ("devplan-2556-2558.pdf", ACROBAT)


def one_letter_share(text: str) -> tuple[float, int]:
    """(share of one-letter words, words): a word is a whitespace-separated token with a
    Thai or Latin letter in it (a `-` cell is none); one-letter if at most one of its
    letters is not a mark (`า`, `ย`, a stray `ิ`)."""
    import re

    from thaiplan.extract.pdf_chars import MARKS

    letter = re.compile("[a-zA-Z\u0e01-\u0e4e]")
    words = [t for t in text.split() if letter.search(t)]
    single = sum(1 for t in words if sum(1 for ch in t if letter.match(ch) and ch not in MARKS) <= 1)
    return single / max(1, len(words)), len(words)


def pdfium_text(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        parts = []
        for page in document:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        document.close()


def rules(folder: Path, settings: object) -> None:
    from thaiplan.extract import pdf

    total: collections.Counter[tuple[str, str]] = collections.Counter()
    for path in sorted(folder.glob("*.pdf")):
        raw = pdf.read(path, settings)  # type: ignore[arg-type]
        counts = collections.Counter((r.read_by, r.rule) for r in raw.page_reads)
        total.update(counts)
        print(
            f"{path.name}: {raw.pages} pages: "
            + ", ".join(f"{by}/{rule} {n}" for (by, rule), n in counts.most_common())
        )
    print("all: " + ", ".join(f"{by}/{rule} {n}" for (by, rule), n in total.most_common()))


def acrobat(folder: Path, settings: object) -> None:
    from thaiplan.extract import pdf_repair
    from thaiplan.textdump import dump_text

    path = folder / ACROBAT
    routes: collections.Counter[str] = collections.Counter()
    spent = [0.0]
    repair_page, repair_unmapped = pdf_repair.repair_page, pdf_repair.repair_unmapped

    def timed(*args: object) -> object:  # CPU time of the repairs (the routes' work, OCR's process aside)
        start = time.process_time()
        try:
            return repair_page(*args)  # type: ignore[arg-type]
        finally:
            spent[0] += time.process_time() - start

    def counted(*args: object, **kwargs: object) -> object:
        result = repair_unmapped(*args, **kwargs)  # type: ignore[arg-type]
        routes.update(result.routes)
        return result

    pdf_repair.repair_page, pdf_repair.repair_unmapped = timed, counted  # type: ignore[assignment]
    try:
        start = time.process_time()
        text = dump_text(path, settings)  # type: ignore[arg-type]
        whole = time.process_time() - start
    finally:
        pdf_repair.repair_page, pdf_repair.repair_unmapped = repair_page, repair_unmapped  # type: ignore[assignment]
    ours = "\n".join(line for line in text.splitlines() if not line.startswith(("=== page", "# ")))
    theirs = pdfium_text(path)
    for name, text in (("thaiplan text", ours), ("pypdfium2 get_text_bounded", theirs)):
        share, tokens = one_letter_share(text)
        print(f"{ACROBAT}: {name}: {tokens} words, one-letter {share:.2%}, U+FFFD {text.count(chr(0xFFFD))}")
    print(f"{ACROBAT}: {sum(routes.values())} glyphs without Unicode, by route: "
          + ", ".join(f"{route} {routes[route]}" for route in pdf_repair.ROUTES)
          + f"; repairs {spent[0]:.2f} s CPU of the text's {whole:.2f} s")


def cost(folder: Path, settings: object) -> None:
    """The checks' and the repairs' CPU time against the read's and against the whole
    conversion's (`thaiplan convert -j 1`, its start-up subtracted: the acceptance's measure)."""
    from pdf_engines_bench import TINY, best_convert

    from thaiplan.extract import pdf, pdf_layer, pdf_repair

    judge, repair_page = pdf_layer.judge, pdf_repair.repair_page
    spent = {"judge": 0.0, "repairs": 0.0}

    def timing(func, what):  # type: ignore[no-untyped-def]  # CPU time: the machine is shared, wall time is noise
        def timed(*args: object) -> object:
            start = time.process_time()
            try:
                return func(*args)
            finally:
                spent[what] += time.process_time() - start

        return timed

    startup = best_convert(TINY, "pdfium", 2)[0].cpu
    for name in COST_FILES:
        path = folder / name
        pdf.read(path, settings)  # type: ignore[arg-type]  # warm: the word list, the tokenizer
        spent.update(judge=0.0, repairs=0.0)
        pdf.judge, pdf_repair.repair_page = timing(judge, "judge"), timing(repair_page, "repairs")  # type: ignore[assignment]
        try:
            start = time.process_time()
            pdf.read(path, settings)  # type: ignore[arg-type]
            whole = time.process_time() - start
        finally:
            pdf.judge, pdf_repair.repair_page = judge, repair_page  # type: ignore[assignment]
        converted = best_convert(path, "pdfium", 2)[0].cpu - startup
        check = spent["judge"] - spent["repairs"]
        print(f"{name}: read {whole:.2f} s CPU, conversion {converted:.2f} s CPU (start-up {startup:.2f} s aside); "
              f"layer check {check:.2f} s = {check / whole:.1%} of the read, {check / converted:.1%} of the conversion; "
              f"glyph repairs {spent['repairs']:.2f} s = {spent['repairs'] / converted:.1%} of the conversion")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--real", type=Path, default=ROOT / "tests" / "data" / "real")
    parser.add_argument("--cost", action="store_true")
    args = parser.parse_args()
    from thaiplan.settings import Settings

    settings = Settings()
    no_ocr = replace(settings, pdf=replace(settings.pdf, ocr=False))  # the verdicts, without OCR's minutes
    rules(args.real, no_ocr)
    acrobat(args.real, no_ocr)
    if args.cost:
        cost(args.real, no_ocr)


if __name__ == "__main__":
    main()
