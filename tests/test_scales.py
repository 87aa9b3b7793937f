"""Units and multipliers: the scales lexicon, the table/column/cell rules, the document's currency, and
the finance columns they fill (amount as printed, unit, multiplier, value, printed, note_marker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.lexicon import LANGUAGES, load
from extractors.pipeline import process_file
from extractors.scales import (
    Scale,
    cell_scale,
    column_scale,
    document_currency,
    read_scale,
    row_scale,
    scale_meanings,
    table_scale,
)
from models import Block, PageInfo, PlanDocument
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
PAGES = Path("/tmp") / "plandata-test-pages"  # real PDFs cut to the pages under test (tests.pdf_pages)


def test_scale_meanings_are_the_same_in_both_languages() -> None:
    assert scale_meanings("sv") == scale_meanings("fi")
    for unit, multiplier, _money in scale_meanings("fi").values():
        assert multiplier in (1, 1000, 1_000_000) and unit


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ["euro_evidence", "krona_evidence"])
def test_currency_evidence_blocks(lang: str, name: str) -> None:
    entry = load("scales", lang).entry(name)
    assert entry.examples and entry.counterexamples
    assert all(entry.matches(e) for e in entry.examples)
    assert not any(entry.matches(c) for c in entry.counterexamples)


def test_sweden_evidence_block() -> None:
    entry = load("scales", "sv").entry("sweden_evidence")
    assert all(entry.matches(e) for e in entry.examples)
    assert not any(entry.matches(c) for c in entry.counterexamples)


@pytest.mark.parametrize(("text", "lang", "unit", "multiplier"), [
    ("1 000 €", "fi", "EUR", 1000),
    ("(1000 €)", "fi", "EUR", 1000),
    ("t€", "fi", "EUR", 1000),
    ("Käyttötalous, 1\u00a0000 euroa", "fi", "EUR", 1000),
    ("milj. €", "fi", "EUR", 1_000_000),
    ("Käyttötalous, euroa", "fi", "EUR", 1),
    ("€/v", "fi", "EUR", 1),
    ("tkr", "sv", "SEK", 1000),
    ("Tkr", "sv", "SEK", 1000),
    ("Belopp i mnkr", "sv", "SEK", 1_000_000),
    ("Driftsekonomi, euro", "sv", "EUR", 1),
    ("Muutos% TA 2024-2025", "fi", "percent", 1),
    ("FÖRÄNDRING % BU25/BU24", "sv", "percent", 1),
])
def test_read_scale(text: str, lang: str, unit: str, multiplier: int) -> None:
    scale = read_scale(text, lang, "caption")
    assert scale is not None and (scale.unit, scale.multiplier) == (unit, multiplier)


@pytest.mark.parametrize("text", ["5 000 €", "TA 2025", "Ero raamiin", "KAUPUNGINHALLITUS", "",
                                  "Vuosikate on 6,75 milj. euroa"])
def test_amounts_and_headings_are_not_scales(text: str) -> None:
    assert read_scale(text, "fi", "caption") is None


# Column headings that print the period before the scale, as read from the page images: the
# statements of Kauhava (p. 30 "2024" over "1 000 €"; p. 51 "31.12.2024" over "1 000 €") and
# Seinäjoki (p. 153 "1.1.-31.12.2024" over "1 000 €"); Seinäjoki p. 20 "Asukasluku 31.12.2024" beside
# "Toimintakate €/asukas"; a year or period before "tkr", "mnkr", "milj. €" is read the same way.
@pytest.mark.parametrize(("text", "lang", "unit", "multiplier"), [
    ("2024 1 000 €", "fi", "EUR", 1000),
    ("31.12.2024 1 000 €", "fi", "EUR", 1000),
    ("1.1.-31.12.2024 1 000 €", "fi", "EUR", 1000),
    ("TA 2025 1 000 €", "fi", "EUR", 1000),
    ("2024 milj. €", "fi", "EUR", 1_000_000),
    ("Budget 2025 tkr", "sv", "SEK", 1000),
    ("Bokslut 2024 mnkr", "sv", "SEK", 1_000_000),
    ("Muutos-% 2024/2023", "fi", "percent", 1),
    ("Asukasluku 31.12.2024", "fi", "count", 1),
    ("Invånarantal 31.12.2024", "sv", "count", 1),
    ("Toimintakate €/asukas", "fi", "EUR/inhabitant", 1),
])
def test_a_period_before_the_scale_is_no_amount(text: str, lang: str, unit: str, multiplier: int) -> None:
    scale = read_scale(text, lang, "column")
    assert scale is not None and (scale.unit, scale.multiplier) == (unit, multiplier)


@pytest.mark.parametrize("text", ["2024", "TP-2020", "Tot. 31.12.2024", "250 tkr", "12,5 mnkr", "Ero raamiin"])
def test_periods_and_amounts_alone_are_not_scales(text: str) -> None:
    assert read_scale(text, "fi", "column") is None and read_scale(text, "sv", "column") is None


# Key-figure rows under a statement's "2024 1 000 €" columns print their own unit in the label
# (Kauhava p. 30, Seinäjoki p. 74, read from the page images)
@pytest.mark.parametrize(("label", "unit", "multiplier"), [
    ("Vuosikate, €/asukas", "EUR/inhabitant", 1),
    ("Asukasmäärä", "count", 1),
    ("Kertynyt yli-/alijäämä, milj.€", "EUR", 1_000_000),
    ("Omavaraisuusaste, %", "percent", 1),
    ("Toimintatuotot", "EUR", 1000),
    ("Tilikauden tulos", "EUR", 1000),
    ("Laskennallinen lainanhoitokate", "ratio", 1),
    ("Kassan riittävyys, pv", "day", 1),
    ("Henkilöstömäärä", "count", 1),
    ("Henkilöstökulut", "EUR", 1000),
])
def test_a_row_label_naming_a_scale_overrides_the_column(label: str, unit: str, multiplier: int) -> None:
    column = column_scale("2024 1 000 €", Scale("EUR"), "fi")
    scale = row_scale(label, column, "fi")
    assert (scale.unit, scale.multiplier) == (unit, multiplier)
    percent = column_scale("Muutos %", column, "fi")
    assert row_scale(label, percent, "fi") == percent


def test_statement_figures_under_a_year_and_scale_heading_are_in_thousands() -> None:
    # Kauhava, Tilinpäätös 2024, p. 30 (tuloslaskelma): columns "2024" / "1 000 €" and "2023" / "1 000 €"
    _, records = process_file(cut_pages(REAL / "fi_kauhava_tilinpaatos_2024.pdf", (30,), PAGES))
    figures = {(f.line_label, f.year): f for f in records.finance}
    income = figures[("Toimintatuotot", 2024)]
    assert (income.printed, income.amount, income.unit, income.multiplier, income.value) == (
        "7 726", 7726.0, "EUR", 1000, 7_726_000.0)
    assert figures[("Toimintakate", 2023)].value == -39_220_000.0
    assert figures[("Tilikauden ylijäämä tai alijäämä", 2024)].value == 4_291_000.0
    # the key figures under the same columns print their own unit in the label
    per_inhabitant = figures[("Vuosikate, €/asukas", 2024)]
    assert (per_inhabitant.amount, per_inhabitant.unit, per_inhabitant.multiplier, per_inhabitant.value) == (
        635.0, "EUR/inhabitant", 1, 635.0)
    population = figures[("Asukasmäärä", 2023)]
    assert (population.unit, population.multiplier, population.value) == ("count", 1, 15_164.0)
    share = figures[("Vuosikate/Poistot, %", 2024)]
    assert (share.amount, share.unit, share.multiplier) == (152.2, "percent", 1)
    # Seinäjoki, p. 153 (konsernin tuloslaskelma): "1.1.-31.12.2024" over "1 000 €"
    _, records = process_file(cut_pages(REAL / "fi_seinajoki_tilinpaatos_2024.pdf", (153,), PAGES))
    figures = {(f.line_label, f.year): f for f in records.finance}
    income = figures[("Toimintatuotot", 2024)]
    assert (income.printed, income.value) == ("207 655", 207_655_000.0)
    assert figures[("VUOSIKATE", 2023)].value == 52_986_000.0


def test_a_population_column_is_a_count() -> None:
    # Seinäjoki, Tilinpäätös 2024, p. 20: "Toimintakate €/asukas | TP-2020 ... | Muutos-% 2024/2023 |
    # Asukasluku 31.12.2024"; Seinäjoki 2 684 €/asukas in 2024, 66 610 inhabitants
    _, records = process_file(cut_pages(REAL / "fi_seinajoki_tilinpaatos_2024.pdf", (20,), PAGES))
    figures = {(f.line_label, f.column_label): f for f in records.finance}
    population = figures[("Seinäjoki", "Asukasluku 31.12.2024")]
    assert (population.printed, population.unit, population.multiplier, population.value) == (
        "66 610", "count", 1, 66610.0)
    margin = figures[("Seinäjoki", "TP-2024")]
    assert (margin.printed, margin.unit, margin.value) == ("2 684", "EUR/inhabitant", 2684.0)
    assert not [f for f in records.finance if f.column_label.startswith("Asukasluku") and f.unit != "count"]


def test_an_amount_in_running_text_above_a_table_is_not_its_scale() -> None:
    # Kauhava pp. 124-125: the sentences above "ULKOINEN TULOSLASKELMA" name "33,6 miljoonaa euroa";
    # the table prints euros ("Talousarvio €", "TP 2023": TOIMINTATUOTOT 7 920 011), never millions
    path = cut_pages(REAL / "fi_kauhava_tilinpaatos_2024.pdf", (124, 125), PAGES)
    _, records = process_file(path)
    figures = {(f.line_label, f.column_label): f for f in records.finance if f.page == 2}
    income = figures[("TOIMINTATUOTOT", "TP 2023")]
    assert (income.printed, income.unit, income.multiplier, income.value) == ("7 920 011", "EUR", 1, 7_920_011.0)
    assert {f.multiplier for f in figures.values()} == {1}


def test_nearest_statement_wins_and_the_default_is_the_document_currency() -> None:
    from_caption = table_scale(["SIVISTYSLAUTAKUNTA"], ["Käyttötalous, 1 000 euroa", "Talous, euroa"], "fi", "EUR")
    assert (from_caption.unit, from_caption.multiplier, from_caption.source) == ("EUR", 1000, "caption")
    from_header = table_scale(["tkr"], ["Driftsredovisning"], "sv", "SEK")
    assert (from_header.unit, from_header.multiplier, from_header.source) == ("SEK", 1000, "header")
    nothing = table_scale(["Bildningsnämnden"], ["Driftsredovisning"], "sv", "SEK")
    assert (nothing.unit, nothing.multiplier, nothing.source) == ("SEK", 1, "document")
    # running text above a table is not a caption, whatever amounts it names
    long_text = "Lautakunnan määrärahat kasvavat edellisestä vuodesta, ja tarkempi erittely on " * 2 + "1 000 €"
    assert table_scale([], [long_text], "fi", "EUR").multiplier == 1
    percent_column = column_scale("Muutos %", from_caption, "fi")
    assert (percent_column.unit, percent_column.money) == ("percent", False)
    assert column_scale("TA 2025", from_caption, "fi") == from_caption
    assert cell_scale(True, from_caption).unit == "percent"
    assert cell_scale(False, from_caption) == from_caption
    assert Scale("percent", money=False).value(__import__("decimal").Decimal("2.5")) is None


def _doc(language: str, texts: list[str], furniture: list[str] | None = None) -> PlanDocument:
    return PlanDocument(document_id="x", source_path="x.pdf", source_format="pdf", language=language,  # type: ignore[arg-type]
                        pages=[PageInfo(number=1, furniture=furniture or [])],
                        items=[Block(kind="paragraph", text=t) for t in texts])


def test_document_currency_rules() -> None:
    assert document_currency(_doc("fi", ["Käyttötalous"])) == "EUR"
    assert document_currency(_doc("sv", ["Driftsekonomi"], ["Lovisa stad · Budget 2025"])) == "EUR"
    assert document_currency(_doc("sv", ["Belopp i tkr", "Driftredovisning, tkr"])) == "SEK"
    assert document_currency(_doc("sv", ["Kultur- och fritidsnämnden", "Simrishamns kommun"])) == "SEK"
    assert document_currency(_doc("sv", ["Bildningsnämnden", "Driftsekonomi, euro"])) == "EUR"
    # a Finnish municipality named 'kommun' is in Finland
    assert document_currency(_doc("sv", ["Sibbo kommun", "Bildningsnämnden"])) == "EUR"


def test_a_document_from_sweden_is_in_kronor_at_the_printed_scale() -> None:
    # Simrishamns kommun (Sweden): page 13 prints "Ekonomi (tkr)", page 21 "Investeringsredovisning (mnkr)"
    doc, records = process_file(REAL / "se_simrishamn_kfn_arsbokslut_2025.pdf")
    assert document_currency(doc) == "SEK"
    figures = {(f.page, f.line_label, f.column_label): f for f in records.finance}
    revenue = figures[(13, "Intäkter", "2025")]
    assert (revenue.printed, revenue.amount, revenue.unit, revenue.multiplier, revenue.value) == (
        "11 251", 11251.0, "SEK", 1000, 11_251_000.0)
    assert figures[(13, "Kostnader", "2024")].value == -69_731_000.0
    furniture = figures[(21, "Inventarier, löpande", "Varav årets investeringar Budget 2025")]
    assert (furniture.printed, furniture.amount, furniture.multiplier, furniture.value) == ("0,800", 0.8, 1_000_000,
                                                                                          800_000.0)
    assert figures[(21, "Inventarier, löpande", "Varav årets investeringar Utfall 2025")].value == 617_000.0


FINANCE_EXPORT = """Sivistyslautakunta

Vastuuhenkilö: sivistysjohtaja

Käyttötalous, 1 000 euroa

\tTA 2024\tTA 2025\tMuutos %
Myyntituotot\t373,6\t380,1*\t1,7 %
Toimintatuotot\t373,6\t380,1\t1,7 %
Henkilöstökulut\t-1 234,5\t-1 250,0\t1,3 %
Toimintakulut\t-1 234,5\t-1 250,0\t1,3 %
Toimintakate\t-860,9\t-869,9\t1,0 %
"""


def test_finance_figures_keep_what_is_printed(tmp_path: Path) -> None:
    path = tmp_path / "sivistys.txt"
    path.write_text(FINANCE_EXPORT, encoding="utf-8")
    _, records = process_file(path)
    figures = {(f.line_label, f.column_label): f for f in records.finance}
    sales = figures[("Myyntituotot", "TA 2024")]
    assert (sales.amount, sales.unit, sales.multiplier, sales.value, sales.printed) == (373.6, "EUR", 1000, 373600.0,
                                                                                       "373,6")
    marked = figures[("Myyntituotot", "TA 2025")]
    assert (marked.amount, marked.note_marker, marked.printed, marked.value) == (380.1, "*", "380,1*", 380100.0)
    change = figures[("Toimintakate", "Muutos %")]
    assert (change.amount, change.unit, change.multiplier, change.value) == (1.0, "percent", 1, None)
    assert figures[("Henkilöstökulut", "TA 2024")].amount == -1234.5
    document = records.document
    # -860,9 = 373,6 - 1 234,5 exactly. Sums are checked where a total has at least two printed parts
    # (extractors.hierarchy.column_sums): the margin against income and costs in both money columns; the
    # one-part sums (Myyntituotot = Toimintatuotot) are not checks, so 6 of the 10 money figures are checked
    assert document.status == "ok", document.message
    assert (document.figures_checked, document.figures_passed, document.checked_share) == (6, 6, 0.6)


def test_a_misread_figure_makes_the_export_partial(tmp_path: Path) -> None:
    path = tmp_path / "sivistys.txt"
    path.write_text(FINANCE_EXPORT.replace("-860,9\t", "-869,9\t"), encoding="utf-8")
    _, records = process_file(path)
    assert records.document.status == "partial"
    assert "table t1" in records.document.message and "operating_margin in TA 2024" in records.document.message
    assert records.document.figures_passed < records.document.figures_checked


# The table of the Lapua welfare board's minutes (22.01.2025, page 13, read from the page image):
# dot thousands, and a difference column whose rule (TA 2025 - TA 2024) the check finds itself.
LAPUA_MINUTES = """Hyvinvointilautakunta

\tTA 2024\tTA 2025\tEro
Toimintatuotot\t1.329.950\t1.252.000\t-77.950
Toimintakulut\t-4.509.080\t-4.641.000\t-131.920
Toimintakate\t-3.179.130\t-3.389.000\t-209.870
"""


def test_dot_thousands_and_a_difference_column(tmp_path: Path) -> None:
    path = tmp_path / "hyvinvointi.txt"
    path.write_text(LAPUA_MINUTES, encoding="utf-8")
    _, records = process_file(path)
    amounts = {(f.line_label, f.column_label): f.amount for f in records.finance}
    assert amounts[("Toimintakulut", "TA 2025")] == -4_641_000 and amounts[("Toimintatuotot", "Ero")] == -77_950
    assert records.document.status == "ok", records.document.message
    assert records.document.figures_checked == records.document.figures_passed == 9
    ambiguous = [i.message for i in records.issues if i.code == "ambiguous_number"]
    assert ambiguous == ["table t1: '-77.950' read as -77950 (a dot before three digits read as a thousands separator)"]
    # a misread digit in the difference column: neither its row rule nor its column sum holds
    path.write_text(LAPUA_MINUTES.replace("-209.870", "-209.970"), encoding="utf-8")
    _, records = process_file(path)
    assert records.document.status == "partial"
    # the difference column's rule is established by its other rows, so its column sums follow from the
    # columns it is computed from: the misread digit is reported once, by the row rule (extractors.validate)
    assert sorted((f.check, f.difference) for f in records.validation if f.severity == "error") == [
        ("difference_column", -100.0)]


def test_a_scale_in_the_heading_of_a_label_column_is_the_tables() -> None:
    # Simrishamn, Budgetskrivelse för investeringar 2027-2031, p. 4: "Prio | Status | Proj Nr |
    # Investeringar (tkr) | Budget 2027 | Plan 2028 ... | Total utgift"; the scale heads the fourth column
    _, records = process_file(cut_pages(REAL / "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf",
                                        (4,), PAGES))
    figures = {(f.line_label, f.column_label): f for f in records.finance}
    baths = figures[("Nya lokaler Tobisviksbadet", "Budget 2027")]  # Prio, Status: no part of the label
    assert (baths.printed, baths.unit, baths.multiplier, baths.value, baths.year) == (
        "22 000", "SEK", 1000, 22_000_000.0, 2027)
    lighting = figures[("Belysning A-plan Korsavad", "Plan 2030")]
    assert (lighting.printed, lighting.value) == ("1400", 1_400_000.0)
    assert {f.multiplier for f in records.finance} == {1000}
    # 'Total utgift' of rows 6, 9 and 10 prints 'årligen,löpande' / 'årligen, löpande' (annually, ongoing):
    # words, no figure; a warning, never a not_a_number error
    words = [i for i in records.issues if i.code == "text_in_figure_column"]
    assert [(i.severity, i.message.split("'")[1]) for i in words] == [
        ("warning", "Digitalisering av bibliotek"), ("warning", "Konstnärlig utsmyckning"),
        ("warning", "Konstinköp till kommunens konstsamling")]
    assert not [i for i in records.issues if i.code == "not_a_number"]
    # 'Total utgift' is the project's whole cost: row 3 prints 400 + 100 and a total of 4 024 (spending
    # outside 2027-2031), which holds; row 13 'Bokbuss' prints 4 500 in 2029 and a total of 3 000, which does not
    totals = {(f.message.split(":")[1].strip(), f.severity) for f in records.validation if f.check == "total_column"}
    assert [severity for name, severity in totals if name.startswith("Ombyggnad/tillgängliggörande")] == ["info"]
    assert [name for name, severity in totals if severity != "info"] == ["Bokbuss"]


def test_wrapped_headings_are_whole_words_and_a_budget_change_is_one() -> None:
    # Seinäjoki, Tilinpäätös 2024, p. 147 (printed 143), 8.5: "Määrärahat 1000€" over "Alkup. talous- arvio |
    # TA:n muu- tokset | TA muu- tosten jälkeen | Toteu- tuma | Poik- keama", the same under "Tuloarviot 1000€";
    # row "130 Yleishallinto": 6 025, 302, 6 327, 5 446, 881 | 2 000, 3 722, 5 722, 5 806, 84
    _, records = process_file(cut_pages(REAL / "fi_seinajoki_tilinpaatos_2024.pdf", (147,), PAGES))
    row = {(f.column_label, f.figure_kind): f for f in records.finance if f.line_label.startswith("130 Yleishallinto")}
    assert set(row) == {
        ("Määrärahat 1000€ Alkup. talousarvio", "budget_original"),
        ("Määrärahat 1000€ TA:n muutokset", "budget_change"),
        ("Määrärahat 1000€ TA muutosten jälkeen", "budget_amended"), ("Määrärahat 1000€ Toteutuma", "actual"),
        ("Määrärahat 1000€ Poikkeama", "difference"),
        ("Tuloarviot 1000€ Alkup. talousarvio", "budget_original"),
        ("Tuloarviot 1000€ TA:n muutokset", "budget_change"),
        ("Tuloarviot 1000€ TA muutosten jälkeen", "budget_amended"), ("Tuloarviot 1000€ Toteutuma", "actual"),
        ("Tuloarviot 1000€ Poikkeama", "difference")}
    change = row[("Määrärahat 1000€ TA:n muutokset", "budget_change")]
    assert (change.printed, change.unit, change.multiplier, change.value) == ("302", "EUR", 1000, 302_000.0)
    assert row[("Tuloarviot 1000€ TA:n muutokset", "budget_change")].value == 3_722_000.0
    assert row[("Tuloarviot 1000€ Toteutuma", "actual")].value == 5_806_000.0


def test_key_figures_under_thousands_columns_keep_their_own_unit() -> None:
    # Kauhava, Tilinpäätös 2024, p. 33 ("RAHOITUSLASKELMAN TUNNUSLUVUT" under "2024 | 2023" over
    # "1 000 €"): Laskennallinen lainanhoitokate 1,03 | 1,17 (a ratio), Kassan riittävyys, pv 101 | 83
    # (days), Asukasmäärä 15 049; Rahavarat 31.12. 18 895 stays thousands of euros
    _, records = process_file(cut_pages(REAL / "fi_kauhava_tilinpaatos_2024.pdf", (33,), PAGES))
    figures = {(f.line_label, f.year): f for f in records.finance}
    cover = figures[("Laskennallinen lainanhoitokate", 2024)]
    assert (cover.printed, cover.unit, cover.multiplier, cover.value) == ("1,03", "ratio", 1, 1.03)
    days = figures[("Kassan riittävyys, pv", 2023)]
    assert (days.printed, days.unit, days.multiplier, days.value) == ("83", "day", 1, 83.0)
    assert figures[("Asukasmäärä", 2024)].value == 15_049.0
    assert (figures[("Rahavarat 31.12.", 2024)].unit, figures[("Rahavarat 31.12.", 2024)].value) == (
        "EUR", 18_895_000.0)
    # Seinäjoki p. 71 (konsernituloslaskelman tunnusluvut): Henkilöstömäärä 3 954 | 3 820 persons
    _, records = process_file(cut_pages(REAL / "fi_seinajoki_tilinpaatos_2024.pdf", (71,), PAGES))
    staff = {f.year: f for f in records.finance if f.line_label == "Henkilöstömäärä"}
    assert {(y, f.unit, f.value) for y, f in staff.items()} == {(2024, "count", 3954.0), (2023, "count", 3820.0)}


def test_cash_sufficiency_is_days_also_when_its_label_names_no_unit() -> None:
    # Kauhava p. 49 (KONSERNIN RAHOITUSLASKELMAN TUNNUSLUVUT under '2024 | 2023' over '1 000 €'): 'Kassan
    # riittävyys 106 | 111' prints no unit; cash sufficiency is days by definition (JHS 199), never 106 000 €;
    # 'Toiminnan ja investointien rahavirran kertymä ... 1000 €' -22 138 stays thousands of euros
    _, records = process_file(cut_pages(REAL / "fi_kauhava_tilinpaatos_2024.pdf", (49,), PAGES))
    days = {f.year: f for f in records.finance if f.line_label == "Kassan riittävyys"}
    assert {(y, f.printed, f.unit, f.multiplier, f.value) for y, f in days.items()} == {
        (2024, "106", "day", 1, 106.0), (2023, "111", "day", 1, 111.0)}
    flow = [f for f in records.finance if f.line_label.startswith("Toiminnan ja investointien rahavirran kertymä")
            and f.year == 2024]
    assert [(f.unit, f.value) for f in flow] == [("EUR", -22_138_000.0)]
