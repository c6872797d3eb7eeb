"""pdfium functions for the per-glyph and per-segment loops, called without ctypes'
argument conversion.

pypdfium2 declares each function's argument types, so ctypes checks and
converts every argument on every call (a `c_double` into a `double *`, a
handle into its pointer type): four fifths of a call's cost, and the glyph
read makes five calls a glyph. The same function pointers, bound here without
argument types, take the arguments as they are: callers pass exactly what C
expects (a handle as pypdfium2's pointer object, an index as an int, an output
as a `ctypes.byref` made once), and name the result type.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

import pypdfium2.raw as pdfium_c


def unchecked(function: object, restype: object = ctypes.c_int) -> Callable[..., object]:
    """`function` (a pypdfium2.raw function) without argument types, returning `restype`."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    bound = ctypes.CFUNCTYPE(restype)(address)  # type: ignore[arg-type]
    bound.argtypes = None  # no conversion: ctypes passes ints as int, pointers and byrefs as pointers
    return bound


# The glyph read (extract.pdf_chars), each called with (textpage, index, outputs...):
# GetCharBox (byref left, right, bottom, top), GetCharOrigin (byref x, y), GetLooseCharBox
# (byref FS_RECTF), GetMatrix (byref FS_MATRIX): bools; HasUnicodeMapError, IsGenerated: 0 or 1.
char_box, char_origin, loose_char_box, char_matrix, unicode_map_error, is_generated = map(unchecked, (
    pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetCharOrigin, pdfium_c.FPDFText_GetLooseCharBox,
    pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_HasUnicodeMapError, pdfium_c.FPDFText_IsGenerated))  # fmt: skip
font_size = unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)  # the Tf operand
text_object = unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)  # its address as an int, None for none
# The layer check's sample (extract.pdf_layer): the glyph's text object as a handle, and its render mode.
text_object_handle = unchecked(pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDF_PAGEOBJECT)
render_mode = unchecked(pdfium_c.FPDFTextObj_GetTextRenderMode)

# The page's objects and their paths (extract.pdf_paths); handles come back as pypdfium2's pointer objects.
# FPDFPage_GetObject (page, index), FPDFFormObj_GetObject (form object, index): the object;
# FPDFPath_GetPathSegment (path object, index): the segment.
page_object, form_object = (unchecked(f, pdfium_c.FPDF_PAGEOBJECT)
                            for f in (pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFFormObj_GetObject))  # fmt: skip
path_segment = unchecked(pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDF_PATHSEGMENT)
# FPDFPageObj_GetType (object): its FPDF_PAGEOBJ_* kind; FPDFPageObj_GetMatrix (object, byref FS_MATRIX): bool;
# FPDFPath_CountSegments (path object); FPDFPathSegment_GetType (segment): its FPDF_SEGMENT_* kind;
# FPDFPathSegment_GetPoint (segment, byref float x, y): bool; FPDFPathSegment_GetClose (segment): 0 or 1.
object_type, object_matrix, segment_count, segment_type, segment_point, segment_close = map(unchecked, (
    pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPageObj_GetMatrix, pdfium_c.FPDFPath_CountSegments,
    pdfium_c.FPDFPathSegment_GetType, pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetClose))  # fmt: skip
