"""OCR records stage: figures and goal rows read by OCR carry `source = 'ocr'` and the engine's confidence,
and a figure read with low confidence becomes a validation finding (check `ocr_confidence`).

Tesseract's word confidence (0-100) is the only evidence OCR gives about a single figure; the arithmetic
checks (extractors.validate) are the safety net for figures it was sure of and still misread. A figure OCR
was unsure of counts as read when a check that holds confirms it (an `info` finding); otherwise it is a
warning finding and an error issue (`ocr_unconfirmed_figure`), so the document is `partial`.
"""

from __future__ import annotations

from models import FinanceFigure, Goal, PlanDocument, Table, ValidationFinding

LOW_CONFIDENCE = 80.0  # below this a figure read by OCR is reported (Tesseract reads clean digits at 89-96)
VERY_LOW_CONFIDENCE = 50.0  # below this the report is an error
CHECK = "ocr_confidence"
STAGE = "ocr"


def _tables(doc: PlanDocument) -> dict[str, Table]:
    return {table.table_id: table for table in doc.tables()}


def mark_ocr_records(doc: PlanDocument, figures: list[FinanceFigure], goals: list[Goal]) -> None:
    """Copy source and confidence from the IR cells (set by extractors.pdf.scanned) to the records."""
    if not any(page.source == "ocr" for page in doc.pages):
        return
    tables = _tables(doc)
    for figure in figures:
        table = tables.get(figure.table_id)
        if table is None or figure.row_index >= len(table.rows):
            continue
        cell = next((c for c in table.rows[figure.row_index].cells if c.col == figure.col_index), None)
        if cell is not None:
            figure.source, figure.confidence = cell.source, cell.confidence
    rows = {(row.prov.page, _box(row.prov.bbox)): row for table in tables.values() for row in table.rows}
    for goal in goals:
        row = rows.get((goal.page, tuple(goal.bbox) if goal.bbox else None))
        if row is None:
            continue
        cells = [c for c in row.cells if c.text.strip()]
        known = [c.confidence for c in cells if c.confidence is not None]
        goal.source = "ocr" if any(c.source == "ocr" for c in cells) else "text"
        goal.confidence = min(known) if known else None


def _box(bbox: object) -> tuple[float, ...] | None:
    if bbox is None:
        return None
    return tuple(round(v, 1) for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom))  # type: ignore[attr-defined]


def confidence_findings(figures: list[FinanceFigure], checked: set[int], failed: set[int],
                        threshold: float = LOW_CONFIDENCE) -> list[ValidationFinding]:
    """One finding per figure read by OCR below the threshold.

    checked / failed: id() of the figures that took part in an arithmetic check, and in one that did not
    hold (extractors.validate.Validation). A figure that a check holding within rounding confirms is an
    `info` finding (its sum proves it); otherwise a `warning`, an `error` below VERY_LOW_CONFIDENCE.
    """
    findings: list[ValidationFinding] = []
    for figure in figures:
        if figure.source != "ocr" or figure.confidence is None or figure.confidence >= threshold:
            continue
        confirmed = id(figure) in checked and id(figure) not in failed
        severity = "info" if confirmed else "error" if figure.confidence < VERY_LOW_CONFIDENCE else "warning"
        proof = "a sum that holds confirms it" if confirmed else f"check it on page {figure.page}"
        findings.append(ValidationFinding(
            document_id=figure.document_id, unit_name=figure.unit_name, check=CHECK,
            column_label=figure.column_label, expected=None, actual=float(figure.amount), difference=None,
            severity=severity,
            message=f"OCR read '{figure.line_label}' {figure.printed or figure.amount} with confidence "
                    f"{figure.confidence:.0f} (below {threshold:.0f}): {proof}",
            page=figure.page, table_id=figure.table_id, row_index=figure.row_index, col_index=figure.col_index))
    return findings


def record_unconfirmed(doc: PlanDocument, findings: list[ValidationFinding]) -> None:
    """An error issue for every figure OCR was unsure of and no holding sum confirms (document partial)."""
    for finding in findings:
        if finding.check == CHECK and finding.severity != "info":
            doc.add_issue("ocr_unconfirmed_figure", STAGE, f"table {finding.table_id} ({finding.column_label}): "
                          f"{finding.message}", severity="error", page=finding.page)
