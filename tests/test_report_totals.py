"""The run report's totals count each document once (a copy's figures are its document's) and agree with the
terminal's summary line."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.console import totals_line
from flows.report import build_report, report_markdown


def _summary(path: str, document_id: str, status: str, finance: int, **extra: object) -> dict[str, object]:
    return {"path": path, "source_path": path, "document_id": document_id, "status": status, "message": "",
            "pages": 2, "goals": 1, "finance": finance, "findings": 0, "info_findings": 0, "figures_checked": finance,
            "figures_passed": finance, "checked_share": 1.0, "diagnostics": 0, "seconds": 0.1, **extra}


def test_totals_count_copies_once_and_agree_with_the_terminal(tmp_path: Path) -> None:
    summaries = [
        _summary("in/a.pdf", "A", "ok", 58),
        _summary("in/b.pdf", "A", "ok", 58, skipped=True, skip_reason="same content as in/a.pdf"),
        _summary("in/c.pdf", "C", "ok", 60, skipped=True, skip_reason="unchanged: already ingested"),
        _summary("in/d.pdf", "A", "ok", 58, skipped=True, copy_of="in/a.pdf",
                 skip_reason="same content as in/a.pdf, already in the catalog"),
        _summary("in/e.pdf", "E", "failed", 0, message="file is empty"),
    ]
    started = datetime(2026, 1, 1, tzinfo=UTC)
    report = build_report("archive", "in", tmp_path, summaries, started, started + timedelta(seconds=1))
    counted = report["totals"]
    assert (counted["files"], counted["documents"], counted["copies"]) == (5, 3, 2)
    assert (counted["ok"], counted["failed"]) == (2, 1)
    assert counted["finance"] == 58 + 60 and counted["pages"] == 6 and counted["figures_passed"] == 118

    line = totals_line(summaries, tmp_path)
    assert line.startswith("3 document(s): 2 ok, 0 partial, 1 failed, 1 skipped as unchanged, 2 file(s) skipped")
    markdown = report_markdown(report)
    assert "5 file(s), 3 document(s): 2 extracted, 1 skipped as unchanged, 2 file(s) skipped" in markdown
    assert "; 2 ok, 0 partial, 1 failed." in markdown
    total_row = next(row for row in markdown.splitlines() if row.startswith("| **total**"))
    assert re.search(r"\| 3 \| 6 \| 3 \| 118 \|", total_row), total_row
