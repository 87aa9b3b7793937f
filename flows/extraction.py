"""Extracting one document, without Prefect: what the budgeted child process (flows.worker) runs per job.

Paths travel as their readable text (extractors.source), which JSON, pickles and Prefect's API all carry.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from extractors.guard import SourceCheck
from extractors.pipeline import (
    build_records,
    document_record,
    failed_document,
    file_sha256,
    load_document,
    ocr_settings,
)
from extractors.source import source_path, source_text
from extractors.writers import write_document_ir
from models import RecordSet


@dataclass(frozen=True)
class Extraction:
    """What extracting one file gives back to the flow that writes it."""

    records: RecordSet
    seconds: float
    worker: str  # host:pid of the process that ran the extraction task
    diagnostics: int = 0  # messages the readers printed, warned or logged (in `issues` as reader_message)
    peak_memory_mb: int | None = None  # the extraction process's largest resident size seen


@dataclass
class PackedRecords:
    """A document's RecordSet as its pickle, and the issues to add to it when it is unpacked.

    The extraction child (flows.worker) sends its records packed, and the extraction process passes them on to
    flows.budget unread, adding only the `reader_message` issues: a 1 000-page document's records (over 100 MB
    of models, 18 MB pickled) are not rebuilt between the child that made them and the process that writes
    them."""

    data: bytes
    document_id: str
    issues: list[Any] = field(default_factory=list)

    def unpack(self) -> RecordSet:
        """The RecordSet, with the issues added at the end (and counted on its document record). Once: the pickle
        is let go (a reader thread may still hold this object while the records are written)."""
        data, self.data = self.data, b""
        records: RecordSet = pickle.loads(data)
        del data
        if self.issues:
            records.issues += self.issues
            records.document.issues += len(self.issues)
        return records


def internal_error(step: str, exc: BaseException) -> str:
    return f"internal error in {step}: {type(exc).__name__}: {exc}"


def document_id_for(path: Path) -> str:
    """The file's sha256, or (for a path that cannot be read) the hash of the path's text, as load_document does."""
    try:
        return file_sha256(path)
    except OSError:
        return hashlib.sha256(source_text(path).encode()).hexdigest()


def failed_records(path: Path, reason: str, document_id: str | None = None) -> RecordSet:
    """The record set of a failed document, built without the extraction stages (they may be what broke)."""
    return RecordSet(document=document_record(failed_document(path, document_id or document_id_for(path), reason)))


def job_for(path: Path, out_dir: Path | str, document_id: str | None = None, confine: bool = False,
            ir_dir: Path | str | None = None) -> dict[str, Any]:
    """A job for extract_in_process: plain data (texts), as the child process receives it. The intermediate
    document is saved under ir_dir (default: out_dir; OCR results are cached in out_dir either way)."""
    return {"path": source_text(path), "out_dir": source_text(out_dir), "document_id": document_id,
            "confine": confine, "ir_dir": None if ir_dir is None else source_text(ir_dir)}


def extract_in_process(job: dict[str, Any], on_pages: Callable[[int | None], None] | None = None,
                       on_ocr_pages: Callable[[int], None] | None = None) -> RecordSet:
    """Load the file (scanned pages by OCR, cached in OUT/ocr), save its intermediate document and build its
    records; never raises on content.

    Bad content gives a failed document from the pipeline itself; an unexpected exception in a step
    gives a failed record set naming the step, so a batch always goes on. on_pages hears the estimated
    page count as soon as the load boundary knows it, on_ocr_pages the number of pages about to be read by
    OCR (the time budget grows with both).
    """
    path, out_dir = source_path(job["path"]), source_path(job["out_dir"])

    def checked(found: SourceCheck) -> None:
        if on_pages is not None:
            on_pages(found.pages)

    step = "load_document"
    try:
        ocr = replace(ocr_settings(out_dir), on_pages=on_ocr_pages)
        doc = load_document(path, job.get("document_id"), ocr, on_checked=checked, confine=bool(job.get("confine")))
        step = "save_document_ir"
        write_document_ir(doc, source_path(job["ir_dir"]) if job.get("ir_dir") else out_dir)
        step = "build_records"
        return build_records(doc, keep=False)  # the IR is saved; the stages may change doc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001  (any failure must end as a failed row, not a crash)
        return failed_records(path, internal_error(step, exc), job.get("document_id"))
