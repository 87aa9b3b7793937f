"""OCR records stage: figures and goal rows read by OCR carry `source = 'ocr'` and the engine's confidence,
and a figure read with low confidence becomes a validation finding (check `ocr_confidence`).

Tesseract's word confidence (0-100) is the only evidence OCR gives about a single figure; the arithmetic
checks (extractors.validate) are the safety net for figures it was sure of and still misread.
"""

from __future__ import annotations

from models import FinanceFigure, Goal, PlanDocument, Table, ValidationFinding

LOW_CONFIDENCE = 80.0  # below this a figure read by OCR is reported (Tesseract reads clean digits at 89-96)
VERY_LOW_CONFIDENCE = 50.0  # below this the report is an error
CHECK = "ocr_confidence"


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


def confidence_findings(figures: list[FinanceFigure], threshold: float = LOW_CONFIDENCE) -> list[ValidationFinding]:
    """One finding per figure read by OCR below the threshold: a warning, an error below VERY_LOW_CONFIDENCE."""
    findings: list[ValidationFinding] = []
    for figure in figures:
        if figure.source != "ocr" or figure.confidence is None or figure.confidence >= threshold:
            continue
        findings.append(ValidationFinding(
            document_id=figure.document_id, unit_name=figure.unit_name, check=CHECK,
            column_label=figure.column_label, expected=None, actual=float(figure.amount), difference=None,
            severity="error" if figure.confidence < VERY_LOW_CONFIDENCE else "warning",
            message=f"OCR read '{figure.line_label}' {figure.amount} with confidence {figure.confidence:.0f} "
                    f"(below {threshold:.0f}): check it on page {figure.page}",
            page=figure.page, table_id=figure.table_id, row_index=figure.row_index, col_index=figure.col_index))
    return findings
