"""Line breaks an author typed inside a ruled cell: the items of a cell printed one per line, no blank line.

A cell such as Seinäjoki's 'Talousarviotavoite' may list several goals one after another, each opening a
new line ('Kaupungin käyttötalous on tasapainossa. (koko kaupungin tavoite)' / 'Lainasalkun rahoitus on
...' / 'Edistetään ...'). Word wrapping never ends a line early: a line that ends a sentence while the next
line's first word would have fitted after it was broken by hand. Such a break shows that the author sets
the cell's items one per line; then every line that ends a sentence before a line opening with a capital,
a digit or a bullet opens a new item too (the second break of the example leaves no room, but it is set the
same way). A cell with no hand break is one text, however many sentences it holds.
"""

from __future__ import annotations

from extractors.pdf.lines import Word
from extractors.patterns import LINE_ENDS_SENTENCE, LINE_OPENS_ITEM

SPACE = 0.3  # a word space, in font sizes


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def item_starts(lines: list[list[Word]]) -> list[int]:
    """Indices of the lines (words by line, as placed in one cell) that open a new item after a line
    ended by hand; [] when no line was (the lines wrap one text).

    Source of the rule: a wrapped line is filled as far as the next word fits; the cell's right text
    edge is the right end of its widest line."""
    if len(lines) < 2:
        return []
    right = max(words[-1].x1 for words in lines)
    candidates, hand = [], False
    running = ""
    for index in range(1, len(lines)):
        before, words = lines[index - 1], lines[index]
        running = f"{running} {_text(before)}".strip()
        if not LINE_ENDS_SENTENCE.search(running) or not LINE_OPENS_ITEM.match(words[0].text):
            continue
        candidates.append(index)
        running = ""
        first = words[0]
        room = right - before[-1].x1 - SPACE * first.size
        hand = hand or room >= first.x1 - first.x0
    return candidates if hand else []
