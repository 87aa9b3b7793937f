"""OCR words stage: one page as the OCR cache keeps it (extractors.pdf.hocr, in pixels) -> words and rules in
PDF points, as the line stages read a text layer. This stage

- straightens the page: the median baseline slope of the wide lines is the skew left after preparation,
  and every word and rule is turned about the page centre by it (`OcrPage.skew_degrees` is the whole
  turn, preparation included), so that one printed line has one height across a whole table row;
- gives words the font size their glyphs show (the height above the baseline of a word with capitals or
  ascenders is about 0.74 em, with an accented capital about 0.92 em; Tesseract's `x_size` is often the
  block's, not the line's) and the top and bottom a PDF text layer would give them (0.78 em above and
  0.22 em below the baseline);
- joins the digit groups of one printed amount ('-1' '887' '887' -> '-1 887 887'): glyph boxes leave
  wider gaps than a text layer's advance widths, so the text-layer rule would keep them apart; and splits
  a head that lost its thousands space ('1246 231' -> '1 246 231');
- reads a line's leading bullet-like marks ('«', '°') as the bullet '•' they print;
- drops marks smaller than SPECK_EM of the line's em both ways that stand alone (dust read as '-', '.'
  or even 'E'; a period or comma of a word is inside the word's box), and marks before the first letter
  of a word Tesseract is unsure of ('-NYCKELMÅL');
- reads digit groups that Tesseract joined with a dash or an apostrophe ('185-185') as the amount they
  are ('185 185') on a line of amounts; such a word keeps at most REPAIRED_CONFIDENCE, so it is reported;
- decides bold and italic from the measured weight and slant: a word is bold when its stems are
  BOLD_RATIO times as wide as the page's usual stems (the median over its words; most text is set in the
  regular weight), or LINE_BOLD_RATIO times on a line that is bold as a whole; italic when its slant
  passes ITALIC_GAIN, or LINE_ITALIC_GAIN on a line that leans as a whole; words too short to judge take
  their line's measures.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field, replace

from extractors.pdf.glyphs import characters
from extractors.pdf.hocr import RawPage, RawWord
from extractors.patterns import (
    OCR_ACCENTED_CAPITAL,
    OCR_BULLET,
    OCR_HAS_ASCENDER,
    OCR_DASHED_GROUPS,
    OCR_DIGITS_WORD,
    OCR_GROUP_DASH,
    OCR_NUMBER_GROUP,
    OCR_NUMBER_HEAD,
    OCR_RUN_ON_HEAD,
    OCR_STRAY_LEAD,
    YEAR,
)

TOP_EM, BOTTOM_EM = 0.78, 0.22  # a text layer's word box around the baseline
GROUP_GAP_EM = 0.75  # widest gap between the digit groups of one amount, between glyph boxes
BLANK_INK_SHARE = 0.002  # pages with less ink than this are blank (a few specks)
# Pages with more ink than this are pictures (a full-bleed photo or a coloured cover): printed text on
# paper, however dense or badly copied, leaves most of the page lighter than its midpoint (a text page
# of the corpus scans is 3-15 % ink; Seinäjoki's decorative back cover, p. 189, is about 80 %).
PICTURE_INK_SHARE = 0.4
SPECK_EM = 0.25
UNSURE_CONFIDENCE = 70.0
ACCENTED_CAPITAL_EM = 0.92  # the ring of 'Å' and the dots of 'Ä', 'Ö' rise about 0.2 em above the capitals
REPAIRED_CONFIDENCE = 79.0  # below extractors.ocr_checks.LOW_CONFIDENCE: a figure OCR text was repaired for
AMOUNTS_ON_LINE = 2  # other amounts on a line that make it a line of amounts
BOLD_RATIO = 1.3
LINE_BOLD_RATIO = 1.15  # a word on a bold line (its letters' mean weight over BOLD_RATIO) needs only this
ITALIC_GAIN = 1.12  # a word's own slant
LINE_ITALIC_GAIN = 1.06  # a line's slant (mean over its letters), for its words that lean at all
MIN_CHARACTERS = 3  # shorter words give too few stems to judge: their line's measure decides


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
    picture: bool = False
    """Most of the page is ink (a photo, a coloured cover): a page without words may be only a picture."""
    skew_degrees: float = 0.0
    """The page picture turned by this angle (counter-clockwise, Pillow's Image.rotate) is the frame of the
    words: the scan's skew, undone before OCR and after it (from the remaining baseline slopes)."""

    @property
    def confidence(self) -> float | None:
        """Mean word confidence of the page (None without words)."""
        return round(sum(w.confidence for w in self.words) / len(self.words), 1) if self.words else None


def _line_means(words: list[RawWord], measures: dict[int, float]) -> dict[int, float]:
    """Per line, the mean of a measure over its words weighted by their letters and digits."""
    totals: dict[int, list[float]] = {}
    for index, value in measures.items():
        weight = characters(words[index])
        entry = totals.setdefault(words[index].line, [0.0, 0.0])
        entry[0] += value * weight
        entry[1] += weight
    return {line: total / count for line, (total, count) in totals.items() if count}


def with_styles(words: list[RawWord]) -> list[RawWord]:
    """The words with bold and italic decided from their measures (see the module's rules)."""
    weights = {i: w.weight for i, w in enumerate(words) if w.weight is not None}
    slants = {i: w.slant for i, w in enumerate(words) if w.slant is not None}
    usual = [weights[i] for i in weights if characters(words[i]) >= MIN_CHARACTERS]
    normal = statistics.median(usual) if usual else None
    line_weight, line_slant = _line_means(words, weights), _line_means(words, slants)
    out: list[RawWord] = []
    for index, word in enumerate(words):
        judged = characters(word) >= MIN_CHARACTERS
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


def _run_on_head(text: str, among_amounts: bool) -> bool:
    """Four to six digits that lost their thousands space ('1246' of '1 246 231', '-1935' of '-1 935 039'); a
    year ('2025 100') stays apart unless it stands among amounts or has a sign."""
    return bool(OCR_RUN_ON_HEAD.fullmatch(f"{text} 000")) and \
        (among_amounts or text.startswith("-") or not YEAR.fullmatch(text))


def _amount_lines(words: list[RawWord]) -> set[int]:
    """Lines holding more than AMOUNTS_ON_LINE words of digits (amounts or their groups: rows of a finance
    table)."""
    counts: dict[int, int] = {}
    for word in words:
        if OCR_DIGITS_WORD.fullmatch(word.text):
            counts[word.line] = counts.get(word.line, 0) + 1
    return {line for line, count in counts.items() if count > AMOUNTS_ON_LINE}


def _bullets(words: list[RawWord]) -> list[RawWord]:
    """A line's first word made of bullet-like marks ('«', '»«', '°') is a list bullet: '•'."""
    out: list[RawWord] = []
    for index, word in enumerate(words):
        first = index == 0 or words[index - 1].line != word.line
        out.append(replace(word, text="•") if first and OCR_BULLET.fullmatch(word.text) else word)
    return out


def _specks(words: list[RawWord], sizes: dict[int, float]) -> list[RawWord]:
    """The words without alone-standing marks smaller than SPECK_EM both ways, and without the marks an
    unsure word starts with before its first letter ('-NYCKELMÅL': a border or a speck read with it)."""
    out: list[RawWord] = []
    for word in words:
        if max(word.box[2] - word.box[0], word.box[3] - word.box[1]) < SPECK_EM * sizes.get(word.line, 30.0):
            continue
        stray = OCR_STRAY_LEAD.match(word.text)
        if stray and word.confidence < UNSURE_CONFIDENCE:
            word = replace(word, text=word.text[stray.end():])
        out.append(word)
    return out


def _dashed_groups(words: list[RawWord], amount_lines: set[int]) -> list[RawWord]:
    """'185-185' -> '185 185' on a line of amounts (confidence lowered: the text was repaired)."""
    out: list[RawWord] = []
    for word in words:
        found = OCR_DASHED_GROUPS.fullmatch(word.text)
        if found and word.line in amount_lines:
            text = found.group(1) + OCR_GROUP_DASH.sub(" ", found.group(2))
            word = replace(word, text=text, confidence=min(word.confidence, REPAIRED_CONFIDENCE))
        out.append(word)
    return out


def merge_groups(words: list[RawWord], amount_lines: frozenset[int] | set[int] = frozenset()) -> list[RawWord]:
    """Digit groups of one amount on one line become one word ('-1' '887' '887' -> '-1 887 887'); a head that
    lost its thousands space is split again ('1246' '231' -> '1 246 231', confidence lowered; a year before
    a number, '2025' '100', only on a line of amounts)."""
    merged: list[RawWord] = []
    for word in words:
        prev = merged[-1] if merged else None
        em = (prev.em or word.em or 0.0) if prev else 0.0
        run_on = prev is not None and not OCR_NUMBER_HEAD.fullmatch(prev.text) and \
            _run_on_head(prev.text, prev.line in amount_lines)
        if (prev is not None and prev.line == word.line and OCR_NUMBER_GROUP.fullmatch(word.text)
                and (OCR_NUMBER_HEAD.fullmatch(prev.text) or run_on)
                and 0 <= word.box[0] - prev.box[2] < GROUP_GAP_EM * em):
            confidence = min(prev.confidence, word.confidence, REPAIRED_CONFIDENCE if run_on else 100.0)
            merged[-1] = replace(prev, text=f"{prev.text} {word.text}",
                                 box=(prev.box[0], min(prev.box[1], word.box[1]), word.box[2],
                                      max(prev.box[3], word.box[3])),
                                 confidence=confidence, bold=prev.bold and word.bold,
                                 italic=prev.italic and word.italic)
        else:
            merged.append(word)
    return [replace(word, text=_regroup(word.text)) if " " in word.text else word for word in merged]


def skew_slope(slopes: list[float]) -> float:
    """The page's skew as a baseline slope (dy/dx in image pixels): the median of its wide lines'."""
    return statistics.median(slopes) if slopes else 0.0


def font_size(word: RawWord) -> float | None:
    """The word's font size in pixels from its height above the baseline, by its tallest character: an
    accented capital ('Å', 'Ä') stands ACCENTED_CAPITAL_EM high, capitals, digits and ascenders ASCENT_EM,
    other letters the x-height; None for a word without letters or digits."""
    height = word.baseline - word.box[1]
    if height <= 0 or not any(ch.isalnum() for ch in word.text):
        return None
    if OCR_ACCENTED_CAPITAL.search(word.text):
        return height / ACCENTED_CAPITAL_EM
    return word.em


def _line_sizes(words: list[RawWord]) -> dict[int, float]:
    """Font size (pixels) of every line: the median of its words' sizes; a line whose words all stand at
    x-height ('grupp.') measures badly (its baseline is a guess of Tesseract's) and takes the page's usual
    size instead."""
    by_line: dict[int, list[float]] = {}
    tall: set[int] = set()
    for word in words:
        size = font_size(word)
        if size is not None:
            by_line.setdefault(word.line, []).append(size)
            if OCR_HAS_ASCENDER.search(word.text):
                tall.add(word.line)
    sizes = {line: statistics.median(values) for line, values in by_line.items()}
    measured = [size for line, size in sizes.items() if line in tall]
    usual = statistics.median(measured) if measured else (statistics.median(sizes.values()) if sizes else 30.0)
    return {word.line: sizes[word.line] if word.line in tall else usual for word in words}


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
                   blank=raw.ink < BLANK_INK_SHARE, picture=raw.ink > PICTURE_INK_SHARE)
    kept = _bullets(_specks(words, sizes))
    amount_lines = _amount_lines(kept)
    for word in merge_groups(_dashed_groups(kept, amount_lines), amount_lines):
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


