"""Target cells: a cell printing one quantity alone -> (comparator, value, upper end, unit), and whether a cell
prints a value at all (a cell that does and gives no target is reported, never dropped silently)."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.lexicon import load
from extractors.nlp.targets import KIND, measure_unit
from extractors.numbers import parse_amount
from extractors.patterns import CELL_QUANTITY_ALONE, CELL_YEAR, DIGIT_BEFORE_LETTER

SIGNS = {"≥": ">=", "≤": "<="}
SCALED_AMOUNT = re.compile(r"(?P<number>[-\u2212+]?\d{1,3}(?: \d{3})*(?:[.,]\d+)?|[-\u2212+]?\d+(?:[.,]\d+)?)"
                           r" ?(?P<scale>\S+)")


def spaced(text: str) -> str:
    """'1kpl/v' -> '1 kpl/v': a number printed against its unit, spaced as the other cells print it."""
    return DIGIT_BEFORE_LETTER.sub(" ", text)


def cell_quantity(text: str | None) -> tuple[str, float, float | None, bool] | None:
    """A target cell that is one number or range alone, with a comparator sign or a percent sign ('>10',
    '< 600', '6–8', '11,0 %', '+1 000 (ilman ...)', '50 (3 900)': what follows in brackets is a remark or a
    second figure of the cell, kept in the target's text) -> (comparator, value, upper end or None, percent
    printed). A range is '>=' its lower end, as `find_targets` reads '70–100 %'. None for anything else."""
    found = CELL_QUANTITY_ALONE.fullmatch(" ".join((text or "").split()))
    if found is None:
        return None
    low = parse_amount(found.group("low"))
    high = parse_amount(found.group("high")) if found.group("high") else None
    if low is None or (found.group("high") and high is None):
        return None
    sign = found.group("cmp") or ""
    comparator = SIGNS.get(sign, sign) or (">=" if high is not None else "=")
    return comparator, float(low), float(high) if high is not None else None, bool(found.group("percent"))


def prints_value(text: str | None) -> bool:
    """The cell prints a figure other than a year ('1kpl/v', '360/310', '50 (3 900)'; not 'Uudet tulokset 2024',
    'Kyllä', '…')."""
    return any(c.isdigit() for c in CELL_YEAR.sub("", text or ""))


@lru_cache(maxsize=4)
def scale_words(lang: str) -> dict[str, tuple[float, str | None]]:
    """Words that scale the number printed before them -> (factor, the unit the word also names, or None), from
    the targets lexicon's `multipliers` (also with a full stop: 'milj.') and `scaled_units` ('t€' -> (1000,
    'euro'), 'tkr' -> (1000, 'kronor'))."""
    extra = load(KIND, lang).extra
    words: dict[str, tuple[float, str | None]] = {}
    for word, factor in extra["multipliers"].items():
        words[str(word).lower()] = words[f"{str(word).lower()}."] = (float(factor), None)
    for word, factor in (extra.get("scaled_units") or {}).items():
        words[str(word).lower()] = (float(factor), unit_word(str(word), lang))
    return words


def unit_word(text: str | None, lang: str) -> str | None:
    """The unit of the measure a short text names by itself ('€' -> 'euro', 't€' -> 'euro', 'tkr' -> 'kronor'),
    as an indicator cell printing only its unit does; None for anything else."""
    word = " ".join((text or "").split()).lower()
    if not word or " " in word:
        return None
    entry = next((e for e in load(KIND, lang).entries if any(p.search(word) for p in e.patterns)), None)
    return measure_unit(entry.key, lang) if entry is not None else None


def scaled_amount(text: str | None, lang: str) -> tuple[float, str | None] | None:
    """A target cell printing one amount and the word that scales it ('1,45 milj.', '-300 t€', '300 tkr'; lexicon
    `multipliers` and `scaled_units`) -> (the amount in base units, the unit the word names or None), as Seinäjoki's
    subsidiaries' goal tables print their targets (p. 140: '-300 t€' is -300 000 €). None for anything else."""
    found = SCALED_AMOUNT.fullmatch(" ".join((text or "").split()))
    if found is None:
        return None
    scale = scale_words(lang).get(found.group("scale").lower())
    value = parse_amount(found.group("number"))
    if scale is None or value is None:
        return None
    return float(value) * scale[0], scale[1]
