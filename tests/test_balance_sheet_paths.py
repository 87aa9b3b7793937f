"""Balance-sheet line paths as printed, and 'of which' rows as memo rows.

Every expected value was read from the rendered page of Seinäjoki's financial statement 2024 (page numbers
are those of the PDF; each test cuts the document to the pages listed, the cover first, so the page under
test is page 2 of the cut). The liabilities side (VASTATTAVAA) prints each group's letter in a label column
of its own ('E | VIERAS PÄÄOMA'), its numbered sub-groups the same way ('I | Pitkäaikainen', 'II |
Lyhytaikainen') and the items under them with that column blank; 'Lainat rahoitus- ja vakuutusl.' stands
under both sub-groups with another item number on each page, and its line is its sub-group's (the long-term
and the short-term item are two lines of the chart).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"

LONG = "E VIERAS PÄÄOMA / I Pitkäaikainen"
SHORT = "E VIERAS PÄÄOMA / II Lyhytaikainen"
RESERVES = "B POISTOERO JA VAPAAEHTOISET VARAUKSET"


def one(rec: RecordSet, path: str, year: int) -> FinanceFigure:
    found = [f for f in rec.finance if f.line_path == path and f.year == year]
    assert len(found) == 1, f"{path} {year}: {sorted({f.line_path for f in rec.finance})}"
    return found[0]


# -- p. 152: the city's balance sheet in euros, each group's total in the right column of a date's pair ------

@pytest.mark.parametrize(("path", "year", "amount", "key"), [
    (f"{LONG} / 1. Lainat rahoitus- ja vakuutusl.", 2024, 240068106.68, "long_term_loans_financial_institutions"),
    (f"{LONG} / 1. Lainat rahoitus- ja vakuutusl.", 2023, 256353239.00, "long_term_loans_financial_institutions"),
    (f"{SHORT} / 2. Lainat rahoitus- ja vakuutusl.", 2024, 81756010.88, "short_term_loans_financial_institutions"),
    (f"{SHORT} / 2. Lainat rahoitus- ja vakuutusl.", 2023, 34917588.00, "short_term_loans_financial_institutions"),
    (f"{SHORT} / 1. Joukkovelkakirjalainat", 2024, 46500000.00, "short_term_bonds"),
    (LONG, 2024, 240301887.35, "long_term_liabilities"),
    (SHORT, 2023, 140087414.93, "short_term_liabilities"),
    ("A OMA PÄÄOMA / I Peruspääoma", 2024, 208909445.60, "share_capital"),
    ("A OMA PÄÄOMA", 2023, 230081487.43, "equity"),
    (f"{RESERVES} / 1. Poistoero", 2024, 571025.65, "depreciation_difference"),
])
def test_city_balance_sheet_paths(path: str, year: int, amount: float, key: str | None) -> None:
    found = one(page_records(SEINAJOKI, (1, 152)), path, year)
    assert (found.amount, found.line_key, found.multiplier) == (amount, key, 1)


def test_long_and_short_term_loans_differ_by_group_not_by_number() -> None:
    # the same printed name under both sub-groups: the path tells them apart, the item number does not
    rec = page_records(SEINAJOKI, (1, 152))
    loans = {f.line_path.rsplit(" / ", 1)[0]: f.amount for f in rec.finance
             if f.line_label.endswith("Lainat rahoitus- ja vakuutusl.") and f.year == 2024}
    assert loans == {LONG: 240068106.68, SHORT: 81756010.88}
    # a sub-group's total is its heading's, in the path of its group
    total = one(rec, LONG, 2023)
    assert (total.line_label, total.amount, total.parent_line_key) == ("I Pitkäaikainen", 256527021.29, "liabilities")


# -- p. 62: the same balance sheet in the review, in thousands, items numbered 1-5 and 1-8 -------------------

@pytest.mark.parametrize(("path", "year", "amount", "key"), [
    (f"{LONG} / 1. Lainat rahoitus- ja vakuutusl.", 2024, 240068, "long_term_loans_financial_institutions"),
    (f"{SHORT} / 2. Lainat rahoitus- ja vakuutusl.", 2024, 81756, "short_term_loans_financial_institutions"),
    (f"{SHORT} / 2. Lainat rahoitus- ja vakuutusl.", 2023, 34918, "short_term_loans_financial_institutions"),
    (f"{SHORT} / 8. Siirtovelat", 2024, 21670, "short_term_accrued_liabilities"),
    (LONG, 2023, 256527, "long_term_liabilities"),
    (SHORT, 2024, 161113, "short_term_liabilities"),
    # the heading printed over two rows ('B POISTOERO JA VAPAAEHTOISET' / 'VARAUKSET') is named whole
    (f"{RESERVES} / 1. Poistoero", 2023, 605, "depreciation_difference"),
    ("C PAKOLLISET VARAUKSET / 1. Muut pakolliset varaukset", 2024, 94, "other_provisions"),
])
def test_review_balance_sheet_paths(path: str, year: int, amount: float, key: str | None) -> None:
    found = one(page_records(SEINAJOKI, (1, 62)), path, year)
    assert (found.amount, found.line_key, found.multiplier) == (amount, key, 1000)


def test_wrapped_heading_is_not_cut() -> None:
    paths = {f.line_path for f in page_records(SEINAJOKI, (1, 62)).finance}
    assert not [p for p in paths if p.startswith("B POISTOERO JA VAPAAEHTOISET /")]


# -- p. 56: an 'of which' row under the line it is part of ---------------------------------------------------

@pytest.mark.parametrize(("year", "amount"), [(2024, 12299016.00), (2023, 10868627.00)])
def test_of_which_row_is_memo(year: int, amount: float) -> None:
    rec = page_records(SEINAJOKI, (1, 56))
    found = [f for f in rec.finance
             if f.line_label.startswith("Siitä:") and f.year == year and f.figure_kind == "actual"]
    assert [(f.amount, f.is_memo) for f in found] == [(amount, True)]
    above = [f for f in rec.finance if f.line_label == "Kunnan peruspalvelujen valtionosuus" and f.year == year
             and f.figure_kind == "actual"]
    assert [(f.amount, f.is_memo) for f in above] == [({2024: 16817028.00, 2023: 23762689.00}[year], False)]
