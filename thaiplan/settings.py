"""One validated Settings object: OCR, PDF, wraps, limits, jobs and cache.

Every reader and normaliser gets its section from here; `Settings.resolve`
accepts None (the defaults), a dict (nested, or flat with dotted keys) or an
instance, so `thaiplan.convert(..., settings={"ocr.render_dpi": 200})`, a
TOML file and the CLI's `--set ocr.render_dpi=200` all end up the same.

`fingerprint()` hashes every setting that can change an output; caches key
their entries by it, so no version number has to be bumped by hand.

This module imports nothing of thaiplan but its errors (the base layer).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import types
import typing
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from thaiplan.errors import SettingsError

# A field marked with NOT_IN_OUTPUT changes how fast or where, never what is written.
NOT_IN_OUTPUT = {"affects_output": False}


def _check(condition: bool, name: str, allowed: str) -> None:
    if not condition:
        raise SettingsError(f"setting {name} must be {allowed}")


@dataclass(frozen=True)
class OcrSettings:
    """Scans: how pages are rendered and read."""

    engine: Literal["tesseract", "replay"] = "tesseract"  # replay: recorded page results (tests, no tesseract)
    replay_file: str | None = None  # the recording `engine = "replay"` reads
    render_dpi: int = 300  # PDF pages: measured, see bench/ocr_bench.py
    psm: int = 11  # sparse text: keeps Thai marks on their line (psm 6 splits them off as junk lines)
    min_glyph_px: int = 22  # median glyph height below this: the page is upscaled (36 measured worse)
    max_upscale: float = 3.0
    low_confidence: float = 60.0  # a cell below this gets a Note
    year_range: tuple[int, int] = (2540, 2600)  # plausible Buddhist Era years in a plan
    max_render_mpixels: int = 36  # a PDF page is rendered at most this big (A3 at 300 dpi: 17), lower dpi with a finding
    workers: int = field(default=2, metadata=NOT_IN_OUTPUT)  # pages read at once within one file

    def __post_init__(self) -> None:
        _check(self.engine in ("tesseract", "replay"), "ocr.engine", '"tesseract" or "replay"')
        _check(self.engine != "replay" or bool(self.replay_file), "ocr.replay_file", "set when ocr.engine is replay")
        _check(72 <= self.render_dpi <= 600, "ocr.render_dpi", "72..600")
        _check(self.psm in (3, 4, 6, 11, 12), "ocr.psm", "one of 3, 4, 6, 11, 12")
        _check(8 <= self.min_glyph_px <= 80, "ocr.min_glyph_px", "8..80")
        _check(1.0 <= self.max_upscale <= 4.0, "ocr.max_upscale", "1..4")
        _check(0 <= self.low_confidence <= 100, "ocr.low_confidence", "0..100")
        low, high = self.year_range
        _check(2400 <= low < high <= 2700, "ocr.year_range", "two Buddhist Era years, low < high")
        _check(1 <= self.workers <= 64, "ocr.workers", "1..64")
        _check(1 <= self.max_render_mpixels <= 4096, "ocr.max_render_mpixels", "1..4096")


@dataclass(frozen=True)
class PdfSettings:
    """Text-layer PDFs: when a page's text layer is trusted, where its table rules come from."""

    ocr: bool = True  # read pages without a usable text layer by OCR
    max_bad_share: float = 0.05  # more glyph codes / unmapped / private-use characters than this: unusable
    min_word_share: float = 0.5  # less of the Thai text in dictionary words than this: unusable
    word_sample: int = 500  # characters of a page checked against the word list (1,500 gave the same verdicts on every real page, 3x the time)
    # Words whose unmapped marks neither the font nor the word list tells, OCR'd from
    # their box (per document; 0: none, they keep U+FFFD with a finding).
    unmapped_ocr_words: int = 200
    # Table rules from pdfium's path objects, or from pdfplumber (pdfminer's parse: the
    # same tables on every sample, 15-30x slower; see bench/pdf_engines_bench.py).
    engine: Literal["pdfium", "pdfplumber"] = "pdfium"
    # A page past these is read without its table rules, with a warning (real plans
    # draw up to ~2,000 objects and ~6,000 segments a page).
    max_path_objects: int = 20_000
    max_path_segments: int = 100_000

    def __post_init__(self) -> None:
        _check(0 <= self.max_bad_share <= 1, "pdf.max_bad_share", "0..1")
        _check(0 <= self.min_word_share <= 1, "pdf.min_word_share", "0..1")
        _check(100 <= self.word_sample <= 100_000, "pdf.word_sample", "100..100000")
        _check(0 <= self.unmapped_ocr_words <= 100_000, "pdf.unmapped_ocr_words", "0..100000")
        _check(self.engine in ("pdfium", "pdfplumber"), "pdf.engine", '"pdfium" or "pdfplumber"')
        _check(1 <= self.max_path_objects <= 10_000_000, "pdf.max_path_objects", "1..10000000")
        _check(1 <= self.max_path_segments <= 100_000_000, "pdf.max_path_segments", "1..100000000")


@dataclass(frozen=True)
class WrapSettings:
    """Weights of the wrap decision (tuned on half the synthetic set, see bench/wraps_eval.py)."""

    over_weight: float = 30.0  # per unit of overflow past the column width (relative)
    over_free: float = 0.02  # overflow forgiven (font metrics are approximate)
    short_weight: float = 24.0  # per unit of room left where the next word would have fitted
    short_free: float = 0.02
    inline_weight: float = 0.6  # per unit of wrap evidence against a space kept inside a line
    inline_prior: float = 0.5  # evidence a space inside a line needs to cost nothing (wraps are commoner)
    keep_threshold: float = 0.5  # a line-end space is genuine only with evidence above this
    width_step: float = 0.06  # relative step between candidate widths (then refined 4x finer)
    width_span: float = 2.0  # widest candidate, relative to the widest segment
    max_cells: int = 40  # cells used to estimate a column's width

    def __post_init__(self) -> None:
        signed = ("keep_threshold", "inline_prior")  # evidence scores are signed
        for item in fields(self):
            if item.name not in signed:
                _check(getattr(self, item.name) >= 0, f"wraps.{item.name}", "0 or more")
        for name in signed:
            _check(-50 <= getattr(self, name) <= 50, f"wraps.{name}", "-50..50")
        _check(0.005 <= self.width_step <= 0.5, "wraps.width_step", "0.005..0.5")
        _check(1.0 <= self.width_span <= 5.0, "wraps.width_span", "1..5")
        _check(1 <= self.max_cells <= 10_000, "wraps.max_cells", "1..10000")


@dataclass(frozen=True)
class Limits:
    """Bounds no input may exceed."""

    doc_timeout_s: float = 120.0  # LibreOffice converting a .doc (a 133-page plan takes about 10 s)
    # Past these a file fails with kind too_large (a bomb, or far beyond any plan); bytes are
    # counted as they inflate, never taken from the sizes a file declares.
    max_part_mb: int = 100  # one ZIP member (a Word or Excel part) unpacked, an .xls or a text file; a 500-page plan's XML is ~30 MB
    max_unpacked_mb: int = 256  # all the members one file unpacks, together
    max_pages: int = 5000  # pages read from one document
    # Pages read by OCR from one document (image frames, PDF pages without a usable text
    # layer): an A4 page takes 2-4 s, so 500 is about what limits.timeout_s allows; past it
    # the file is refused before any page is read, not cut off by the timeout an hour later.
    max_ocr_pages: int = 500
    max_sheets: int = 256  # worksheets read from one Excel workbook
    max_sheet_cells: int = 1_000_000  # rows x columns of one worksheet's used range (an .xlsx: ~400 bytes each in memory)
    max_stream_mb: int = 256  # one PDF stream (content, object stream, font) inflated
    max_image_mpixels: int = 150  # one image frame decoded (Pillow's own bomb check is 89)
    # One file's worker is ended past these (the file fails with kind timeout / out_of_memory).
    timeout_s: float = field(default=1200.0, metadata=NOT_IN_OUTPUT)  # a 300-page scan takes a few minutes
    max_memory_mb: int | None = field(default=None, metadata=NOT_IN_OUTPUT)  # None: 80% of RAM over the jobs

    def __post_init__(self) -> None:
        _check(0.1 <= self.timeout_s <= 7 * 86_400, "limits.timeout_s", "0.1..604800 seconds")
        _check(self.max_memory_mb is None or 64 <= self.max_memory_mb <= 1 << 24, "limits.max_memory_mb",
               "64..16777216 MB")  # fmt: skip
        _check(1 <= self.doc_timeout_s <= 86_400, "limits.doc_timeout_s", "1..86400 seconds")
        _check(1 <= self.max_part_mb <= 1 << 20, "limits.max_part_mb", "1..1048576")
        _check(1 <= self.max_pages <= 1_000_000, "limits.max_pages", "1..1000000")
        _check(1 <= self.max_ocr_pages <= 1_000_000, "limits.max_ocr_pages", "1..1000000")
        _check(1 <= self.max_sheets <= 65_536, "limits.max_sheets", "1..65536")
        _check(1 <= self.max_sheet_cells <= 1 << 34, "limits.max_sheet_cells", "1..17179869184")
        _check(1 <= self.max_unpacked_mb <= 1 << 20, "limits.max_unpacked_mb", "1..1048576")
        _check(1 <= self.max_stream_mb <= 1 << 20, "limits.max_stream_mb", "1..1048576")
        _check(1 <= self.max_image_mpixels <= 4096, "limits.max_image_mpixels", "1..4096")


@dataclass(frozen=True)
class ReportSettings:
    """report.html: its language, and the pictures of disagreeing figures."""

    lang: str = field(default="th", metadata=NOT_IN_OUTPUT)  # th or en: words only, the dataset is the same
    crops: bool = True  # picture each disagreeing total row of a PDF or scan (rendered in the worker)
    crop_dpi: int = 110  # enough to read a row of 16-pt Thai, small enough for thousands of documents

    def __post_init__(self) -> None:
        _check(self.lang in ("th", "en"), "report.lang", "th or en")
        _check(36 <= self.crop_dpi <= 300, "report.crop_dpi", "36..300")


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use (Python 3.13+
    knows affinity on every platform), at most 8."""
    count = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    return max(1, min(count, 8))


def default_cache_dir() -> Path:
    """$THAIPLAN_CACHE, else $XDG_CACHE_HOME/thaiplan, else ~/.cache/thaiplan."""
    if os.environ.get("THAIPLAN_CACHE"):
        return Path(os.environ["THAIPLAN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "thaiplan"


SECTIONS = {"ocr": OcrSettings, "pdf": PdfSettings, "wraps": WrapSettings, "limits": Limits, "report": ReportSettings}


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told. Build with `Settings.resolve(...)`."""

    ocr: OcrSettings = field(default_factory=OcrSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    wraps: WrapSettings = field(default_factory=WrapSettings)
    limits: Limits = field(default_factory=Limits)
    report: ReportSettings = field(default_factory=ReportSettings)
    jobs: int | None = field(default=None, metadata=NOT_IN_OUTPUT)  # None: default_jobs()
    cache_dir: str | None = field(default=None, metadata=NOT_IN_OUTPUT)  # None: default_cache_dir()
    scheduler: str | None = field(default=None, metadata=NOT_IN_OUTPUT)  # a Dask scheduler (tcp://host:8786)
    plugins: tuple[str, ...] = ()  # modules each worker imports first (readers they register)

    def __post_init__(self) -> None:
        _check(self.jobs is None or 1 <= self.jobs <= 1024, "jobs", "1..1024")

    @classmethod
    def resolve(cls, value: Settings | dict[str, Any] | None = None) -> Settings:
        """The settings from None (defaults), a dict or an instance.

        >>> Settings.resolve({"ocr.render_dpi": 200, "pdf": {"ocr": False}}).ocr.render_dpi
        200
        >>> Settings.resolve({"ocr.dpi": 200})
        Traceback (most recent call last):
        thaiplan.errors.SettingsError: unknown setting ocr.dpi
        """
        if value is None:
            return cls()
        if isinstance(value, Settings):
            return value
        if not isinstance(value, dict):
            raise SettingsError(f"settings must be a dict or a Settings, not {type(value).__name__}")
        return cls().updated(value)

    def updated(self, changes: dict[str, Any]) -> Settings:
        """A copy with `changes` applied (nested dicts or dotted keys; strings are parsed)."""
        nested: dict[str, dict[str, Any]] = {}
        top: dict[str, Any] = {}
        for key, value in _flatten(changes).items():
            section, dot, name = key.partition(".")
            if not dot:
                top |= _typed(Settings, "", {key: value})
            elif section in SECTIONS:
                nested.setdefault(section, {})[name] = value
            else:
                raise SettingsError(f"unknown setting {key}")
        for section, values in nested.items():
            top[section] = replace(getattr(self, section), **_typed(SECTIONS[section], section, values))
        return replace(self, **top)

    def with_set(self, assignments: list[str]) -> Settings:
        """Apply `key=value` strings (the CLI's --set)."""
        changes: dict[str, Any] = {}
        for assignment in assignments:
            key, sep, value = assignment.partition("=")
            if not sep or not key.strip():
                raise SettingsError(f"--set {assignment!r} is not key=value")
            changes[key.strip()] = value.strip()
        return self.updated(changes)

    @property
    def cache(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir else default_cache_dir()

    @property
    def worker_count(self) -> int:
        return self.jobs or default_jobs()

    def output_dict(self) -> dict[str, Any]:
        """The settings that can change an output."""
        out: dict[str, Any] = {
            name: {item.name: getattr(getattr(self, name), item.name) for item in fields(section) if _in_output(item)}
            for name, section in SECTIONS.items()
        }
        if self.plugins:
            out["plugins"] = list(self.plugins)
        return out

    def fingerprint(self) -> str:
        """16 hex digits over every setting that can change an output."""
        text = json.dumps(self.output_dict(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def describe(self) -> list[tuple[str, Any, str]]:
        """(key, value, type) of every setting, for `thaiplan settings`."""
        rows = []
        for name in SECTIONS:
            section = getattr(self, name)
            hints = typing.get_type_hints(type(section))
            rows += [(f"{name}.{item.name}", getattr(section, item.name), _type_name(hints[item.name]))
                     for item in fields(section)]  # fmt: skip
        hints = typing.get_type_hints(Settings)
        rows += [(name, getattr(self, name), _type_name(hints[name])) for name in ("jobs", "cache_dir", "scheduler", "plugins")]
        return rows


def load_toml(path: Path) -> dict[str, Any]:
    """A settings file: TOML with [ocr], [pdf], [wraps], [limits] tables and top-level jobs, cache_dir."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"the settings file {path} cannot be read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"the settings file {path} is not valid TOML ({exc})") from exc


def _in_output(item: Any) -> bool:
    return bool(item.metadata.get("affects_output", True))


def _flatten(changes: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in changes.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{name}.")
        else:
            flat[name] = value
    return flat


def _typed(cls: type, section: str, values: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    out = {}
    for name, value in values.items():
        key = f"{section}.{name}" if section else name
        if name not in hints or (not section and name in SECTIONS):
            raise SettingsError(f"unknown setting {key}")
        out[name] = _coerce(value, hints[name], key)
    return out


def _coerce(value: Any, hint: Any, key: str) -> Any:
    """A value of the field's type; strings (CLI, environment) parsed."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        empty = value is None or (isinstance(value, str) and value.lower() in ("", "none", "null"))
        if empty and type(None) in args:
            return None
        return _coerce(value, next(a for a in args if a is not type(None)), key)
    if origin is Literal:
        _check(value in args, key, " or ".join(repr(a) for a in args))
        return value
    if origin is tuple:
        parts = value.replace("(", "").replace(")", "").split(",") if isinstance(value, str) else list(value)
        if len(args) == 2 and args[1] is Ellipsis:  # tuple[str, ...]: any number
            return tuple(_coerce(part.strip() if isinstance(part, str) else part, args[0], key)
                         for part in parts if part != "")  # fmt: skip
        _check(len(parts) == len(args), key, f"{len(args)} values")
        return tuple(_coerce(part, kind, key) for part, kind in zip(parts, args))
    try:
        if hint is bool:
            if isinstance(value, str):
                _check(value.lower() in ("true", "false", "1", "0", "yes", "no"), key, "true or false")
                return value.lower() in ("true", "1", "yes")
            _check(isinstance(value, bool), key, "true or false")
            return value
        if hint is int:
            _check(not isinstance(value, bool) and float(value) == int(float(value)), key, "a whole number")
            return int(float(value))
        if hint is float:
            _check(not isinstance(value, bool), key, "a number")
            return float(value)
        if hint is str:
            return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {key} must be {_type_name(hint)}, not {value!r}") from exc
    return value  # pragma: no cover


def _type_name(hint: Any) -> str:
    if typing.get_origin(hint) is Literal:
        return " | ".join(repr(a) for a in typing.get_args(hint))
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


__all__ = ["Limits", "OcrSettings", "PdfSettings", "Settings", "WrapSettings", "load_toml"]
