"""Group totals printed in the right column of a pair (items left, the group's total right on its last
item's row) belong to the group's heading row when the chart puts the item's line under that heading and
the items add up to the total; otherwise they stay with no line.

Values read from the rendered pages of Seinäjoki's statement: p. 25 (printed 22), the income statement
'TULOSLASKELMA (ULKOINEN) | 1.1.-31.12.2024 | 1.1.-31.12.2023'; p. 61 (printed 58), the balance sheet's
assets in thousands.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from models import FinanceFigure, RecordSet
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


@cache
def records(pages: tuple[int, ...]) -> RecordSet:
    if not SEINAJOKI.exists():
        pytest.fail(f"missing input {SEINAJOKI}")
    return process_file(cut_pages(SEINAJOKI, pages, Path("/tmp") / "plandata-test-pages"))[1]


def one(rec: RecordSet, path: str, year: int) -> FinanceFigure:
    found = [f for f in rec.finance if f.line_path == path and f.year == year]
    assert len(found) == 1, f"{path} {year}: {[(f.line_path, f.year, f.amount) for f in rec.finance][:30]}"
    return found[0]


@pytest.mark.parametrize(("path", "year", "key", "amount"), [
    ("TOIMINTATUOTOT", 2024, "operating_income", 42998351.34),
    ("TOIMINTATUOTOT", 2023, "operating_income", 27935057.20),
    ("TOIMINTAKULUT", 2024, "operating_costs", -221748402.69),  # not the sub-heading 'Henkilöstökulut'
    ("TOIMINTAKULUT", 2023, "operating_costs", -220093397.90),
])
def test_income_statement_group_totals(path: str, year: int, key: str, amount: float) -> None:
    figure = one(records((1, 25)), path, year)
    assert (figure.line_key, figure.amount, figure.line_label) == (key, amount, path)


def test_total_of_a_wider_span_stays_unattached() -> None:
    """'Muut rahoituskulut  -181 597,11  196 783 263,95': the right figure adds Verotulot and
    Valtionosuudet too, so it is not 'Rahoitustuotot ja -kulut'."""
    rec = records((1, 25))
    right = [f for f in rec.finance if f.amount == 196783263.95]
    assert len(right) == 1 and right[0].line_key is None
    assert not [f for f in rec.finance if f.line_key == "financial_items_net"]


@pytest.mark.parametrize(("year", "amount"), [(2024, 614), (2023, 602)])
def test_balance_sheet_group_total(year: int, amount: float) -> None:
    # the group's path as printed: the letter's heading row whole, then the numbered sub-group
    figure = one(records((1, 61, 62)), "A PYSYVÄT VASTAAVAT / I Aineettomat hyödykkeet", year)
    assert (figure.line_key, figure.amount, figure.multiplier) == ("intangible_assets", amount, 1000)
    items = [f for f in records((1, 61, 62)).finance if f.parent_line_key == "intangible_assets" and f.year == year]
    assert sum(f.amount for f in items) == amount  # 152 + 462 (2024); 602 + 0 printed blank (2023)
