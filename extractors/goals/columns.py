"""Goal vocabulary: column headings and labels -> goal fields and levels, from the goal lexicons.

Shapes: a field key is one of the `goal_columns` lexicon keys (goal, central_goal, area_goal,
strategic_goal, strategic_choice, indicator, indicator_target, baseline, target, outcome, status,
progress, schedule, actions, responsible); a level key one of the `goal_levels` keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import classify_any, normalize_label
from extractors.patterns import LEADING_LABEL

GOAL_TEXT_KEYS = frozenset({"goal", "central_goal", "area_goal", "strategic_goal", "indicator", "indicator_target"})
"""Columns that hold a goal's own text or its indicators: a goal table names at least one of them."""
MARK_KEYS = frozenset({"status", "progress"})
"""Columns that may hold only a drawn mark (a dot, an icon, a bar) and no text."""
MAX_LABEL_WORDS = 8


def column_key(text: str | None, language: str | None) -> str | None:
    """The goal field a column heading or a label names ('Tavoitearvo' -> 'target'), or None."""
    if not text or not text.strip() or len(text.split()) > MAX_LABEL_WORDS:
        return None
    return classify_any("goal_columns", text, language)


def level_of(label: str | None, language: str | None) -> str | None:
    """The level key of a goal heading or label ('Nämndmål' -> 'committee'), or None."""
    if not label or not label.strip():
        return None
    return classify_any("goal_levels", label, language)


@dataclass(frozen=True)
class HeaderPart:
    key: str
    label: str


@lru_cache(maxsize=20_000)
def split_header(text: str, language: str | None) -> tuple[HeaderPart, ...]:
    """A heading row printed as one line ('Aktivitet Status Färdiggrad') -> its column labels.

    The words are split into the most labels such that every label is a goal heading starting with a
    capital letter (headings of a row each start with one: 'Mål och åtgärder 2025' is one heading, not
    'Mål och' and 'åtgärder 2025'); () when the text is not made of goal headings only.
    """
    words = text.split()
    if not words or len(words) > 4 * MAX_LABEL_WORDS:
        return ()
    best: list[tuple[int, tuple[HeaderPart, ...]] | None] = [None] * (len(words) + 1)
    best[0] = (0, ())
    for end in range(1, len(words) + 1):
        for start in range(max(0, end - MAX_LABEL_WORDS), end):
            previous = best[start]
            if previous is None:
                continue
            label = " ".join(words[start:end])
            if not label[:1].isupper():
                continue
            key = column_key(label, language)
            if key is None:
                continue
            candidate = (previous[0] + 1, (*previous[1], HeaderPart(key, label)))
            current = best[end]
            if current is None or candidate[0] > current[0]:
                best[end] = candidate
    found = best[len(words)]
    return found[1] if found else ()


def leading_label(text: str, language: str | None) -> tuple[str, str, str] | None:
    """'Toteutuminen: Toteutui osittain' -> ('outcome', 'Toteutuminen', 'Toteutui osittain'); None when the
    text does not start with a goal label and a colon."""
    found = LEADING_LABEL.match(text)
    if not found:
        return None
    label = found.group("label").strip()
    key = column_key(label, language)
    if key is None:
        return None
    return key, label, found.group("rest").strip()


def is_placeholder(text: str | None) -> bool:
    """A cell printed as a placeholder ('…', '-', '–', '...'): kept as printed, never a goal by itself."""
    if text is None:
        return True
    stripped = normalize_label(text).replace(" ", "")
    return not stripped or all(ch in ".…-–—x" for ch in stripped)


def printed_header(lines: list[str], language: str | None) -> tuple[HeaderPart, ...]:
    """The column labels of a goal table's heading row that the page prints as text lines over the table
    ('Tavoite Mittari Lähtötaso/ Tavoite-taso Toteuma', then 'toteuma', then '2022 2024 2024'): the first
    line's labels (`split_header`), a label cut at a hyphen ('Tavoite-') completed with the word of the
    next line that makes it a heading of a field no other label names ('Tavoite-' + 'taso'); () when the
    first line is no row of goal headings."""
    if not lines:
        return ()
    parts = list(split_header(lines[0], language))
    following = lines[1].split() if len(lines) > 1 else []
    for index, part in enumerate(parts):
        if not part.label.endswith("-"):
            continue
        others = {p.key for j, p in enumerate(parts) if j != index}
        for word in following:
            key = column_key(part.label + word, language)
            if key is not None and key not in others:
                parts[index] = HeaderPart(key, part.label + word)
                break
    return tuple(parts)
