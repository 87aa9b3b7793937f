"""Balance sheets (tase / balansräkning) and financial-statement notes read as finance.

Every expected value was read from the rendered page of the real document (page numbers are those of
the PDF; each test cuts the document to the pages under test, so page 1 of the cut is the first page
listed).
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


def figure(rec: RecordSet, label: str, year: int) -> FinanceFigure:
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.year == year]
    assert len(found) == 1, f"{label} {year}: {[(f.line_label, f.column_label, f.amount) for f in found]}"
    return found[0]


# -- Kauhava p. 51-52: the group balance sheet, '1 000 €' printed over the assets side only ----------

@pytest.mark.parametrize(("label", "year", "amount", "key", "parent"), [
    ("PYSYVÄT VASTAAVAT", 2024, 200357, "fixed_assets", "total_assets"),
    ("Aineelliset hyödykkeet", 2023, 183908, "tangible_assets", "fixed_assets"),
    ("Rakennukset", 2024, 141326, "buildings", "tangible_assets"),
    ("Osakuusyhteisöosuudet", 2024, 808, "associated_company_holdings", "fixed_asset_investments"),
    ("Lyhytaikaiset saamiset", 2023, 5145, "short_term_receivables", "receivables"),
    ("Rahat ja pankkisaamiset", 2024, 28379, "cash_and_bank", "current_assets"),
    ("VASTAAVAA YHTEENSÄ", 2023, 234052, "total_assets", None),
    ("Peruspääoma", 2024, 36430, "share_capital", "equity"),
    ("Ed.tilikausien yli-/alijäämä", 2023, 31579, "retained_surplus", "equity"),
    # the period's surplus is an item of the equity here, not the income statement's last line
    ("Tilikauden yli-/alijäämä", 2024, 5343, "surplus", "equity"),
    # the minority's share is a group of its own here, not a deduction from the surplus
    ("VÄHEMMISTÖOSUUDET", 2023, 2293, "minority_interests", "total_equity_and_liabilities"),
    ("Muut pakolliset varaukset", 2024, 130, "other_provisions", "provisions"),
    ("Pitkäaik. korollinen vieras po", 2024, 133769, "long_term_interest_bearing_liabilities",
     "long_term_liabilities"),
    ("VASTAATTAVAA YHTEENSÄ", 2023, 234053, "total_equity_and_liabilities", None),
])
def test_kauhava_group_balance_sheet(label: str, year: int, amount: float, key: str, parent: str | None) -> None:
    found = figure(records(KAUHAVA, (51, 52)), label, year)
    assert (found.amount, found.line_key, found.parent_line_key) == (amount, key, parent)
    assert found.figure_kind == "actual" and found.unit == "EUR"
    # the liabilities side prints no scale: its totals equal the assets side's, printed in thousands
    assert found.multiplier == 1000 and found.value == amount * 1000


def test_kauhava_balance_sheet_checks() -> None:
    rec = records(KAUHAVA, (51, 52))
    failed = {(v.check, v.column_label) for v in rec.validation if v.severity in ("warning", "error")}
    # p. 51 prints Aineettomat hyödykkeet 1 308 over 315 + 968 = 1 283 for 2024 (its Ennakkomaksut 25,
    # printed in the detailed group balance sheet on p. 134, is left out): the sum does not hold
    # Sijoitukset adds up: 808 + 6 928 + 0 + 0 = 7 736 ('Osakkeet ja osuudet' under it is its own line)
    assert failed == {("intangible_assets", "31.12.2024 1 000 €")}
    balance = [v for v in rec.validation if v.check == "balance_sheet"]
    # 2024: 237 305 on both sides (no finding); 2023: 234 053 vs 234 052, within rounding
    assert [(v.severity, v.actual, v.expected) for v in balance] == [("info", 234053000, 234052000)]
    held = {v.check for v in rec.validation if v.severity == "info"}
    assert {"equity", "liabilities", "provisions"} <= {f.line_key for f in rec.finance} and "balance_sheet" in held
    # the group's key figures under the balance sheet (Omavaraisuusaste, %; Kunnan asukasmäärä) are no money:
    # read in the units their labels name, never in the statement's 1 000 €
    keyed = [f for f in rec.finance if "asukas" in f.line_label.lower() or "%" in f.line_label]
    assert keyed and {f.unit for f in keyed} == {"percent", "EUR/inhabitant", "count"}
    assert any(c.text.startswith("Kunnan asukasmäärä") for c in rec.tables)


# -- Seinäjoki p. 73-74: the group balance sheet, '2024 1 000 €' in each column heading -------------

@pytest.mark.parametrize(("label", "year", "amount", "key"), [
    ("Ennakkomaksut ja kesk. hankinnat", 2024, 43537, "advance_payments_and_work_in_progress"),
    ("Muut saamiset", 2023, 179, "other_investment_receivables"),
    ("VASTAAVAA YHTEENSÄ", 2024, 1140497, "total_assets"),
    ("Peruspääoma / osakepääoma", 2024, 208909, "share_capital"),
    ("Säätiöiden peruspääomat", 2023, 317, "foundations_capital"),
    ("Tilikauden yli-/alijäämä", 2023, -1310, "surplus"),
    ("KONSERNIRESERVI", 2024, 1728, "group_reserve"),
    ("VASTATTAVAA YHTEENSÄ", 2023, 1096856, "total_equity_and_liabilities"),
])
def test_seinajoki_group_balance_sheet(label: str, year: int, amount: float, key: str) -> None:
    rec = records(SEINAJOKI, (73, 74))
    found = figure(rec, label, year)
    assert (found.amount, found.line_key, found.multiplier, found.value) == (amount, key, 1000, amount * 1000)


def test_seinajoki_group_balance_sheet_adds_up() -> None:
    rec = records(SEINAJOKI, (73, 74))
    assert not [v.message for v in rec.validation if v.severity in ("warning", "error")]
    quality = [q for q in rec.table_quality if q.table_kind == "finance"]
    assert len(quality) == 2 and all(q.arithmetic_ok for q in quality)
    keyed = {(f.line_label, f.year): (f.unit, f.amount) for f in rec.finance
             if f.line_label.startswith(("Omavaraisuusaste", "Asukasmäärä"))}
    assert keyed == {("Omavaraisuusaste, %", 2024): ("percent", 33.0), ("Omavaraisuusaste, %", 2023): ("percent", 34.0),
                     ("Asukasmäärä", 2024): ("count", 66610.0), ("Asukasmäärä", 2023): ("count", 66160.0)}


# -- Seinäjoki p. 151-152: each date's heading printed over a pair of columns, the items in the left,
#    each group's total in the right on the group's last item row -----------------------------------

def test_seinajoki_city_balance_sheet_pairs_of_columns() -> None:
    rec = records(SEINAJOKI, (151, 152))
    found = {(f.line_label, f.column_label, f.amount): (f.line_key, f.year) for f in rec.finance}
    # the right column of each pair takes the heading printed over the pair
    assert found[("VASTAAVAA YHTEENSÄ", "31.12.2024", 630723537.21)] == ("total_assets", 2024)
    assert found[("VASTAAVAA YHTEENSÄ", "31.12.2023", 629115097.38)] == ("total_assets", 2023)
    assert found[("IV Rahat ja pankkisaamiset", "31.12.2024", 1060640.69)] == ("cash_and_bank", 2024)
    # an item and its group's total on one row: the total (Aineettomat hyödykkeet 614 142,52) is no item
    # figure; it is the group's, under its heading row 'I Aineettomat hyödykkeet' (the items add up to it)
    assert found[("2. Muut pitkävaikutteiset menot", "31.12.2024", 462473.85)] == ("other_long_term_expenditure", 2024)
    assert found[("I Aineettomat hyödykkeet", "31.12.2024", 614142.52)] == ("intangible_assets", 2024)
    # 2023 prints no item on that row, only the group's total 601 693,69
    assert found[("I Aineettomat hyödykkeet", "31.12.2023", 601693.69)] == ("intangible_assets", 2023)
    # a group whose closing line the lexicon does not know: its total is the heading's printed right above its
    # items when they add up (279 290,24 + 1 223 342,11 = 1 502 632,35), never the closing item's; the heading
    # is named as printed, its letter 'B' in a label column of its own included
    assert found[("B TOIMEKSIANTOJEN VARAT", "31.12.2024", 1502632.35)] == ("trust_fund_assets", 2024)
    assert ("2. Lahjoitusrahastojen varat", "31.12.2024", 1502632.35) not in found
    assert found[("III Sijoitukset", "31.12.2023", 182795857.80)] == ("fixed_asset_investments", 2023)
    # the two sides balance: 630 723 537,21 and 629 115 097,38 on both
    assert not [v for v in rec.validation if v.check == "balance_sheet"]
    assert found[("VASTATTAVAA YHTEENSÄ", "31.12.2023", 629115097.38)] == ("total_equity_and_liabilities", 2023)


# -- Seinäjoki p. 155-156: the group balance sheet, its equity-and-liabilities side on a page of its own ----

def test_group_balance_sheet_second_page_is_the_groups() -> None:
    # p. 156 prints no 'Konserni' heading; its VÄHEMMISTÖOSUUDET and KONSERNIRESERVI exist only in group
    # accounts. Its capitals headings with figures close the group above them ('OMA PÄÄOMA').
    rec = records(SEINAJOKI, (1, 155, 156))
    side = [f for f in rec.finance if f.page == 3]
    assert {f.entity_scope for f in side} == {"group"}
    got = {(f.line_path, f.year): f.amount for f in side}
    assert got[("VÄHEMMISTÖOSUUDET", 2024)] == 15656
    assert got[("VÄHEMMISTÖOSUUDET", 2023)] == 14840
    assert got[("KONSERNIRESERVI", 2024)] == 1728
    assert got[("TOIMEKSIANTOJEN PÄÄOMAT", 2023)] == 3313
    assert got[("OMA PÄÄOMA / Tilikauden yli-/alijäämä", 2024)] == 11869
    assert got[("VIERAS PÄÄOMA / Pitkäaikainen korollinen vieras pääoma", 2024)] == 460747
    assert got[("VASTATTAVAA YHTEENSÄ", 2024)] == 1140497
    assert {f.multiplier for f in side} == {1000}


# -- key figures printed under a statement, each naming its unit in its label -------------------------

def test_key_figures_under_the_group_balance_sheet_are_read_in_their_units() -> None:
    # Kauhava p. 52 (read from the page): under VASTAATTAVAA YHTEENSÄ, 'KONSERNITASEEN TUNNUSLUVUT' and ten
    # rows, each naming its unit; they were kept in `tables` only (rows_under_table).
    rec = records(KAUHAVA, (1, 51, 52))
    got = {(" ".join(f.line_label.split()), f.year): (f.unit, f.multiplier, f.amount) for f in rec.finance
           if f.page == 3 and f.line_path.startswith("KONSERNI")}
    assert got[("Omavaraisuusaste, %", 2024)] == ("percent", 1, 31.9)
    assert got[("Suhteellinen velkaantuneisuus, %", 2023)] == ("percent", 1, 179.5)
    assert got[("Kertynyt yli-/alijäämä, 1000 €", 2024)] == ("EUR", 1000, 35042.0)
    assert got[("Konsernin lainat, €/asukas", 2023)] == ("EUR/inhabitant", 1, 9066.0)
    assert got[("Konsernin lainakanta 31.12., 1000 €", 2024)] == ("EUR", 1000, 144659.0)
    assert got[("Kunnan asukasmäärä", 2023)] == ("count", 1, 15164.0)
    assert len(got) == 20
    assert not [i for i in rec.issues if i.code == "rows_under_table"]
    assert {f.entity_scope for f in rec.finance if f.page == 3} == {"group"}


def test_rows_under_a_table_that_name_no_unit_stay_unread() -> None:
    # Lapua kh p. 3: 'Säästötavoite -1 759 900' names no unit: reading it would be a guess
    samples = Path(__file__).resolve().parent.parent / "samples"
    lapua = samples / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"
    rec = records(lapua, (3,))
    assert not [f for f in rec.finance if "Säästötavoit" in f.line_label]
    assert [i.code for i in rec.issues if i.code == "rows_under_table"] == ["rows_under_table"]


# -- Kauhava p. 130-131: the city's balance sheet; p. 131 repeats the heading row 19 pt further right ----

@pytest.mark.parametrize(("label", "year", "amount"), [
    ("Poistoero", 2024, 926559.18),
    ("Poistoero", 2023, 1055671.22),
    ("Vapaaehtoiset varaukset", 2024, 0.0),
    ("Vapaaehtoiset varaukset", 2023, 0.0),
    ("Valtion toimeksiannot", 2024, 0.0),
    ("Lahjoitusrahastojen pääomat", 2023, 14783.85),
    ("Muut pakolliset varaukset", 2024, 130000.0),
    ("Muut pakolliset varaukset", 2023, 30000.0),
    ("Saadut ennakot", 2024, 495392.35),
    ("VASTATTAVAA YHTEENSÄ", 2024, 138420745.79),
])
def test_kauhava_balance_sheet_continued_under_a_heading_row_set_elsewhere(label: str, year: int,
                                                                           amount: float) -> None:
    rec = records(KAUHAVA, (130, 131))
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.year == year and f.page == 2]
    assert [(f.amount, f.column_label, f.unit, f.multiplier) for f in found] == [
        (amount, f"31.12.{year}", "EUR", 1)], [(f.line_label, f.column_label, f.amount) for f in found]
    # both columns' '0,00' were one cell '0,00 0,00' under 31.12.2023 (not_a_number), p. 131's 2024 cell empty
    zeros = [f for f in rec.finance if f.page == 2 and f.amount == 0]
    assert sorted((" ".join(f.line_label.split()), f.year) for f in zeros) == sorted(
        (label, year) for label in ("Vapaaehtoiset varaukset", "Valtion toimeksiannot", "Lainat julkisyhteisöiltä",
                                    "Lainat julkisyhteisöiltä", "Ostovelat") for year in (2024, 2023))
    assert not [i for i in rec.issues if i.code == "not_a_number"]


def test_kauhava_group_income_statement_keeps_the_income_statement_parents() -> None:
    # p. 47 (KONSERNITULOSLASKELMA): Vähemmistöosuudet 241 (2024) is deducted from the period's surplus, which
    # is the statement's last line here and has no parent
    rec = records(KAUHAVA, (47,))
    minority = figure(rec, "Vähemmistöosuudet", 2024)
    assert (minority.amount, minority.line_key, minority.parent_line_key) == (241, "minority_interests", "surplus")
    surplus = [f for f in rec.finance if f.line_key == "surplus" and f.year == 2024]
    assert surplus and {f.parent_line_key for f in surplus} == {None}
