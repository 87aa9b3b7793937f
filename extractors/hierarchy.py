"""Line hierarchy: the chart's sums in one table column, and the sign convention a table prints costs in.

The chart (extractors/lexicons/finance_chart.yml) gives every line key its parent and sign, and further
sums (the financing statement's operating cash flow, Sweden's net operating costs). In each table and
column every printed total is compared with each of its decompositions; a part the table does not print
is replaced by its own printed parts (Henkilöstökulut = Palkat ja palkkiot + Eläkekulut + Muut
henkilösivukulut when Henkilösivukulut is not printed), a part printed nowhere counts as zero, and a
check needs at least two printed parts. Memo rows, percent and count figures are never summed.

Sign conventions (JHS 192 prints costs negative; many budget books and Swedish committee tables print
them as positive amounts): a line that reduces the total it belongs to (its sign along the chart up to
the top line is -1: costs, depreciation, financial expenses, investment expenditure, repayments) is a
*reducing* line. A table prints its reducing lines either negative (`costs_negative`: a total is the sum
of its parts as printed) or positive (`costs_positive`: a total is the sum of its parts, each times its
sign in the chart); both in one table is `mixed`, and a table without a reducing line printed has no
known convention (`None`). Only level columns decide (actuals, budgets, plans; not differences or
budget changes, which print each line with the sign of its change).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import product

from extractors.chart import Chart, ChartLine, finance_chart
from extractors.rounding import base_value, fmt, mismatch_finding, within_rounding
from extractors.scales import is_money
from models import FinanceFigure, ValidationFinding

NOT_SUMMED_KINDS = ("percent_change", "realisation_percent", "share", "count")
# Columns whose figures are changes of a level, printed with the sign of the change: they do not tell
# how the table prints its costs.
CHANGE_KINDS = ("difference", "budget_change")
COSTS_NEGATIVE, COSTS_POSITIVE, MIXED = "costs_negative", "costs_positive", "mixed"
# How validation reads a costs_positive table that prints no minus sign in any level column: the sign of
# a margin is not printed either, and a margin may be the net cost (costs - income, Lapua's
# ympäristölautakunta 2022: Toimintamenot 332 343, Toimintatulot 132 095, Toimintakate 200 248). Never a
# table's recorded convention: only the reading of its sums.
UNSIGNED = "unsigned"
# Names the checks of these totals had before the chart existed; kept so that rows and queries keep
# their meaning. Every other chart sum is named by its total's line key.
CHECK_NAMES = {"operating_income": "income_components", "operating_costs": "cost_components",
               "financial_items_net": "financial_items"}
Part = tuple[str, int]


@cache
def parent_map() -> dict[str, str]:
    """Child line key -> parent line key, for every line of the chart that has a parent."""
    return {key: line.parent for key, line in finance_chart().lines.items() if line.parent}


# The two sides of the balance sheet are one statement (a page may print both).
BALANCE_SHEET_TOPS = frozenset({"total_assets", "total_equity_and_liabilities"})
# The financing statement closes with the change in cash and the cash at the period's end and start
# (Rahavarat 31.12. / 1.1.; the chart's sum cash_change = cash_end - cash_start): one statement.
FINANCING_STATEMENT_TOPS = frozenset({"cash_change", "cash_end", "cash_start"})


def _root(key: str) -> str:
    """The statement a line adds up to along its parents: its top line ('operating_income' -> 'surplus'),
    'balance_sheet' for either side of the balance sheet ('equity' -> total_equity_and_liabilities), or
    'financing_statement' for the lines of the financing statement ('operating_cash_flow' -> cash_change,
    'cash_end')."""
    parents, seen = parent_map(), {key}
    while (parent := parents.get(key)) and parent not in seen:
        seen.add(parent)
        key = parent
    if key in BALANCE_SHEET_TOPS:
        return "balance_sheet"
    return "financing_statement" if key in FINANCING_STATEMENT_TOPS else key


def statement_parents(figures: list[FinanceFigure]) -> None:
    """Give a line printed in two statements the parent of the statement its table is part of.

    The period's surplus (Tilikauden yli-/alijäämä, Årets resultat) is the income statement's last line and an
    item of the balance sheet's equity; the minority's share is deducted in the group income statement and
    is a group of its own in the group balance sheet (finance_chart.yml: `parent` and `also_in`). The annual
    margin, extraordinary items and the period's taxes are printed again under the financing statement's
    'Toiminnan rahavirta' (`printed_under`: operating_cash_flow). The figures of one table (shape: every
    figure of it, parent_line_key set in place) take the parent, among the line's `parent`, `also_in` and
    `printed_under`, whose top line is the top of the table's other known lines (lines of one statement
    only): Kauhava p. 52 (group balance sheet) 'Tilikauden yli-/alijäämä' under equity and
    'VÄHEMMISTÖOSUUDET' under total_equity_and_liabilities, not under surplus; Kauhava p. 133 (group
    financing statement) 'Vuosikate', 'Satunnaiset erät' and 'Tilikauden verot' under operating_cash_flow,
    not under result and surplus. A table whose other lines tell no statement, or tell two, keeps the
    chart's first parent."""
    chart = finance_chart()
    roots = {_root(f.line_key) for f in figures
             if f.line_key in chart.lines and not _elsewhere(chart.lines[f.line_key])}
    for figure in figures:
        line = chart.lines.get(figure.line_key or "")
        if line is None or not _elsewhere(line) or len(roots) != 1:
            continue
        if line.parent and _root(line.parent) in roots:
            continue
        fitting = [key for key in _elsewhere(line) if _root(key) in roots]
        if len(fitting) == 1:
            figure.parent_line_key = fitting[0]


def _elsewhere(line: ChartLine) -> tuple[str, ...]:
    """The totals of other statements a line is printed under: its also_in, then its printed_under."""
    return (*line.also_in, *line.printed_under)


@cache
def reducing_lines() -> frozenset[str]:
    """Line keys whose sign along the chart up to their top line is -1 (costs, depreciation, ...)."""
    chart = finance_chart()
    found = set()
    for key in chart.lines:
        sign, current, seen = 1, key, set()
        while current and current not in seen:
            seen.add(current)
            sign *= chart.lines[current].sign
            current = chart.lines[current].parent
        if sign < 0:
            found.add(key)
    return frozenset(found)


@cache
def convention_lines() -> frozenset[str]:
    """Reducing lines that tell a table's convention: not net lines (a sum's total such as net
    investments, negative in a year when disposals exceed spending)."""
    return reducing_lines() - set(finance_chart().sums)


def is_summable(figure: FinanceFigure) -> bool:
    """A money figure of a known, non-memo line that chart sums may use. A column of which nothing is
    known (no heading printed over it, hence no kind and no year) is not summed: a balance sheet that
    prints each group's total in a column of its own beside the items (Seinäjoki p. 151) puts the
    total on the group's last item row, where it is no figure of that item."""
    return bool(figure.line_key) and not figure.is_memo and is_money(figure.unit) \
        and figure.figure_kind not in NOT_SUMMED_KINDS and not _unknown_column(figure)


def _unknown_column(figure: FinanceFigure) -> bool:
    return not figure.column_label.strip() and figure.figure_kind == "other" and figure.year is None


def sign_convention(figures: Iterable[FinanceFigure]) -> str | None:
    """How one table prints its reducing lines: costs_negative, costs_positive, mixed, or None (unknown).

    Decided from the non-zero money figures of reducing lines in level columns (see the module doc)."""
    signs = {base_value(f) > 0 for f in figures
             if f.line_key in convention_lines() and is_money(f.unit) and f.amount
             and f.figure_kind not in (*NOT_SUMMED_KINDS, *CHANGE_KINDS)}
    if not signs:
        return None
    if len(signs) == 2:
        return MIXED
    return COSTS_POSITIVE if True in signs else COSTS_NEGATIVE


def table_conventions(figures: list[FinanceFigure]) -> dict[str, str | None]:
    """table_id -> the table's sign convention (costs_negative, costs_positive, mixed or None)."""
    by_table: dict[str, list[FinanceFigure]] = defaultdict(list)
    for fig in figures:
        by_table[fig.table_id].append(fig)
    return {table: sign_convention(table_figures) for table, table_figures in by_table.items()}


def mixed_lines(figures: Iterable[FinanceFigure]) -> tuple[list[str], list[str]]:
    """(labels of reducing lines printed negative, labels printed positive) in level columns."""
    negative: dict[str, None] = {}
    positive: dict[str, None] = {}
    for f in figures:
        if f.line_key in convention_lines() and is_money(f.unit) and f.amount \
                and f.figure_kind not in (*NOT_SUMMED_KINDS, *CHANGE_KINDS):
            (positive if f.amount > 0 else negative)[f.line_label] = None
    return list(negative), list(positive)


def decompositions(total: str, chart: Chart | None = None) -> list[tuple[Part, ...]]:
    """The ways the chart writes a total as (part key, sign) pairs: its children, then its sums."""
    chart = chart or finance_chart()
    found = [chart.children(total)] if chart.children(total) else []
    return found + ([chart.sums[total]] if total in chart.sums else [])


def _expand(parts: tuple[Part, ...], present: set[str], chart: Chart, seen: frozenset[str]) -> list[Part]:
    """Printed parts, with an unprinted part replaced by the decomposition of it that is printed most."""
    out: list[Part] = []
    for key, sign in parts:
        if key in present:
            out.append((key, sign))
            continue
        if key in seen:
            continue
        options = [_expand(d, present, chart, seen | {key}) for d in decompositions(key, chart)]
        best = max(options, key=len, default=[])
        out.extend((k, sign * s) for k, s in best)
    return out


@dataclass(frozen=True)
class ChartSum:
    """One total of one column against one decomposition of it: the parts as (figure, chart sign)."""

    total: FinanceFigure
    parts: tuple[tuple[FinanceFigure, int], ...]
    expected: Decimal
    net_cost: bool = False  # the total holds only as its parts' sum negated (an unsigned table's margin)

    @property
    def name(self) -> str:
        key = self.total.line_key or ""
        return CHECK_NAMES.get(key, key)

    @property
    def figures(self) -> list[FinanceFigure]:
        return [self.total, *(f for f, _ in self.parts)]

    @property
    def difference(self) -> Decimal:
        return base_value(self.total) - self.expected

    @property
    def holds(self) -> bool:
        return within_rounding(self.difference, self.total, self.figures)


MAX_FREE_SIGNS = 6  # a mixed table: every reading of up to this many reducing figures is tried


def _readings(total: FinanceFigure, parts: list[tuple[FinanceFigure, int]], convention: str | None) -> list[Decimal]:
    """The values the total may print under the convention, from its parts.

    The chart's signs are written for amounts printed positive: printed positive, a total is the sum of
    its parts times their signs. Printed negative, a reducing figure is its amount negated in that sum, and
    a reducing total is the negated sum. A table without a known convention is read both ways; a mixed
    table also with each reducing figure read either way."""
    reducing = reducing_lines()
    r_total = -1 if total.line_key in reducing else 1
    values = [(base_value(f), s, -1 if f.line_key in reducing else 1) for f, s in parts]
    negative = r_total * sum((v * s * r for v, s, r in values), Decimal(0))
    positive = sum((v * s for v, s, _ in values), Decimal(0))
    if convention == COSTS_NEGATIVE:
        return [negative]
    if convention == COSTS_POSITIVE:
        return [positive]
    if convention == UNSIGNED:
        return [positive] if r_total < 0 else [positive, -positive]
    readings = [negative, positive]
    free = [i for i, (_, _, r) in enumerate(values) if r < 0]
    if convention == MIXED and len(free) <= MAX_FREE_SIGNS:
        for combination in product((1, -1), repeat=len(free)):
            flips = dict(zip(free, combination, strict=True))
            natural = r_total * sum((v * flips.get(i, 1) * s * r for i, (v, s, r) in enumerate(values)), Decimal(0))
            readings += [natural, -natural] if r_total < 0 else [natural]
    return readings


def _sum(total: FinanceFigure, decomposition: tuple[Part, ...], values: dict[str, FinanceFigure],
         present: set[str], convention: str | None) -> ChartSum | None:
    parts = _expand(decomposition, present, finance_chart(), frozenset({total.line_key or ""}))
    if len(parts) < 2:
        return None
    figures = [(values[k], s) for k, s in parts]
    actual = base_value(total)
    readings = _readings(total, figures, convention)
    expected = min(readings, key=lambda e: abs(actual - e))
    net_cost = convention == UNSIGNED and expected != readings[0]
    return ChartSum(total, tuple(figures), expected, net_cost)


def column_sums(values: dict[str, FinanceFigure], convention: str | None) -> list[ChartSum]:
    """Every chart sum of one column (line key -> its figure): each total against each decomposition
    with at least two printed parts, once per set of parts, under the column's sign convention.

    A printed part that does not equal its own parts (already a finding of its own) is replaced by them
    when that makes the outer sum hold: one wrong figure is reported once, not again by every total above it.
    """
    chart = finance_chart()
    present = set(values)
    checks: list[tuple[ChartSum, tuple[Part, ...]]] = []
    for total_key, total in values.items():
        seen: set[frozenset[str]] = set()
        for decomposition in decompositions(total_key, chart):
            check = _sum(total, decomposition, values, present, convention)
            keys = frozenset(f.line_key or "" for f, _ in check.parts) if check else frozenset()
            if check is None or keys in seen:
                continue
            seen.add(keys)
            checks.append((check, decomposition))
    failing = {c.total.line_key or "" for c, _ in checks if not c.holds}
    out = []
    for check, decomposition in checks:
        if not check.holds and failing & {f.line_key for f, _ in check.parts}:
            alternative = _sum(check.total, decomposition, values, present - failing, convention)
            if alternative is not None and alternative.holds:
                check = alternative
        out.append(check)
    return out


def columns_of(figures: Iterable[FinanceFigure]) -> dict[tuple[str, int, str], dict[str, FinanceFigure]]:
    """(table, column, figure kind) -> line key -> its first summable figure. A column holding sub-rows
    of several kinds (an original budget, its changes and the total under one heading) is summed per kind.
    A pair of columns under one heading is one column (`_pairs`)."""
    columns: dict[tuple[str, int, str], dict[str, FinanceFigure]] = defaultdict(dict)
    for fig in figures:
        if is_summable(fig):
            column = columns[(fig.table_id, fig.col_index, fig.figure_kind)]
            key = fig.line_key or ""
            if key not in column or _preferred(fig, column[key]):
                column[key] = fig
    return _pairs(columns)


def _pairs(columns: dict[tuple[str, int, str], dict[str, FinanceFigure]]) -> dict[tuple[str, int, str],
                                                                                 dict[str, FinanceFigure]]:
    """Two neighbouring columns of a table under one heading (label, year and kind) whose lines differ are one
    column printed as a pair: the items in the left, each group's total in the right beside its last item
    (Seinäjoki TP 2024 pp. 61-62, 151-152: '5. Muut velat  60  240 302' under '31.12.2024', 240 302 being 'I
    Pitkäaikainen'). They are summed together, keyed by the right column; two columns printing a line each
    are two columns (the same heading over two quantities)."""
    merged = dict(columns)
    for table, col, kind in sorted(columns):
        left, right = merged.get((table, col, kind)), merged.get((table, col + 1, kind))
        if left is None or right is None or set(left) & set(right):
            continue
        heads = {(f.column_label, f.year) for f in (*left.values(), *right.values())}
        if len(heads) == 1:
            merged[(table, col + 1, kind)] = {**left, **right}
            del merged[(table, col, kind)]
    return merged


def _preferred(fig: FinanceFigure, other: FinanceFigure) -> bool:
    """Of two figures of one line in one column, the row of its own (not a sub-row under a group) wins;
    among a group's sub-rows ('Alkuperäinen', 'Muutos', 'Yhteensä') the last, its total."""
    def qualified(f: FinanceFigure) -> bool:
        return bool(f.line_path) and f.line_path != f.line_label
    if qualified(fig) != qualified(other):
        return not qualified(fig)
    return qualified(fig) and fig.row_index > other.row_index


def chart_finding(check: ChartSum, severity: str = "error") -> ValidationFinding | None:
    """None when the total equals the sum; else info within rounding, a mismatch of `severity` above it."""
    names = ", ".join(f.line_key or f.line_label for f, _ in check.parts)
    return mismatch_finding(check.total, check.figures, check.name, check.expected,
                            f"{check.total.line_key} {fmt(base_value(check.total))} vs sum of {names} = "
                            f"{fmt(check.expected)}", severity=severity)


def column_convention(table_convention: str | None, kind: str) -> str | None:
    """The convention a column's sums are read in: the table's for level columns; unknown (both readings)
    for difference and change columns, which print each change with its own sign."""
    return None if kind in CHANGE_KINDS else table_convention


def unsigned_reading(convention: str | None, figures: Iterable[FinanceFigure]) -> str | None:
    """UNSIGNED for a costs_positive table none of whose money figures in level columns is negative
    (its printed signs tell nothing of a margin's sign), else the convention itself."""
    if convention != COSTS_POSITIVE:
        return convention
    level = [f for f in figures if is_money(f.unit) and f.figure_kind not in (*NOT_SUMMED_KINDS, *CHANGE_KINDS)]
    return UNSIGNED if all(f.amount >= 0 for f in level) else convention


def check_hierarchy(figures: list[FinanceFigure]) -> list[ValidationFinding]:
    """Per table and column, every printed total against the sum of its printed parts, under the
    table's sign convention (both readings when it is unknown or mixed)."""
    by_table: dict[str, list[FinanceFigure]] = defaultdict(list)
    for fig in figures:
        by_table[fig.table_id].append(fig)
    conventions = {table: sign_convention(figs) for table, figs in by_table.items()}
    findings = []
    for (table, _, kind), values in columns_of(figures).items():
        for check in column_sums(values, column_convention(conventions[table], kind)):
            finding = chart_finding(check)
            if finding is not None:
                findings.append(finding)
    return findings
