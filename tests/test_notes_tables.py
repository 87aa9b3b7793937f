"""Notes tables of a financial statement that were kept in `tables` only: movement tables whose rows the
movements lexicon did not know, and staff head counts (no money: named, not read as finance).

Every expected value was read from the rendered page of the real document (page numbers are those of
the PDF; each test cuts the document to its cover and the page under test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def amounts(rec: RecordSet, label: str, column: str) -> list[tuple[float, int | None, str, str]]:
    return [(f.amount, f.year, f.figure_kind, f.unit) for f in rec.finance
            if " ".join(f.line_label.split()) == label and " ".join(f.column_label.split()) == column]


# Seinäjoki p. 165 '19) Tiedot pysyvistä vastaavista tase-erä kohtaisesti': three movement blocks whose
# 'Rahoitusosuudet tilikaudella' row broke the block
@pytest.mark.parametrize(("label", "column", "amount"), [
    ("Poistamaton hankintameno 1.1.", "Aineettomat hyödykkeet Aineettomat oikeudet", 601693.69),
    ("Rahoitusosuudet tilikaudella", "Aineelliset hyödykkeet Kiinteät rakenteet ja laitteet", -226800.00),
    ("Poistamaton hankintameno 31.12.", "Aineelliset hyödykkeet Maa-alueet", 128062631.06),
    ("Tilikauden poisto", "Aineelliset hyödykkeet Koneet ja kalusto", -3548304.16),
    ("Siirrot erien välillä", "Ennakkomaksut ja keskeneräiset hankinnat", -15110475.28),
    ("Poistamaton hankintameno 31.12.", "Yhteensä", 430941040.36),
])
def test_movement_tables_with_financing_shares_are_read(label: str, column: str, amount: float) -> None:
    rec = page_records(SEINAJOKI, (1, 165))
    assert [a[0] for a in amounts(rec, label, column)] == [amount]
    assert {a[1] for a in amounts(rec, label, column)} == {2024}


def test_movement_blocks_add_up() -> None:
    rec = page_records(SEINAJOKI, (1, 165))
    movement = {f.table_id for f in rec.finance if f.line_label.startswith("Poistamaton hankintameno")}
    assert len(movement) == 3
    assert all(t.arithmetic_ok is True for t in rec.table_quality if t.table_id in movement)
    assert not [v for v in rec.validation if v.check == "movement" and v.severity != "info"]
    assert not [i.message for i in rec.issues if i.code == "table_not_read"]


@pytest.mark.parametrize(("pdf", "pages"), [
    (KAUHAVA, (2, 152)),  # '42) Henkilöstön lukumäärä 31.12.': 24, 13, 428, 95, 560 in 2024
    (SEINAJOKI, (1, 181)),  # '42) Henkilöstön lukumäärä 31.12. ml. sijaiset ja määräaikaiset'
])
def test_staff_head_counts_are_no_money(pdf: Path, pages: tuple[int, ...]) -> None:
    rec = page_records(pdf, pages)
    named = [i for i in rec.issues if i.code == "no_money_table"]
    assert [i.severity for i in named] == ["info"] and "staff numbers" in named[0].message
    assert not [i for i in rec.issues if i.code == "table_not_read"]
    staff = named[0].message.split()[1]
    assert not [f for f in rec.finance if f.table_id == staff]
    assert any(c.text == "560" for c in rec.tables if c.table_id == staff) or \
        any(c.text == "3 033" for c in rec.tables if c.table_id == staff)  # kept in tables as printed


def test_rows_after_a_blank_row_belong_to_the_table() -> None:
    """Kauhava p. 144 'Pysyvien vastaavien sijoitukset': 'Arvonalennukset', 'Arvonkorkotukset' and
    'Kirjanpitoarvo 31.12' stand one blank row under 'Hankintameno 31.12.', in the same columns and
    without headings of their own: they are rows of the same table, read under its headings."""
    rec = page_records(KAUHAVA, (2, 144))
    # the columns carry their group heading ('Osakkeet ja osuudet', 'JVK-, muut laina- ja muut saamiset')
    assert amounts(rec, "Kirjanpitoarvo 31.12", "JVK-, muut laina- ja muut saamiset Saamiset konserniyhteisöiltä") \
        == [(3072739.49, 2024, "actual", "EUR")]
    assert amounts(rec, "Arvonkorkotukset", "Osakkeet ja osuudet Osakkeet konserniyhtiöt") == \
        [(0.0, 2024, "actual", "EUR")]
    assert len({f.table_id for f in rec.finance}) == 1
    assert not [i for i in rec.issues if i.code == "table_not_read"]


@pytest.mark.parametrize(("label", "column", "amount", "year"), [
    ("Liittymismaksut", "Konserni 2024", 1338894.48, 2024),  # the row ends in a dash under 'Kunta 2023'
    ("Liittymismaksut", "Konserni 2023", 1342927.99, 2023),
    ("Muut velat yhteensä", "Kunta 2024", 673556.05, 2024),
])
def test_a_row_ending_in_a_dash_is_a_row_of_figures(label: str, column: str, amount: float, year: int) -> None:
    """Kauhava p. 149 '32) Muiden velkojen erittely': the row 'Liittymismaksut 1 338 894,48 1 342 927,99 -'
    was taken for a heading with the table's headings above it, and its figures were lost."""
    rec = page_records(KAUHAVA, (2, 149))
    assert amounts(rec, label, column) == [(amount, year, "actual", "EUR")]
    assert not amounts(rec, "Liittymismaksut", "Kunta 2023")  # the dash prints no figure


@pytest.mark.parametrize(("label", "column", "amount", "year"), [
    ("Palkkojen ja henkilöstösivukulujen jaksotukset", "Konserni 2024", 4713614.11, 2024),
    ("Korkojaksotukset", "Kunta 2024", 269790.50, 2024),
    ("Siirtovelat yhteensä", "Kunta 2023", 5146461.12, 2023),
])
def test_label_rows_above_the_first_figure_in_a_ruled_frame(label: str, column: str, amount: float,
                                                           year: int) -> None:
    """Kauhava p. 150 '33) Siirtovelkoihin sisältyvät olennaiset erät': four label rows ('Lyhytaikaiset
    siirtovelat', 'Tuloennakot', 'Menojäämät', 'Palkkojen ja henkilöstösivukulujen') stand between the
    headings and the first figure, inside the frame whose column rules are drawn cell by cell: the headings
    'Konserni | Kunta' over '2024 | 2023' are still the table's."""
    rec = page_records(KAUHAVA, (2, 150))
    assert amounts(rec, label, column) == [(amount, year, "actual", "EUR")]


def test_memo_rows_under_their_line_in_a_ruled_band() -> None:
    """Seinäjoki p. 144 'INVESTOINTIOSA' TULOT: 'Rakennukset 0 | 0' and the indented '  Sisältää myyntivoittoa'
    under it stand in one band closed by the rules round a memo cell: they are two rows, and the 'Sisältää'
    rows are memo figures ('(1 012 468,60)' under 'Maa-ja vesialueet 1 514 143'), so 'Myyntitulot yhteensä'
    1 555 569 = 1 514 143 + 66 000 − 24 574 adds up."""
    rec = page_records(SEINAJOKI, (1, 144))
    buildings = [f for f in rec.finance if f.line_label == "Rakennukset" and f.column_label == "Toteutuma"]
    assert sorted(f.amount for f in buildings) == [7000.0, 13413704.0]  # income's sale row prints none
    assert amounts(rec, "Rakennukset", "Talousarvio muutosten jälkeen")[-1][0] == 0.0
    memo = [f for f in rec.finance if f.line_label.startswith("Sisältää")]
    assert len(memo) == 4 and all(f.is_memo for f in memo)
    assert amounts(rec, "Myyntitulot yhteensä", "Toteutuma") == [(1555569.0, 2024, "actual", "EUR")]
    assert all(t.arithmetic_ok is True for t in rec.table_quality) and rec.document.status == "ok"


# Seinäjoki p. 172 '30) Vieras pääoma': '2024' and '2023' each centred over 'Pitkä- aikainen' / 'Lyhyt- aikainen'
# in one shaded heading band, no rule between the group row and the sub-headings
@pytest.mark.parametrize(("label", "column", "expected"), [
    ("Saadut ennakot", "2023 Lyhytaikainen", [3375.00]),
    ("Ostovelat", "2024 Lyhytaikainen", [1543588.70, 10460.98, 41684.59]),
    ("Ostovelat", "2023 Lyhytaikainen", [1594971.15, 9629.60, 33390.47]),
    ("Yhteensä", "2024 Pitkäaikainen", [0.0, 0.0]),
    ("Yhteensä", "2024 Lyhytaikainen", [1543588.70, 1595734.27]),
    ("Yhteensä", "2023 Pitkäaikainen", [0.0, 0.0]),
    ("Yhteensä", "2023 Lyhytaikainen", [1598346.15, 1641366.22]),
])
def test_group_heading_gives_the_sub_columns_their_year(label: str, column: str, expected: list[float]) -> None:
    rec = page_records(SEINAJOKI, (1, 172))
    year = int(column[:4])
    assert amounts(rec, label, column) == [(a, year, "actual", "EUR") for a in expected]


def test_no_figure_of_a_grouped_heading_table_is_without_year() -> None:
    rec = page_records(SEINAJOKI, (1, 172))
    assert len(rec.finance) == 53
    assert not [f for f in rec.finance if f.year is None]
    assert {" ".join(f.column_label.split()) for f in rec.finance if f.table_id == "t1"} == \
        {"2024 Pitkäaikainen", "2024 Lyhytaikainen", "2023 Pitkäaikainen", "2023 Lyhytaikainen"}


def test_a_wrapped_heading_is_no_group() -> None:
    """Kauhava p. 116: 'Talousarvio' / 'muutosten' / 'jälkeen' is one wrapped heading, not a group over its
    neighbours 'Alkuperäinen talousarvio' and 'Talousarvio- muutokset'."""
    rec = page_records(KAUHAVA, (2, 116))
    assert amounts(rec, "TOIMINTATUOTOT", "Alkuperäinen talousarvio") == [(6228970.0, 2024, "budget_original", "EUR")]
    assert amounts(rec, "TOIMINTATUOTOT", "Toteutuma") == [(7725767.34, 2024, "actual", "EUR")]


def test_figures_without_year_are_named() -> None:
    """Seinäjoki p. 145: the investment table's 'Edellisten vuosien käyttö' and 'Kustannukset yhteensä'
    columns print no year; their figures are kept and a warning names the columns."""
    rec = page_records(SEINAJOKI, (1, 145))
    yearless = {" ".join(f.column_label.split()) for f in rec.finance if f.year is None}
    warned = [i for i in rec.issues if i.code == "figure_without_year"]
    assert yearless and [i.severity for i in warned] == ["warning"]
    assert all(f"'{label}'" in warned[0].message for label in yearless)
