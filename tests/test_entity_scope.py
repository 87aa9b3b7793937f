"""Whose figures and goals they are: the city's, the municipal group's or a subsidiary's.

Every expected value was read from the rendered page of the real document (page numbers are those of
the PDF; each test cuts the document to the pages under test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


records = page_records


def figure(rec: RecordSet, label: str, column: str) -> FinanceFigure:
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.column_label == column]
    assert len(found) == 1, f"{label} {column}: {[(f.line_label, f.column_label, f.amount) for f in found]}"
    return found[0]


# -- Seinäjoki pp. 128-141: one page per subsidiary, 'Tytäryhteisö | <company>' over its goals and key figures --

@pytest.mark.parametrize(("pages", "company", "label", "column", "amount"), [
    ((130,), "Kiinteistö Oy Seinäjoen Animwest", "Nettoinvestoinnit", "TP 2024", 150000),
    ((130,), "Kiinteistö Oy Seinäjoen Animwest", "Liikevaihto", "TA 2024", 478404),
    ((128,), "Etelä-Pohjanmaan Ravikatsomo Oy", "Liikevaihto", "TP 2023", 157898),
    ((128,), "Etelä-Pohjanmaan Ravikatsomo Oy", "Ulkoiset lainat 31.12.", "TP 2024", 652231),
    # p. 133: the company's label lines are taken into the table of p. 132 over the page break
    ((132, 133), "Lakeuden Vesi Oy", "Nettoinvestoinnit", "TP 2024", 1166305),
    ((132, 133), "Kiinteistö Oy Seinäjoen Ruokatalo", "Ulkoiset lainat 31.12.", "TP 2023", 6420690),
])
def test_subsidiary_figures_are_the_company_s(pages: tuple[int, ...], company: str, label: str, column: str,
                                              amount: float) -> None:
    rec = records(SEINAJOKI, pages)
    found = [f for f in rec.finance if f.unit_name == company and " ".join(f.line_label.split()) == label
             and f.column_label == column]
    assert [f.amount for f in found] == [amount]
    assert found[0].entity_scope == "subsidiary"
    unit = next(u for u in rec.units if u.name == company)
    assert unit.level == "subsidiary" and unit.parent_unit_id is None


@pytest.mark.parametrize(("pages", "company", "goal"), [
    ((130,), "Kiinteistö Oy Seinäjoen Animwest", "Vastiketason pysyminen tasaisena"),
    ((128,), "Etelä-Pohjanmaan Ravikatsomo Oy", "Ravikeskuksen vetovoiman lisääminen"),
    ((132, 133), "Lakeuden Vesi Oy", "Häiriötön tuotanto ja jakelu"),
])
def test_subsidiary_goals_are_the_company_s(pages: tuple[int, ...], company: str, goal: str) -> None:
    rec = records(SEINAJOKI, pages)
    found = [g for g in rec.goals if g.goal and " ".join(g.goal.split()) == goal]
    assert found and {g.unit_name for g in found} == {company}


def test_kauhava_subsidiary_heading_names_the_goals_unit() -> None:
    """Kauhava p. 62 heads the goals of pp. 62-63 'Kauhavan Vuokra-asunnot Oy' (a bold heading)."""
    rec = records(KAUHAVA, (62, 63))
    goals = {" ".join(g.goal.split()): g.unit_name for g in rec.goals if g.goal}
    assert goals["Yhtiön vakavaraisuus paranee"] == "Kauhavan Vuokra-asunnot Oy"
    assert goals["Tilojen käyttöaste"] == "Kauhavan Vuokra-asunnot Oy"


# -- group statements and 'Konserni' columns ------------------------------------------------------------

@pytest.mark.parametrize(("pdf", "pages", "label", "column", "amount"), [
    (KAUHAVA, (49,), "Investointimenot", "2024 1 000 €", 20531),  # KONSERNIN RAHOITUSLASKELMA
    (KAUHAVA, (49,), "Vuosikate", "2023 1 000 €", 16398),
    (SEINAJOKI, (71,), "Toimintatuotot", "2024 1 000 €", 207655),  # Taulukko. Konsernituloslaskelma ...
    (SEINAJOKI, (71,), "Toimintakulut", "2023 1 000 €", -388681),
])
def test_group_statement_figures_are_the_group_s(pdf: Path, pages: tuple[int, ...], label: str, column: str,
                                                 amount: float) -> None:
    found = figure(records(pdf, pages), label, column)
    assert (found.amount, found.entity_scope, found.multiplier) == (amount, "group", 1000)


@pytest.mark.parametrize(("column", "amount", "scope"), [
    ("Konserni 2024", 142543775.43, "group"),
    ("Konserni 2023", 140012797.31, "group"),
    ("Kaupunki 2024", 128062631.06, "city"),
    ("Kaupunki 2023", 126492536.52, "city"),
])
def test_group_and_city_columns_differ(column: str, amount: float, scope: str) -> None:
    """Seinäjoki p. 165 'Maa- ja vesialueet erittely': the same line and year for the group and the city."""
    found = figure(records(SEINAJOKI, (165,)), "Maa- ja vesialueet yhteensä", column)
    assert (found.amount, found.entity_scope) == (amount, scope)


# -- tables whose figures no reader reads are named ----------------------------------------------------

# Kauhava p. 38 ('KOKONAISTULOT JA -MENOT', '1 000 € | %') is read now, as the statement year's figures
# (tests/test_year_rows_and_shares.py); so is Seinäjoki p. 56 ('Verotulojen tasaus valtionosuuksissa
# 2020-2024': one row per year, in millions of euros, tests/test_header_scale.py)
@pytest.mark.parametrize(("pdf", "page"), [
    (SEINAJOKI, 64),  # guarantees 'Tytäryhteisöt 202 231 ... YHTEENSÄ 222 306' under running text, no headings
])
def test_unread_table_is_named(pdf: Path, page: int) -> None:
    rec = records(pdf, (page,))
    read = {f.table_id for f in rec.finance}
    unread = [t for t in rec.table_quality if t.table_kind != "goals" and t.table_id not in read]
    named = [i for i in rec.issues if i.code == "table_not_read"]
    assert unread and named and all(i.severity == "warning" for i in named)
    assert {i.message.split()[1] for i in named} >= {t.table_id for t in unread
                                                     if any(c.number is not None for c in rec.tables
                                                            if c.table_id == t.table_id and not c.is_label)}


# -- Kauhava p. 123: the line in the heading ('Toimintatuotot | TA2024 | TP 2024 | Tot. %'), one row per board ------

@pytest.mark.parametrize(("line", "key", "unit", "column", "amount"), [
    ("Toimintatuotot", "operating_income", "Keskusvaalilautakunta", "TA2024", 84000),
    ("Toimintatuotot", "operating_income", "Keskusvaalilautakunta", "TP 2024", 85666),
    ("Toimintatuotot", "operating_income", "Keskusvaalilautakunta", "Tot. %", 102.0),
    ("Toimintakulut", "operating_costs", "Tekninen lautakunta", "TA2024", -10957510),
    ("Toimintakulut", "operating_costs", "Tekninen lautakunta", "Käyttö%", 99.3),
    ("Toimintakulut", "operating_costs", "Kaupunginhallitus", "Muutos €", -6467698),
    ("Toimintatuotot", "operating_income", "Ympäristölautakunta", "TP 2023", 167770),
    ("Toimintatuotot", "operating_income", None, "TP 2024", 7725767),  # 'Kauhavan kaupunki': the city's
])
def test_line_in_heading_unit_in_rows(line: str, key: str, unit: str | None, column: str, amount: float) -> None:
    rec = records(KAUHAVA, (123,))
    found = [f for f in rec.finance if f.line_label == line and f.unit_name == unit and f.column_label == column]
    assert [f.amount for f in found] == ([amount, amount] if column == "TP 2024" else [amount])
    assert {f.line_key for f in found} == {key}


# -- Seinäjoki pp. 54, 67: a statement's tables headed only '1 000 € | %' under a caption printing the year --------

@pytest.mark.parametrize(("label", "amount", "key"), [
    ("Verotulot", 166889, "tax_revenue"),  # p. 54 'Tuloslaskelman tuotot jakaantuivat vuonna 2024 seuraavasti:'
    ("Henkilöstökulut", 141554, "personnel_costs"),
    ("Korkotuotot", 7714, "interest_income"),  # p. 67 'KOKONAISTULOT JA -MENOT VUODELTA 2024'
    ("Pitkäaikaisten lainojen vähennys", 37990, "long_term_loans_decrease"),
    ("Kokonaismenot yhteensä", 336523, None),
])
def test_statement_table_headed_by_a_scale(label: str, amount: float, key: str | None) -> None:
    rec = records(SEINAJOKI, (1, 54, 67))  # the cover says what the document is: a financial statement
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.column_label == "1 000 €"]
    read = {(f.amount, f.year, f.figure_kind, f.multiplier) for f in found}
    assert found and read == {(amount, 2024, "actual", 1000)}
    assert {f.line_key for f in found} == {key}


# -- Kauhava p. 120: 'INVESTOINTIEN TOTEUTUMINEN 2024', investment appropriations and their realisation ----------

@pytest.mark.parametrize(("label", "column", "amount", "kind"), [
    ("Kiinteä omaisuus", "Alkuper. määräraha", 1500000, "budget_original"),
    ("Kiinteä omaisuus", "Toteuma inv.menot", 1358430.00, "actual"),
    ("Kiinteä omaisuus", "Tulot Tot-%", 66.9, "realisation_percent"),
    ("Keskuskeittiö", "Tarkistettu määräraha", 1720000, "budget_amended"),
    ("Muut rakennukset", "Tarkistettu tuloarvio", 299000, "budget_amended"),
    ("YHTEENSÄ", "Toteuma inv.tulot", 515239.62, "actual"),
    ("YHTEENSÄ", "Menot Tot-%", 77.7, "realisation_percent"),
])
def test_investment_realisation(label: str, column: str, amount: float, kind: str) -> None:
    rec = records(KAUHAVA, (2, 120))  # the cover says what the document is: a financial statement
    found = figure(rec, label, column)
    assert (found.amount, found.figure_kind, found.year) == (amount, kind, 2024)


def test_investment_realisation_totals_add_up() -> None:
    """'Tekninen lautakunta yhteensä' is its subtotal 'Rakennukset yhteensä' plus the rows after it."""
    rec = records(KAUHAVA, (2, 120))
    figures = [f for f in rec.finance if f.page == 2]
    assert len(figures) == 108  # counted on the page: 45 under Kaupunginhallitus, 55 Tekninen, 8 YHTEENSÄ
    assert not [v for v in rec.validation if v.severity != "info" and v.page == 2]


# -- Seinäjoki p. 20: 'Taulukko. Toimintakatevertailu 2019–2023, Seinäjoki ja verrokkikaupungit' --
# rows Seinäjoki, Hämeenlinna, Joensuu, ... Vaasa, Keskiarvo under TP-2020 ... TP-2024 | Muutos-% | Asukasluku

def test_peer_cities_rows_are_not_the_city_s() -> None:
    rec = records(SEINAJOKI, (20,))
    own = figure(rec, "Seinäjoki", "TP-2024")
    assert (own.amount, own.unit, own.year, own.entity_scope) == (2684, "EUR/inhabitant", 2024, "city")
    peer = figure(rec, "Hämeenlinna", "TP-2024")
    assert (peer.amount, peer.unit, peer.entity_scope) == (2178, "EUR/inhabitant", "peer")
    assert figure(rec, "Vaasa", "TP-2020").amount == 5762 and figure(rec, "Vaasa", "TP-2020").entity_scope == "peer"
    assert figure(rec, "Keskiarvo", "TP-2023").amount == 2500
    assert figure(rec, "Keskiarvo", "TP-2023").entity_scope == "peer"
    assert {f.entity_scope for f in rec.finance if f.line_label == "Seinäjoki"} == {"city"}
    assert len({f.line_label for f in rec.finance if f.entity_scope == "peer"}) == 10  # 9 cities and the average


@pytest.mark.parametrize(("labels", "context", "own", "peers"), [
    # named by its caption: every row but the document's own municipality's
    (["Seinäjoki", "Joensuu", "Keskiarvo"], ["Taulukko. Toimintakatevertailu, Seinäjoki ja verrokkikaupungit."],
     "Seinäjoki", {"Joensuu", "Keskiarvo"}),
    # named by nothing: the own municipality and two other listed ones
    (["Lapua", "Kauhava", "Seinäjoki", "Koko maa"], [], "Lapua", {"Kauhava", "Seinäjoki", "Koko maa"}),
    # one other listed municipality and no caption naming a comparison: not a peer table
    (["Lapua", "Kauhava", "Yhteensä"], ["Kuntayhtymän jäsenkuntien maksuosuudet"], "Lapua", set()),
    # the document's own municipality unknown: nothing can be told
    (["Seinäjoki", "Joensuu"], ["Seinäjoki ja verrokkikaupungit"], None, set()),
    # no municipality among the rows: a caption alone does not make one
    (["Toimintatuotot", "Toimintakulut"], ["Vertailukunnat 2023"], "Lapua", set()),
    (["Simrishamn", "Tomelilla", "Riket"], ["Nettokostnad jämfört med liknande kommuner"], "Simrishamn",
     {"Tomelilla", "Riket"}),
])
def test_peer_labels(labels: list[str], context: list[str], own: str | None, peers: set[str]) -> None:
    from extractors.peers import peer_labels

    assert peer_labels(labels, context, own, "fi") == peers


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_peer_comparison_lexicon_examples(lang: str) -> None:
    from extractors.lexicon import load
    from extractors.units import names_peer_comparison

    entry = load("units", lang).entry("peer_comparison")
    assert entry.examples and entry.counterexamples
    assert all(names_peer_comparison(text, lang) for text in entry.examples)
    assert not any(names_peer_comparison(text, lang) for text in entry.counterexamples)
