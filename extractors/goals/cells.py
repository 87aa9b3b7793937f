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
