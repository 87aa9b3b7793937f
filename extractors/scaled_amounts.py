"""Scaled amounts in text: '1 450 tkr', '2,5 mnkr', '300 tusen kronor' -> amount, unit, multiplier, period.

An amount printed in words of a sentence or of a text cell, not in a column of figures: the number stands
right before a scale word that the scales lexicon (`extractors/lexicons/<lang>/scales.yml`) reads as money
with a multiplier above one (tkr, mnkr, milj. €, tusen kronor, t€). A bare currency ('5 000 kr', '120 000
euro') names no scale and is not read here.

Each amount is read in its clause (the text between '.', ';' or ', ' and the next): a year printed in the
clause and in no other amount is its year ('2027 1 000 tkr', '1450 tkr 2027', 'År 2029: 4 500 tkr'); a
word of the scales lexicon's `amount_yearly` makes it a yearly amount ('Årligen 150 tkr', '100 tkr årligen',
'50 tkr/år'); a word of `amount_total` makes it the whole ('Projektets totala kalkylerade utgifter uppgår till 2 200
tkr'). A clause naming a span of years ('År 2028–2031: 2 000 tkr respektive år') gives no single year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.lexicon import LANGUAGES, load
from extractors.numbers import parse_number
from extractors.patterns import YEAR
from extractors.scales import read_scale

# a number as printed in prose: '1 450', '1450', '2,5'; never the tail of a longer number or a date
NUMBER = re.compile(r"(?<![\d,.:/-])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(,\d+)?(?![\d])")
WORD = re.compile(r"\s*([^\s]+)")
CLAUSE_END = re.compile(r"[.;](?!\d)|,\s|\n|\?")
YEAR_SPAN = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[–—-]\s*(?:(?:19|20)\d{2}|\d{2})(?!\d)")
@dataclass
class ScaledAmount:
    printed: str
    """The number and its scale word as printed ('1 450 tkr')."""
    amount: float
    unit: str
    multiplier: int
    start: int
    end: int
    year: int | None = None
    yearly: bool = False
    total: bool = False
    example: bool = False
    """The clause gives it as an example ('T.ex.: År 2027: 3 000 tkr'): a form's guidance, no figure."""


def _scale_after(text: str, end: int, language: str | None) -> tuple[int, str, int] | None:
    """(end, unit, multiplier) of a money scale of one or two words right after position `end`."""
    words, pos = [], end
    for _ in range(2):
        found = WORD.match(text, pos)
        if not found or (pos == end and not text[pos:pos + 1].isspace()):
            break
        words.append(found.group(1).rstrip(".,;:?!)"))
        pos = found.end()
        scale = read_scale(" ".join(words), language, "text")
        if scale is not None and scale.money and scale.multiplier > 1:
            return found.start(1) + len(words[-1]), scale.unit, scale.multiplier
    return None


def scaled_amounts(text: str, language: str | None) -> list[ScaledAmount]:
    """Every scaled amount of the text, in order, with the year, yearly and total words of its clause."""
    found: list[ScaledAmount] = []
    for number in NUMBER.finditer(text):
        scale = _scale_after(text, number.end(), language)
        parsed = parse_number(number.group(0).replace("\u00a0", " ").replace("\u202f", " "))
        if scale is None or parsed is None:
            continue
        end, unit, multiplier = scale
        found.append(ScaledAmount(printed=" ".join(text[number.start():end].split()), amount=float(parsed.amount),
                                  unit=unit, multiplier=multiplier, start=number.start(), end=end))
    words = load("scales", language if language in LANGUAGES else "sv")
    yearly, total, example = (words.entry(name) for name in ("amount_yearly", "amount_total", "amount_example"))
    for amount in found:
        start, end = _clause(text, amount)
        others = [(a.start, a.end) for a in found if a is not amount]
        clause = text[start:end]
        rest = "".join(ch if not any(s <= start + i < e for s, e in [(amount.start, amount.end), *others]) else " "
                       for i, ch in enumerate(clause))
        years = {int(y) for y in YEAR.findall(rest)}
        amount.year = years.pop() if len(years) == 1 and not YEAR_SPAN.search(rest) else None
        amount.yearly = yearly.matches(clause) is not None
        amount.total = total.matches(clause) is not None and not amount.yearly
        amount.example = example.matches(text[:end]) is not None
    return found


def _clause(text: str, amount: ScaledAmount) -> tuple[int, int]:
    """The clause around the amount: from the last clause end before it to the first after it. A clause
    holding one amount only reaches to the next amount's clause end, so '2027 400 tkr. 2028 100 tkr' gives
    each its own year."""
    start = 0
    for end in CLAUSE_END.finditer(text, 0, amount.start):
        start = end.end()
    after = CLAUSE_END.search(text, amount.end)
    return start, after.start() if after else len(text)
