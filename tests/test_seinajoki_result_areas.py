"""Seinäjoki, Tilinpäätös 2024, section 8.1 'Käyttötalouden ja tavoitteiden toteutumiset' (PDF pages
79-125): one budget table per 'Tulosalue', 'Talous | Talousarvio € | Toteutuma € | Poikkeama €', lines
Toimintatulot and Toimintamenot with sub-rows 'Alkuperäinen', 'Kv <date> §<n> Muutos' and 'Yhteensä',
then 'Netto (Toimintakate)'.

Every expected value was read from the rendered page (pages are those of the PDF; the document is cut to
these pages plus the title page, which gives the year of the columns headed 'Talousarvio €').
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

SEINAJOKI = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real" / \
    "fi_seinajoki_tilinpaatos_2024.pdf"
PAGES = (1, 79, 84, 88, 106, 110, 112, 118, 125)
BUDGET, ACTUAL, DIFFERENCE = "Talousarvio €", "Toteutuma €", "Poikkeama €"
Pinned = tuple[str, str, str, str, float]  # unit, line path, column, kind, amount


def records() -> RecordSet:
    return page_records(SEINAJOKI, PAGES)


def figures_of(unit: str) -> list[FinanceFigure]:
    return [f for f in records().finance if f.unit_name == unit]


@pytest.mark.parametrize("pinned", [
    # p. 79 (printed 75): 100 Vaalit and 120 Tarkastustoimi, two tables on one page
    ("100 Vaalit", "Toimintatulot / Alkuperäinen", BUDGET, "budget_original", 420000),
    ("100 Vaalit", "Toimintamenot / Yhteensä", DIFFERENCE, "difference", 75727),
    ("100 Vaalit", "Netto (Toimintakate)", ACTUAL, "actual", -161211),
    ("120 Tarkastustoimi", "Toimintamenot / Kv 22.4. §26 Muutos", BUDGET, "budget_change", -4000),
    ("120 Tarkastustoimi", "Toimintamenot / Kv 9.12. §98 Muutos", BUDGET, "budget_change", 3100),
    ("120 Tarkastustoimi", "Toimintamenot / Yhteensä", BUDGET, "budget_amended", 191200),
    ("120 Tarkastustoimi", "Netto (Toimintakate)", DIFFERENCE, "difference", -12062),
    # p. 84 (printed 80): four council changes to Toimintamenot
    ("160 Talouspalvelut", "Toimintatulot / Kv 21.10. §81 Muutos", BUDGET, "budget_change", 4200),
    ("160 Talouspalvelut", "Toimintamenot / Kv 9.12. §98 Muutos", BUDGET, "budget_change", -400000),
    ("160 Talouspalvelut", "Toimintamenot / Yhteensä", ACTUAL, "actual", 6509227),
    ("160 Talouspalvelut", "Netto (Toimintakate)", BUDGET, "budget_amended", -7508300),
    ("160 Talouspalvelut", "Netto (Toimintakate)", DIFFERENCE, "difference", 1543473),
    # p. 88 (printed 84): under 'Palvelukeskus SIVISTYKSEN JA HYVINVOINNIN TOIMIALA'; the Toimintamenot
    # block's figures sit further right in the text layer than the Toimintatulot block's
    ("400 Sivistyksen ja hyvinvoinnin toimialan hallinto", "Toimintatulot / Kv 21.10. §81 Muutos", BUDGET,
     "budget_change", -354200),
    ("400 Sivistyksen ja hyvinvoinnin toimialan hallinto", "Toimintatulot / Yhteensä", DIFFERENCE,
     "difference", -273668),
    ("400 Sivistyksen ja hyvinvoinnin toimialan hallinto", "Toimintamenot / Alkuperäinen", BUDGET,
     "budget_original", 1688400),
    ("400 Sivistyksen ja hyvinvoinnin toimialan hallinto", "Toimintamenot / Kv 27.5. §45 Muutos", BUDGET,
     "budget_change", 302400),
    ("400 Sivistyksen ja hyvinvoinnin toimialan hallinto", "Netto (Toimintakate)", ACTUAL, "actual", -1052897),
    # p. 106 (printed 102): the middle column prints no 'Toteutuma €' heading; Poikkeama € compares it
    # with the budget (425 769 - 404 800 = 20 969), so in a financial statement it is the actual
    ("590 Nuorisopalvelut", "Toimintatulot / Yhteensä", "", "actual", 425769),
    ("590 Nuorisopalvelut", "Toimintamenot / Yhteensä", "", "actual", 2866441),
    ("590 Nuorisopalvelut", "Netto (Toimintakate)", "", "actual", -2440672),
    ("590 Nuorisopalvelut", "Toimintamenot / Kv 27.5. §45 Muutos", BUDGET, "budget_change", -1600),
    # p. 110 (printed 106): a positive Netto (income above costs)
    ("610 Toimitilat", "Toimintatulot / Alkuperäinen", BUDGET, "budget_original", 48380700),
    ("610 Toimitilat", "Toimintatulot / Yhteensä", ACTUAL, "actual", 49823395),
    ("610 Toimitilat", "Netto (Toimintakate)", BUDGET, "budget_amended", 16573500),
    ("610 Toimitilat", "Netto (Toimintakate)", DIFFERENCE, "difference", 1125803),
    # p. 112 (printed 108)
    ("620 Kiinteistö- ja paikkatietopalvelut", "Toimintatulot / Kv 9.12. §98 Muutos", BUDGET, "budget_change",
     -3350000),
    ("620 Kiinteistö- ja paikkatietopalvelut", "Netto (Toimintakate)", ACTUAL, "actual", 2816222),
    # p. 118 (printed 114): 660 Rakennusvalvonta and 670 Ympäristönsuojelu, headings wrapped after the code
    ("660 Rakennusvalvonta", "Toimintamenot / Kv 21.10. §81 Muutos", BUDGET, "budget_change", -400),
    ("660 Rakennusvalvonta", "Netto (Toimintakate)", DIFFERENCE, "difference", -91459),
    ("670 Ympäristönsuojelu", "Toimintatulot / Kv 9.12. §98 Muutos", BUDGET, "budget_change", 10000),
    ("670 Ympäristönsuojelu", "Toimintamenot / Yhteensä", DIFFERENCE, "difference", -17991),
    ("670 Ympäristönsuojelu", "Netto (Toimintakate)", BUDGET, "budget_amended", -323600),
    # p. 125 (printed 121)
    ("710 Työllisyys", "Toimintatulot / Yhteensä", ACTUAL, "actual", 1550999),
    ("710 Työllisyys", "Toimintamenot / Kv 27.5. §45 Muutos", BUDGET, "budget_change", 700000),
    ("710 Työllisyys", "Toimintamenot / Yhteensä", DIFFERENCE, "difference", -802351),
])
def test_result_area_figure(pinned: Pinned) -> None:
    unit, path, column, kind, amount = pinned
    found = [f for f in figures_of(unit) if f.line_path == path and f.column_label == column]
    assert len(found) == 1, f"{pinned}: {[(f.line_path, f.column_label, f.amount) for f in figures_of(unit)]}"
    figure = found[0]
    assert (figure.figure_kind, figure.year, figure.amount, figure.unit, figure.multiplier) == \
        (kind, 2024, amount, "EUR", 1)


# Figures printed in each table, counted on the page: Toimintatulot and Toimintamenot one per Alkuperäinen
# and Muutos row plus three on Yhteensä, and three on Netto
PRINTED = {
    "100 Vaalit": 11, "120 Tarkastustoimi": 13, "160 Talouspalvelut": 17,
    "400 Sivistyksen ja hyvinvoinnin toimialan hallinto": 18, "590 Nuorisopalvelut": 16, "610 Toimitilat": 17,
    "620 Kiinteistö- ja paikkatietopalvelut": 15, "660 Rakennusvalvonta": 14, "670 Ympäristönsuojelu": 15,
    "710 Työllisyys": 15,
}


def test_every_printed_figure_is_read_once_under_its_result_area() -> None:
    by_unit: dict[str | None, int] = {}
    for figure in records().finance:
        by_unit[figure.unit_name] = by_unit.get(figure.unit_name, 0) + 1
    assert by_unit == PRINTED  # never 'Talous' (the table's first heading cell) nor a service centre


def test_sub_rows_give_the_budget_column_its_kind() -> None:
    """'Alkuperäinen' is the original budget, each 'Kv … Muutos' a council change, and the Talousarvio €
    figures of 'Yhteensä' and 'Netto' the budget after those changes (p. 84: 8 706 100 - 306 700 - 30 000
    - 400 000 - 71 800 = 7 897 600)."""
    for figure in records().finance:
        sub_row = figure.line_path.rsplit(" / ", 1)[-1]
        expected = {"Alkuperäinen": "budget_original", "Muutos": "budget_change"}.get(sub_row.split()[-1])
        if figure.column_label == BUDGET:
            assert figure.figure_kind == (expected or "budget_amended"), figure
        else:
            assert expected is None, figure  # sub-rows print in the budget column only
            assert figure.figure_kind == ("difference" if figure.column_label == DIFFERENCE else "actual"), figure


def test_the_tables_add_up() -> None:
    """Alkuperäinen + changes = Yhteensä, Toimintatulot - Toimintamenot = Netto, and Poikkeama € in favour
    of the city (income over budget, costs under it) hold in every table: no finding above rounding."""
    rec = records()
    assert not [v.message for v in rec.validation if v.severity in ("warning", "error")]
    tables = [q for q in rec.table_quality if q.table_kind == "finance"]
    assert len(tables) == len(PRINTED) and all(q.arithmetic_ok is True for q in tables)
    assert {q.sign_convention for q in tables} == {"costs_positive"}
