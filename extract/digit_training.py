"""Training data for the Thai-digit recogniser: glyphs rendered from fonts named
here, degraded the way a scan shows them.

Used only by scripts/build_data.py, which ships the model as
extract/data/thai_digits.npz, and by tests. thaiplan never renders a font at
run time, so the fonts a machine happens to have cannot change its results.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from thaiplan.extract.thai_digits import CLASSES, DigitModel, drop_specks, glyph_features

TLWG_DIR = Path("/usr/share/fonts/truetype/tlwg")  # Debian's fonts-thai-tlwg
# Every face fonts-thai-tlwg installs: the set `fc-list :lang=th` gave the model
# trained at run time before, in the same (sorted) order, so its samples are the same.
TLWG_FACES = (
    "Garuda-Bold", "Garuda-BoldOblique", "Garuda-Oblique", "Garuda",
    "Kinnari-Bold", "Kinnari-BoldItalic", "Kinnari-BoldOblique", "Kinnari-Italic", "Kinnari-Oblique", "Kinnari",
    "Laksaman-Bold", "Laksaman-BoldItalic", "Laksaman-Italic", "Laksaman",
    "Loma-Bold", "Loma-BoldOblique", "Loma-Oblique", "Loma",
    "Norasi-Bold", "Norasi-BoldItalic", "Norasi-BoldOblique", "Norasi-Italic", "Norasi-Oblique", "Norasi",
    "Purisa-Bold", "Purisa-BoldOblique", "Purisa-Oblique", "Purisa",
    "Sawasdee-Bold", "Sawasdee-BoldOblique", "Sawasdee-Oblique", "Sawasdee",
    "TlwgMono-Bold", "TlwgMono-BoldOblique", "TlwgMono-Oblique", "TlwgMono",
    "TlwgTypewriter-Bold", "TlwgTypewriter-BoldOblique", "TlwgTypewriter-Oblique", "TlwgTypewriter",
    "TlwgTypist-Bold", "TlwgTypist-BoldOblique", "TlwgTypist-Oblique", "TlwgTypist",
    "TlwgTypo-Bold", "TlwgTypo-BoldOblique", "TlwgTypo-Oblique", "TlwgTypo",
    "Umpush-Bold", "Umpush-BoldOblique", "Umpush-Light", "Umpush-LightOblique", "Umpush-Oblique", "Umpush",
    "Waree-Bold", "Waree-BoldOblique", "Waree-Oblique", "Waree",
)  # fmt: skip
# Most plans are typed in TH Sarabun; these faces come from PyPI's fontpkg-sarabun
# (the `build` extra). Its other faces are left out to measure the model on.
SARABUN_FACES = ("Regular", "Bold", "Italic", "BoldItalic", "Light", "Medium", "SemiBold")
TRAIN_FONT_PX = (22, 30, 40, 56, 80)
COPIES = 2  # degraded copies of each rendered glyph
SEED = 0


def tlwg_fonts(faces: tuple[str, ...] = TLWG_FACES) -> list[Path]:
    """The named TLWG faces' files; FileNotFoundError saying what to install if one is missing."""
    paths = [TLWG_DIR / f"{face}.ttf" for face in faces]
    missing = [path.name for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(
            f"{TLWG_DIR} lacks {', '.join(missing)}; install Debian's fonts-thai-tlwg (apt-get install fonts-thai-tlwg)"
        )
    return paths


def sarabun_fonts(faces: tuple[str, ...] = SARABUN_FACES) -> list[Path]:
    """The named Sarabun faces' files from fontpkg-sarabun; FileNotFoundError if it is missing."""
    hint = "install the build extra: pip install -e '.[build]' (fontpkg-sarabun)"
    try:
        import fontpkg_sarabun
    except ImportError:
        raise FileNotFoundError(f"fontpkg-sarabun is not installed; {hint}") from None
    paths = [Path(fontpkg_sarabun.__file__).parent / "files" / f"Sarabun-{face}.ttf" for face in faces]
    missing = [path.name for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"fontpkg-sarabun lacks {', '.join(missing)}; {hint}")
    return paths


def render(font: ImageFont.FreeTypeFont, char: str) -> np.ndarray:
    """One character, ink 255 on 0, with an 8 px margin."""
    left, top, right, bottom = font.getbbox(char)
    canvas = Image.new("L", (right - left + 16, bottom - top + 16), 0)
    ImageDraw.Draw(canvas).text((8 - left, 8 - top), char, fill=255, font=font)
    return np.asarray(canvas)


def degrade(glyph: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A rendered glyph as a scan shows it after binarisation."""
    angle = rng.uniform(-2.0, 2.0)
    height, width = glyph.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    grey = 255.0 - cv2.warpAffine(glyph, matrix, (width, height)).astype(np.float32)
    sigma = rng.choice((0.0, 0.5, 0.8, 1.2))
    if sigma:
        grey = cv2.GaussianBlur(grey, (0, 0), sigma)
    grey = np.clip(grey * 0.85 + 25 + rng.normal(0, 8, grey.shape), 0, 255).astype(np.uint8)
    grey = cv2.GaussianBlur(grey, (3, 3), 0)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    morph = rng.choice(("none", "none", "erode", "dilate"))
    if morph != "none" and min(ink.shape) > 20:
        op = cv2.erode if morph == "erode" else cv2.dilate
        ink = op(ink, np.ones((2, 2), np.uint8))
    return drop_specks(ink, 3)


def draws_digits(font: ImageFont.FreeTypeFont) -> bool:
    """False for a font that shows a missing-glyph box instead of Thai digits."""
    missing = render(font, "\uffff")
    return all(not np.array_equal(render(font, char), missing) for char in "๔๘")


def training_set(
    fonts: list[Path], seed: int = SEED, sizes: tuple[int, ...] = TRAIN_FONT_PX
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and font index (into `fonts`) of every degraded glyph.

    One random stream runs through the fonts in order, so a list's samples do not
    change when fonts are added after it. A font without Thai digits is an error:
    every font here is named on purpose.
    """
    rng = np.random.default_rng(seed)
    features: list[np.ndarray] = []
    labels: list[int] = []
    origin: list[int] = []
    for index, path in enumerate(fonts):
        for px in sizes:
            font = ImageFont.truetype(str(path), px)
            if px == sizes[0] and not draws_digits(font):
                raise ValueError(f"{path} does not draw Thai digits")
            for label, char in enumerate(CLASSES):
                glyph = render(font, char)
                for _ in range(COPIES):
                    features.append(glyph_features(degrade(glyph, rng)))
                    labels.append(label)
                    origin.append(index)
    return np.stack(features), np.array(labels, np.int16), np.array(origin, np.int32)


def save_model(model: DigitModel, path: Path) -> None:
    """The model as a compressed .npz whose bytes depend only on the model:
    numpy's own savez stamps each entry with the time. Projected features are
    stored as float16 (half the size; the vote is unchanged at that precision)."""
    arrays = {
        "features": model.features.astype(np.float16),
        "labels": model.labels.astype(np.int16),
        "mean": model.mean.astype(np.float32),
        "components": model.components.astype(np.float32),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, buffer.getvalue(), compresslevel=9)
