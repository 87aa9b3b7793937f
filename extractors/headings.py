"""Heading shapes recognised by typography alone (no language data): numbered headings in capitals."""

from __future__ import annotations

from extractors.patterns import THEME_HEADING


def is_theme_heading(text: str) -> bool:
    """'1. LIVSKRAFTIG STAD': a numbered line whose title is written in capitals."""
    found = THEME_HEADING.match(text.strip())
    if not found:
        return False
    letters = [ch for ch in found.group("title") if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) / len(letters) >= 0.8
