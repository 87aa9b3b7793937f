"""Swedish (Sweden) committee lines: a committee's investment budget and its investment report close with the
sum of their projects, a line of the chart (investment_expenditure); the projects themselves and the sums of a
part of them stay unknown.

Values read from the rendered pages of Simrishamn's kultur- och fritidsnämnd: the budgetskrivelse for
investments 2027-2031, p. 4-5 ('Budget 2027 | Plan 2028 | ... | Plan 2031 | Total utgift', tkr), and the
årsbokslut 2025, p. 21 ('Investeringar i detalj per nämnd', mnkr).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.lexicon import classify_line
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
BUDGET = REAL / "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"
REPORT = REAL / "se_simrishamn_kfn_arsbokslut_2025.pdf"


@pytest.mark.parametrize(("year", "kind", "amount"), [
    (2027, "budget", 37525), (2028, "plan", 17125), (2031, "plan", 4075),
])
def test_investment_budget_total_is_investment_expenditure(year: int, kind: str, amount: float) -> None:
    rec = page_records(BUDGET, (4, 5))
    found = [f for f in rec.finance if f.line_label == "Summa investeringsbudget" and f.year == year]
    assert [(f.line_key, f.figure_kind, f.amount, f.multiplier) for f in found] == \
        [("investment_expenditure", kind, amount, 1000)]
    # a sum of a part of the projects is no line
    part = [f for f in rec.finance if f.line_label == "Summa nya enskilda investeringsprojekt"]
    assert part and {f.line_key for f in part} == {None}


def test_investment_report_total_is_investment_expenditure() -> None:
    rec = page_records(REPORT, (21,))
    found = {(f.column_label, f.amount): (f.line_key, f.figure_kind, f.year, f.multiplier) for f in rec.finance
             if f.line_label == "Summa investeringsprojekt"}
    line = "investment_expenditure"
    assert found[("Varav årets investeringar Budget 2025", 10.525)] == (line, "budget", 2025, 1000000)
    assert found[("Varav årets investeringar Utfall 2025", 5.401)] == (line, "actual", 2025, 1000000)
    # the sums of the project groups above it are no line
    groups = ("Summa pågående projekt", "Summa färdigställda projekt")
    assert {f.line_key for f in rec.finance if f.line_label in groups} == {None}


@pytest.mark.parametrize(("label", "key"), [
    ("Summa nettokostnad", "net_operating_costs"),
    ("Lämnade driftbidrag", "grants_paid"),
    ("Erhållna driftbidrag", "grants_received"),
    ("Driftbidrag", None),  # income in one table, grants paid to associations in the next
    ("Reinvesteringar", None),
    ("Summa pågående projekt", None),
])
def test_swedish_committee_lines(label: str, key: str | None) -> None:
    assert classify_line(label, "sv").line_key == key
