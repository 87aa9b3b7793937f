"""Reading a path's points from PDFium (issue 12): one copy of its point array gives what the API's calls per
segment give, on the paths of real documents (ruled tables, shaded cells, charts and round status marks)."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.pdf import graphics
from extractors.pdf.graphics import _PointLayout, _segments_by_call, path_segments

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = ["real/fi_kauhava_tilinpaatos_2024.pdf", "real/fi_seinajoki_tilinpaatos_2024.pdf",
         "real/fi_lapua_sivistyslautakunta_poytakirja_2025-01-15.pdf"]


def _paths(count: int, get: object, depth: int = 0) -> list[pdfium_c.FPDF_PAGEOBJECT]:
    found = []
    for index in range(count):
        obj = get(index)  # type: ignore[operator]
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            found.append(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
            found += _paths(pdfium_c.FPDFFormObj_CountObjects(obj),
                            lambda i, form=obj: pdfium_c.FPDFFormObj_GetObject(form, i), depth + 1)
    return found


def test_point_array_gives_the_segments_the_api_gives() -> None:
    kinds: set[int] = set()
    closed_paths = paths = 0
    for name in FILES:
        pdf = pdfium.PdfDocument(str(CORPUS / name))
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                for obj in _paths(pdfium_c.FPDFPage_CountObjects(page.raw),
                                  lambda i, raw=page.raw: pdfium_c.FPDFPage_GetObject(raw, i)):
                    expected = _segments_by_call(obj, pdfium_c.FPDFPath_CountSegments(obj))
                    assert path_segments(obj) == expected
                    kinds.update(kind for _, _, kind in expected[0])
                    closed_paths += expected[1]
                    paths += 1
                page.close()
        finally:
            pdf.close()
    assert _PointLayout.checked is True  # the copy was used, not the calls
    assert paths > 10_000 and closed_paths > 0
    assert kinds == {pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO}


def test_segment_address_is_the_api_segment() -> None:
    pdf = pdfium.PdfDocument(str(CORPUS / FILES[0]))
    try:
        page = pdf[0]
        obj = _paths(pdfium_c.FPDFPage_CountObjects(page.raw), lambda i: pdfium_c.FPDFPage_GetObject(page.raw, i))[0]
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, 0)
        assert graphics._segment_address(obj, 0) == ctypes.cast(segment, ctypes.c_void_p).value
        page.close()
    finally:
        pdf.close()
