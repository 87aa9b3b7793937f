"""NLP stage core: the only spaCy module; cached sv/fi pipelines, lemmas, vocabularies and lexicon-driven matching."""

from __future__ import annotations

import gzip
import json
from importlib import metadata
from bisect import bisect_right
from collections.abc import Container, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma
import spacy
import spacy_lookups_data
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY
from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER as SIMPLEMMA_DATA
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from extractors.datafiles import derived
from extractors.lexicon import load
from extractors.nlp.frontcoded import FrontCodedMap

LANGUAGES = ("sv", "fi")
# Compound analysis: the shortest stem and the shortest known tail a split may produce.
MIN_TAIL = 4
# Spaces that PDF text carries inside numbers ("15 000"); they become plain spaces of the same length.
_NUMBER_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})

# Rule sets are plain tuples so that matchers can be cached by value:
# ((label, (phrase, ...)), ...) for phrases, ((label, (regex, ...)), ...) for single-token regexes,
# ((label, ((token_spec, ...), ...)), ...) for token patterns where a token_spec is a lower-case word
# or "<year>" (a four-digit number) or "<number>" (any number-like token).
PhraseRules = tuple[tuple[str, tuple[str, ...]], ...]
RegexRules = tuple[tuple[str, tuple[str, ...]], ...]
TokenRules = tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]


@dataclass(frozen=True)
class Word:
    """One token of an analysed text: character offsets into the text, lemma, sentence number."""

    index: int
    text: str
    lower: str
    start: int
    end: int
    space_after: str
    sentence: int
    like_num: bool
    is_alpha: bool
    language: str
    """The text's language ('sv', 'fi'): the lemma's."""

    @property
    def lemma(self) -> str:
        """The token's base form (`lemma`), its lower case when that is empty. Looked up when read: a book's texts
        have some 100 000 tokens and a few lemmas are read (`extractors.nlp.targets`)."""
        return lemma(self.text, self.language) or self.lower


@dataclass(frozen=True)
class SpanMatch:
    """A labelled match: token range [first, last) and character range [start, end)."""

    label: str
    first: int
    last: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Analysis:
    text: str
    words: tuple[Word, ...]
    spans: tuple[SpanMatch, ...]

    def labelled(self, prefix: str) -> list[SpanMatch]:
        return [s for s in self.spans if s.label == prefix or s.label.startswith(prefix + ":")]


class Vocabulary(Container[str]):
    """Known word forms and lemmas of a language's lemmatizer plus spaCy's stop words, lower-case;
    membership only (the Finnish dictionary has 3.5 million forms, too many to copy into a set)."""

    KNOWN_MAX = 50_000
    """Answers remembered (the dictionary's front-coded lookups are slow; a document asks about the same words
    again and again); forgotten all at once past this many, so memory stays bounded in a long-lived worker."""

    def __init__(self, forms: Container[str], lemmas: Container[str], function_words: Container[str]) -> None:
        self._forms = forms
        self._lemmas = lemmas
        self._function_words = function_words
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        word = word.lower()
        known = self._known.get(word)
        if known is None:
            if len(self._known) >= self.KNOWN_MAX:
                self._known.clear()
            known = self._known[word] = word in self._function_words or word in self._forms or word in self._lemmas
        return known


@lru_cache(maxsize=4)  # one entry per language
def nlp(lang: str) -> Language:
    """The cached blank pipeline of a language: tokenizer, sentencizer. Lemmas are `lemma`'s, looked up when a
    word's is read (`Word.lemma`): Swedish from spacy-lookups-data's table, Finnish from simplemma's dictionary."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    pipeline = spacy.blank(lang)
    pipeline.add_pipe("sentencizer")
    pipeline.initialize()
    return pipeline


class LemmaLookup:
    """A read-only form -> lemma table over sorted forms (lookups by bisection) and their lemmas.

    spaCy's lookup lemmatizer holds the Swedish table (660 000 forms) in an ordered dict keyed by string
    hashes: about 210 MB and 2.4 CPU s per process. Here the sorted forms are kept in blocks of `BLOCK`, each
    block one string ("\\nform\\nform\\n"): about 10 MB against 48 MB for a list of 660 000 strings. A lookup
    bisects the blocks' first forms, then finds "\\nform\\n" in its block; the forms before it in the block
    give its position among the lemmas.
    """

    BLOCK = 32
    """Forms per block: a block is searched by one `str.find` over about 400 characters."""

    SEPARATOR = "\n"
    """Between the forms of a block; no form holds it (checked when the blocks are built)."""

    def __init__(self, forms: list[str], lemmas: list[str], ordered: bool = False) -> None:
        """forms and lemmas: parallel lists; ordered: the forms are known to be in order already. Raises
        ValueError when a form holds `SEPARATOR`."""
        if len(forms) != len(lemmas):
            raise ValueError("forms and lemmas differ in length")
        if not ordered and any(forms[i] > forms[i + 1] for i in range(len(forms) - 1)):
            order = sorted(range(len(forms)), key=forms.__getitem__)
            forms, lemmas = [forms[i] for i in order], [lemmas[i] for i in order]
        if any(self.SEPARATOR in form for form in forms):
            raise ValueError("a form holds the block separator")
        sep = self.SEPARATOR
        self._blocks = [sep + sep.join(forms[i:i + self.BLOCK]) + sep for i in range(0, len(forms), self.BLOCK)]
        self._firsts = forms[:: self.BLOCK]
        self._lemmas = lemmas

    @classmethod
    def from_blocks(cls, blocks: list[str], lemmas: list[str]) -> LemmaLookup:
        """The table of `blocks` (as another table's `_blocks`, read back from the cache) and its lemmas.
        Raises ValueError when they do not fit together."""
        sep = cls.SEPARATOR
        if not all(isinstance(block, str) and block.startswith(sep) and block.endswith(sep) for block in blocks):
            raise ValueError("not a block of forms")
        sizes = [block.count(sep) - 1 for block in blocks]  # forms of each block: `BLOCK`, fewer in the last
        if any(size != cls.BLOCK for size in sizes[:-1]) or (sizes and not 0 < sizes[-1] <= cls.BLOCK) \
                or sum(sizes) != len(lemmas):
            raise ValueError("blocks of other sizes, or forms and lemmas of other lengths")
        table = cls.__new__(cls)
        table._blocks = blocks
        table._firsts = [block[1:block.index(sep, 1)] for block in blocks]
        table._lemmas = lemmas
        return table

    def get(self, form: str, default: str | None = None) -> str | None:
        block = bisect_right(self._firsts, form) - 1
        if block < 0 or self.SEPARATOR in form:
            return default
        forms = self._blocks[block]
        at = forms.find(self.SEPARATOR + form + self.SEPARATOR)
        if at < 0:
            return default
        return self._lemmas[block * self.BLOCK + forms.count(self.SEPARATOR, 0, at)]

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and self.get(form) is not None

    def __len__(self) -> int:
        return len(self._lemmas)

    def forms(self) -> list[str]:
        """The forms in order (built on each call)."""
        return [form for block in self._blocks for form in block[1:-1].split(self.SEPARATOR)]

    def values(self) -> list[str]:
        return self._lemmas


def read_lookup(path: Path) -> LemmaLookup:
    """A spacy-lookups-data table (JSON, one `"form": "lemma",` entry a line; the package ships it gzipped
    beside the name it registers, as spaCy's loader expects) read line by line, so no dict is built."""
    if not path.exists():
        path = path.with_name(path.name + ".gz")
    forms: list[str] = []
    lemmas: list[str] = []
    unique: dict[str, str] = {}  # one string object per lemma (93 000 lemmas for 660 000 forms)
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as lines:
        for line in lines:
            line = line.strip().rstrip(",")
            if not line.startswith('"'):
                continue
            if "\\" in line:  # an escape: JSON reads it
                ((form, lemma),) = json.loads("{" + line + "}").items()
            else:
                form, lemma = line[1:-1].split('": "', 1)
            forms.append(form)
            lemmas.append(unique.setdefault(lemma, lemma))
    return LemmaLookup(forms, lemmas)


@lru_cache(maxsize=1)
def _sv_tables() -> tuple[LemmaLookup, frozenset[str]]:
    """The sv lookup table of spacy-lookups-data (form -> lemma) and the set of its lemmas, lower-case.

    Built once (about 1 CPU s) and kept in the derived-table cache (extractors.datafiles.derived: keyed by the
    table file's and this module's content and the package's version), which a process reads in about 0.1 s.
    """
    source = Path(str(spacy_lookups_data.sv["lemma_lookup"]))
    if not source.exists():
        source = source.with_name(source.name + ".gz")

    def build() -> tuple[list[str], list[str], frozenset[str]]:
        table = read_lookup(source)
        return table._blocks, table._lemmas, frozenset(str(v).lower() for v in table.values())

    def restore(value: tuple[list[str], list[str], frozenset[str]]) -> tuple[LemmaLookup, frozenset[str]]:
        blocks, lemmas, lower_lemmas = value
        if not (isinstance(blocks, list) and isinstance(lemmas, list) and isinstance(lower_lemmas, frozenset)):
            raise ValueError("not a lemma table")
        return LemmaLookup.from_blocks(blocks, lemmas), lower_lemmas

    return derived("sv-lemma-lookup", [source, Path(__file__)], [_package_version("spacy-lookups-data")],
                   build, restore)


_STREAM_SLOTS = ("_data", "_pos", "_rev", "_count", "_firsts", "_blocks")


@lru_cache(maxsize=1)
def _fi_dictionary() -> Mapping[str, str]:
    """simplemma's Finnish dictionary (form -> lemma), shipped with the package.

    Its memory-frugal backend (a front-coded stream read in place): the same entries as simplemma's
    default dict, which costs about 350 MB and 4 CPU s to build in every process against about 55 MB
    and 1.5 s, at about 5 microseconds a lookup (`extractors.nlp.frontcoded.FrontCodedMap`, a faster walk of the
    same stream; lemmas are cached by `_fi_lemma`). The 1.5 s are the
    decompression and a pass over the 3.5 million entries to index every 32nd; the stream and its index are
    kept in the derived-table cache (extractors.datafiles.derived), which a process reads in about 0.1 s.
    When simplemma's StreamMap no longer has the fields this knows, simplemma builds it as before.
    """
    if StreamMap.__slots__ != _STREAM_SLOTS:
        return LOW_MEMORY_DICTIONARY_FACTORY.get_dictionary("fi")

    def build() -> tuple[object, ...]:
        stream = StreamMap("fi")
        return tuple(getattr(stream, name) for name in _STREAM_SLOTS)

    def restore(value: tuple[object, ...]) -> FrontCodedMap:
        data, pos, rev, count, firsts, blocks = value
        if not (isinstance(data, bytes) and isinstance(firsts, list) and isinstance(blocks, list)
                and len(firsts) == len(blocks) and isinstance(count, int) and isinstance(pos, int)):
            raise ValueError("not a dictionary index")
        stream = FrontCodedMap.__new__(FrontCodedMap)
        for name, field_value in zip(_STREAM_SLOTS, value, strict=True):
            setattr(stream, name, field_value)
        return stream

    return derived("simplemma-fi", [Path(SIMPLEMMA_DATA) / "fi.plzma", Path(__file__)],
                   [_package_version("simplemma")], build, restore)


class _FinnishDictionaries:
    """simplemma's DictionaryFactory giving `_fi_dictionary()` for Finnish (and simplemma's own for another
    language): the lemmatizer below is simplemma's `lemmatize(..., low_memory=True)` with that dictionary."""

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        return _fi_dictionary() if lang == "fi" else LOW_MEMORY_DICTIONARY_FACTORY.get_dictionary(lang)


@lru_cache(maxsize=1)
def _fi_lemmatizer() -> simplemma.Lemmatizer:
    """simplemma.lemmatize(token, "fi", low_memory=True)'s lemmatizer (the same strategy, greedy off, the same
    token cache size) over `_fi_dictionary()`."""
    return simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(greedy=False,
                                                                       dictionary_factory=_FinnishDictionaries()))


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=200_000)
def _sv_lemma(word: str) -> str:
    word = word.lower()
    table, lemmas = _sv_tables()
    if word in lemmas:
        return word  # already a base form ("åtgärd" is also an imperative of "åtgärda" in the table)
    found = table.get(word)
    if found is not None:
        return str(found).lower()
    for i in range(1, len(word) - MIN_TAIL + 1):
        tail = word[i:]
        if tail in lemmas or tail in table:
            return word[:i] + _sv_lemma(tail)
    return word


@lru_cache(maxsize=200_000)
def _fi_lemma(word: str) -> str:
    if not word.strip() or not any(c.isalpha() for c in word):
        return word.lower()
    return _fi_lemmatizer().lemmatize(word.lower(), "fi").lower()


def lemma(word: str, lang: str) -> str:
    """Base form of one word, lower-case. Swedish falls back to the longest known compound tail:
    'stadsdirektören' -> 'stadsdirektör', 'centralerna' -> 'central'."""
    if lang == "sv":
        return _sv_lemma(word)
    if lang == "fi":
        return _fi_lemma(word)
    raise ValueError(f"unsupported language: {lang!r}")


@lru_cache(maxsize=4)  # one entry per language
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words of the language and the lexicon's function words (document.yml)."""
    return frozenset(nlp(lang).Defaults.stop_words) | frozenset(load("document", lang).words("function_words"))


@lru_cache(maxsize=4)  # one entry per language
def vocabulary(lang: str) -> Vocabulary:
    """Forms and lemmas the lemmatizer knows, and the language's stop words (uninflected words such as
    'och', 'över', 'bra' are no keys of the lookup table); a membership test on lower-case words."""
    if lang == "sv":
        table, lemmas = _sv_tables()
        return Vocabulary(table, lemmas, stop_words("sv"))
    if lang == "fi":
        return Vocabulary(_fi_dictionary(), frozenset(), stop_words("fi"))
    raise ValueError(f"unsupported language: {lang!r}")


@lru_cache(maxsize=64)
def _matchers(lang: str, phrases: PhraseRules, regexes: RegexRules,
              tokens: TokenRules) -> tuple[PhraseMatcher, Matcher]:
    pipeline = nlp(lang)
    phrase_matcher = PhraseMatcher(pipeline.vocab, attr="LOWER")
    for label, items in phrases:
        phrase_matcher.add(label, [pipeline.make_doc(item) for item in items])
    matcher = Matcher(pipeline.vocab)
    for label, items in regexes:
        matcher.add(label, [[{"LOWER": {"REGEX": item}}] for item in items])
    for label, patterns in tokens:
        matcher.add(label, [[_token_spec(spec) for spec in pattern] for pattern in patterns])
    return phrase_matcher, matcher


def _token_spec(spec: str) -> dict[str, object]:
    if spec == "<year>":
        return {"SHAPE": "dddd"}
    if spec == "<number>":
        return {"LIKE_NUM": True}
    return {"LOWER": spec}


def analyse(text: str, lang: str, phrases: PhraseRules = (), regexes: RegexRules = (),
            tokens: TokenRules = ()) -> Analysis:
    """Tokenise, lemmatise and label a text with phrase, single-token regex and token-pattern rules."""
    pipeline = nlp(lang)
    doc, words = _parsed(text.translate(_NUMBER_SPACES), lang)
    spans: list[SpanMatch] = []
    if phrases or regexes or tokens:
        phrase_matcher, matcher = _matchers(lang, phrases, regexes, tokens)
        found = list(phrase_matcher(doc)) if len(phrase_matcher) else []
        found += list(matcher(doc)) if len(matcher) else []
        for match_id, first, last in sorted(found, key=lambda m: (m[1], -m[2])):
            span = doc[first:last]
            spans.append(SpanMatch(label=pipeline.vocab.strings[match_id], first=first, last=last,
                                   start=span.start_char, end=span.end_char, text=text[span.start_char:span.end_char]))
    return Analysis(text=text, words=words, spans=tuple(spans))


@lru_cache(maxsize=2048)
def _parsed(text: str, lang: str) -> tuple[Doc, tuple[Word, ...]]:
    """The language pipeline's doc of a text and its words. Cached: a text is analysed when it is repaired and
    again when its roles and targets are read (about half of the analyses of a book repeat a text)."""
    doc = nlp(lang)(text)
    sentence_of: dict[int, int] = {}
    for number, sent in enumerate(doc.sents):
        for token in sent:
            sentence_of[token.i] = number
    words = tuple(
        Word(index=t.i, text=t.text, lower=t.lower_, start=t.idx, end=t.idx + len(t.text), space_after=t.whitespace_,
             sentence=sentence_of.get(t.i, 0), like_num=t.like_num, is_alpha=t.is_alpha, language=lang)
        for t in doc
    )
    return doc, words
