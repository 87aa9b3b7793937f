"""hOCR stage: Tesseract's hOCR page (as OCRmyPDF keeps it) -> its words, lines and separators in pixels.

hOCR (https://kba.github.io/hocr-spec/1.2/) gives every word a box in image pixels and Tesseract's word
confidence (`x_wconf`, 0-100), every line its baseline (`baseline slope offset`, from the line box's
bottom left), and every detected ruling line an `ocr_separator` box. This stage reads them as they are,
except that it drops the `|` and `[` `]` that table borders become, and a bracket glued to an amount when
Tesseract is unsure of the word ('0)' for '0' before a border; the word keeps its low confidence). What it
returns is what the OCR cache keeps; extractors.pdf.ocr_words turns it into words in PDF points.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from extractors.patterns import OCR_BORDER_AFTER_AMOUNT, OCR_BORDER_ARTIFACT, OCR_HAS_ASCENDER, OCR_LEADING_DASH

_NUMBERS = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PROPERTY = re.compile(r"\s*([a-z_]+)\s+([^;]*)")
ASCENT_EM = 0.74  # height of capitals and ascenders above the baseline, in em (sans and serif faces alike)
X_HEIGHT_EM = 0.53
MIN_SKEW_LINE_SHARE = 0.2  # lines at least this share of the page wide measure the skew
UNSURE_CONFIDENCE = 70.0  # below this, a bracket glued to an amount is taken for the cell's border


@dataclass
class RawWord:
    """A word as hOCR gives it: pixel box, its line's baseline and the recognised text."""

    text: str
    box: tuple[float, float, float, float]
    confidence: float
    baseline: float  # y of the line's baseline under the word's centre, pixels
    line: int
    weight: float | None = None
    """Stem width per em, measured on the image (extractors.pdf.glyphs)."""
    slant: float | None = None
    """How much sharper the word's columns get sheared back by an italic slant (extractors.pdf.glyphs)."""
    bold: bool = False
    italic: bool = False

    @property
    def em(self) -> float | None:
        """Font size in pixels judged from the height above the baseline; None for a word without letters."""
        height = self.baseline - self.box[1]
        if height <= 0 or not any(ch.isalnum() for ch in self.text):
            return None
        return height / (ASCENT_EM if OCR_HAS_ASCENDER.search(self.text) else X_HEIGHT_EM)


def _properties(title: str | None) -> dict[str, list[float] | str]:
    out: dict[str, list[float] | str] = {}
    for part in (title or "").split(";"):
        found = _PROPERTY.match(part)
        if found:
            value = found.group(2).strip()
            numbers = _NUMBERS.findall(value)
            out[found.group(1)] = [float(n) for n in numbers] if numbers and found.group(1) != "image" else value
    return out


def _numbers(props: dict[str, list[float] | str], name: str, default: list[float]) -> list[float]:
    value = props.get(name)
    return value if isinstance(value, list) else default


@dataclass
class RawPage:
    """One hOCR page in image pixels: what the OCR cache keeps (the rest is derived by to_page)."""

    number: int
    image_size: tuple[float, float]
    words: list[RawWord] = field(default_factory=list)
    separators: list[tuple[float, float, float, float]] = field(default_factory=list)
    slopes: list[float] = field(default_factory=list)
    """Baseline slopes of the page's wide lines."""
    rotation: float = 0.0
    """Degrees the image was turned (counter-clockwise, Pillow's convention) before OCR read it."""
    ink: float = 0.0
    """Share of the image's pixels that are ink (extractors.pdf.prepare)."""


def read_hocr(path: Path, number: int) -> RawPage:
    """One hOCR page in pixels. Raises ValueError when the file has no ocr_page with an image size."""
    root = ET.parse(path).getroot()
    page = next((e for e in root.iter() if e.get("class") == "ocr_page"), None)
    size = _numbers(_properties(page.get("title")), "bbox", []) if page is not None else []
    if page is None or len(size) != 4 or size[2] <= 0 or size[3] <= 0:
        raise ValueError(f"{path.name}: no ocr_page with an image size in the hOCR")
    width, height = size[2], size[3]
    words: list[RawWord] = []
    separators: list[tuple[float, float, float, float]] = []
    slopes: list[float] = []
    for index, element in enumerate(page.iter()):
        kind = element.get("class", "")
        props = _properties(element.get("title"))
        if kind == "ocr_separator":
            x0, y0, x1, y1 = _numbers(props, "bbox", [0, 0, 0, 0])
            separators.append((x0, y0, x1, y1))
        elif kind in ("ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"):
            lx0, _, lx1, ly1 = _numbers(props, "bbox", [0, 0, 0, 0])
            slope, offset = (_numbers(props, "baseline", [0.0, 0.0]) + [0.0, 0.0])[:2]
            if lx1 - lx0 >= MIN_SKEW_LINE_SHARE * width:
                slopes.append(slope)
            for child in element.iter():
                if child.get("class") != "ocrx_word":
                    continue
                text = OCR_LEADING_DASH.sub("-", "".join(child.itertext()).strip())
                wprops = _properties(child.get("title"))
                box = tuple(_numbers(wprops, "bbox", [0, 0, 0, 0]))
                if not text or OCR_BORDER_ARTIFACT.fullmatch(text) or len(box) != 4:
                    continue
                confidence = _numbers(wprops, "x_wconf", [0.0])[0]
                border = OCR_BORDER_AFTER_AMOUNT.fullmatch(text)
                if border and confidence < UNSURE_CONFIDENCE:
                    text = border.group(1)
                baseline = ly1 + offset + slope * ((box[0] + box[2]) / 2 - lx0)
                words.append(RawWord(text=text, box=box, confidence=confidence,  # type: ignore[arg-type]
                                     baseline=baseline, line=index))
    return RawPage(number, (width, height), words, separators, slopes)
