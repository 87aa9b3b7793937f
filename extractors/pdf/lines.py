"""PDF line stage: words -> Line objects (words with style), number groups and segments."""

from __future__ import annotations

import itertools
from functools import lru_cache
from operator import attrgetter
import re
from dataclasses import dataclass, field, replace
from statistics import median

from extractors.numbers import is_number as _is_number
from extractors.patterns import YEAR
from models import BBox

_THOUSANDS_GROUP = re.compile(r"^\d{3}(?:[.,]\d+)?\)?$")
_NUMBER_HEAD = re.compile(r"^[(]?[-\u2212\u2013]?\d{1,3}$")
_DIGIT_RUN = re.compile(r"[(]?[-\u2212\u2013]?[\d ]+")
_GROUPED_HEAD = re.compile(r"^[(]?[-\u2212\u2013]?\d{1,3}( \d{3})+$")
_TOP_X0, _X0 = attrgetter("top", "x0"), attrgetter("x0")



@lru_cache(maxsize=1 << 16)
def is_number(text: str) -> bool:
    """extractors.numbers.is_number, remembered per text: the table finder asks about the same runs
    many times."""
    return _is_number(text)

@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    italic: bool = False
    source: str = "text"
    """'text' (the PDF's text layer) or 'ocr' (read by OCR, or an invisible OCR layer over a scan)."""
    confidence: float | None = None
    """The OCR engine's word confidence (Tesseract, 0-100); None for text-layer words."""
    color: tuple[int, int, int, int] | None = None
    """Fill colour (r, g, b, a; 0-255) of the word's first glyph, when read."""
    after_rule: bool = False
    """A stroked vertical rule stands between this word and the one before it on its line (a cell border)."""

    @property
    def is_number(self) -> bool:
        return is_number(self.text)


@dataclass
class Line:
    words: list[Word]
    page: int
    rules_above: bool = False
    segments_cache: list[Segment] | None = field(default=None, repr=False)
    band: int | None = None
    """The side-by-side block this half line was cut from (`extractors.pdf.sidebyside`): blank space between
    two lines of one band is no table's end, the other table printed rows there."""

    def _measures(self) -> tuple:
        """(words, their count, x0, x1, top, bottom, size, text), or () without words; kept on the line while
        its list of words is the same list of the same length (layout asks each line for its box many times;
        a line whose words are replaced or appended to is measured anew)."""
        words = self.words
        kept = self.__dict__.get("_measured")
        if kept is not None and kept[0] is words and kept[1] == len(words):
            return kept
        if not words:
            return ()  # no measures: the box raises as it always did, the text is empty
        kept = (words, len(words), min(w.x0 for w in words), max(w.x1 for w in words),
                min(w.top for w in words), max(w.bottom for w in words), median(w.size for w in words),
                " ".join(w.text for w in words))
        self.__dict__["_measured"] = kept
        return kept

    @property
    def x0(self) -> float:
        kept = self._measures()
        return kept[2] if kept else min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        kept = self._measures()
        return kept[3] if kept else max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        kept = self._measures()
        return kept[4] if kept else min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        kept = self._measures()
        return kept[5] if kept else max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        kept = self._measures()
        return kept[6] if kept else median(w.size for w in self.words)

    @property
    def text(self) -> str:
        kept = self._measures()
        return kept[7] if kept else ""

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def italic(self) -> bool:
        letters = [w for w in self.words if any(ch.isalpha() for ch in w.text)] or self.words
        return sum(w.italic for w in letters) > len(letters) / 2

    @property
    def bbox(self) -> BBox:
        kept = self._measures()
        if not kept:
            return BBox(x0=self.x0, top=self.top, x1=self.x1, bottom=self.bottom)  # raises
        return BBox(x0=kept[2], top=kept[4], x1=kept[3], bottom=kept[5])

    def segments(self) -> list[Segment]:
        if self.segments_cache is None:
            self.segments_cache = split_segments(self.words)
        return self.segments_cache


@dataclass
class Segment:
    """A run of words on one line separated from the next run by a column-sized gap."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        """The words joined by spaces, kept while the run's list of words is the same list of the same length
        (runs are built by appending words)."""
        words = self.words
        kept = self.__dict__.get("_text")
        if kept is not None and kept[0] is words and kept[1] == len(words):
            return kept[2]
        text = " ".join(w.text for w in words)
        self.__dict__["_text"] = (words, len(words), text)
        return text

    @property
    def is_number(self) -> bool:
        return is_number(self.text)

    @property
    def italic(self) -> bool:
        return all(w.italic for w in self.words)

    @property
    def bbox(self) -> BBox:
        return BBox(x0=self.x0, top=min(w.top for w in self.words), x1=self.x1,
                    bottom=max(w.bottom for w in self.words))


def group_lines(words: list[Word], page: int) -> list[Line]:
    """Words whose vertical extents overlap by half form one line (bold digits sit a point lower)."""
    lines: list[Line] = []
    # each line's top and bottom so far (the extent of its words), kept as words join it
    tops: list[float] = []
    bottoms: list[float] = []
    for word in sorted(words, key=_TOP_X0):
        word_top, word_bottom = word.top, word.bottom
        count = len(lines)
        for k in range(count - 1, (count - 4 if count > 3 else -1), -1):
            top, bottom = tops[k], bottoms[k]
            overlap = min(bottom, word_bottom) - max(top, word_top)
            if overlap >= 0.5 * min(word_bottom - word_top, bottom - top):
                lines[k].words.append(word)
                tops[k], bottoms[k] = min(top, word_top), max(bottom, word_bottom)
                break
        else:
            lines.append(Line(words=[word], page=page))
            tops.append(word_top)
            bottoms.append(word_bottom)
    for line in lines:
        line_words = line.words
        if len(line_words) > 1:
            line_words.sort(key=_X0)
            line.words = merge_number_groups(line_words)
    return sorted(lines, key=lambda ln: ln.top)


def merge_number_groups(words: list[Word]) -> list[Word]:
    """'-1' '887' '887' printed with thousands spaces become one word '-1 887 887'."""
    merged: list[Word] = []
    for word in words:
        prev = merged[-1] if merged else None
        if prev is not None and word.text.isdigit() and prev.text[-1:].isdigit() \
                and word.x0 - prev.x1 < 0.05 * word.size and _DIGIT_RUN.fullmatch(prev.text):
            # digits that touch are one token, whatever boxes a text layer gave them (an OCR layer's
            # '1500' '00' is '150000'; read by the number grammar as printed without separators)
            merged[-1] = replace(prev, text=f"{prev.text}{word.text}", x1=word.x1, top=min(prev.top, word.top),
                                 bottom=max(prev.bottom, word.bottom), confidence=_lowest(prev, word))
            continue
        if (prev is not None and word.x0 - prev.x1 < 0.45 * word.size and _THOUSANDS_GROUP.match(word.text)
                and (_NUMBER_HEAD.match(prev.text) or _GROUPED_HEAD.match(prev.text))):
            merged[-1] = replace(prev, text=f"{prev.text} {word.text}", x1=word.x1, top=min(prev.top, word.top),
                                 bottom=max(prev.bottom, word.bottom), bold=prev.bold and word.bold,
                                 italic=prev.italic and word.italic, confidence=_lowest(prev, word),
                                 source="ocr" if "ocr" in (prev.source, word.source) else prev.source)
        else:
            merged.append(word)
    return merged


def _lowest(*words: Word) -> float | None:
    known = [w.confidence for w in words if w.confidence is not None]
    return min(known) if known else None


def _separate_numbers(prev: Word, word: Word) -> bool:
    """Two number words side by side are two values when the second cannot go on the first: thousands
    groups printed with a space were joined by `merge_number_groups`, so what is left beside a number is
    another number ('-23.391.100 -24.400.000', set closer than a column gap), unless together they read
    as one number by the number grammar ('228 437*', '21 408 939-': a group with its marker or trailing
    minus) or both are years ('2025 2026' of a heading)."""
    if not (prev.is_number and word.is_number):
        return False
    if YEAR.fullmatch(prev.text) and YEAR.fullmatch(word.text):
        return False
    return not is_number(f"{prev.text} {word.text}")


def split_segments(words: list[Word], factor: float = 0.8) -> list[Segment]:
    """Runs of words separated by less than `factor` x the font size, with two numbers side by side always
    in runs of their own (see `_separate_numbers`), and a cell border (`Word.after_rule`) always between runs."""
    segments: list[Segment] = []
    for word in words:
        if segments and word.x0 - segments[-1].x1 < factor * word.size and not word.after_rule \
                and not _separate_numbers(segments[-1].words[-1], word):
            segments[-1].words.append(word)
        else:
            segments.append(Segment(words=[word]))
    # a trailing run of amounts stands in its own column(s), even when a label runs close to it
    out: list[Segment] = []
    for seg in segments:
        words = seg.words
        tail = len(words)
        while tail > 0 and words[tail - 1].is_number:
            tail -= 1
        years_only = all(YEAR.fullmatch(w.text) for w in words[tail:])  # 'BOKSLUT 2023' is one heading
        if 0 < tail < len(words) and not years_only and words[tail].x0 - words[tail - 1].x1 >= 0.6 * words[tail].size:
            out.append(Segment(words=words[:tail]))
            current: list[Word] = []
            for word in words[tail:]:
                if current and word.x0 - current[-1].x1 >= 0.6 * word.size:
                    out.append(Segment(words=current))
                    current = []
                current.append(word)
            out.append(Segment(words=current))
        else:
            out.append(seg)
    return out


def typical_pitch(lines: list[Line]) -> float:
    pitches = [b.top - a.top for a, b in itertools.pairwise(lines) if 0 < b.top - a.top < 3 * a.size]
    return median(pitches) if pitches else (lines[0].size * 1.2 if lines else 12.0)
