"""Per-document time and memory budgets: every document is extracted in a child process that is killed
when it runs past its time or its memory, so one hostile file costs at most its budget and the batch goes
on with the others.

Each process that extracts (the `ingest` flow's process, each Dask worker, the inbox flow's process)
starts one extraction process (flows.worker) the first time it needs it: that process loads the
stages once and forks a fresh child per document, watches it and kills it when it breaks its budget, so
a killed document costs milliseconds of restart, not the seconds of loading. This module talks to it:
it sends the job and waits, with an outer deadline a minute past the budget in case the extraction
process itself stops answering (it is then replaced).
"""

from __future__ import annotations

import atexit
import io
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flows.defaults import (
    DEFAULT_MEMORY_BUDGET_MB,
    DEFAULT_TIME_BUDGET_SECONDS,
    DEFAULT_TIME_PER_OCR_PAGE_SECONDS,
    DEFAULT_TIME_PER_PAGE_SECONDS,
)
from flows.jobs import Extraction, PackedRecords, job_for
from flows.worker import receive, send

START_TIMEOUT_SECONDS = 300.0  # loading the stages on a busy machine
GRACE_SECONDS = 60.0  # past a document's budget before the extraction process itself counts as stuck


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


class ExtractionProcess:
    """The running flows.worker process and the thread that reads its answers."""

    def __init__(self, page_readers: int = 1) -> None:
        self.capture = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flows.worker", "--page-readers", str(page_readers)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.capture, start_new_session=True,
        )
        self.messages: queue.Queue[Any] = queue.Queue()
        self.ready: str | None = None
        self.pending: tuple[dict[str, Any], Budget] | None = None  # a job submitted ahead (prefetch), not collected
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                message = receive(self.process.stdout)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - a garbled answer ends the process like end of stream
                message = None
            self.messages.put(message)
            if message is None:
                return

    def wait_ready(self) -> None:
        if self.ready is not None:
            return
        try:
            message = self.messages.get(timeout=START_TIMEOUT_SECONDS)
        except queue.Empty:
            raise RuntimeError(f"it did not start within {START_TIMEOUT_SECONDS:.0f} s") from None
        if not message or message[0] != "ready":
            raise RuntimeError(self.output_tail() or "it exited at start")
        self.ready = str(message[1])

    def alive(self) -> bool:
        return self.process.poll() is None

    def output_tail(self, size: int = 1500) -> str:
        try:
            self.capture.seek(max(0, self.capture.seek(0, io.SEEK_END) - size))
            return " ".join(self.capture.read().decode("utf-8", "replace").split())
        except (OSError, ValueError):
            return ""

    def submit(self, job: dict[str, Any], budget: Budget) -> None:
        """Send a job; it starts as soon as the process has loaded the stages (the pipe holds it until then)."""
        assert self.process.stdin is not None
        send(self.process.stdin, (job, asdict(budget)))  # type: ignore[arg-type]

    def collect(self, budget: Budget) -> dict[str, Any]:
        """The worker's result for the job submitted last: {"kind": "done", ...} or {"kind": "failed", ...}."""
        started = time.monotonic()
        deadline = started + budget.seconds_for(None) + GRACE_SECONDS
        pages, ocr_pages = None, 0
        while True:
            try:
                message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError("the extraction process stopped answering") from None
            if message is None:
                raise RuntimeError(f"the extraction process exited ({self.output_tail()[-300:]})")
            if message[0] in ("pages", "ocr_pages"):
                if message[0] == "pages":
                    pages = message[1]
                else:
                    ocr_pages = int(message[1])
                deadline = started + budget.seconds_for(pages, ocr_pages) + GRACE_SECONDS
            elif message[0] == "result":
                return dict(message[1])

    def extract(self, job: dict[str, Any], budget: Budget) -> dict[str, Any]:
        """The worker's result for one job: {"kind": "done", ...} or {"kind": "failed", "reason": ...}."""
        self.submit(job, budget)
        return self.collect(budget)

    def stop(self, kill: bool = False) -> None:
        if self.alive() and not kill and self.process.stdin is not None:
            try:
                self.process.stdin.close()  # end of jobs: it exits
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.alive():
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # with the document child it may be watching
            except OSError:
                self.process.kill()
        self.process.wait()
        self.capture.close()


# One extraction process per slot: None in a command or a Dask worker process of its own; the worker's address for
# each worker of a local cluster of threads (flows.archive), so that every worker drives an extraction process of its
# own in one process. Each process's jobs run one at a time (its lock); _guard only guards the table.
_processes: dict[str | None, ExtractionProcess] = {}
_locks: dict[str | None, threading.Lock] = {}
_guard = threading.Lock()
_slot: ContextVar[str | None] = ContextVar("plandata_extraction_slot", default=None)
_page_readers = 1


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


def _started() -> ExtractionProcess:
    """The current slot's extraction process, started (again, when it died); call with its lock held."""
    slot = _slot.get()
    process = _processes.get(slot)
    if process is not None and not process.alive():
        process.stop(kill=True)
        process = None
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
    returns its pid."""
    with _lock():
        return _started().process.pid


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
    """The job's result from the process, taking a prefetched one when it is this job."""
    pending, process.pending = process.pending, None
    if pending is not None:
        result = process.collect(pending[1])
        if pending == (job, budget):
            return result
    return process.extract(job, budget)


@atexit.register
def stop() -> None:
    """Stop this process's extraction processes, every slot's (they also stop by themselves when this process dies)."""
    with _guard:
        processes = list(_processes.values())
        _processes.clear()
    for process in processes:
        process.stop()


def extract_with_budget(job: dict[str, Any], budget: Budget, worker: str | None = None) -> Extraction:
    """Extract the job (flows.extraction.job_for) within budget; a broken budget or a crash gives a failed
    document saying so. Never raises. Jobs of one slot's extraction process run one at a time. worker names who
    extracted it in the Extraction; by default the extraction process, as host:pid."""
    started = time.perf_counter()
    with _lock():
        process = None
        try:
            process = _started()
            if worker is None:
                worker = f"{socket.gethostname()}:{process.process.pid}"
            process.wait_ready()
            result = _result(process, job, budget)
        except (OSError, RuntimeError) as exc:
            if process is not None:
                _drop(process)
            result = {"kind": "failed", "reason": f"the extraction process failed: {exc}"}
    worker = worker or socket.gethostname()  # the extraction process did not start
    if result["kind"] == "done":
        records = result["records"]  # packed by the extraction process (flows.jobs.PackedRecords)
        return Extraction(records.unpack() if isinstance(records, PackedRecords) else records, result["seconds"],
                          worker, result.get("diagnostics", 0), result.get("peak_memory_mb"))
    from extractors.source import source_path
    from flows.extraction import failed_records  # the stages, imported only for a failed document

    records = failed_records(source_path(job["path"]), result["reason"], job.get("document_id"))
    return Extraction(records, time.perf_counter() - started, worker, 0, result.get("peak_memory_mb"))
