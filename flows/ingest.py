"""Flow `ingest_document`: one source file -> load -> build records -> write datasets; never raises.

Also the pieces the batch flows share: the extraction task (load, save IR, build records), the
writer task with its failed-row fallback, summaries and input discovery.
Importing this module imports the `flows` package first, which sets the embedded Prefect defaults.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from extractors.pipeline import (
    SUPPORTED_SUFFIXES,
    ocr_settings,
    build_records,
    document_record,
    failed_document,
    file_sha256,
    load_document,
)
from extractors.writers import write_document_ir, write_record_sets
from flows.runs import document_run_name, document_tags, extract_task_run_name, tag_run
from models import RecordSet

Summary = dict[str, Any]


@dataclass(frozen=True)
class Extraction:
    """What extracting one file gives back to the flow that writes it."""

    records: RecordSet
    seconds: float
    worker: str  # host:pid of the process that ran the extraction


def internal_error(step: str, exc: BaseException) -> str:
    return f"internal error in {step}: {type(exc).__name__}: {exc}"


def extract_document(path: str, out_dir: str) -> Extraction:
    """Load the file, save its intermediate document and build its records; never raises.

    Bad content gives a failed document from the pipeline itself; an unexpected exception in a step
    gives a failed record set naming the step, so a batch always goes on.
    """
    started = time.perf_counter()
    source = Path(path)
    step = "load_document"
    try:
        doc = load_document(source, ocr=ocr_settings(out_dir))
        step = "save_document_ir"
        write_document_ir(doc, Path(out_dir))
        step = "build_records"
        records = build_records(doc)
    except Exception as exc:  # noqa: BLE001  (any failure must end as a failed row, not a crash)
        records = failed_records(source, internal_error(step, exc))
    return Extraction(records, time.perf_counter() - started, f"{socket.gethostname()}:{os.getpid()}")


# One task per document: it is what the batch flows hand to their task runner (Dask workers), so the
# whole extraction runs where the task runs and only the records travel back. NO_CACHE: extraction
# is deterministic, and skipping unchanged files is decided against the catalog (flows.batch), which
# knows what was really written, not against a cache that outlives the datasets.
extract_task = task(name="extract_document", cache_policy=NO_CACHE,
                    task_run_name=extract_task_run_name)(extract_document)


# Writing is all-or-nothing, so retrying once after a transient I/O error is safe. quote() in the
# callers stops Prefect from walking the (large) record set.
@task(name="write_record_sets", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def write_task(records: RecordSet, out_dir: str) -> None:
    write_record_sets([records], Path(out_dir))


def commit_records(records: RecordSet, out_dir: str) -> RecordSet:
    """Write one document's rows; if that fails, write a failed row in their place. Returns what was written."""
    try:
        write_task(quote(records), out_dir)
    except Exception as exc:  # noqa: BLE001
        reason, document = internal_error("write_record_sets", exc), records.document
        records = failed_records(Path(document.source_path), reason, document.document_id)
        try:
            write_task(quote(records), out_dir)
        except Exception as write_exc:  # noqa: BLE001
            records.document.message += f" (and the failed row could not be written: {write_exc})"
    return records


def document_id_for(path: Path) -> str:
    """The file's sha256, or (for a path that cannot be read) the hash of the path, as load_document does."""
    try:
        return file_sha256(path)
    except OSError:
        return hashlib.sha256(str(path).encode()).hexdigest()


def failed_records(path: Path, reason: str, document_id: str | None = None) -> RecordSet:
    """The record set of a failed document, built without the extraction stages (they may be what broke)."""
    return RecordSet(document=document_record(failed_document(path, document_id or document_id_for(path), reason)))


def summarize(records: RecordSet, seconds: float) -> Summary:
    document = records.document
    return {
        "document_id": document.document_id,
        "source_path": document.source_path,
        "status": document.status,
        "message": document.message,
        "pages": document.pages,
        "goals": len(records.goals),
        "finance": len(records.finance),
        "findings": len(records.validation),
        "figures_checked": document.figures_checked,
        "figures_passed": document.figures_passed,
        "checked_share": document.checked_share,
        "seconds": round(seconds, 3),
    }


@flow(name="ingest_document", log_prints=False, flow_run_name=document_run_name)
def ingest_document(path: str, out_dir: str) -> Summary:
    """Ingest one file into the datasets under out_dir and return its summary row.

    The run is named after the file and tagged with what was found (flows.runs).
    """
    started = time.perf_counter()
    extraction = extract_task(path, out_dir)
    records = commit_records(extraction.records, out_dir)
    tag_run(document_tags(records.document.model_dump()))
    return summarize(records, time.perf_counter() - started)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[Path | str], recursive: bool = True) -> list[Path]:
    """Folders give their supported files (sorted; recursively unless told not to); a file named explicitly
    is always kept.

    Raises FileNotFoundError naming the first path that does not exist. Duplicates are dropped.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found_files = path.rglob("*") if recursive else path.glob("*")
            files.extend(
                sorted(
                    found
                    for found in found_files
                    if found.is_file()
                    and found.suffix.lower() in SUPPORTED_SUFFIXES
                    and not _is_hidden(found, path)
                )
            )
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def ingest_paths(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    on_start: Callable[[Path], None] | None = None,
    on_done: Callable[[Path, Summary], None] | None = None,
) -> list[Summary]:
    """Run `ingest_document` once per input file, in order; callbacks let a caller show progress."""
    summaries: list[Summary] = []
    for path in expand_paths(paths):
        if on_start is not None:
            on_start(path)
        summary = ingest_document(str(path), str(out_dir))
        summaries.append(summary)
        if on_done is not None:
            on_done(path, summary)
    return summaries
