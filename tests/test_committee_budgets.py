"""Named figures of committee budget tables in financial statements, pinned with label, unit, column,
kind, year and amount.

Every expected value was read from the rendered page of the real document (pages are those of the PDF;
each test cuts the document to the pages listed, keeping the page whose heading names the committee and,
for Seinäjoki, the title page that gives the year of columns headed 'Talousarvio €').
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from models import RecordSet
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"
Pinned = tuple[str, str, str, str, int, float]  # unit, line path, column, kind, year, amount


@cache
def records(pdf: Path, pages: tuple[int, ...]) -> RecordSet:
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    return process_file(cut_pages(pdf, pages, Path("/tmp") / "plandata-test-pages"))[1]


def check(rec: RecordSet, pinned: Pinned) -> None:
    unit, path, column, kind, year, amount = pinned
    found = [f for f in rec.finance if f.unit_name == unit and f.line_path == path and f.column_label == column]
    assert len(found) == 1, f"{pinned}: {[(f.unit_name, f.line_path, f.column_label) for f in found]}"
    figure = found[0]
    assert (figure.figure_kind, figure.year, figure.amount, figure.unit, figure.multiplier) == \
        (kind, year, amount, "EUR", 1)


# Kauhava p. 88 (printed 87/157): Liikennepalvelut and Varhaiskasvatus under Kasvatus- ja opetuslautakunta
@pytest.mark.parametrize("pinned", [
    ("Liikennepalvelut", "TOIMINTATUOTOT", "Toteutuma", "actual", 2024, 27214),
    ("Liikennepalvelut", "TOIMINTAKULUT", "Alkuperäinen TA", "budget_original", 2024, -120000),
    ("Liikennepalvelut", "Toimintakate/Jäämä", "Poikkeama", "difference", 2024, 46165),
    ("Varhaiskasvatus", "TOIMINTATUOTOT", "TA muutosten jälkeen", "budget_amended", 2024, 1183310),
    ("Varhaiskasvatus", "TOIMINTAKULUT", "Toteutuma", "actual", 2024, -7479717),
    ("Varhaiskasvatus", "TOIMINTAKULUT", "TA muutokset", "budget_change", 2024, 0),
    ("Varhaiskasvatus", "Toimintakate/Jäämä", "Alkuperäinen TA", "budget_original", 2024, -6651340),
    ("Varhaiskasvatus", "Toimintakate/Jäämä", "Poikkeama", "difference", 2024, 395418),
])
def test_kauhava_education_areas(pinned: Pinned) -> None:
    check(records(KAUHAVA, (86, 87, 88)), pinned)


# Kauhava p. 101 (printed 100/157): Tekninen lautakunta, 'Talousarvion toteutuminen'
@pytest.mark.parametrize("pinned", [
    ("Tekninen lautakunta", "TOIMINTATUOTOT", "Toteutuma", "actual", 2024, 2505162),
    ("Tekninen lautakunta", "Muut toimintatuotot", "Poikkeama", "difference", 2024, 190103),
    ("Tekninen lautakunta", "Henkilösivukulut", "Alkuperäinen TA", "budget_original", 2024, -804500),
    ("Tekninen lautakunta", "Palkat ja palkkiot", "TA muutosten jälkeen", "budget_amended", 2024, -3131410),
    ("Tekninen lautakunta", "Palvelujen ostot", "Toteutuma", "actual", 2024, -2359716),
    # a label wrapped over two lines ('Aineet, tarvikkeet ja tava-' / 'rat') with its figures on the last
    ("Tekninen lautakunta", "Aineet, tarvikkeet ja tavarat", "Toteutuma", "actual", 2024, -3742518),
    ("Tekninen lautakunta", "Avustukset", "Poikkeama", "difference", 2024, 13167),
])
def test_kauhava_technical_board(pinned: Pinned) -> None:
    check(records(KAUHAVA, (101,)), pinned)


def test_kauhava_technical_board_lines_and_sums() -> None:
    rec = records(KAUHAVA, (101,))
    keys = {f.line_label: (f.line_key, f.parent_line_key) for f in rec.finance}
    assert keys["Henkilösivukulut"] == ("personnel_side_costs", "personnel_costs")
    assert keys["Aineet, tarvikkeet ja tavarat"] == ("materials", "operating_costs")
    # Henkilöstökulut -3 794 671 = Palkat ja palkkiot -3 072 905 + Henkilösivukulut -721 766 (Toteutuma)
    assert not [v for v in rec.validation if v.check == "personnel_costs" and v.severity != "info"]
    assert all(f.sign_convention == "costs_negative" for f in rec.finance)


# Seinäjoki p. 100 (printed 96): 'Tulosalue 530 Kulttuuripalvelut', the year from the title page
@pytest.mark.parametrize("pinned", [
    ("530 Kulttuuripalvelut", "Toimintatulot / Alkuperäinen", "Talousarvio €", "budget_original", 2024, 694600),
    ("530 Kulttuuripalvelut", "Toimintatulot / Yhteensä", "Toteutuma €", "actual", 2024, 545746),
    ("530 Kulttuuripalvelut", "Toimintatulot / Yhteensä", "Poikkeama €", "difference", 2024, -148854),
    ("530 Kulttuuripalvelut", "Toimintamenot / Kv 22.4. §26 Muutos", "Talousarvio €", "budget_change", 2024, -92900),
    ("530 Kulttuuripalvelut", "Toimintamenot / Kv 21.10. §81 Muutos", "Talousarvio €", "budget_change", 2024, 147300),
    # the Yhteensä of an original budget and its council changes is the budget after them
    ("530 Kulttuuripalvelut", "Toimintamenot / Yhteensä", "Talousarvio €", "budget_amended", 2024, 6102700),
    ("530 Kulttuuripalvelut", "Netto (Toimintakate)", "Toteutuma €", "actual", 2024, -5261615),
    ("530 Kulttuuripalvelut", "Netto (Toimintakate)", "Poikkeama €", "difference", 2024, 146485),
])
def test_seinajoki_culture_services(pinned: Pinned) -> None:
    check(records(SEINAJOKI, (1, 100)), pinned)


def test_seinajoki_culture_services_changes_add_up() -> None:
    """5 784 800 - 92 900 + 118 000 - 4 500 + 150 000 + 147 300 = 6 102 700 (Toimintamenot, Talousarvio €)."""
    rec = records(SEINAJOKI, (1, 100))
    assert not [v.message for v in rec.validation if v.severity in ("warning", "error")]
    table = next(q for q in rec.table_quality if q.table_kind == "finance")
    assert table.arithmetic_ok is True and table.unit_name == "530 Kulttuuripalvelut"


def test_an_unheaded_column_beside_a_budget_is_not_the_budget() -> None:
    # Seinäjoki, Tilinpäätös 2024, p. 106 (printed 102), 590 Nuorisopalvelut: "Talousarvio €" heads the
    # original, changes and totals; the next column, with no heading on this page, prints 425 769,
    # 2 866 441 and -2 440 672 on the Yhteensä and Netto rows: not budget figures (404 800 is the budget
    # after the changes printed above it: 402 800 + 2 000)
    real = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
    records = process_file(cut_pages(real / "fi_seinajoki_tilinpaatos_2024.pdf", (106,),
                                     Path("/tmp") / "plandata-test-pages"))[1]
    by_amount = {f.amount: f for f in records.finance}
    assert (by_amount[404800].column_label, by_amount[404800].figure_kind) == ("Talousarvio €", "budget_amended")
    assert by_amount[-2482400].figure_kind == "budget_amended"  # Netto = 404 800 − 2 887 200, after the changes
    assert (by_amount[402800].figure_kind, by_amount[2000].figure_kind) == ("budget_original", "budget_change")
    for amount in (425769, 2866441, -2440672):
        assert by_amount[amount].figure_kind == "other" and by_amount[amount].column_label != "Talousarvio €"
