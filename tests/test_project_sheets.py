"""Project sheets of a Swedish investment budget (Simrishamn, Kultur- och fritidsnämnden, 'Budgetskrivelse för
investeringar 2027-2031', pp. 5-26): one shaded, unruled two-column table per project ('Projekt (2) -
Valfisken | Projektbeskrivning'), whose amounts are printed in words of a text cell ('1450 tkr 2027, 750 tkr
2028. Projektets totala kalkylerade utgifter uppgår till 2 200 tkr.').

Every expected value was read from the rendered page of the real document (pages are those of the PDF).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.completeness import is_running_text, record_unread_amounts
from extractors.pipeline import process_file
from extractors.scaled_amounts import scaled_amounts
from models import Block, PlanDocument, Provenance, RecordSet
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
BUDGET = REAL / "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"


def _read(text: str) -> list[tuple[float, str, int, int | None, bool, bool, bool]]:
    return [(a.amount, a.unit, a.multiplier, a.year, a.yearly, a.total, a.example) for a in scaled_amounts(text, "sv")]


@pytest.mark.parametrize(("text", "expected"), [
    # p. 6, Valfisken: the year after the amount, the whole in its own sentence
    ("1450 tkr 2027, 750 tkr 2028. Projektets totala kalkylerade utgifter uppgår till 2 200 tkr.",
     [(1450, "SEK", 1000, 2027, False, False, False), (750, "SEK", 1000, 2028, False, False, False),
      (2200, "SEK", 1000, None, False, True, False)]),
    # p. 7, Hafreborg: the year before the amount ('2027 400 tkr' is no number 2 027 400)
    ("2027 400 tkr. 2028 100 tkr. Projektets totala kalkylerade utgifter uppgår till 4 024 tkr.",
     [(400, "SEK", 1000, 2027, False, False, False), (100, "SEK", 1000, 2028, False, False, False),
      (4024, "SEK", 1000, None, False, True, False)]),
    # p. 5, Korsavad: '2027 1 000 tkr' is 1 000 in 2027
    ("2027 1 000 tkr. 2028 500 tkr.", [(1000, "SEK", 1000, 2027, False, False, False),
                                       (500, "SEK", 1000, 2028, False, False, False)]),
    ("Årligen 150 tkr.", [(150, "SEK", 1000, None, True, False, False)]),  # p. 10
    # p. 10, the operating cost a yearly amount adds from a year on
    ("Från och med år 2026 tillkommer driftkostnad med 50 tkr årligen. Driftkostnader kan öka",
     [(50, "SEK", 1000, 2026, True, False, False)]),
    ("50 tkr/år", [(50, "SEK", 1000, None, True, False, False)]),  # p. 19
    ("2027: 22 000 tkr", [(22000, "SEK", 1000, 2027, False, False, False)]),  # p. 11
    # p. 25, the form's guidance: example amounts, a span of years gives no single year
    ("T.ex.: År 2027: 3 000 tkr. År 2028–2031: 2 000 tkr respektive år.",
     [(3000, "SEK", 1000, 2027, False, False, True), (2000, "SEK", 1000, None, True, False, True)]),
    ("Överskottet blev 2,5 mnkr.", [(2.5, "SEK", 1000000, None, False, False, False)]),
    # no scale word: a bare currency, a question naming the unit
    ("Bidraget är 5 000 kr.", []),
    ("Vilken driftseffekt, exkl. kapitalkostnader, får projektet i tkr?", []),
])
def test_scaled_amounts(text: str, expected: list[tuple]) -> None:
    assert _read(text) == expected


ARSBOKSLUT = REAL / "se_simrishamn_kfn_arsbokslut_2025.pdf"
Pinned = tuple[int, str, str, str, int | None, str, float]  # page, project heading, line, column, year, kind, amount


@cache
def cut(pdf: Path, pages: tuple[int, ...]) -> RecordSet:
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    return process_file(cut_pages(pdf, pages, Path("/tmp") / "plandata-test-pages"))[1]


def records(pages: tuple[int, ...]) -> RecordSet:
    return cut(BUDGET, pages)


OPERATING = "Vilken driftseffekt, exkl. kapitalkostnader, får projektet tkr?"
P16 = "Projekt (16) - Inköp och montering av kompaktsystem och entresolvåning"
P17 = "Projekt (17) - Iordningsställande och besöksmålsanpassning Rian med kringmiljö"
# pp. 4, 5 (the summary 'Budget 2027 | Plan 2028 ...', which gives the budget year), 6, 7, 10, 12 and 20 of the PDF
PAGES = (4, 5, 6, 7, 10, 12, 20)
PINNED: list[Pinned] = [
    (6, "Projekt (2) - Valfisken", "Investeringsutgift", "2027", 2027, "budget", 1450),
    (6, "Projekt (2) - Valfisken", "Investeringsutgift", "2028", 2028, "plan", 750),
    (6, "Projekt (2) - Valfisken", "Investeringsutgift", "Totalt", None, "total", 2200),
    (7, "Projekt (3) - Hafreborg", "Investeringsutgift", "2027", 2027, "budget", 400),
    (7, "Projekt (3) - Hafreborg", "Investeringsutgift", "2028", 2028, "plan", 100),
    (7, "Projekt (3) - Hafreborg", "Investeringsutgift", "Totalt", None, "total", 4024),
    (12, "Projekt (8) - Ny kontgräsplan Korsavad", "Investeringsutgift", "2027", 2027, "budget", 10000),
    (12, "Projekt (8) - Ny kontgräsplan Korsavad", OPERATING, "", None, "other", 50),
    # p. 20: the headings 'Projekt (16)', 'Projekt (17)' name no project; their 'Projektnamn' rows do
    (20, P16, "Investeringsutgift", "2029", 2029, "plan", 300),
    (20, P16, "Investeringsutgift", "2030", 2030, "plan", 500),
    (20, P16, "Investeringsutgift", "Totalt", None, "total", 800),
    (20, P17, "Investeringsutgift", "2028", 2028, "plan", 600),
    (20, P17, "Investeringsutgift", "2029", 2029, "plan", 600),
    (5, "Projekt (1) - Korsavadanl (6289)", "Investeringsutgift", "2027", 2027, "budget", 1000),
    (5, "Projekt (1) - Korsavadanl (6289)", "Vilken driftseffekt, exkl. kapitalkostnader, får projektet i tkr?",
     "Årligen", None, "other", 100),
    # p. 10: 'Årligen 150 tkr.'; 'Från och med år 2026 tillkommer driftkostnad med 50 tkr årligen.'
    (10, "Projekt (6) - Digitalisering bibliotek (6290)", "Investeringsutgift", "Årligen", None, "other", 150),
    (10, "Projekt (6) - Digitalisering bibliotek (6290)",
     "Vilken driftseffekt, exkl. kapitalkostnader, får projektet i tkr?", "Årligen", 2026, "other", 50),
]


@pytest.mark.parametrize("pinned", PINNED, ids=[f"p{p[0]}-{p[1][:12]}-{p[3] or 'none'}" for p in PINNED])
def test_project_sheet_figures(pinned: Pinned) -> None:
    page, heading, line, column, year, kind, amount = pinned
    rec = records(PAGES)
    on_page = PAGES.index(page) + 1
    found = [f for f in rec.finance if f.line_path == f"{heading} / {line}" and f.column_label == column]
    assert len(found) == 1, [(f.line_path, f.column_label) for f in rec.finance if f.page == on_page]
    figure = found[0]
    assert (figure.page, figure.year, figure.figure_kind, figure.amount, figure.unit, figure.multiplier,
            figure.value) == (on_page, year, kind, amount, "SEK", 1000, amount * 1000)
    assert figure.bbox is not None and figure.printed.endswith("tkr")


def test_project_sheets_are_shaded_two_column_tables() -> None:
    """Each project sheet is one table (drawn by its cells' shading, no rules), continued over the page
    break (Valfisken, pp. 6-7), with kind 'finance'; the summary table on pp. 4-5 keeps its figures."""
    rec = records(PAGES)
    quality = {q.table_id: q for q in rec.table_quality}
    sheets = {f.table_id for f in rec.finance if f.line_path and f.line_path.startswith("Projekt (2) - Valfisken")}
    assert len(sheets) == 1
    sheet = quality[sheets.pop()]
    assert (sheet.table_kind, sheet.columns, sheet.ruled, sheet.pages) == ("finance", 2, False, [3, 4])
    cells = [c for c in rec.tables if c.table_id == sheet.table_id]
    spent = next(c for c in cells if c.column == 1 and c.text.startswith("1450 tkr 2027"))
    assert spent.number is None  # a text cell of three amounts is given none of them
    assert not [c for c in cells if c.number is not None]  # 'Status | Ny' neither
    summary = [f for f in rec.finance if f.line_label == "Valfisken inklusive gamingrum"]
    assert {(f.column_label, f.amount) for f in summary} >= {("Budget 2027", 1450), ("Plan 2028", 750),
                                                                ("Total utgift", 2200)}
    assert not [i for i in rec.issues if i.code == "amounts_not_read"]


def test_form_example_is_no_figure() -> None:
    """p. 25, the form's guidance cell 'T.ex.: År 2027: 3 000 tkr. År 2028–2031: 2 000 tkr respektive år.'
    gives no figure."""
    rec = records((25,))
    assert not [f for f in rec.finance if f.amount in (3000, 2000, 10000, 50, 100)]


def test_amounts_in_running_text_are_named_but_leave_the_status() -> None:
    """Årsbokslut 2025 p. 14: 'Under året har 5,4 mnkr av den totala investeringsbudgeten på 10,5 mnkr nyttjats.'
    prints amounts in paragraphs of running text on a page with no finance table: the narrative's mentions of
    figures, which no dataset holds. One `amounts_in_text` info names the page and the amounts; no
    `amounts_not_read` warning, so they alone do not make the document partial."""
    rec = cut(ARSBOKSLUT, (14,))
    assert not [i for i in rec.issues if i.code == "amounts_not_read"]
    named = [i for i in rec.issues if i.code == "amounts_in_text"]
    assert len(named) == 1 and named[0].page == 1 and named[0].severity == "info"
    assert "'0,4 mnkr', '5,4 mnkr', '10,5 mnkr'" in named[0].message
    assert not rec.finance


@pytest.mark.parametrize(("text", "running"), [
    # paragraphs of Simrishamn årsbokslut 2025 p. 14 and Kauhava tilinpäätös 2024 p. 16
    ("Under året har 5,4 mnkr av den totala investeringsbudgeten på 10,5 mnkr nyttjats.", True),
    ("Tilinpäätössiirtoja kertyi yhteensä hieman yli 0,1 miljoonaa euroa.", True),
    # a paragraph cut at the page's end (Lapua ympäristölautakunta 2022-01-25 p. 8) and a list item ending in a
    # comma (Seinäjoki tilinpäätös 2024 p. 33)
    ("Merkittävät investoinnit vuosina 2018-2020 ovat lisänneet kaupungin velkamäärää. Vuoden 2022 merkittävin "
     "investointi on 2,7 milj. euron päiväkoti-investointi. Vuoden", True),
    ("- Lintuviidan palvelutalon peruskorjaus ja laajennus: Linnanradan päiväkoti valmistui (6 milj. euroa vuoden "
     "2024 toteuma),", True),
    # a 'label: value' line of a list (Seinäjoki tilinpäätös 2024 p. 19): a figure no dataset holds
    ("- Tilikauden tulos: vähintään 10 miljoonaa euroa", False),
    # the text of a project sheet's cells (Simrishamn budgetskrivelse pp. 9, 10, 11, 21) when no table holds them
    ("Investeringsutgift 2027 250 tkr, 2028 100 tkr", False),
    ("Investeringsutgift Årligen 150 tkr.", False),
    ("Investeringsutgift 2027: 22 000 tkr", False),
    ("Investeringsutgift 2030 300 tkr. 2031 2 000 tkr. 2032 1 000 tkr. Projektets totala kalkylerade utgifter "
     "uppgår till 3 300 tkr.", False),
])
def test_running_text_is_told_from_a_form(text: str, running: bool) -> None:
    assert is_running_text(text) is running


def test_amounts_of_a_form_outside_every_table_make_the_document_partial() -> None:
    """Budgetskrivelse p. 10 read with no table finder for shaded cells would lose 'Investeringsutgift Årligen
    150 tkr.': the page's text outside every table, read as a form's, gives the `amounts_not_read` warning."""
    doc = PlanDocument(document_id="d", source_path="p.pdf", source_format="pdf", language="sv",
                       items=[Block(kind="paragraph", text="Investeringsutgift Årligen 150 tkr.",
                                    prov=Provenance(page=10))])
    record_unread_amounts(doc, finance_pages=set())
    unread = [i for i in doc.issues if i.code == "amounts_not_read"]
    assert len(unread) == 1 and unread[0].page == 10 and "'150 tkr'" in unread[0].message


def test_goals_beside_status_marks_stay_goals() -> None:
    """Årsbokslut 2025 p. 26: 'Nämndmål | Bedömning' is drawn like a project sheet (shaded cells, no rules), but
    its second column holds coloured status dots, no text: no label-beside-text table, so the goal reader still
    reads both goals with their green dots."""
    rec = cut(ARSBOKSLUT, (26,))
    goals = {g.goal: g.status for g in rec.goals}
    assert goals["Arbeta för en livskraftig landsbygd."] == "achieved"
    assert goals["Bevara och utveckla Simrishamns och Österlens attraktivitet genom möjligheterna i kulturarvet, "
                 "kulturmiljön, kulturlivet och landskapets värden."] == "achieved"
