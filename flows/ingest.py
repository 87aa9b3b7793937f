"""Flow `ingest_document`: one source file -> load -> build records -> write datasets; never raises.

Also the pieces the batch flows share: the extraction task (flows.tasks: the document extracted in a budgeted child
process, flows.budget), the writer task with its failed-row fallback, summaries and input discovery.
Paths are passed to flows and tasks as their readable text (extractors.source): Prefect's API and the
datasets take only UTF-8, file names need not be.
Importing this module imports the `flows` package first, which sets the embedded Prefect defaults.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from extractors.datasets import committed_sources
from extractors.source import file_text, holds, source_path, source_text
from extractors.writers import move_sources, prepare_output, write_record_sets
from flows.budget import Budget, interrupted, prestart
from flows.extraction import Extraction, document_id_for, failed_records, internal_error
from flows.jobs import FINDING_SEVERITIES, Summary
from flows.inputs import discover, expand_paths
from flows.runs import document_run_name, document_tags, tag_run, without_flow_heartbeats
from flows.tasks import extract_document, extract_task
from models import RecordSet

__all__ = ["Extraction", "Summary", "discover", "document_id_for", "expand_paths", "extract_document", "extract_task",
           "failed_records", "internal_error"]


# Writing is all-or-nothing, so retrying once after a transient I/O error is safe. quote() in the
# callers stops Prefect from walking the (large) record set.
@task(name="write_record_sets", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def write_task(records: RecordSet, out_dir: str) -> tuple[dict[str, str], dict[str, str]]:
    removed: dict[str, str] = {}
    kept = write_record_sets([records], source_path(out_dir), removed)
    return kept, removed


def commit_records(records: RecordSet, out_dir: str, removed: dict[str, str] | None = None) -> RecordSet:
    """Write one document's rows; if that fails, write a failed row in their place. Returns what was written: a
    document the catalog already holds under another path keeps that path (extractors.writers.write_record_sets),
    and the returned document says so (its source_path is the catalog's). Once the command was interrupted
    (Ctrl-C, flows.budget.interrupted) it writes nothing and raises KeyboardInterrupt: a document whose extraction
    or write the interrupt broke is not a failed document. removed, when given, gets document_id -> source_path of each
    document removed as the previous version of the file (extractors.writers.write_record_sets)."""
    if interrupted():
        raise KeyboardInterrupt
    records.document.source_path = file_text(records.document.source_path)  # the catalog's (write_record_sets)
    try:
        kept, replaced = write_task(quote(records), out_dir)
        if removed is not None:
            removed.update(replaced)
        if records.document.document_id in kept:
            records.document.source_path = kept[records.document.document_id]
    except Exception as exc:  # noqa: BLE001
        if interrupted():  # Ctrl-C during the write, re-raised by a library as its own error: not a failed document
            raise KeyboardInterrupt from exc
        reason, document = internal_error("write_record_sets", exc), records.document
        records = failed_records(source_path(document.source_path), reason, document.document_id)
        try:
            kept, replaced = write_task(quote(records), out_dir)
            if removed is not None:
                removed.update(replaced)
        except Exception as write_exc:  # noqa: BLE001
            records.document.message += f" (and the failed row could not be written: {write_exc})"
    return records


def summarize(records: RecordSet, seconds: float, extraction: Extraction | None = None) -> Summary:
    document = records.document
    return {
        "document_id": document.document_id,
        "source_path": document.source_path,
        "status": document.status,
        "message": document.message,
        "pages": document.pages,
        "goals": len(records.goals),
        "finance": len(records.finance),
        "findings": sum(f.severity in FINDING_SEVERITIES for f in records.validation),
        "info_findings": sum(f.severity not in FINDING_SEVERITIES for f in records.validation),
        "figures_checked": document.figures_checked,
        "figures_passed": document.figures_passed,
        "checked_share": document.checked_share,
        "diagnostics": extraction.diagnostics if extraction else 0,
        "peak_memory_mb": extraction.peak_memory_mb if extraction else None,
        "seconds": round(seconds, 3),
    }


def same_file(recorded: str, path: Path | str) -> bool:
    """Whether a path the catalog records (readable text, extractors.source) names the file at path: the same text,
    or the same file spelled otherwise (relative and absolute, through another folder)."""
    if recorded == source_text(path) or file_text(recorded) == file_text(path):
        return True
    try:
        return os.path.samefile(source_path(recorded), path)
    except (OSError, ValueError):
        return False


def with_replaced(summary: Summary, removed: dict[str, str]) -> Summary:
    """A summary names the documents its commit removed as the previous version of its file (`replaced`: their
    ids), so that no document leaves the catalog unsaid."""
    if removed:
        summary["replaced"] = sorted(removed)
    return summary


def mark_copy(summary: Summary, given: str) -> Summary:
    """A summary whose document the catalog keeps under an earlier path than the one it was given (the same
    content, ingested before from another file: extractors.writers.write_record_sets) gets `copy_of`, that path."""
    if not same_file(summary["source_path"], source_path(given)):
        summary["copy_of"] = summary["source_path"]
    return summary


def move_held_documents(files: list[tuple[Path, str]], out_dir: Path) -> list[str]:
    """Before a run commits anything: record each committed document whose recorded file no longer holds it
    (moved, deleted, or replaced by other content) at the first file of the run (path, document id) that does
    (extractors.writers.move_sources). A new version of the old file, committed in the run, then replaces no
    document another file of the run holds, even when the run stops before that file. Returns the moved ids."""
    sources = committed_sources(out_dir)
    in_run = {file_text(path): document_id for path, document_id in files}
    moves: dict[str, str] = {}
    for path, document_id in files:
        earlier = sources.get(document_id)
        if earlier is None or document_id in moves or same_file(earlier, path):
            continue
        found = in_run.get(file_text(earlier))
        if found == document_id if found is not None else holds(earlier, document_id):
            continue
        moves[document_id] = source_text(path)
    return move_sources(moves, out_dir) if moves else []


def budget_parameters(budget: Budget | None) -> dict[str, Any]:
    """A Budget as plain flow/task parameters."""
    return asdict(budget or Budget())


@flow(name="ingest_document", log_prints=False, flow_run_name=document_run_name)
def ingest_document(path: str, out_dir: str, budget: dict[str, Any] | None = None) -> Summary:
    """Ingest one file (path: its text, see extractors.source) into the datasets under out_dir; its summary row.

    The run is named after the file and tagged with what was found (flows.runs). The summary's seconds are the
    extraction's own (flows.worker: from the document's fork to its records; the extraction may have begun before
    this flow, `plandata ingest` starts the first file while Prefect's server starts) plus writing, as in the batch
    flows.
    """
    extraction = extract_task(path, out_dir, budget=budget)
    started = time.perf_counter()
    given = extraction.records.document.source_path
    removed: dict[str, str] = {}
    records = commit_records(extraction.records, out_dir, removed)
    tag_run(document_tags(records.document.model_dump()))
    summary = mark_copy(summarize(records, extraction.seconds + time.perf_counter() - started, extraction), given)
    return with_replaced(summary, removed)


def ingest_paths(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    on_start: Callable[[Path], None] | None = None,
    on_done: Callable[[Path, Summary], None] | None = None,
    budget: Budget | None = None,
) -> list[Summary]:
    """Run `ingest_document` once per input file, in order; callbacks let a caller show progress.

    A file with the same content (sha256, the document's id) as one earlier in the call is one document: it is
    not read again, and its summary is the earlier file's, marked skipped with `skip_reason` 'same content as
    <earlier file>' (as `plandata archive` does), so that two names of one file never count as two documents.
    Before the first commit, a document whose recorded file no longer holds it moves to a given file that does
    (move_held_documents)."""
    files = expand_paths(paths)
    if files:
        prestart()  # the extraction process loads the stages while Prefect starts its server
    prepare_output(Path(out_dir))  # complete a commit a killed run left, before anything is read
    identified = [(path, document_id_for(path)) for path in files]
    move_held_documents(identified, Path(out_dir))
    summaries: list[Summary] = []
    first: dict[str, tuple[Path, Summary]] = {}  # document id -> the first file with that content, its summary
    for path, document_id in identified:
        if on_start is not None:
            on_start(path)
        if document_id in first and document_id_for(path) == document_id:  # still that content, hashed again
            earlier, written = first[document_id]
            reason = f"same content as {source_text(earlier)}"
            summary = {**written, "path": source_text(path), "seconds": 0.0, "skipped": True, "skip_reason": reason,
                       "message": f"{reason}: one document, read once", "copy_of": written["source_path"]}
            summaries.append(summary)
            if on_done is not None:
                on_done(path, summary)
            continue
        with without_flow_heartbeats():
            summary = ingest_document(source_text(path), source_text(out_dir), budget_parameters(budget))
        summary["path"] = source_text(path)
        first.setdefault(summary["document_id"], (path, summary))  # the id of the bytes read, not the planned one
        summaries.append(summary)
        if on_done is not None:
            on_done(path, summary)
    return summaries
