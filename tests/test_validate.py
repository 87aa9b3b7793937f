"""Arithmetic checks, the rounding rule and the status rules, called directly with hand-written tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.rounding import looks_like_misread_digit
from extractors.status import decide_status
from extractors.validate import run_checks, validate_figures
from models import DocumentStatus, FinanceFigure, PlanDocument, Unit

DOC = "d" * 64
COLUMNS: dict[str, int] = {}
"""column heading -> its column index in the hand-written tables (one per heading, in order of use)"""


def figure(line_key: str, printed: str, amount: float, *, column: str = "TA 2025", table: str = "t1",
           unit_name: str = "Sivistyslautakunta", row: int = 0, kind: str = "budget", multiplier: int = 1,
           unit: str = "EUR", page: int = 3) -> FinanceFigure:
    return FinanceFigure(document_id=DOC, unit_name=unit_name, table_id=table, line_label=line_key, line_key=line_key,
                         is_memo=False, column_label=column, year=2025, figure_kind=kind, amount=amount,
                         unit=unit, multiplier=multiplier,
                         value=None if unit == "percent" else amount * multiplier, printed=printed,
                         page=page, row_index=row, col_index=COLUMNS.setdefault(column, len(COLUMNS) + 1))


def margin_table(income: float, costs: float, margin: float, **kw: object) -> list[FinanceFigure]:
    return [figure("operating_income", str(income), income, row=0, **kw),  # type: ignore[arg-type]
            figure("operating_costs", str(costs), costs, row=1, **kw),  # type: ignore[arg-type]
            figure("operating_margin", str(margin), margin, row=2, **kw)]  # type: ignore[arg-type]


def plan(status: DocumentStatus = DocumentStatus.ok) -> PlanDocument:
    return PlanDocument(document_id=DOC, source_path="x.pdf", source_format="pdf", status=status)


def test_a_table_that_adds_up_has_no_finding_and_every_figure_passes() -> None:
    figures = margin_table(1_000, -5_000, -4_000)
    result = run_checks(figures, [])
    assert result.findings == []
    assert result.coverage(figures) == (3, 3, 1.0)


def test_a_wrong_sum_is_an_error_and_the_document_partial() -> None:
    figures = margin_table(1_000, -5_000, -4_500)
    findings = validate_figures(figures, [])
    assert [(f.check, f.severity, f.difference, f.table_id, f.page) for f in findings] == [
        ("operating_margin", "error", -500.0, "t1", 3)]
    doc = plan()
    decide_status(doc, figures, [], findings)
    assert doc.status == DocumentStatus.partial
    assert "table t1 (page 3): operating_margin in TA 2025 does not add up" in doc.message
    assert any(i.code == "arithmetic_mismatch" and i.severity == "error" for i in doc.issues)
    assert run_checks(figures, []).coverage(figures) == (3, 0, 0.0)


def test_a_one_unit_rounding_difference_stays_info_and_ok() -> None:
    # printed in euros: 1 000 + (-5 000) = -4 000, printed -4 001 (each figure off by up to 0.5)
    figures = margin_table(1_000, -5_000, -4_001)
    findings = validate_figures(figures, [])
    assert [(f.severity, f.difference, f.tolerance) for f in findings] == [("info", -1.0, 1.5)]
    assert findings[0].message.startswith("rounding difference")
    doc = plan()
    decide_status(doc, figures, [], findings)
    assert doc.status == DocumentStatus.ok and doc.message == ""
    assert run_checks(figures, []).coverage(figures) == (3, 3, 1.0)


def test_two_units_over_two_components_is_not_rounding() -> None:
    # the bound is (2 components + total) x 0.5 = 1.5: a difference of 2 cannot come from rounding
    findings = validate_figures(margin_table(1_000, -5_000, -4_002), [])
    assert [f.severity for f in findings] == ["error"]


def twenty_areas(central_printed: int) -> tuple[list[FinanceFigure], list[Unit]]:
    """A central and twenty areas of -100 each: rounding alone allows (20 + 1) x 0.5 = 10.5 units."""
    central = Unit(document_id=DOC, unit_id="c", name="Keskus", level="central")
    areas = [Unit(document_id=DOC, unit_id=f"a{i}", name=f"Alue {i}", level="area", parent_unit_id="c")
             for i in range(20)]
    figures = [figure("operating_costs", str(central_printed), float(central_printed), unit_name="Keskus")]
    figures += [figure("operating_costs", "-100", -100.0, unit_name=f"Alue {i}", table=f"t{i + 2}") for i in range(20)]
    return figures, [central, *areas]


@pytest.mark.parametrize("difference", [9, 90, 900, 10, 100, 1000])
def test_a_misread_digit_is_never_rounding(difference: int) -> None:
    findings = run_checks(*twenty_areas(-2000 - difference)).findings
    assert [(f.severity, f.difference) for f in findings] == [("error", -difference)]
    assert findings[0].tolerance == 10.5


def test_many_components_round_further() -> None:
    findings = run_checks(*twenty_areas(-2003)).findings
    assert [(f.severity, f.difference) for f in findings] == [("info", -3.0)]


def test_misread_digit_rule() -> None:
    assert looks_like_misread_digit(Decimal(9), Decimal(1))
    assert looks_like_misread_digit(Decimal(-900), Decimal(1))
    assert looks_like_misread_digit(Decimal(20), Decimal(1))
    assert not looks_like_misread_digit(Decimal(1), Decimal(1))
    assert not looks_like_misread_digit(Decimal(3), Decimal(1))
    assert not looks_like_misread_digit(Decimal(11), Decimal(1))
    # in a table printed with one decimal, 0.9 is nine printed units
    assert looks_like_misread_digit(Decimal("0.9"), Decimal("0.1"))
    assert not looks_like_misread_digit(Decimal("0.1"), Decimal("0.1"))


def test_rounding_bound_follows_the_printed_precision() -> None:
    # one decimal printed: 0.1 off is rounding (bound 0.15), 0.2 is not
    ok = [figure("operating_income", "10,2", 10.2, row=0), figure("operating_costs", "-30,4", -30.4, row=1),
          figure("operating_margin", "-20,3", -20.3, row=2)]
    assert [f.severity for f in validate_figures(ok, [])] == ["info"]
    wrong = [*ok[:2], figure("operating_margin", "-20,4", -20.4, row=2)]
    assert [f.severity for f in validate_figures(wrong, [])] == ["error"]


def test_tables_in_thousands_are_checked_in_their_printed_unit() -> None:
    # printed in 1 000 €: 1 234 + (-5 678) = -4 444; printed -4 445 is a rounding of half a thousand each
    figures = margin_table(1_234, -5_678, -4_445, multiplier=1000)
    findings = validate_figures(figures, [])
    assert [(f.severity, f.difference, f.tolerance) for f in findings] == [("info", -1000.0, 1500.0)]
    # 900 thousand off: a misread digit
    wrong = margin_table(1_234, -5_678, -5_344, multiplier=1000)
    assert [f.severity for f in validate_figures(wrong, [])] == ["error"]


def test_percent_figures_are_never_summed() -> None:
    figures = [*margin_table(1_000, -5_000, -4_000),
               figure("operating_margin", "2,5 %", 2.5, column="Muutos %", unit="percent", kind="difference")]
    result = run_checks(figures, [])
    assert result.findings == []
    assert result.coverage(figures) == (3, 3, 1.0)  # the percentage is not a money figure


def test_a_difference_column_is_checked_against_the_pair_it_subtracts() -> None:
    rows = [("operating_income", 3_795_000, 4_035_100, 240_100), ("operating_costs", -6_560_200, -6_330_500, 229_700),
            ("operating_margin", -2_765_200, -2_295_400, 469_800)]
    figures = []
    for i, (key, frame, budget, diff) in enumerate(rows):
        figures += [figure(key, str(frame), frame, column="Raami 2025", kind="frame", row=i),
                    figure(key, str(budget), budget, column="TA 2025", row=i),
                    figure(key, str(diff), diff, column="Ero raamiin", kind="difference", row=i)]
    result = run_checks(figures, [])
    assert result.findings == []
    assert result.coverage(figures) == (9, 9, 1.0)
    # one difference misread by 900: an error naming the row
    figures[-1] = figure("operating_margin", "470 700", 470_700, column="Ero raamiin", kind="difference", row=2)
    findings = [f for f in run_checks(figures, []).findings if f.check == "difference_column"]
    assert [(f.severity, f.difference) for f in findings] == [("error", 900.0)]
    assert "Ero raamiin 470700 vs TA 2025 − Raami 2025 = 469800" in findings[0].message


def test_areas_sum_to_their_central() -> None:
    central = Unit(document_id=DOC, unit_id="c", name="Keskus", level="central")
    areas = [Unit(document_id=DOC, unit_id=f"a{i}", name=f"Alue {i}", level="area", parent_unit_id="c")
             for i in range(3)]
    figures = [figure("operating_costs", "-300", -300.0, unit_name="Keskus", table="t1")]
    figures += [figure("operating_costs", "-100", -100.0, unit_name=f"Alue {i}", table=f"t{i + 2}") for i in range(3)]
    assert run_checks(figures, [central, *areas]).findings == []
    figures[1] = figure("operating_costs", "-10", -10.0, unit_name="Alue 0", table="t2")  # a lost digit
    findings = run_checks(figures, [central, *areas]).findings
    assert [(f.check, f.severity, f.difference) for f in findings] == [("areas_sum_to_central", "error", -90.0)]


def test_a_mismatch_beside_unknown_lines_is_a_warning_and_still_partial() -> None:
    figures = margin_table(1_000, -5_000, -4_500)
    unknown = figure("operating_income", "500", 500.0, row=5)
    unknown.line_key = None
    unknown.line_label = "Valmistus omaan käyttöön"
    findings = validate_figures([*figures, unknown], [])
    assert [f.severity for f in findings] == ["warning"]
    doc = plan()
    decide_status(doc, [*figures, unknown], [], findings)
    assert doc.status == DocumentStatus.partial


def test_status_rules_for_cells_and_recognition() -> None:
    doc = plan()
    doc.add_issue("not_a_number", "finance", "table t1 (page 2) row 'Myyntituotot': cell '138-45' is not a number",
                  severity="error", page=2)
    decide_status(doc, margin_table(1_000, -5_000, -4_000), [], [])
    assert doc.status == DocumentStatus.partial and "'138-45' is not a number" in doc.message
    nothing = plan()
    decide_status(nothing, [], [], [])
    assert nothing.status == DocumentStatus.partial and "no finance table" in nothing.message
    failed = plan(DocumentStatus.failed)
    decide_status(failed, [], [], [])
    assert failed.status == DocumentStatus.failed


def test_the_message_names_each_kind_of_reason_once_with_its_count() -> None:
    doc = plan()
    for row in ("Myyntituotot", "Maksutuotot", "Tuet ja avustukset"):
        doc.add_issue("not_a_number", "finance", f"table t1 (page 2) row '{row}': cell 'Ej aktuellt' is not a number",
                      severity="error", page=2)
    doc.add_issue("figures_outside_table", "completeness", "page 4: 'Vuosikate 1 200' prints figures outside every "
                  "table", severity="error", page=4)
    figures = margin_table(1_000, -5_000, -4_500)
    findings = validate_figures(figures, []) * 2
    decide_status(doc, figures, [], findings)
    assert doc.message == (
        "not_a_number ×3, first: table t1 (page 2) row 'Myyntituotot': cell 'Ej aktuellt' is not a number; "
        "page 4: 'Vuosikate 1 200' prints figures outside every table; "
        "2 arithmetic check(s) do not add up: table t1 (page 3): operating_margin in TA 2025 does not add up — "
        + findings[0].message + " (and more)")
    assert [i.code for i in doc.issues].count("not_a_number") == 3  # every one stays an issue
    # a long message is kept whole (only the terminal shortens it)
    long = plan()
    long.add_issue("not_a_number", "finance", "cell " + "Toimintakulut " * 60 + "is not a number", severity="error")
    decide_status(long, figures, [], [])
    assert long.message == "cell " + "Toimintakulut " * 60 + "is not a number"
