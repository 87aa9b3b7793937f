"""Status stage: the evidence of every stage -> a document's status (`ok` / `partial`) and why.

A document is `ok` only when everything found in it was read completely and its arithmetic holds
within rounding. It is `partial`, with a message naming each reason, when:

- nothing was recognised (no finance table, no goal table);
- a stage recorded an error-level issue (a cell that is not a number; a figure standing under another
  column than it was read into; a line printing a table row of figures outside every table: see
  `extractors.completeness`);
- an arithmetic check did not hold within rounding (a `validation` finding of severity `error` or
  `warning`): the message names the table, page, check and column;
- a table prints its costs both negative and positive (a `sign_convention` warning of the validation);
- figures were found that no reader read (`UNREAD_CODES`: a table printing figures that gave no finance
  figure and no goal, rows under a table printing figures that belong to none of its columns, a row
  printing figures under no label): they are kept in `tables`, and the document was not read
  completely; amounts with a scale word printed outside
  every table in a form's or a table's text on a page that gave no finance figure (`amounts_not_read`,
  `extractors.completeness`; such amounts in running text are an `amounts_in_text` info and leave the status).

Lines the finance lexicon does not know do not by themselves make a document partial (issue 10: a
table that does not add up does): each is an `info` issue of the finance stage, and a check beside them
that does not add up is a warning. A `failed` document (unreadable) stays failed.
"""

from __future__ import annotations

from models import DocumentStatus, FinanceFigure, Goal, PlanDocument, ValidationFinding

STAGE = "validate"
SIGN_CONVENTION_CHECK = "sign_convention"
NOTHING_RECOGNISED = "nothing_recognised"  # the issue of a document with no finance table and no goal table
UNREAD_CODES = ("table_not_read", "rows_under_table", "amounts_not_read",
                "unlabelled_figures")  # figures read incompletely


def failed_check_message(finding: ValidationFinding) -> str:
    """'table t3 (page 5): operating_margin in TA 2025 does not add up (difference +900)'; a finding about
    the whole table (its sign convention) names no column."""
    where = f"table {finding.table_id}" if finding.table_id else f"unit {finding.unit_name}"
    page = f" (page {finding.page})" if finding.page is not None else ""
    if finding.column_label is None:
        return f"{where}{page}: {finding.check} — {finding.message}"
    return f"{where}{page}: {finding.check} in {finding.column_label} does not add up — {finding.message}"


def decide_status(doc: PlanDocument, finance: list[FinanceFigure], goals: list[Goal],
                  findings: list[ValidationFinding]) -> None:
    """Set doc.status and doc.message from the evidence; record failed checks as issues.

    The message is kept whole, every reason of every kind (an archivist reads why from the dataset); only
    the terminal's summary table shortens it (`flows.console.shown_message`)."""
    if doc.status == DocumentStatus.failed:
        return
    reasons: list[str] = []
    mixed = [f for f in findings if f.check == SIGN_CONVENTION_CHECK and f.severity != "info"]
    failed_checks = [f for f in findings if f.severity != "info" and f.check != SIGN_CONVENTION_CHECK]
    for finding in mixed:
        doc.add_issue("mixed_sign_convention", STAGE, failed_check_message(finding), severity=finding.severity,
                      page=finding.page)
    for finding in failed_checks:
        doc.add_issue("arithmetic_mismatch", STAGE, failed_check_message(finding), severity=finding.severity,
                      page=finding.page)
    if not finance and not goals:
        doc.add_issue(NOTHING_RECOGNISED, "records", "no finance table or goal table was recognised")
        reasons.append("no finance table or goal table was recognised")
    errors: dict[str, list[str]] = {}  # issue code -> its messages, in the order the stages found them
    for issue in doc.issues:
        if (issue.severity == "error" and issue.code != "arithmetic_mismatch") or issue.code in UNREAD_CODES:
            errors.setdefault(issue.code, []).append(issue.message)
    reasons += [_counted(code, messages) for code, messages in errors.items()]
    reasons += [failed_check_message(f) for f in mixed]
    if failed_checks:
        reasons.append(_counted("arithmetic check(s) do not add up",
                                [failed_check_message(f) for f in failed_checks], plural_first=True))
    if reasons:
        doc.status = DocumentStatus.partial
        doc.message = (doc.message + "; " if doc.message else "") + "; ".join(reasons)


def _counted(kind: str, messages: list[str], plural_first: bool = False) -> str:
    """One reason per kind: its only message, or 'not_a_number ×6, first: <message>' (the `issues`
    dataset holds every one)."""
    if plural_first:
        return f"{len(messages)} {kind}: {messages[0]}" + (" (and more)" if len(messages) > 1 else "")
    return messages[0] if len(messages) == 1 else f"{kind} ×{len(messages)}, first: {messages[0]}"

