"""Municipalities lexicon lookups: a printed name or genitive -> its key, its name in a language, its country.

extractors/lexicons/{fi,sv}/municipalities.yml lists each municipality with its name and genitive
('Seinäjoki', 'Seinäjoen'; 'Simrishamn', 'Simrishamns'), its name in that language (`base`) and its country.
"""

from __future__ import annotations

from functools import cache

from extractors.datafiles import read_yaml
from extractors.lexicon import LANGUAGES, LEXICON_DIR, classify_any


def _order(language: str | None) -> list[str]:
    return ([language] if language in LANGUAGES else []) + [lang for lang in LANGUAGES if lang != language]


@cache
def _entries(lang: str) -> dict[str, dict[str, str]]:
    """key -> {'base': name in that language, 'country': FI/SE}."""
    data = read_yaml(LEXICON_DIR / lang / "municipalities.yml")
    return {e["key"]: {k: str(e[k]) for k in ("base", "country") if k in e} for e in data.get("entries", ())}


def preload(lang: str) -> None:
    """Read the language's list now (a process that forks per document loads it once; see pipeline.warm_up)."""
    _entries(lang)


def known_municipality(word: str, language: str | None) -> tuple[str, str] | None:
    """(key, name in the document's language) of a listed municipality's name or genitive, else None:
    'Seinäjoen' -> ('seinajoki', 'Seinäjoki'), 'Lovisa' in a Finnish document -> ('loviisa', 'Loviisa')."""
    key = classify_any("municipalities", word, language)
    if key is None:
        return None
    for lang in _order(language):
        entry = _entries(lang).get(key)
        if entry and "base" in entry:
            return key, entry["base"]
    return key, word


def municipality_country(word: str | None, language: str | None = None) -> str | None:
    """FI or SE for a listed municipality's name or genitive ('Simrishamns' -> SE), else None."""
    known = known_municipality(word, language) if word else None
    if known is None:
        return None
    for lang in _order(language):
        entry = _entries(lang).get(known[0])
        if entry and "country" in entry:
            return entry["country"]
    return None
