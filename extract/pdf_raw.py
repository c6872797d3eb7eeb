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


# (textpage, index, byref left, byref right, byref bottom, byref top) -> bool
char_box = unchecked(pdfium_c.FPDFText_GetCharBox)
# (textpage, index, byref x, byref y) -> bool
char_origin = unchecked(pdfium_c.FPDFText_GetCharOrigin)
# (textpage, index, byref FS_RECTF) -> bool
loose_char_box = unchecked(pdfium_c.FPDFText_GetLooseCharBox)
# (textpage, index, byref FS_MATRIX) -> bool
char_matrix = unchecked(pdfium_c.FPDFText_GetMatrix)
# (textpage, index) -> the Tf size
font_size = unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
# (textpage, index) -> 1 where the font maps the glyph to no Unicode
unicode_map_error = unchecked(pdfium_c.FPDFText_HasUnicodeMapError)
# (textpage, index) -> 1 for a character pdfium made up (a space, a line break)
is_generated = unchecked(pdfium_c.FPDFText_IsGenerated)
# (textpage, index) -> the address of the glyph's text object as an int (None for none)
text_object = unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)

# The page's objects and their paths (extract.pdf_paths); handles come back as pypdfium2's pointer objects.
# (page, index) / (form object, index) -> the object
page_object = unchecked(pdfium_c.FPDFPage_GetObject, pdfium_c.FPDF_PAGEOBJECT)
form_object = unchecked(pdfium_c.FPDFFormObj_GetObject, pdfium_c.FPDF_PAGEOBJECT)
# (object) -> its FPDF_PAGEOBJ_* kind
object_type = unchecked(pdfium_c.FPDFPageObj_GetType)
# (object, byref FS_MATRIX) -> bool
object_matrix = unchecked(pdfium_c.FPDFPageObj_GetMatrix)
# (path object) -> its segment count
segment_count = unchecked(pdfium_c.FPDFPath_CountSegments)
# (path object, index) -> the segment
path_segment = unchecked(pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDF_PATHSEGMENT)
# (segment) -> its FPDF_SEGMENT_* kind
segment_type = unchecked(pdfium_c.FPDFPathSegment_GetType)
# (segment, byref float x, byref float y) -> bool
segment_point = unchecked(pdfium_c.FPDFPathSegment_GetPoint)
# (segment) -> 1 where it closes its subpath
segment_close = unchecked(pdfium_c.FPDFPathSegment_GetClose)
