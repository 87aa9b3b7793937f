"""Roles stage: a goal's responsible text -> role titles in base form and their language-neutral keys."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

import yaml

from extractors.lexicon import LEXICON_DIR, load, normalize_label
from extractors.nlp.pipeline import PhraseRules, Word, analyse, lemma
from extractors.nlp.repair import repair_text

KIND = "roles"


@lru_cache(maxsize=4)  # one entry per language
def _phrase_rules(lang: str) -> PhraseRules:
    lexicon = load(KIND, lang)
    rules = []
    for label, name in (("JOINER", "joiners"), ("DETERMINER", "determiners"), ("DROPPED", "dropped")):
        words = tuple(str(w) for w in lexicon.words(name))
        if words:
            rules.append((label, words))
    return tuple(rules)


@lru_cache(maxsize=4)  # one entry per language
def _forms(lang: str) -> dict[str, dict[str, str]]:
    """Per role key: its canonical title ("base") and how a printed role becomes a base form ("head")."""
    data = yaml.safe_load((LEXICON_DIR / lang / f"{KIND}.yml").read_text(encoding="utf-8"))
    return {e["key"]: {k: str(e[k]) for k in ("base", "head") if k in e} for e in data.get("entries", ())}


def canonical_role(key: str, lang: str) -> str | None:
    """The canonical title of a role key in a language ('city_manager' -> 'stadsdirektör' / 'kaupunginjohtaja')."""
    return _forms(lang).get(key, {}).get("base")


def role_key(role: str, lang: str) -> str | None:
    """The neutral key of a role title ('stadsdirektör' -> 'city_manager'), or None for an unknown office."""
    return load(KIND, lang).classify(role) if role and role.strip() else None


def _chunks(words: list[Word], joiners: set[int]) -> list[list[Word]]:
    chunks: list[list[Word]] = [[]]
    for word in words:
        if word.index in joiners:
            chunks.append([])
        else:
            chunks[-1].append(word)
    return [c for c in chunks if c]


def _base_form(text: str, words: list[Word], lang: str) -> str:
    surface = " ".join(text[words[0].start:words[-1].end].split()).lower()
    key = role_key(surface, lang)
    form = _forms(lang).get(key, {}) if key else {}
    if "head" not in form and "base" in form:
        return form["base"]
    head_mode = form.get("head", "lemma" if len(words) == 1 else "keep")
    if head_mode == "keep":
        return surface
    head = words[-1]
    before = " ".join(text[words[0].start:head.start].split()).lower()
    return f"{before} {lemma(head.text, lang)}".strip() if before else lemma(head.text, lang)


def split_roles(text: str | None, lang: str, document_vocabulary: Collection[str] = frozenset()) -> list[str]:
    """Role titles named in a responsible text, each in base form, in order, without duplicates.

    'Stadsdirektören, ekonomidirektören och upphandlingschefen' -> ['stadsdirektör', 'ekonomidirektör',
    'upphandlingschef']; 'den kommunikations- och marknadsföringssakkun niga' -> ['kommunikations- och
    marknadsföringssakkunnig'] (a joiner after a suspended hyphen keeps the title whole).
    """
    if not text or not normalize_label(text):
        return []
    repaired, _ = repair_text(text, lang, document_vocabulary)
    analysis = analyse(repaired, lang, phrases=_phrase_rules(lang))
    words = [w for w in analysis.words if w.text.strip()]
    by_index = {w.index: w for w in words}
    joiners: set[int] = set()
    drop: set[int] = set()
    determiners: set[int] = set()
    for span in analysis.spans:
        indices = set(range(span.first, span.last))
        if span.label == "JOINER":
            before = by_index.get(span.first - 1)
            if before is not None and before.text.endswith("-"):
                continue  # "kommunikations- och marknadsförings...": a suspended hyphen, one title
            joiners |= indices
        elif span.label == "DROPPED":
            drop |= indices
        elif span.label == "DETERMINER":
            determiners |= indices
    roles: list[str] = []
    for chunk in _chunks(words, joiners):
        kept = [w for w in chunk if w.index not in drop and any(c.isalnum() for c in w.text)]
        while kept and kept[0].index in determiners:
            kept = kept[1:]
        if not kept:
            continue
        role = _base_form(repaired, kept, lang)
        if role and role not in roles:
            roles.append(role)
    return roles
