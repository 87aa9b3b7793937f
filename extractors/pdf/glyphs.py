"""Glyph stage: the weight and slant of OCR words, measured on the page image Tesseract read.

Tesseract's LSTM engine reports no font attributes, but plandata's table and heading stages read bold
(header rows, strategic goals, headings) and italics (memo rows of finance tables). Two measures per word
(kept in the OCR cache; extractors.pdf.ocr_words decides bold and italic from them):

- weight: the median length of the horizontal runs of ink in the word (its vertical stems' width) per em
  of its font size (regular text about 0.10, bold about 0.16 or more);
- slant: how much sharper the word's columns of ink get (sum of squared column sums) when the image is
  sheared back by ITALIC_SHEAR (about 12 degrees, the usual oblique) than upright (italics over 1.1,
  upright text under 1.0).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:  # extractors.pdf.hocr decides the styles with this module's rules
    from extractors.pdf.hocr import RawWord

ITALIC_SHEAR = 0.21


def grey(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"), dtype=np.uint8)


def word_ink(image: np.ndarray, word: RawWord) -> np.ndarray:
    """The word's box as a boolean array of ink, split at the midpoint of its paper and its darkest ink
    (coloured headings print lighter than black text)."""
    x0, y0, x1, y1 = (max(int(round(v)), 0) for v in word.box)
    cells = image[y0:y1, x0:x1]
    if cells.size == 0:
        return np.zeros((0, 0), dtype=bool)
    paper, dark = np.percentile(cells, 90), np.percentile(cells, 3)
    return cells < (float(paper) + float(dark)) / 2


def stem_width(cells: np.ndarray) -> float | None:
    """Median length of the horizontal runs of ink, in pixels (None without ink)."""
    if cells.size == 0:
        return None
    padded = np.pad(cells.astype(np.int8), ((0, 0), (1, 1)))
    steps = np.diff(padded, axis=1)
    starts, ends = np.nonzero(steps == 1), np.nonzero(steps == -1)
    lengths = ends[1] - starts[1]
    return float(np.median(lengths)) if lengths.size else None


def sharpness(cells: np.ndarray, shear: float) -> float:
    """Sum of squared column sums of ink after shearing the rows back by shear (a row moves right by shear x its
    depth below the top, so a stem leaning right by that slant stands upright)."""
    height, width = cells.shape
    shifts = np.round(shear * np.arange(height)).astype(int)
    columns = np.zeros(width + int(shifts.max(initial=0)) + 1)
    for row, shift in zip(cells, shifts, strict=True):
        columns[shift:shift + width] += row
    return float(np.square(columns).sum())


def characters(word: RawWord) -> int:
    return sum(ch.isalnum() for ch in word.text)


def measure(words: list[RawWord], image_path: Path) -> list[RawWord]:
    """The words with their stem width per em (`weight`) and slant gain (`slant`) measured on the image."""
    image = grey(image_path)
    out: list[RawWord] = []
    for word in words:
        cells = word_ink(image, word)
        weight = slant = None
        if characters(word) and cells.size:
            stem, em = stem_width(cells), word.em
            weight = round(stem / em, 4) if stem and em else None
            upright = sharpness(cells, 0.0)
            slant = round(sharpness(cells, ITALIC_SHEAR) / upright, 4) if upright > 0 else None
        out.append(replace(word, weight=weight, slant=slant))
    return out
