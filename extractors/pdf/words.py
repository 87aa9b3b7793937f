"""PDF word stage: visible characters -> words -> lines, one reading direction at a time.

Rules (issue 9, the character layer; each has a test in tests/test_pdf_chars.py):
- A glyph painted twice at (almost) the same place counts once, and the doubled text is bold.
- Word breaks come from the gaps of the row measured against the row's own character spacing: a
  run set with wide tracking keeps its letters together, and letters set apart by single spaces
  ("B U D G E T  2 0 2 5") are joined back into words ("BUDGET 2025").
- Characters of separate runs (text objects) set closer than a word gap stay separate words
  ("138" "-45"), except a sign glued to the digit of the figure that follows it (a hyphen before a letter
  stays apart: 'vuo-' 'Valmis').
- Ligatures are expanded (U+FB00-FB06), zero-width characters dropped; a soft hyphen inside a
  word is dropped, one that ends a word (the break was taken there: a line or a table cell's line
  ends) stays as its last character (U+00AD), so that the wrapped-text joiner continues the word
  (`extractors.layout.join_wrapped`). PDFium reports a soft hyphen that ends a line after a letter
  as a line-end hyphen, as it does '-': such a word ends in '-', and the evidence-based repair
  (`extractors/nlp/repair.py`) decides.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import cache
from operator import attrgetter
from statistics import median

import numpy as np

from extractors.pdf.chars import Char
from extractors.pdf.lines import Line, Word, group_lines
from extractors.patterns import FONT_SUBSET_TAG

SOFT_HYPHEN = "\xad"
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
SIGNS = frozenset("-\u2212\u2013+(")

WORD_GAP = 0.25
"""A gap wider than the row's character spacing by this share of the font size ends a word."""
RUN_GAP = 0.1
"""Between two runs (text objects) a gap of this share of the font size ends a word."""
ROW_TOLERANCE = 3.0
"""Characters whose tops differ by at most this many points (or 0.4 of their size) share a row."""
SPACED_GAP = 1.2
"""Single characters set apart by at most this share of their size may be letter-spaced text."""
SPACED_MIN = 4
"""Letter-spaced text is at least this many single characters in a row ("2 0 2 5"; "1 2 3" stays)."""

_X0, _INDEX = attrgetter("x0"), attrgetter("index")
_TOP_X0, _X0_INDEX = attrgetter("top", "x0"), attrgetter("x0", "index")
_TEXT, _BOLD, _X1, _TOP, _BOTTOM = attrgetter("text"), attrgetter("bold"), attrgetter("x1"), attrgetter("top"), \
    attrgetter("bottom")
_PAGE_Y, _SOURCE, _DIRECTION = attrgetter("page_y"), attrgetter("source"), attrgetter("direction")
_SIZE = attrgetter("size")
_SPECIAL = re.compile("[\xad\ufb00-\ufb06]")
_NO_TRACKING: dict[int, float] = {}


def drop_overprinted(chars: list[Char]) -> list[Char]:
    """Characters painted twice at (almost) the same place count once; the one kept is bold.

    Two pieces of one glyph (a ligature PDFium expanded: same run, next index, same box) are not a
    doubling. Only characters of the same text can be doubles, at most 1 pt apart across and down:
    the texts holding such a pair (`_doubling_texts`, a page's arrays at once) are compared character by
    character, each among its own characters (the decisions of one text never depend on another's).
    """
    texts = _doubling_texts(chars)
    if not texts:
        return chars
    by_text: dict[str, list[Char]] = {}
    for char in sorted((c for c in chars if c.text in texts), key=_X0):
        group = by_text.get(char.text)
        if group is None:
            by_text[char.text] = [char]
        else:
            group.append(char)
    doubled: set[int] = set()
    for ordered in by_text.values():
        total = len(ordered)
        if total < 2:
            continue
        for i, (char, after) in enumerate(itertools.pairwise(ordered)):
            x0 = char.x0
            if after.x0 >= x0 + 1.0:
                continue  # nothing within the widest reach (the loop below would stop at once)
            half = 0.5 * (char.x1 - x0)
            reach = x0 + (1.0 if half > 1.0 else half if half > 0.05 else 0.05)
            for j in range(i + 1, total):
                other = ordered[j]
                if other.x0 >= reach:
                    break
                if abs(other.top - char.top) >= (1.0 if char.size > 4 else 0.25 * char.size) \
                        or id(other) in doubled or id(char) in doubled:
                    continue
                if other.run == char.run and abs(other.index - char.index) == 1 and abs(other.x0 - x0) < 0.01:
                    continue  # a ligature's second letter
                first, second = (char, other) if char.index < other.index else (other, char)
                doubled.add(id(second))
                first.bold = True
    return [c for c in chars if id(c) not in doubled] if doubled else chars


def _doubling_texts(chars: list[Char]) -> set[str]:
    """The texts of which two characters stand less than 1 pt apart across (x0) and down (top): the only ones
    `drop_overprinted` can find doubled (its reach is at most 1 pt, its tolerance down at most 1 pt). All texts
    when a coordinate or size is not a number (the loop's comparisons with one are not those of a range)."""
    if len(chars) < 2:
        return set()
    texts = list(map(_TEXT, chars))
    joined = "".join(texts)
    if len(joined) == len(texts) and "" not in texts:  # one character each, as PDFium reads them: the code point
        # is the text's code (no empty text, so equal lengths mean one character each)
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    else:
        known: dict[str, int] = {}
        codes = np.fromiter((known.setdefault(t, len(known)) for t in texts), dtype=np.int64, count=len(texts))
    x0 = np.fromiter(map(_X0, chars), dtype=float, count=len(chars))
    top = np.fromiter(map(_TOP, chars), dtype=float, count=len(chars))
    size = np.fromiter(map(_SIZE, chars), dtype=float, count=len(chars))
    if np.isnan(x0).any() or np.isnan(top).any() or np.isnan(size).any():
        return set(texts)
    order = np.lexsort((x0, codes))  # by text, then across
    codes, x0, top = codes[order], x0[order], top[order]
    found: set[str] = set()
    # the k-th neighbour in this order: a text's characters less than 1 pt apart across follow each other, so
    # the search stops at the first k where no pair of one text is that close across
    for k in range(1, len(chars)):
        near = (codes[k:] == codes[:-k]) & (x0[k:] < x0[:-k] + 1.0)
        if not near.any():
            break
        doubles = near & (np.abs(top[k:] - top[:-k]) < 1.0)
        if doubles.any():
            found.update(texts[i] for i in order[k:][doubles].tolist())
    return found


def _rows(chars: list[Char]) -> list[list[Char]]:
    rows: list[list[Char]] = []
    row: list[Char] = []
    last_top = 0.0
    most = ROW_TOLERANCE
    for char in sorted(chars, key=_TOP_X0):
        top = char.top
        tolerance = 0.4 * char.size
        if row and top - last_top <= (tolerance if tolerance < most else most):
            row.append(char)
        else:
            row = [char]
            rows.append(row)
        last_top = top
    return rows


def _tracking(row: list[Char]) -> dict[int, float]:
    """Each run's own spacing between neighbouring characters in this row (median gap, >= 0)."""
    gaps: dict[int, list[float]] = {}
    by_index = sorted(row, key=_INDEX)
    a = by_index[0]
    a_space = a.text.isspace()
    for k in range(1, len(by_index)):
        b = by_index[k]
        b_space = b.text.isspace()
        if not a_space and not b_space and a.run == b.run and b.index == a.index + 1:
            values = gaps.get(a.run)
            if values is None:
                gaps[a.run] = [b.x0 - a.x1]
            else:
                values.append(b.x0 - a.x1)
        a, a_space = b, b_space
    tracking: dict[int, float] = {}
    for run, values in gaps.items():
        count = len(values)
        if count == 1:
            middle = values[0]
        else:  # statistics.median
            values.sort()
            half = count // 2
            middle = values[half] if count % 2 else (values[half - 1] + values[half]) / 2
        tracking[run] = middle if middle > 0.0 else 0.0
    return tracking


def _breaks(prev: Char, char: Char, tracking: dict[int, float]) -> bool:
    """A word ends between prev and char: a gap wider than the runs' own spacing by WORD_GAP of the size,
    a change of font or size, or a gap of RUN_GAP of the size between two runs, except a sign before the digit of
    its figure ('-' / '7 030'). A dash or hyphen before a letter of another run is no sign: a line-end 'vuo-' and
    the next cell's 'Valmis', or 'ratio –' and 'tunnusluvun' set a space apart, stay two words (Kauhava p. 71)."""
    gap = char.x0 - prev.x1
    size = prev.size if prev.size < char.size else char.size
    base = max(tracking.get(prev.run, 0.0), tracking.get(char.run, 0.0))
    if gap > base + WORD_GAP * size:
        return True
    if _family(prev.font) != _family(char.font) or abs(prev.size - char.size) > 0.01:
        return True  # a change of font or size inside a run of glyphs starts a new word
    return prev.run != char.run and gap > RUN_GAP * size and not (prev.text in SIGNS and char.text.isdigit())


@cache
def _family(font: str) -> str:
    """A font's name without the subset tag a producer put before it: 'BCDIEE+Corbel' (a dash embedded as a
    subset, '2025–2027' in Kauhava p. 79) and 'Corbel' set one word."""
    return FONT_SUBSET_TAG.sub("", font)


def _word(chars: list[Char]) -> Word | None:
    first = chars[0]
    if len(chars) == 1:
        text = first.text
        text = LIGATURES.get(text, text)
        if not text.strip(SOFT_HYPHEN):
            return None
        return Word(text, first.x0, first.x1, first.top, first.bottom, first.size, bool(first.bold), first.italic,
                    "ocr" if first.source == "ocr" else "text", None, first.color)
    text = "".join(map(_TEXT, chars))
    if _SPECIAL.search(text):  # a ligature or a soft hyphen among the characters
        parts = [LIGATURES.get(t, t) for t in map(_TEXT, chars)]
        if SOFT_HYPHEN in parts:
            last = len(parts) - 1  # inside a word a soft hyphen is a break point not taken; at its end it stays
            parts = [t for position, t in enumerate(parts) if t != SOFT_HYPHEN or position == last]
        text = "".join(parts)
        if not text.strip(SOFT_HYPHEN):
            return None
    elif not text:
        return None
    count = len(chars)
    return Word(text, first.x0, max(map(_X1, chars)), min(map(_TOP, chars)), max(map(_BOTTOM, chars)), first.size,
                sum(map(_BOLD, chars)) * 2 > count, first.italic,
                "ocr" if list(map(_SOURCE, chars)).count("ocr") * 2 > count else "text", None, first.color)


def _row_words(row: list[Char]) -> list[Word]:
    """The words of one row of characters (sorted here by x0).

    The runs' spacing (`_tracking`) is measured only when a gap wider than WORD_GAP of the size needs it: it is
    never negative, so a narrower gap is no word break whatever it is."""
    row.sort(key=_X0_INDEX)
    tracking: dict[int, float] | None = None
    pieces: list[list[Char]] = []
    current: list[Char] = []
    breaks = _breaks
    prev: Char | None = None
    for char in row:
        if char.text.isspace():
            if current:
                pieces.append(current)
            current = []
            prev = None
            continue
        if prev is not None:
            run = char.run
            gap = char.x0 - prev.x1
            if prev.run == run and prev.size == char.size and prev.font == char.font:
                # one run, one font and size: only the gap against the run's own spacing can end the word
                # (what `_breaks` decides for such a pair)
                word_gap = WORD_GAP * char.size
                if gap > word_gap:
                    if tracking is None:
                        tracking = _tracking(row)
                    if gap > tracking.get(run, 0.0) + word_gap:
                        pieces.append(current)
                        current = []
            else:
                if tracking is None and gap > WORD_GAP * (prev.size if prev.size < char.size else char.size):
                    tracking = _tracking(row)
                if breaks(prev, char, _NO_TRACKING if tracking is None else tracking):
                    pieces.append(current)
                    current = []
        current.append(char)
        prev = char
    if current:
        pieces.append(current)
    if len(pieces) >= SPACED_MIN:
        pieces = join_letter_spaced(pieces)
    words = []
    for piece in pieces:
        word = _word(piece)
        if word is not None:
            words.append(word)
    return words


def join_letter_spaced(pieces: list[list[Char]]) -> list[list[Char]]:
    """Single letters or digits set apart by even gaps ("B U D G E T  2 0 2 5") are joined into words;
    a wider gap, or a change between letters and digits, ends a word."""
    out: list[list[Char]] = []
    index = 0
    while index < len(pieces):
        end = index
        while end + 1 < len(pieces) and _single(pieces[end]) and _single(pieces[end + 1]) and \
                pieces[end + 1][0].x0 - pieces[end][-1].x1 <= SPACED_GAP * pieces[end][0].size:
            end += 1
        if end - index + 1 < SPACED_MIN:
            out.append(pieces[index])
            index += 1
            continue
        group = pieces[index:end + 1]
        gaps = [b[0].x0 - a[-1].x1 for a, b in zip(group, group[1:], strict=False)]
        usual = median(gaps)
        word = list(group[0])
        for gap, piece in zip(gaps, group[1:], strict=True):
            if gap > 1.5 * usual + 0.5 or piece[0].text.isdigit() != word[-1].text.isdigit():
                out.append(word)
                word = list(piece)
            else:
                word += piece
        out.append(word)
        index = end + 1
    return out


def _single(piece: list[Char]) -> bool:
    return len(piece) == 1 and piece[0].text.isalnum()


def chars_to_lines(chars: list[Char], page: int) -> list[Line]:
    """Lines of words of one page, each reading direction in its own upright frame; directions follow
    each other as their text starts down the displayed page (a heading over a sideways table first)."""
    if not ZERO_WIDTH.isdisjoint(map(_TEXT, chars)):
        chars = [c for c in chars if c.text not in ZERO_WIDTH]
    chars = drop_overprinted(chars)
    if len(set(map(_DIRECTION, chars))) < 2:  # one reading direction (or none): no order of directions to find
        return group_lines([w for row in _rows(chars) for w in _row_words(row)], page)
    by_direction: dict[int, list[Char]] = {}
    for char in chars:
        group = by_direction.get(char.direction)
        if group is None:
            by_direction[char.direction] = [char]
        else:
            group.append(char)
    tops = {direction: min(map(_PAGE_Y, group)) for direction, group in by_direction.items()}
    lines: list[Line] = []
    for direction in sorted(tops, key=tops.__getitem__):
        words = [w for row in _rows(by_direction[direction]) for w in _row_words(row)]
        lines += group_lines(words, page)
    return lines


def main_direction(chars: list[Char]) -> int:
    directions = Counter(map(_DIRECTION, chars))
    return directions.most_common(1)[0][0] if directions else 0
