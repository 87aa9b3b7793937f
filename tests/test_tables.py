"""Tables found from layout alone, kept whatever they hold, with header and row paths.

Every expected value here was read from the rendered page of the real document or case (page numbers
are those of the PDF). Long documents are cut to the pages under test (a real PDF of those pages).
"""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extractors.lexicon import classify_line
from extractors.pipeline import process_file
from models import RecordSet, TableCell
from tests.pdf_pages import cut_pages

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "corpus" / "real"
CASES = REPO.parent / "shared" / "cases"
ZW = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def fold(text: str) -> str:
    return " ".join(ZW.sub("", text).split())


@cache
def records(pdf: Path, pages: tuple[int, ...] = ()) -> RecordSet:
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    path = cut_pages(pdf, pages, Path("/tmp") / "plandata-test-pages") if pages else pdf
    return process_file(path)[1]


def cell(rec: RecordSet, row_path: list[str], header_path: list[str]) -> TableCell:
    """The one cell under that row path and heading path."""
    found = [c for c in rec.tables if [fold(p) for p in c.row_path] == row_path
             and [fold(h) for h in c.header_path] == header_path]
    assert len(found) == 1, f"{row_path} × {header_path}: {len(found)} cells " \
        f"(rows: {sorted({tuple(fold(p) for p in c.row_path) for c in rec.tables})[:12]})"
    return found[0]


# -- Seinäjoki, 8.1: a budget table whose sub-rows stand under their group rows (page 81) ------------

SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


@pytest.mark.parametrize(("row_path", "heading", "printed"), [
    (["Toimintatulot", "Alkuperäinen"], "Talousarvio €", "2 000 400"),
    (["Toimintatulot", "Kv 27.5. §45 Muutos"], "Talousarvio €", "-1 000 000"),
    (["Toimintatulot", "Kv 9.12. §98 Muutos"], "Talousarvio €", "4 722 000"),
    (["Toimintatulot", "Yhteensä"], "Toteutuma €", "5 805 607"),
    (["Toimintamenot", "Kv 22.4. §26 Muutos"], "Talousarvio €", "-31 000"),
    (["Toimintamenot", "Yhteensä"], "Poikkeama €", "880 884"),
    (["Netto (Toimintakate)"], "Toteutuma €", "359 691"),
])
def test_seinajoki_sub_rows_keep_their_group(row_path: list[str], heading: str, printed: str) -> None:
    rec = records(SEINAJOKI, (81,))
    found = cell(rec, row_path, [heading])
    assert fold(found.text) == printed
    assert found.table_kind == "finance" and found.page == 1
    assert found.number == float(printed.replace(" ", ""))


def test_seinajoki_finance_line_path() -> None:
    rec = records(SEINAJOKI, (81,))
    figures = {(f.line_path, f.column_label): f.amount for f in rec.finance}
    assert figures[("Toimintatulot / Alkuperäinen", "Talousarvio €")] == 2000400
    assert figures[("Toimintatulot / Kv 27.5. §45 Muutos", "Talousarvio €")] == -1000000
    assert figures[("Toimintamenot / Yhteensä", "Toteutuma €")] == 5445916
    assert figures[("Netto (Toimintakate)", "Poikkeama €")] == 964091


# -- Kauhava, a committee's budget table under a shaded heading row (page 75) -----------------------

def test_lapua_investment_proposal_under_its_title_is_money() -> None:
    """Sivistyslautakunta 8.10.2025 p. 11: 'Sivistyslautakunnan kalustoinvestointiesitys vuosille 2026-2028'
    over 'Koneet ja kalusto / Sivistyslautakunta | Talous | 2026 | 2027 | 2028 | Yhteensä' (dot thousands)."""
    rec = records(REAL / "fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf", (11,))
    total = [(f.column_label, f.amount) for f in rec.finance if f.line_label.startswith("Yhteensä")]
    assert total == [("2026", -83000), ("2027", -61000), ("2028", -85000), ("Yhteensä", -229000)]
    school = [f.amount for f in rec.finance if f.line_label.startswith("97001 Yläkoulu")]
    assert school == [-28000, -16000, -30000, -74000]
    # its first heading cell names a category under the board: the table is the board's, no new unit
    assert {f.unit_name for f in rec.finance} == {"Sivistyslautakunta"}


KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"


def test_kauhava_committee_table() -> None:
    rec = records(KAUHAVA, (75,))
    assert fold(cell(rec, ["Palkat ja palkkiot"], ["Toteutuma"]).text) == "-10 850"
    assert fold(cell(rec, ["TOIMINTAKULUT"], ["Poikkeama"]).text) == "-2 672"
    assert fold(cell(rec, ["TOIMINTAKULUT"], ["TA muutosten jälkeen"]).text) == "-42 170"
    # a label wrapped over two lines with its figures on the last line is one row
    figures = {(f.line_label, f.column_label): f.amount for f in rec.finance}
    assert figures[("Aineet, tarvikkeet ja tavarat", "Alkuperäinen TA")] == 0
    assert figures[("Muut toimintakulut", "Toteutuma")] == -357
    # the chart's value labels under the table ('1 100 €', '2 200 €') are no table rows
    assert not [c for c in rec.tables if "€" in c.text]


# -- Simrishamn: the investment table (pages 4-5 of the budget letter) -------------------------------

INVESTMENTS = REAL / "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"


def test_simrishamn_investment_table_is_one_table_over_two_pages() -> None:
    rec = records(INVESTMENTS, (4, 5))
    first = cell(rec, ["1 P 6289 Utrustning uppstart Korsavadsanläggningen"], ["Budget 2027"])
    assert first.text == "1 000" and first.number == 1000
    assert fold(cell(rec, ["13 N Bokbuss"], ["Plan 2029"]).text) == "4 500"
    total = cell(rec, ["Summa investeringsbudget"], ["Total utgift"])
    assert fold(total.text) == "71 975" and total.page == 2
    assert first.table_id == total.table_id
    # text printed in a value column is kept, and counted as not read as a number
    text = cell(rec, ["6 P Digitalisering av bibliotek"], ["Total utgift"])
    assert text.text == "årligen,löpande" and text.number is None
    quality = next(q for q in rec.table_quality if q.table_id == first.table_id)
    assert quality.pages == [1, 2] and quality.continued and quality.unparsed_cells >= 3
    assert quality.label_columns == 4  # Prio, Status, Proj Nr, Investeringar (tkr)
    assert quality.table_kind == "finance"


# -- Simrishamn: grouped headings and group rows (annual report, page 21) ----------------------------

ANNUAL = REAL / "se_simrishamn_kfn_arsbokslut_2025.pdf"


def test_simrishamn_grouped_headings_and_group_rows() -> None:
    rec = records(ANNUAL, (21,))
    budget = cell(rec, ["Färdigställda projekt", "Inventarier, löpande"], ["Varav årets investeringar", "Budget 2025"])
    assert budget.text == "0,800"
    total = cell(rec, ["Summa investeringsprojekt"], ["Utgifter sedan projektets start", "Total projektbudget"])
    assert total.text == "20,068"
    ongoing = cell(rec, ["Pågående projekt", "Ombyggnad Garvaren (6013)"], ["Utgifter sedan projektets start",
                                                                            "Ack. Utfall"])
    assert ongoing.text == "2,340"
    quality = next(q for q in rec.table_quality if q.table_id == budget.table_id)
    assert quality.header_rows == 2


# -- Lapua, technical board minutes: a ruled table continued over a page (pages 20-21) ---------------

TECHNICAL = REAL / "fi_lapua_tekninen_lautakunta_poytakirja_2025-01-28.pdf"


def test_lapua_minutes_table_continues_over_the_page() -> None:
    rec = records(TECHNICAL, (20, 21))
    pool = cell(rec, ["Rakennus- ja kiinteistöpalvelut", "90562 uusi uimahalli"], ["Käytetty €"])
    assert fold(pool.text) == "334 000" and pool.page == 2
    # the label broke over the page: '98107 kiinteistö- ja' / 'mittaustoimi'
    survey = cell(rec, ["Kalusto", "98107 kiinteistö- ja mittaustoimi"], ["Käyttämättä 2024 €"])
    assert fold(survey.text) == "25 000"
    road = cell(rec, ["Kunnallistekniikka", "092245 Fröötilänreitti"], ["Määrära ha €"])
    assert fold(road.text) == "150 000" and road.page == 1
    assert pool.table_id == road.table_id
    # the total's row carries no style to tell it from the group above it: its own label is enough here
    total = [c for c in rec.tables if c.row_path and c.row_path[-1] == "Yhteensä" and not c.is_label]
    assert [(fold(c.text), [fold(h) for h in c.header_path]) for c in total] == [("691 500", ["Lisämääräraha 2025 €"])]


def test_lapua_carry_over_columns_take_the_year_their_difference_prints() -> None:
    """Page 20, row '091157 Sillat': 'Määrära- ha €' (wrapped heading) 180 000, 'Käytetty €' 65 000,
    'Käyttämättä 2024 €' 115 000, 'Lisämääräraha 2025 €' 115 000. The unused sum is 2024's, so the
    appropriation and its use, printed without a year, are 2024's too (the minutes are of 2025)."""
    rec = records(TECHNICAL, (20, 21))
    row = {(f.column_label, f.year, f.figure_kind, f.amount) for f in rec.finance
           if f.line_label == "091157 Sillat"}
    assert row == {("Määräraha €", 2024, "budget", 180000), ("Käytetty €", 2024, "actual", 65000),
                   ("Käyttämättä 2024 €", 2024, "difference", 115000),
                   ("Lisämääräraha 2025 €", 2025, "budget_change", 115000)}


WELFARE = REAL / "fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf"


def test_lapua_minutes_tables_headed_only_by_a_unit_or_a_caption() -> None:
    """Hyvinvointilautakunta p. 16: under '... hyväksynyt vuoden 2025 talousarvion hyvinvointilautakunnan
    osalta seuraavasti:' a table headed only '€', whose labels run up to the cell border ('Toimintamenot'
    5 pt from '-4.592.543'); then 'Investoinnit yhteensä netto | 2025 | 2026 | 2027 | Yhteensä'."""
    rec = records(WELFARE, (16,))
    budget = {(f.line_label, f.year, f.figure_kind, f.amount) for f in rec.finance if f.column_label == "€"}
    assert budget == {("Toimintatuotot", 2025, "budget", 1212750), ("Toimintamenot", 2025, "budget", -4592543),
                      ("Toimintakate", 2025, "budget", -3379793)}
    sports = [(f.column_label, f.amount) for f in rec.finance if f.line_label == "97050 Liikuntatoimi"]
    assert sports == [("2025", -20000), ("2026", -20000), ("2027", -20000), ("Yhteensä", -60000)]


ENVIRONMENT = REAL / "fi_lapua_ymparistolautakunta_poytakirja_2022-01-25.pdf"


def test_a_table_headed_only_by_a_money_unit_takes_the_sentence_above_it() -> None:
    """Ympäristölautakunta 25.1.2022 p. 10: '... on laadittu talousarvion käyttösuunnitelma vuodelle 2022
    hyväksyttyjen määrärahojen puitteissa.' (no colon) over a ruled table headed only '€', every figure
    printed positive with '.' as the thousands separator."""
    rec = records(ENVIRONMENT, (10,))
    budget = {(f.line_label, f.year, f.figure_kind, f.amount, f.unit) for f in rec.finance}
    assert budget == {("Toimintamenot", 2022, "budget", 332343, "EUR"),
                      ("Toimintatulot", 2022, "budget", 132095, "EUR"),
                      ("Toimintakate", 2022, "budget", 200248, "EUR")}


def test_bare_flow_rows_beside_an_operating_margin_are_the_operating_lines() -> None:
    """Ympäristölautakunta 25.1.2022 p. 7, 'Ympäristölautakunnan talouden toteutuminen v. 2021':
    Menot 353.162 | 343.944 | 97,4; Tulot 116.095 | 152.745 | 131,6; Toimintakate 237.067 | 185.328 |
    78,2 under 'Talousarvio 2021 | Toteutuma 2021 | Tot-%'. Beside the margin 'Menot' and 'Tulot' are
    the operating costs and income, so the table is checked: the budget adds up as a net cost
    (353 162 - 116 095 = 237 067), the actuals do not as printed (343 944 - 152 745 = 191 199, not
    185 328), and the document is partial saying so."""
    rec = records(ENVIRONMENT, (7,))
    lines = {(f.line_label, f.figure_kind): (f.line_key, f.amount) for f in rec.finance}
    assert lines[("Menot", "budget")] == ("operating_costs", 353162)
    assert lines[("Tulot", "actual")] == ("operating_income", 152745)
    assert lines[("Toimintakate", "actual")] == ("operating_margin", 185328)
    mismatches = [i.message for i in rec.issues if i.code == "arithmetic_mismatch"]
    assert len(mismatches) == 1 and "Toteutuma 2021" in mismatches[0] and "-5871" in mismatches[0]
    assert rec.document.status == "partial"
    # 'Menot' over a table with no operating margin stays an unknown line
    assert classify_line("Menot", "fi").key is None


def test_lapua_minutes_table_without_headings_takes_its_caption() -> None:
    """Tekninen lautakunta p. 6: 'Kaupunginvaltuuston hyväksymä talousarvio vuodelle 2025 / käyttötalous,
    tekninen lautakunta (netto):' over a two-column ruled table with no heading row."""
    rec = records(TECHNICAL, (6, 7))
    operating = {(f.line_label, f.year, f.figure_kind, f.amount) for f in rec.finance
                 if f.line_key in ("operating_income", "production_for_own_use", "operating_costs", "operating_margin")}
    assert operating == {("Toimintatuotot", 2025, "budget", 4503000),
                         ("Valmistus omaan käyttöön", 2025, "budget", 400000),
                         ("Toimintakulut", 2025, "budget", -15840300), ("TOIMINTAKATE", 2025, "budget", -10937300)}
    total = [f.amount for f in rec.finance if f.line_label == "Tekninen lautakunta yhteensä"]
    assert total == [-10730000]  # printed '-10.730 000' on p. 7, the investments' table continued


KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"


def test_a_table_under_its_own_year_headings_does_not_continue_the_page_before() -> None:
    """Kauhava p. 132 ends with the consolidated income statement; p. 133 opens with '3.4.2
    Konsernirahoituslaskelma' and its own '2024 2023' heading row, its figures set further right."""
    rec = records(KAUHAVA, (132, 133))
    margin = {(f.column_label, f.amount) for f in rec.finance if f.line_key == "annual_margin" and f.page == 2}
    assert margin == {("2024", 15239037), ("2023", 16397870)}
    taxes = {(f.column_label, f.amount) for f in rec.finance if f.line_label == "Tilikauden verot" and f.page == 2}
    assert taxes == {("2024", -29242), ("2023", -200481)}
    assert len({f.table_id for f in rec.finance if f.page == 1} & {f.table_id for f in rec.finance if f.page == 2}) == 0
    # the last row repeats its group row's label ('Rahavarojen muutos' under 'Rahavarojen muutos')
    change = {(f.column_label, f.amount) for f in rec.finance if f.page == 2 and f.line_path ==
              "Rahavarojen muutos / Rahavarojen muutos"}
    assert change == {("2024", 1595997), ("2023", -4742)}


def test_a_balance_sheet_under_a_numbered_heading_is_money() -> None:
    """Kauhava p. 130, '3.3 Tase' (numbered like a list item) over '31.12.2024 | 31.12.2023': no money
    unit printed and no line of the finance lexicon, yet every figure is money."""
    rec = records(KAUHAVA, (130,))
    buildings = {(f.column_label, f.amount) for f in rec.finance if f.line_label == "Rakennukset"}
    assert buildings == {("31.12.2024", 65659576.31), ("31.12.2023", 52811804.33)}
    total = {(f.column_label, f.amount, f.unit) for f in rec.finance if f.line_label == "VASTAAVAA YHTEENSÄ"}
    assert total == {("31.12.2024", 138420745.79, "EUR"), ("31.12.2023", 130899744.06, "EUR")}


def test_a_balance_sheet_titled_in_its_own_header_cell_keeps_every_figure_and_its_grand_total() -> None:
    """Seinäjoki p. 152 (printed 147): 'TASE kaupunki / VASTATTAVAA | 31.12.2024 | 31.12.2023', the title
    inside the table's first header cell; the grand total fills only the two total columns, yet it is a
    total row, not a note under the table."""
    rec = records(SEINAJOKI, (152,))
    equity = {(f.column_label, f.amount) for f in rec.finance if f.line_label.endswith("Peruspääoma")}
    assert equity == {("31.12.2024", 208909445.60), ("31.12.2023", 208909445.60)}
    grand = sorted(f.amount for f in rec.finance if f.line_label == "VASTATTAVAA YHTEENSÄ")
    assert grand == [629115097.38, 630723537.21]
    assert {f.unit for f in rec.finance} == {"EUR"}


def test_a_project_comparison_whose_total_row_names_expenditure_is_money() -> None:
    """Seinäjoki p. 145 (printed 141), 'Rakennusten toteutuminen': project rows under 'Edellisten vuosien
    käyttö | Talous- arvio 2024 | Toteutuma 2024 | Poikkeama | Kustannukset yhteensä', no money unit
    printed, last row 'Menot yhteensä'."""
    rec = records(SEINAJOKI, (145,))
    school = {(f.figure_kind, f.year, f.amount) for f in rec.finance if f.line_label == "5000 Alakylän koulu"}
    assert {("budget", 2024, 330000.0), ("actual", 2024, 364535.0), ("difference", 2024, -34535.0)} <= school
    total = {(f.figure_kind, f.year, f.amount) for f in rec.finance if f.line_label == "Menot yhteensä"}
    assert {("budget", 2024, 13020000.0), ("actual", 2024, 13406704.0), ("difference", 2024, -386704.0)} <= total
    assert len({f.line_label for f in rec.finance}) == 53


def test_a_suspended_hyphen_set_with_a_narrow_gap_keeps_its_space() -> None:
    """Kauhava p. 51: 'Maa- ja vesialueet' and 'Lainat rahoitus- ja vakuutuslait.' print the space after
    the hyphen 2.2 pt wide (under a word gap); p. 108 prints 'Energia-ja' with no space, kept as printed."""
    rec = records(KAUHAVA, (51,))
    labels = {fold(c.text) for c in rec.tables}
    assert "Maa- ja vesialueet" in labels and "Maa-ja vesialueet" not in labels
    assert not [text for text in labels if "rahoitus-ja" in text]
    goals = records(KAUHAVA, (108,)).goals
    assert any(g.target == "Energia-ja korjausavustusneuvontaa" for g in goals)


# -- the failure cases --------------------------------------------------------------------------------

def case(name: str) -> RecordSet:
    return records(next(CASES.glob(f"{name}-*.pdf")))


def test_b06_blank_cells_never_shift_figures_left() -> None:
    rec = case("B06")
    row = {fold(c.header_path[-1]): c.text for c in rec.tables if c.row_path == ["Avgiftsintäkter"] and not c.is_label}
    assert row == {"BOKSLUT 2023": "-675"}
    row = {fold(c.header_path[-1]): c.text for c in rec.tables if c.row_path == ["Understöd"] and not c.is_label}
    assert row == {"BUDGET 2024": "-348 700", "BUDGET 2025": "-361 500"}
    row = {fold(c.header_path[-1]): c.text for c in rec.tables
           if c.row_path == ["Övriga verksamhetsintäkter"] and not c.is_label}
    assert row == {"EKONOMIPLAN 2027": "64 500"}


def test_b08_wrapped_labels_with_figures_on_any_line() -> None:
    rec = case("B08")
    figures = {(f.line_label, f.column_label): f.amount for f in rec.finance}
    assert figures[("Försäljningsintäkter", "BOKSLUT 2023")] == 341040  # figures on the first line
    assert figures[("Understöd och bidrag", "BUDGET 2025")] == 600100  # on the last line
    assert figures[("Övriga verksamhetsintäkter", "EKONOMIPLAN 2026")] == 72700  # between the lines
    assert figures[("Verksamhetens kostnader", "EKONOMIPLAN 2027")] == -50296400
    assert len(rec.finance) == 60


def test_b09_continuation_over_pages() -> None:
    rec = case("B09")
    figures = {(f.line_label, f.column_label, f.table_id): f.amount for f in rec.finance}
    split = [(k, v) for k, v in figures.items() if k[:2] == ("Aineet, tarvikkeet ja tavarat", "TP 2023")]
    assert [v for _, v in split] == [-2320000]  # the label broke over the page break
    first_table = split[0][0][2]
    quality = {q.table_id: q for q in rec.table_quality}
    assert quality[first_table].pages == [1, 2] and quality[first_table].continued
    # bold totals whose figures nearly touch are one figure per column
    assert figures[("Toimintakulut", "TA 2024", first_table)] == -47569900
    # under '(jatkuu)' and a repeated heading the second table goes on: one table over pages 2-3
    technical = {k[2] for k in figures if k[0] == "Toimintakate" and k[1] == "TS 2027" and figures[k] == -30655700}
    assert len(technical) == 1 and quality[technical.pop()].pages == [2, 3]
    # the key-figure table is kept, but it is no money
    kept = [c for c in rec.tables if fold(c.text) == "1 245"]
    assert len(kept) == 1 and kept[0].table_kind == "other" and kept[0].row_path == ["Perusopetuksen oppilaat"]
    assert 1245 not in [f.amount for f in rec.finance]
    assert not any("jatkuu" in u.name for u in rec.units)


def test_b05_footnote_with_an_amount_is_no_row() -> None:
    rec = case("B05")
    assert rec.tables, "the table is found"
    assert not [c for c in rec.tables if "120 000" in c.text or "Sisältää" in c.text]
    assert 120000 not in [f.amount for f in rec.finance]


# -- figures set closer together than a word gap ------------------------------------------------------

def _tight_figures_pdf(path: Path) -> Path:
    """Two columns of right-aligned figures whose widest pair touches: '138-45' is one word in the
    text layer."""
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica-Bold", 9)
    for text, right in (("TA 2024", 300.0), ("TA 2025", 360.0)):
        canvas.drawRightString(right, 700, text)
    canvas.setFont("Helvetica", 9)
    rows = [("Myyntituotot", "1 200", "1 300"), ("Maksutuotot", "2 100", "2 150"), ("Muut tuotot", "138", "-45")]
    for index, (label, first, second) in enumerate(rows):
        y = 686 - 14 * index
        canvas.drawString(60, y, label)
        canvas.drawRightString(300, y, first)
        if label == "Muut tuotot":  # set so that the second figure starts where the first ends
            canvas.drawString(300, y, second)
        else:
            canvas.drawRightString(360, y, second)
    canvas.save()
    return path


def test_figures_set_tight_are_split_where_the_columns_are(tmp_path: Path) -> None:
    rec = process_file(_tight_figures_pdf(tmp_path / "tight.pdf"))[1]
    row = {c.header_path[-1]: c.text for c in rec.tables if c.row_path == ["Muut tuotot"] and not c.is_label}
    assert row == {"TA 2024": "138", "TA 2025": "-45"}


# -- the grid knows no language -----------------------------------------------------------------------

GRID_MODULES = ["finder", "grid", "headers", "page", "rows", "splitting", "stitch", "tables", "textgrid",
                "textrows", "values"]


@pytest.mark.parametrize("module", GRID_MODULES)
def test_table_grid_imports_no_lexicon(module: str) -> None:
    tree = ast.parse((REPO / "extractors" / "pdf" / f"{module}.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not imported & {"extractors.lexicon", "extractors.labels", "extractors.layout", "extractors.finance",
                           "extractors.goals"}, imported


def test_table_quality_of_the_lapua_budget() -> None:
    rec = records(REPO / "samples" / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf")
    kinds = json.dumps(sorted(q.table_kind for q in rec.table_quality))
    assert kinds.count("finance") == 9, kinds  # Kokonaistalous and the eight bodies' tables
    first = rec.table_quality[0]
    assert first.rows == 18 and first.columns == 5 and first.label_columns == 1 and first.header_rows == 1
    assert first.sign_convention == "costs_positive"  # Kokonaistalous prints Toimintakulut positive
    assert first.arithmetic_ok is not None


# -- Simrishamn, årsbokslut p. 21: cells carry the finance reader's unit and printed scale ------------

def test_cells_of_a_finance_table_carry_unit_and_scale() -> None:
    # page image: "Investeringsredovisning (mnkr)" heads the label column; "Varav årets investeringar" over
    # "Budget 2025"; row "Inventarier, löpande" under the group row "Färdigställda projekt" prints "0,800"
    rec = records(REAL / "se_simrishamn_kfn_arsbokslut_2025.pdf")
    found = cell(rec, ["Färdigställda projekt", "Inventarier, löpande"], ["Varav årets investeringar", "Budget 2025"])
    assert (found.text, found.number, found.unit, found.multiplier, found.page) == ("0,800", 0.8, "SEK", 1_000_000, 21)
    assert found.table_kind == "finance"


def test_stacked_ruled_tables_with_their_own_year_headings_stay_apart() -> None:
    """Kauhava p. 152 (printed 151/157): '42) Henkilöstön lukumäärä 31.12. | 2024 | 2023' (staff counts),
    then, ruled apart, '43) Henkilöstökulut' over its own '2024 | 2023', then 44) and 45) the same way."""
    rec = records(KAUHAVA, (152,))
    by_table: dict[str, list[str]] = {}
    for c in rec.tables:
        if c.is_label:
            by_table.setdefault(c.table_id, []).append(fold(c.text))
    tables = [labels for labels in by_table.values() if "Hallinto-osasto" in labels or
              "Henkilöstökulut yhteensä" in labels or "Suomen Keskusta" in labels or "KPMG Oy Ab" in labels]
    assert [labels[0] for labels in tables] == ["Hallinto-osasto", "Henkilöstökulut tuloslaskelman mukaan",
                                                "Suomen Keskusta", "KPMG Oy Ab"]
    assert tables[0] == ["Hallinto-osasto", "Kehitystoimi", "Sivistystoimi", "Tekninen toimi", "Yhteensä"]
    # the personnel-cost note is money: its total is the income statement's figure plus what was capitalised
    costs = {(f.line_key, f.column_label): f.amount for f in rec.finance}
    assert costs[("personnel_costs_income_statement", "2024")] == 28659191.96
    assert costs[("personnel_costs_capitalised", "2023")] == 81517.56
    assert costs[("personnel_costs", "2024")] == 28753977.49
    note = next(q for q in rec.table_quality if q.table_kind == "finance")
    assert note.rows == 3 and note.arithmetic_ok is True
    # staff counts are no money
    assert not [f for f in rec.finance if f.line_label in ("Hallinto-osasto", "Sivistystoimi")]


def test_unit_only_columns_after_two_years_are_their_change() -> None:
    """Seinäjoki, Tilinpäätös 2024, p. 56 'Verotulojen erittely': 'Kaupunki' over '2024 | 2023 | € | %';
    Kunnan tulovero 120 464 075,54 | 120 070 191,36 | 393 884,18 | 0,3 and Kiinteistövero
    ... | -14 750 536,68 | 3,1 (printed so; the euro change does not agree with its years there). The
    '€' column is the change in euros, the '%' column in per cent, both of 2024."""
    rec = records(SEINAJOKI, (56,))
    tax = {f.column_label: f for f in rec.finance if f.line_label == "Kunnan tulovero"}
    assert (tax["Kaupunki €"].figure_kind, tax["Kaupunki €"].year, tax["Kaupunki €"].amount,
            tax["Kaupunki €"].unit) == ("difference", 2024, 393884.18, "EUR")
    assert (tax["Kaupunki %"].figure_kind, tax["Kaupunki %"].year, tax["Kaupunki %"].amount,
            tax["Kaupunki %"].unit) == ("percent_change", 2024, 0.3, "percent")
    assert (tax["Kaupunki 2023"].year, tax["Kaupunki 2023"].amount) == (2023, 120070191.36)
    property_tax = {f.column_label: f.amount for f in rec.finance if f.line_label == "Kiinteistövero"}
    assert property_tax["Kaupunki €"] == -14750536.68 and property_tax["Kaupunki %"] == 3.1


def test_qualifier_rows_under_a_line_row_take_its_path() -> None:
    """Simrishamn, Kultur- och fritidsnämnden, Årsbokslut 2025 p. 13 'Ekonomi (tkr) | 2024 | 2025':
    Nettokostnader -59 596 | -62 049, then Budget -59 689 | -63 119 and Budgetavvikelse 93 | 1 070;
    Nettoinvesteringar 2 329 | 5 403, then Budget 4 259 | 10 525 and Budgetavvikelse -1 930 | -5 122.
    The Budget and Budgetavvikelse rows are of the line printed above them."""
    rec = records(REAL / "se_simrishamn_kfn_arsbokslut_2025.pdf", (13,))
    rows = {(f.line_path, f.year): (f.figure_kind, f.amount, f.unit, f.multiplier) for f in rec.finance}
    assert rows[("Nettokostnader / Budget", 2025)] == ("budget", -63119, "SEK", 1000)
    assert rows[("Nettokostnader / Budgetavvikelse", 2024)] == ("difference", 93, "SEK", 1000)
    assert rows[("Nettoinvesteringar / Budget", 2024)] == ("budget", 4259, "SEK", 1000)
    assert rows[("Nettoinvesteringar / Budgetavvikelse", 2025)] == ("difference", -5122, "SEK", 1000)
    assert rows[("Nettokostnader", 2024)] == ("actual", -59596, "SEK", 1000)
    assert not [i for i in rec.issues if i.code == "unknown_finance_line"]
