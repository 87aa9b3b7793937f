"""Lexicon stage data: loads extractors/lexicons/{sv,fi}/*.yml and compiles their patterns by name.

Finance lines and column headings are classified here too (classify_line, column_kind,
column_years); the language-neutral chart of lines (parents, signs, sums) is
extractors/lexicons/finance_chart.yml, loaded by `extractors.chart.finance_chart`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from extractors.chart import finance_chart
from extractors.datafiles import read_yaml
from extractors.patterns import BROKEN_WORD, DATE_YEAR, LABEL_MARKERS, YEAR

LEXICON_DIR = Path(__file__).parent / "lexicons"
LANGUAGES = ("sv", "fi")


@lru_cache(maxsize=1 << 16)
def normalize_label(text: str, lower: bool = True) -> str:
    """Lower-case (unless lower=False), NFKC, single spaces, no soft hyphens or zero-width characters, no
    trailing colon/dot.

    Cached (a pure function of its arguments): the stages normalise the same labels many times over, about
    57 000 calls for 10 000 labels on a 150-page book."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = " ".join(text.split())
    return (text.lower() if lower else text).strip(" :;.")


def readings(text: str, variants: Sequence[str] = (), lower: bool = True) -> tuple[str, ...]:
    """The normalised label and, per the lexicon's `variants`, the same without footnote stars and list
    numbers ('strip_markers': '** Vuosikate' -> 'vuosikate') and with hyphen-broken words joined
    ('join_hyphenated': 'tava-rat' -> 'tavarat', 'Poik- keama' -> 'poikkeama')."""
    return _readings(text, tuple(variants), lower)


@lru_cache(maxsize=1 << 16)
def _readings(text: str, variants: tuple[str, ...], lower: bool) -> tuple[str, ...]:
    """readings, cached on all it depends on (the text, the variants asked for, lower): a lexicon's entries
    read the same label in turn, and the stages ask about the same labels again."""
    out = [normalize_label(text, lower)]
    if "strip_markers" in variants:
        out.append(LABEL_MARKERS.sub("", out[0]).strip(" :;."))
    if "join_hyphenated" in variants:
        out += [BROKEN_WORD.sub("", r) for r in out]
    return tuple(dict.fromkeys(r for r in out if r))


@dataclass(frozen=True)
class Entry:
    key: str
    patterns: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    cased_patterns: tuple[re.Pattern[str], ...] = ()
    """Patterns searched in the readings with their capitals kept ('Kostnader' as a row label, not the
    'kostnader' that ends a wrapped 'Verksamhetens / kostnader')."""

    def matches(self, text: str, variants: Sequence[str] = ()) -> re.Match[str] | None:
        cased = readings(text, variants, lower=False) if self.cased_patterns else ()
        return self.search(readings(text, variants), cased)

    def search(self, texts: Sequence[str], cased: Sequence[str] = ()) -> re.Match[str] | None:
        """The first match of a pattern in one of the (already normalised) readings."""
        for patterns, readings_ in ((self.patterns, texts), (self.cased_patterns, cased)):
            for reading in readings_:
                for pattern in patterns:
                    found = pattern.search(reading)
                    if found:
                        return found
        return None


@dataclass(frozen=True)
class Lexicon:
    kind: str
    language: str
    entries: tuple[Entry, ...]
    extra: dict = field(default_factory=dict)

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(self.extra.get("variants", ()))

    def classify(self, text: str) -> str | None:
        """The key of the first entry that matches any reading of the text, or None."""
        return _classify(self.kind, self.language, text)

    def entry(self, name: str) -> Entry:
        """A named single-pattern block of the file (e.g. responsible_prefix) as an Entry (compiled once per
        lexicon and name: the stages ask for the same blocks for every line)."""
        compiled = self.__dict__.setdefault("_named", {})
        found = compiled.get(name)
        if found is None:
            found = compiled[name] = _entry(name, self.extra[name])
        return found

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(self.extra.get(name, ()))

    @cached_property
    def has_cased_patterns(self) -> bool:
        """Some entry has cased patterns (then the cased readings of a text are searched too)."""
        return any(e.cased_patterns for e in self.entries)

    @cached_property
    def _alternations(self) -> tuple[_AnyPattern, _AnyPattern]:
        return (_AnyPattern([p for e in self.entries for p in e.patterns]),
                _AnyPattern([p for e in self.entries for p in e.cased_patterns]))

    def may_match(self, texts: Sequence[str], cased: Sequence[str] = ()) -> bool:
        """False when no entry's pattern matches any of the (normalised) readings, nor a cased pattern any of
        the cased readings: a search of all patterns at once (`_AnyPattern`), which matches exactly where one
        of them does. `_classify` asks it before trying the entries in order (most texts match none)."""
        return any(alternation.search(t) for alternation, texts_ in zip(self._alternations, (texts, cased),
                                                                         strict=True) for t in texts_)


def _entry(key: str, data: dict) -> Entry:
    return Entry(
        key=key,
        patterns=tuple(re.compile(p) for p in data.get("patterns", ())),
        examples=tuple(str(x) for x in data.get("examples", ())),
        counterexamples=tuple(str(x) for x in data.get("counterexamples", ())),
        cased_patterns=tuple(re.compile(p) for p in data.get("cased_patterns", ())),
    )


class _AnyPattern:
    """Whether any of several patterns matches a text, asked at once: the patterns anchored at the text's start
    ('^...', the finance lines) joined into one alternation tried at position 0 only, the others into one
    alternation searched; an alternation matches exactly where one of its patterns does. Patterns that cannot
    be joined (different flags, back-references) are searched one by one."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        same_flags = len({p.flags for p in patterns}) <= 1
        joinable = [p for p in patterns if same_flags and not p.groupindex and not _REFERENCE.search(p.pattern)]
        self.single = [p for p in patterns if p not in joinable]
        self.start = self._join([p for p in joinable if _anchored(p)])
        self.anywhere = self._join([p for p in joinable if not _anchored(p)])

    def _join(self, patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
        if not patterns:
            return None
        try:
            return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
        except re.error:
            self.single += patterns
            return None

    def search(self, text: str) -> bool:
        return bool((self.start is not None and self.start.match(text))
                    or (self.anywhere is not None and self.anywhere.search(text))
                    or any(p.search(text) for p in self.single))


_REFERENCE = re.compile(r"\\[1-9]|\(\?\(|\(\?P=")
"""A back-reference or a conditional group: group numbers that change when patterns are joined."""


def _anchored(pattern: re.Pattern[str]) -> bool:
    r"""The pattern matches only at the text's start: it begins with '^' or '\A' outside any alternation."""
    if pattern.flags & re.MULTILINE:
        return False
    try:
        first = re._parser.parse(pattern.pattern, pattern.flags).data[:1]  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - no parser at hand: searched everywhere, as the pattern itself is
        return False
    at = re._constants  # type: ignore[attr-defined]
    return bool(first) and first[0][0] == at.AT and first[0][1] in (at.AT_BEGINNING, at.AT_BEGINNING_STRING)


@cache
def load(kind: str, language: str) -> Lexicon:
    path = LEXICON_DIR / language / f"{kind}.yml"
    data = read_yaml(path)
    entries = tuple(_entry(e["key"], e) for e in data.get("entries", ()))
    extra = {k: v for k, v in data.items() if k not in {"entries", "kind", "language"}}
    lexicon = Lexicon(kind=kind, language=language, entries=entries, extra=extra)
    lexicon._alternations  # noqa: B018 - compiled with the lexicon (in warm_up), not at a first line
    return lexicon


@lru_cache(maxsize=1 << 16)
def _classify(kind: str, language: str, text: str) -> str | None:
    lexicon = load(kind, language)
    texts = readings(text, lexicon.variants)
    cased = readings(text, lexicon.variants, lower=False) if lexicon.has_cased_patterns else ()
    if not lexicon.may_match(texts, cased):
        return None
    return next((entry.key for entry in lexicon.entries if entry.search(texts, cased)), None)


def lexicon_kinds() -> list[str]:
    return sorted(p.stem for p in (LEXICON_DIR / "sv").glob("*.yml"))


def _order(language: str | None) -> list[str]:
    order = [language] if language in LANGUAGES else []
    return order + [lang for lang in LANGUAGES if lang not in order]


@lru_cache(maxsize=200_000)
def classify_any(kind: str, text: str, language: str | None = None) -> str | None:
    """Classify with the document's language first, then the other one (documents mix languages).

    Lexicons are read once per process, so answers are cached per (kind, text, language).
    """
    for lang in _order(language):
        key = load(kind, lang).classify(text)
        if key:
            return key
    return None


def match_prefixed(kind: str, name: str, text: str, language: str | None = None) -> str | None:
    """Value of a 'Prefix: value' line such as 'Ansvarsperson: stadsdirektören', in either language."""
    for lang in _order(language):
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


# --- finance lines ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LineMatch:
    """A finance row label read against the line lexicon.

    key: the chart line (None when the label is not a line of the lexicon: cost-centre codes,
    activities, key figures). parent: its parent_line_key. row_kind: set when the row qualifies a line
    instead of naming one ('Alkuperäinen', 'Kv 27.5. §45 Muutos', 'Budget' under 'Nettokostnader'):
    the figure kind of its figures ('total' for the line's own total row); key is then the line it
    qualifies, if the path or label names one.
    """

    key: str | None
    parent: str | None = None
    row_kind: str | None = None

    @property
    def line_key(self) -> str | None:
        """The key a figure of this row may carry on its own: the line, unless the row only qualifies it."""
        return self.key if self.row_kind in (None, "total") else None


def _line(text: str, language: str | None) -> str | None:
    return classify_any("finance_lines", text, language)


def _grouped_line(group: str, leaf: str, language: str | None) -> str | None:
    """The line 'group / name' names, unless the group's own name alone gives it (a pattern open at its
    end, '^josta sisäis', matches whatever follows the group)."""
    key = _line(f"{group} / {LABEL_MARKERS.sub('', leaf).strip()}", language)
    return key if key and key != _line(group, language) else None


MARGIN_LINES = ("operating_margin", "net_operating_costs")
"""The lines a table closes with when its bare 'Menot' / 'Tulot' rows are its operating flows."""


def line_beside_margin(label: str, language: str | None = None) -> LineMatch:
    """The operating line a bare flow word names in a table that also prints its operating margin
    ('Menot' -> operating_costs, 'Tulot' -> operating_income; finance_lines.yml `beside_margin`), else
    LineMatch(None). The caller decides that the table prints the margin (MARGIN_LINES)."""
    for lang in _order(language):
        for key, block in load("finance_lines", lang).extra.get("beside_margin", {}).items():
            if _entry(key, block).matches(label):
                return LineMatch(key, finance_chart().parent(key))
    return LineMatch(None)


def classify_line(label: str | Sequence[str], language: str | None = None) -> LineMatch:
    """Classify a row label, or a row path (outer group label first: ['Toimintatulot', 'Alkuperäinen']).

    A label is a line when the lexicon knows it; otherwise a qualifier row (row_kinds.yml) takes the
    line of the nearest enclosing path part, and a label that is a line followed by a qualifier
    ('Toimintatulot Alkuperäinen', 'Toimintakulut yhteensä') is read as both. A name printed under two
    groups ('Muut saamiset' under Sijoitukset and under Saamiset) is a line only with the group row it
    stands under: the lexicon's patterns of the form 'group / name' ('^sijoitukset / muut saamiset$').
    """
    parts = [label] if isinstance(label, str) else [p for p in label if p and p.strip()]
    if not parts:
        return LineMatch(None)
    leaf = parts[-1]
    key = _line(leaf, language) or next((k for k in (_grouped_line(g, leaf, language) for g in reversed(parts[:-1]))
                                         if k), None)
    if key:
        return LineMatch(key, finance_chart().parent(key))
    row_kind = classify_any("row_kinds", leaf, language)
    if row_kind:
        group = next((k for k in (_line(p, language) for p in reversed(parts[:-1])) if k), None)
        return LineMatch(group, finance_chart().parent(group), row_kind)
    words = leaf.split()
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        tail_kind = classify_any("row_kinds", tail, language)
        head_key = _line(head, language) if tail_kind else None
        if head_key:
            return LineMatch(head_key, finance_chart().parent(head_key), tail_kind)
    return LineMatch(None)


# --- column headings --------------------------------------------------------------------------------

# Kinds that compare other columns: without a year of their own they take the year they compare.
COMPARISON_KINDS = ("difference", "percent_change", "realisation_percent")
# Kinds that span several years: a year only when the heading prints one.
MULTI_YEAR_KINDS = ("total", "cumulative")
# Kinds that are not money of one year (counts, goal values, unknown): no year from the context.
NO_CONTEXT_YEAR_KINDS = (*MULTI_YEAR_KINDS, "count", "other")


def column_kind(label: str, language: str | None = None) -> str | None:
    """The figure kind a column heading (or a joined "Group Sub" heading) names, None when it names none
    (a bare year '2024', '31.12.2024 1 000 €', an entity 'Konserni 2024': the caller decides)."""
    return classify_any("columns", label, language)


def _previous_year(label: str, language: str | None) -> bool:
    return any(load("columns", lang).entry("previous_year").matches(label) for lang in _order(language))


def heading_years(label: str) -> list[int]:
    """Years printed in a heading, those not part of a date first ('TA 2025 (Kv 9.12.2024)' -> [2025, 2024])."""
    text = normalize_label(label)
    dated = [int(m.group(1)) for m in DATE_YEAR.finditer(text)]
    bare = [int(m.group(1)) for m in YEAR.finditer(DATE_YEAR.sub(" ", text))]
    return bare + dated


def column_year(label: str, context_year: int | None, kind: str | None = None,
                language: str | None = None) -> int | None:
    """The year of one column: printed in its heading, else the context year (of the document or the
    section the table belongs to); 'Utfall fg år' is the context year minus one. A comparison column
    printing two years ('Muutos% TA 2024-2025', 'Muutos-% 2024/2023') is the later year; a multi-year
    column ('Yhteensä', 'Ack. utfall'), a count or an unknown column has a year only when it prints one."""
    years = heading_years(label)
    if years:
        return max(years) if kind in COMPARISON_KINDS else years[0]
    if kind in NO_CONTEXT_YEAR_KINDS or context_year is None:
        return None
    return context_year - 1 if _previous_year(label, language) else context_year


def column_years(labels: Sequence[str], kinds: Sequence[str | None], context_year: int | None,
                 language: str | None = None) -> list[int | None]:
    """Years of a table's columns (labels and kinds in column order).

    A comparison column without a year of its own takes the latest year of the columns it follows
    (Lapua's 'TP 2023 | TA 2024 | Raami 2025 | TA 2025 | Ero raamiin': 'Ero raamiin' is 2025); when the
    columns before it have no year because they span several years, it has none either. A difference
    column that prints one year compares figures of that year: the columns without a printed year
    before it (back to one that prints a year) take it (Lapua's 'Määräraha € | Käytetty € |
    Käyttämättä 2024 € | Lisämääräraha 2025 €': the appropriation and its use are 2024's).
    """
    own = [column_year(label, context_year, kind, language) for label, kind in zip(labels, kinds, strict=True)]
    out: list[int | None] = []
    for index, (label, kind) in enumerate(zip(labels, kinds, strict=True)):
        if kind in COMPARISON_KINDS and not heading_years(label):
            earlier = [own[i] for i in range(index) if kinds[i] not in COMPARISON_KINDS and own[i] is not None]
            out.append(max(earlier) if earlier else
                       (None if any(kinds[i] in MULTI_YEAR_KINDS for i in range(index)) else own[index]))
        else:
            out.append(own[index])
    for index, (label, kind) in enumerate(zip(labels, kinds, strict=True)):
        if kind != "difference" or len(set(heading_years(label))) != 1:
            continue
        for before in range(index - 1, -1, -1):
            if heading_years(labels[before]) or kinds[before] in COMPARISON_KINDS:
                break
            if kinds[before] not in NO_CONTEXT_YEAR_KINDS:
                out[before] = own[index]
    return out
