"""Notes tables of a financial statement: 'Konserni | Kunta' tables and movement tables read as finance.

Every expected value was read from the rendered page of the real document (page numbers are those of
the PDF; each test cuts the document to the pages under test, with the cover when the pages alone do
not say that the document is a financial statement).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.movements import movement_blocks
from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def found(rec: RecordSet, label: str, column: str) -> FinanceFigure:
    hits = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.column_label == column]
    assert len(hits) == 1, f"{label} {column}: {[(f.line_label, f.column_label, f.amount) for f in rec.finance]}"
    return hits[0]


def table_of(rec: RecordSet, figure: FinanceFigure):
    return next(t for t in rec.table_quality if t.table_id == figure.table_id)


# -- 'Konserni | Kunta' over '2024 | 2023': no money unit printed, euros and cents ---------------------------

@pytest.mark.parametrize(("pdf", "pages", "label", "column", "amount", "year", "scope"), [
    # Kauhava p. 141 '12) Pakollisten varausten muutokset'
    (KAUHAVA, (141,), "Eläkevastuu 31.12.", "Konserni 2024", 89498.88, 2024, "group"),
    (KAUHAVA, (141,), "Muut pakolliset varaukset 1.1.", "Kunta 2023", 200337.19, 2023, "city"),
    (KAUHAVA, (141,), "Lisäykset tilikaudella", "Kunta 2024", 100000.0, 2024, "city"),
    # Kauhava p. 141 '13) Pysyvien vastaavien hyödykkeiden myyntivoitot ja -tappiot'
    (KAUHAVA, (141,), "Myyntivoitot yhteensä", "Konserni 2024", 108087.44, 2024, "group"),
    # Kauhava p. 148 '29) Pakolliset varaukset' (named unread in tests/test_entity_scope.py before notes were read)
    (KAUHAVA, (148,), "E-P:n SHP:n jäsenkuntien palkkasaatava vastuu", "Kunta 2024", 100000.0, 2024, "city"),
    (KAUHAVA, (148,), "Muut pakolliset varaukset yhteensä", "Konserni 2023", 137653.80, 2023, "group"),
    # Seinäjoki p. 164 '13) ... myyntivoitot ja -tappiot', 'Konserni | Kaupunki'
    (SEINAJOKI, (1, 164), "Myyntivoitot yhteensä", "Kaupunki 2023", -7260702.41, 2023, "city"),
    # Seinäjoki p. 170 '25) Oman pääoman erittely': a transfer out of a fund printed negative
    (SEINAJOKI, (1, 170), "Vahikorahaston pääoma 31.12.", "Konserni 2024", 233258.33, 2024, "group"),
])
def test_two_entity_note_is_finance(pdf: Path, pages: tuple[int, ...], label: str, column: str, amount: float,
                                    year: int, scope: str) -> None:
    figure = found(page_records(pdf, pages), label, column)
    assert (figure.amount, figure.year, figure.figure_kind, figure.entity_scope, figure.unit, figure.multiplier) == \
        (amount, year, "actual", scope, "EUR", 1)


@pytest.mark.parametrize(("pdf", "pages", "label", "column"), [
    (KAUHAVA, (141,), "Eläkevastuu 31.12.", "Kunta 2024"),  # 107 653,80 − 18 154,92 = 89 498,88
    (KAUHAVA, (147,), "Muut omat rahastot 31.12.", "Kunta 2024"),  # 'Siirrot rahastosta' 39 525,66 and -60 300,00
    (SEINAJOKI, (1, 166), "Hankintameno 31.12.", "Lainasaamiset Yhteensä"),  # 'Vähennykset -18 759 652,47'
    (SEINAJOKI, (1, 170), "Vahikorahaston pääoma 31.12.", "Kaupunki 2023"),
])
def test_movement_tables_that_add_up_pass(pdf: Path, pages: tuple[int, ...], label: str, column: str) -> None:
    rec = page_records(pdf, pages)
    figure = found(rec, label, column)
    checks = [v for v in rec.validation if v.check == "movement" and v.table_id == figure.table_id]
    assert all(v.severity == "info" for v in checks)
    assert table_of(rec, figure).arithmetic_ok is True


def test_fixed_asset_movement_table() -> None:
    """Kauhava p. 143 '19) Aineettomat ja aineelliset hyödykkeet': columns headed by asset classes, the
    statement year's actual figures. The page prints 'Rahoitusosuudet 3 796,85' under 'Muut pitkävaikutteiset
    menot' and 0,00 under the intangibles' 'Yhteensä', whose closing balance 1 117 516,55 is the sum of the
    columns' closing balances: that column does not add up, and the document is partial saying so."""
    rec = page_records(KAUHAVA, (143,))
    additions = [f for f in rec.finance if f.line_label == "Lisäykset tilikauden aikana"]
    assert [f.amount for f in additions][:2] == [62973.47, 29744.31]
    # the asset classes' columns are the year's actual figures; each group's 'Yhteensä' (under its group heading
    # 'Aineettomat hyödykkeet' / 'Aineelliset hyödykkeet') is a total column, checked against the classes
    assert {(f.year, f.figure_kind) for f in additions if not f.column_label.endswith("Yhteensä")} == {(2024, "actual")}
    assert {f.column_label: f.figure_kind for f in additions if f.column_label.endswith("Yhteensä")} == {
        "Aineettomat hyödykkeet Yhteensä": "total", "Aineelliset hyödykkeet Yhteensä": "total"}
    assert 16826722.66 in {f.amount for f in additions}  # Rakennukset
    failed = [v for v in rec.validation if v.check == "movement" and v.severity == "error"]
    assert len(failed) == 1 and failed[0].difference == pytest.approx(-3796.85)
    assert failed[0].actual == pytest.approx(1117516.55)
    # the same printed 0,00 fails the intangibles' total column on the Rahoitusosuudet row, by the same amount
    across = [v for v in rec.validation if v.check == "total_column" and v.severity == "error"]
    assert [(v.column_label, v.difference) for v in across] == [
        ("Aineettomat hyödykkeet Yhteensä", pytest.approx(-3796.85))]
    assert rec.document.status == "partial" and "2 arithmetic check(s) do not add up" in (rec.document.message or "")


@pytest.mark.parametrize(("labels", "blocks"), [
    (["Eläkevastuu 1.1.", "Lisäykset tilikaudella", "Vähennykset tilikaudella", "Eläkevastuu 31.12."],
     [(0, [1, 2], 3)]),
    # a sub-balance under a balance opens a block of its own; 'Arvo 31.12' closes nothing
    (["Arvo 1.1.", "Maa-alueet 1.1.", "Arvonkorotukset", "Maa-alueet 31.12.", "Arvo 31.12"], [(1, [2], 3)]),
    # a row the lexicon does not know between the balances leaves the block unchecked
    (["Peruspääoma 1.1.", "Lisäykset", "Edellisen tilikauden virheen oikaisu", "Peruspääoma 31.12."], []),
    (["Eläkevastuu 1.1.", "Eläkevastuu 31.12."], []),  # no movement: nothing to check
    (["Ingående anskaffningsvärde", "Årets anskaffningar", "Årets avskrivningar", "Utgående anskaffningsvärde"],
     [(0, [1, 2], 3)]),
])
def test_movement_blocks(labels: list[str], blocks: list) -> None:
    assert movement_blocks(labels) == blocks
