"""Validate stage: arithmetic checks on finance figures (components vs totals, areas vs central)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from models import FinanceFigure, Unit, ValidationFinding

# Neutral line keys that add to a total, and those that subtract from it (their absolute value is
# subtracted, so both sign conventions of the documents are understood).
INCOME_COMPONENTS = ("sales_revenue", "fee_revenue", "grants_received", "other_operating_income")
COST_COMPONENTS = ("personnel_costs", "purchased_services", "materials", "grants_paid", "other_operating_costs")
TAX_FINANCING = ("municipal_tax", "corporate_tax", "property_tax", "state_subsidies")
FINANCIAL_PLUS = ("interest_income", "other_financial_income")
FINANCIAL_MINUS = ("interest_expenses", "other_financial_expenses")


@dataclass(frozen=True)
class Check:
    name: str
    total: str
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()
    require_all: bool = False


CHECKS = (
    Check("income_components", "operating_income", INCOME_COMPONENTS),
    Check("cost_components", "operating_costs", (), COST_COMPONENTS),
    Check("operating_margin", "operating_margin", ("operating_income", "production_for_own_use"),
          ("operating_costs",), require_all=True),
    Check("financial_items", "financial_items_net", FINANCIAL_PLUS, FINANCIAL_MINUS),
    Check("annual_margin", "annual_margin", ("operating_margin", *TAX_FINANCING, "financial_items_net"),
          require_all=True),
    Check("result", "result", ("annual_margin", "extraordinary_income"), ("depreciation", "extraordinary_expenses")),
)
# Lines whose printed sign is positive even though they reduce the total (financial costs, depreciation).
REVERSED_IN_SUM = ("depreciation", "interest_expenses", "other_financial_expenses", "extraordinary_expenses")
REQUIRED = {
    "operating_margin": ("operating_income", "operating_costs"),
    "annual_margin": ("operating_margin", "municipal_tax", "state_subsidies", "financial_items_net"),
    "result": ("annual_margin", "depreciation"),
}
SUMMED_TO_CENTRAL = ("operating_income", "operating_costs", "operating_margin", "depreciation")


def tolerance(n_components: int) -> int:
    """Rounding of a unit or two per component is tolerated (and reported as info)."""
    return max(2, 2 * n_components)


def _signed(key: str, amount: int, check: Check) -> int:
    if key == check.total or key in ("operating_margin", "annual_margin", "financial_items_net"):
        return amount
    if key in check.minus:
        return -abs(amount)
    return amount


def _severity(difference: int, n_components: int, expected: float) -> str:
    if difference == 0:
        return "info"
    if abs(difference) <= tolerance(n_components):
        return "info"
    if expected and abs(difference) / max(abs(expected), 1) < 0.01:
        return "warning"
    return "error"


def _finding(document_id: str, unit: str | None, check: str, column: str, expected: int, actual: int,
             n: int, message: str, page: int | None) -> ValidationFinding:
    diff = actual - expected
    severity = _severity(diff, n, expected)
    kind = "rounding difference" if severity == "info" else "mismatch"
    return ValidationFinding(document_id=document_id, unit_name=unit, check=check, column_label=column,
                             expected=expected, actual=actual, difference=diff, severity=severity,
                             message=f"{kind}: {message} (difference {diff:+d})", page=page)


def validate_figures(figures: list[FinanceFigure], units: list[Unit]) -> list[ValidationFinding]:
    findings: list[ValidationFinding] = []
    by_table: dict[str, list[FinanceFigure]] = defaultdict(list)
    for fig in figures:
        by_table[fig.table_id].append(fig)
    for table_figures in by_table.values():
        findings.extend(_check_table(table_figures))
    findings.extend(_check_areas(figures, units))
    return findings


def _check_table(figures: list[FinanceFigure]) -> list[ValidationFinding]:
    findings = []
    # lines the lexicon does not know may be components: a mismatch there is a warning, not an error
    unknown_lines = sorted({f.line_label for f in figures if f.line_key is None})
    columns: dict[str, dict[str, FinanceFigure]] = defaultdict(dict)
    for fig in figures:
        if fig.line_key and fig.line_key not in columns[fig.column_label]:
            columns[fig.column_label][fig.line_key] = fig
    for column, values in columns.items():
        for check in CHECKS:
            total = values.get(check.total)
            parts = [k for k in check.plus + check.minus if k in values]
            if total is None or not parts:
                continue
            if any(k not in values for k in REQUIRED.get(check.name, ())):
                continue
            # Documents print costs negative (-4 075 692) or positive under a minus convention; and a
            # difference column prints every line with its own sign. The nearer reading is checked.
            readings = (sum(_signed(k, values[k].amount, check) for k in parts),
                        sum(values[k].amount * (-1 if k in check.minus and k in REVERSED_IN_SUM else 1)
                            for k in parts))
            expected = min(readings, key=lambda e: abs(total.amount - e))
            if expected == total.amount:
                continue
            finding = _finding(total.document_id, total.unit_name, check.name, column, expected, total.amount,
                               len(parts), f"{check.total} {total.amount} vs sum of {', '.join(parts)} = {expected}",
                               total.page)
            if finding.severity == "error" and unknown_lines:
                finding.severity = "warning"
                finding.message += f"; the table also has lines the lexicon does not know ({unknown_lines[0]}, …)"
            findings.append(finding)
    return findings


def _check_areas(figures: list[FinanceFigure], units: list[Unit]) -> list[ValidationFinding]:
    """A central's lines equal the sum of its responsibility areas', per column printed in all of them.

    An area's blank cell counts as zero when the area's table prints that column at all.
    """
    findings: list[ValidationFinding] = []
    by_unit: dict[str | None, list[FinanceFigure]] = defaultdict(list)
    for fig in figures:
        by_unit[fig.unit_name].append(fig)
    for central in units:
        areas = [u for u in units if u.parent_unit_id == central.unit_id and by_unit.get(u.name)]
        if len(areas) < 2 or not by_unit.get(central.name):
            continue
        area_columns = [{f.column_label for f in by_unit[a.name]} for a in areas]
        for total in by_unit[central.name]:
            if total.line_key not in SUMMED_TO_CENTRAL or total.is_memo and total.line_key != "depreciation":
                continue
            if not all(total.column_label in cols for cols in area_columns):
                continue
            parts = [sum(f.amount for f in by_unit[a.name]
                         if f.line_key == total.line_key and f.column_label == total.column_label) for a in areas]
            expected = sum(parts)
            if expected == total.amount:
                continue
            findings.append(_finding(total.document_id, central.name, "areas_sum_to_central", total.column_label,
                                     expected, total.amount, len(areas),
                                     f"{total.line_key} of {central.name} {total.amount} vs sum of its "
                                     f"{len(areas)} areas = {expected}", total.page))
    return findings
