"""The share of figures an arithmetic check confirms, per document: documents columns, summary table,
run report, and what the catalog gives back for skipped documents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from extractors.pipeline import process_file
from extractors.writers import read_dataset, write_record_sets
from flows.batch import catalog_summaries
from flows.console import summary_table
from flows.ingest import summarize
from flows.report import build_report, report_markdown

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
LAPUA = "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"

BROKEN = """Sivistyslautakunta

Vastuuhenkilö: sivistysjohtaja

\tTA 2024\tTA 2025
Toimintatuotot\t1 000\t1 100
Toimintakulut\t-5 000\t-5 200
Toimintakate\t-4 000\t-4 900
"""


def test_lapua_budget_share_comes_from_its_checks() -> None:
    # The Lapua budget (read from its page images): every figure of its nine tables is in an
    # arithmetic check that holds within rounding (its actuals are rounded from cents: five checks
    # differ by one euro), except the two figures of TARKASTUSLAUTAKUNTA's "Raami 2025" column,
    # whose income cell is blank, so no check covers them.
    _, records = process_file(SAMPLES / LAPUA)
    document = records.document
    # partial only because savings targets printed under three tables are read by no reader
    assert document.status == "partial" and len(records.finance) == 185
    assert {i.code for i in records.issues if i.severity != "info"} == {"table_not_read", "rows_under_table"}
    assert (document.figures_checked, document.figures_passed, document.checked_share) == (183, 183, 0.989)
    assert {f.severity for f in records.validation} == {"info"}
    assert max(abs(f.difference or 0) for f in records.validation) == 1.0


def test_summary_table_and_run_report_show_the_share(tmp_path: Path) -> None:
    _, lapua = process_file(SAMPLES / LAPUA)
    broken_path = tmp_path / "broken.txt"
    broken_path.write_text(BROKEN, encoding="utf-8")
    _, broken = process_file(broken_path)
    assert broken.document.status == "partial"
    # TA 2025: 1 100 - 5 200 = -4 100, printed -4 900 (a misread digit): three figures fail
    assert (broken.document.figures_checked, broken.document.figures_passed, broken.document.checked_share) == (
        6, 3, 0.5)
    summaries = [summarize(lapua, 1.0), summarize(broken, 1.0)]
    for summary in summaries:
        summary["path"] = summary["source_path"]
    console = Console(record=True, width=250)
    console.print(summary_table(summaries))
    text = console.export_text()
    assert "checked" in text and "99 %" in text and "50 %" in text
    report = build_report("archive", str(tmp_path), tmp_path, summaries, datetime.now(UTC), datetime.now(UTC))
    entries = {Path(e["path"]).name: e for e in report["files"]}
    assert entries[LAPUA]["checked_share"] == 0.989 and entries["broken.txt"]["figures_passed"] == 3
    assert report["totals"]["figures_passed"] == 186
    markdown = report_markdown(report)
    assert "| checked |" in markdown and "| 99 % |" in markdown and "| 50 % |" in markdown

    write_record_sets([lapua, broken], tmp_path / "out")
    documents = read_dataset(tmp_path / "out", "documents").set_index("source_path")
    assert documents.loc[str(broken_path), "checked_share"] == 0.5
    again = catalog_summaries(tmp_path / "out", {lapua.document.document_id})
    assert again[lapua.document.document_id]["checked_share"] == 0.989
