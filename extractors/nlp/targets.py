"""Targets stage: goal text -> measurable targets (metric, comparator, value, unit, deadline) from lexicon rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.datafiles import read_yaml
from extractors.lexicon import LEXICON_DIR, load
from extractors.nlp.designators import counts_nothing, names_a_thing
from extractors.patterns import CELL_QUANTITY
from extractors.nlp.pipeline import Analysis, PhraseRules, RegexRules, SpanMatch, TokenRules, Word, analyse

KIND = "targets"
YEAR_SLOT = "<year>"


@dataclass(frozen=True)
class TargetMatch:
    """One measurable target found in a text; value is None for an end state reached by a deadline.

    A range ("70–80 procent") gives comparator '>=', value 70 and value_max 80. key is the neutral key of
    the unit or end state (percent, inhabitants, carbon_neutrality, ...), or None for a plain counted noun.
    """

    metric: str
    comparator: str | None
    value: float | None
    unit: str | None
    deadline_year: int | None
    text: str
    start: int
    end: int
    value_max: float | None = None
    key: str | None = None


@dataclass(frozen=True)
class _Measure:
    key: str
    unit: str | None
    metric_is_unit: bool
    state: bool


@dataclass(frozen=True)
class _Rules:
    phrases: PhraseRules
    regexes: RegexRules
    tokens: TokenRules
    measures: dict[str, _Measure]
    number_words: dict[str, float]
    multipliers: dict[str, float]
    scaled_units: dict[str, float]
    number: re.Pattern[str]
    thousands: re.Pattern[str]
    dotted: re.Pattern[str]
    range: re.Pattern[str]
    dashes: frozenset[str]
    years: tuple[int, int]
    metric_words: int
    periods: dict[str, str]
    period_prepositions: frozenset[str]
    comparators_after: dict[str, str]
    value_verbs: frozenset[str]


@dataclass
class _Number:
    first: int
    last: int  # exclusive token index
    value: float
    value_max: float | None
    grouped: bool  # printed with a thousands group or a multiplier


@lru_cache(maxsize=4)  # one entry per language
def _rules(lang: str) -> _Rules:
    lexicon = load(KIND, lang)
    data = read_yaml(LEXICON_DIR / lang / f"{KIND}.yml")
    extra = lexicon.extra
    measures = {
        e["key"]: _Measure(key=e["key"], unit=e.get("unit"), metric_is_unit=bool(e.get("metric_is_unit")),
                           state=bool(e.get("state")))
        for e in data["entries"]
    }
    phrases: list[tuple[str, tuple[str, ...]]] = [
        (f"COMPARATOR:{symbol}", tuple(str(p) for p in items)) for symbol, items in extra["comparators"].items()
    ]
    phrases.append(("MULTIPLIER", tuple(str(w) for w in extra["multipliers"])))
    regexes = tuple((f"MEASURE:{entry.key}", tuple(p.pattern for p in entry.patterns)) for entry in lexicon.entries)
    tokens = tuple(
        (f"DEADLINE:{strength}", tuple(tuple(str(phrase).lower().split()) for phrase in items))
        for strength, items in extra["deadlines"].items()
    )
    low, high = extra["years"]
    return _Rules(
        phrases=tuple(phrases), regexes=regexes, tokens=tokens, measures=measures,
        number_words={str(k).lower(): float(v) for k, v in extra["number_words"].items()},
        multipliers={str(k).lower(): float(v) for k, v in extra["multipliers"].items()},
        scaled_units={str(k).lower(): float(v) for k, v in (extra.get("scaled_units") or {}).items()},
        number=re.compile(extra["number_pattern"]), thousands=re.compile(extra["thousands_group"]),
        dotted=re.compile(extra["dotted_thousands"]),
        range=re.compile(extra["range_pattern"]), dashes=frozenset(extra["range_dashes"]),
        years=(int(low), int(high)), metric_words=int(extra["metric_words"]),
        periods={str(k).lower(): str(v) for k, v in extra.get("periods", {}).items()},
        period_prepositions=frozenset(str(w).lower() for w in extra.get("period_prepositions", ())),
        comparators_after={str(w).lower(): str(symbol)
                           for symbol, items in (extra.get("comparators_after") or {}).items() for w in items},
        value_verbs=frozenset(str(w).lower() for w in extra.get("value_verbs", ())),
    )


def preload(lang: str) -> None:
    """Build the language's rules now (see pipeline.warm_up)."""
    _rules(lang)


def _to_float(text: str) -> float:
    return float(text.replace(",", "."))


_GROUP_SPACES = frozenset({" ", "\u00a0", "\u202f", "\u2009", "\u2007"})


def _single_space(text: str, left: Word, right: Word) -> bool:
    return text[left.end:right.start] in _GROUP_SPACES


def _read_number(words: list[Word], i: int, rules: _Rules, text: str) -> _Number | None:
    """The number starting at word i: digits with thousands groups, a range, or a number word."""
    word = words[i]
    found = rules.range.match(word.text)
    if found:
        number = _Number(i, i + 1, _to_float(found.group(1)), _to_float(found.group(2)), False)
    elif rules.dotted.match(word.text):  # '14.000': fourteen thousand, never 14.0
        number = _Number(i, i + 1, float(word.text.replace(".", "")), None, True)
    elif rules.number.match(word.text):
        number = _Number(i, i + 1, _to_float(word.text), None, False)
        if len(word.text) <= 3 and word.text.isdigit():
            j = i + 1
            while (j < len(words) and rules.thousands.match(words[j].text)
                   and _single_space(text, words[j - 1], words[j])):
                number.value = number.value * 1000 + float(words[j].text)
                number.grouped, number.last, j = True, j + 1, j + 1
        j = number.last
        if (j + 1 < len(words) and words[j].text in rules.dashes and rules.number.match(words[j + 1].text)):
            number.value_max, number.last = _to_float(words[j + 1].text), j + 2
    elif word.lower in rules.number_words:
        number = _Number(i, i + 1, rules.number_words[word.lower], None, True)
    else:
        return None
    after = words[number.last].lower if number.last < len(words) else ""
    # a multiplier word, also abbreviated with a full stop ('1,45 milj. €'), or a unit printed with its scale in
    # one word ('-300 t€', '1,45 milj.€', '300 tkr'), which also names the unit: the number is multiplied
    factor = rules.multipliers.get(after.rstrip(".")) if after.rstrip(".") else None
    scaled = rules.scaled_units.get(after) if factor is None else None
    if factor is not None or scaled is not None:
        factor = factor if factor is not None else scaled
        number.value *= factor
        number.value_max = number.value_max * factor if number.value_max is not None else None
        number.grouped = True
        number.last += 1 if scaled is None else 0
    return number


def _period_after(words: list[Word], index: int, rules: _Rules) -> tuple[str, int] | None:
    """(period, index after it) when the words at `index` name a period ('viikossa', 'per år', 'i veckan')."""
    if index < len(words) and words[index].lower in rules.period_prepositions:
        index += 1
    if index < len(words) and words[index].lower in rules.periods:
        return rules.periods[words[index].lower], index + 1
    return None


def _is_year(number: _Number, rules: _Rules) -> bool:
    low, high = rules.years
    return not number.grouped and number.value.is_integer() and low <= number.value <= high


def _year_of(span: SpanMatch, words: list[Word]) -> int | None:
    for word in words[span.first:span.last]:
        if word.text.isdigit() and len(word.text) == 4:
            return int(word.text)
    return None


def _slice(text: str, picked: list[Word]) -> str:
    return " ".join(text[picked[0].start:picked[-1].end].split()).strip(" .,;:") if picked else ""


def _sentence_text(words: list[Word], sentence: int, text: str, skip: tuple[int, int], limit: int) -> str:
    inside = [w for w in words if w.sentence == sentence and w.text.strip() and not skip[0] <= w.index < skip[1]]
    after = [w for w in inside if w.index >= skip[1]]
    return _slice(text, (after or inside)[:limit])


def _metric_after(words: list[Word], after: int, sentence: int, limit: int, skip: set[int], text: str) -> str:
    picked: list[Word] = []
    for word in words[after:]:
        if word.sentence != sentence or len(picked) >= limit or word.index in skip:
            break
        if word.text.strip():
            picked.append(word)
    return _slice(text, picked)


def _metric_before(words: list[Word], before: int, sentence: int, limit: int, text: str) -> str:
    picked = [w for w in words[:before] if w.sentence == sentence and w.text.strip()]
    return _slice(text, picked[-limit:])


def _deadline_for(first: int, last: int, sentence: int, deadlines: list[SpanMatch],
                  words: list[Word]) -> SpanMatch | None:
    same = [d for d in deadlines if words[d.first].sentence == sentence]
    after = [d for d in same if d.first >= last]
    before = [d for d in same if d.last <= first]
    return after[0] if after else (before[-1] if before else None)


@dataclass(frozen=True)
class _Context:
    """One analysed text with its labelled spans arranged for the target rules."""

    text: str
    words: list[Word]
    rules: _Rules
    analysis: Analysis
    deadlines: list[SpanMatch]
    deadline_tokens: frozenset[int]
    measures_at: dict[int, SpanMatch]
    comparators_ending: dict[int, SpanMatch]
    counted_alone: bool = False
    """A number before a counted noun is a target by itself (the text is a target cell)."""

    @classmethod
    def build(cls, text: str, lang: str, counted_alone: bool = False) -> _Context:
        rules = _rules(lang)
        analysis = analyse(text, lang, phrases=rules.phrases, regexes=rules.regexes, tokens=rules.tokens)
        deadlines = sorted(analysis.labelled("DEADLINE"), key=lambda s: (s.first, -s.last))
        comparators: dict[int, SpanMatch] = {}
        for span in analysis.labelled("COMPARATOR"):
            best = comparators.get(span.last)
            if best is None or span.first < best.first:
                comparators[span.last] = span  # the longest: "inte mer än" over "mer än"
        return cls(text=text, words=list(analysis.words), rules=rules, analysis=analysis, deadlines=deadlines,
                   deadline_tokens=frozenset(i for d in deadlines for i in range(d.first, d.last)),
                   measures_at={s.first: s for s in analysis.labelled("MEASURE")}, comparators_ending=comparators,
                   counted_alone=counted_alone)

    def measure(self, span: SpanMatch) -> _Measure:
        return self.rules.measures[span.label.split(":", 1)[1]]


@lru_cache(maxsize=4)
def comparator_words(lang: str) -> frozenset[str]:
    """The one-word comparators of the targets lexicon ('yli', 'alle', 'vähintään'; lower case)."""
    extra = load(KIND, lang).extra
    return frozenset(str(w).lower() for items in extra["comparators"].values() for w in items if " " not in str(w))


def measure_unit(key: str, lang: str) -> str | None:
    """The unit word of a measure key in a language ('percent' -> 'procent' / 'prosentti')."""
    measure = _rules(lang).measures.get(key)
    return measure.unit if measure else None


def find_targets(text: str | None, lang: str, *, counted_alone: bool = False) -> list[TargetMatch]:
    """Measurable targets in a goal text. A number needs a unit, a comparator or (for a counted noun) a
    deadline in its sentence, or, with `counted_alone` (a target cell: '11 ryhmää viikossa', '25 pv'), a
    counted noun only; years alone are no targets. End states need a deadline ("kolneutral ... 2035").
    A count set per a period ('ryhmää viikossa', lexicon `periods`) has the unit '<noun>/<period>'."""
    if not text or not text.strip():
        return []
    ctx = _Context.build(text, lang, counted_alone)
    targets: list[TargetMatch] = []
    taken: set[int] = set()  # sentences that already hold a target
    i = 0
    while i < len(ctx.words):
        number = _read_number(ctx.words, i, ctx.rules, text) if i not in ctx.deadline_tokens else None
        if number is not None and names_a_thing(ctx.words, number.first, lang):
            number, i = None, number.last - 1  # 'Kohde 3', 'vaihe 2': part of a name, no value
        if number is None or any(j in ctx.deadline_tokens for j in range(number.first, number.last)):
            i += 1
            continue
        i = number.last
        target = _number_target(ctx, number)
        if target is not None:
            targets.append(target)
            taken.add(ctx.words[number.first].sentence)
    targets += _state_targets(ctx, taken)
    targets += _deadline_targets(ctx, taken)
    return sorted(targets, key=lambda t: (t.start, t.end))


def _number_target(ctx: _Context, number: _Number) -> TargetMatch | None:
    words, rules = ctx.words, ctx.rules
    comparator = ctx.comparators_ending.get(number.first)
    measure_span = ctx.measures_at.get(number.last)
    measure = ctx.measure(measure_span) if measure_span else None
    if measure is not None and measure.state:
        measure, measure_span = None, None
    sentence = words[number.first].sentence
    unit_end = measure_span.last if measure_span else number.last
    unit = measure.unit if measure else None
    if measure is None:
        if _is_year(number, rules):
            return None  # a year is no target by itself
        counted = unit_end < len(words) and words[unit_end].is_alpha and unit_end not in ctx.deadline_tokens \
            and _period_after(words, unit_end, rules) is None \
            and not counts_nothing(words, unit_end, rules.value_verbs)  # '12 vuodessa', '3 on valmis': no noun
        dated = any(words[d.first].sentence == sentence for d in ctx.deadlines)
        period = _period_after(words, unit_end, rules)
        before = words[number.first - 1] if number.first and comparator is None else None
        if period is not None and ctx.counted_alone and before is not None and before.is_alpha and \
                before.sentence == sentence:  # 'liikuntatapahtumia 12 vuodessa': the noun before, per period
            unit, unit_end, first = f"{before.lemma}/{period[0]}", period[1], number.first - 1
            return _count_match(ctx, number, unit, first, unit_end)
        stated = comparator is None and not counted and _stated_value(ctx, number, sentence)
        if comparator is None and not stated and not (counted and (dated or ctx.counted_alone)):
            return None  # a bare number; "tre evenemang" counts only with a comparator or a deadline
        first = number.first - 1 if stated else number.first  # 'arvo on 1,5 vuoteen 2026 mennessä': from 'on'
        if counted:
            unit, unit_end = words[unit_end].lemma, unit_end + 1  # "minst tre evenemang": the counted noun
            period = _period_after(words, unit_end, rules)
            if period is not None:  # '11 ryhmää viikossa'
                unit, unit_end = f"{unit}/{period[0]}", period[1]
    first = comparator.first if comparator else (number.first if measure else first)
    if first < number.first and comparator is None:  # a value stated by its verb: what the words before it name
        metric = _metric_before(words, first, sentence, rules.metric_words, ctx.text)
    elif measure is None or measure.metric_is_unit:
        metric = unit or ""  # a count: the counted thing is what is measured
    else:
        metric = (_metric_after(words, unit_end, sentence, rules.metric_words, ctx.deadline_tokens, ctx.text)
                  or _metric_before(words, first, sentence, rules.metric_words, ctx.text) or (unit or ""))
    deadline = _deadline_for(first, unit_end, sentence, ctx.deadlines, words)
    start = min(words[first].start, deadline.start if deadline else words[first].start)
    end = max(words[unit_end - 1].end, deadline.end if deadline else 0)
    symbol = comparator.label.split(":", 1)[1] if comparator else "="
    if comparator is None and unit_end < len(words) and words[unit_end].lower in rules.comparators_after:
        symbol = rules.comparators_after[words[unit_end].lower]  # '3 työpäivän kuluessa'
        end = max(end, words[unit_end].end)
    if number.value_max is not None and symbol == "=":
        symbol = ">="  # a range: at least its lower end
    return TargetMatch(
        metric=metric, comparator=symbol,
        value=number.value if number.value_max is None else min(number.value, number.value_max),
        unit=unit, deadline_year=_year_of(deadline, words) if deadline else None,
        text=ctx.text[start:end], start=start, end=end,
        value_max=max(number.value, number.value_max) if number.value_max is not None else None,
        key=measure.key if measure else None,
    )


def _stated_value(ctx: _Context, number: _Number, sentence: int) -> bool:
    """A bare number stated as the value of what its sentence names by a verb of the lexicon's `value_verbs`
    just before it, with a strong deadline in the sentence ('Quick ratio – tunnusluvun arvo on 1,5 vuoteen 2026
    mennessä', Kauhava 2024 p. 71)."""
    before = ctx.words[number.first - 1] if number.first else None
    return before is not None and before.lower in ctx.rules.value_verbs and before.sentence == sentence and any(
        d.label.endswith(":strong") and ctx.words[d.first].sentence == sentence for d in ctx.deadlines)


def _count_match(ctx: _Context, number: _Number, unit: str, first: int, unit_end: int) -> TargetMatch:
    """A count set per period, its noun printed before the number ('liikuntatapahtumia 12 vuodessa')."""
    words = ctx.words
    return TargetMatch(metric=unit, comparator="=", value=number.value, unit=unit, deadline_year=None,
                       text=ctx.text[words[first].start:words[unit_end - 1].end], start=words[first].start,
                       end=words[unit_end - 1].end)


def _state_targets(ctx: _Context, taken: set[int]) -> list[TargetMatch]:
    """End states reached by a deadline in the same sentence: "vi är en kolneutral stad år 2035"."""
    words = ctx.words
    found: list[TargetMatch] = []
    for span in ctx.analysis.labelled("MEASURE"):
        measure = ctx.measure(span)
        sentence = words[span.first].sentence
        if not measure.state or sentence in taken:
            continue
        deadline = _deadline_for(span.first, span.last, sentence, ctx.deadlines, words)
        if deadline is None:
            continue
        last = span.last
        if last < len(words) and words[last].is_alpha and words[last].sentence == sentence:
            last += 1  # the noun the state describes: "kolneutral stad"
        start, end = min(span.start, deadline.start), max(words[last - 1].end, deadline.end)
        found.append(TargetMatch(metric=_slice(ctx.text, words[span.first:last]).lower(), comparator=None,
                                 value=None, unit=None, deadline_year=_year_of(deadline, words),
                                 text=ctx.text[start:end], start=start, end=end, key=measure.key))
        taken.add(sentence)
    return found


def _deadline_targets(ctx: _Context, taken: set[int]) -> list[TargetMatch]:
    """A strong deadline ("senast 2026", "viimeistään 2026") dates its sentence as a target by itself."""
    found: list[TargetMatch] = []
    for deadline in ctx.deadlines:
        sentence = ctx.words[deadline.first].sentence
        if not deadline.label.endswith(":strong") or sentence in taken:
            continue
        metric = _sentence_text(ctx.words, sentence, ctx.text, (deadline.first, deadline.last), ctx.rules.metric_words)
        found.append(TargetMatch(metric=metric, comparator=None, value=None, unit=None,
                                 deadline_year=_year_of(deadline, ctx.words), text=deadline.text,
                                 start=deadline.start, end=deadline.end))
        taken.add(sentence)
    return found


@lru_cache(maxsize=4)
def _indicator_unit_rules(lang: str) -> tuple[re.Pattern[str], frozenset[str]]:
    rules = load(KIND, lang).extra["indicator_unit"]
    return re.compile(rules["per_pattern"]), frozenset(str(u).lower() for u in rules["not_units"])


def indicator_unit(indicator: str | None, lang: str) -> str | None:
    """The unit an indicator prints for the bare numbers of its target cell (`indicator_unit` in the
    targets lexicon): the percent unit when it prints '%' ('(% asukkaista)' -> 'prosentti'), else a
    per-expression ending it ('Emokaupungin velkamäärä euroa/ asukas' -> 'euroa/asukas'); None when it
    names none. Codes in capitals ('AK/AR') are no unit."""
    if not indicator:
        return None
    if "%" in indicator:
        return measure_unit("percent", lang)
    pattern, not_units = _indicator_unit_rules(lang)
    found = pattern.search(indicator.strip())
    if found is None or found.group(1).isupper():
        return None
    unit = "".join(found.group(1).split()).lower()
    return None if unit in not_units else unit


def per_unit_quantity(text: str | None, lang: str) -> tuple[str, float, float | None, str] | None:
    """A target cell holding one number or range and ending in a per-expression ('avustettavia hankkeita
    10 km/ vuosi', '2-4 tiedotetta / vuosi', 'Säännöllinen koulutus >5 päivää/ vuosi / henkilö') ->
    (comparator, value, upper end of a range or None, unit as `indicator_unit` reads it); a range is '>=' its
    lower end, as `find_targets` reads '70–100 %'. None otherwise."""
    if not text:
        return None
    unit = indicator_unit(text.replace("%", ""), lang)
    found = list(CELL_QUANTITY.finditer(text))
    if unit is None or len(found) != 1:
        return None
    quantity = found[0]
    signs = {"≥": ">=", "≤": "<="}
    high = quantity.group("high")
    comparator = signs.get(quantity.group("cmp") or "", quantity.group("cmp") or (">=" if high else "="))
    return (comparator, _to_float(quantity.group("low")), _to_float(high) if high else None, unit)
