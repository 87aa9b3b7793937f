"""Goal table cells read as printed: indicators paired with the goals of a group, values merged into a cell.

- `pairs_in_order`: a group of goals over one indicator block lists one indicator per goal, in the goals'
  order, when each goal shares the most word stems with the indicator in its own position.
- `split_trailing`: a cell under a heading that names two fields ('Mittari/mittarit Nykyarvo', a column
  the table layer merged into the one before) ends in the second field's value.
"""

from __future__ import annotations

from extractors.goals.columns import is_placeholder
from extractors.nlp.targets import comparator_words
from extractors.numbers import is_number

STEM_CHARS = 5
"""Letters of a word's start that name the same thing in a goal and its indicator ('koulujen', 'koulunuorisotyön')."""


def _stems(text: str) -> set[str]:
    return {w[:STEM_CHARS] for w in (w.strip(".,:;()*").lower() for w in text.split())
            if len(w) >= STEM_CHARS and w.isalpha()}


def pairs_in_order(goals: list[str], indicators: list[str]) -> bool:
    """As many indicators as goals, and each goal shares more word stems (their first STEM_CHARS letters) with
    the indicator in its own position than with any other ('Harrastuspassin käyttöönotto.' and
    'Harrastuspassin käyttömäärät'): the block lists one indicator per goal, in the goals' order."""
    if len(goals) != len(indicators):
        return False
    stems = [_stems(i) for i in indicators]
    for k, goal in enumerate(goals):
        shared = [len(_stems(goal) & s) for s in stems]
        if not shared[k] or any(n >= shared[k] for j, n in enumerate(shared) if j != k):
            return False
    return True


def split_trailing(text: str, key: str, values: dict[str, str]) -> str:
    """'AO-erillispientalotontit/lkm 46' under 'Mittari/mittarit Nykyarvo' -> 'AO-erillispientalotontit/lkm', with
    values[key] = '46': the last word, when it is a number or a placeholder, is the merged column's value, with the
    comparator printed before the number ('yli 25')."""
    head, _, last = text.rpartition(" ")
    if head and (is_number(last) or is_placeholder(last)):
        before, _, word = head.rpartition(" ")
        if before and is_number(last) and word.lower() in _comparators():
            head, last = before, f"{word} {last}"  # 'Konsernin omavaraisuusaste, %:a yli 25' under '... TA2024'
        values[key] = last
        return head
    return text


def _comparators() -> frozenset[str]:
    return comparator_words("fi") | comparator_words("sv")


VALUE_KEYS = ("baseline", "target", "outcome")
"""The value cells of an indicator row, read line by line by `stacked_values` and `glued_value`."""


def _figure_line(line: str) -> bool:
    return any(ch.isdigit() for ch in line) or is_placeholder(line.strip())


def stacked_values(lines: dict[str, list[str]], status_lines: list[str], marks: int) -> list[dict[str, str]]:
    """One indicator cell over several value lines, each with its own status mark: `lines` holds the printed
    lines of each filled value cell (VALUE_KEYS), `status_lines` those of the printed status digit cell ([] when
    none), `marks` the number of status marks drawn in the row. When every value cell (two or more) prints as
    many lines as there are marks (two or more), each line a figure or a placeholder, and the status cell as many
    digits, one dict of values per line in printed order, with 'status' the line's digit (Seinäjoki p. 135:
    'Valmistuneiden lukumäärä (AMK ja YAMK tutkinnot)' over 740 / 139, 815 / 115, 922 / 176 and two green dots
    is two indicator rows, not '740 139'); [] otherwise, so a value wrapped over lines under one mark stays one
    ('8 min/' over 'asiakas', p. 136)."""
    if marks < 2 or len(lines) < 2 or (status_lines and len(status_lines) != marks):
        return []
    if any(len(cell) != marks or not all(_figure_line(line) for line in cell) for cell in lines.values()):
        return []
    rows = [{key: cell[i].strip() for key, cell in lines.items()} for i in range(marks)]
    for row, digit in zip(rows, status_lines, strict=False):
        row["status"] = digit.strip()
    return rows


def glued_value(lines: list[str], siblings: list[str]) -> str | None:
    """A value a narrow cell wrapped inside a word ('1.si' over 'ja', Seinäjoki p. 129 under 'Lähtötaso'),
    joined without the space when another value cell of the same row prints the joined form whole ('1.sija'
    under 'Tavoitetaso' and 'Toteuma'); None otherwise ('2 173' over '831' or '8 min/' over 'asiakas' keep
    their line break as a space)."""
    if len(lines) < 2:
        return None
    glued = "".join(line.strip() for line in lines)
    return glued if glued in siblings else None
