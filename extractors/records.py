"""Records stage: PlanDocument -> RecordSet (units, sections, goals, finance, validation, metadata)."""

from __future__ import annotations

from extractors.completeness import record_stray_rows, record_unread_amounts, record_unread_tables
from extractors.finance import extract_finance
from extractors.finance_text_cells import read_text_cell_tables
from extractors.goals import extract_goals
from extractors.metadata import document_metadata, own_municipality
from extractors.ocr_checks import confidence_findings, mark_ocr_records, record_unconfirmed
from extractors.peers import mark_peer_rows
from extractors.pipeline import document_record, issue_records
from extractors.status import decide_status
from extractors.structure import segment
from extractors.tables import extract_tables
from extractors.understand import printed_line_breaks, understand
from extractors.validate import run_checks
from models import PlanDocument, RecordSet
from models.base import share_fields_sets


def extract_records(doc: PlanDocument) -> RecordSet:
    """Every stage after loading, in order; they change `doc` (texts repaired, issues added, and at the end its
    tables' body rows and its issues let go as they become records: a long document's cells and issues never
    exist twice)."""
    structure = segment(doc)
    finance = extract_finance(doc, structure)
    record_stray_rows(doc)
    goals = extract_goals(doc, structure)
    finance += read_text_cell_tables(doc, structure, finance)  # after the goals: a table they took stays theirs
    mark_peer_rows(finance, structure, own_municipality(doc), doc.language)  # other municipalities' rows
    record_unread_amounts(doc, {f.page for f in finance if f.page is not None})
    record_unread_tables(doc, {f.table_id for f in finance})
    validation = run_checks(finance, structure.units)
    mark_ocr_records(doc, finance, goals)
    ocr_findings = confidence_findings(finance, validation.checked, validation.failed)
    record_unconfirmed(doc, ocr_findings)
    for table_id, passed in validation.checked_tables(finance).items():
        table = next(t for t in doc.tables() if t.table_id == table_id)
        table.quality.arithmetic_ok = passed
    table_units = {f.table_id: f.unit_name for f in finance}
    table_units.update({ctx.table.table_id: ctx.unit_name for ctx in structure.tables
                        if ctx.table.table_id not in table_units})
    breaks = printed_line_breaks(doc)
    # the last stage that reads the tables' body rows: they go as their cells become records, before the
    # understanding stage adds its issues (a long document's cells never exist twice)
    cells, table_quality = extract_tables(doc, table_units, finance, release=True)
    responsibles, targets = understand(doc, structure.units, structure.sections, goals, breaks)
    decide_status(doc, finance, goals, validation.findings)
    validation.findings += ocr_findings
    checked, passed, share = validation.coverage(finance)
    record = document_record(doc, **document_metadata(doc, structure, finance),
                             figures_checked=checked, figures_passed=passed, checked_share=share)
    records = RecordSet(document=record, units=structure.units, sections=structure.sections, goals=goals,
                        finance=finance, validation=validation.findings, responsibles=responsibles, targets=targets,
                        issues=issue_records(doc, release=True), tables=cells, table_quality=table_quality)
    # the records share their sets of fields set (models.base): the cells' already do (extract_tables)
    share_fields_sets(record for name, part in records.datasets().items() if name != "tables" for record in part)
    return records
