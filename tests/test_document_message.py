"""documents.message keeps every reason whole; only the terminal's summary table shortens it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from extractors.writers import read_dataset, write_record_sets
from flows.console import SHOWN_MESSAGE_CHARS, shown_message, summary_table
from flows.ingest import summarize
from flows.report import build_report, report_markdown
from tests.pdf_pages import page_records

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = CORPUS / "fi_seinajoki_tilinpaatos_2024.pdf"
# Seinäjoki's statement pp. 8 (a balance sheet whose figures are fused into its labels), 19 (amounts in
# millions in a form's text), 164 (a row of figures under no label), 179 (a total line outside every table)
PAGES = (8, 19, 164, 179)
LAST_REASON = ("table_not_read ×5, first: table t1 (page 1): 9 figures that no reader read as finance or goals, "
               "kept in tables only")


def test_the_dataset_and_the_run_report_keep_the_whole_message(tmp_path: Path) -> None:
    records = page_records(SEINAJOKI, PAGES)
    message = records.document.message
    # four kinds of reason, the last one past the 500 characters the message used to be cut at
    assert records.document.status == "partial"
    assert message.startswith("table t2 (page 3): a row prints 4 figure(s) (93 738,83, ")
    assert "page 4: 'Koronvaihtosopimukset yhteensä 315 513 733,33' prints figures outside every table" in message
    assert message.endswith(LAST_REASON) and len(message) > SHOWN_MESSAGE_CHARS and "…" not in message

    write_record_sets([records], tmp_path / "out")
    assert read_dataset(tmp_path / "out", "documents")["message"].tolist() == [message]

    summary = summarize(records, 1.0)
    summary["path"] = summary["source_path"]
    report = build_report("archive", str(tmp_path), tmp_path, [summary], datetime.now(UTC), datetime.now(UTC))
    assert report["files"][0]["message"] == message
    assert LAST_REASON in report_markdown(report)

    # the terminal shows at most SHOWN_MESSAGE_CHARS, cut at a word
    shown = shown_message(message)
    assert len(shown) <= SHOWN_MESSAGE_CHARS and shown.endswith(" …") and message.startswith(shown[:-2])
    console = Console(record=True, width=2000)
    console.print(summary_table([summary]))
    text = console.export_text()
    assert "kept in tables only; page 4:" in text and LAST_REASON not in text


def test_a_short_message_is_shown_whole() -> None:
    assert shown_message("file is empty") == "file is empty"
    assert shown_message("") == ""
