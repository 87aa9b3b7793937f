"""Scan preparation stage: the pages to OCR -> straightened page images in one image-only PDF.

Before OCR each page is

1. rendered (pypdfium2) at its scan resolution, at least MIN_DPI (Tesseract reads best at about 300 dpi);
2. cleaned of specks: blobs of ink of at most SPECK_PIXELS pixels with no other ink within two pixels
   (a scanner's dust; a period or the dot of an 'i' is larger at 300 dpi, or close to its letter) are
   painted as paper, since Tesseract reads them as punctuation that joins or splits lines;
3. straightened: the skew is the angle (within MAX_SKEW degrees) at which the rows of ink are sharpest
   (the projection-profile method), measured on a reduced image and undone with a turn of the page image;
4. stored losslessly (Flate) in the PDF OCRmyPDF reads: JPEG's ringing around small digits costs
   Tesseract readings.

Nothing else is changed. Ruling lines stay: Tesseract's layout analysis uses them to keep table columns
apart (without them it joins the cells of a row into one line) and reports them as separators, which
become the page's rules. A median filter against specks changed readings both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

MIN_DPI = 300
MAX_DPI = 400
MAX_SKEW = 3.0  # degrees
SPECK_PIXELS = 4
SKEW_STEP = 0.05


@dataclass(frozen=True)
class PreparedPage:
    """One prepared page: where it is in the prepared PDF and what was done to it."""

    number: int  # 1-based page of the source PDF
    index: int  # 1-based page of the prepared PDF
    dpi: float
    size: tuple[int, int]
    """The prepared image's size in pixels."""
    rotation: float
    """Degrees the page image was turned counter-clockwise (Pillow's convention) to straighten it."""
    ink: float
    """Share of the page's pixels that are ink (a blank page has almost none)."""


def scan_dpi(page: pdfium.PdfPage) -> float:
    """Resolution of the page's largest image (pixels per inch of the page), within MIN_DPI..MAX_DPI."""
    best = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        left, _, right, _ = obj.get_bounds()
        width_px, _ = obj.get_px_size()
        if right - left > 1:
            best = max(best, width_px / ((right - left) / 72))
    return min(max(best, MIN_DPI), MAX_DPI)


def ink_of(grey: np.ndarray) -> np.ndarray:
    """Ink pixels: darker than the midpoint of the paper (90th percentile) and the darkest ink (1st), when the
    two differ by more than noise (a blank page has no ink)."""
    return _ink_and_paper(grey)[0]


def _ink_and_paper(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """ink_of(grey) and the paper's grey (the 90th percentile), both percentiles from one partition of the
    pixels (numpy interpolates each the same as alone)."""
    paper, dark = (float(v) for v in np.percentile(grey, (90, 1)))
    if paper - dark < 64:
        return np.zeros(grey.shape, dtype=bool), paper
    return grey < (paper + dark) / 2, paper


def _window_sums(mask: np.ndarray, radius: int) -> np.ndarray:
    """For every pixel, the number of True pixels in the (2 radius + 1)-square around it (outside the page
    counts as False)."""
    # Separable sums of shifted views in 8-bit (a 5 x 5 square holds at most 25): a 400-dpi page has 15
    # million pixels, and cumulative sums over them take 32 bits, four passes and several times the time.
    size = 2 * radius + 1
    dtype = np.uint8 if size * size <= 255 else np.int32
    height, width = mask.shape
    rows = np.pad(mask, ((radius, radius), (0, 0))).astype(dtype)
    columns = np.zeros((height, width + 2 * radius), dtype=dtype)
    middle = columns[:, radius:radius + width]
    for shift in range(size):
        middle += rows[shift:shift + height]
    sums = columns[:, 0:width].copy()
    for shift in range(1, size):
        sums += columns[:, shift:shift + width]
    return sums


def despeckle(grey: np.ndarray) -> np.ndarray:
    """The page with isolated specks of ink (at most SPECK_PIXELS pixels within a 3 x 3 square, nothing else
    in the 5 x 5 square around it) painted as paper."""
    ink, paper = _ink_and_paper(grey)
    near, around = _window_sums(ink, 1), _window_sums(ink, 2)
    centres = ink & (near <= SPECK_PIXELS) & (around == near)
    if not centres.any():
        return grey
    speck = _window_sums(centres, 1) > 0
    cleaned = grey.copy()
    cleaned[speck & ink] = int(paper)
    return cleaned


def skew_angle(ink: np.ndarray) -> float:
    """Pillow rotate() angle (degrees) that makes the rows of ink horizontal: the shear at which the sum of
    squared row sums is largest."""
    ys, xs = np.nonzero(ink)
    if ys.size < 100:
        return 0.0
    best, best_score = 0.0, -1.0
    height = ink.shape[0]
    # Each shear's rows are round(y + x tan) in floating point as ever, computed in two reused buffers; rows
    # off the page are counted below and above it (offset by `low`) and left out of the score, not filtered.
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)
    reach = int(np.ceil(float(xs.max(initial=0.0)) * np.tan(np.radians(MAX_SKEW + SKEW_STEP)))) + 2
    shifted, rows = np.empty_like(ys), np.empty(ys.shape, dtype=np.intp)
    for degrees in np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP):
        np.multiply(xs, np.tan(np.radians(degrees)), out=shifted)
        np.add(ys, shifted, out=shifted)
        np.rint(shifted, out=shifted)
        np.add(shifted, reach, out=shifted)
        rows[:] = shifted
        counts = np.bincount(rows, minlength=height + 2 * reach)[reach:reach + height].astype(np.int64)
        score = float(np.square(counts).sum())
        if score > best_score:
            best, best_score = float(degrees), score
    # rows follow y = y0 - x tan(best): turning the picture by -best degrees (counter-clockwise) levels them
    return round(-best, 3)


def _add_page(target: pdfium.PdfDocument, image: Image.Image, dpi: float) -> None:
    """Append a page showing image at dpi (stored with Flate, lossless)."""
    width, height = image.size[0] * 72 / dpi, image.size[1] * 72 / dpi
    page = target.new_page(width, height)
    picture = pdfium.PdfImage.new(target)
    picture.set_bitmap(pdfium.PdfBitmap.from_pil(image))
    picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(picture)
    page.gen_content()
    page.close()


def prepare_pages(path: Path, pages: list[int], target: Path, dpi: float | None = None) -> dict[int, PreparedPage]:
    """Write target: an image-only PDF of the given pages (1-based, in order), prepared for OCR, at their scan
    resolution (scan_dpi) or the given one."""
    prepared: dict[int, PreparedPage] = {}
    source, output = pdfium.PdfDocument(path), pdfium.PdfDocument.new()
    try:
        for index, number in enumerate(pages, start=1):
            page = source[number - 1]
            try:
                resolution = dpi or scan_dpi(page)
                image = page.render(scale=resolution / 72, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
            image = Image.fromarray(despeckle(np.asarray(image, dtype=np.uint8)))
            ink = ink_of(np.asarray(image.reduce(4), dtype=np.uint8))
            rotation = skew_angle(ink)
            if rotation:
                image = image.rotate(rotation, resample=Image.Resampling.BICUBIC, fillcolor=255)
            _add_page(output, image, resolution)
            prepared[number] = PreparedPage(number, index, resolution, image.size, rotation, float(ink.mean()))
        output.save(target)
    finally:
        source.close()
        output.close()
    return prepared
