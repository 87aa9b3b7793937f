"""Rows of Seinäjoki's statements read as printed: a cash-flow section heading at its group's indent starts a
section of its own, two labels on one shaded box stay two rows, a group total printed beside an item is never
that item's figure, and a reconciliation's closing row is no sum of the rows above it.

Values read from the rendered pages of Seinäjoki's financial statement 2024 (1-based PDF pages): p. 72
(printed 69, 'Konsernin rahoituslaskelma ja sen tunnusluvut', in 1 000 €), p. 53 (printed 50, the income
statement 'Ulkoinen'), p. 25 (printed 22, 'TULOSLASKELMA (ULKOINEN)' in euros), p. 67 (printed 64,
'KOKONAISTULOT JA -MENOT VUODELTA 2024'), p. 106 (printed 102, '590 NUORISOPALVELUT', a column of figures
printed under no heading). The last test draws p. 106's layout under two titles, a statement's and a budget's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extractors.link.finance import line_key_of
from extractors.pipeline import process_file
from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def records(page: int) -> RecordSet:
    return page_records(SEINAJOKI, (1, page))


def figure(rec: RecordSet, label: str, year: int) -> FinanceFigure:
    found = [f for f in rec.finance if f.page == 2 and f.line_label == label and f.year == year
             and f.unit == "EUR"]
    assert len(found) == 1, f"{label} {year}: {[(f.line_path, f.year, f.printed) for f in rec.finance][:40]}"
    return found[0]


@pytest.mark.parametrize(("label", "year", "path", "key", "amount"), [
    ("Investointimenot", 2024, "Investointien rahavirta / Investointimenot", "investment_expenditure", -98485),
    ("Rahoitusosuudet investointimenoihin", 2023, "Investointien rahavirta / Rahoitusosuudet investointimenoihin",
     "investment_contributions", 997),
    ("Pysyvien vastaavien hyödykkeiden luovutustulot", 2024,
     "Investointien rahavirta / Pysyvien vastaavien hyödykkeiden luovutustulot", "disposal_proceeds", 1258),
    # the sections around it keep theirs
    ("Tulorahoituksen korjauserät", 2023, "Toiminnan rahavirta / Tulorahoituksen korjauserät",
     "income_financing_adjustments", 8697),
    ("Antolainasaamisten lisäykset", 2024, "Rahoituksen rahavirta / Antolainasaamisten lisäykset",
     "lending_increase", -250),
])
def test_investment_cash_flow_is_a_section_of_its_own(label: str, year: int, path: str, key: str,
                                                       amount: float) -> None:
    found = figure(records(72), label, year)
    assert (found.line_path, found.line_key, found.amount, found.multiplier) == (path, key, amount, 1000)


def test_two_labels_on_one_shaded_box_stay_two_rows() -> None:
    rec = records(53)
    labels = {f.line_label for f in rec.finance}
    assert "Varausten muutos Rahastojen lisäys (-) tai vähennys (+)" not in labels
    found = figure(rec, "Rahastojen lisäys (-) tai vähennys (+)", 2023)
    assert (found.line_key, found.amount, found.figure_kind) == ("funds_change", -1, "actual")
    # 'Varausten muutos' prints no figure in any column
    assert not [f for f in rec.finance if f.line_label == "Varausten muutos"]


@pytest.mark.parametrize(("year", "amount"), [(2024, 196783263.95), (2023, 199661831.31)])
def test_unnamed_group_total_is_not_the_rows_figure(year: int, amount: float) -> None:
    """'Muut rahoituskulut  -181 597,11  196 783 263,95': the right figure adds Verotulot, Valtionosuudet and
    the financial items (printed under '** Toimintakate', a row with figures, so no heading names it)."""
    rec = records(25)
    right = [f for f in rec.finance if f.amount == amount]
    assert len(right) == 1
    assert (right[0].line_label, right[0].line_key, right[0].year) == ("", None, year)
    assert right[0].line_path == "Verotulot … Muut rahoituskulut"
    # its series in `compare` is named by that path, not shared by every unlabelled total
    assert line_key_of(right[0]).startswith("label:verotulot")
    item = [f for f in rec.finance if f.line_label == "Muut rahoituskulut" and f.year == year]
    assert [f.amount for f in item] == [{2024: -181597.11, 2023: -182644.09}[year]]


def test_reconciliation_total_is_no_sum() -> None:
    """'Erotus 2 727' / 'Täsmäytys' / 'Muut maksuvalmiuden muutokset -5 946' / 'Kassavarojen muutos -3 220' /
    'Yhteensä 2 727': the closing row restates the difference; the totals above still add up
    (Kokonaistulot yhteensä 339 250, Kokonaismenot yhteensä 336 523)."""
    rec = records(67)
    assert [f.amount for f in rec.finance if f.line_label == "Yhteensä"] == [2727]
    assert not [v for v in rec.validation if v.check == "total_row" and v.severity != "info"]
    totals = {f.line_label: f.amount for f in rec.finance if f.line_label.endswith("yhteensä") and f.unit == "EUR"}
    assert totals == {"Kokonaistulot yhteensä": 339250, "Kokonaismenot yhteensä": 336523}


@pytest.mark.parametrize(("path", "amount", "difference"), [
    ("Toimintatulot / Yhteensä", 425769, 20969),
    ("Toimintamenot / Yhteensä", 2866441, 20759),
    ("Netto (Toimintakate)", -2440672, 41728),
])
def test_blank_headed_column_compared_with_the_budget_is_actual(path: str, amount: float, difference: float) -> None:
    """p. 106 (printed 102), '590 NUORISOPALVELUT': 'Talous | Talousarvio € | (no heading) | Poikkeama €'; the
    blank column is what the difference compares the budget with (404 800 → 425 769: 20 969): in a financial
    statement the realised figures, of the budget's year."""
    rec = records(106)
    found = [f for f in rec.finance if f.line_path == path and f.col_index == 3]
    assert [(f.amount, f.figure_kind, f.year, f.column_label) for f in found] == [(amount, "actual", 2024, "")]
    beside = [f for f in rec.finance if f.line_path == path and f.figure_kind == "difference"]
    assert [f.amount for f in beside] == [difference]
    assert not [i for i in rec.issues if i.code == "unnamed_column"]


def _headless_column_pdf(path: Path, title: str) -> Path:
    """The layout of p. 106 under a title: 'Talousarvio € | (no heading) | Poikkeama €'."""
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(60, 780, title)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(60, 700, "Talous")
    for text, right in (("Talousarvio €", 300.0), ("Poikkeama €", 460.0)):
        canvas.drawRightString(right, 700, text)
    canvas.setFont("Helvetica", 9)
    rows = [("Toimintatuotot", "404 800", "425 769", "20 969"), ("Toimintakulut", "-2 887 200", "-2 866 441", "20 759"),
            ("Toimintakate", "-2 482 400", "-2 440 672", "41 728")]
    for index, (label, *figures) in enumerate(rows):
        y = 686 - 14 * index
        canvas.drawString(60, y, label)
        for right, text in zip((300, 380, 460), figures, strict=True):
            canvas.drawRightString(right, y, text)
    canvas.save()
    return path


@pytest.mark.parametrize(("title", "kind", "year", "warned"), [
    ("Kaupungin tilinpäätös 2024", "actual", 2024, False),
    ("Lautakunnan talousarvio 2024", "other", None, True),  # no statement: nothing says what was compared
])
def test_headless_column_kind_needs_a_statement(tmp_path: Path, title: str, kind: str, year: int | None,
                                                warned: bool) -> None:
    rec = process_file(_headless_column_pdf(tmp_path / "headless.pdf", title))[1]
    found = {(f.line_label, f.figure_kind, f.year, f.amount) for f in rec.finance if f.col_index == 2}
    assert found == {("Toimintatuotot", kind, year, 425769), ("Toimintakulut", kind, year, -2866441),
                     ("Toimintakate", kind, year, -2440672)}
    assert bool([i for i in rec.issues if i.code == "unnamed_column" and i.severity == "warning"]) == warned


@pytest.mark.parametrize(("label", "year", "key", "amount"), [
    ("Pysyvien vastaavien hyödykkeiden luovutustulot", 2024, "disposal_proceeds", 1585843.07),
    ("Pysyvien vastaavien hyödykkeiden luovutustulot", 2023, "disposal_proceeds", -5949796.84),
    ("Investointien rahavirta", 2024, "investment_cash_flow", -39918828.56),
    ("Investointien rahavirta", 2023, "investment_cash_flow", -38737619.68),
])
def test_wrapped_label_with_the_groups_total_on_its_second_line(label: str, year: int, key: str,
                                                                  amount: float) -> None:
    """p. 150 (printed 145), 'RAHOITUSLASKELMA (ULKOINEN)': 'Pysyvien vastaavien hyödyk-  1 585 843,07' /
    'keiden luovutustulot  -39 918 828,56' is one row, its item on the first line and the investment cash
    flow's total (-41 747 471,63 + 242 800,00 + 1 585 843,07) in the right column on the second."""
    found = figure(records(150), label, year)
    assert (found.line_key, found.amount) == (key, amount)
    assert not [f for f in records(150).finance if "keiden luovutustulot" == f.line_label]
