"""Line hierarchy checks: in each table and column, the printed parts of a line add up to it.

The chart (extractors/lexicons/finance_chart.yml) gives every line key its parent and sign, and further
sums (the financing statement's operating cash flow, Sweden's net operating costs). A total is checked
against each of its decompositions; a part the table does not print is replaced by its own printed
parts (Henkilöstökulut = Palkat ja palkkiot + Eläkekulut + Muut henkilösivukulut when Henkilösivukulut
is not printed), and a check needs at least two printed parts. Percent and count columns are not
summed. Pure: figures in, ValidationFindings out (severity by the rounding rule of extractors.rounding:
within half a unit of the printed precision per figure it is rounding, `info`; else, or when the
difference is the mark of a misread digit, an `error`).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from extractors.lexicon import Chart, finance_chart
from extractors.rounding import base_value, fmt, fmt_signed, tolerance, within_rounding
from models import FinanceFigure, ValidationFinding

NOT_SUMMED_KINDS = ("percent_change", "realisation_percent", "count")
Part = tuple[str, int]


@cache
def parent_map() -> dict[str, str]:
    """Child line key -> parent line key, for every line of the chart that has a parent."""
    return {key: line.parent for key, line in finance_chart().lines.items() if line.parent}


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


def check_hierarchy(figures: list[FinanceFigure]) -> list[ValidationFinding]:
    """Per table and column, every printed total against the sum of its printed parts.

    Both sign conventions are read: parts as printed (costs printed negative), and parts that reduce
    their total taken as negative whatever their printed sign; the nearer reading is reported. A
    finding is made only when neither reading equals the total.
    """
    chart = finance_chart()
    columns: dict[tuple[str, int], dict[str, FinanceFigure]] = defaultdict(dict)
    for fig in figures:
        if fig.line_key and not fig.is_memo and fig.figure_kind not in NOT_SUMMED_KINDS:
            columns[(fig.table_id, fig.col_index)].setdefault(fig.line_key, fig)
    findings: list[ValidationFinding] = []
    for values in columns.values():
        present = set(values)
        for total_key, total in values.items():
            for decomposition in decompositions(total_key, chart):
                parts = _expand(decomposition, present, chart, frozenset({total_key}))
                if len(parts) < 2:
                    continue
                amounts = {k: base_value(values[k]) for k, _ in parts}
                readings = (sum(amounts[k] for k, _ in parts),
                            sum(amounts[k] if s > 0 else -abs(amounts[k]) for k, s in parts))
                actual = base_value(total)
                expected = min(readings, key=lambda e: abs(actual - e))
                if expected == actual:
                    continue
                difference = actual - expected
                involved = [total, *(values[k] for k, _ in parts)]
                severity = "info" if within_rounding(difference, total, involved) else "error"
                names = ", ".join(("-" if s < 0 else "") + k for k, s in parts)
                kind = "rounding difference" if severity == "info" else "mismatch"
                findings.append(ValidationFinding(
                    document_id=total.document_id, unit_name=total.unit_name, check=f"hierarchy_{total_key}",
                    column_label=total.column_label, expected=float(expected), actual=float(actual),
                    difference=float(difference), severity=severity, page=total.page, table_id=total.table_id,
                    tolerance=float(tolerance(involved)),
                    message=f"{kind}: {total_key} {fmt(actual)} vs sum of {names} = {fmt(expected)} "
                            f"(difference {fmt_signed(difference)})"))
    return findings
