"""Extracting one document, without Prefect: what the budgeted child process (flows.worker) runs per job.

Paths travel as their readable text (extractors.source), which JSON, pickles and Prefect's API all carry.
The job and its result (job_for, Extraction) live in flows.jobs, which does without the stages; they are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from extractors.guard import SourceCheck
from extractors.pipeline import (
    build_records,
    document_record,
    failed_document,
    load_document,
    ocr_settings,
)
from extractors.source import content_id, source_path
from extractors.ir_store import write_document_ir
from flows.jobs import Extraction, PackedRecords, internal_error, job_for
from models import RecordSet

__all__ = ["Extraction", "PackedRecords", "document_id_for", "extract_in_process", "failed_records", "internal_error",
           "job_for"]


def document_id_for(path: Path) -> str:
    """The file's sha256, or (for an empty file or one that cannot be read) the hash of the path's text, as
    load_document does (extractors.source.content_id)."""
    return content_id(path)


def failed_records(path: Path, reason: str, document_id: str | None = None) -> RecordSet:
    """The record set of a failed document, built without the extraction stages (they may be what broke)."""
    return RecordSet(document=document_record(failed_document(path, document_id or document_id_for(path), reason)))


def extract_in_process(job: dict[str, Any], on_pages: Callable[[int | None], None] | None = None,
                       on_ocr_pages: Callable[[int], None] | None = None, page_readers: int = 1) -> RecordSet:
    """Load the file (scanned pages by OCR, cached in OUT/ocr), save its intermediate document and build its
    records; never raises on content.

    Bad content gives a failed document from the pipeline itself; an unexpected exception in a step
    gives a failed record set naming the step, so a batch always goes on. on_pages hears the estimated
    page count as soon as the load boundary knows it, on_ocr_pages the number of pages about to be read by
    OCR (the time budget grows with both). page_readers: processes reading a long PDF's pages (2 only in a
    process without other threads: extractors/pdf/parallel.py).
    """
    path, out_dir = source_path(job["path"]), source_path(job["out_dir"])

    def checked(found: SourceCheck) -> None:
        if on_pages is not None:
            on_pages(found.pages)

    step = "load_document"
    try:
        ocr = replace(ocr_settings(out_dir), on_pages=on_ocr_pages)
        doc = load_document(path, job.get("document_id"), ocr, on_checked=checked, confine=bool(job.get("confine")),
                            readers=page_readers)
        step = "save_document_ir"
        write_document_ir(doc, source_path(job["ir_dir"]) if job.get("ir_dir") else out_dir)
        step = "build_records"
        return build_records(doc, keep=False)  # the IR is saved; the stages may change doc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001  (any failure must end as a failed row, not a crash)
        return failed_records(path, internal_error(step, exc), job.get("document_id"))
