"""Run reports of the batch flows: OUT/reports/run-<UTC timestamp>.json and a readable .md beside it."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from extractors import PIPELINE_VERSION
from extractors.source import display_text
from flows.jobs import Summary

REPORTS_DIR = "reports"
STATUSES = ("ok", "partial", "failed")
FILE_FIELDS = (
    "path",
    "document_id",
    "status",
    "pages",
    "goals",
    "finance",
    "findings",
    "info_findings",
    "figures_checked",
    "figures_passed",
    "checked_share",
    "diagnostics",
    "peak_memory_mb",
    "seconds",
    "skipped",
    "skip_reason",
    "error",
    "message",
    "source_path",
    "copy_of",
    "moved_from",
    "replaced",
    "worker",
    "moved_to",
    "move_error",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def report_file_entry(summary: Summary) -> dict[str, Any]:
    """One file's line of the report; `error` is the reason of a failure (empty otherwise)."""
    entry = {field: summary.get(field) for field in FILE_FIELDS}
    entry["skipped"] = bool(summary.get("skipped"))
    entry["error"] = (summary.get("message") or "unknown reason") if summary.get("status") == "failed" else None
    return entry


def is_copy(entry: dict[str, Any]) -> bool:
    """Whether a file was skipped as the same content as another file (of the run, or the catalog's source of the
    document): no document of its own. The terminal summary and the run report count these apart from the
    files skipped as unchanged, in the same words (skipped_words)."""
    return bool(entry.get("skipped")) and str(entry.get("skip_reason") or "").startswith("same content as")


def skipped_words(unchanged: int, copies: int) -> str:
    """'N skipped as unchanged, M file(s) skipped as the same content as another file', each part when not 0."""
    parts = ([f"{unchanged} skipped as unchanged"] if unchanged else []) + \
        ([f"{copies} file(s) skipped as the same content as another file"] if copies else [])
    return ", ".join(parts)


def document_entries(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The files of a run that stand for a document: all but the copies (is_copy), whose document is counted at
    the file it is recorded at. The terminal summary and the run report's totals count these, once each."""
    return [entry for entry in files if not is_copy(entry)]


def totals(files: list[dict[str, Any]]) -> dict[str, Any]:
    documents = document_entries(files)
    counted = {
        "files": len(files),
        "documents": len(documents),
        "extracted": sum(not entry["skipped"] for entry in files),
        "skipped": sum(entry["skipped"] for entry in files),
        "copies": sum(is_copy(entry) for entry in files),
    }
    # by document: a copy's status and figures are its document's, counted at the document's own file
    counted.update({status: sum(entry["status"] == status for entry in documents) for status in STATUSES})
    for field in ("pages", "goals", "finance", "findings", "info_findings", "figures_checked", "figures_passed",
                  "diagnostics"):
        counted[field] = sum(entry[field] or 0 for entry in documents)
    counted["extracted_pages"] = sum(entry["pages"] or 0 for entry in files if not entry["skipped"])
    return counted


def build_report(
    kind: str,
    source: str,
    out_dir: Path | str,
    summaries: list[Summary],
    started: datetime,
    finished: datetime,
    **details: Any,
) -> dict[str, Any]:
    """The run report as plain JSON data; details (task runner, workers, ...) are kept as given."""
    files = [report_file_entry(summary) for summary in summaries]
    seconds = (finished - started).total_seconds()
    counted = totals(files)
    return {
        "kind": kind,
        "source": source,
        "out_dir": str(out_dir),
        "pipeline_version": PIPELINE_VERSION,
        "started_at": _timestamp(started),
        "finished_at": _timestamp(finished),
        "seconds": round(seconds, 3),
        "pages_per_second": round(counted["extracted_pages"] / seconds, 2) if seconds > 0 else None,
        **details,
        "totals": counted,
        "files": files,
    }


def _create_exclusive(folder: Path, stem: str) -> Path:
    """Reserve run-<stamp>.json (or run-<stamp>-2.json, ...) so two runs in one second never collide."""
    for attempt in range(1, 1000):
        name = f"{stem}.json" if attempt == 1 else f"{stem}-{attempt}.json"
        try:
            descriptor = os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        os.close(descriptor)
        return folder / name
    raise FileExistsError(f"no free report name for {stem} in {folder}")


def write_run_report(out_dir: Path | str, report: dict[str, Any]) -> list[str]:
    """Write the report as JSON and Markdown under OUT/reports/; returns both paths."""
    folder = Path(out_dir) / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = report["started_at"].replace("-", "").replace(":", "")
    json_path = _create_exclusive(folder, f"run-{stamp}")
    md_path = json_path.with_suffix(".md")
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(report_markdown(report), encoding="utf-8")
    return [str(json_path), str(md_path)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(item) for item in value)
    return display_text(str(value)).replace("|", "\\|")


def _code(value: Any) -> str:
    """value as inline code of one Markdown line, whatever characters it holds."""
    text = display_text(str(value))
    fence = "`" * (max((len(list(run)) for char, run in groupby(text) if char == "`"), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"


def _share(share: float | None) -> str:
    """The share of money figures that passed an arithmetic check ('98 %'); empty without money figures."""
    return "" if share is None else f"{share:.0%}".replace("%", " %")


def report_markdown(report: dict[str, Any]) -> str:
    counted = report["totals"]
    lines = [
        f"# plandata {report['kind']} run {report['started_at']}",
        "",
        f"- source: {_code(report['source'])}",
        f"- output: {_code(report['out_dir'])}",
        f"- pipeline version: {report['pipeline_version']}",
        f"- started {report['started_at']}, finished {report['finished_at']} ({report['seconds']} s)",
    ]
    for key in ("task_runner", "workers", "dask_address", "worker_processes"):
        if report.get(key) not in (None, [], {}):
            lines.append(f"- {key.replace('_', ' ')}: {_cell(report[key])}")
    lines += [
        "",
        f"{counted['files']} file(s), {counted.get('documents', counted['files'])} document(s): "
        f"{counted['extracted']} extracted"
        + "".join(f", {words}" for words in [skipped_words(counted['skipped'] - counted['copies'], counted['copies'])]
                  if words)
        + f"; {counted['ok']} ok, {counted['partial']} partial, {counted['failed']} failed.",
        f"Extracted {counted['extracted_pages']} page(s) at {_cell(report['pages_per_second'])} pages/s.",
        "",
        "| file | status | skipped | pages | goals | finance | findings | checked | reader messages | seconds "
        "| document_id |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for entry in report["files"]:
        lines.append(
            "| "
            + " | ".join(
                _cell(value)
                for value in (
                    entry["path"],
                    entry["status"],
                    entry["skipped"],
                    entry["pages"],
                    entry["goals"],
                    entry["finance"],
                    entry["findings"],
                    _share(entry["checked_share"]),
                    entry["diagnostics"],
                    entry["seconds"],
                    (entry["document_id"] or "")[:12],
                )
            )
            + " |"
        )
    lines.append(
        f"| **total** ({counted.get('documents', counted['files'])} document(s), copies not counted again) | "
        f"| {counted['skipped']} | {counted['pages']} | {counted['goals']} | {counted['finance']} "
        f"| {counted['findings']} | {counted['figures_passed']} passed | {counted['diagnostics']} "
        f"| {report['seconds']} | |"
    )
    failures = [entry for entry in report["files"] if entry["error"]]
    if failures:
        lines += ["", "## Failures", ""]
        lines += [f"- {_code(entry['path'])}: {_cell(entry['error'])}" for entry in failures]
    partial = [entry for entry in report["files"] if entry["status"] == "partial" and entry["message"]]
    if partial:
        lines += ["", "## Partly understood", ""]
        lines += [f"- {_code(entry['path'])}: {_cell(entry['message'])}" for entry in partial]
    copies = [entry for entry in report["files"] if entry["copy_of"]]
    if copies:
        lines += ["", "## Copies (the same content as a file the catalog records)", ""]
        lines += [f"- {_code(entry['path'])}: same content as {_code(entry['copy_of'])}, the document's source"
                  for entry in copies]
    relocated = [entry for entry in report["files"] if entry["moved_from"]]
    if relocated:
        lines += ["", "## Recorded at a new path (the file the catalog named no longer holds the document)", ""]
        lines += [f"- {_code(entry['path'])}: was recorded at {_code(entry['moved_from'])}" for entry in relocated]
    replaced = [entry for entry in report["files"] if entry.get("replaced")]
    if replaced:
        lines += ["", "## Removed (the previous version of a file: the document it held before)", ""]
        lines += [f"- {_code(entry['path'])}: removed {', '.join(_code(doc_id) for doc_id in entry['replaced'])}"
                  for entry in replaced]
    moved = [entry for entry in report["files"] if entry["moved_to"] or entry["move_error"]]
    if moved:
        lines += ["", "## Moved", ""]
        lines += [f"- {_code(entry['path'])} -> {_cell(entry['moved_to'] or entry['move_error'])}" for entry in moved]
    if report.get("waiting"):
        lines += ["", "## Left alone (still being written)", ""]
        lines += [f"- {_code(item['path'])}: {_cell(item['reason'])}" for item in report["waiting"]]
    if report.get("left_out"):
        lines += ["", "## Left out (not read)", ""]
        lines += [f"- {_code(item['path'])}: {_cell(item['reason'])}" for item in report["left_out"]]
    return "\n".join(lines) + "\n"
