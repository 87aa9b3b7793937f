"""Glyph stage: the weight (bold) and slant (italic) of OCR words, measured on the page image.

Tesseract's LSTM engine reports no font attributes, but plandata's table and heading stages read bold
(header rows, strategic goals, headings) and italics (memo rows of finance tables). Both are measured on the
image Tesseract read, word by word:

- weight: the median length of the horizontal runs of ink in the word (its vertical stems' width) per em
  of its font size; a word is bold when its stems are BOLD_RATIO times as wide as the page's usual stems
  (the median over its words; most text is set in the regular weight), or LINE_BOLD_RATIO times on a line
  that is bold as a whole; words too short to judge take their line's weight;
- slant: the word's columns of ink are sharpest (the sum of squared column sums is largest) when the
  image is sheared back by the slant of its stems; a word is italic when shearing by ITALIC_SHEAR (about
  12 degrees, the usual oblique) sharpens its columns ITALIC_GAIN times over upright, or when its line
  leans as a whole (LINE_ITALIC_GAIN) and the word leans at all.
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:  # extractors.pdf.hocr decides the styles with this module's rules
    from extractors.pdf.hocr import RawWord

BOLD_RATIO = 1.3
LINE_BOLD_RATIO = 1.15  # a word on a bold line (its letters' mean weight over BOLD_RATIO) needs only this
ITALIC_SHEAR = 0.21
ITALIC_GAIN = 1.12  # a word's own slant
LINE_ITALIC_GAIN = 1.06  # a line's slant (mean over its letters), for its words that lean at all
MIN_CHARACTERS = 3  # shorter words give too few stems to judge: their line's measure decides


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


def _characters(word: RawWord) -> int:
    return sum(ch.isalnum() for ch in word.text)


def _line_means(words: list[RawWord], measures: dict[int, float]) -> dict[int, float]:
    """Per line, the mean of a measure over its words weighted by their letters and digits."""
    totals: dict[int, list[float]] = {}
    for index, value in measures.items():
        weight = _characters(words[index])
        entry = totals.setdefault(words[index].line, [0.0, 0.0])
        entry[0] += value * weight
        entry[1] += weight
    return {line: total / count for line, (total, count) in totals.items() if count}


def measure(words: list[RawWord], image_path: Path) -> list[RawWord]:
    """The words with their stem width per em (`weight`) and slant gain (`slant`) measured on the image."""
    image = grey(image_path)
    out: list[RawWord] = []
    for word in words:
        cells = word_ink(image, word)
        weight = slant = None
        if _characters(word) and cells.size:
            stem, em = stem_width(cells), word.em
            weight = round(stem / em, 4) if stem and em else None
            upright = sharpness(cells, 0.0)
            slant = round(sharpness(cells, ITALIC_SHEAR) / upright, 4) if upright > 0 else None
        out.append(replace(word, weight=weight, slant=slant))
    return out


def with_styles(words: list[RawWord]) -> list[RawWord]:
    """The words with bold and italic decided from their measures (see the module's rules)."""
    weights = {i: w.weight for i, w in enumerate(words) if w.weight is not None}
    slants = {i: w.slant for i, w in enumerate(words) if w.slant is not None}
    usual = [weights[i] for i in weights if _characters(words[i]) >= MIN_CHARACTERS]
    normal = statistics.median(usual) if usual else None
    line_weight, line_slant = _line_means(words, weights), _line_means(words, slants)
    out: list[RawWord] = []
    for index, word in enumerate(words):
        judged = _characters(word) >= MIN_CHARACTERS
        weight = weights.get(index) if judged else line_weight.get(word.line)
        line_bold = normal is not None and line_weight.get(word.line, 0.0) > BOLD_RATIO * normal
        # a word of a bold line keeps the line's weight unless its own stems are plainly regular
        # (diagonal strokes, as in 'via', read thinner than upright stems)
        bold = normal is not None and weight is not None and \
            (weight > BOLD_RATIO * normal or (line_bold and weight > LINE_BOLD_RATIO * normal))
        slant = slants.get(index, 0.0)
        italic = (judged and slant > ITALIC_GAIN) or \
            (line_slant.get(word.line, 0.0) > LINE_ITALIC_GAIN and (slant > 1.0 or not judged))
        out.append(replace(word, bold=bold, italic=italic))
    return out
