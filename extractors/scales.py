"""Scale stage: what a document says about a table's unit and multiplier -> Scale per column.

Read, nearest first (the first that names a scale wins): a column heading ("Muutos %", "TA 2025
1 000 €", "€/v"), the table's first header cell ("1 000 €", "tkr"), the caption lines right above
the table ("Käyttötalous, 1 000 euroa", "Belopp i mnkr"). What a scale text means is data: the
scales lexicon (`lexicons/{sv,fi}/scales.yml`: unit, multiplier, money or not, with examples and
counterexamples). When nothing is printed the figures are in the document's currency with
multiplier 1: euros, or Swedish kronor for a document from Sweden (`document_currency`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from extractors.datafiles import read_yaml
from extractors.lexicon import LANGUAGES, LEXICON_DIR, classify_any, load
from extractors.municipalities import municipality_country
from extractors.patterns import HEADING_PERIOD
from models import PlanDocument

PERCENT = "percent"
CAPTION_MAX_CHARS = 120
"""A caption that names a scale is short; longer text above a table is running text (amounts in it
such as '6,75 milj. euroa' are not the table's scale)."""


@dataclass(frozen=True)
class Scale:
    """The unit and multiplier of printed figures, and where they were read ('document' = default)."""

    unit: str
    multiplier: int = 1
    money: bool = True
    source: str = "document"
    printed: str | None = None

    def value(self, amount: Decimal) -> float | None:
        """amount × multiplier in the base unit (computed exactly, then as float); None for
        percentages (never money, never summed)."""
        if self.unit == PERCENT:
            return None
        return float(amount * self.multiplier)


@cache
def _meanings() -> dict[str, tuple[str, int, bool]]:
    """scale key -> (unit, multiplier, money), the same in every language (checked by the tests)."""
    meanings: dict[str, tuple[str, int, bool]] = {}
    for lang in LANGUAGES:
        data = read_yaml(LEXICON_DIR / lang / "scales.yml")
        for entry in data["entries"]:
            meanings.setdefault(entry["key"], (str(entry["unit"]), int(entry["multiplier"]), bool(entry["money"])))
    return meanings


def preload() -> None:
    """Read the scales files now (see pipeline.warm_up)."""
    _meanings()


def scale_meanings(language: str) -> dict[str, tuple[str, int, bool]]:
    """The (unit, multiplier, money) of each key as one language's file states it."""
    data = read_yaml(LEXICON_DIR / language / "scales.yml")
    return {e["key"]: (str(e["unit"]), int(e["multiplier"]), bool(e["money"])) for e in data["entries"]}


def is_money(unit: str | None) -> bool:
    """A currency the scales lexicon marks as money (EUR, SEK); None (rows written before units were
    recorded) counts as money, as it did then."""
    return unit is None or unit in {u for u, _, money in _meanings().values() if money}


def read_scale(text: str | None, language: str | None, source: str) -> Scale | None:
    """The scale a short text names ('1 000 €' -> EUR × 1000, 'Muutos %' -> percent), else None.

    A year, date or period before the scale is the column's period, never an amount: '2024 1 000 €'
    (Kauhava's and Seinäjoki's statements) is EUR × 1000 as '1 000 €' is, while '5 000 €' is no scale."""
    if not text or not text.strip():
        return None
    # the period a heading names before its scale ('2024 1 000 €', 'Budget 2025 mnkr') is no amount
    key = classify_any("scales", " ".join(HEADING_PERIOD.sub(" ", text).split()), language)
    if key is None:
        return None
    unit, multiplier, money = _meanings()[key]
    return Scale(unit=unit, multiplier=multiplier, money=money, source=source, printed=" ".join(text.split()))


def table_scale(label_headings: list[str], captions: list[str], language: str | None,
                currency: str) -> Scale:
    """The scale of a whole table: the first header cell over its label columns that names one (left
    to right: 'Prio | Status | Proj Nr | Investeringar (tkr)' -> SEK × 1000), else the nearest caption
    line above it that names one (captions nearest first), else the document's currency with
    multiplier 1."""
    found = next((scale for text in label_headings
                  if (scale := read_scale(text, language, "header")) is not None), None)
    for caption in captions:
        if found is not None:
            break
        if caption and len(caption) <= CAPTION_MAX_CHARS:
            found = read_scale(caption, language, "caption")
    if found is not None and found.unit != PERCENT:
        return found
    return Scale(unit=currency, multiplier=1, money=True, source="document")


BARE_CURRENCY = re.compile(r"^\(?(€|eur|euro|euroa|kr|sek)\)?$", re.IGNORECASE)
"""A heading that prints only the currency ('€', '(euroa)', 'kr')."""


def column_scale(heading: str, table: Scale, language: str | None) -> Scale:
    """A column heading that names a scale ('%', '€/v', 'TA 2025 1 000 €') overrides the table's, except a
    heading printing only the table's currency ('€') under a multiplier the table prints in a header cell
    or its caption ('1 000 000 € | Vuosi | €': Seinäjoki's financial statement 2024, p. 56): the heading
    names the currency, the table its scale, so the figures are in the table's scale."""
    own = read_scale(heading, language, "column")
    if own is not None and table.source in ("header", "caption") and own.unit == table.unit and \
            own.multiplier == 1 < table.multiplier and BARE_CURRENCY.match(" ".join(heading.split())):
        return table
    return own or table


def row_scale(label: str | None, column: Scale, language: str | None) -> Scale:
    """A row label that names a scale overrides its column's, unless the column is a percentage: the key
    figures under a statement's '2024 1 000 €' columns print their own ('Vuosikate, €/asukas' ->
    EUR/inhabitant, 'Asukasmäärä' -> count, 'Kertynyt yli-/alijäämä, milj.€' -> EUR × 1 000 000,
    'Omavaraisuusaste, %' -> percent; Kauhava p. 30, Seinäjoki p. 74)."""
    if column.unit == PERCENT:
        return column
    return read_scale(label, language, "row") or column


def cell_scale(is_percent: bool, column: Scale) -> Scale:
    """A figure printed with a % sign is a percentage whatever its column says."""
    if is_percent and column.unit != PERCENT:
        return Scale(unit=PERCENT, multiplier=1, money=False, source="cell", printed="%")
    return column


def document_currency(doc: PlanDocument, extra_texts: list[str] | None = None) -> str:
    """The currency of figures whose table prints none: 'EUR' or 'SEK'.

    Evidence, strongest first: a municipality of Finland (the municipalities lexicon knows its name,
    e.g. 'Lovisa stad') -> EUR; the currency the document names most ('€', 'euroa' vs 'kr', 'tkr',
    'mnkr'); a Swedish-language document printing what only municipalities in Sweden print ('X
    kommun', 'kommunfullmäktige') -> SEK; otherwise EUR (Finnish documents, and Swedish-language
    documents from Finland).
    """
    texts = [t for p in doc.pages for t in p.furniture] + ([doc.title] if doc.title else [])
    texts += [b.text for b in doc.blocks()] + list(extra_texts or [])
    if _names_finnish_municipality(texts):
        return "EUR"
    named = named_currency(texts)
    if named:
        return named
    sweden = load("scales", "sv").entry("sweden_evidence")
    if doc.language == "sv" and any(sweden.matches(t) for t in texts):
        return "SEK"
    return "EUR"


def named_currency(texts: list[str]) -> str | None:
    """'EUR' or 'SEK': the currency the texts name more often (the scales lexicon's `euro_evidence`
    '€', 'euroa' against `krona_evidence` 'kr', 'tkr', 'mnkr', both languages), None on a tie."""
    euro = krona = 0
    for lang in LANGUAGES:
        scales = load("scales", lang)
        euro += sum(1 for t in texts if scales.entry("euro_evidence").matches(t))
        krona += sum(1 for t in texts if scales.entry("krona_evidence").matches(t))
    if euro == krona:
        return None
    return "EUR" if euro > krona else "SEK"


def _names_finnish_municipality(texts: list[str]) -> bool:
    """A '<Name> stad/kommun/kaupunki/kunta' line whose name the municipalities lexicon lists as Finland's
    (the lexicon also lists municipalities of Sweden: 'Simrishamns kommun' is SE)."""
    for lang in LANGUAGES:
        for pattern in load("document", lang).entry("municipality").patterns:
            for text in texts:
                for found in pattern.finditer(" ".join(text.split())):
                    if municipality_country(found.group("value")) == "FI":
                        return True
    return False


SCENARIO = re.compile(r"(?:^|\s)[-+−]?\d+(?:[,.]\d+)?\s?%$")
"""A heading ending in a percentage printed as a value ('-1 %', '0 %', '+0,5 %')."""
PERCENT_MAX = 1000
"""A column of percentages prints no figure larger than this in size."""


def names_scenario(heading: str) -> bool:
    """The heading ends in a percentage printed as a value: it names a scenario of its column (a change
    in the interest rate, 'Muutos korkotasossa (%-yksikköä)' over '-1 % | 0 % | 1 %' over euros: Seinäjoki's
    financial statement 2024 p. 180), neither the unit of the figures nor a year or kind of theirs."""
    return bool(SCENARIO.search(" ".join(heading.split())))


def fitting_scale(column: Scale, table: Scale, numbers: list[float]) -> Scale:
    """The column's scale, unless it names per cent over figures past PERCENT_MAX in size ('-32 076 487,33'
    under '(%-yksikköä) 0 %'): then the heading names the unit of something else and the table's scale holds."""
    if column.unit == PERCENT and any(abs(n) > PERCENT_MAX for n in numbers):
        return table
    return column
