"""Findings stage: which figures a validation finding is about (for page pictures and for the archivist).

A check within a table is about every figure it adds up (as `extractors.validate.run_checks` records
them); `areas_sum_to_central` about the central's total; `ocr_confidence` about the one figure it names.
Only findings that report a failure (severity warning or error) flag figures.
"""

from __future__ import annotations

from collections import defaultdict

from extractors.validate import SUMMED_TO_CENTRAL, run_checks
from models import FinanceFigure, ValidationFinding

FigureKey = tuple[str, int, int]  # table_id, row_index, col_index
FAILED = ("warning", "error")


def figure_key(figure: FinanceFigure) -> FigureKey:
    return (figure.table_id, figure.row_index, figure.col_index)


def _totals(finding: ValidationFinding, figures: list[FinanceFigure], keys: set[str]) -> list[FinanceFigure]:
    """The figures that can be the finding's checked total: same unit, column and value (or printed amount)."""
    def same(figure: FinanceFigure) -> bool:
        return finding.actual is not None and any(
            v is not None and abs(v - finding.actual) < 0.5 for v in (figure.value, figure.amount))
    return [f for f in figures if f.unit_name == finding.unit_name and f.column_label == finding.column_label
            and f.line_key in keys and same(f) and (finding.page is None or f.page == finding.page)]


def flagged_figures(figures: list[FinanceFigure], findings: list[ValidationFinding]) -> dict[FigureKey, list[str]]:
    """figure key -> the failed checks (by name) it takes part in.

    The checks within tables are run again on these figures (`extractors.validate.run_checks`), so a figure
    is flagged exactly when it took part in a check that did not hold; a finding about one figure
    (`ocr_confidence`) and `areas_sum_to_central` (the central's total) come from the findings.
    """
    flagged: dict[FigureKey, list[str]] = defaultdict(list)
    within = run_checks(figures, [])
    for figure in figures:
        for name in within.failed_checks.get(id(figure), []):
            flagged[figure_key(figure)].append(name)
    for finding in findings:
        if finding.severity not in FAILED:
            continue
        if finding.table_id is not None and finding.row_index is not None and finding.col_index is not None:
            flagged[(finding.table_id, finding.row_index, finding.col_index)].append(finding.check)
        elif finding.check == "areas_sum_to_central":
            for total in _totals(finding, figures, set(SUMMED_TO_CENTRAL)):
                flagged[figure_key(total)].append(finding.check)
    return dict(flagged)
