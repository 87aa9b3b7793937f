"""Finance lexicon on real labels and headings: line keys and parents, column kinds and years, the chart's
sums. Expected values are read from the rendered pages of the real documents in ../shared/corpus/real
(page numbers are PDF pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.chart import finance_chart
from extractors.hierarchy import check_hierarchy, parent_map
from extractors.lexicon import LANGUAGES, classify_line, column_kind, column_year, column_years, load
from extractors.pipeline import process_file
from models import FinanceFigure, RecordSet

# --- the chart ---------------------------------------------------------------------------------------


def test_every_line_key_is_in_the_chart_and_every_chart_line_has_words() -> None:
    chart = finance_chart()
    words = {e.key for lang in LANGUAGES for e in load("finance_lines", lang).entries}
    assert words == set(chart.lines)


def test_the_chart_is_a_tree() -> None:
    parents = parent_map()
    for key in parents:
        seen = {key}
        while key in parents:
            key = parents[key]
            assert key not in seen, f"cycle through {key}"
            seen.add(key)


def test_parent_chain_of_wages() -> None:
    chain, key = [], "wages_and_salaries"
    while key:
        chain.append(key)
        key = finance_chart().parent(key)
    assert chain == ["wages_and_salaries", "personnel_costs", "operating_costs", "operating_margin",
                     "annual_margin", "result", "surplus"]


# --- line labels as printed ----------------------------------------------------------------------------

# (label as printed, language, expected line key, expected parent); labels from Kauhava pp. 73, 125-128,
# Seinäjoki pp. 25, 81, 146, 154, Lapua, Simrishamn p. 13.
LINES = [
    ("TOIMINTATUOTOT", "fi", "operating_income", "operating_margin"),
    ("Toimintatulot", "fi", "operating_income", "operating_margin"),
    ("Palkat ja palkkiot", "fi", "wages_and_salaries", "personnel_costs"),
    ("Henkilösivukulut", "fi", "personnel_side_costs", "personnel_costs"),
    ("Henkilöstösivukulut", "fi", "personnel_side_costs", "personnel_costs"),
    ("Eläkekulut", "fi", "pension_costs", "personnel_side_costs"),
    ("Muut henkilöstösivukulut", "fi", "other_personnel_side_costs", "personnel_side_costs"),
    ("Aineet, tarvikkeet ja tava-rat", "fi", "materials", "operating_costs"),
    ("Aineet tarvikkeet ja tavarat", "fi", "materials", "operating_costs"),
    ("Tuen ja avustukset", "fi", "grants_received", "operating_income"),
    ("Toimintakate/Jäämä", "fi", "operating_margin", "annual_margin"),
    ("Netto (Toimintakate)", "fi", "operating_margin", "annual_margin"),
    ("** Toimintakate", "fi", "operating_margin", "annual_margin"),
    ("Verotulot", "fi", "tax_revenue", "annual_margin"),
    ("Kunnan tulovero", "fi", "municipal_tax", "tax_revenue"),
    ("Osuus yhteisöveron tuotosta", "fi", "corporate_tax", "tax_revenue"),
    ("Kunnan peruspalvelujen valtion-osuus, ml tasaukset", "fi", "basic_services_state_subsidy", "state_subsidies"),
    ("Rahoitustuotot ja -ku-lut", "fi", "financial_items_net", "annual_margin"),
    ("Korkokulut", "fi", "interest_expenses", "financial_expenses"),
    ("Poistot ja arvonalentu-miset", "fi", "depreciation", "result"),
    ("Suunnitelman mukaiset poistot", "fi", "planned_depreciation", "depreciation"),
    ("Kertaluonteiset poistot", "fi", "one_off_depreciation", "depreciation"),
    ("Satunnaiset tuotot ja kulut", "fi", "extraordinary_items_net", "result"),
    ("Satunnaiset kulut", "fi", "extraordinary_expenses", "extraordinary_items_net"),
    ("Tilikauden tulos", "fi", "result", "surplus"),
    ("Varausten ja rahastojen muutokset", "fi", "appropriations", "surplus"),
    ("Poistoeron muutos", "fi", "depreciation_difference_change", "appropriations"),
    ("Tilikauden yli-/ali-jäämä", "fi", "surplus", None),
    ("TILIKAUDEN YLIJÄÄMÄ (ALIJÄÄMÄ)", "fi", "surplus", None),
    ("Tulorahoituksen kor-jauserät", "fi", "income_financing_adjustments", "operating_cash_flow"),
    ("Investointimenot", "fi", "investment_expenditure", "investment_cash_flow"),
    ("Rahoitusosuudet inv.menoihin", "fi", "investment_contributions", "investment_income"),
    ("Pys.vast. hyödykkeiden luov.tulot", "fi", "disposal_proceeds", "investment_income"),
    ("Toiminta ja investoinnit, netto", "fi", "operating_and_investment_cash_flow", "cash_change"),
    ("Antolainasaamisten vähenn.", "fi", "lending_decrease", "lending_changes"),
    ("Pitkäaikasiten lainojen vähennys", "fi", "long_term_loans_decrease", "loan_stock_changes"),
    ("Lainakannanmuutokset", "fi", "loan_stock_changes", "financing_cash_flow"),
    ("Vaikutus maksuvalmiuteen", "fi", "cash_change", None),
    ("Nettoinvestoinnit", "fi", "net_investments", None),
    ("Verksamhetens intäkter", "sv", "operating_income", "operating_margin"),
    ("Löner och arvoden", "sv", "wages_and_salaries", "personnel_costs"),
    ("Skatteinkomster", "sv", "tax_revenue", "annual_margin"),
    ("Intäkter", "sv", "operating_income", "operating_margin"),
    ("Kostnader", "sv", "operating_costs", "operating_margin"),
    ("Nettokostnader", "sv", "net_operating_costs", None),
    ("Generella statsbidrag och utjämning", "sv", "general_grants_equalisation", "annual_margin"),
    ("Årets resultat", "sv", "result", "surplus"),
    ("Lokalkostnader", "sv", "premises_costs", "operating_costs"),
    ("Nettoinvesteringar", "sv", "net_investments", None),
    # balance sheets as printed: Kauhava p. 51-52 (group), Seinäjoki p. 151-152 (outline markers in cells
    # of their own, joined into the label), and Swedish (Sweden) names
    ("PYSYVÄT VASTAAVAT", "fi", "fixed_assets", "total_assets"),
    ("A PYSYVÄT VASTAAVAT", "fi", "fixed_assets", "total_assets"),
    ("Kiinteät rakenteet ja laitteet", "fi", "fixed_structures_and_equipment", "tangible_assets"),
    ("6. Ennakkomaksut ja kesken-eräiset hankinnat", "fi", "advance_payments_and_work_in_progress", "tangible_assets"),
    ("IV Rahat ja pankkisaamiset", "fi", "cash_and_bank", "current_assets"),
    ("VASTAAVAA YHTEENSÄ", "fi", "total_assets", None),
    ("Ed.tilikausien yli-/alijäämä", "fi", "retained_surplus", "equity"),
    ("Edellisten tilikausien yli-/alijäämä", "fi", "retained_surplus", "equity"),
    ("IV Tilikauden ylijäämä", "fi", "surplus", None),
    ("Pitkäaik. korollinen vieras po", "fi", "long_term_interest_bearing_liabilities", "long_term_liabilities"),
    ("II Lyhytaikainen", "fi", "short_term_liabilities", "liabilities"),
    ("VASTATTAVAA YHTEENSÄ", "fi", "total_equity_and_liabilities", None),
    ("Henkilöstökulut tuloslaskelman mukaan", "fi", "personnel_costs_income_statement", None),
    ("Anläggningstillgångar", "sv", "fixed_assets", "total_assets"),
    ("Summa eget kapital, avsättningar och skulder", "sv", "total_equity_and_liabilities", None),
    ("Kortfristiga skulder", "sv", "short_term_liabilities", "liabilities"),
    # a subsidiary's key figures, Seinäjoki p. 128-141 ('Tunnusluku (euroa) | TP 2023 | TA 2024 | ...')
    ("Liikevaihto", "fi", "net_sales", None),
    ("Liikevoitto/-tappio", "fi", "operating_profit", None),
    ("Tilikauden voitto/-tappio (ennen TP-siirtoja ja veroja)", "fi", "profit_before_appropriations_and_taxes", None),
    ("Ulkoiset lainat 31.12.", "fi", "external_loans", None),
    ("Konsernin sisäiset lainat 31.12.", "fi", "intra_group_loans", None),
    ("Nettoinvestoinnit (sis. keskeneräiset)", "fi", "net_investments", None),  # p. 136, Seinäjoen Energia
    ("Nettoomsättning", "sv", "net_sales", None),
]

# Real labels that are not lines of the chart: cost-centre codes, activities, key figures, a company's
# result after appropriations (only its key figures before them are lines), balance-sheet items whose
# name is printed under two groups or with a date (a note's movement rows), goal indicators, labels
# meaning different lines in different tables.
NOT_LINES = [
    ("97101 Kansalaisopisto", "fi"), ("97012 Hallinto", "fi"), ("5000 Alakylän koulu", "fi"),
    ("092245 Fröötilänreitti", "fi"), ("Kauhavan kaupunki", "fi"), ("Kasvatus- ja opetuslautakunta", "fi"),
    ("Verotulot € /asukas", "fi"), ("Vuosikate, €/asukas", "fi"), ("Toimintatuotot/Toimintakulut, %", "fi"),
    ("Poistot / 1.000 asukasta", "fi"), ("Osakkeet ja osuudet", "fi"), ("3. Muut saamiset", "fi"),
    ("Maksetut palkat ja palkkiot", "fi"), ("Tilikauden voitto/-tappio", "fi"),
    ("Peruspääoma 1.1.", "fi"), ("Edellisten tilikausien ylijäämä 31.12.", "fi"), ("Menot", "fi"),
    ("Tulot", "fi"), ("Menot yhteensä", "fi"), ("Muut velat", "fi"), ("Övriga skulder", "sv"),
    ("Nämnd- och styrelseverksamhet", "sv"), ("Arrangörsbidrag för kulturföreningar", "sv"), ("Bidrag", "sv"),
    ("Summa totalt", "sv"), ("Österlens museum", "sv"),
]


@pytest.mark.parametrize(("label", "language", "key", "parent"), LINES)
def test_printed_line_labels(label: str, language: str, key: str, parent: str | None) -> None:
    line = classify_line(label, language)
    assert (line.line_key, line.parent) == (key, parent)


@pytest.mark.parametrize(("label", "language"), NOT_LINES)
def test_labels_that_are_not_lines_keep_no_key(label: str, language: str) -> None:
    assert classify_line(label, language).line_key is None


def test_qualifier_rows_take_their_group_line_but_no_key_of_their_own() -> None:
    # Seinäjoki p. 81: the sub-rows of 'Toimintatulot' and a council decision line
    original = classify_line("Toimintatulot Alkuperäinen", "fi")
    assert (original.key, original.row_kind, original.line_key) == ("operating_income", "budget_original", None)
    decision = classify_line("Kv 27.5. §45 Muutos", "fi")
    assert (decision.key, decision.row_kind, decision.line_key) == (None, "budget_change", None)
    in_path = classify_line(["Toimintamenot", "Kv 22.4. §26 Muutos"], "fi")
    assert (in_path.key, in_path.row_kind, in_path.line_key) == ("operating_costs", "budget_change", None)
    total = classify_line(["Toimintatulot", "Yhteensä"], "fi")
    assert (total.line_key, total.parent) == ("operating_income", "operating_margin")
    # Simrishamn p. 13: 'Budget' and 'Budgetavvikelse' rows under 'Nettokostnader'
    budget = classify_line(["Nettokostnader", "Budget"], "sv")
    assert (budget.key, budget.row_kind, budget.line_key) == ("net_operating_costs", "budget", None)
    assert classify_line("Budgetavvikelse", "sv").row_kind == "difference"


# --- column headings -----------------------------------------------------------------------------------

# (headings of one table as printed, context year, expected kinds, expected years)
TABLES = [
    # Kauhava p. 73, committee budget table of a financial statement 2024
    (["Alkuperäinen TA", "TA Muutokset", "TA muutosten jälkeen", "Toteutuma", "Poikkeama"], 2024,
     ["budget_original", "budget_change", "budget_amended", "actual", "difference"], [2024] * 5),
    # Kauhava p. 125, external income statement against the budget
    (["Talousarvio €", "Toteuma €", "Toteuma %", "TP 2023", "Muutos €", "Muutos %"], 2024,
     ["budget", "actual", "realisation_percent", "actual", "difference", "percent_change"],
     [2024, 2024, 2024, 2023, 2024, 2024]),
    # Kauhava p. 126, financing part; headings wrapped with hyphens
    (["Alkuperäinen talousarvio", "Talousarvio- muutokset", "Talousarvio muutosten jäl- keen", "Toteutuma",
      "Poikkeama"], 2024, ["budget_original", "budget_change", "budget_amended", "actual", "difference"], [2024] * 5),
    # Seinäjoki p. 145, building investments
    (["Edellisten vuosien käyttö", "Talous- arvio 2024", "Toteutuma 2024", "Poikkeama", "Kustannukset yhteensä"], 2024,
     ["cumulative", "budget", "actual", "difference", "total"], [None, 2024, 2024, 2024, None]),
    # Lapua budget tables (kh 4.11.2024): 'Ero raamiin' is a 2025 figure
    (["TP 2023", "TA 2024", "Raami 2025", "TA 2025", "Ero raamiin"], 2025,
     ["actual", "budget", "frame", "budget", "difference"], [2023, 2024, 2025, 2025, 2025]),
    # Lapua hyvinvointilautakunta 22.1.2025 p. 14 (a zero-width space after the hyphen)
    (["TA 2024", "Raami 2025", "TA 2025", "Muutos% TA 2024-\u200b2025", "Ero raamiin"], None,
     ["budget", "frame", "budget", "percent_change", "difference"], [2024, 2025, 2025, 2025, 2025]),
    # Lapua ympäristölautakunta 25.1.2022 p. 7
    (["Talousarvio 2021", "Toteutuma 2021", "Tot-\u200b%"], 2021,
     ["budget", "actual", "realisation_percent"], [2021, 2021, 2021]),
    # Lapua tekninen lautakunta 28.1.2025 p. 20, carried-over investments
    (["Määräraha €", "Käytetty €", "Käyttämättä 2024 €", "Lisämääräraha 2025 €"], 2024,
     ["budget", "actual", "difference", "budget_change"], [2024, 2024, 2024, 2025]),
    # ... in the minutes of 2025: the difference's printed year, not the document's, dates the columns it compares
    (["Määräraha €", "Käytetty €", "Käyttämättä 2024 €", "Lisämääräraha 2025 €"], 2025,
     ["budget", "actual", "difference", "budget_change"], [2024, 2024, 2024, 2025]),
    # a difference without a printed year dates nothing; a column printing its year stops the reach back
    (["Talousarvio €", "Toteutuma €", "Ero"], 2024, ["budget", "actual", "difference"], [2024, 2024, 2024]),
    (["TA 2024", "Talousarvio €", "Ero 2025"], 2023, ["budget", "budget", "difference"], [2024, 2025, 2025]),
    # Simrishamn årsbokslut 2025 p. 33: Driftredovisning and a grant table with counts
    (["Utfall 2025", "Budget 2025", "Återstår"], 2025, ["actual", "budget", "difference"], [2025] * 3),
    (["Bokslut 2023", "Bokslut 2024", "Bokslut 2025", "Budget 2025", "Antal 2023", "Antal 2024", "Antal 2025"], 2025,
     ["actual"] * 3 + ["budget"] + ["count"] * 3, [2023, 2024, 2025, 2025, 2023, 2024, 2025]),
    # Simrishamn p. 21: grouped headings joined "Group Sub"
    (["Utgifter sedan projektets start Total projektbudget", "Utgifter sedan projektets start Ack. Utfall",
      "Utgifter sedan projektets start Avvikelse", "Varav årets investeringar Budget 2025",
      "Varav årets investeringar Utfall 2025", "Varav årets investeringar Budget- avvikelse"], 2025,
     ["total", "cumulative", "difference", "budget", "actual", "difference"], [None, None, None, 2025, 2025, 2025]),
    # Simrishamn budgetskrivelse för investeringar 2027-2031 p. 4
    (["Budget 2027", "Plan 2028", "Plan 2029", "Plan 2030", "Plan 2031", "Total utgift"], None,
     ["budget", "plan", "plan", "plan", "plan", "total"], [2027, 2028, 2029, 2030, 2031, None]),
    # grouped headings of a Swedish interim report
    (["Period Utfall", "Period Budget", "Period Avvikelse", "Helår Prognos", "Helår Budget"], 2025,
     ["actual", "budget", "difference", "forecast", "budget"], [2025] * 5),
]


@pytest.mark.parametrize(("labels", "context", "kinds", "years"), TABLES)
def test_column_kinds_and_years(labels: list[str], context: int | None, kinds: list[str],
                                years: list[int | None]) -> None:
    got = [column_kind(label) for label in labels]
    assert got == kinds
    assert column_years(labels, got, context) == years


@pytest.mark.parametrize(("label", "kind"), [
    ("TA + muut.", "budget_amended"), ("Budget inkl. ändringar", "budget_amended"),
    ("Kv 27.5. §45 Muutos", "budget_change"), ("TAe 2026", "proposal"), ("Talousarvioesitys 2026", "proposal"),
    ("Budgetförslag 2026", "proposal"), ("Ennuste 2025", "forecast"), ("Prognos", "forecast"),
    ("Tot. 31.12.2024", "actual"), ("Utfall fg år", "actual"), ("Förändring %", "percent_change"),
    ("Toteutuma-%", "realisation_percent"), ("MÄÄRÄRAHAT Alkuperäinen TA", "budget_original"),
    ("TULOT TA muutosten jälkeen", "budget_amended"), ("Toteuma-arvo", "other"), ("2024", None),
    ("Konserni 2024", None), ("31.12.2024 1 000 €", None),
])
def test_single_headings(label: str, kind: str | None) -> None:
    assert column_kind(label) == kind


def test_heading_years() -> None:
    assert column_year("Utfall fg år", 2025, "actual", "sv") == 2024
    assert column_year("Tot. 31.12.2024", None, "actual") == 2024
    assert column_year("TA 2025 (Kv 9.12.2024)", None, "budget") == 2025
    assert column_year("MUUTOS TP2023/2024", None, "difference") == 2024
    assert column_year("Muutos-% 2024/2023", None, "percent_change") == 2024
    assert column_year("Talousarvio €", 2024, "budget") == 2024
    assert column_year("Talousarvio €", None, "budget") is None
    assert column_year("Yhteensä", 2025, "total") is None


# --- sums along the chart --------------------------------------------------------------------------------

def _figures(rows: list[tuple[str, int]], language: str, column: str = "2024") -> list[FinanceFigure]:
    figures = []
    for index, (label, amount) in enumerate(rows):
        line = classify_line(label, language)
        assert line.line_key, label
        figures.append(FinanceFigure(document_id="d", unit_name=None, table_id="t1", line_label=label,
                                     line_key=line.line_key, parent_line_key=line.parent, is_memo=False,
                                     column_label=column, year=2024, figure_kind="actual", amount=amount,
                                     row_index=index, col_index=1))
    return figures


# Kauhava p. 127, Tuloslaskelma, column 2024, in euros rounded to integers as printed with cents.
KAUHAVA_INCOME_STATEMENT = [
    ("TOIMINTATUOTOT", 7725767), ("Myyntituotot", 2348868), ("Maksutuotot", 653910),
    ("Tuet ja avustukset", 2086359), ("Muut toimintatuotot", 2636631), ("Valmistus omaan käyttöön", 94786),
    ("TOIMINTAKULUT", -46216718), ("Henkilöstökulut", -28659192), ("Palkat ja palkkiot", -23153505),
    ("Henkilösivukulut", -5505687), ("Eläkekulut", -4851742), ("Muut henkilösivukulut", -653945),
    ("Palvelujen ostot", -9986041), ("Aineet, tarvikkeet ja tavarat", -4749628), ("Avustukset", -1379484),
    ("Muut toimintakulut", -1442373), ("Toimintakate/Jäämä", -38396165), ("Verotulot", 33595351),
    ("Valtionosuudet", 15120644), ("Rahoitustuotot ja -kulut", -768243), ("Korkotuotot", 229331),
    ("Muut rahoitustuotot", 690833), ("Korkokulut", -1645715), ("Muut rahoituskulut", -42692),
    ("Vuosikate", 9551587), ("Poistot ja arvonalentumiset", -6275357), ("Suunnitelman mukaiset poistot", -5723434),
    ("Kertaluonteiset poistot", -263372), ("Arvonalentumiset", -288551), ("Satunnaiset tuotot ja kulut", 885301),
    ("Satunnaiset tuotot", 885301), ("Satunnaiset kulut", 0), ("Tilikauden tulos", 4161531),
    ("Varausten ja rahastojen muutokset", 129412), ("Poistoeron muutos", 129112), ("Varausten muutos", 0),
    ("Rahastojen muutos", 300), ("Tilikauden yli-/alijäämä", 4290943),
]
# Kauhava p. 128, Rahoituslaskelma, column 2024 (the group rows print no figure).
KAUHAVA_FINANCING_STATEMENT = [
    ("Vuosikate", 9551587), ("Satunnaiset erät", 885301), ("Tulorahoituksen korjauserät", -25130),
    ("Investointimenot", -12331778), ("Rahoitusosuudet investointimenoihin", 462410),
    ("Pysyvien vastaavien hyödykkeiden luovutustulot", 159805), ("Toiminnan ja investointien rahavirta", -1297805),
    ("Antolainasaamisten lisäys", -4052320), ("Antolainasaamisten vähennys", 3335948),
    ("Pitkäaikaisten lainojen lisäys", 15000000), ("Pitkäaikaisten lainojen vähennys", -4008553),
    ("Lyhytaikaisten lainojen muutos", -4567075), ("Toimeksiantojen varojen ja pääomien muutokset", 6520),
    ("Vaihto-omaisuuden muutos", 18997), ("Saamisten muutos", 670825), ("Käyttöomaisuuden oikaisuerät", 0),
    ("Korottomien velkojen muutokset", -3151856), ("Rahoituksen rahavirta", 3252487), ("Rahavarojen muutos", 1954682),
]


@pytest.mark.parametrize("rows", [KAUHAVA_INCOME_STATEMENT, KAUHAVA_FINANCING_STATEMENT])
def test_a_statement_that_adds_up_gives_only_rounding_findings(rows: list[tuple[str, int]]) -> None:
    findings = check_hierarchy(_figures(rows, "fi"))
    assert {f.severity for f in findings} <= {"info"}


def test_a_wrong_child_is_found_under_its_parent() -> None:
    rows = [(label, amount - 100000 if label == "Eläkekulut" else amount) for label, amount in KAUHAVA_INCOME_STATEMENT]
    errors = {f.check for f in check_hierarchy(_figures(rows, "fi")) if f.severity == "error"}
    assert errors == {"personnel_side_costs"}


def test_a_child_the_table_omits_is_replaced_by_its_own_children() -> None:
    # Henkilöstökulut printed with Palkat ja palkkiot, Eläkekulut and Muut henkilösivukulut only
    rows = [("Henkilöstökulut", -28659192), ("Palkat ja palkkiot", -23153505), ("Eläkekulut", -4851742),
            ("Muut henkilösivukulut", -653945)]
    assert {f.severity for f in check_hierarchy(_figures(rows, "fi"))} <= {"info"}
    rows[2] = ("Eläkekulut", -4751742)
    assert [f.check for f in check_hierarchy(_figures(rows, "fi"))] == ["personnel_costs"]


def test_costs_printed_positive_are_read_as_reducing() -> None:
    # Kauhava p. 47, konsernituloslaskelma 2024 (1 000 €): costs printed positive
    rows = [("Toimintatuotot", 30955), ("Toimintakulut", 68313), ("Osuus osakkuusyhteisön voitosta/tappiosta", 21),
            ("Toimintakate", -37338)]
    assert {f.severity for f in check_hierarchy(_figures(rows, "fi"))} <= {"info"}


def test_a_margin_printed_as_net_cost_in_a_table_without_minus_signs() -> None:
    from extractors.validate import validate_figures
    # Lapua ympäristölautakunta 25.1.2022 p. 10: "€ | Toimintamenot 332.343 | Toimintatulot 132.095 |
    # Toimintakate 200.248": no minus anywhere, the margin is the net cost
    rows = [("Toimintamenot", 332343), ("Toimintatulot", 132095), ("Toimintakate", 200248)]
    findings = validate_figures(_figures(rows, "fi", column="€"), [])
    assert [(f.check, f.severity) for f in findings] == [("operating_margin", "info")]
    assert "net cost" in findings[0].message and findings[0].actual == 200248.0
    # the same margin off by 1 000 is a mismatch, whichever way it is read
    rows[2] = ("Toimintakate", 201248)
    assert [f.severity for f in validate_figures(_figures(rows, "fi", column="€"), [])] == ["error"]
    # a table that prints a minus sign prints its margin's sign: Kauhava p. 47 with the margin's minus lost
    # beside a printed negative line is a mismatch
    rows = [("Toimintatuotot", 30955), ("Toimintakulut", 68313), ("Osuus osakkuusyhteisön voitosta/tappiosta", -21),
            ("Toimintakate", 37380)]
    assert "error" in {f.severity for f in validate_figures(_figures(rows, "fi"), [])}
    rows[3] = ("Toimintakate", -37380)
    assert {f.severity for f in validate_figures(_figures(rows, "fi"), [])} <= {"info"}


def test_swedens_net_operating_costs() -> None:
    # Simrishamn årsbokslut 2025 p. 13 (tkr), column 2025
    rows = [("Intäkter", 11251), ("Kostnader", -73300), ("Nettokostnader", -62049)]
    assert check_hierarchy(_figures(rows, "sv")) == []
    rows[2] = ("Nettokostnader", -62149)
    assert [f.check for f in check_hierarchy(_figures(rows, "sv"))] == ["net_operating_costs"]


# --- the pipeline on real documents ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hyvinvointi(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / "fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf")[1]


@pytest.fixture(scope="module")
def simrishamn(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / "se_simrishamn_kfn_arsbokslut_2025.pdf")[1]


def test_lapua_board_budget_proposal(hyvinvointi: RecordSet) -> None:
    # p. 14: Hyvinvointilautakunnan talousarvioesitys vuodelle 2025
    got = {(f.line_label, f.line_key, f.parent_line_key, f.figure_kind, f.year, f.amount)
           for f in hyvinvointi.finance if f.page == 14 and f.figure_kind != "percent_change"}
    assert got == {
        ("Toimintatuotot", "operating_income", "operating_margin", "budget", 2024, 1329950),
        ("Toimintatuotot", "operating_income", "operating_margin", "frame", 2025, 1250000),
        ("Toimintatuotot", "operating_income", "operating_margin", "budget", 2025, 1212750),
        ("Toimintatuotot", "operating_income", "operating_margin", "difference", 2025, -37250),
        ("Toimintakulut", "operating_costs", "operating_margin", "budget", 2024, -4509080),
        ("Toimintakulut", "operating_costs", "operating_margin", "frame", 2025, -4641000),
        ("Toimintakulut", "operating_costs", "operating_margin", "budget", 2025, -4592543),
        ("Toimintakulut", "operating_costs", "operating_margin", "difference", 2025, -48457),
        ("Toimintakate", "operating_margin", "annual_margin", "budget", 2024, -3179130),
        ("Toimintakate", "operating_margin", "annual_margin", "frame", 2025, -3389000),
        ("Toimintakate", "operating_margin", "annual_margin", "budget", 2025, -3379793),
        ("Toimintakate", "operating_margin", "annual_margin", "difference", 2025, -9207),
    }
    percent = {(f.line_key, f.year) for f in hyvinvointi.finance if f.figure_kind == "percent_change"}
    assert percent == {("operating_income", 2025), ("operating_costs", 2025), ("operating_margin", 2025)}


def test_simrishamn_committee_economy(simrishamn: RecordSet) -> None:
    # p. 13, Ekonomi (tkr): Intäkter, Kostnader, Nettokostnader, then the budget and its variance
    got = {(f.line_label, f.line_key, f.figure_kind, f.year, f.amount) for f in simrishamn.finance if f.page == 13}
    assert {
        ("Intäkter", "operating_income", "actual", 2024, 10135),
        ("Intäkter", "operating_income", "actual", 2025, 11251),
        ("Kostnader", "operating_costs", "actual", 2024, -69731),
        ("Kostnader", "operating_costs", "actual", 2025, -73300),
        ("Nettokostnader", "net_operating_costs", "actual", 2024, -59596),
        ("Nettokostnader", "net_operating_costs", "actual", 2025, -62049),
        ("Budget", None, "budget", 2024, -59689), ("Budget", None, "budget", 2025, -63119),
        ("Budgetavvikelse", None, "difference", 2024, 93), ("Budgetavvikelse", None, "difference", 2025, 1070),
    } <= got


def test_simrishamn_activities_and_counts_get_no_line(simrishamn: RecordSet) -> None:
    # p. 33: Driftredovisning per activity, and grant tables with counts ('Antal 2025')
    page = [f for f in simrishamn.finance if f.page == 33]
    assert page and all(f.line_key is None for f in page)
    counts = {(f.line_label, f.year, f.amount) for f in page if f.figure_kind == "count"}
    assert ("Arrangörsbidrag för kulturföreningar", 2025, 27) in counts
    remaining = {(f.line_label, f.figure_kind, f.year, f.amount) for f in page if f.column_label == "Återstår"}
    assert ("Bibliotek", "difference", 2025, 29) in remaining


@pytest.mark.parametrize(("printed", "label"), [
    ("Toteu- tuma", "Toteutuma"), ("TA:n muu- tokset", "TA:n muutokset"), ("Budget- avvikelse", "Budgetavvikelse"),
    ("Alkup. talous- arvio", "Alkup. talousarvio"),
    # a hyphen that is no line break stays: a suspended compound before a conjunction, a hyphen with no space
    ("Käyttö- ja investointiosa", "Käyttö- ja investointiosa"), ("TP-ennuste", "TP-ennuste"),
    ("Muutos-% 2024/2023", "Muutos-% 2024/2023"), ("Drift- och investering", "Drift- och investering"),
])
def test_a_heading_word_broken_at_a_line_end_is_whole(printed: str, label: str) -> None:
    from extractors.finance import column_label
    assert column_label(printed) == label


def test_rows_under_a_table_that_are_no_figures_of_it_are_named(corpus_dir: Path) -> None:
    # Lapua, Lautakuntien talousarviot 2025 (kh 4.11.2024), p. 3: under SIVISTYSLAUTAKUNTA's table
    # "Sivla on alittanut raamin -281 425 | Säästötavoite -1 759 900 | Säästötavoitetta jäljellä -1 478 475",
    # printed under the TP 2023 column but no TP 2023 figures
    from tests.pdf_pages import cut_pages
    page = cut_pages(corpus_dir / "real" / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf", (3,),
                     Path("/tmp") / "plandata-test-pages")
    records = process_file(page)[1]
    assert not [f for f in records.finance if "raamin" in f.line_label or "Säästötavoit" in f.line_label]
    notes = [i for i in records.issues if i.code == "rows_under_table"]
    assert [(i.severity, i.page) for i in notes] == [("warning", 1)]
    assert "3 row(s)" in notes[0].message and "Säästötavoite -1 759 900" in notes[0].message
    # figures kept in tables only: the document was not read completely
    assert records.document.status == "partial"
    assert "Säästötavoite -1 759 900" in (records.document.message or "")
    kept = {c.text for c in records.tables if c.table_id == notes[0].message.split()[1]}
    assert {"-281 425", "-1 759 900", "-1 478 475"} <= kept


def test_pupil_counts_and_diet_shares_in_minutes_are_no_money(corpus_dir: Path) -> None:
    """Lapua education board minutes: counts and shares are named like Kauhava's 'Kapasiteettitiedot'
    (an info), not left as unread figures (a warning that makes the document partial)."""
    from tests.pdf_pages import cut_pages
    pages = Path("/tmp") / "plandata-test-pages"
    # 8.10.2025 p. 15: 'Taulukossa alakoulujen oppilasmäärä lukuvuonna 2024-2025 ...' over a ruled table
    # 'LUKUVUOSI | 1. | 2. | ... | 6. | 1-6 luokat'; row '24-25' prints 151 ... 1052, row '29-30' ... 770
    records = process_file(cut_pages(corpus_dir / "real" / "fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf",
                                     (15,), pages))[1]
    assert records.finance == []
    named = [i for i in records.issues if i.code == "no_money_table"]
    assert [(i.severity, "oppilasmäärä" in i.message) for i in named] == [("info", True)]
    assert not [i for i in records.issues if i.code == "table_not_read"]
    assert {"151", "1052", "770"} <= {c.text for c in records.tables}
    # 15.1.2025 p. 7: '| % |' over 'vähälaktoosinen ruokavalio 5', 'laktoositon 0-10', 'gluteeniton (keliakia) 30'
    records = process_file(cut_pages(corpus_dir / "real" / "fi_lapua_sivistyslautakunta_poytakirja_2025-01-15.pdf",
                                     (7,), pages))[1]
    assert records.finance == []
    assert [i.message.split("'")[1] for i in records.issues if i.code == "no_money_table"] == ["%"]
    assert not [i for i in records.issues if i.code == "table_not_read"]
    # the money table of the same minutes is still read as finance (p. 7 of 8.10.2025: 'Toimintatuotot')
    records = process_file(cut_pages(corpus_dir / "real" / "fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf",
                                     (7,), pages))[1]
    assert records.finance and not [i for i in records.issues if i.code == "no_money_table"]


def test_a_key_figure_heading_in_the_first_cell_is_no_money(corpus_dir: Path) -> None:
    from tests.pdf_pages import cut_pages
    pages = Path("/tmp") / "plandata-test-pages"
    # Kauhava, Tilinpäätös 2024, p. 106: "Kapasiteettitiedot | TP2021 | TP2022 | TP2023 | TP2024" heads
    # 'Kaupungin kunnossapitämät kaavatiet, km 170 ...', 'Kaavoitettujen puistojen pinta-ala, ha ... 315':
    # lengths and areas, no euros (p. 85's key figures print 'Business-Finland tuotekehitysrahoitus', money:
    # tests/test_kauhava_committees.py)
    records = process_file(cut_pages(corpus_dir / "real" / "fi_kauhava_tilinpaatos_2024.pdf", (106,), pages))[1]
    assert records.finance == []
    assert [i.message.split("'")[1] for i in records.issues if i.code == "no_money_table"] == ["Kapasiteettitiedot"]
    assert {"170", "430", "315"} <= {c.text for c in records.tables}
    # Seinäjoki, Tilinpäätös 2024, p. 136: key figures in euros ("Tunnusluku (euroa)") are money
    records = process_file(cut_pages(corpus_dir / "real" / "fi_seinajoki_tilinpaatos_2024.pdf", (136,), pages))[1]
    sales = {(f.line_label, f.column_label): f for f in records.finance}[("Liikevaihto", "TP 2023")]
    assert (sales.printed, sales.unit, sales.figure_kind, sales.year) == ("127 377 718", "EUR", "actual", 2023)
