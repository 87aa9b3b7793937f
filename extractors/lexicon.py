"""Lexicon stage data: loads extractors/lexicons/{sv,fi}/*.yml and compiles their patterns by name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).parent / "lexicons"
LANGUAGES = ("sv", "fi")


def normalize_label(text: str) -> str:
    """Lower-case, NFKC, single spaces, no soft hyphens or zero-width characters, no trailing colon/dot."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = " ".join(text.split()).lower()
    return text.strip(" :;.")


@dataclass(frozen=True)
class Entry:
    key: str
    patterns: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()

    def matches(self, text: str) -> re.Match[str] | None:
        return self.matches_normalized(normalize_label(text))

    def matches_normalized(self, norm: str) -> re.Match[str] | None:
        for pattern in self.patterns:
            found = pattern.search(norm)
            if found:
                return found
        return None


@dataclass(frozen=True)
class Lexicon:
    kind: str
    language: str
    entries: tuple[Entry, ...]
    extra: dict = field(default_factory=dict)

    def classify(self, text: str) -> str | None:
        """The key of the first entry that matches, or None."""
        norm = normalize_label(text)
        for entry in self.entries:
            if entry.matches_normalized(norm):
                return entry.key
        return None

    def entry(self, name: str) -> Entry:
        """A named single-pattern block of the file (e.g. responsible_prefix) as an Entry."""
        return _entry(name, self.extra[name])

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(self.extra.get(name, ()))


def _entry(key: str, data: dict) -> Entry:
    return Entry(
        key=key,
        patterns=tuple(re.compile(p) for p in data.get("patterns", ())),
        examples=tuple(str(x) for x in data.get("examples", ())),
        counterexamples=tuple(str(x) for x in data.get("counterexamples", ())),
    )


@cache
def load(kind: str, language: str) -> Lexicon:
    path = LEXICON_DIR / language / f"{kind}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = tuple(_entry(e["key"], e) for e in data.get("entries", ()))
    extra = {k: v for k, v in data.items() if k not in {"entries", "kind", "language"}}
    return Lexicon(kind=kind, language=language, entries=entries, extra=extra)


def lexicon_kinds() -> list[str]:
    return sorted(p.stem for p in (LEXICON_DIR / "sv").glob("*.yml"))


@lru_cache(maxsize=200_000)
def classify_any(kind: str, text: str, language: str | None = None) -> str | None:
    """Classify with the document's language first, then the other one (documents mix languages).

    Lexicons are read once per process, so answers are cached per (kind, text, language).
    """
    order = [language] if language in LANGUAGES else []
    order += [lang for lang in LANGUAGES if lang not in order]
    for lang in order:
        key = load(kind, lang).classify(text)
        if key:
            return key
    return None


def match_prefixed(kind: str, name: str, text: str, language: str | None = None) -> str | None:
    """Value of a 'Prefix: value' line such as 'Ansvarsperson: stadsdirektören', in either language."""
    order = [language] if language in LANGUAGES else []
    order += [lang for lang in LANGUAGES if lang not in order]
    for lang in order:
        found = load(kind, lang).entry(name).matches(text)
        if found:
            return _original_value(text, found)
    return None


def _original_value(text: str, found: re.Match[str]) -> str:
    """Recover the matched value with its original capitalisation (matching ran on normalised text)."""
    value_norm = found.group("value")
    flat = " ".join(unicodedata.normalize("NFKC", text).split()).strip(" :;.")
    index = flat.lower().rfind(value_norm)
    return flat[index:index + len(value_norm)] if index >= 0 else value_norm
