"""The arithmetic checks on hand-written tables: the chart's sums, sign conventions, derived columns and rows.

Every table here is copied by hand from the rendered page of a real document in ../shared/corpus/real
(PDF page numbers), printed strings as on the page; the expected outcomes are worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

from extractors.hierarchy import sign_convention
from extractors.numbers import read_number
from extractors.pipeline import process_file
from extractors.status import decide_status
from extractors.validate import run_checks
from models import DocumentStatus, FinanceFigure, PlanDocument, ValidationFinding

DOC = "c" * 64
Column = tuple[str, str]  # (heading, figure kind)
Row = tuple[str, str | None, list[str | None]]  # (label, line key, printed cells; None: blank)


def table(columns: list[Column], rows: list[Row], *, table_id: str = "t1", multiplier: int = 1,
          kinds: dict[int, str] | None = None) -> list[FinanceFigure]:
    """Figures of one table; `kinds` gives a row its own figure kind (a qualifier sub-row)."""
    figures = []
    for row_index, (label, key, cells) in enumerate(rows):
        for col, ((heading, kind), printed) in enumerate(zip(columns, cells, strict=True), start=1):
            if printed is None:
                continue
            parsed = read_number(printed)
            percent = parsed.is_percent or kind in ("percent_change", "realisation_percent")
            figures.append(FinanceFigure(
                document_id=DOC, unit_name="u", table_id=table_id, line_label=label, line_key=key, is_memo=False,
                column_label=heading, year=2024, figure_kind=(kinds or {}).get(row_index, kind),
                amount=parsed.amount, row_index=row_index, col_index=col, unit="percent" if percent else "EUR",
                multiplier=1 if percent else multiplier, printed=printed,
                value=None if percent else float(parsed.value * multiplier)))
    return figures


def problems(findings: list[ValidationFinding]) -> list[tuple[str, str | None, str, float | None]]:
    return [(f.check, f.column_label, f.severity, f.difference) for f in findings if f.severity != "info"]


def replace(figures: list[FinanceFigure], label: str, column: str, printed: str,
            row: int | None = None) -> list[FinanceFigure]:
    """The table with one cell printed otherwise (a misread digit); `row` when the label repeats."""
    out = []
    for f in figures:
        if f.line_label == label and f.column_label == column and row in (None, f.row_index):
            value = read_number(printed).value
            f = f.model_copy(update={"printed": printed, "amount": float(value), "value": float(value)})
        out.append(f)
    return out


# --- the chart's sums --------------------------------------------------------------------------------------

# Kauhava p. 125, Ulkoinen tuloslaskelma (costs printed negative, euros rounded from cents).
KAUHAVA_COLUMNS = [("Talousarvio €", "budget"), ("Toteuma €", "actual"), ("Toteuma %", "realisation_percent")]
KAUHAVA_P125: list[Row] = [
    ("TOIMINTATUOTOT", "operating_income", ["6 228 970", "7 725 767", "124,0 %"]),
    ("Myyntituotot", "sales_revenue", ["1 880 870", "2 348 868", "124,9 %"]),
    ("Maksutuotot", "fee_revenue", ["586 130", "653 910", "111,6 %"]),
    ("Tuet ja avustukset", "grants_received", ["1 424 250", "2 086 359", "146,5 %"]),
    ("Muut toimintatuotot", "other_operating_income", ["2 337 720", "2 636 631", "112,8 %"]),
    ("Valmistus omaan käyttöön", "production_for_own_use", ["105 990", "94 786", "89,4 %"]),
    ("TOIMINTAKULUT", "operating_costs", ["-46 525 690", "-46 216 718", "99,3 %"]),
    ("Henkilöstökulut", "personnel_costs", ["-29 248 420", "-28 659 192", "98,0 %"]),
    ("Palvelujen ostot", "purchased_services", ["-9 354 470", "-9 986 041", "106,8 %"]),
    ("Aineet, tarvikkeet ja tavarat", "materials", ["-4 808 820", "-4 749 628", "98,8 %"]),
    ("Avustukset", "grants_paid", ["-1 475 700", "-1 379 484", "93,5 %"]),
    ("Muut toimintakulut", "other_operating_costs", ["-1 638 280", "-1 442 373", "88,0 %"]),
    ("Toimintakate/Jäämä", "operating_margin", ["-40 190 730", "-38 396 165", "95,5 %"]),
    ("Verotulot", "tax_revenue", ["31 902 000", "33 595 351", "105,3 %"]),
    ("Valtionosuudet", "state_subsidies", ["14 490 700", "15 120 644", "104,3 %"]),
    ("Rahoitustuotot ja -kulut", "financial_items_net", ["-1 421 500", "-768 243", "54,0 %"]),
    ("Korkotuotot", "interest_income", ["45 000", "229 331", "509,6 %"]),
    ("Muut rahoitustuotot", "other_financial_income", ["390 500", "690 833", "176,9 %"]),
    ("Korkokulut", "interest_expenses", ["-1 800 000", "-1 645 715", "91,4 %"]),
    ("Muut rahoituskulut", "other_financial_expenses", ["-57 000", "-42 692", "74,9 %"]),
    ("Vuosikate", "annual_margin", ["4 780 470", "9 551 587", "199,8 %"]),
]


def test_a_statement_that_adds_up_is_checked_line_by_line_and_percentages_are_skipped() -> None:
    figures = table(KAUHAVA_COLUMNS, KAUHAVA_P125)
    assert sign_convention(figures) == "costs_negative"
    result = run_checks(figures, [])
    # the income lines of Toteuma € add up to 7 725 768, printed 7 725 767: cents rounded in the source
    assert [(f.check, f.column_label, f.severity, f.difference) for f in result.findings] == [
        ("income_components", "Toteuma €", "info", -1.0)]
    # every money figure is in a check that holds (Vuosikate with Verotulot, the parent of the unprinted
    # tax lines); the 21 percentages are neither summed nor counted
    assert result.coverage(figures) == (42, 42, 1.0)
    assert all(id(f) in result.checked for f in figures if f.line_key == "annual_margin" and f.unit == "EUR")
    assert not any(f.column_label == "Toteuma %" for f in result.findings)


def test_a_misread_digit_in_a_line_fails_its_total_only() -> None:
    # Palvelujen ostot misread 9 986 941 (a 9 for a 0): Toimintakulut no longer equals its lines
    figures = replace(table(KAUHAVA_COLUMNS, KAUHAVA_P125), "Palvelujen ostot", "Toteuma €", "-9 986 941")
    assert problems(run_checks(figures, []).findings) == [("cost_components", "Toteuma €", "error", 900.0)]


def test_a_misread_total_is_reported_once() -> None:
    # Toimintakulut misread -46 216 778: its lines do not add up to it; the margin above it still adds up
    # with the lines in its place, so the one wrong figure gives one finding
    figures = replace(table(KAUHAVA_COLUMNS, KAUHAVA_P125), "TOIMINTAKULUT", "Toteuma €", "-46 216 778")
    result = run_checks(figures, [])
    assert problems(result.findings) == [("cost_components", "Toteuma €", "error", -60.0)]


# Kauhava p. 154, Myytävät taloushallintopalvelut: Henkilösivukulut (-12 703,42) left out here, so
# Henkilöstökulut is checked against Palkat ja palkkiot and the children of the unprinted level.
KAUHAVA_P154: list[Row] = [
    ("Palkat ja palkkiot", "wages_and_salaries", ["-54 617,52", "-55 779,03"]),
    ("Eläkekulut", "pension_costs", ["-11 173,76", "-11 503,04"]),
    ("Muut henkilösivukulut", "other_personnel_side_costs", ["-1 529,66", "-2 315,50"]),
    ("Henkilöstökulut", "personnel_costs", ["-67 320,94", "-69 597,57"]),
    ("Palvelujen ostot", "purchased_services", ["-46 355,43", "-39 865,34"]),
    ("Aineet, tarvikkeet ja tavarat", "materials", ["-898,93", "-462,35"]),
    ("Muut toimintakulut", "other_operating_costs", ["-4 528,91", "-2 635,69"]),
    ("TOIMITAKULUT", "operating_costs", ["-119 071,21", "-112 560,92"]),
]
P154_COLUMNS = [("1.1. - 31.12.2024", "actual"), ("1.1. - 31.12.2023", "actual")]


def test_an_unprinted_level_is_replaced_by_its_children() -> None:
    personnel = table(P154_COLUMNS, KAUHAVA_P154[:4])
    result = run_checks(personnel, [])
    assert result.findings == [] and result.coverage(personnel) == (8, 8, 1.0)
    wrong = replace(personnel, "Eläkekulut", "1.1. - 31.12.2024", "-11 773,76")
    assert problems(run_checks(wrong, []).findings) == [("personnel_costs", "1.1. - 31.12.2024", "error", 600.0)]


def test_the_page_that_does_not_add_up_by_cents() -> None:
    # p. 154 itself: the cost lines add up to -119 104,21 (2024) and -112 560,95 (2023), printed
    # -119 071,21 and -112 560,92. Three cents among figures printed to the cent is not rounding (the
    # bound is half a cent per figure, 0,025 here)
    findings = problems(run_checks(table(P154_COLUMNS, KAUHAVA_P154), []).findings)
    assert findings == [("cost_components", "1.1. - 31.12.2024", "error", 33.0),
                        ("cost_components", "1.1. - 31.12.2023", "error", 0.03)]


# --- sign conventions --------------------------------------------------------------------------------------

# Seinäjoki p. 79, 120 Tarkastustoimi: costs printed positive; Poikkeama is favourable-positive
# (income: Toteutuma − Talousarvio; costs: Talousarvio − Toteutuma). Sub-rows of the budget column:
# the original budget and two council changes above the line's total ('Yhteensä').
SEINAJOKI_COLUMNS = [("Talousarvio €", "budget"), ("Toteutuma €", "actual"), ("Poikkeama €", "difference")]
SEINAJOKI_P79: list[Row] = [
    ("Toimintatulot / Alkuperäinen", None, ["200", None, None]),
    ("Toimintatulot / Yhteensä", "operating_income", ["200", "375", "175"]),
    ("Toimintamenot / Alkuperäinen", None, ["192 100", None, None]),
    ("Toimintamenot / Kv 22.4. §26 Muutos", None, ["-4 000", None, None]),
    ("Toimintamenot / Kv 9.12. §98 Muutos", None, ["3 100", None, None]),
    ("Toimintamenot / Yhteensä", "operating_costs", ["191 200", "203 437", "-12 237"]),
    ("Netto (Toimintakate)", "operating_margin", ["-191 000", "-203 062", "-12 062"]),
]
SUB_ROWS = {0: "budget_original", 2: "budget_original", 3: "budget_change", 4: "budget_change"}


def test_costs_printed_positive() -> None:
    figures = table(SEINAJOKI_COLUMNS, SEINAJOKI_P79, kinds=SUB_ROWS)
    assert sign_convention(figures) == "costs_positive"
    result = run_checks(figures, [])
    assert result.findings == []
    assert result.coverage(figures) == (13, 13, 1.0)
    # with the convention known, a margin printed as income plus costs is not read as the other convention
    wrong = replace(figures, "Netto (Toimintakate)", "Talousarvio €", "191 400")
    assert ("operating_margin", "Talousarvio €", "error", 382400.0) in problems(run_checks(wrong, []).findings)


def test_a_budget_line_is_its_original_plus_its_changes() -> None:
    figures = table(SEINAJOKI_COLUMNS, SEINAJOKI_P79, kinds=SUB_ROWS)
    wrong = replace(figures, "Toimintamenot / Kv 9.12. §98 Muutos", "Talousarvio €", "3 160")
    assert problems(run_checks(wrong, []).findings) == [("budget_changes", "Talousarvio €", "error", -60.0)]


# Kauhava p. 103, Tilapalvelut and Tekninen hallinto: costs printed negative, Poikkeama = Toteutuma − TA
# muutosten jälkeen as printed, a change column of zeros.
KAUHAVA_COLUMNS_103 = [("Alkuperäinen TA", "budget_original"), ("TA muutokset", "budget_change"),
                       ("TA muutosten jälkeen", "budget_amended"), ("Toteutuma", "actual"),
                       ("Poikkeama", "difference")]
TILAPALVELUT: list[Row] = [
    ("TOIMINTATUOTOT", "operating_income", ["2 035 220", "0", "2 035 220", "2 252 392", "217 172"]),
    ("TOIMINTAKULUT", "operating_costs", ["-8 311 730", "0", "-8 311 730", "-8 280 628", "31 102"]),
    ("Toimintakate/Jäämä", "operating_margin", ["-6 276 510", "0", "-6 276 510", "-6 028 236", "248 274"]),
]
TEKNINEN_HALLINTO: list[Row] = [
    ("TOIMINTATUOTOT", "operating_income", ["0", "0", "0", "0", "0"]),
    ("TOIMINTAKULUT", "operating_costs", ["-290 700", "0", "-290 700", "-298 644", "-7 944"]),
    ("Toimintakate/Jäämä", "operating_margin", ["-201 710", "0", "-201 710", "-209 838", "-8 128"]),
]


def test_costs_printed_negative_and_the_derived_columns() -> None:
    figures = table(KAUHAVA_COLUMNS_103, TILAPALVELUT)
    assert sign_convention(figures) == "costs_negative"
    result = run_checks(figures, [])
    assert result.findings == [] and result.coverage(figures) == (15, 15, 1.0)


def test_a_table_that_leaves_out_a_line_does_not_add_up() -> None:
    # the text under the table says 'Valmistus omaan käyttöön tulot 88 805,55 €'; the table leaves the
    # line out, so its margin is not income + costs: an error in each level column (the Poikkeama and
    # change columns follow from the others and are not reported again)
    findings = problems(run_checks(table(KAUHAVA_COLUMNS_103, TEKNINEN_HALLINTO), []).findings)
    assert findings == [("operating_margin", "Alkuperäinen TA", "error", 88990.0),
                        ("operating_margin", "TA muutosten jälkeen", "error", 88990.0),
                        ("operating_margin", "Toteutuma", "error", 88806.0)]


# Kauhava p. 49, konsernin rahoituslaskelma (1 000 €): reducing lines printed positive (Tilikauden verot,
# Investointimenot, Pitkäaikaisten lainojen vähennys) except Antolainasaamisten lisäykset, printed with
# the sign of its effect (-1 457 in 2024, 1 577 in 2023). The table's sums hold when each reducing line is
# read either way; the mixed printing itself is the finding.
KAUHAVA_P49: list[Row] = [
    ("Vuosikate", "annual_margin", ["15 239", "16 398"]),
    ("Satunnaiset erät", "extraordinary_items_net", ["885", "536"]),
    ("Tilikauden verot", "income_taxes", ["29", "200"]),
    ("Tulorahoituksen korjauserät", "income_financing_adjustments", ["-75", "-177"]),
    ("Investointimenot", "investment_expenditure", ["20 531", "21 085"]),
    ("Rahoitusosuudet inv.menoihin", "investment_contributions", ["491", "147"]),
    ("Pys.vast. hyödykkeiden luov.tulot", "disposal_proceeds", ["1 268", "6 006"]),
    ("Toiminnan ja investointien rahavirta", "operating_and_investment_cash_flow", ["-2 753", "1 623"]),
    ("Antolainasaamisten lisäykset", "lending_increase", ["-1 457", "1 577"]),
    ("Antolainasaamisten vähennykset", "lending_decrease", ["3 336", "1 362"]),
    ("Pitkäaikaisten lainojen lisäys", "long_term_loans_increase", ["19 852", "8 767"]),
    ("Pitkäaikaisten lainojen vähennys", "long_term_loans_decrease", ["8 978", "14 970"]),
    ("Lyhytaikaisten lainojen muutos", "short_term_loans_change", ["-8 264", "235"]),
    ("Oman pääoman muutokset", "equity_changes", ["33", "4 094"]),
    ("Toimeksiantojen varojen ja po:n muutokset", "trust_funds_change", ["9", "91"]),
    ("Vaihto-omaisuuden muutos", "inventories_change", ["-630", "-26"]),
    ("Saamisten muutokset", "receivables_change", ["5 368", "7 447"]),
    ("Korottomien velkojen muutokset", "non_interest_liabilities_change", ["-4 919", "-10 206"]),
    ("Rahoituksen rahavirta", "financing_cash_flow", ["4 349", "-1 628"]),
    ("Rahavarojen muutos", "cash_change", ["1 596", "-5"]),
    ("Rahavarat 31.12.", "cash_end", ["29 274", "33 188"]),
    ("Rahavarat 1.1.", "cash_start", ["27 678", "33 193"]),
]


def test_a_mixed_sign_convention_is_a_finding_and_the_document_partial() -> None:
    figures = table([("2024 1 000 €", "actual"), ("2023 1 000 €", "actual")], KAUHAVA_P49, multiplier=1000)
    assert sign_convention(figures) == "mixed"
    result = run_checks(figures, [])
    assert problems(result.findings) == [("sign_convention", None, "warning", None)]
    assert "Antolainasaamisten lisäykset" in result.findings[0].message
    doc = PlanDocument(document_id=DOC, source_path="x.pdf", source_format="pdf", status=DocumentStatus.ok)
    decide_status(doc, figures, [], result.findings)
    assert doc.status == DocumentStatus.partial and "sign_convention" in doc.message
    assert [i.code for i in doc.issues] == ["mixed_sign_convention"]


# --- derived columns and rows ------------------------------------------------------------------------------

# Seinäjoki p. 79, 100 Vaalit (costs positive, favourable-positive deviation).
VAALIT: list[Row] = [
    ("Toimintatulot / Yhteensä", "operating_income", ["420 000", "368 762", "-51 238"]),
    ("Toimintamenot / Yhteensä", "operating_costs", ["605 700", "529 973", "75 727"]),
    ("Netto (Toimintakate)", "operating_margin", ["-185 700", "-161 211", "24 489"]),
]


def test_a_difference_column_read_as_printed_by_its_own_rule() -> None:
    figures = table(SEINAJOKI_COLUMNS, VAALIT)
    result = run_checks(figures, [])
    assert result.findings == [] and result.coverage(figures) == (9, 9, 1.0)
    # 75 787 for 75 727: the difference column finds the row; its sum is not reported a second time
    wrong = replace(figures, "Toimintamenot / Yhteensä", "Poikkeama €", "75 787")
    findings = run_checks(wrong, []).findings
    assert problems(findings) == [("difference_column", "Poikkeama €", "error", 60.0)]
    assert "reducing lines reversed" in findings[0].message


# Lapua sivistyslautakunta 15.1.2025 p. 23, investments (thousands printed with a dot).
LAPUA_P23_COLUMNS = [("2025", "other"), ("2026", "other"), ("2027", "other"), ("Yhteensä", "total")]
LAPUA_P23: list[Row] = [
    ("97012 Hallinto", None, ["0", "0", "-10.000", "-10.000"]),
    ("97003 Alakoulut", None, ["-20.000", "-20.000", "-20.000", "-60.000"]),
    ("97001 Yläkoulu", None, ["-10.000", "-75.000", "-10.000", "-95.000"]),
    ("97002 Lukio", None, ["0", "-10.000", "-10.000", "-20.000"]),
    ("97051 Varhaiskasvatus", None, ["0", "-20.000", "-20.000", "-40.000"]),
    ("Koneet ja kalusto / Sivistyslautakunta yhteensä", None, ["-30.000", "-125.000", "-70.000", "-225.000"]),
]


def test_a_total_column_and_a_total_row() -> None:
    figures = table(LAPUA_P23_COLUMNS, LAPUA_P23)
    result = run_checks(figures, [])
    assert result.findings == [] and result.coverage(figures) == (24, 24, 1.0)
    # -15.000 for -75.000: the row's total and the column's total both disagree (two sums, two findings)
    wrong = replace(figures, "97001 Yläkoulu", "2026", "-15.000")
    assert problems(run_checks(wrong, []).findings) == [("total_column", "Yhteensä", "error", -60000.0),
                                                         ("total_row", "2026", "error", -60000.0)]


# Seinäjoki p. 172, 30) Vieras pääoma, short-term columns: a subtotal, then a grand total of every line.
SEINAJOKI_P172: list[Row] = [
    ("Saadut ennakot", None, [None, "3 375,00"]),
    ("Ostovelat", None, ["1 543 588,70", "1 594 971,15"]),
    ("Yhteensä", None, ["1 543 588,70", "1 598 346,15"]),
    ("Ostovelat", None, ["10 460,98", "9 629,60"]),
    ("Ostovelat", None, ["41 684,59", "33 390,47"]),
    ("Yhteensä", None, ["1 595 734,27", "1 641 366,22"]),
]


def test_a_grand_total_after_a_subtotal() -> None:
    figures = table([("2024 Lyhytaikainen", "actual"), ("2023 Lyhytaikainen", "actual")], SEINAJOKI_P172)
    result = run_checks(figures, [])
    # 2024's first total has one line above it: not a sum to check; every other figure is checked
    assert result.findings == [] and result.coverage(figures) == (10, 10, 0.909)
    wrong = replace(figures, "Yhteensä", "2023 Lyhytaikainen", "1 641 966,22", row=5)
    assert ("total_row", "2023 Lyhytaikainen", "error", 600.0) in problems(run_checks(wrong, []).findings)


def test_rows_without_a_total_are_not_summed() -> None:
    # the same lines without their total row or total column: nothing to check, nothing reported
    rows = [(label, key, cells[:3]) for label, key, cells in LAPUA_P23[:5]]
    figures = table(LAPUA_P23_COLUMNS[:3], rows)
    result = run_checks(figures, [])
    assert result.findings == [] and result.coverage(figures) == (0, 0, 0.0)


# --- a real document -----------------------------------------------------------------------------------------

def test_lapua_welfare_board_minutes_report_the_two_inconsistencies_of_page_14(corpus_dir: Path) -> None:
    # p. 14 (read from the page): Raami 2025 prints Toimintakate -3 389 000 while 1 250 000 - 4 641 000 =
    # -3 391 000; and Ero raamiin prints -37 250, -48 457, -9 207, which no single rule gives (TA 2025 -
    # Raami 2025 is -37 250, 48 457, 9 207)
    _, records = process_file(corpus_dir / "real" / "fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf")
    found = {(f.page, f.check, f.column_label, f.severity) for f in records.validation}
    assert (14, "operating_margin", "Raami 2025", "error") in found
    assert (14, "difference_column", "Ero raamiin", "error") in found
    assert len([f for f in records.validation if f.severity != "info"]) == 2
    assert {f.sign_convention for f in records.finance if f.page == 14} == {"costs_negative"}
