"""What travels between the flows and the extraction process: a job (plain texts) and the Extraction that comes
back, without the stages.

Kept apart from flows.extraction (which imports the stages) so that the processes that only hand jobs over and
results back (the `ingest` command before Prefect starts, each Dask worker of `archive`) need not import the
readers, the writers and their libraries: about 0.7 CPU s per process.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.source import source_text
from models import RecordSet

Summary = dict[str, Any]  # one document's row of a command's summary and run report (flows.ingest.summarize)
FINDING_SEVERITIES = ("warning", "error")
"""The `validation` severities a summary's `findings` counts: checks that do not add up as read, each of which
makes the document `partial` (extractors.status). An `info` finding (a rounding difference within tolerance, an
OCR figure a holding sum confirms, a project's whole cost beyond its printed years) is no problem: it is
counted apart, as `info_findings`, so a clean `ok` document shows 0 findings."""


@dataclass(frozen=True)
class Extraction:
    """What extracting one file gives back to the flow that writes it.

    The records may arrive packed (PackedRecords, as the extraction process sends them): they are unpacked when
    `records` is first read, by the thread that writes them, not by the task that hands them over; the task's
    worker takes its next document that much sooner (a 190-page document's records: about 0.2 s). Read `records`
    from one thread."""

    packed: RecordSet | PackedRecords
    seconds: float
    worker: str  # host:pid of the process that ran the extraction task
    diagnostics: int = 0  # messages the readers printed, warned or logged (in `issues` as reader_message)
    peak_memory_mb: int | None = None  # the extraction process's largest resident size seen

    @property
    def records(self) -> RecordSet:
        if isinstance(self.packed, PackedRecords):
            object.__setattr__(self, "packed", self.packed.unpack())
        return self.packed  # type: ignore[return-value]


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


def job_for(path: Path, out_dir: Path | str, document_id: str | None = None, confine: bool = False,
            ir_dir: Path | str | None = None) -> dict[str, Any]:
    """A job for extract_in_process: plain data (texts), as the child process receives it. The intermediate
    document is saved under ir_dir (default: out_dir; OCR results are cached in out_dir either way)."""
    return {"path": source_text(path), "out_dir": source_text(out_dir), "document_id": document_id,
            "confine": confine, "ir_dir": None if ir_dir is None else source_text(ir_dir)}
