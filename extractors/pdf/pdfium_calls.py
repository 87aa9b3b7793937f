"""PDFium functions called per character and per text object, without pypdfium2's prototypes.

pypdfium2's functions carry argtypes, so ctypes calls a converter for every argument of every call.
These copies have none: the text page, objects and out-parameters go as c_void_p instances and
byref()s made once, indices as plain ints, which ctypes passes by its default conversion (a third
cheaper per call); pointers come back as ints (None for NULL). Each is a new function object, so
pypdfium2's own keep their prototypes.
"""

from __future__ import annotations

import ctypes

import pypdfium2_raw.bindings as _bindings

_pdfium = _bindings._libs["pdfium"]


def _raw(name: str, restype: type | None = ctypes.c_int) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    function = _pdfium[name]
    function.restype = restype
    return function


object_address = _raw("FPDFText_GetTextObject", ctypes.c_void_p)
loose_box = _raw("FPDFText_GetLooseCharBox")
char_matrix = _raw("FPDFText_GetMatrix")
char_origin = _raw("FPDFText_GetCharOrigin")
font_size = _raw("FPDFTextObj_GetFontSize")
render_mode = _raw("FPDFTextObj_GetTextRenderMode")
text_font = _raw("FPDFTextObj_GetFont", ctypes.c_void_p)
fill_color = _raw("FPDFPageObj_GetFillColor")
stroke_color = _raw("FPDFPageObj_GetStrokeColor")
clip_path = _raw("FPDFPageObj_GetClipPath", ctypes.c_void_p)
clip_paths = _raw("FPDFClipPath_CountPaths")
clip_segments = _raw("FPDFClipPath_CountPathSegments")
clip_segment = _raw("FPDFClipPath_GetPathSegment", ctypes.c_void_p)
segment_point = _raw("FPDFPathSegment_GetPoint")
