"""PDF cell splitting: a run of text over several value columns is cut where the columns' cells meet.

Figures set closer together than a word gap arrive as one run or even one word ('138-45', '12 345'
over two columns); the table's column positions, not the spacing, decide where one cell ends. Character
positions inside a word are interpolated along it (the text layer gives a word's extent only).
"""

from __future__ import annotations

import re

from extractors.numbers import is_number
from extractors.pdf.grid import span_index
from extractors.pdf.lines import Segment, Word

# a sign or an opening parenthesis right after a digit starts a second figure: '138-45', '12(3)'
_GLUED = re.compile(r"(?<=[\d)])(?=[-\u2212\u2013(])")
Spans = list[tuple[float, float]]


def _piece(word: Word, start: int, end: int) -> Word:
    width = (word.x1 - word.x0) / max(1, len(word.text))
    text = word.text[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    x0 = word.x0 + (start + lead) * width
    return Word(text=text, x0=x0, x1=x0 + len(text) * width, top=word.top, bottom=word.bottom, size=word.size,
                bold=word.bold, italic=word.italic)


def _crosses(x0: float, x1: float, spans: Spans) -> bool:
    """The extent reaches well over a boundary between two cells: a quarter of it (and more than a
    point) on each side."""
    margin = max(1.0, 0.25 * (x1 - x0))
    return any(x0 < b - margin and x1 > b + margin for _, b in spans[:-1])


def split_word(word: Word, spans: Spans) -> list[Word]:
    """The word cut into figures that each stand in one cell, when such a cut exists; else the word."""
    if not _crosses(word.x0, word.x1, spans):
        return [word]
    cuts = sorted({m.start() for m in _GLUED.finditer(word.text)} |
                  {i for i, ch in enumerate(word.text) if ch == " "})
    for cut in cuts:
        left, right = _piece(word, 0, cut), _piece(word, cut, len(word.text))
        if not (is_number(left.text) and is_number(right.text)):
            continue
        a, b = span_index(left.x0, left.x1, spans), span_index(right.x0, right.x1, spans)
        if a is not None and b is not None and a != b:
            return [*split_word(left, spans), *split_word(right, spans)]
    return [word]


def split_by_spans(seg: Segment, spans: Spans) -> list[Segment] | None:
    """The segment as one segment per cell it covers, or None when it cannot be cut there (running text
    over the columns: a word in no cell or over two). A segment within one cell comes back whole."""
    if not _crosses(seg.x0, seg.x1, spans):
        return [seg] if span_index(seg.x0, seg.x1, spans) is not None else None
    pieces: list[Segment] = []
    last: int | None = None
    for word in [piece for whole in seg.words for piece in split_word(whole, spans)]:
        index = span_index(word.x0, word.x1, spans)
        if index is None or _crosses(word.x0, word.x1, spans):
            return None
        if pieces and index == last:
            pieces[-1].words.append(word)
        else:
            pieces.append(Segment(words=[word]))
        last = index
    return pieces
