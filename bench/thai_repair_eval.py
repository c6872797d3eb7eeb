"""How much of a Word document's Thai text the PDF reader recovers.

    python bench/thai_repair_eval.py [PDF] [DOC]

The reference is the Word twin converted to text by LibreOffice. Both texts are
cut into words with pythainlp's newmm; Thai-letter tokens only, as multisets.
Recovery = the share of the reference's words found in the PDF's words
(multiset intersection). Baselines: pdfplumber's and pypdfium2's raw text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL = ROOT / "tests" / "data" / "real"  # see its SOURCES.md
THAI_WORD = re.compile(r"^[\u0e01-\u0e4e]+$")


def words(text: str) -> Counter[str]:
    from pythainlp.tokenize import word_tokenize

    return Counter(w for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if THAI_WORD.match(w))


def reference_text(doc: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
             "txt:Text (encoded):UTF8", "--outdir", tmp, str(doc)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return (Path(tmp) / (doc.stem + ".txt")).read_text(encoding="utf-8-sig")


def recovery(reference: Counter[str], got: Counter[str]) -> float:
    return sum((reference & got).values()) / max(1, sum(reference.values()))


def pdfplumber_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def pdfium_text(pdf: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def main() -> None:
    pdf = Path(sys.argv[1]) if len(sys.argv) > 1 else REAL / "devplan-2556-2558.pdf"
    doc = Path(sys.argv[2]) if len(sys.argv) > 2 else REAL / "devplan-2556-2558.doc"
    from thaiplan.textdump import dump_text

    reference = words(reference_text(doc))
    print(f"reference: {sum(reference.values())} Thai words ({len(reference)} distinct)")
    for name, source in (("pdfplumber raw", pdfplumber_text), ("pypdfium2 raw", pdfium_text),
                         ("thaiplan dump_text", dump_text)):  # fmt: skip
        start = time.perf_counter()
        text = source(pdf)
        got = words(text)
        print(f"{name:20s} {recovery(reference, got):6.1%}  ({time.perf_counter() - start:.1f} s)")
    missing = reference - got
    print("most missed by thaiplan:", ", ".join(f"{w}×{n}" for w, n in missing.most_common(40)))
    extra = got - reference
    print("most surplus in thaiplan:", ", ".join(f"{w}×{n}" for w, n in extra.most_common(40)))


if __name__ == "__main__":
    main()
