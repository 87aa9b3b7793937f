"""PDF icon stage: the colour of a small image (a status icon, a progress bar) from its rendered pixels.

Status marks are often small raster images (a green dot, a check in a green circle, a bar filled to
80 %). PDFium renders the image object with its transparency applied
(`FPDFImageObj_GetRenderedBitmap`); the pixels give the mark's colour and, for a bar, how much of
its length that colour fills. Layout and colour only: what a colour means is lexicon data.
"""

from __future__ import annotations

import ctypes
from collections import Counter

import pypdfium2.raw as pdfium_c

MAX_ICON_SIDE = 200.0
"""Images with a side longer than this (points) are pictures or scans, not marks."""
MAX_ICON_HEIGHT = 40.0
BAR_PIXELS = 160
"""A bar is rendered at about this many pixels along its length (its share to a percent)."""
ICON_PIXELS = 24
"""Other icons are rendered at about this many pixels on their longer side (enough for a colour)."""
_OPAQUE = 128  # alpha from which a pixel counts as painted
_COLOURFUL = 60  # max-min channel spread from which a pixel counts as strongly coloured
_WHITE = 235  # all channels at least this: paper white
_NEAR = 60  # channel distance within which two colours are the same colour
_BAR_RATIO = 3.0  # width/height from which an image is a bar

Colour = tuple[int, int, int]


def is_icon_size(width: float, height: float) -> bool:
    """A box small enough to be a mark (points)."""
    return 2.0 <= width <= MAX_ICON_SIDE and 2.0 <= height <= MAX_ICON_HEIGHT


def _pixels(document: pdfium_c.FPDF_DOCUMENT, page: pdfium_c.FPDF_PAGE, obj: pdfium_c.FPDF_PAGEOBJECT,
            width: float, height: float) -> tuple[int, int, list[tuple[int, int, int, int]]] | None:
    """The image rendered at BAR_PIXELS or ICON_PIXELS on its longer side: (columns, rows, RGBA pixels)."""
    matrix = pdfium_c.FS_MATRIX()
    scaled = pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    scale = (BAR_PIXELS if width >= _BAR_RATIO * height else ICON_PIXELS) / max(width, height, 1.0)
    if scaled:
        original = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        pdfium_c.FPDFPageObj_SetMatrix(obj, pdfium_c.FS_MATRIX(*(v * scale for v in original)))
    try:
        bitmap = pdfium_c.FPDFImageObj_GetRenderedBitmap(document, page, obj)
    finally:
        if scaled:
            pdfium_c.FPDFPageObj_SetMatrix(obj, pdfium_c.FS_MATRIX(*original))
    if not bitmap:
        return None
    try:
        cols, rows = pdfium_c.FPDFBitmap_GetWidth(bitmap), pdfium_c.FPDFBitmap_GetHeight(bitmap)
        stride, kind = pdfium_c.FPDFBitmap_GetStride(bitmap), pdfium_c.FPDFBitmap_GetFormat(bitmap)
        buffer = pdfium_c.FPDFBitmap_GetBuffer(bitmap)
        if not buffer or cols <= 0 or rows <= 0:
            return None
        data = ctypes.string_at(buffer, stride * rows)
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)
    channels = {pdfium_c.FPDFBitmap_Gray: 1, pdfium_c.FPDFBitmap_BGR: 3, pdfium_c.FPDFBitmap_BGRx: 4,
                pdfium_c.FPDFBitmap_BGRA: 4}.get(kind)
    if channels is None:
        return None
    pixels: list[tuple[int, int, int, int]] = []
    for y in range(rows):
        row = data[y * stride: y * stride + cols * channels]
        for x in range(cols):
            px = row[x * channels: (x + 1) * channels]
            if channels == 1:
                pixels.append((px[0], px[0], px[0], 255))
            else:
                alpha = px[3] if kind == pdfium_c.FPDFBitmap_BGRA else 255
                pixels.append((px[2], px[1], px[0], alpha))
    return cols, rows, pixels


def _near(a: Colour, b: Colour) -> bool:
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]), abs(a[2] - b[2])) <= _NEAR


def _quantised(colour: Colour) -> Colour:
    return (colour[0] // 8 * 8, colour[1] // 8 * 8, colour[2] // 8 * 8)


def dominant_colour(pixels: list[tuple[int, int, int, int]]) -> Colour | None:
    """The most common strongly coloured painted colour, else the most common painted non-white one."""
    painted = [p[:3] for p in pixels if p[3] >= _OPAQUE and not all(c >= _WHITE for c in p[:3])]
    if not painted:
        return None
    colourful = [p for p in painted if max(p) - min(p) >= _COLOURFUL]
    pool = colourful if 4 * len(colourful) >= len(painted) or len(colourful) >= 16 else painted
    counts = Counter(_quantised(p) for p in pool)
    key = counts.most_common(1)[0][0]
    same = [p for p in pool if _quantised(p) == key]
    return tuple(sum(p[i] for p in same) // len(same) for i in range(3))  # type: ignore[return-value]


def bar_share(cols: int, rows: int, pixels: list[tuple[int, int, int, int]], colour: Colour) -> float | None:
    """Share of a bar's painted columns whose pixels are mostly `colour` (0-1)."""
    painted_cols = filled_cols = 0
    for x in range(cols):
        column = [pixels[y * cols + x] for y in range(rows)]
        painted = [p[:3] for p in column if p[3] >= _OPAQUE]
        if len(painted) < rows // 4 or not painted:
            continue
        painted_cols += 1
        if 2 * sum(_near(p, colour) for p in painted) > len(painted):
            filled_cols += 1
    return round(filled_cols / painted_cols, 3) if painted_cols else None


def icon_colour(document: pdfium_c.FPDF_DOCUMENT, page: pdfium_c.FPDF_PAGE, obj: pdfium_c.FPDF_PAGEOBJECT,
                width: float, height: float) -> tuple[Colour, float | None] | None:
    """(colour, bar share) of a small image object; None when it paints nothing but white."""
    rendered = _pixels(document, page, obj, width, height)
    if rendered is None:
        return None
    cols, rows, pixels = rendered
    colour = dominant_colour(pixels)
    if colour is None:
        return None
    share = bar_share(cols, rows, pixels, colour) if width >= _BAR_RATIO * height else None
    return colour, share
