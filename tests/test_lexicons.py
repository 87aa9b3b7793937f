"""Lexicons are data: every entry's examples must match it and its counterexamples must not."""

from __future__ import annotations

import re

import pytest

from extractors.chart import finance_chart
from extractors.lexicon import LANGUAGES, lexicon_kinds, load, normalize_label

CASES = [
    (kind, lang, entry.key)
    for kind in lexicon_kinds()
    for lang in LANGUAGES
    for entry in load(kind, lang).entries
]


def _entry(kind: str, lang: str, key: str):
    return next(e for e in load(kind, lang).entries if e.key == key)


@pytest.mark.parametrize(("kind", "lang", "key"), CASES)
def test_examples_classify_to_their_key(kind: str, lang: str, key: str) -> None:
    entry = _entry(kind, lang, key)
    assert entry.examples, f"{lang}/{kind}.yml entry {key} has no examples"
    for example in entry.examples:
        assert load(kind, lang).classify(example) == key, f"{lang}/{kind}: {example!r} should be {key}"


@pytest.mark.parametrize(("kind", "lang", "key"), CASES)
def test_counterexamples_do_not_classify_to_the_key(kind: str, lang: str, key: str) -> None:
    entry = _entry(kind, lang, key)
    assert entry.counterexamples, f"{lang}/{kind}.yml entry {key} has no counterexamples"
    for counter in entry.counterexamples:
        assert load(kind, lang).classify(counter) != key, f"{lang}/{kind}: {counter!r} must not be {key}"


def _only_in_sweden(kind: str) -> set[str]:
    """Keys the lexicon format marks as Sweden's chart only (finance_chart.yml `charts: [se]`)."""
    if kind != "finance_lines":
        return set()
    return {key for key, line in finance_chart().lines.items() if line.charts == ("se",)}


@pytest.mark.parametrize("kind", lexicon_kinds())
def test_every_swedish_key_has_its_finnish_twin(kind: str) -> None:
    sv = [e.key for e in load(kind, "sv").entries]
    fi = [e.key for e in load(kind, "fi").entries]
    assert len(sv) == len(set(sv)) and len(fi) == len(set(fi)), f"{kind}: a key is listed twice"
    assert sorted(set(sv) - _only_in_sweden(kind)) == sorted(fi)


def test_keys_only_in_swedens_chart_are_explicit() -> None:
    only_se = _only_in_sweden("finance_lines")
    assert {"net_operating_costs", "general_grants_equalisation", "result_after_financial_items"} <= only_se
    fi = {e.key for e in load("finance_lines", "fi").entries}
    sv = {e.key for e in load("finance_lines", "sv").entries}
    assert not only_se & fi, "a key of Sweden's chart only must have no Finnish words"
    assert only_se <= sv


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ["responsible_prefix", "area_prefix"])
def test_prefixed_unit_lines(lang: str, name: str) -> None:
    entry = load("units", lang).entry(name)
    for example in entry.examples:
        assert entry.matches(example)
    for counter in entry.counterexamples:
        assert not entry.matches(counter)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ["municipality", "budget_year", "plan_period", "financial_statement",
                                  "statement_year"])
def test_document_patterns(lang: str, name: str) -> None:
    entry = load("document", lang).entry(name)
    for example in entry.examples:
        assert any(p.search(example) or p.search(example.lower()) for p in entry.patterns), example
    for counter in entry.counterexamples:
        assert not any(p.search(counter) or p.search(counter.lower()) for p in entry.patterns), counter


def _named_blocks() -> list[tuple[str, str, str, dict]]:
    """Every named pattern block of every lexicon (responsible_sentence, caption, level_headings.result_area, ...)."""
    blocks = []
    for kind in lexicon_kinds():
        for lang in LANGUAGES:
            for name, data in load(kind, lang).extra.items():
                if isinstance(data, dict) and "patterns" in data:
                    blocks.append((kind, lang, name, data))
                elif isinstance(data, dict) and all(isinstance(v, dict) and "patterns" in v for v in data.values()):
                    blocks += [(kind, lang, f"{name}.{sub}", v) for sub, v in data.items()]
    return blocks


def _block_matches(data: dict, text: str) -> bool:
    """As the stages match: in the normalised lower-case text, or (names with capitals) in the text as printed."""
    flat = " ".join(text.split())
    return any(re.search(p, normalize_label(text)) or re.search(p, flat) for p in data["patterns"])


@pytest.mark.parametrize(("kind", "lang", "name", "data"), _named_blocks(),
                         ids=[f"{k}-{lang}-{n}" for k, lang, n, _ in _named_blocks()])
def test_named_blocks_match_their_examples_only(kind: str, lang: str, name: str, data: dict) -> None:
    assert data.get("examples") and data.get("counterexamples"), f"{lang}/{kind}.yml {name} needs both"
    for example in data["examples"]:
        assert _block_matches(data, str(example)), f"{lang}/{kind}.yml {name}: {example!r} should match"
    for counter in data["counterexamples"]:
        assert not _block_matches(data, str(counter)), f"{lang}/{kind}.yml {name}: {counter!r} must not match"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_money_unit_pattern(lang: str) -> None:
    entry = load("columns", lang).entry("money_unit")
    assert entry.examples and entry.counterexamples
    for example in entry.examples:
        assert entry.matches(example), example
    for counter in entry.counterexamples:
        assert not entry.matches(counter), counter


@pytest.mark.parametrize("lang", LANGUAGES)
def test_misspelt_status_words(lang: str) -> None:
    """goal_status.yml `misspellings`: its examples read as their status, its counterexamples as none."""
    from extractors.goals.status import corrected, is_misspelling, status_key

    data = load("goal_status", lang).extra["misspellings"]
    assert data["examples"] and data["counterexamples"]
    for printed, key in data["examples"].items():
        assert corrected(printed, lang) is not None, f"{printed!r} has no misspelt word"
        assert status_key(printed, lang) == key, printed
    for counter in data["counterexamples"]:
        assert corrected(counter, lang) is None and status_key(counter, lang) is None, counter
    assert is_misspelling("toteunut", "toteutunut", "fi") and is_misspelling("totetutui", "toteutui", "fi")
    assert not is_misspelling("toteutus", "toteutui", "fi")  # a letter changed, not dropped
    assert not is_misspelling("toteutuneita", "toteutuneet", "fi")  # another ending
    assert not is_misspelling("toteuttanut", "toteutunut", "fi")  # a word the lemmatizer knows
    assert not is_misspelling("uppfyt", "uppfyllt", "sv")  # shorter than min_length
