"""Flow `ingest_document`: one source file -> load -> build records -> write datasets; never raises.

Importing this module imports the `flows` package first, which sets the embedded Prefect defaults.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from extractors.pipeline import (
    SUPPORTED_SUFFIXES,
    build_records,
    document_record,
    failed_document,
    file_sha256,
    load_document,
)
from extractors.writers import write_document_ir, write_record_sets
from models import PlanDocument, RecordSet

Summary = dict[str, Any]


# Tasks take and return whole documents; quote() in the flow stops Prefect from walking their
# (large) contents, and NO_CACHE keeps it from hashing them: extraction is deterministic and cheap
# next to a stale cache after a lexicon change.
@task(name="load_document", cache_policy=NO_CACHE)
def load_task(path: str) -> PlanDocument:
    return load_document(Path(path))


@task(name="save_document_ir", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def save_ir_task(doc: PlanDocument, out_dir: str) -> None:
    write_document_ir(doc, Path(out_dir))


@task(name="build_records", cache_policy=NO_CACHE)
def build_task(doc: PlanDocument) -> RecordSet:
    return build_records(doc)


# Writing is all-or-nothing, so retrying once after a transient I/O error is safe.
@task(name="write_record_sets", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def write_task(records: RecordSet, out_dir: str) -> None:
    write_record_sets([records], Path(out_dir))


def document_id_for(path: Path) -> str:
    """The file's sha256, or (for a path that cannot be read) the hash of the path, as load_document does."""
    try:
        return file_sha256(path)
    except OSError:
        return hashlib.sha256(str(path).encode()).hexdigest()


def failed_records(path: Path, reason: str) -> RecordSet:
    """The record set of a failed document, built without the extraction stages (they may be what broke)."""
    return RecordSet(document=document_record(failed_document(path, document_id_for(path), reason)))


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
        "seconds": round(seconds, 3),
    }


@flow(name="ingest_document", log_prints=False)
def ingest_document(path: str, out_dir: str) -> Summary:
    """Ingest one file into the datasets under out_dir and return its summary row.

    Bad content gives a failed document from the pipeline itself; an unexpected exception in any
    step is turned into a failed document too, written in place of the document's rows, so a batch
    always goes on.
    """
    started = time.perf_counter()
    source = Path(path)
    step = "load_document"
    try:
        doc = load_task(path)
        step = "save_document_ir"
        save_ir_task(quote(doc), out_dir)
        step = "build_records"
        records = build_task(quote(doc))
        step = "write_record_sets"
        write_task(quote(records), out_dir)
    except Exception as exc:  # noqa: BLE001  (any failure must end as a failed row, not a crash)
        records = failed_records(source, f"internal error in {step}: {type(exc).__name__}: {exc}")
        try:
            write_task(quote(records), out_dir)
        except Exception as write_exc:  # noqa: BLE001
            records.document.message += f" (and the failed row could not be written: {write_exc})"
    return summarize(records, time.perf_counter() - started)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Folders give their supported files (recursively, sorted); a file named explicitly is always kept.

    Raises FileNotFoundError naming the first path that does not exist. Duplicates are dropped.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
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
