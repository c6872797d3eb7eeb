"""Build the data files thaiplan ships, so its results never depend on the
fonts of the machine it runs on:

    normalize/data/glyph_widths.json   advance widths of TLWG Laksaman (wrap decisions)
    extract/data/thai_digits.npz       the Thai-digit recogniser (glyphs of named fonts)

    .venv/bin/python scripts/build_data.py [--no-eval]

Needs Debian's fonts-thai-tlwg and the `build` extra (pip install -e '.[build]',
for fontpkg-sarabun); a missing font stops it with a message saying so. The
output depends only on those fonts and the code: one seed, a fixed font list
and order, zip entries without timestamps. It then measures the recogniser on
fonts it was not trained on (leave one family out, and Sarabun faces outside
the training set); --no-eval skips that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from PIL import ImageFont

from thaiplan.extract import digit_training as training
from thaiplan.extract.thai_digits import CLASSES, DigitModel, read_model
from thaiplan.normalize.wraps_width import COMBINING

ROOT = Path(__file__).resolve().parents[1]
WIDTHS_OUT = ROOT / "normalize" / "data" / "glyph_widths.json"
MODEL_OUT = ROOT / "extract" / "data" / "thai_digits.npz"
WIDTH_FONT = "Laksaman"  # metric-compatible with TH SarabunPSK, which most plans use
WIDTH_PX = 100
# What a plan's text holds: Thai, ASCII, and the quotes and dashes word processors put in.
MEASURED = (
    [chr(c) for c in range(0x0E01, 0x0E5C)]
    + [chr(c) for c in range(0x20, 0x7F)]
    + list("\u201c\u201d\u2018\u2019\u2013\u2014\u2026")
)
# Sarabun faces the model is not trained on: unseen weights of the plans' own typeface.
UNSEEN_SARABUN = ("Thin", "ThinItalic", "ExtraLight", "ExtraLightItalic", "LightItalic", "MediumItalic",
                  "SemiBoldItalic", "ExtraBold", "ExtraBoldItalic")  # fmt: skip
TEST_SEED = 1  # degradations unlike the training set's


def measure_widths(path: Path) -> dict[str, float]:
    """Advance of each MEASURED character in units of ก's; combining marks 0."""
    font = ImageFont.truetype(str(path), WIDTH_PX)
    unit = font.getlength("ก") or 1.0
    return {ch: (0.0 if ch in COMBINING else font.getlength(ch) / unit) for ch in MEASURED}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_widths() -> None:
    (path,) = training.tlwg_fonts((WIDTH_FONT,))
    widths = measure_widths(path)
    document = {
        "about": "advance widths for wrap decisions, in units of the advance of ก; built by scripts/build_data.py",
        "font": path.name,
        "font_sha256": sha256(path),
        "size_px": WIDTH_PX,
        "widths": widths,
    }
    WIDTHS_OUT.parent.mkdir(parents=True, exist_ok=True)
    WIDTHS_OUT.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    sample = ", ".join(f"{ch!r} {widths[ch]:.3f}" for ch in "กมาำ ๑1")
    print(f"{WIDTHS_OUT.relative_to(ROOT)}: {len(widths)} characters from {path.name} ({sample})")


def build_model(fonts: list[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    start = time.perf_counter()
    features, labels, origin = training.training_set(fonts)
    training.save_model(DigitModel.fit(features, labels), MODEL_OUT)
    inputs = hashlib.sha256("".join(sha256(path) for path in fonts).encode()).hexdigest()[:16]
    print(f"{MODEL_OUT.relative_to(ROOT)}: {len(labels)} glyphs from {len(fonts)} fonts (fonts' sha256 {inputs}),"
          f" {MODEL_OUT.stat().st_size / 1e6:.2f} MB, sha256 {sha256(MODEL_OUT)[:16]},"
          f" {time.perf_counter() - start:.0f} s")  # fmt: skip
    return features, labels, origin


def accuracy(model: DigitModel, features: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Share read right over all classes, and within the glyph's own script
    (read_number picks the script first, from tesseract and the votes)."""
    free = np.array([CLASSES.index(char) for char, _ in model.classify(features)]) == labels
    thai = labels < 10
    scripted = np.empty(len(labels), bool)
    for script, mask in (("thai", thai), ("arabic", ~thai)):
        got = model.classify(features[mask], script)
        scripted[mask] = np.array([CLASSES.index(char) for char, _ in got]) == labels[mask]
    return float(free.mean()), float(scripted.mean())


def family(path: Path) -> str:
    return path.stem.split("-")[0]


def held_out(fonts: list[Path], features: np.ndarray, labels: np.ndarray, origin: np.ndarray,
             by_family: bool, within: set[str] | None = None) -> tuple[float, float]:  # fmt: skip
    """Each font (or family) read by a model fitted on all the others; `within`:
    only these families, on both sides. Accuracy per glyph over every group."""
    groups = np.array([family(path) if by_family else path.stem for path in fonts])[origin]
    keep = np.isin(np.array([family(path) for path in fonts])[origin], sorted(within)) if within else True
    keep = np.ones(len(labels), bool) & keep
    free = scripted = 0.0
    for name in dict.fromkeys(groups[keep]):
        test = keep & (groups == name)
        model = DigitModel.fit(features[keep & ~test], labels[keep & ~test])
        a, b = accuracy(model, features[test], labels[test])
        free, scripted = free + a * test.sum(), scripted + b * test.sum()
        if by_family:
            print(f"      {name:15s} {a:6.1%}  {b:6.1%}")
    return free / keep.sum(), scripted / keep.sum()


def evaluate(fonts: list[Path], features: np.ndarray, labels: np.ndarray, origin: np.ndarray) -> None:
    tlwg = {family(path) for path in fonts if path.parent == training.TLWG_DIR}
    print("held-out fonts (all classes / within the glyph's script):")
    for title, within in (("TLWG only, the fonts of the model trained at run time before", tlwg),
                          ("TLWG and Sarabun, this build's fonts", None)):  # fmt: skip
        print(f"  {title}:")
        print("    one font out:    {:6.1%}  {:6.1%}".format(*held_out(fonts, features, labels, origin, False, within)))
        print("    one family out:")
        print("      overall         {:6.1%}  {:6.1%}".format(*held_out(fonts, features, labels, origin, True, within)))
    unseen = training.sarabun_fonts(UNSEEN_SARABUN)
    test_features, test_labels, _ = training.training_set(unseen, seed=TEST_SEED)
    is_tlwg = np.array([path.parent == training.TLWG_DIR for path in fonts])[origin]
    before = DigitModel.fit(features[is_tlwg], labels[is_tlwg])
    shipped = read_model(MODEL_OUT)  # as loaded at run time (float16 features)
    print(f"Sarabun faces not trained on ({', '.join(UNSEEN_SARABUN)}), seed {TEST_SEED}:")
    print("  TLWG-only model    {:6.1%}  {:6.1%}".format(*accuracy(before, test_features, test_labels)))
    print("  shipped model      {:6.1%}  {:6.1%}".format(*accuracy(shipped, test_features, test_labels)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-eval", action="store_true", help="skip measuring the recogniser on held-out fonts")
    args = parser.parse_args(argv)
    try:
        fonts = training.tlwg_fonts() + training.sarabun_fonts()
        build_widths()
        features, labels, origin = build_model(fonts)
        if not args.no_eval:
            evaluate(fonts, features, labels, origin)
    except FileNotFoundError as error:
        print(f"build_data: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
