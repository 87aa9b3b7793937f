"""The extraction task the flows hand to their task runner, in a module of its own: a Dask worker imports the
module of the task it runs, and this one needs neither the stages nor the writers (flows.jobs), only Prefect
and the extraction process's client (flows.budget). flows.ingest re-exports both names.
"""

from __future__ import annotations

import sys
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.source import source_path
from flows.budget import Budget, extract_with_budget, extraction_slot
from flows.jobs import Extraction, job_for
from flows.runs import extract_task_run_name


def extract_document(path: str, out_dir: str, document_id: str | None = None, confine: bool = False,
                     budget: dict[str, Any] | None = None) -> Extraction:
    """Extract the file at path (its text) within budget (Budget's fields); never raises.

    Bad content gives a failed document from the pipeline itself; a document that breaks its time or
    memory budget, or crashes the reader, gives a failed record set saying so. The Extraction's worker is the
    extraction process that ran it (host:pid).
    """
    job = job_for(source_path(path), source_path(out_dir), document_id, confine)
    with extraction_slot(_dask_worker_address()):
        return extract_with_budget(job, Budget(**(budget or {})))


def _dask_worker_address() -> str | None:
    """The address of the Dask worker running this task, None outside one: each worker of a local cluster of
    threads (flows.archive) drives an extraction process of its own."""
    distributed = sys.modules.get("distributed")  # not imported: no Dask worker in this process
    if distributed is None:
        return None
    try:
        return str(distributed.get_worker().address)
    except ValueError:
        return None


# One task per document: it is what the batch flows hand to their task runner (Dask workers), so the
# whole extraction runs where the task runs and only the records travel back. NO_CACHE: extraction
# is deterministic, and skipping unchanged files is decided against the catalog (flows.batch), which
# knows what was really written, not against a cache that outlives the datasets.
extract_task = task(name="extract_document", cache_policy=NO_CACHE,
                    task_run_name=extract_task_run_name)(extract_document)
