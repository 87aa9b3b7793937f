"""Named figures of the Lapua budget tables (the city board's 2025 budget and five board minutes),
pinned with unit, line path, column, kind, year, unit of measure and amount (issue 10, Lapua).

Every expected value was read from the rendered page of the real document (pages are those of the PDF;
the minutes are cut to the pages listed). Source errors are pinned as printed, with the finding that
names them: a figure is never corrected.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from models import RecordSet
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KH = REAL / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"
SIVLA_1_2025 = REAL / "fi_lapua_sivistyslautakunta_poytakirja_2025-01-15.pdf"
SIVLA_10_2025 = REAL / "fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf"
HYVLA = REAL / "fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf"
TEKLA = REAL / "fi_lapua_tekninen_lautakunta_poytakirja_2025-01-28.pdf"
YMPLA = REAL / "fi_lapua_ymparistolautakunta_poytakirja_2022-01-25.pdf"
Pinned = tuple[str, str, str, str, int | None, str, float]  # unit, line path, column, kind, year, unit, amount


@cache
def records(pdf: Path, pages: tuple[int, ...] = ()) -> RecordSet:
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    return process_file(cut_pages(pdf, pages, Path("/tmp") / "plandata-test-pages") if pages else pdf)[1]


def check(rec: RecordSet, pinned: Pinned, page: int | None = None) -> None:
    """The one figure pinned (on `page` of the cut document, when given) has that kind, year and amount."""
    unit_name, path, column, kind, year, unit, amount = pinned
    found = [f for f in rec.finance if f.unit_name == unit_name and f.line_path == path and f.column_label == column
             and page in (None, f.page)]
    assert len(found) == 1, f"{pinned}: {[(f.unit_name, f.line_path, f.column_label) for f in found]}"
    figure = found[0]
    assert (figure.figure_kind, figure.year, figure.unit, figure.multiplier, figure.amount) == \
        (kind, year, unit, 1, amount)


# kh 4.11.2024: p. 1 'Kokonaistalous' (costs printed positive), p. 2 Vaalit / Kv / Tarkastuslautakunta,
# p. 3 Kh / Sivla / Hyvla and p. 4 Tekla / Ympla with 'Ero raamiin'
@pytest.mark.parametrize("pinned", [
    ("Kokonaistalous", "Toimintakulut", "TA 2025", "budget", 2025, "EUR", 51199319),
    ("Kokonaistalous", "Satunnaiset kulut", "TP 2023", "actual", 2023, "EUR", 92010),
    ("Kokonaistalous", "Rahoitustuotot ja kulut yh", "Raami 2025", "frame", 2025, "EUR", -1544000),
    ("KAUPUNGINVALTUUSTO", "Toimintakulut", "TP2023", "actual", 2023, "EUR", -68767),
    ("VAALIT", "Toimintakate", "TP 2023", "actual", 2023, "EUR", 274),
    ("KAUPUNGINHALLITUS", "Toimintakate", "Ero raamiin", "difference", 2025, "EUR", 469800),
    ("SIVISTYSLAUTAKUNTA", "Toimintatuotot", "Ero raamiin", "difference", 2025, "EUR", 223522),
    ("Hyvinvointilautakunta", "Toimintakulut", "TA 2024", "budget", 2024, "EUR", -4509080),
    ("TEKNINEN LAUTAKUNTA", "Toimintakate", "Raami 2025", "frame", 2025, "EUR", -11273598),
    ("YMPÄRISTÖLAUTAKUNTA", "Valmistus omaan käyttöön", "TP 2023", "actual", 2023, "EUR", 2322),
])
def test_kh_budget_tables(pinned: Pinned) -> None:
    check(records(KH), pinned)


def test_kh_blank_cell_is_no_figure() -> None:
    """p. 2: TARKASTUSLAUTAKUNTA prints no 'Raami 2025' income (blank cell), 0 in the other columns."""
    income = {f.column_label: f.amount for f in records(KH).finance
              if f.unit_name == "TARKASTUSLAUTAKUNTA" and f.line_label == "Toimintatuotot"}
    assert income == {"TP 2023": 0, "TA 2024": 0, "TA 2025": 0}


def test_kh_savings_notes_stand_under_no_column() -> None:
    """p. 3: under SIVISTYSLAUTAKUNTA's table, with no gap, 'Sivla on alittanut raamin -281 425',
    'Säästötavoite -1 759 900', 'Säästötavoitetta jäljellä -1 478 475', their figures printed in line
    with 'TP 2023'. They are notes, not 2023 actuals: kept in `tables` under no heading, no finance figure."""
    rec = records(KH)
    # the table's own rows keep their headings
    margin = [c for c in rec.tables if c.page == 3 and c.text.replace("\u200b", "") == "-22 053 332"]
    assert [c.header_path for c in margin] == [["TP 2023"]]
    notes = [(c.row_path, c.header_path, c.number) for c in rec.tables
             if c.table_id == margin[0].table_id and not c.is_label and c.row_path[-1].startswith(("Sivla", "Säästö"))]
    assert notes == [(["Sivla on alittanut raamin"], [], -281425), (["Säästötavoite"], [], -1759900),
                     (["Säästötavoitetta jäljellä"], [], -1478475)]
    assert not [f for f in rec.finance if f.line_label.startswith(("Sivla", "Säästö"))]


# Sivistyslautakunta 15.1.2025: p. 19 'TA 2024 | TA 2025 | Ero' (dot thousands, '+174.050'),
# p. 20 '... | Muutos% TA 2024-2025 | Ero raamiin', p. 23 'Investoinnit yhteensä netto | 2025 | 2026 | 2027 | Yhteensä'
@pytest.mark.parametrize("pinned", [
    ("Sivistyslautakunta", "Toimintatuotot", "Ero", "difference", 2025, "EUR", 174050),
    ("Sivistyslautakunta", "Toimintakulut", "Raami 2025", "frame", 2025, "EUR", -24400000),
    ("Sivistyslautakunta", "Toimintakate", "Muutos% TA 2024-2025", "percent_change", 2025, "percent", 2.51),
    ("Sivistyslautakunta", "Toimintatuotot", "Ero raamiin", "difference", 2025, "EUR", -23522),  # source: -223 522
    ("Sivistyslautakunta", "97001 Yläkoulu", "2026", "plan", 2026, "EUR", -75000),
    ("Sivistyslautakunta", "Koneet ja kalusto / Sivistyslautakunta yhteensä", "Yhteensä", "total", None, "EUR",
     -225000),
])
def test_sivistyslautakunta_2025(pinned: Pinned) -> None:
    check(records(SIVLA_1_2025, (19, 20, 22, 23)), pinned)


# Sivistyslautakunta 8.10.2025: p. 7 'TA 2025 | TA 2026 | Ero', p. 9 with 'Raami 2026', p. 11 the
# furniture investment proposal 'Koneet ja kalusto / Sivistyslautakunta | Talous | 2026 | 2027 | 2028 | Yhteensä'
@pytest.mark.parametrize("pinned", [
    ("Sivistyslautakunta", "Toimintatuotot", "Ero", "difference", 2026, "EUR", 22),  # source: -10 978
    ("Sivistyslautakunta", "Toimintakulut", "Raami 2026", "frame", 2026, "EUR", -24260900),
    ("Sivistyslautakunta", "Toimintatuotot", "Muutos% TA 2025-2026", "percent_change", 2026, "percent", 0.0),
    ("Sivistyslautakunta", "Toimintakate", "Raami 2026", "frame", 2026, "EUR", -23004400),
    ("Sivistyslautakunta", "97003 Alakoulut / menot", "2026", "proposal", 2026, "EUR", -35000),
    ("Sivistyslautakunta", "Yhteensä / menot", "2028", "plan", 2028, "EUR", -85000),
])
def test_sivistyslautakunta_2026(pinned: Pinned) -> None:
    check(records(SIVLA_10_2025, (7, 9, 11)), pinned)


def test_the_same_line_in_two_tables() -> None:
    """Sivistyslautakunta 8.10.2025: 'Toimintakulut | TA 2026' is -24.260.900 on p. 7 (the frame given) and
    -24.292.478 on p. 9 (the board's proposal): each table keeps its own."""
    rec = records(SIVLA_10_2025, (7, 9, 11))
    pinned = ("Sivistyslautakunta", "Toimintakulut", "TA 2026", "budget", 2026, "EUR")
    check(rec, (*pinned, -24260900), page=1)
    check(rec, (*pinned, -24292478), page=2)


def test_sivistyslautakunta_2026_source_errors_are_findings() -> None:
    """p. 7: 'Ero' of Toimintatuotot prints 22 where 1 245 500 − 1 256 478 = −10 978, and the TA 2026
    margin −23 004 400 is not 1 245 500 − 24 260 900 = −23 015 400. p. 9: 'Muutos% TA 2025-2026' prints
    0,0% / 1,5% / 1,5% where TA 2026 / TA 2025 − 1 is 1 288 078 / 1 256 478 − 1 = 2,5 %, 24 292 478 /
    23 895 053 − 1 = 1,7 % and 23 004 400 / 22 638 575 − 1 = 1,6 %. All found, the document partial."""
    rec = records(SIVLA_10_2025, (7, 9, 11))
    found = sorted((v.check, v.column_label, v.actual, v.expected) for v in rec.validation if v.severity == "error")
    assert found == [("difference_column", "Ero", 22, -10978), ("operating_margin", "TA 2026", -23004400, -23015400),
                     ("percent_change", "Muutos% TA 2025-2026", 0.0, 2.5),
                     ("percent_change", "Muutos% TA 2025-2026", 1.5, 1.6),
                     ("percent_change", "Muutos% TA 2025-2026", 1.5, 1.7)]
    assert rec.document.status == "partial"


@pytest.mark.parametrize(("pdf", "pages"), [(SIVLA_1_2025, (20,)), (HYVLA, (14,))])
def test_percent_changes_that_hold(pdf: Path, pages: tuple[int, ...]) -> None:
    """Sivistyslautakunta 15.1.2025 p. 20 (-3,79 % / 2,15 % / 2,51 %) and hyvinvointilautakunta p. 14
    (-8,81 % / 1,85 % / 6,31 %): TA 2025 / TA 2024 − 1 on every row, the costs' growth printed positive."""
    rec = records(pdf, pages)
    assert not [v for v in rec.validation if v.check == "percent_change"]
    assert sum(1 for f in rec.finance if f.figure_kind == "percent_change") == 3


# Hyvinvointilautakunta 22.1.2025: p. 13 'TA 2024 | TA 2025 | Ero', p. 14 with 'Raami 2025', p. 16 '€' and
# investments with a two-line last label
@pytest.mark.parametrize("pinned", [
    ("Hyvinvointilautakunta", "Toimintatuotot", "Ero", "difference", 2025, "EUR", -77950),
    ("Hyvinvointilautakunta", "Toimintatuotot", "Raami 2025", "frame", 2025, "EUR", 1250000),
    ("Hyvinvointilautakunta", "Toimintakate", "Ero raamiin", "difference", 2025, "EUR", -9207),
    ("Hyvinvointilautakunta", "Toimintakulut", "Muutos% TA 2024-2025", "percent_change", 2025, "percent", 1.85),
    ("Hyvinvointilautakunta", "Toimintamenot", "€", "budget", 2025, "EUR", -4592543),
    ("Hyvinvointilautakunta", "Koneet ja kalusto / Hyvinvointilautakunta yhteensä", "2027", "plan", 2027, "EUR",
     -70000),
])
def test_hyvinvointilautakunta_2025(pinned: Pinned) -> None:
    check(records(HYVLA, (13, 14, 16)), pinned)


# Tekninen lautakunta 28.1.2025: pp. 6-7 the approved budget and investments ('- 7 030 000', '-10.730 000'),
# pp. 20-21 the carry-over table with cost-centre codes, group rows and wrapped labels
@pytest.mark.parametrize("pinned", [
    ("Tekninen lautakunta", "Rakennusinvestoinnit, rkp", "", "budget", 2025, "EUR", -7030000),
    ("Tekninen lautakunta", "Tekninen lautakunta yhteensä", "", "budget", 2025, "EUR", -10730000),
    ("Tekninen lautakunta", "Kunnallistekniikka / 091080 Sadevesiviemäröinnit", "Käytetty €", "actual", 2024, "EUR",
     655000),
    ("Tekninen lautakunta", "Kalusto / 98116 mittaus- ja karttajärjestelmät", "Käyttämättä 2024 €", "difference",
     2024, "EUR", 18500),
    ("Tekninen lautakunta", "Rakennus- ja kiinteistöpalvelut / 90830 kiinteistöjen piharakennukset kp:lle 90564",
     "Määräraha €", "budget", 2024, "EUR", 10000),
    ("Tekninen lautakunta", "Yhteensä", "Lisämääräraha 2025 €", "budget_change", 2025, "EUR", 691500),
    # the cell prints '86 500 / Myönnettävä avustus -90 000 / = -3 500'; the column's total 691 500 counts -3 500
    ("Tekninen lautakunta", "Kunnallistekniikka / 092245 Fröötilänreitti", "Lisämääräraha 2025 €", "budget_change",
     2025, "EUR", -3500),
])
def test_tekninen_lautakunta_2025(pinned: Pinned) -> None:
    check(records(TEKLA, (6, 7, 20, 21)), pinned)


def test_carried_over_sums_are_checked_once() -> None:
    """pp. 20-21: 'Lisämääräraha 2025 €' prints the 'Käyttämättä 2024 €' sums again on every row. Two unused
    sums are wrong in the source (092234 Ritavuoren koulun kenttä 286 000 − 700 = 285 300, printed 286 000;
    098106 Liikenneväylät 37 000 − 23 000 = 14 000, printed 13 000): two findings, on the column that
    computes them, none again on its copy."""
    rec = records(TEKLA, (6, 7, 20, 21))
    found = sorted((v.column_label, v.actual, v.expected) for v in rec.validation if v.check == "difference_column")
    assert found == [("Käyttämättä 2024 €", 13000, 14000), ("Käyttämättä 2024 €", 286000, 285300)]
    # 092245 Fröötilänreitti's carry-over is its own worked calculation (86 500 - 90 000 = -3 500), no copy
    # of its unused 86 500, and no cell of the table is left unread
    assert not [i for i in rec.issues if i.code == "not_a_number"]
    assert any("-3500" in i.message for i in rec.issues if i.code == "ambiguous_number")


@pytest.mark.parametrize("pinned", [
    ("Ympäristölautakunta", "Toimintakate", "Toteutuma 2021", "actual", 2021, "EUR", 185328),
    ("Ympäristölautakunta", "Tulot", "Tot-%", "realisation_percent", 2021, "percent", 131.6),
    ("Ympäristölautakunta", "Toimintatulot", "€", "budget", 2022, "EUR", 132095),
])
def test_ymparistolautakunta(pinned: Pinned) -> None:
    """Ympäristölautakunta 25.1.2022 p. 7 (costs and margin printed positive) and p. 10 ('€')."""
    check(records(YMPLA, (7, 10)), pinned)
