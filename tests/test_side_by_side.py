"""Two tables printed side by side are read as two tables (`extractors/pdf/sidebyside.py`).

Every expected value was read from the rendered page of the real document (page numbers are those of
the PDF; each test cuts the document to the pages under test, with the cover so that the pages are read
as a financial statement).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def figures(rec: RecordSet, label: str, year: int) -> list[FinanceFigure]:
    return [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.year == year]


def one(rec: RecordSet, label: str, year: int) -> FinanceFigure:
    hits = figures(rec, label, year)
    assert len(hits) == 1, f"{label} {year}: {[(f.line_label, f.column_label, f.amount) for f in rec.finance]}"
    return hits[0]


# Kauhava p. 35 'TASE JA SEN TUNNUSLUVUT': VASTAAVAA (2024 | 2023, 1 000 €) beside VASTATTAVAA (the same)
@pytest.mark.parametrize(("label", "year", "amount", "unit", "multiplier"), [
    ("Ennakkomaksut ja keskener.hank.", 2024, 10777, "EUR", 1000),  # left table, its last figure column
    ("Pankkisaamiset", 2023, 16940, "EUR", 1000),
    ("A OMA PÄÄOMA", 2024, 54712, "EUR", 1000),  # right table, first row: was fused into the left's figures
    ("B POISTOERO JA VAPAAEHTOISET VARAUKSET", 2023, 1056, "EUR", 1000),  # a label wrapped over two lines
    ("Siirtovelat", 2023, 5146, "EUR", 1000),
    ("Asukasmäärä", 2024, 15049, "count", 1),  # key figures under the right table, in the unit they name
])
def test_balance_sheet_sides_are_two_tables(label: str, year: int, amount: float, unit: str, multiplier: int) -> None:
    figure = one(page_records(KAUHAVA, (2, 35)), label, year)
    assert (figure.amount, figure.figure_kind, figure.unit, figure.multiplier) == (amount, "actual", unit, multiplier)


def test_balance_sheet_sides_add_up_and_are_all_read() -> None:
    rec = page_records(KAUHAVA, (2, 35))
    left, right = one(rec, "Pankkisaamiset", 2024), one(rec, "Siirtovelat", 2024)
    assert left.table_id != right.table_id
    assert not [i.message for i in rec.issues if i.page == 2 and i.code in ("table_not_read", "arithmetic_mismatch")]


# Seinäjoki p. 23: the city's key figures ('Seinäjoki | TP-2024') beside the group's ('Kaupunkikonserni | TP-2024'),
# each row naming its unit
@pytest.mark.parametrize(("label", "scope", "amount", "unit", "multiplier"), [
    ("Vuosikate, 1 000 €", "city", 18033, "EUR", 1000),
    ("Vuosikate, 1 000 €", "group", 66909, "EUR", 1000),
    ("Tulos: Tilikauden alijäämä, 1 000 €", "city", -2939, "EUR", 1000),  # the '€' stays in the label
    ("Tulos: Tilikauden ylijäämä, 1000 €", "group", 11869, "EUR", 1000),
    ("Kertynyt ylijäämä taseessa, 1 000 000 €", "group", 125.5, "EUR", 1000000),
    ("Lainahoitokate (laskennallinen)", "city", 0.2, "ratio", 1),  # printed so on the page
    ("Asukasluku", "group", 66610, "count", 1),
    ("Kertynyt ylijäämä, €/asukas", "city", 269, "EUR/inhabitant", 1),
])
def test_city_and_group_key_figures_side_by_side(label: str, scope: str, amount: float, unit: str,
                                                 multiplier: int) -> None:
    hits = [f for f in figures(page_records(SEINAJOKI, (1, 23)), label, 2024) if f.entity_scope == scope]
    assert [(f.amount, f.figure_kind, f.unit, f.multiplier) for f in hits] == [(amount, "actual", unit, multiplier)]


def test_key_figure_tables_side_by_side_are_read() -> None:
    rec = page_records(SEINAJOKI, (1, 23))
    assert len({f.table_id for f in rec.finance if f.page == 2}) == 2
    assert len([f for f in rec.finance if f.page == 2]) == 30  # 15 rows, one year, on each side
    assert not [i.message for i in rec.issues if i.page == 2 and i.code == "table_not_read"]
