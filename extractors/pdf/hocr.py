"""hOCR stage: Tesseract's hOCR page (as OCRmyPDF keeps it) -> straightened words in PDF points.

hOCR (https://kba.github.io/hocr-spec/1.2/) gives every word a box in image pixels and Tesseract's word
confidence (`x_wconf`, 0-100), every line its baseline (`baseline slope offset`, from the line box's
bottom left), and every detected ruling line an `ocr_separator` box. This stage

- straightens the page: the median baseline slope of the lines is the scan's skew, and every word and
  rule is turned about the page centre by it (`OcrPage.skew_degrees`), so that one printed line has one
  height across a whole table row;
- gives words the font size their glyphs show (the height above the baseline of a word with capitals or
  ascenders is about 0.74 em; Tesseract's `x_size` is often the block's, not the line's) and the top and
  bottom a PDF text layer would give them (0.78 em above and 0.22 em below the baseline);
- joins the digit groups of one printed amount ('-1' '887' '887' -> '-1 887 887'): glyph boxes leave
  wider gaps than a text layer's advance widths, so the text-layer rule would keep them apart; and splits
  a head that lost its thousands space ('1246 231' -> '1 246 231');
- reads a line's leading bullet-like marks ('«', '°') as the bullet '•' they print;
- drops the `|` and `[` `]` that table borders become, and a bracket glued to an amount when Tesseract
  is unsure of the word ('0)' for '0' before a border); the word keeps its low confidence;
- decides bold and italic from the weight and slant measured on the page image (extractors.pdf.glyphs).
"""

from __future__ import annotations

import math
import re
import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path

from extractors.pdf.glyphs import with_styles
from extractors.patterns import (
    OCR_BORDER_AFTER_AMOUNT,
    OCR_BORDER_ARTIFACT,
    OCR_BULLET,
    OCR_HAS_ASCENDER,
    OCR_LEADING_DASH,
    OCR_NUMBER_GROUP,
    OCR_NUMBER_HEAD,
    OCR_RUN_ON_HEAD,
    YEAR,
)

_NUMBERS = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PROPERTY = re.compile(r"\s*([a-z_]+)\s+([^;]*)")
ASCENT_EM = 0.74  # height of capitals and ascenders above the baseline, in em (sans and serif faces alike)
X_HEIGHT_EM = 0.53
TOP_EM, BOTTOM_EM = 0.78, 0.22  # a text layer's word box around the baseline
GROUP_GAP_EM = 0.75  # widest gap between the digit groups of one amount, between glyph boxes
BLANK_INK_SHARE = 0.002  # pages with less ink than this are blank (a few specks)
MIN_SKEW_LINE_SHARE = 0.2  # lines at least this share of the page wide measure the skew
UNSURE_CONFIDENCE = 70.0  # below this, a bracket glued to an amount is taken for the cell's border


@dataclass(frozen=True)
class OcrWord:
    """One recognised word, in PDF points (origin top-left), with Tesseract's confidence (0-100)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    confidence: float
    bold: bool = False
    italic: bool = False


@dataclass
class OcrPage:
    """The words and horizontal ruling lines (points, top-down) OCR found on one page."""

    number: int
    words: list[OcrWord] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)
    """Horizontal ruling lines as (x0, y, x1) in points."""
    blank: bool = False
    """The page has (almost) no ink: no words is what OCR should find."""
    skew_degrees: float = 0.0
    """The page picture turned by this angle (counter-clockwise, Pillow's Image.rotate) is the frame of the
    words: the scan's skew, undone before OCR and after it (from the remaining baseline slopes)."""

    @property
    def confidence(self) -> float | None:
        """Mean word confidence of the page (None without words)."""
        return round(sum(w.confidence for w in self.words) / len(self.words), 1) if self.words else None


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


def _regroup(text: str) -> str:
    """'1246 231' -> '1 246 231': a head longer than three digits before thousands groups lost its space."""
    found = OCR_RUN_ON_HEAD.fullmatch(text)
    if not found:
        return text
    sign, head, rest = found.groups()
    groups = []
    while len(head) > 3:
        groups.insert(0, head[-3:])
        head = head[:-3]
    return f"{sign}{' '.join([head, *groups])}{rest}"


def _run_on_head(text: str) -> bool:
    """Four to six digits that are no year ('1246' of '1 246 231', '-1935' of '-1 935 039'): a year before a
    number stays apart, and a year has no sign."""
    return bool(OCR_RUN_ON_HEAD.fullmatch(f"{text} 000")) and (text.startswith("-") or not YEAR.fullmatch(text))


def _bullets(words: list[RawWord]) -> list[RawWord]:
    """A line's first word made of bullet-like marks ('«', '»«', '°') is a list bullet: '•'."""
    out: list[RawWord] = []
    for index, word in enumerate(words):
        first = index == 0 or words[index - 1].line != word.line
        out.append(replace(word, text="•") if first and OCR_BULLET.fullmatch(word.text) else word)
    return out


def merge_groups(words: list[RawWord]) -> list[RawWord]:
    """Digit groups of one amount on one line become one word ('-1' '887' '887' -> '-1 887 887'); a head that
    lost its thousands space is split again ('1246' '231' -> '1 246 231'; not a year: '2025' '100')."""
    merged: list[RawWord] = []
    for word in words:
        prev = merged[-1] if merged else None
        em = (prev.em or word.em or 0.0) if prev else 0.0
        if (prev is not None and prev.line == word.line and OCR_NUMBER_GROUP.fullmatch(word.text)
                and (OCR_NUMBER_HEAD.fullmatch(prev.text) or _run_on_head(prev.text))
                and 0 <= word.box[0] - prev.box[2] < GROUP_GAP_EM * em):
            merged[-1] = replace(prev, text=f"{prev.text} {word.text}",
                                 box=(prev.box[0], min(prev.box[1], word.box[1]), word.box[2],
                                      max(prev.box[3], word.box[3])),
                                 confidence=min(prev.confidence, word.confidence),
                                 bold=prev.bold and word.bold, italic=prev.italic and word.italic)
        else:
            merged.append(word)
    return [replace(word, text=_regroup(word.text)) if " " in word.text else word for word in merged]


def skew_slope(slopes: list[float]) -> float:
    """The page's skew as a baseline slope (dy/dx in image pixels): the median of its wide lines'."""
    return statistics.median(slopes) if slopes else 0.0


def _line_sizes(words: list[RawWord]) -> dict[int, float]:
    by_line: dict[int, list[float]] = {}
    for word in words:
        if word.em is not None:
            by_line.setdefault(word.line, []).append(word.em)
    sizes = {line: statistics.median(ems) for line, ems in by_line.items()}
    fallback = statistics.median(sizes.values()) if sizes else 30.0
    return {word.line: sizes.get(word.line, fallback) for word in words}


def to_page(raw: RawPage, page_width: float, page_height: float, rule_share: float = 0.15) -> OcrPage:
    """Words and rules in PDF points on the straightened page (page_width/page_height in points).

    Separators wider than rule_share of the page and flat (20 times wider than high) become rules.
    """
    number, slopes, separators = raw.number, raw.slopes, raw.separators
    width, height = raw.image_size
    scale_x, scale_y = page_width / width, page_height / height
    angle = -math.atan(skew_slope(slopes))
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = width / 2, height / 2

    def turn(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - cx, y - cy
        return cx + dx * cos - dy * sin, cy + dx * sin + dy * cos

    words = with_styles(raw.words)
    sizes = _line_sizes(words)
    page = OcrPage(number=number, skew_degrees=round(raw.rotation - math.degrees(angle), 3),
                   blank=raw.ink < BLANK_INK_SHARE)
    for word in merge_groups(_bullets(words)):
        size = sizes[word.line]
        x, base = turn((word.box[0] + word.box[2]) / 2, word.baseline)
        half = (word.box[2] - word.box[0]) / 2
        page.words.append(OcrWord(
            text=word.text, x0=round((x - half) * scale_x, 2), x1=round((x + half) * scale_x, 2),
            top=round((base - TOP_EM * size) * scale_y, 2), bottom=round((base + BOTTOM_EM * size) * scale_y, 2),
            size=round(size * scale_y, 2), confidence=word.confidence, bold=word.bold, italic=word.italic))
    for x0, y0, x1, y1 in separators:
        if (x1 - x0) * scale_x > rule_share * page_width and (y1 - y0) * 20 < (x1 - x0):
            y = round(turn((x0 + x1) / 2, (y0 + y1) / 2)[1] * scale_y, 1)
            page.rules.append((round(x0 * scale_x, 1), y, round(x1 * scale_x, 1)))
    page.rules.sort(key=lambda rule: rule[1])
    page.words.sort(key=lambda w: (w.top, w.x0))
    return page


