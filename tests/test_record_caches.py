"""The records stage's cached helpers answer as their uncached reading does, keyed on everything the answer
depends on: the text, lower-casing, the lexicon's variants, the language, the figure's printed text, amount
and scale (issue 12: the caches make the stage faster and must never change a record).

The labels are as Kauhava's and Seinäjoki's financial statements 2024 print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors import derived, finance_rows, labels, lexicon, rounding, units
from models import FinanceFigure

LABELS = ["** Vuosikate", "Toimintakulut yhteensä:", "Tava-rat ja palvelut", "SIVISTYS- LAUTAKUNTA",
          "Kultur- och fritidsnämnden", "Kostnader", "Sisältää myyntivoittoa", "Vastuuhenkilö: Sivistysjohtaja",
          "Tytäryhteisö Kiinteistö Oy Seinäjoen Animwest", "130 YLEISHALLINTO", "Verksamhetens\u00ad kostnader."]


@pytest.mark.parametrize("label", LABELS)
def test_normalize_label_keyed_on_lower(label: str) -> None:
    for lower in (True, False, True):
        assert lexicon.normalize_label(label, lower) == lexicon.normalize_label.__wrapped__(label, lower)
    assert lexicon.normalize_label("Kostnader:", lower=False) == "Kostnader"
    assert lexicon.normalize_label("Kostnader:") == "kostnader"


def test_readings_keyed_on_variants_and_lower() -> None:
    assert lexicon.readings("** Vuosikate") == ("** vuosikate",)
    assert lexicon.readings("** Vuosikate", ("strip_markers",)) == ("** vuosikate", "vuosikate")
    assert lexicon.readings("Tava-rat", ["join_hyphenated"]) == ("tava-rat", "tavarat")
    assert lexicon.readings("Tava-rat", ("join_hyphenated",), lower=False) == ("Tava-rat", "Tavarat")
    assert lexicon.readings("Tava-rat") == ("tava-rat",)


@pytest.mark.parametrize("label", LABELS)
def test_unit_helpers_as_uncached(label: str) -> None:
    assert units.unit_key(label) == units.unit_key.__wrapped__(label)
    assert units._flat(label) == units._flat.__wrapped__(label)
    assert finance_rows.memo_row(label) == finance_rows.memo_row.__wrapped__(label)
    for language in ("fi", "sv", None):
        for name in ("responsible_prefix", "subsidiary_prefix"):
            assert units._prefixed(name, label, language) == units._prefixed.__wrapped__(name, label, language)


def test_cached_answers_differ_by_argument() -> None:
    assert units.unit_key("SIVISTYS- LAUTAKUNTA") == units.unit_key("Sivistyslautakunta") == "sivistyslautakunta"
    assert units._prefixed("responsible_prefix", "Vastuuhenkilö: Sivistysjohtaja", "fi") == "Sivistysjohtaja"
    assert units._prefixed("subsidiary_prefix", "Vastuuhenkilö: Sivistysjohtaja", "fi") is None
    assert finance_rows.memo_row("Sisältää myyntivoittoa")
    assert not finance_rows.memo_row("Toimintakulut")


def _figure(printed: str, amount: float, multiplier: int | None = 1, value: float | None = None) -> FinanceFigure:
    return FinanceFigure(document_id="d", unit_name=None, table_id="t", line_label="Verotulot", line_key=None,
                         is_memo=False, column_label="TP 2024", year=2024,
                         figure_kind="actual", amount=amount, multiplier=multiplier, printed=printed,
                         value=value, row_index=0, col_index=1)


def test_printed_unit_keyed_on_printed_amount_and_scale() -> None:
    assert rounding.printed_unit(_figure("373,6", 373.6)) == Decimal("0.1")
    assert rounding.printed_unit(_figure("373,6", 373.6, 1000)) == Decimal("100")
    assert rounding.printed_unit(_figure("374", 374.0, 1000)) == Decimal("1000")
    assert rounding.printed_unit(_figure("", 373.6)) == Decimal("0.1")
    # equal amounts of another type or sign print the same unit, cached or not
    for amount in (12, 12.0, 0, 0.0, -0.0):
        assert rounding.printed_unit(_figure("", amount)) == rounding._printed_unit.__wrapped__("", amount, 1) == 1


def test_trio_values_read_once_per_figure() -> None:
    derived_, first, second = _figure("10", 10.0, value=10.0), _figure("30", 30.0, value=30.0), \
        _figure("20", 20.0, value=20.0)
    trio = derived.Trio(derived_, first, second)
    assert trio.values == (Decimal("10.0"), Decimal("30.0"), Decimal("20.0"))
    assert trio.expected(derived.AS_PRINTED) == Decimal("10.0")
    assert trio.holds(derived.AS_PRINTED) and trio.holds(derived.REVERSED)  # no line: either orientation
    assert not derived.Trio(_figure("8", 8.0, value=8.0), first, second).holds(derived.AS_PRINTED)


@pytest.mark.parametrize(("pieces", "language"), [
    (["Verksamhet", "ens", "kostnader"], "sv"), (["Försäljnings-", "intäkter"], "sv"),
    (["Toiminta-", "tuotot"], "fi"), (["Vesi-", "ja viemärilaitos"], "fi"), (["Toimintakulut"], None)])
def test_best_label_as_uncached(pieces: list[str], language: str | None) -> None:
    assert labels.best_label(pieces, language) == labels._best_label.__wrapped__(tuple(pieces), language)
    assert labels.best_label(pieces, language) == labels.best_label(list(pieces), language)
    assert pieces == list(pieces)  # the caller's list is not changed
    assert labels.best_label(["Verksamhet", "ens", "kostnader"], "sv") == "Verksamhetens kostnader"
