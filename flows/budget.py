"""Per-document time and memory budgets: every document is extracted in a child process that is killed
when it runs past its time or its memory, so one hostile file costs at most its budget and the batch goes
on with the others.

Each process that extracts (the `ingest` flow's process, each Dask worker, the inbox flow's process)
starts one extraction process (flows.worker) the first time it needs it: that process loads the
stages once and forks a fresh child per document, watches it and kills it when it breaks its budget, so
a killed document costs milliseconds of restart, not the seconds of loading. The workers of a local cluster
(threads of one command, flows.archive) share one loading: their processes are one process and the siblings it
forks once loaded (prestart_slots). This module keeps one extraction process per slot (a command's own, or a
Dask worker's) and drives it through flows.extraction_process.ExtractionProcess: it sends the job and waits, with an
outer deadline a minute past the budget in case the extraction process itself stops answering (it is then replaced).
"""

from __future__ import annotations

import atexit
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.defaults import (
    DEFAULT_MEMORY_BUDGET_MB,
    DEFAULT_TIME_BUDGET_SECONDS,
    DEFAULT_TIME_PER_OCR_PAGE_SECONDS,
    DEFAULT_TIME_PER_PAGE_SECONDS,
)
from flows.extraction_process import ExtractionProcess, ProcessEnded, command_interrupted
from flows.jobs import Extraction, job_for


@dataclass(frozen=True)
class Budget:
    """What extracting one document may cost: wall-clock seconds (at least `seconds`, else `seconds_per_page`
    per estimated page, plus `seconds_per_ocr_page` per page the reader sends to OCR) and memory in MB (the
    growth of the process extracting it over its loaded start)."""

    seconds: float = DEFAULT_TIME_BUDGET_SECONDS
    seconds_per_page: float = DEFAULT_TIME_PER_PAGE_SECONDS
    memory_mb: int = DEFAULT_MEMORY_BUDGET_MB
    seconds_per_ocr_page: float = DEFAULT_TIME_PER_OCR_PAGE_SECONDS

    def seconds_for(self, pages: int | None, ocr_pages: int = 0) -> float:
        return max(self.seconds, self.seconds_per_page * (pages or 0)) + self.seconds_per_ocr_page * ocr_pages


# One extraction process per slot: None in a command or a Dask worker process of its own; the worker's address for
# each worker of a local cluster of threads (flows.archive), so that every worker drives an extraction process of its
# own in one process. Each process's jobs run one at a time (its lock); _guard only guards the table.
_processes: dict[str | None, ExtractionProcess] = {}
_locks: dict[str | None, threading.Lock] = {}
_guard = threading.Lock()
# A slot's job submitted ahead (prefetch) to an extraction process that died before its result was collected, with
# how the process ended: the job's extraction fails with that reason, as it does when it dies while collected.
_lost: dict[str | None, tuple[tuple[dict[str, Any], Budget], str]] = {}
_slot: ContextVar[str | None] = ContextVar("plandata_extraction_slot", default=None)
# Extraction processes started before the slots they will serve were known (prestart_unbound): prestart_slots gives
# them to the first slots it finds without one.
_unbound: list[ExtractionProcess] = []
_page_readers = 1
# command_interrupted (flows.extraction_process): Ctrl-C, the command ends; no extraction process starts again


@contextmanager
def extraction_slot(slot: str | None) -> Iterator[None]:
    """Calls of this module inside the block use the extraction process of slot (a Dask worker's address)."""
    token = _slot.set(slot)
    try:
        yield
    finally:
        _slot.reset(token)


def read_pages_in_parallel() -> None:
    """Let the extraction process this process starts from now on read a long document's pages in two processes
    (extractors/pdf/parallel.py), when the machine has two cores or more: for a command that extracts one document at
    a time (`plandata ingest`), so that the other core does not idle. A Dask worker does not: its siblings use the
    other cores."""
    global _page_readers
    _page_readers = min(2, os.cpu_count() or 1)


def _lock() -> threading.Lock:
    """The lock of the current slot's extraction process (held while it runs a job)."""
    with _guard:
        return _locks.setdefault(_slot.get(), threading.Lock())


def _running(slot: str | None) -> ExtractionProcess | None:
    """The slot's extraction process when it is alive (a dead one is stopped and forgotten); call with its lock
    held."""
    process = _processes.get(slot)
    if process is not None and not process.alive():
        if process.pending is not None:
            _lost[slot] = (process.pending, process.how_it_ended())
        process.stop(kill=True)
        del _processes[slot]
        process = None
    return process


def _started() -> ExtractionProcess:
    """The current slot's extraction process, started (again, when it died); call with its lock held. Raises
    RuntimeError once the command was interrupted (interrupt): none starts then."""
    if command_interrupted.is_set():
        raise RuntimeError("interrupted")
    slot = _slot.get()
    process = _running(slot)
    if process is None:
        process = _processes[slot] = ExtractionProcess(_page_readers)
    return process


def _drop(process: ExtractionProcess) -> None:
    """Kill the current slot's extraction process (it failed); the next job starts another."""
    process.stop(kill=True)
    if _processes.get(_slot.get()) is process:
        del _processes[_slot.get()]


def prestart() -> int:
    """Start this process's (the slot's) extraction process now (its loading overlaps whatever the caller does next);
    returns its pid (a sibling's once it has loaded: ExtractionProcess.process_id)."""
    with _lock():
        return _started().process_id()


def prestart_unbound(count: int) -> None:
    """Start `count` extraction processes now (one process and its siblings, as prestart_slots does) for slots not
    known yet: `plandata archive` calls this before it imports Prefect and Dask and starts its local cluster, so that
    their loading (about 1.4 CPU s) overlaps those imports and the cluster's start instead of following them; the
    cluster's workers then take them (prestart_slots). Returns at once; does nothing after Ctrl-C (interrupt) or when
    processes started so are still waiting for slots."""
    with _guard:
        if count < 1 or _unbound or command_interrupted.is_set():
            return
        first = ExtractionProcess(_page_readers, siblings=count - 1)
        _unbound.extend([first, *first.siblings])


def _take_unbound() -> ExtractionProcess | None:
    """An extraction process prestart_unbound started that is alive, or None (dead ones are stopped)."""
    with _guard:
        while _unbound:
            process = _unbound.pop(0)
            if process.alive():
                return process
            process.stop(kill=True)
    return None


def prestart_slots(slots: list[str]) -> None:
    """Start the extraction processes of the slots (the workers of a local cluster of threads, flows.archive) that
    have none running, as one process and its siblings (ExtractionProcess): the stages load once per command, not
    once per worker, and each worker still has a process of its own. Returns at once (they load in the
    background)."""
    ordered = sorted(set(slots))
    with _guard:
        locks = [_locks.setdefault(slot, threading.Lock()) for slot in ordered]
    with ExitStack() as held:
        for lock in locks:  # in one order: no other caller holds two
            held.enter_context(lock)
        missing = [slot for slot in ordered if _running(slot) is None]
        while missing and (process := _take_unbound()) is not None:
            _processes[missing.pop(0)] = process
        if missing and not command_interrupted.is_set():
            first = ExtractionProcess(_page_readers, siblings=len(missing) - 1)
            _processes.update(zip(missing, [first, *first.siblings], strict=True))


def prefetch(job: dict[str, Any], budget: Budget) -> None:
    """Start extracting the job now, before anything asks for it (`plandata ingest` while Prefect's server
    starts): the next extract_with_budget of the same job and budget takes its result instead of extracting
    again; any other job first waits for it and drops it. An OSError here is left for extract_with_budget."""
    with _lock():
        try:
            process = _started()
            if process.pending is None:
                process.submit(job, budget)
                process.pending = (job, budget)
        except OSError:
            pass


def prefetch_first(files: list[Path], out_dir: Path, budget: Budget) -> None:
    """Make out_dir ready (extractors.writers.prepare_output) and start extracting the first file as
    flows.ingest's extraction task will ask for it (job_for(file, out_dir), no document id): `plandata ingest`
    calls this before it imports Prefect and starts its server, so that reading overlaps them."""
    if files:
        prestart()  # its loading starts before this process imports the writers
        from extractors.writers import prepare_output

        prepare_output(out_dir)  # complete a commit a killed run left, before anything is read
        prefetch(job_for(files[0], out_dir), budget)


def _result(process: ExtractionProcess, job: dict[str, Any], budget: Budget) -> dict[str, Any]:
    """The job's result from the process, taking a prefetched one when it is this job. A job prefetched to an
    earlier process of the slot that died before its result was taken fails as that process ended (not silently
    extracted again)."""
    lost = _lost.pop(_slot.get(), None)
    if lost is not None and lost[0] == (job, budget):
        return {"kind": "failed", "reason": f"the extraction process exited ({lost[1]})"}
    pending, process.pending = process.pending, None
    if pending is not None:
        result = process.collect(pending[1])
        if pending == (job, budget):
            return result
    return process.extract(job, budget)


def interrupt() -> None:
    """Ctrl-C (flows.cli's SIGINT handler): kill every extraction process of this process now, with the document
    each is extracting, and start none from now on (a job asked for fails at once). stop() then kills at once those
    it finds instead of giving each its grace to finish its document (up to 5 s each: 6 to 9 s of an archive's
    exit after Ctrl-C on two workers). Safe in a signal handler: it takes no lock (the interrupted main thread may
    hold one), reads the table as it is and only sends signals."""
    command_interrupted.set()
    for process in [*_processes.values(), *_unbound]:
        process.kill_now()


def interrupted() -> bool:
    """Whether interrupt() was called: the command is ending on Ctrl-C."""
    return command_interrupted.is_set()


def end_interrupt() -> None:
    """Forget interrupt() once the interrupted command has stopped its extraction processes (stop()): extraction
    processes start again in this process (a caller of flows.cli.main that goes on, such as a test)."""
    command_interrupted.clear()


@atexit.register
def stop() -> None:
    """Stop this process's extraction processes, every slot's (they also stop by themselves when this process dies):
    each is given a few seconds to end its document, or is killed at once after interrupt()."""
    with _guard:
        processes = [*_processes.values(), *_unbound]
        _processes.clear()
        _unbound.clear()
    kill = command_interrupted.is_set()
    for process in processes:
        process.close_jobs()  # all at once: a first process ends after its siblings (it reaps them)
    for process in processes:
        process.stop(kill=kill)


def extract_with_budget(job: dict[str, Any], budget: Budget, worker: str | None = None) -> Extraction:
    """Extract the job (flows.extraction.job_for) within budget; a broken budget or a crash gives a failed
    document saying so. Never raises. Jobs of one slot's extraction process run one at a time. worker names who
    extracted it in the Extraction; by default the extraction process, as host:pid."""
    started = time.perf_counter()
    with _lock():
        process = None
        try:
            process = _started()
            process.wait_ready()
            if worker is None:
                worker = f"{socket.gethostname()}:{process.pid}"
            result = _result(process, job, budget)
        except (OSError, RuntimeError) as exc:
            if process is not None:
                _drop(process)
            reason = str(exc) if isinstance(exc, ProcessEnded) else f"the extraction process failed: {exc}"
            result = {"kind": "failed", "reason": reason}
    worker = worker or socket.gethostname()  # the extraction process did not start
    if result["kind"] == "done":
        records = result["records"]  # packed by the extraction process (flows.jobs.PackedRecords)
        return Extraction(records, result["seconds"],  # packed: unpacked where they are written (Extraction)
                          worker, result.get("diagnostics", 0), result.get("peak_memory_mb"))
    from extractors.source import source_path
    from flows.extraction import failed_records  # the stages, imported only for a failed document

    records = failed_records(source_path(job["path"]), result["reason"], job.get("document_id"))
    return Extraction(records, time.perf_counter() - started, worker, 0, result.get("peak_memory_mb"))
