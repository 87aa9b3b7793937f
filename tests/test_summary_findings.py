"""The summary's `validation` column and the run report's `findings` count the checks that do not add up
(warnings and errors); rounding differences within tolerance (`info`) are counted apart, as `info_findings`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from extractors.pipeline import process_file
from extractors.writers import write_record_sets
from flows.batch import catalog_summaries
from flows.console import summary_table
from flows.ingest import summarize
from flows.report import build_report, report_markdown
from tests.test_checked_share import BROKEN  # a unit whose TA 2025 operating margin does not add up

REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "reference"
LOVIISA = REFERENCE / "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"


def test_a_clean_ok_document_shows_no_findings(tmp_path: Path) -> None:
    _, loviisa = process_file(LOVIISA)
    broken_path = tmp_path / "broken.txt"
    broken_path.write_text(BROKEN, encoding="utf-8")
    _, broken = process_file(broken_path)
    # Loviisa's central: two sums off by one euro (rounding, within tolerance): ok, nothing to review
    assert loviisa.document.status == "ok"
    assert sorted((f.check, f.severity, f.difference) for f in loviisa.validation) == [
        ("areas_sum_to_central", "info", -1.0), ("income_components", "info", -1.0)]
    # TA 2025: 1 100 - 5 200 = -4 100, printed -4 900: one check does not add up
    assert broken.document.status == "partial"
    assert [(f.check, f.severity) for f in broken.validation] == [("operating_margin", "error")]

    summaries = [summarize(loviisa, 1.0), summarize(broken, 1.0)]
    assert [(s["findings"], s["info_findings"]) for s in summaries] == [(0, 2), (1, 0)]
    for summary in summaries:
        summary["path"] = summary["source_path"]
    console = Console(record=True, width=250)
    console.print(summary_table(summaries))
    rows = {line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[2:]]
            for line in console.export_text().splitlines() if line.startswith("│ ") and ".txt" in line}
    # columns: status, pages, goals, finance, validation, checked, message
    assert rows[LOVIISA.name][4] == "0" and rows["broken.txt"][4] == "1"

    report = build_report("archive", str(tmp_path), tmp_path, summaries, datetime.now(UTC), datetime.now(UTC))
    assert [(e["findings"], e["info_findings"]) for e in report["files"]] == [(0, 2), (1, 0)]
    assert (report["totals"]["findings"], report["totals"]["info_findings"]) == (1, 2)
    assert f"| {LOVIISA} | ok |  | 1 | 23 | 108 | 0 |" in report_markdown(report)

    # a skipped document's row, counted from the catalog, says the same
    write_record_sets([loviisa, broken], tmp_path / "out")
    again = catalog_summaries(tmp_path / "out", {loviisa.document.document_id, broken.document.document_id})
    assert (again[loviisa.document.document_id]["findings"], again[loviisa.document.document_id]["info_findings"]) \
        == (0, 2)
    assert (again[broken.document.document_id]["findings"], again[broken.document.document_id]["info_findings"]) \
        == (1, 0)
