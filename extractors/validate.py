"""Validate stage: arithmetic checks on finance figures -> findings and which figures they covered.

Checks (money figures only; percentages and counts are never summed): the component lines of a
column against its totals (income, costs, operating margin, financial items, annual margin, result),
a difference column against the two columns it is the difference of ("Ero raamiin" = TA − Raami),
and a central's lines against the sum of its responsibility areas'. The rounding rule and its source
are in `extractors.rounding`: within half a unit of the printed precision per figure a difference is
`info`; above it, or a difference a misread digit makes (9, 10, 90, 900, ...), it is an `error`
(a `warning` when the table has lines the lexicon does not know, which may be the missing parts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.rounding import base_value, fmt, fmt_signed, tolerance, within_rounding
from extractors.scales import is_money
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


CHECKS = (
    Check("income_components", "operating_income", INCOME_COMPONENTS),
    Check("cost_components", "operating_costs", (), COST_COMPONENTS),
    Check("operating_margin", "operating_margin", ("operating_income", "production_for_own_use"),
          ("operating_costs",)),
    Check("financial_items", "financial_items_net", FINANCIAL_PLUS, FINANCIAL_MINUS),
    Check("annual_margin", "annual_margin", ("operating_margin", *TAX_FINANCING, "financial_items_net")),
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
DIFFERENCE_KIND = "difference"


@dataclass
class Validation:
    """Findings (checks whose total differs from the sum) and the figures every check covered."""

    findings: list[ValidationFinding] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)
    """id() of every figure that took part in a check."""
    failed: set[int] = field(default_factory=set)
    """id() of every figure that took part in a check that did not hold within rounding."""

    def record(self, figures: list[FinanceFigure], finding: ValidationFinding | None) -> None:
        self.checked.update(id(f) for f in figures)
        if finding is not None:
            self.findings.append(finding)
            if finding.severity != "info":
                self.failed.update(id(f) for f in figures)

    def coverage(self, figures: list[FinanceFigure]) -> tuple[int, int, float | None]:
        """(figures checked, figures passed, passed share of the money figures) of these figures."""
        money = [f for f in figures if is_money(f.unit)]
        checked = sum(1 for f in money if id(f) in self.checked)
        passed = sum(1 for f in money if id(f) in self.checked and id(f) not in self.failed)
        return checked, passed, (round(passed / len(money), 3) if money else None)


def validate_figures(figures: list[FinanceFigure], units: list[Unit]) -> list[ValidationFinding]:
    """The findings of every check (see `run_checks`)."""
    return run_checks(figures, units).findings


def run_checks(figures: list[FinanceFigure], units: list[Unit]) -> Validation:
    result = Validation()
    money = [f for f in figures if is_money(f.unit)]
    by_table: dict[str, list[FinanceFigure]] = defaultdict(list)
    for fig in money:
        by_table[fig.table_id].append(fig)
    for table_figures in by_table.values():
        _check_table(table_figures, result)
        _check_difference_columns(table_figures, result)
    _check_areas(money, units, result)
    return result


def _finding(total: FinanceFigure, parts: list[FinanceFigure], check: str, unit: str | None, expected: Decimal,
             message: str) -> ValidationFinding | None:
    """None when the printed total equals the sum; else info within rounding, an error above it."""
    actual = base_value(total)
    diff = actual - expected
    if diff == 0:
        return None
    rounding = within_rounding(diff, total, [total, *parts])
    kind = "rounding difference" if rounding else "mismatch"
    return ValidationFinding(
        document_id=total.document_id, unit_name=unit, check=check, column_label=total.column_label,
        expected=float(expected), actual=float(actual), difference=float(diff),
        severity="info" if rounding else "error", message=f"{kind}: {message} (difference {fmt_signed(diff)})",
        page=total.page, table_id=total.table_id, tolerance=float(tolerance([total, *parts])))


def _signed(key: str, value: Decimal, check: Check) -> Decimal:
    if key == check.total or key in ("operating_margin", "annual_margin", "financial_items_net"):
        return value
    if key in check.minus:
        return -abs(value)
    return value


def _check_table(figures: list[FinanceFigure], result: Validation) -> None:
    # lines the lexicon does not know may be components: a mismatch there is a warning, not an error
    unknown_lines = sorted({f.line_label for f in figures if f.line_key is None})
    columns: dict[str, dict[str, FinanceFigure]] = defaultdict(dict)
    for fig in figures:
        if fig.line_key and fig.line_key not in columns[fig.column_label]:
            columns[fig.column_label][fig.line_key] = fig
    for values in columns.values():
        for check in CHECKS:
            total = values.get(check.total)
            parts = [k for k in check.plus + check.minus if k in values]
            if total is None or not parts or any(k not in values for k in REQUIRED.get(check.name, ())):
                continue
            # Documents print costs negative (-4 075 692) or positive under a minus convention; and a
            # difference column prints every line with its own sign. The nearer reading is checked.
            amounts = {k: base_value(values[k]) for k in parts}
            readings = (sum((_signed(k, amounts[k], check) for k in parts), Decimal(0)),
                        sum((amounts[k] * (-1 if k in check.minus and k in REVERSED_IN_SUM else 1) for k in parts),
                            Decimal(0)))
            expected = min(readings, key=lambda e: abs(base_value(total) - e))
            components = [values[k] for k in parts]
            finding = _finding(total, components, check.name, total.unit_name, expected,
                               f"{check.total} {fmt(base_value(total))} vs sum of {', '.join(parts)} = {fmt(expected)}")
            if finding is not None and finding.severity == "error" and unknown_lines:
                finding.severity = "warning"
                finding.message += f"; the table also has lines the lexicon does not know ({unknown_lines[0]}, …)"
            result.record([total, *components], finding)


def _check_difference_columns(figures: list[FinanceFigure], result: Validation) -> None:
    """A difference column ('Ero raamiin', 'Poikkeama') is one column minus another on every row.

    Which two is found from the table itself: the ordered pair of its other columns whose difference
    explains the most rows (within rounding). A pair that explains at least two rows and more than
    half of the rows printing all three figures is the column's rule; rows it does not explain are
    mismatches. Without such a pair (the difference is against something not printed) nothing is checked.
    """
    cells: dict[str, dict[int, FinanceFigure]] = defaultdict(dict)
    for fig in figures:
        cells[fig.column_label].setdefault(fig.row_index, fig)
    kinds = {f.column_label: f.figure_kind for f in figures}
    for column, rows in cells.items():
        if kinds[column] != DIFFERENCE_KIND:
            continue
        best: tuple[int, list[tuple[FinanceFigure, FinanceFigure, FinanceFigure, Decimal]]] = (0, [])
        for first in cells:
            for second in cells:
                if len({first, second, column}) < 3:
                    continue
                trios = [(rows[r], cells[first][r], cells[second][r],
                          base_value(cells[first][r]) - base_value(cells[second][r]))
                         for r in sorted(rows) if r in cells[first] and r in cells[second]]
                explained = sum(1 for d, a, b, e in trios if within_rounding(base_value(d) - e, d, [d, a, b]))
                if explained > best[0]:
                    best = (explained, trios)
        explained, trios = best
        if explained < 2 or explained * 2 <= len(trios):
            continue
        for diff, a, b, expected in trios:
            finding = _finding(diff, [a, b], "difference_column", diff.unit_name, expected,
                               f"{diff.line_label}: {column} {fmt(base_value(diff))} vs {a.column_label} − "
                               f"{b.column_label} = {fmt(expected)}")
            result.record([diff, a, b], finding)


def _check_areas(figures: list[FinanceFigure], units: list[Unit], result: Validation) -> None:
    """A central's lines equal the sum of its responsibility areas', per column printed in all of them.

    An area's blank cell counts as zero when the area's table prints that column at all.
    """
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
            parts = [f for a in areas for f in by_unit[a.name]
                     if f.line_key == total.line_key and f.column_label == total.column_label]
            expected = sum((base_value(f) for f in parts), Decimal(0))
            finding = _finding(total, parts, "areas_sum_to_central", central.name, expected,
                               f"{total.line_key} of {central.name} {fmt(base_value(total))} vs sum of its "
                               f"{len(areas)} areas = {fmt(expected)}")
            result.record([total, *parts], finding)
