"""Cells of one table row set in different type sizes.

Seinäjoki's financial statement p. 56 (PDF page; 'Valtionosuuksien erittely'): the row 'Opetus-ja
kulttuuritoimen muut valtionosuudet' prints its first figure in 9 pt and the three after it in 7.2 pt,
each in its own column, 18 pt apart. A smaller run a column gap away is a cell, not a raised marker
on the figure before it (the marker rule is pinned by the B05 case in tests/test_cases.py). Expected
values read from the rendered page.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def test_smaller_figures_in_their_own_columns() -> None:
    rec = page_records(SEINAJOKI, (56,))
    row = [f for f in rec.finance if f.line_label.startswith("Opetus-ja kulttuuritoimen muut")]
    got = sorted((f.column_label, f.year, f.unit, f.amount) for f in row)
    assert got == sorted([
        ("Kaupunki 2024", 2024, "EUR", -2659356.00),
        ("Kaupunki 2023", 2023, "EUR", -2835327.00),
        ("Kaupunki €", 2024, "EUR", 175971.00),
        ("Kaupunki %", 2024, "percent", -6.2),
    ])
    kinds = {f.column_label: f.figure_kind for f in row}
    assert (kinds["Kaupunki €"], kinds["Kaupunki %"]) == ("difference", "percent_change")
    assert not [i for i in rec.issues if i.code == "not_a_number"]
    # the row's figures are the state subsidy line of the lexicon
    assert {f.line_key for f in row} == {"education_culture_state_subsidy"}
