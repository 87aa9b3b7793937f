"""Balance-sheet items printed under two groups with one name take their group's line.

JHS 192's balance sheet prints 'Lainat rahoitus- ja vakuutuslaitoksilta', 'Saadut ennakot', 'Ostovelat', 'Muut
velat' and 'Siirtovelat' under both 'I Pitkäaikainen' and 'II Lyhytaikainen' (liabilities), 'Myyntisaamiset',
'Lainasaamiset', 'Muut saamiset' and 'Siirtosaamiset' under both 'Pitkäaikaiset' and 'Lyhytaikaiset saamiset',
'Osakkeet ja osuudet' under 'Sijoitukset' and 'Rahoitusarvopaperit'. Each occurrence is a line of the chart of
its own, under its group, decided by the group row it stands under (in its path, or printed above it at the
same level), so that the group's total adds up in each column.

Every expected amount was read from the rendered page of the real document (page numbers are those of the
PDF; each test cuts the document to the pages listed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.hierarchy import column_convention, column_sums, columns_of, table_conventions
from extractors.lexicon import classify_line
from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"

LT, ST = "long_term_liabilities", "short_term_liabilities"
LTR, STR = "long_term_receivables", "short_term_receivables"


# -- the lexicon: the group decides, never the item's name or number alone ---------------------------------

@pytest.mark.parametrize(("path", "language", "key", "parent"), [
    (["E VIERAS PÄÄOMA", "I Pitkäaikainen", "1. Lainat rahoitus- ja vakuutusl."], "fi",
     "long_term_loans_financial_institutions", LT),
    (["E VIERAS PÄÄOMA", "II Lyhytaikainen", "2. Lainat rahoitus- ja vakuutusl."], "fi",
     "short_term_loans_financial_institutions", ST),
    (["I Pitkäaikainen vieras pääoma", "Saadut ennakot"], "fi", "long_term_advances_received", LT),
    (["II Lyhytaikainen vieras pääoma", "Liittymismaksut ja muut velat"], "fi", "short_term_other_liabilities", ST),
    (["Pitkäaikaiset saamiset", "3. Muut saamiset"], "fi", "long_term_other_receivables", LTR),
    (["Lyhytaikaiset saamiset", "Siirtosaamiset"], "fi", "short_term_accrued_income", STR),
    (["III Sijoitukset", "1. Osakkeet ja osuudet"], "fi", "shares_and_holdings", "fixed_asset_investments"),
    (["III Rahoitusarvopaperit", "1. Osakkeet ja osuudet"], "fi", "securities_shares_and_holdings", "securities"),
    (["D TOIMEKSIANTOJEN PÄÄOMAT", "1. Valtion toimeksiannot"], "fi", "state_assignments_capital",
     "trust_fund_capital"),
    # 'Ennakkomaksut' under intangible assets (Kauhava p. 134: 24 805) and under inventories are two lines
    (["I Aineettomat hyödykkeet", "Ennakkomaksut"], "fi", "intangible_advance_payments", "intangible_assets"),
    (["C VAIHTUVAT VASTAAVAT", "I Vaihto-omaisuus", "2.Ennakkomaksut"], "fi", "inventory_advance_payments",
     "inventories"),
    # the Swedish version of the form (Finland's sv statements)
    (["E FRÄMMANDE KAPITAL", "I Långfristigt", "Lån från finansiella institut och försäkringsinrättningar"],
     "sv", "long_term_loans_financial_institutions", LT),
    (["II Kortfristigt", "Leverantörsskulder"], "sv", "short_term_trade_payables", ST),
    (["II Kortfristigt", "Resultatregleringar"], "sv", "short_term_accrued_liabilities", ST),
    (["Kortfristiga fordringar", "Resultatregleringar"], "sv", "short_term_accrued_income", STR),
    (["Långfristiga fordringar", "Kundfordringar"], "sv", "long_term_trade_receivables", LTR),
])
def test_an_item_is_its_groups_line(path: list[str], language: str, key: str, parent: str) -> None:
    line = classify_line(path, language)
    assert (line.key, line.parent) == (key, parent)


@pytest.mark.parametrize(("path", "language"), [
    (["Saadut ennakot"], "fi"), (["Ostovelat"], "fi"), (["VIERAS PÄÄOMA", "Muut velat"], "fi"),
    (["II Saamiset", "3. Muut saamiset"], "fi"), (["Osakkeet ja osuudet"], "fi"),
    (["Leverantörsskulder"], "sv"), (["Fordringar", "Övriga fordringar"], "sv"),
])
def test_an_item_without_its_group_has_no_line(path: list[str], language: str) -> None:
    # under the liabilities or receivables as a whole the item may be long-term or short-term: no line
    assert classify_line(path, language).key is None


def one(rec: RecordSet, label: str, key: str, year: int) -> FinanceFigure:
    found = [f for f in rec.finance if f.line_label == label and f.line_key == key and f.year == year]
    assert len(found) == 1, f"{label} {key} {year}: {[(f.line_label, f.line_key, f.amount) for f in rec.finance]}"
    return found[0]


def sums(rec: RecordSet, total: str) -> dict[int | None, tuple[float, int, bool]]:
    """year -> (printed total, number of printed parts summed, the sum holds) of each column's check of `total`
    against its children (extractors.hierarchy)."""
    conventions = table_conventions(rec.finance)
    found = {}
    for (table, _, kind), values in columns_of(rec.finance).items():
        for check in column_sums(values, column_convention(conventions[table], kind)):
            if check.total.line_key == total:
                found[check.total.year] = (check.total.amount, len(check.parts), check.holds)
    return found


def failed(rec: RecordSet, check: str) -> list[tuple[str, str]]:
    return [(v.column_label, v.message) for v in rec.validation
            if v.check == check and v.severity in ("warning", "error")]


# -- Kauhava p. 35: the review's balance sheet, in thousands, its outline as indents only -------------------

@pytest.mark.parametrize(("label", "key", "year", "amount"), [
    ("Lainat rahoitus- ja vakuutuslait.", "long_term_loans_financial_institutions", 2024, 69455),
    ("Lainat rahoitus- ja vakuutuslait.", "long_term_loans_financial_institutions", 2023, 58464),
    ("Lainat rahoitus- ja vakuutuslait.", "short_term_loans_financial_institutions", 2024, 4009),
    ("Lainat rahoitus- ja vakuutuslait.", "short_term_loans_financial_institutions", 2023, 8576),
    ("Saadut ennakot", "short_term_advances_received", 2023, 524),
    ("Ostovelat", "short_term_trade_payables", 2024, 2490),
    ("Muut velat", "short_term_other_liabilities", 2023, 762),
    ("Siirtovelat", "short_term_accrued_liabilities", 2024, 4587),
    ("Myyntisaamiset", "short_term_trade_receivables", 2023, 928),
    ("Lainasaamiset", "short_term_loan_receivables", 2024, 3244),
    ("Muut saamiset", "short_term_other_receivables", 2024, 555),
    ("Siirtosaamiset", "short_term_accrued_income", 2023, 18),
    ("Osakkeet ja osuudet", "shares_and_holdings", 2024, 10101),
    ("Lahjoitusrahastojen erityiskatt.", "donation_funds_assets", 2024, 3),
    ("Muut toimeksiantojen pääomat", "other_trust_fund_capital", 2023, 833),
    ("Tietokoneohjelmistot", "software", 2023, 151),
])
def test_kauhava_review_balance_sheet_items(label: str, key: str, year: int, amount: float) -> None:
    found = one(page_records(KAUHAVA, (35,)), label, key, year)
    assert (found.amount, found.multiplier, found.figure_kind) == (amount, 1000, "actual")


def test_kauhava_review_balance_sheet_groups_add_up() -> None:
    rec = page_records(KAUHAVA, (35,))
    # 4 009 + 495 + 2 490 + 674 + 4 587 = 12 255; 586 + 3 244 + 555 + 41 = 4 426; 10 101 + 2 595 = 12 696
    for check in ("short_term_liabilities", "short_term_receivables", "fixed_asset_investments", "intangible_assets",
                  "trust_fund_assets", "trust_fund_capital"):
        assert not failed(rec, check), check
    # 2023: 8 576 + 524 + 4 965 + 762 + 5 146 = 19 973 under a printed 19 974, within rounding of thousands
    rounding = [(v.actual, v.expected) for v in rec.validation if v.check == "short_term_liabilities"]
    assert rounding == [(19974000, 19973000)]
    assert sums(rec, "short_term_liabilities") == {2024: (12255, 5, True), 2023: (19974, 5, True)}
    assert sums(rec, "short_term_receivables") == {2024: (4426, 4, True), 2023: (4303, 4, True)}


# -- Kauhava pp. 130-131: the statements' balance sheet in euros, each group's name over its items and again
#    on its total below them ------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "key", "year", "amount"), [
    ("Lainat rahoitus- ja vakuutuslaitoksilta", "long_term_loans_financial_institutions", 2024, 69455043.03),
    ("Lainat rahoitus- ja vakuutuslaitoksilta", "short_term_loans_financial_institutions", 2023, 8575627.54),
    ("Ostovelat", "long_term_trade_payables", 2024, 0.0),
    ("Ostovelat", "short_term_trade_payables", 2024, 2490299.48),
    ("Lainat julkisyhteisöiltä", "short_term_loans_public_bodies", 2023, 0.0),
    ("Saadut ennakot", "short_term_advances_received", 2024, 495392.35),
    ("Siirtovelat", "short_term_accrued_liabilities", 2023, 5146461.12),
    ("Lainasaamiset", "long_term_loan_receivables", 2024, 0.0),
    ("Lainasaamiset", "short_term_loan_receivables", 2023, 2450000.00),
    ("Muut saamiset", "short_term_other_receivables", 2024, 554511.88),
    ("Lahjoitusrahastojen pääomat", "donation_funds_capital", 2024, 14783.85),
    ("Muu vaihto-omaisuus", "other_inventories", 2023, 25648.83),
])
def test_kauhava_statement_balance_sheet_items(label: str, key: str, year: int, amount: float) -> None:
    found = one(page_records(KAUHAVA, (130, 131)), label, key, year)
    assert (found.amount, found.multiplier) == (amount, 1)


def test_kauhava_statement_balance_sheet_groups_add_up() -> None:
    rec = page_records(KAUHAVA, (130, 131))
    # 4 008 552,54 + 0 + 495 392,35 + 2 490 299,48 + 673 556,05 + 4 587 146,06 = 12 254 946,48
    for check in ("long_term_liabilities", "short_term_liabilities", "short_term_receivables", "trust_fund_capital",
                  "trust_fund_assets", "liabilities", "total_assets", "total_equity_and_liabilities"):
        assert not failed(rec, check), check
    held = {(v.check, v.severity) for v in rec.validation}
    assert ("short_term_liabilities", "info") not in held  # exact in euros: no rounding finding either
    assert sums(rec, "short_term_liabilities") == {2024: (12254946.48, 6, True), 2023: (19973877.11, 6, True)}
    assert sums(rec, "long_term_liabilities") == {2024: (69455043.03, 3, True), 2023: (58463595.57, 3, True)}


# -- Seinäjoki pp. 151-152: the city's balance sheet in euros, each group's total beside its last item --------

@pytest.mark.parametrize(("label", "key", "year", "amount"), [
    ("1. Lainat rahoitus- ja vakuutusl.", "long_term_loans_financial_institutions", 2023, 256353239.00),
    ("2. Saadut ennakot", "long_term_advances_received", 2024, 174219.85),
    ("3. Muut velat", "long_term_other_liabilities", 2023, 32608.44),
    ("1. Joukkovelkakirjalainat", "short_term_bonds", 2023, 69000000.00),
    ("3. Saadut ennakot", "short_term_advances_received", 2024, 369701.12),
    ("5. Muut velat", "short_term_other_liabilities", 2024, 2300252.00),
    ("6. Siirtovelat", "short_term_accrued_liabilities", 2023, 22954815.47),
    ("3. Muut saamiset", "long_term_other_receivables", 2024, 22000.00),
    ("3. Muut saamiset", "short_term_other_receivables", 2023, 2589158.67),
    ("1. Myyntisaamiset", "short_term_trade_receivables", 2024, 5887091.02),
    ("1. Osakkeet ja osuudet", "shares_and_holdings", 2024, 94521483.86),
    ("1. Osakkeet ja osuudet", "securities_shares_and_holdings", 2023, 5153619.40),
    ("2.Ennakkomaksut", "inventory_advance_payments", 2024, 134963.47),
])
def test_seinajoki_city_balance_sheet_items(label: str, key: str, year: int, amount: float) -> None:
    found = one(page_records(SEINAJOKI, (151, 152)), label, key, year)
    assert (found.amount, found.multiplier) == (amount, 1)


def test_seinajoki_long_term_receivables_total_is_its_groups() -> None:
    rec = page_records(SEINAJOKI, (151, 152))
    # '3. Muut saamiset  22 000,00  22 000,00' under 'Pitkäaikaiset saamiset': the right figure is the group's
    total = one(rec, "Pitkäaikaiset saamiset", "long_term_receivables", 2024)
    assert (total.amount, total.parent_line_key) == (22000.00, "receivables")
    # with it, the assets add up: 630 723 537,21 (2024) and 629 115 097,38 (2023)
    assert not failed(rec, "total_assets")
    assert not failed(rec, "short_term_liabilities") and not failed(rec, "long_term_liabilities")
    # 240 068 106,68 + 174 219,85 + 59 560,82 = 240 301 887,35 (p. 152, 2024)
    assert sums(rec, "long_term_liabilities")[2024] == (240301887.35, 3, True)
    # 5 887 091,02 + 200 000,00 + 1 863 562,18 + 8 807 708,19 = 16 758 361,39 (p. 151, 2024)
    assert sums(rec, "short_term_receivables")[2024] == (16758361.39, 4, True)


# -- Seinäjoki p. 62: the review's liabilities in thousands ----------------------------------------------------

@pytest.mark.parametrize(("label", "key", "year", "amount"), [
    ("4. Saadut ennakot", "long_term_advances_received", 2024, 174),
    ("5. Muut velat", "long_term_other_liabilities", 2023, 33),
    ("5. Saadut ennakot", "short_term_advances_received", 2023, 235),
    ("6. Ostovelat", "short_term_trade_payables", 2024, 8517),
    ("7. Muut velat", "short_term_other_liabilities", 2024, 2300),
    ("2. Lahjoitusrahastojen pääoma", "donation_funds_capital", 2023, 1383),
])
def test_seinajoki_review_liabilities(label: str, key: str, year: int, amount: float) -> None:
    found = one(page_records(SEINAJOKI, (1, 62)), label, key, year)
    assert (found.amount, found.multiplier) == (amount, 1000)


def test_seinajoki_review_liabilities_add_up() -> None:
    rec = page_records(SEINAJOKI, (1, 62))
    # 240 068 + 174 + 60 = 240 302 (2023: 256 353 + 141 + 33 = 256 527);
    # 46 500 + 81 756 + 370 + 8 517 + 2 300 + 21 670 = 161 113
    for check in ("long_term_liabilities", "short_term_liabilities", "trust_fund_capital"):
        assert not failed(rec, check), check
    # the items in the left column of a date's pair, each group's total in the right: summed as one column
    assert sums(rec, "long_term_liabilities") == {2024: (240302, 3, True), 2023: (256527, 3, True)}
    assert sums(rec, "short_term_liabilities") == {2024: (161113, 6, True), 2023: (140087, 6, True)}
    assert sums(rec, "trust_fund_capital") == {2024: (1502, 2, True), 2023: (1721, 2, True)}


# -- Kauhava p. 134: the group balance sheet, three group headings between its dates and its first item --------

@pytest.mark.parametrize(("label", "key", "year", "amount"), [
    ("Aineettomat oikeudet", "intangible_rights", 2024, 315297),
    ("Ennakkomaksut", "intangible_advance_payments", 2024, 24805),
    ("Ennakkomaksut", "intangible_advance_payments", 2023, 0),
    ("Aineettomat hyödykkeet", "intangible_assets", 2023, 1498418),
    ("Muut osakkeet ja osuudet", "other_shares_and_holdings", 2024, 6927776),
    ("Pitkäaikaiset saamiset", "long_term_receivables", 2023, 2010457),
    ("Rahat ja pankkisaamiset", "cash_and_bank", 2024, 28379190),
    ("VASTAAVAA YHTEENSÄ", "total_assets", 2023, 234052190),
])
def test_kauhava_group_balance_sheet_assets(label: str, key: str, year: int, amount: float) -> None:
    rec = page_records(KAUHAVA, (134,))
    found = one(rec, label, key, year)
    assert (found.amount, found.multiplier, found.column_label) == (amount, 1, f"31.12.{year}")
    # the headings 'VASTAAVAA' / 'PYSYVÄT VASTAAVAT' / 'Aineettomat hyödykkeet' and the dates over them are the
    # table's: every figure of the page is read (26 rows of two years)
    assert len(rec.finance) == 52 and not [i for i in rec.issues if i.code == "table_not_read"]


def test_kauhava_group_balance_sheet_assets_add_up() -> None:
    rec = page_records(KAUHAVA, (134,))
    # 315 297 + 967 827 + 24 805 = 1 307 929 under a printed 1 307 928: rounding to euros
    assert sums(rec, "intangible_assets") == {2024: (1307928, 3, True), 2023: (1498418, 3, True)}
    for check in ("tangible_assets", "fixed_asset_investments", "fixed_assets", "receivables", "current_assets",
                  "total_assets"):
        assert not failed(rec, check), check


# -- Seinäjoki p. 61: an item's name broken at a line end, its figures on the first line, its group's total on
#    the second ('6. | Ennakkomaksut ja kesken-  28 299' / 'eräiset hankinnnat  430 941') -------------------

def test_seinajoki_review_item_broken_over_two_lines() -> None:
    rec = page_records(SEINAJOKI, (1, 61))
    item = [f for f in rec.finance if f.line_key == "advance_payments_and_work_in_progress"]
    assert {(f.line_label, f.year, f.amount) for f in item} == {
        ("6. Ennakkomaksut ja keskeneräiset hankinnnat", 2024, 28299),
        ("6. Ennakkomaksut ja keskeneräiset hankinnnat", 2023, 15134)}
    # the right figure of the second line is the group's total: II Aineelliset hyödykkeet
    group = {f.year: f.amount for f in rec.finance if f.line_key == "tangible_assets"}
    assert group == {2024: 430941, 2023: 419194}
    # 128 063 + 162 293 + 102 632 + 8 987 + 667 + 28 299 = 430 941
    assert sums(rec, "tangible_assets") == {2024: (430941, 6, True), 2023: (419194, 6, True)}


def test_seinajoki_review_receivables_under_their_groups() -> None:
    # 'II | Saamiset' / 'Pitkäaikaiset saamiset' / '1. | Myyntisaamiset' / '2. | Lainasaamiset' over
    # '3. | Muut saamiset  22  22': label rows of their own (the name of each stands under the name above it);
    # '3. Muut saamiset  45' is also printed under III Sijoitukset
    rec = page_records(SEINAJOKI, (1, 61))
    other = {(f.line_key, f.year): f.amount for f in rec.finance if f.line_label == "3. Muut saamiset"}
    assert other == {("other_investment_receivables", 2024): 45, ("other_investment_receivables", 2023): 45,
                     ("long_term_other_receivables", 2024): 22, ("long_term_other_receivables", 2023): 22,
                     ("short_term_other_receivables", 2024): 1864, ("short_term_other_receivables", 2023): 2589}
    groups = {(f.line_key, f.year): f.amount for f in rec.finance if f.line_key in (LTR, STR)}
    assert groups == {(LTR, 2024): 22, (LTR, 2023): 22, (STR, 2024): 16759, (STR, 2023): 14130}
    # 5 887 + 200 + 1 864 + 8 808 = 16 759; and the assets add up to 630 724 and 629 115
    assert sums(rec, STR) == {2024: (16759, 4, True), 2023: (14130, 4, True)}
    assert not failed(rec, "total_assets")
