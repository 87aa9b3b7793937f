"""Cells and rows of value tables: cells set in different type sizes, rows in one ruled band.

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


def test_key_figure_lines_in_one_ruled_band_are_rows() -> None:
    # Seinäjoki p. 53: under the income statement, in the frame's last band, 'TULOSLASKELMAN TUNNUSLUVUT'
    # then four lines each printing a label and one figure in the 2024 column (19,4 / 86 / 271 / 66 610).
    # They were one row with the label of all five lines and the cell '19,4 86 271 66 610', and no issue
    # said so. Now each is a row, read in the unit its label names (percent, euros per inhabitant,
    # inhabitants), in the 2024 column.
    rec = page_records(SEINAJOKI, (1, 53))
    cells = {(c.row_path[-1] if c.row_path else "", c.text) for c in rec.tables}
    assert ("Toimintatuotot/Toimintakulut, %", "19,4") in cells
    assert not [c for c in rec.tables if c.text == "19,4 86 271 66 610"]
    keyed = {(f.line_label, f.year, f.unit, f.amount) for f in rec.finance if f.unit != "EUR"
             and f.figure_kind != "percent_change"}
    assert keyed == {("Toimintatuotot/Toimintakulut, %", 2024, "percent", 19.4),
                     ("Vuosikate/Poistot, %", 2024, "percent", 86.0),
                     ("Vuosikate, €/asukas", 2024, "EUR/inhabitant", 271.0),
                     ("Asukasmäärä, 31.12.", 2024, "count", 66610.0)}
    assert not [i for i in rec.issues if i.code == "rows_under_table"]
    # the statement's own rows are read as before
    surplus = {(f.column_label, f.amount) for f in rec.finance if f.line_key == "surplus"}
    assert surplus == {("2024 1 000 €", -2939.0), ("2023 1 000 €", -13472.0), ("Muutos-%", -78.2)}
