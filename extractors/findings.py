"""Findings stage: which figures a validation finding is about (for page pictures and for the archivist).

A sum check (extractors.validate.CHECKS) is about its total and every component of the same table and
column; `areas_sum_to_central` about the central's total; `ocr_confidence` about the one figure it names.
Only findings that report a failure (severity warning or error) flag figures.
"""

from __future__ import annotations

from collections import defaultdict

from extractors.validate import CHECKS, SUMMED_TO_CENTRAL
from models import FinanceFigure, ValidationFinding

FigureKey = tuple[str, int, int]  # table_id, row_index, col_index
FAILED = ("warning", "error")


def figure_key(figure: FinanceFigure) -> FigureKey:
    return (figure.table_id, figure.row_index, figure.col_index)


def _lines_of(check_name: str) -> set[str]:
    for check in CHECKS:
        if check.name == check_name:
            return {check.total, *check.plus, *check.minus}
    return set()


def _totals(finding: ValidationFinding, figures: list[FinanceFigure], keys: set[str]) -> list[FinanceFigure]:
    """The figures that can be the finding's checked total: same unit, column and value (or printed amount)."""
    def same(figure: FinanceFigure) -> bool:
        return finding.actual is not None and any(
            v is not None and abs(v - finding.actual) < 0.5 for v in (figure.value, figure.amount))
    return [f for f in figures if f.unit_name == finding.unit_name and f.column_label == finding.column_label
            and f.line_key in keys and same(f) and (finding.page is None or f.page == finding.page)]


def flagged_figures(figures: list[FinanceFigure], findings: list[ValidationFinding]) -> dict[FigureKey, list[str]]:
    """figure key -> the failed checks (by name) it takes part in."""
    flagged: dict[FigureKey, list[str]] = defaultdict(list)
    for finding in findings:
        if finding.severity not in FAILED:
            continue
        if finding.table_id is not None and finding.row_index is not None and finding.col_index is not None:
            # a finding about one figure (ocr_confidence)
            flagged[(finding.table_id, finding.row_index, finding.col_index)].append(finding.check)
            continue
        if finding.check == "areas_sum_to_central":
            for total in _totals(finding, figures, set(SUMMED_TO_CENTRAL)):
                flagged[figure_key(total)].append(finding.check)
            continue
        lines = _lines_of(finding.check)
        check = next((c for c in CHECKS if c.name == finding.check), None)
        if check is None:
            continue
        tables = {finding.table_id} if finding.table_id else \
            {t.table_id for t in _totals(finding, figures, {check.total})}
        for figure in figures:
            if figure.table_id in tables and figure.column_label == finding.column_label and figure.line_key in lines:
                flagged[figure_key(figure)].append(finding.check)
    return dict(flagged)
