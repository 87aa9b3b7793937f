"""Financing statements (rahoituslaskelma): the lines the income statement prints too take the financing
statement's parent, and the statement's sums stay checked with its own signs.

Every expected value was read from the rendered page of the real document (page numbers are those of
the PDF; each test cuts the document to the pages under test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.hierarchy import column_convention, column_sums, columns_of, decompositions, table_conventions
from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def figure(rec: RecordSet, label: str, year: int, page: int | None = None) -> FinanceFigure:
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.year == year
             and page in (None, f.page)]
    assert len(found) == 1, f"{label} {year}: {[(f.line_label, f.column_label, f.amount) for f in found]}"
    return found[0]


def sums(rec: RecordSet, total: str) -> dict[int | None, tuple[float, tuple[str, ...], bool]]:
    """year -> (printed total, line keys of the parts summed, the sum holds) of each column's check of `total`."""
    conventions = table_conventions(rec.finance)
    found = {}
    for (table, _, kind), values in columns_of(rec.finance).items():
        for check in column_sums(values, column_convention(conventions[table], kind)):
            if check.total.line_key == total:
                found[check.total.year] = (check.total.amount, tuple(f.line_key or "" for f, _ in check.parts),
                                           check.holds)
    return found


def test_the_chart_prints_the_income_statement_lines_under_the_operating_cash_flow_for_the_record_only() -> None:
    # printed_under gives a parent, never a part: the operating cash flow's one breakdown by these lines is
    # the chart's sum, with the period's taxes reducing it
    assert decompositions("operating_cash_flow") == [
        (("income_financing_adjustments", 1),),
        (("annual_margin", 1), ("extraordinary_items_net", 1), ("income_taxes", -1),
         ("income_financing_adjustments", 1))]


# -- Kauhava p. 33: the city's financing statement, in thousands, investments printed as positive amounts --

@pytest.mark.parametrize(("label", "year", "amount", "key"), [
    ("Vuosikate", 2024, 9552, "annual_margin"),
    ("Vuosikate", 2023, 10107, "annual_margin"),
    ("Satunnaiset erät, netto", 2024, 885, "extraordinary_items_net"),
    ("Tulorahoituksen korjauserät", 2023, -181, "income_financing_adjustments"),
])
def test_kauhava_financing_statement(label: str, year: int, amount: float, key: str) -> None:
    found = figure(page_records(KAUHAVA, (33,)), label, year)
    assert (found.amount, found.multiplier, found.line_key, found.parent_line_key) == (
        amount, 1000, key, "operating_cash_flow")


# -- Kauhava pp. 132-133: the group income statement, then the group financing statement, in euros -----

@pytest.mark.parametrize(("label", "year", "page", "amount", "key", "parent"), [
    # p. 132, the income statement: its own parents
    ("Vuosikate", 2024, 1, 15239037, "annual_margin", "result"),
    ("Tilikauden verot", 2023, 1, -200481, "income_taxes", "surplus"),
    # p. 133, the financing statement: under 'Toiminnan rahavirta'
    ("Vuosikate", 2024, 2, 15239037, "annual_margin", "operating_cash_flow"),
    ("Vuosikate", 2023, 2, 16397870, "annual_margin", "operating_cash_flow"),
    ("Satunnaiset erät", 2023, 2, 536165, "extraordinary_items_net", "operating_cash_flow"),
    ("Tilikauden verot", 2024, 2, -29242, "income_taxes", "operating_cash_flow"),
    ("Tulorahoituksen korjauserät", 2023, 2, -176953, "income_financing_adjustments", "operating_cash_flow"),
])
def test_kauhava_group_statements(label: str, year: int, page: int, amount: float, key: str, parent: str) -> None:
    found = figure(page_records(KAUHAVA, (132, 133)), label, year, page)
    assert (found.amount, found.line_key, found.parent_line_key) == (amount, key, parent)


# -- Seinäjoki p. 154: the group financing statement, in thousands, the period's taxes printed negative ----

@pytest.mark.parametrize(("label", "year", "amount", "key"), [
    ("Vuosikate", 2024, 66908, "annual_margin"),
    ("Vuosikate", 2023, 52986, "annual_margin"),
    ("Tilikauden verot", 2024, -4260, "income_taxes"),
    ("Tilikauden verot", 2023, -6014, "income_taxes"),
    ("Tulorahoituksen korjauserät", 2024, -982, "income_financing_adjustments"),
])
def test_seinajoki_group_financing_statement(label: str, year: int, amount: float, key: str) -> None:
    found = figure(page_records(SEINAJOKI, (154,)), label, year)
    assert (found.amount, found.multiplier, found.line_key, found.parent_line_key) == (
        amount, 1000, key, "operating_cash_flow")


def test_seinajoki_group_financing_statement_sums_hold() -> None:
    # Toiminnan ja investointien rahavirta -35 054 = 66 908 - 4 260 - 982 - 98 485 + 507 + 1 258 (2024) and
    # -12 402 = 52 986 - 6 014 + 8 697 - 63 538 + 997 - 5 530 (2023): the taxes, printed negative, reduce it
    rec = page_records(SEINAJOKI, (154,))
    parts = ("annual_margin", "income_taxes", "income_financing_adjustments", "investment_expenditure",
             "investment_contributions", "disposal_proceeds")
    assert sums(rec, "operating_and_investment_cash_flow") == {2024: (-35054, parts, True),
                                                               2023: (-12402, parts, True)}
    assert not [v.message for v in rec.validation if v.severity in ("warning", "error")]
