"""Simrishamn, Kultur- och fritidsnämnden: the figures of the 'Årsbokslut 2025' (Ekonomi p. 13,
Investeringsredovisning p. 21, Driftredovisning and grants pp. 33-34, a project p. 36) and the document fields
of it and of the 'Budgetskrivelse för investeringar 2027-2031'.

Every expected value was read from the rendered page of the real document (pages are those of the PDF).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

ARSBOKSLUT = "se_simrishamn_kfn_arsbokslut_2025.pdf"
BUDGET = "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"
BOARD = "Kultur- och fritidsnämnden"

# page, unit, line path, column, kind, year, multiplier, amount as printed
Pinned = tuple[int, str, str, str, str, int | None, int, float]
PINNED: list[Pinned] = [
    # p. 13 'Ekonomi (tkr) | 2024 | 2025'
    (13, BOARD, "Intäkter", "2025", "actual", 2025, 1000, 11251),
    (13, BOARD, "Kostnader", "2024", "actual", 2024, 1000, -69731),
    (13, BOARD, "Nettokostnader / Budget", "2025", "budget", 2025, 1000, -63119),
    (13, BOARD, "Nettokostnader / Budgetavvikelse", "2024", "difference", 2024, 1000, 93),
    (13, BOARD, "Nettoinvesteringar / Budgetavvikelse", "2025", "difference", 2025, 1000, -5122),
    # p. 21 'Investeringsredovisning (mnkr)'
    (21, BOARD, "Färdigställda projekt / Inventarier, löpande", "Varav årets investeringar Utfall 2025", "actual",
     2025, 1_000_000, 0.617),
    (21, BOARD, "Pågående projekt / Teknik/digital utveckling, bibliotek (6015, 6119)",
     "Utgifter sedan projektets start Avvikelse", "difference", None, 1_000_000, -0.092),
    (21, BOARD, "Pågående projekt / Ny teknik bowlinghall Korsavad (6154)",
     "Utgifter sedan projektets start Ack. Utfall", "cumulative", None, 1_000_000, 2.117),
    (21, BOARD, "Summa investeringsprojekt", "Varav årets investeringar Budget 2025", "budget", 2025, 1_000_000,
     10.525),
    (21, BOARD, "Summa investeringsprojekt", "Varav årets investeringar Budgetavvikelse", "difference", 2025,
     1_000_000, 5.124),
    # p. 33 'Driftredovisning', 'Verksamheter (tkr) | Utfall 2025 | Budget 2025 | Återstår'
    (33, BOARD, "Allmän fritidsverksamhet", "Utfall 2025", "actual", 2025, 1000, -6279),  # printed '- 6 279'
    (33, BOARD, "Alkoholtillstånd", "Återstår", "difference", 2025, 1000, 1),
    (33, BOARD, "Idrotts- och fritidsanläggning", "Återstår", "difference", 2025, 1000, -950),
    (33, BOARD, "Summa totalt", "Budget 2025", "budget", 2025, 1000, -63119),
    # p. 33 'Bidrag', 'Allmän kulturverksamhet': 'Bidrag, tkr | Bokslut 2023 ... | Antal 2025'
    (33, "Allmän kulturverksamhet", "Studieförbundsbidrag", "Budget 2025", "budget", 2025, 1000, -400),  # '-400*'
    (33, "Allmän kulturverksamhet", "Totalt", "Bokslut 2024", "actual", 2024, 1000, -1559),
    # p. 34 'Anläggning, Fritids- och föreningsutveckling': 'Budget 2025' stands before 'Bokslut 2025'
    (34, "Anläggning, Fritids- och föreningsutveckling", "Driftbidrag", "Budget 2025", "budget", 2025, 1000, -925),
    (34, "Anläggning, Fritids- och föreningsutveckling", "Utvecklingsbidrag", "Bokslut 2025", "actual", 2025, 1000,
     -198),
    (34, "Anläggning, Fritids- och föreningsutveckling", "Totalt", "Bokslut 2025", "actual", 2025, 1000, -1947),
    # p. 36 'Projekt', 'Ungdomsverksamhet': 'Projekt, tkr | 2025'
    (36, "Ungdomsverksamhet", "More Than One Story / Överskott överfört från 2025", "2025", "actual", 2025, 1000,
     226),
]


def _arsbokslut(corpus_dir: Path) -> RecordSet:
    return page_records(corpus_dir / "real" / ARSBOKSLUT, tuple(range(1, 38)))


def _one(records: RecordSet, page: int, path: str, column: str) -> FinanceFigure:
    found = [f for f in records.finance if f.page == page and f.line_path == path and f.column_label == column]
    assert len(found) == 1, sorted({(f.line_path, f.column_label) for f in records.finance if f.page == page})
    return found[0]


@pytest.mark.parametrize("pinned", PINNED, ids=[f"p{p[0]}-{p[2][:24]}-{p[3][-12:]}" for p in PINNED])
def test_arsbokslut_figures(corpus_dir: Path, pinned: Pinned) -> None:
    page, unit, path, column, kind, year, multiplier, amount = pinned
    figure = _one(_arsbokslut(corpus_dir), page, path, column)
    assert (figure.unit_name, figure.figure_kind, figure.year, figure.unit, figure.multiplier) == \
        (unit, kind, year, "SEK", multiplier)
    assert figure.amount == pytest.approx(amount)
    assert figure.value == pytest.approx(amount * multiplier)


def test_grant_counts_are_counts_of_the_heading_area(corpus_dir: Path) -> None:
    """p. 34: 'Antal 2023 | Antal 2024 | Antal 2025' of 'Stöd till föreningar verksamma inom socialnämndens
    område' print 5 | 8 | 6 (grants, not kronor); every figure of that table is the area's."""
    records = _arsbokslut(corpus_dir)
    counts = sorted((f.column_label, f.amount, f.unit, f.figure_kind) for f in records.finance if f.page == 34
                    and f.line_label == "Stöd till föreningar verksamma inom socialnämndens område"
                    and f.column_label.startswith("Antal"))
    assert counts == [("Antal 2023", 5, "count", "count"), ("Antal 2024", 8, "count", "count"),
                      ("Antal 2025", 6, "count", "count")]
    assert {f.unit_name for f in records.finance if f.page == 34} == {"Anläggning, Fritids- och föreningsutveckling"}


@pytest.mark.parametrize(("name", "title", "years"), [
    # p. 1 prints '2025 Årsbokslut'; every page's footer '2025 ÅRSBOKSLUT 2026-02-01.DOCX SID 1 (36)' names the
    # file it was printed from, no title
    (ARSBOKSLUT, "2025 Årsbokslut", (2025, 2025, 2025)),
    # p. 1 prints 'Budgetskrivelse för investeringar 2027-2031' (a sheet's 2032 on p. 21 is after the period)
    (BUDGET, "Budgetskrivelse för investeringar 2027-2031", (2027, 2027, 2031)),
], ids=["arsbokslut", "budgetskrivelse"])
def test_title_and_period(corpus_dir: Path, name: str, title: str, years: tuple[int, int, int]) -> None:
    pages = 37 if name == ARSBOKSLUT else 26
    document = page_records(corpus_dir / "real" / name, tuple(range(1, pages + 1))).document
    assert document.title == title
    assert (document.budget_year, document.plan_start_year, document.plan_end_year) == years


def test_a_projects_years_listed_are_no_number(corpus_dir: Path) -> None:
    """Budgetskrivelse p. 13: 'Projektets genomförandeperiod | 2027,2028' (the sheet of project (8)) lists two
    years; the `tables` cell keeps the text and no number (it was 2027.2028)."""
    records = page_records(corpus_dir / "real" / BUDGET, tuple(range(1, 27)))
    cells = [c for c in records.tables if c.page == 13 and c.text == "2027,2028"]
    assert len(cells) == 1 and cells[0].number is None


def test_stars_around_a_sheets_heading_are_no_part_of_its_label(corpus_dir: Path) -> None:
    """Budgetskrivelse p. 26 prints the heading '**Projekt - Reinvesteringar **' over 'Investeringsutgift |
    Årligen 1200 tkr.'"""
    records = page_records(corpus_dir / "real" / BUDGET, tuple(range(1, 27)))
    figure = _one(records, 26, "Projekt - Reinvesteringar / Investeringsutgift", "Årligen")
    assert (figure.unit_name, figure.figure_kind, figure.year, figure.amount, figure.multiplier) == \
        (BOARD, "other", None, 1200, 1000)


def test_a_sheet_heading_with_a_number_only_takes_the_projects_name(corpus_dir: Path) -> None:
    """Budgetskrivelse p. 23: heading 'Projekt (19) | Projektbeskrivning', then 'Projektnamn | Belysning A-plan
    Korsavad', 'Investeringsutgift | 2030: 1400 tkr', the operating cost '25 tkr årligen'; p. 13: 'Projekt (9)'
    has no 'Projektnamn' row and keeps its heading ('Årligen 500 tkr.')."""
    records = page_records(corpus_dir / "real" / BUDGET, tuple(range(1, 27)))
    figure = _one(records, 23, "Projekt (19) - Belysning A-plan Korsavad / Investeringsutgift", "2030")
    assert (figure.figure_kind, figure.year, figure.amount, figure.multiplier) == ("plan", 2030, 1400, 1000)
    yearly = _one(records, 13, "Projekt (9) / Investeringsutgift", "Årligen")
    assert (yearly.figure_kind, yearly.year, yearly.amount) == ("other", None, 500)
