"""Percent-change columns of one finance table: a column whose heading names the two years it compares
('Muutos% TA 2024-2025') is, on every row, new / old − 1 in per cent, rounded to the decimals it prints.

Source of the rule: the heading itself. The old column is the only level column of the earlier year
the heading names ('Muutos-% 2024/2023' compares 2024 with 2023); the new column the only level column
of the later year with the old column's kind ('TA 2024 | Raami 2025 | TA 2025 | Muutos% TA 2024-2025':
TA 2025, not the frame). A heading naming no
two years, or a table where those columns are not one each, is not checked (the percentages compare
something the table does not say). A cost growing from −23 391 100 to −23 895 053 is +2,15 % (Lapua);
(new − old) / |old| is accepted too. Rounding: the printed percentage must be the exact quotient
rounded half up or half even to its printed decimals; when the levels are printed in a scale
(thousands), the quotient of rounded levels may be off by one unit of the last decimal (`info`).
Lapua minutes: the sivistyslautakunta 15.1.2025 p. 20 and hyvinvointilautakunta p. 14 columns hold on
every row; the sivistyslautakunta 8.10.2025 p. 9 column prints 0,0 % / 1,5 % / 1,5 % where TA 2026
against TA 2025 gives 2,5 % / 1,7 % / 1,6 % (a source error). Pure: figures in, outcomes out.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from extractors.hierarchy import CHANGE_KINDS, NOT_SUMMED_KINDS
from extractors.numbers import parse_number
from extractors.patterns import YEAR
from extractors.rounding import base_value, fmt
from models import FinanceFigure, ValidationFinding

Outcome = tuple[list[FinanceFigure], ValidationFinding | None]
CHECK = "percent_change"
PERCENT_KINDS = ("percent_change",)
NOT_LEVELS = (*CHANGE_KINDS, *NOT_SUMMED_KINDS, "total", "cumulative", "other")


def _levels(figures: list[FinanceFigure]) -> dict[int, tuple[str, int]]:
    """col -> (kind, year) of every level column: one kind and one year on all its figures."""
    seen: dict[int, set[tuple[str, int | None]]] = defaultdict(set)
    for fig in figures:
        if fig.figure_kind not in NOT_LEVELS:
            seen[fig.col_index].add((fig.figure_kind, fig.year))
    return {col: (kind, year) for col, pairs in seen.items() if len(pairs) == 1
            for kind, year in pairs if year is not None}


def _compared(label: str, levels: dict[int, tuple[str, int]]) -> tuple[int, int] | None:
    """(old column, new column) the heading names: the earlier year's only level column and the later
    year's only level column of the same kind; None otherwise."""
    years = sorted({int(y) for y in YEAR.findall(label)})  # 'TA 2024-2025', 'Muutos-% 2024/2023': earlier first
    if len(years) != 2:
        return None
    old = [col for col, (_, year) in levels.items() if year == years[0]]
    if len(old) != 1:
        return None
    new = [col for col, (kind, year) in levels.items() if year == years[1] and kind == levels[old[0]][0]]
    return (old[0], new[0]) if len(new) == 1 else None


def percent_changes(figures: list[FinanceFigure]) -> list[Outcome]:
    """Outcomes of every percent-change column of the table whose heading names the two years it compares."""
    levels = _levels(figures)
    cells = {(f.row_index, f.col_index): f for f in figures}
    outcomes: list[Outcome] = []
    for pct in figures:
        pair = _compared(pct.column_label, levels) if pct.figure_kind in PERCENT_KINDS else None
        old, new = (cells.get((pct.row_index, col)) for col in pair) if pair else (None, None)
        parsed = parse_number(pct.printed) if pct.printed else None
        if old is None or new is None or parsed is None or base_value(old) == 0:
            continue
        exact = (base_value(new) / base_value(old) - 1) * 100  # costs: -23 895 053 on -23 391 100 is +2,15 %
        unit = Decimal(1).scaleb(-parsed.decimals)
        readings = (exact, (base_value(new) - base_value(old)) / abs(base_value(old)) * 100)
        rounded = {e.quantize(unit, rounding=mode) for e in readings for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)}
        printed = parsed.value
        if printed in rounded:
            outcomes.append(([pct, old, new], None))
            continue
        expected = exact.quantize(unit, rounding=ROUND_HALF_UP)
        scaled = (old.multiplier or 1) > 1 or (new.multiplier or 1) > 1
        severity = "info" if scaled and abs(printed - expected) <= unit else "error"
        kind = "rounding difference" if severity == "info" else "mismatch"
        outcomes.append(([pct, old, new], ValidationFinding(
            document_id=pct.document_id, unit_name=pct.unit_name, check=CHECK, column_label=pct.column_label,
            expected=float(expected), actual=float(printed), difference=float(printed - expected),
            severity=severity, page=pct.page, table_id=pct.table_id, row_index=pct.row_index,
            col_index=pct.col_index,
            message=f"{kind}: {pct.line_label}: {pct.column_label} {fmt(printed)} % vs {new.column_label} / "
                    f"{old.column_label} − 1 = {fmt(expected)} %")))
    return outcomes
