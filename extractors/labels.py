"""Finance label reading: the pieces of a row label that wrapped over lines, joined by lexicon evidence."""

from __future__ import annotations

import itertools
from functools import lru_cache
from collections.abc import Callable, Collection, Iterable

from extractors.layout import join_wrapped, joiner_words
from extractors.lexicon import LANGUAGES, classify_any, load, normalize_label
from extractors.nlp.repair import LineBreaks, join_line_breaks

WORD_PUNCTUATION = ",.;:()\"'"


def join_label(first: str, second: str, language: str | None) -> str:
    """Join two pieces of a wrapped label; a word broken mid-way ('verksamhetsk' + 'ostnader') is
    joined without a space when only that reading is a known finance line."""
    spaced = f"{first} {second}"
    if classify_any("finance_lines", spaced, language) is None and \
            classify_any("finance_lines", f"{first}{second}", language) is not None:
        return f"{first}{second}"
    return spaced


def _literally_known(text: str, language: str | None) -> bool:
    """A finance line's pattern matches the text as it stands (no reading that joins hyphenated words)."""
    reading = normalize_label(text)
    langs = [language] if language in LANGUAGES else list(LANGUAGES)
    return any(load("finance_lines", lang).may_match((reading,)) for lang in langs)


def _without_break_hyphens(pieces: list[str], language: str | None) -> str | None:
    """The pieces joined with the hyphens that only break a word removed ('Försäljnings-' / 'intäkter' ->
    'Försäljningsintäkter'), when there is evidence for the joined words: the finance lexicon knows the
    label as joined, or the lemmatizer and the document's words know the joined word
    (`extractors.nlp.repair.join_line_breaks`). None when no piece ends in such a hyphen or nothing is
    known; a hyphen before a conjunction ('Vesi- ja') or before a capital ('EU-' / 'Hankkeet') stays."""
    joiners = joiner_words()
    breaks = LineBreaks()
    text = pieces[0]
    for piece in pieces[1:]:
        words = piece.split()
        if text.endswith("-") and not text.endswith(" -") and words and words[0][:1].islower() \
                and words[0].lower() not in joiners and text.split()[-1][:-1].split("-")[-1].isalpha():
            breaks.add((text.split()[-1][:-1].split("-")[-1].lower(), words[0].strip(",.;:").lower()))
            text = f"{text[:-1]}{piece}"
        else:
            text = join_wrapped([text, piece])
    if not breaks:
        return None
    if _literally_known(text, language):
        return text
    hyphenated = join_wrapped(pieces)
    if language in LANGUAGES:
        repaired = join_line_breaks(hyphenated, language, set(), breaks)
        if repaired and repaired != hyphenated:
            return repaired
    return None


def _word_pieces(text: str) -> list[str]:
    """Lower-case words of a text, split at spaces and at slashes ('Tillgängliggörande/digitalise')."""
    return [w.strip(WORD_PUNCTUATION).lower() for w in text.replace("/", " ").split() if w.strip(WORD_PUNCTUATION)]


def join_broken_words(pieces: list[str], vocabulary: Collection[str] | Callable[[], Collection[str]]) -> list[str]:
    """The lines of a wrapped label with the words that a narrow column broke without a hyphen joined
    (Simrishamn's investment letter: 'Ombyggnad/tillgängliggöran' / 'de Hafreborg' ->
    'Ombyggnad/tillgängliggörande Hafreborg'). A line is joined to the next without a space when it is
    one word alone on its line (a renderer breaks a word only when it does not fit the line whole), the
    next line goes on in lower case, and the joined word is printed elsewhere in `vocabulary` (the words
    of the table: 'Tillgängliggörande', 'Digitalisering'; a callable is asked only when a break is in
    question). 'Toimintatuotot' / 'yhteensä' stay apart: 'toimintatuototyhteensä' is printed nowhere."""
    out = [pieces[0]]
    words: Collection[str] | None = None
    for piece in pieces[1:]:
        upper, lower = out[-1].strip(), piece.split()
        if upper and " " not in upper and upper[-1].isalpha() and lower and lower[0][:1].islower() \
                and lower[0].isalpha():
            if words is None:
                words = vocabulary() if callable(vocabulary) else vocabulary
            head = upper.replace("-", "/").split("/")[-1]
            if f"{head}{lower[0]}".lower() in words:
                out[-1] = f"{upper}{piece.strip()}"
                continue
        out.append(piece)
    return out


def table_words(texts: Iterable[str]) -> set[str]:
    """The words printed in a table's cells (the evidence `join_broken_words` looks for)."""
    return {w for text in texts for w in _word_pieces(text)}


def best_label(pieces: list[str], language: str | None) -> str:
    """The pieces of a wrapped label joined. A hyphen that only breaks a word at the line end is removed
    by evidence (`_without_break_hyphens`). Where a renderer broke a word inside ('Verksamhet' / 'ens'
    / 'kostnader'), the reading the finance lexicon knows wins, with as few unspaced joins as possible;
    otherwise the pieces are joined as wrapped text."""
    return _best_label(tuple(pieces), language)


@lru_cache(maxsize=1 << 14)
def _best_label(printed: tuple[str, ...], language: str | None) -> str:
    """best_label, cached on the pieces and the language (the lexicons and the lemmatizer's vocabulary are
    read once per process): the finance stage reads each row's label several times (is it a finance table,
    a statement's note, then its rows), and trying the joins of a label wrapped over many lines classifies
    up to 32 texts."""
    pieces = list(printed)
    if len(pieces) > 1:
        joined = _without_break_hyphens(pieces, language)
        if joined is not None:
            return joined
    spaced = join_wrapped(pieces)
    known = classify_any("finance_lines", spaced, language)
    # a hyphen at a line's end before a lower-case piece only broke the word ('Försäljnings-' / 'intäkter')
    broken = "".join(p[:-1] if p.endswith("-") and not p.endswith(" -") and i + 1 < len(pieces)
                     and pieces[i + 1][:1].islower() else p + " " for i, p in enumerate(pieces)).strip()
    if known and broken != spaced and classify_any("finance_lines", broken, language) == known:
        return broken
    if len(pieces) == 1 or len(pieces) > 6 or known:
        return spaced
    best: tuple[int, str] | None = None
    for separators in itertools.product((" ", ""), repeat=len(pieces) - 1):
        # an unspaced join after a line-end hyphen drops it: the hyphen only broke the word
        text = pieces[0]
        for sep, piece in zip(separators, pieces[1:], strict=True):
            text = (text[:-1] if not sep and text.endswith("-") and not text.endswith(" -") else text) + sep + piece
        if classify_any("finance_lines", text, language):
            joins = separators.count("")
            if best is None or joins < best[0]:
                best = (joins, text)
    return best[1] if best else spaced


def completes_label(first: str, second: str, language: str | None) -> bool:
    """The second piece completes an unknown first piece into a known finance line."""
    return bool(first) and classify_any("finance_lines", first, language) is None and \
        classify_any("finance_lines", join_label(first, second, language), language) is not None


def wraps_into(first: str, second: str, language: str | None) -> bool:
    """Two label pieces are one wrapped label: a joiner stands at the break ('… och' / 'och varor'), or
    only together are they a known finance line ('Övriga' + 'verksamhetskostnader'), or an unknown
    piece goes on in lower case."""
    if not first or not second:
        return False
    joiners = joiner_words()
    if first.split()[-1].lower() in joiners or first.endswith(("-", ",")) or second.split()[0].lower() in joiners:
        return True
    first_key = classify_any("finance_lines", first, language)
    merged_key = classify_any("finance_lines", join_label(first, second, language), language)
    if classify_any("finance_lines", second, language) is None and merged_key not in (None, first_key):
        return True
    if first_key is not None:
        return False
    if completes_label(first, second, language):
        return True
    return second[:1].islower() and classify_any("finance_lines", second, language) is None
