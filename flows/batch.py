"""Batch ingestion shared by the archive and inbox flows: skip what the catalog already holds, extract
the rest concurrently on a Prefect task runner, and commit each document as its result arrives.

Extraction runs wherever the task runner puts it (Dask workers for the archive); writing stays in the
calling flow's process, one document at a time, so there is a single writer and every committed
document survives an interrupted batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow.compute as pc
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import TaskRunner

from extractors import PIPELINE_VERSION
from extractors.source import file_text, holds, source_path, source_text
from extractors.datasets import committed_sources
from extractors.writers import existing_document_ids, move_sources, prepare_output, read_table
from flows.budget import Budget
from flows.ingest import (
    Extraction,
    Summary,
    budget_parameters,
    commit_records,
    document_id_for,
    extract_task,
    failed_records,
    internal_error,
    mark_copy,
    same_file,
    summarize,
    with_replaced,
)
from flows.jobs import FINDING_SEVERITIES, job_for


@dataclass(frozen=True)
class PlannedFile:
    """One input file of a batch and whether it needs extracting."""

    path: Path
    document_id: str
    size: int
    skip_reason: str | None = None  # why it is not extracted again; None when it is
    same_as: Path | None = None  # the file earlier in the batch with the same content
    moved_from: str | None = None  # the catalog's source_path of the document, which no longer holds it

    @property
    def skipped(self) -> bool:
        return self.skip_reason is not None


class BatchListener(Protocol):
    """Progress callbacks (the CLI's progress bar); called in the flow's process."""

    def planned(self, plan: list[PlannedFile]) -> None: ...

    def finished(self, summary: Summary) -> None: ...


_listener: ContextVar[BatchListener | None] = ContextVar("plandata_batch_listener", default=None)


@contextmanager
def listening(listener: BatchListener) -> Iterator[None]:
    """Send the progress of batch flows run inside this block to listener.

    A context variable rather than a flow parameter, so flow parameters stay plain data that a
    deployment can store.
    """
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def plan_batch(files: Iterable[Path], out_dir: Path | str, new_output: bool = False) -> list[PlannedFile]:
    """Mark files whose content (sha256) the catalog already holds from this pipeline version as skipped.

    new_output: out_dir was found empty (no catalog): the plan is made without preparing or reading it (a run's
    first writes there are fsynced files: 0.4 s that `archive` would otherwise wait before giving its workers their
    first files); only copies within the batch are skipped. The run plans again, as usual, before it writes.

    Failed documents are never skipped (existing_document_ids leaves them out): they are retried. A
    file with the same content as one earlier in the batch is skipped too. A commit a killed run left
    half-done is completed first, so only documents committed whole count as written.

    A document the catalog records under a file that no longer holds it (moved, deleted, or replaced by other
    content) while a file of the batch does is not read again either: it is moved to that file (`moved_from`;
    run_batch records the new source_path before it commits anything, so that a new version of the old file
    replaces nothing the batch still holds).
    """
    if not new_output:
        prepare_output(Path(out_dir))
    known = {} if new_output else existing_document_ids(Path(out_dir))
    sources = committed_sources(Path(out_dir)) if known else {}
    entries = [(path, document_id_for(path), _file_size(path)) for path in files]
    in_batch = {file_text(path): document_id for path, document_id, _ in entries}

    def still_holds(recorded: str, document_id: str) -> bool:
        found = in_batch.get(file_text(recorded))
        return found == document_id if found is not None else holds(recorded, document_id)

    first_with_content: dict[str, Path] = {}
    moved_to: dict[str, Path] = {}
    unchanged_at: dict[str, Path] = {}  # the file of the batch planned as unchanged, by document
    plan: list[PlannedFile] = []
    for path, document_id, size in entries:
        if known.get(document_id) == PIPELINE_VERSION:
            earlier = sources.get(document_id)
            if document_id in moved_to:
                reason = f"same content as {source_text(moved_to[document_id])}, already in the catalog"
                plan.append(PlannedFile(path, document_id, size, reason))
            elif document_id in unchanged_at and (earlier is None or same_file(earlier, path)):
                # another name of the file already planned as unchanged (a hard link): said as on the first run
                same_as = unchanged_at[document_id]
                plan.append(PlannedFile(path, document_id, size, f"same content as {source_text(same_as)}", same_as))
            elif earlier is None or same_file(earlier, path):
                unchanged_at[document_id] = path
                plan.append(PlannedFile(path, document_id, size, f"unchanged: already ingested with pipeline "
                                                                  f"{PIPELINE_VERSION}"))
            elif still_holds(earlier, document_id):
                plan.append(PlannedFile(path, document_id, size, f"same content as {earlier}, already in the catalog"))
            else:
                moved_to[document_id] = path
                reason = (f"unchanged content, moved: recorded at {earlier}, which no longer holds it; "
                          f"the catalog now records it at this file")
                plan.append(PlannedFile(path, document_id, size, reason, moved_from=earlier))
        elif document_id in first_with_content:
            same_as = first_with_content[document_id]
            plan.append(PlannedFile(path, document_id, size, f"same content as {source_text(same_as)}", same_as))
        else:
            first_with_content[document_id] = path
            plan.append(PlannedFile(path, document_id, size))
    listener = _listener.get()
    if listener is not None:
        listener.planned(plan)
    return plan


def catalog_summaries(out_dir: Path | str, document_ids: set[str]) -> dict[str, Summary]:
    """Summary rows of already written documents, counted from the datasets."""
    if not document_ids:
        return {}
    out_dir = Path(out_dir)
    counts: dict[str, dict[str, int]] = {}
    for key, dataset in (("goals", "goals"), ("finance", "finance")):
        ids = read_table(out_dir, dataset, ["document_id"]).column("document_id")
        for entry in pc.value_counts(ids).to_pylist():
            counts.setdefault(entry["values"], {})[key] = entry["counts"]
    for row in read_table(out_dir, "validation", ["document_id", "severity"]).to_pylist():
        key = "findings" if row["severity"] in FINDING_SEVERITIES else "info_findings"
        found = counts.setdefault(row["document_id"], {})
        found[key] = found.get(key, 0) + 1
    summaries: dict[str, Summary] = {}
    for row in read_table(out_dir, "documents").to_pylist():
        if row["document_id"] in document_ids:
            found = counts.get(row["document_id"], {})
            summaries[row["document_id"]] = {
                "document_id": row["document_id"],
                "source_path": row["source_path"],
                "status": row["status"],
                "message": row["message"],
                "pages": row["pages"],
                "goals": found.get("goals", 0),
                "finance": found.get("finance", 0),
                "findings": found.get("findings", 0),
                "info_findings": found.get("info_findings", 0),
                "figures_checked": row["figures_checked"],
                "figures_passed": row["figures_passed"],
                "checked_share": row["checked_share"],
            }
    return summaries


def _skipped_summary(planned: PlannedFile, written: Summary | None) -> Summary:
    summary: Summary = {
        "document_id": planned.document_id,
        "source_path": source_text(planned.path),
        "status": "failed",
        "message": "",
        "pages": None,
        "goals": 0,
        "finance": 0,
        "findings": 0,
        "info_findings": 0,
        "figures_checked": None,
        "figures_passed": None,
        "checked_share": None,
        "diagnostics": 0,
        "peak_memory_mb": None,
    }
    if written is not None:
        summary.update(written)
        if planned.skip_reason and planned.skip_reason.startswith("same content as"):
            summary["copy_of"] = written["source_path"]
    else:
        summary["message"] = f"skipped ({planned.skip_reason}), but its rows are missing from the catalog"
    summary.update(path=source_text(planned.path), seconds=0.0, skipped=True, skip_reason=planned.skip_reason,
                   worker=None, moved_from=planned.moved_from)
    return summary


# Decides the source_path a document is recorded under from where it was found and its status
# (the inbox records the place a file is moved to, not the inbox itself).
RecordAs = Callable[[Path, str], Path]


def _result(future: PrefectFuture[Extraction], planned: PlannedFile) -> Extraction:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001  (a crashed task or lost worker is one failed document)
        reason = internal_error("extract_document", exc)
        return Extraction(failed_records(planned.path, reason, planned.document_id), 0.0, "")


def _commit(planned: PlannedFile, extraction: Extraction, out_dir: str, record_as: RecordAs | None) -> Summary:
    records = extraction.records
    if record_as is not None:
        records.document.source_path = source_text(record_as(planned.path, records.document.status))
    started = time.perf_counter()
    given = records.document.source_path
    removed: dict[str, str] = {}
    committed = commit_records(records, out_dir, removed)
    summary = mark_copy(summarize(committed, extraction.seconds + time.perf_counter() - started, extraction), given)
    with_replaced(summary, removed)
    summary.update(path=source_text(planned.path), skipped=False, skip_reason=None, worker=extraction.worker or None)
    return summary


def extraction_order(plan: list[PlannedFile]) -> list[PlannedFile]:
    """The files of the plan to extract, in the order run_batch submits them: largest first."""
    return sorted((p for p in plan if not p.skipped), key=lambda planned: (-planned.size, str(planned.path)))


def batch_job(planned: PlannedFile, out_dir: Path | str, confine: bool = True) -> dict[str, Any]:
    """The extraction job run_batch's task for planned asks the extraction process for (flows.tasks): what a job
    given ahead (flows.budget.prefetch) must equal for the task to take its result."""
    return job_for(source_path(source_text(planned.path)), source_path(source_text(out_dir)), planned.document_id,
                   confine)


def jobs_ahead(plan: list[PlannedFile], out_dir: Path | str, count: int) -> list[tuple[Path, dict[str, Any]]]:
    """The first `count` files run_batch will submit, with their jobs (batch_job): what `archive` gives the workers'
    extraction processes before the flow starts."""
    return [(planned.path, batch_job(planned, out_dir)) for planned in extraction_order(plan)[:count]]


@contextmanager
def _preferring(worker: str | None) -> Iterator[None]:
    """Tasks submitted inside prefer the Dask worker at this address (any worker when it is gone); no-op for None."""
    if worker is None:
        yield
        return
    import dask

    with dask.annotate(workers=[worker], allow_other_workers=True):
        yield


def run_batch(
    plan: list[PlannedFile],
    out_dir: Path | str,
    runner: TaskRunner | None,
    record_as: RecordAs | None = None,
    budget: Budget | dict[str, object] | None = None,
    confine: bool = True,
    placement: Mapping[Path, str] | None = None,
) -> list[Summary]:
    """Extract every file of the plan that is not skipped on runner and commit each as it arrives.

    Must be called inside a flow run, with runner entered. Largest files are submitted first (extraction_order)
    so the longest documents start at once on separate workers instead of ending the batch alone. Each
    document is extracted within budget; with confine, a file that has become a symbolic link since it
    was planned is refused, not followed. placement names the Dask worker (its address) a file's task should
    run on, preferably: the worker whose extraction process was given that file ahead (flows.archive).
    Returns one summary per planned file, in plan order.
    """
    out_dir = source_text(out_dir)
    parameters = budget if isinstance(budget, dict) else budget_parameters(budget)
    listener = _listener.get()
    done: dict[Path, Summary] = {}

    def finish(planned: PlannedFile, summary: Summary) -> None:
        done[planned.path] = summary
        if listener is not None:
            listener.finished(summary)

    # first, before any commit: a new version of a document's old file would otherwise replace it (write_record_sets)
    moves = {planned.document_id: source_text(record_as(planned.path, "ok") if record_as else planned.path)
             for planned in plan if planned.moved_from is not None}
    removed: dict[str, str] = {}  # documents no file holds any more, at the files documents move to
    if moves:
        move_sources(moves, source_path(out_dir), removed)
    unchanged = [planned for planned in plan if planned.skipped and planned.same_as is None]
    written = catalog_summaries(source_path(out_dir), {planned.document_id for planned in unchanged})
    for planned in unchanged:
        summary = _skipped_summary(planned, written.get(planned.document_id))
        if planned.moved_from is not None:
            at = file_text(moves[planned.document_id])
            with_replaced(summary, {doc_id: path for doc_id, path in removed.items() if file_text(path) == at})
        finish(planned, summary)

    to_run = extraction_order(plan)
    if to_run and runner is None:
        raise ValueError("files to extract but no task runner")
    futures: dict[PrefectFuture[Extraction], PlannedFile] = {}
    for planned in to_run:
        assert runner is not None
        arguments = {"path": source_text(planned.path), "out_dir": out_dir, "document_id": planned.document_id,
                     "confine": confine, "budget": parameters}
        with _preferring((placement or {}).get(planned.path)):
            futures[runner.submit(extract_task, arguments)] = planned
    for future in as_completed(list(futures)):
        planned = futures[future]
        finish(planned, _commit(planned, _result(future, planned), out_dir, record_as))

    for planned in plan:
        if planned.same_as is not None:
            earlier = done.get(planned.same_as)
            if earlier is not None and earlier["document_id"] != planned.document_id:
                # the earlier file changed before it was read: this one was not read, and is not its copy
                earlier = {**earlier, "document_id": planned.document_id, "status": "failed", "pages": None,
                           "goals": 0, "finance": 0, "findings": 0, "info_findings": 0, "figures_checked": None,
                           "figures_passed": None, "checked_share": None, "source_path": source_text(planned.path),
                           "message": f"not read: {source_text(planned.same_as)}, which had the same content, "
                                      f"changed while it was read; run again"}
                summary = _skipped_summary(planned, earlier)
                summary.pop("copy_of", None)
                finish(planned, summary)
                continue
            finish(planned, _skipped_summary(planned, earlier))
    return [done[planned.path] for planned in plan]
