"""Numbers that are part of a name: 'Kohde 3', 'vaihe 2', 'liite 1', 'Etapp 2' name a site, a phase, an
appendix; the number is no value of a target ('Kohde 3 on valmis vuoteen 2026 mennessä' sets no target 3).

Rules (the source of the words is the targets lexicon's `name_numbers` of each language, with examples that
give no target and counterexamples whose numbers stay targets):
- a number printed right after a designator word (as printed, in lower case, one of `words` or a compound
  ending in one: 'rakennusvaihe 2') in the same sentence names the thing (`names_a_thing`);
- a number followed by a verb stating a value ('3 on valmis', lexicon `value_verbs`) counts nothing: the
  word after it is no counted noun (`counts_nothing`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache

from extractors.lexicon import load
from extractors.nlp.pipeline import Word


@lru_cache(maxsize=4)
def designator_words(lang: str) -> frozenset[str]:
    """The designator words of the language (lower case); empty when its lexicon names none."""
    data = load("targets", lang).extra.get("name_numbers") or {}
    return frozenset(str(w).lower() for w in data.get("words", ()))


def _is_designator(word: Word, lang: str) -> bool:
    """The word as printed is a designator (or a compound ending in one): its base form, which names one thing;
    an inflected form before a number is the counted noun of a target cell ('kohdetta 3 vuodessa')."""
    return word.is_alpha and any(word.lower.endswith(d) for d in designator_words(lang))


def names_a_thing(words: Sequence[Word], first: int, lang: str) -> bool:
    """The number starting at token `first` follows a designator word directly, in its sentence ('Kohde 3')."""
    if first <= 0:
        return False
    before = words[first - 1]
    return before.sentence == words[first].sentence and _is_designator(before, lang)


def counts_nothing(words: Sequence[Word], after: int, value_verbs: Collection[str]) -> bool:
    """The word at `after` (right after a number) is a verb stating a value ('3 on valmis'), no counted noun."""
    return after < len(words) and words[after].lower in value_verbs
