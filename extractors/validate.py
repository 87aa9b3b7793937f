"""Validate stage: arithmetic checks on finance figures -> findings and which figures they covered.

Per table (money figures only; percentages and counts are never summed, but a percent-change column
whose heading names the two years it compares is checked against them, `extractors.percent_changes`):

- the table's sign convention (`extractors.hierarchy.sign_convention`): costs printed negative or
  positive, decided from the lines the lexicon knows; a table printing both is itself a finding
  (`sign_convention`, a warning);
- derived columns and rows (`extractors.derived`): a difference or change column against the two columns
  it is computed from, a total column against the columns it adds up, a line's original budget and
  changes against its total;
- a movement table's closing balances against its opening balances and movements (`extractors.movements`;
  such a table's totals add closing balances, so its chart sums are not checked);
- the chart's sums (`extractors.hierarchy`): in each column, every printed total against its printed
  parts (income and cost components, operating margin, financial items, annual margin, result, surplus,
  the financing statement, Sweden's subtotals), read in the table's convention; not in a derived
  column whose rule holds (its sums follow from the columns it is computed from);

and across tables, a central's lines against the sum of its responsibility areas', and a balance sheet's
equity and liabilities against its assets (`balance_sheet`). Each arithmetic fact
is checked once and reported once. The rounding rule and its source are in `extractors.rounding`: within
half a unit of the printed precision per figure a difference is `info`; above it, or a difference a
misread digit makes (9, 10, 90, 900, ...), it is an `error` (a chart sum is a `warning` when the column
has lines the lexicon does not know, which may be the missing parts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.derived import Outcome, budget_changes, difference_columns, total_columns, total_rows
from extractors.percent_changes import percent_changes
from extractors.hierarchy import (
    MIXED,
    NOT_SUMMED_KINDS,
    ChartSum,
    chart_finding,
    column_convention,
    column_sums,
    columns_of,
    mixed_lines,
    sign_convention,
    unsigned_reading,
)
from extractors.movements import has_movements, movement_sums
from extractors.rounding import base_value, fmt, mismatch_finding
from extractors.scales import is_money
from extractors.status import SIGN_CONVENTION_CHECK
from models import FinanceFigure, Unit, ValidationFinding

SUMMED_TO_CENTRAL = ("operating_income", "operating_costs", "operating_margin", "depreciation")


@dataclass
class Validation:
    """Findings (checks whose total differs from the sum) and the figures every check covered."""

    findings: list[ValidationFinding] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)
    """id() of every figure that took part in a check."""
    failed: set[int] = field(default_factory=set)
    """id() of every figure that took part in a check that did not hold within rounding."""
    failed_checks: dict[int, list[str]] = field(default_factory=dict)
    """id() of a figure in `failed` -> the names of the checks it failed (page pictures draw them)."""

    def record(self, figures: list[FinanceFigure], finding: ValidationFinding | None) -> None:
        self.checked.update(id(f) for f in figures)
        if finding is not None:
            self.findings.append(finding)
            if finding.severity != "info":
                self.failed.update(id(f) for f in figures)
                for f in figures:
                    self.failed_checks.setdefault(id(f), []).append(finding.check)

    def coverage(self, figures: list[FinanceFigure]) -> tuple[int, int, float | None]:
        """(figures checked, figures passed, passed share of the money figures) of these figures."""
        money = [f for f in figures if is_money(f.unit)]
        checked = sum(1 for f in money if id(f) in self.checked)
        passed = sum(1 for f in money if id(f) in self.checked and id(f) not in self.failed)
        return checked, passed, (round(passed / len(money), 3) if money else None)

    def checked_tables(self, figures: list[FinanceFigure]) -> dict[str, bool]:
        """table_id -> whether its arithmetic checks passed, for the tables where a check covered a figure."""
        result: dict[str, bool] = {}
        for fig in figures:
            if id(fig) in self.checked:
                result[fig.table_id] = result.get(fig.table_id, True) and id(fig) not in self.failed
        return result


def validate_figures(figures: list[FinanceFigure], units: list[Unit]) -> list[ValidationFinding]:
    """The findings of every check (see `run_checks`)."""
    return run_checks(figures, units).findings


def run_checks(figures: list[FinanceFigure], units: list[Unit]) -> Validation:
    result = Validation()
    money = [f for f in figures if is_money(f.unit) and f.figure_kind not in NOT_SUMMED_KINDS]
    by_table: dict[str, list[FinanceFigure]] = defaultdict(list)
    for fig in money:
        by_table[fig.table_id].append(fig)
    for table_figures in by_table.values():
        convention = sign_convention(table_figures)
        if convention == MIXED:
            result.record([], _mixed_finding(table_figures))
        outcomes, differences = difference_columns(table_figures)
        totals, total_cols = total_columns(table_figures)
        changes = budget_changes(table_figures)
        covered = {id(figs[0]) for figs, _ in changes}
        for figs, finding in [*outcomes, *totals, *changes, *total_rows(table_figures, covered),
                              *movement_sums(table_figures)]:
            result.record(figs, finding)
        if has_movements(table_figures):
            continue  # a movement table's totals add closing balances: no chart sums
        reading = unsigned_reading(convention, table_figures)
        for figs, finding in _chart_sums(table_figures, reading, differences | total_cols):
            result.record(figs, finding)
    by_table_all: dict[str, list[FinanceFigure]] = defaultdict(list)
    for fig in figures:
        by_table_all[fig.table_id].append(fig)
    for table_figures in by_table_all.values():  # 'Muutos% TA 2024-2025': percentages of money columns
        for figs, finding in percent_changes(table_figures):
            result.record(figs, finding)
    _check_areas(money, units, result)
    _check_balance(money, result)
    return result


def _mixed_finding(figures: list[FinanceFigure]) -> ValidationFinding:
    negative, positive = mixed_lines(figures)
    first = figures[0]
    return ValidationFinding(
        document_id=first.document_id, unit_name=first.unit_name, check=SIGN_CONVENTION_CHECK, column_label=None,
        expected=None, actual=None, difference=None, severity="warning", page=first.page, table_id=first.table_id,
        message=f"the table prints reducing lines (costs) both negative ({', '.join(negative[:3])}) and "
                f"positive ({', '.join(positive[:3])}): its sums are read both ways")


def _chart_sums(figures: list[FinanceFigure], convention: str | None, derived: set[int]) -> list[Outcome]:
    """Every chart sum of the table's columns, except in derived columns whose rule holds."""
    outcomes: list[Outcome] = []
    unknown: dict[tuple[int, str], list[str]] = defaultdict(list)
    for fig in figures:
        if fig.line_key is None and not fig.is_memo:
            unknown[(fig.col_index, fig.figure_kind)].append(fig.line_label)
    for (_, column, kind), values in columns_of(figures).items():
        if column in derived:
            continue
        # a pair of columns summed as one (extractors.hierarchy.columns_of): the unknown lines of both
        lines = [label for col in sorted({column, *(f.col_index for f in values.values())})
                 for label in unknown.get((col, kind), [])]
        for check in column_sums(values, column_convention(convention, kind)):
            # lines the lexicon does not know may be the missing parts: a mismatch there is a warning
            finding = chart_finding(check, severity="warning" if lines else "error")
            if finding is None and check.net_cost:
                finding = _net_cost_finding(check)
            if finding is not None and finding.severity == "warning":
                finding.message += f"; the column also has lines the lexicon does not know ({lines[0]}, …)"
            outcomes.append((check.figures, finding))
    return outcomes


def _net_cost_finding(check: ChartSum) -> ValidationFinding:
    """Info: a total printed as its parts' sum negated in a table that prints no minus sign (a margin
    printed as the net cost); it holds, and its sign is as printed."""
    total = check.total
    names = ", ".join(f.line_key or f.line_label for f, _ in check.parts)
    return ValidationFinding(
        document_id=total.document_id, unit_name=total.unit_name, check=check.name, column_label=total.column_label,
        expected=float(check.expected), actual=float(base_value(total)), difference=0.0, severity="info",
        page=total.page, table_id=total.table_id,
        message=f"{total.line_key} {fmt(base_value(total))} is printed as a net cost: the sum of {names} "
                f"({fmt(-check.expected)}) negated; the table prints no minus sign, the figure keeps its printed sign")


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
            finding = mismatch_finding(total, [total, *parts], "areas_sum_to_central", expected,
                                       f"{total.line_key} of {central.name} {fmt(base_value(total))} vs sum "
                                       f"of its {len(areas)} areas = {fmt(expected)}", unit_name=central.name)
            result.record([total, *parts], finding)


BALANCE_CHECK = "balance_sheet"


def _check_balance(figures: list[FinanceFigure], result: Validation) -> None:
    """A balance sheet balances: each printed VASTATTAVAA YHTEENSÄ (total_equity_and_liabilities) equals,
    in the base unit, the VASTAAVAA YHTEENSÄ (total_assets) of the same year and kind printed on its page
    or the page before it (the assets side comes first: JHS 192; a document may hold the city's and the
    group's balance sheets: an assets side further back is another balance sheet's, or none was read).
    The lines of each side are the chart's sums; this is the one check between the two tables."""
    assets = [f for f in figures if f.line_key == "total_assets" and not f.is_memo and f.page is not None]
    for total in (f for f in figures if f.line_key == "total_equity_and_liabilities" and not f.is_memo):
        same = [a for a in assets if (a.year, a.figure_kind) == (total.year, total.figure_kind)
                and total.year is not None and 0 <= (total.page or 0) - a.page <= 1]
        if not same:
            continue
        side = max(same, key=lambda a: (a.page or 0, a.table_id == total.table_id))
        expected = base_value(side)
        finding = mismatch_finding(total, [total, side], BALANCE_CHECK,
                                   expected, f"total_equity_and_liabilities {fmt(base_value(total))} vs "
                                   f"total_assets {fmt(expected)} (page {side.page})")
        result.record([total, side], finding)
