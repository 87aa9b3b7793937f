"""Row paths of `tables` cells: the label cells left of a cell, less a column naming each row's domicile.

Every expected value was read from the rendered page of the real document (pages are those of the PDF).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from extractors.row_attributes import is_place_column
from extractors.scales import names_scenario
from models import RecordSet
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


@cache
def records(pdf: Path, pages: tuple[int, ...]) -> RecordSet:
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    return process_file(cut_pages(pdf, pages, Path("/tmp") / "plandata-test-pages"))[1]


def cell(rec: RecordSet, page: int, text: str, row_label: str) -> list[str]:
    """The row path of the one cell printing `text` on the cut page whose row path ends in `row_label`."""
    found = [c for c in rec.tables if c.page == page and c.text == text and c.row_path and c.row_path[-1] == row_label]
    assert len(found) == 1, [(c.text, c.row_path) for c in rec.tables if c.page == page and c.text == text]
    return found[0].row_path


# Seinäjoki 2024 p. 167 ('Nimi | Kotipaikka | Kaupungin omistusosuus % | ...') and p. 168 (no heading over
# the domicile): the place is its own cell, never part of the company's name.
@pytest.mark.parametrize(("page", "text", "label", "path"), [
    (1, "870", "Rengonharju-säätiö", ["Rengonharju-säätiö"]),
    (1, "Ilmajoki", "Rengonharju-säätiö", ["Rengonharju-säätiö"]),
    (1, "100 132", "Sevas Kodit Oy", ["Sevas Kodit Oy"]),
    (1, "93,8", "Rytmikorjaamo Oy", ["Rytmikorjaamo Oy"]),
    (2, "11 924", "Lakeuden Etappi Oy", ["Osakkuusyhteisöt", "Lakeuden Etappi Oy"]),
    (2, "Kurikka", "Kiinteistö Oy Kurikan kampus", ["Kuntayhtymät", "Kiinteistö Oy Kurikan kampus"]),
    (2, "30 115", "Seinäjoen Koulutuskuntayhtymä", ["Kuntayhtymät", "Seinäjoen Koulutuskuntayhtymä"]),
])
def test_seinajoki_ownership_rows_without_domicile(page: int, text: str, label: str, path: list[str]) -> None:
    assert cell(records(SEINAJOKI, (167, 168)), page, text, label) == path


def test_no_row_path_holds_the_domicile() -> None:
    rec = records(SEINAJOKI, (167, 168))
    assert rec.tables
    assert not [c.row_path for c in rec.tables if any(p.endswith((" Seinäjoki", " Lapua", " Ilmajoki", " Kurikka"))
                                                      for p in c.row_path)]


@pytest.mark.parametrize(("texts", "expected"), [
    (["Seinäjoki", "Seinäjoki", "Ilmajoki", "Lapua"], True),
    (["Seinäjoki", "Kurikka", "Ilmajoki"], False),  # most names unlisted: no evidence
    (["Seinäjoki", "Lapua"], False),  # too few rows
    (["menot", "tulot", "netto"], False),
    (["Seinäjoki", "Lapua", "Seinäjoen kaupunki"], False),  # not one place name per cell
])
def test_place_column(texts: list[str], expected: bool) -> None:
    assert is_place_column(texts, "fi") is expected


# Seinäjoki 2024 p. 180 ('KORKOHERKKYYS'): each bank's name stands on its own line over its figures, and
# '-1 % | 0 % | 1 %' under 'Muutos korkotasossa (%-yksikköä)' heads the three columns of effects.
@pytest.mark.parametrize(("text", "bank", "scenario"), [
    ("235 513 733", "Osuuspankki", None),
    ("-32 076 487,33", "Osuuspankki", "-1 %"),
    ("-3 567 672,17", "Osuuspankki", "0 %"),
    ("23 228 486,20", "Osuuspankki", "1 %"),
    ("45 000 000,00", "Nordea", None),
    ("4 932 603,00", "Nordea", "0 %"),
    ("-1 695 715,00", "Danske Bank", "-1 %"),
    ("1 675 626,00", "Danske Bank", "1 %"),
    ("315 513 733,00", "Yhteensä", None),
    ("32 976 804,20", "Yhteensä", "1 %"),
])
def test_seinajoki_bank_names_over_their_figures(text: str, bank: str, scenario: str | None) -> None:
    found = [c for c in records(SEINAJOKI, (180,)).tables if c.text == text]
    assert len(found) == 1, [(c.text, c.row_path) for c in records(SEINAJOKI, (180,)).tables]
    assert found[0].row_path == [bank]
    assert (found[0].header_path[-1] == scenario) if scenario else ("%" not in found[0].header_path[-1])


def test_seinajoki_interest_table_has_no_row_without_label() -> None:
    cells = records(SEINAJOKI, (180,)).tables
    assert len(cells) == 20  # 4 rows of a name and 4 figures, as printed
    assert not [c for c in cells if not c.row_path or c.text.endswith("%")]


@pytest.mark.parametrize(("heading", "expected"), [
    ("KORKOHERKKYYS Muutos korkotasossa -1 %", True),
    ("KORKOHERKKYYS (%-yksikköä) 0 %", True),
    ("+0,5 %", True),
    ("Muutos %", False),
    ("Tot-%", False),
    ("Muutos% TA 2024-2025", False),
    ("(%-yksikköä)", False),
])
def test_scenario_headings(heading: str, expected: bool) -> None:
    assert names_scenario(heading) is expected


# p. 180 read as finance: every figure in euros as printed (the headings' '%' names the scenario), of no
# year nor kind; each column's total row is the sum of the banks' (235 513 733 + 45 000 000 + 35 000 000).
@pytest.mark.parametrize(("bank", "printed", "amount"), [
    ("Osuuspankki", "235 513 733", 235513733.0),
    ("Osuuspankki", "-32 076 487,33", -32076487.33),
    ("Nordea", "4 932 603,00", 4932603.0),
    ("Danske Bank", "1 675 626,00", 1675626.0),
    ("Yhteensä", "315 513 733,00", 315513733.0),
    ("Yhteensä", "1 577 131,83", 1577131.83),
])
def test_seinajoki_interest_figures_are_euros(bank: str, printed: str, amount: float) -> None:
    found = [f for f in records(SEINAJOKI, (1, 180)).finance if f.page == 2 and f.printed == printed]
    assert len(found) == 1
    f = found[0]
    assert (f.line_label, f.amount, f.unit, f.multiplier, f.figure_kind, f.year) == \
        (bank, amount, "EUR", 1, "other", None)
