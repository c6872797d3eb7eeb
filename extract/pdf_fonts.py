"""Unicode for glyphs from the embedded font itself, where the PDF gives none.

Microsoft Reporting Services writes Thai with Identity-H CID fonts and no
ToUnicode map: pdfium then hands out each glyph's id as its code point, and
the ids of Microsoft Sans Serif's Thai glyphs fall in Greek and Coptic
(U+0390-U+03FF: `ϟΩϖλ` for เงิน). The embedded TrueType font still says which
character each glyph draws: its cmap, its glyph names (`uni0E32`), and its
GSUB substitutions (a tone mark moved left over a tall consonant is a glyph
reached only from the plain mark). fontTools reads all three.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import re

import pypdfium2.raw as pdfium_c

_UNI_NAME = re.compile(r"^(?:uni([0-9A-F]{4})|u([0-9A-F]{4,6}))(?:\..*)?$")
MAX_FONT_BYTES = 20 << 20  # an embedded font larger than this is not parsed


def font_bytes(font: object) -> bytes:
    """The embedded font program of a pdfium font handle (b"" when none)."""
    size = ctypes.c_size_t()
    if not pdfium_c.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size)) or not 0 < size.value <= MAX_FONT_BYTES:
        return b""
    buffer = (ctypes.c_uint8 * size.value)()
    if not pdfium_c.FPDFFont_GetFontData(font, buffer, size.value, ctypes.byref(size)):
        return b""
    return bytes(buffer)


def glyph_texts(data: bytes) -> dict[int, str]:
    """Glyph id -> the text it draws, from a TrueType/OpenType font program ({} if unreadable)."""
    from fontTools.ttLib import TTFont  # only for the pages that need it

    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        order = font.getGlyphOrder()
        by_name: dict[str, str] = {}
        for code, name in sorted((font.getBestCmap() or {}).items(), reverse=True):
            by_name[name] = chr(code)  # the lowest code point wins (U+0E48 before a compatibility form)
        for name in order:
            match = _UNI_NAME.match(name)
            if match and name not in by_name:
                by_name[name] = chr(int(match[1] or match[2], 16))
        if "GSUB" in font:
            _from_substitutions(font["GSUB"].table, by_name)
    except Exception:  # a damaged or unusual font program: no repair from it
        return {}
    return {gid: by_name[name] for gid, name in enumerate(order) if name in by_name}


def _from_substitutions(gsub: object, by_name: dict[str, str]) -> None:
    """Give a substituted glyph the text of what it replaces (two passes reach chains)."""
    lookups = getattr(getattr(gsub, "LookupList", None), "Lookup", None) or []
    for _ in range(2):
        for lookup in lookups:
            for table in lookup.SubTable:
                table = getattr(table, "ExtSubTable", table)  # extension lookups wrap the real one
                for source, target in getattr(table, "mapping", {}).items():  # single substitution
                    if source in by_name and isinstance(target, str):
                        by_name.setdefault(target, by_name[source])
                for source, targets in getattr(table, "alternates", {}).items():
                    for target in targets if source in by_name else ():
                        by_name.setdefault(target, by_name[source])
                for first, ligatures in getattr(table, "ligatures", {}).items():
                    for ligature in ligatures:
                        parts = [first, *ligature.Component]
                        if all(p in by_name for p in parts):
                            by_name.setdefault(ligature.LigGlyph, "".join(by_name[p] for p in parts))


class FontTexts:
    """What a document's glyphs stand for: glyph_texts per embedded font program, parsed
    once per document, and what its pages learnt about unmapped glyphs (`marks`: an
    extract.pdf_repair.DocumentMarks, made by the first page that has any)."""

    def __init__(self) -> None:
        self._by_digest: dict[bytes, dict[int, str]] = {}
        self.marks: object = None
        # Fonts (name and flags) whose text read as dictionary words on a page of the document.
        self.read_as_words: set[str] = set()

    def of(self, font: object) -> dict[int, str]:
        """Keyed by the program's bytes, not the handle: pdfium may reuse a freed handle's address."""
        data = font_bytes(font)
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if digest not in self._by_digest:
            self._by_digest[digest] = glyph_texts(data) if data else {}
        return self._by_digest[digest]

    @staticmethod
    def name(font: object) -> str:
        """The font's base name (stable across pages, unlike its handle)."""
        length = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        if length <= 0:
            return ""
        buffer = ctypes.create_string_buffer(length)
        pdfium_c.FPDFFont_GetBaseFontName(font, buffer, length)
        return buffer.value.decode("latin-1")
