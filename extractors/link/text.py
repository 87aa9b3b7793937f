"""Link stage, text evidence: normalised text, lemma sets, numbers in running text and similarity scores.

Contract: pure functions of strings (and a language code for lemmas); no records, no I/O.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from extractors.nlp import lemma
from extractors.nlp.pipeline import stop_words
from extractors.numbers import parse_amount
from extractors.patterns import NOT_SLUG, NOT_WORD_OR_SPACE, NUMBER_IN_TEXT, WORD, ZERO_WIDTH

_ASCII_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "ø": "o", "æ": "ae", "é": "e", "ü": "u"})


def normalise_text(text: str | None) -> str:
    """Lower case, NFKC, no zero-width characters, punctuation as spaces, single spaces."""
    if not text:
        return ""
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text)).lower()
    return " ".join(NOT_WORD_OR_SPACE.sub(" ", text).split())


def slug(text: str | None) -> str:
    """An ASCII key of a name: 'Ekonomi- och personaltjänster' -> 'ekonomi-och-personaltjanster'."""
    folded = normalise_text(text).translate(_ASCII_FOLD)
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    return NOT_SLUG.sub("-", folded).strip("-")


@lru_cache(maxsize=4096)
def _lemma_set(text: str, lang: str) -> frozenset[str]:
    stops = stop_words(lang) if lang in ("sv", "fi") else frozenset()
    words = [word.lower() for word in WORD.findall(text)]
    if lang not in ("sv", "fi"):
        return frozenset(word for word in words if len(word) > 1)
    return frozenset(lemma(word, lang) for word in words if word not in stops and len(word) > 1)


def lemma_set(text: str | None, lang: str | None) -> frozenset[str]:
    """The content words of a text as lemmas (stop words and numbers left out)."""
    if not text:
        return frozenset()
    return _lemma_set(unicodedata.normalize("NFKC", text), lang or "")


def numbers_in(text: str | None) -> Counter[float]:
    """The numbers printed in running text ('15 000', '2025', '80'), as a multiset of values."""
    found: Counter[float] = Counter()
    for match in NUMBER_IN_TEXT.finditer(text or ""):
        value = parse_amount(match.group(0))
        if value is not None:
            found[float(value)] += 1
    return found


def dice(first: Iterable[object], second: Iterable[object]) -> float:
    """Dice coefficient of two sets (1.0 when both are empty)."""
    a, b = set(first), set(second)
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def multiset_dice(first: Counter[float], second: Counter[float]) -> float:
    """Dice coefficient of two multisets (1.0 when both are empty)."""
    total = sum(first.values()) + sum(second.values())
    if not total:
        return 1.0
    return 2 * sum((first & second).values()) / total


def fuzzy_ratio(first: str | None, second: str | None) -> float:
    """difflib's similarity ratio of the normalised texts, in [0, 1]."""
    a, b = normalise_text(first), normalise_text(second)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
