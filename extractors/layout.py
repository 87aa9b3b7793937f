"""Layout helpers shared by the front ends: block kinds, language evidence, wrapped-text joining."""

from __future__ import annotations

import re

from extractors.headings import is_theme_heading
from extractors.lexicon import LANGUAGES, load, normalize_label
from extractors.patterns import BULLET

__all__ = ["block_kind", "detect_language", "is_repeated_header", "is_theme_heading", "join_wrapped", "joiner_words"]

SOFT_HYPHEN = "\xad"  # a line-end soft hyphen: the word goes on on the next line
RANGE_DASH = "\u2013"  # an en dash between two numbers prints a range ('6–12/2024', '2025–2026')
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def block_kind(text: str) -> str:
    if is_theme_heading(text):
        return "heading"
    if BULLET.match(text):
        return "list_item"
    if len(text) <= 160 and not text.rstrip().endswith((".", "!", "?")):
        return "heading"
    return "paragraph"


def detect_language(text: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(text)]
    scores = {}
    for lang in LANGUAGES:
        stop = set(load("document", lang).words("stopwords"))
        scores[lang] = sum(1 for w in words if w in stop)
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else None


def is_repeated_header(cells: list[str], header: list[str]) -> bool:
    norm_cells = [normalize_label(c) for c in cells]
    norm_header = [normalize_label(c) for c in header]
    return any(norm_cells) and norm_cells[: len(norm_header)] == norm_header[: len(norm_cells)]


def joiner_words() -> set[str]:
    words: set[str] = set()
    for lang in LANGUAGES:
        words.update(load("document", lang).words("joiners"))
    return words


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of a wrapped cell or paragraph into one text.

    A line ending in a hyphen keeps the hyphen: followed by a conjunction it is a suspended hyphen
    ('kommunikations- och'), otherwise a line-break hyphen inside a compound
    ('marknadsförings-sakkunniga'), which the text-repair stage decides on with evidence. A line
    ending in a soft hyphen (U+00AD, kept there by the PDF word stage) goes on in the same word,
    without a hyphen. A hyphen standing alone at a line end before a lower-case word opens that word
    ('taloussuunnittelun ja -' / 'raportoinnin' -> 'ja -raportoinnin'). A hyphen after a sign or bracket is
    no word's ('erotus (-' / 'tai +)' -> 'erotus (- tai +)', Kauhava p. 142). An en dash ending a line right
    after a digit, before a line that starts with one, is a range cut at its dash ('6–' / '12/2024' -> '6–12/2024').
    """
    joiners = joiner_words()
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not text:
            text = line
            continue
        soft = text.endswith(SOFT_HYPHEN)
        text = text.rstrip(SOFT_HYPHEN)
        if soft and not text.endswith("-"):
            text += line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalnum():
            first_word = line.split()[0].lower()
            text += (" " if first_word in joiners else "") + line
        elif text.endswith(RANGE_DASH) and len(text) > 1 and text[-2].isdigit() and line[:1].isdigit():
            text += line  # a range wrapped at its dash ('Laskut lähtivät 6–' / '12/2024', Seinäjoki p. 109)
        elif text.endswith(" -") and line[:1].islower():
            text += line  # a suspended hyphen before its compound's second half ('ja -' / 'raportoinnin')
        else:
            text += " " + line
    return text.replace(SOFT_HYPHEN, "")
