"""Per-document time and memory budgets: every document is extracted in a child process that is killed
when it runs past its time or its memory, so one hostile file costs at most its budget and the batch goes
on with the others.

Each process that extracts (the `ingest` flow's process, each Dask worker, the inbox flow's process)
starts one extraction process (flows.worker) the first time it needs it: that process loads the
stages once and forks a fresh child per document, watches it and kills it when it breaks its budget, so
a killed document costs milliseconds of restart, not the seconds of loading. The workers of a local cluster
(threads of one command, flows.archive) share one loading: their processes are one process and the siblings it
forks once loaded (prestart_slots). This module talks to it:
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
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

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
END_STATUS_SECONDS = 2.0  # for an extraction process whose answers ended to be seen dead, and how


class ProcessEnded(RuntimeError):
    """The extraction process ended while it had a job: the message says how it ended (its exit status or the signal
    that killed it) and the last of what it printed; it is the document's failure reason as it is."""


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
    """A running flows.worker process and the thread that reads its answers.

    With siblings=N it starts one process for N + 1 workers: it loads the stages once, then forks N siblings
    (flows.worker._fork_sibling), each serving the pipes and capture file made here for it; `siblings` holds their
    ExtractionProcess objects (no subprocess of this process: `pid` is known from their first answer).
    Measured with two workers once both have loaded: 5.6 -> 2.6 CPU s (the sibling's fork costs about 0.01 s),
    proportional set size 318 -> 160 MB (the sibling shares the loaded pages until it writes them).

    Siblings rather than one process serving every worker's jobs: each worker keeps a watcher of its own, which
    watches one child as before (no multiplexed protocol, no shared point of failure: a stuck or replaced process
    costs its worker's job only), and the run report still names one process per worker."""

    def __init__(self, page_readers: int = 1, siblings: int = 0) -> None:
        self.capture = tempfile.TemporaryFile()
        channels = [_SiblingChannel() for _ in range(siblings)]
        command = [sys.executable, "-m", "flows.worker", "--page-readers", str(page_readers)]
        for channel in channels:
            command += ["--sibling", channel.argument()]
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.capture, start_new_session=True,
            pass_fds=[fd for channel in channels for fd in channel.child_fds()],
        )
        self.pid: int | None = self.process.pid
        self.stdin: BinaryIO = self.process.stdin  # type: ignore[assignment]
        self._start(self.process.stdout)  # type: ignore[arg-type]
        self.siblings = [channel.attach() for channel in channels]

    @classmethod
    def _sibling(cls, stdin: BinaryIO, stdout: BinaryIO, capture: BinaryIO) -> ExtractionProcess:
        self = cls.__new__(cls)
        self.capture, self.process, self.pid, self.stdin, self.siblings = capture, None, None, stdin, []
        self._start(stdout)
        return self

    def _start(self, stdout: BinaryIO) -> None:
        self.stdout = stdout
        self.messages: queue.Queue[Any] = queue.Queue()
        self.ready: str | None = None
        self.ended = threading.Event()  # its answers ended: it exited
        self.pending: tuple[dict[str, Any], Budget] | None = None  # a job submitted ahead (prefetch), not collected
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                message = receive(self.stdout)
            except Exception:  # noqa: BLE001 - a garbled answer ends the process like end of stream
                message = None
            if message is None:
                self.ended.set()
            self.messages.put(message)
            if message is None:
                return

    def process_id(self) -> int:
        """The process's pid; a sibling's once it has answered (waiting up to START_TIMEOUT_SECONDS), 0 if it did
        not start."""
        if self.pid is None:
            try:
                self.wait_ready()
            except RuntimeError:
                return 0
        return self.pid or 0

    def wait_ready(self) -> None:
        if self.ready is not None:
            return
        try:
            message = self.messages.get(timeout=START_TIMEOUT_SECONDS)
        except queue.Empty:
            raise RuntimeError(f"it did not start within {START_TIMEOUT_SECONDS:.0f} s") from None
        if not message or message[0] != "ready":
            raise ProcessEnded(f"the extraction process exited at start ({self.how_it_ended()})")
        self.ready = str(message[1])
        self.pid = int(message[1])

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return not self.ended.is_set()

    def how_it_ended(self) -> str:
        """How the process that stopped answering ended, with the last of what it printed: "killed by SIGKILL; it
        printed: ...", "exit status 1; it printed nothing"."""
        tail = self.output_tail()[-300:]
        return f"{self.end_status()}; {'it printed: ' + tail if tail else 'it printed nothing'}"

    def end_status(self) -> str:
        """"killed by SIGNAME", "exit status N", or "its end status is unknown" (it is still running, or a sibling
        whose parent has reaped it), waiting up to END_STATUS_SECONDS for it to end.

        The first process is this process's child (its returncode). A sibling is the first process's child, not
        this one's: the first process reaps its siblings only at its own end, so a sibling that died is a zombie
        meanwhile, whose wait status Linux shows in the last field of /proc/PID/stat (exit_code)."""
        status: int | None = None
        seconds = 0.0 if _interrupted.is_set() else END_STATUS_SECONDS  # Ctrl-C: the command is ending, nobody reads it
        if self.process is not None:
            try:
                returncode = self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                return "its end status is unknown"
            if returncode < 0:
                return f"killed by {_signal_name(-returncode)}"
            return f"exit status {returncode}"
        if self.pid:
            status = _zombie_status(self.pid, time.monotonic() + seconds)
        if status is None:
            return "its end status is unknown"
        if os.WIFSIGNALED(status):
            return f"killed by {_signal_name(os.WTERMSIG(status))}"
        return f"exit status {os.WEXITSTATUS(status)}"

    def output_tail(self, size: int = 1500) -> str:
        try:
            self.capture.seek(max(0, self.capture.seek(0, io.SEEK_END) - size))
            return " ".join(self.capture.read().decode("utf-8", "replace").split())
        except (OSError, ValueError):
            return ""

    def submit(self, job: dict[str, Any], budget: Budget) -> None:
        """Send a job; it starts as soon as the process has loaded the stages (the pipe holds it until then)."""
        send(self.stdin, (job, asdict(budget)))

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
                raise ProcessEnded(f"the extraction process exited ({self.how_it_ended()})")
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

    def close_jobs(self) -> None:
        """Close its stdin: end of jobs, it exits."""
        try:
            self.stdin.close()
        except (OSError, ValueError):
            pass

    def kill_now(self) -> None:
        """SIGKILL its process group (it and the document child it may be watching) without waiting or locking:
        flows.budget.interrupt calls it from a signal handler. A sibling whose pid is not known yet is left to its
        watch of the command (it ends with the command)."""
        if self.pid:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                pass

    def stop(self, kill: bool = False) -> None:
        if self.alive() and not kill:
            try:
                self.close_jobs()
                if self.process is not None:
                    self.process.wait(timeout=5)
                else:
                    self.ended.wait(timeout=5)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        if self.alive() and self.pid:
            try:
                os.killpg(self.pid, signal.SIGKILL)  # with the document child it may be watching
            except OSError:
                if self.process is not None:
                    self.process.kill()
        if self.process is not None:
            self.process.wait()
        else:
            for stream in (self.stdin, self.stdout):
                try:
                    stream.close()
                except (OSError, ValueError):
                    pass
        self.capture.close()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _zombie_status(pid: int, until: float) -> int | None:
    """The wait status of pid once it is a zombie (the exit_code field of /proc/PID/stat, Linux 3.5 and later), polled
    until the monotonic time `until`; None when it is gone (reaped) or still running then."""
    while True:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        if fields[0] == "Z" and len(fields) >= 50:
            return int(fields[-1])
        if time.monotonic() >= until:
            return None
        time.sleep(0.02)


class _SiblingChannel:
    """The pipes and capture file of a sibling extraction process (ExtractionProcess's siblings): the child's ends
    go to the first process (pass_fds), which forks the sibling with them; this process keeps the other ends."""

    def __init__(self) -> None:
        self.job_read, self.job_write = os.pipe()
        self.answer_read, self.answer_write = os.pipe()
        self.capture = tempfile.TemporaryFile()

    def child_fds(self) -> list[int]:
        return [self.job_read, self.answer_write, self.capture.fileno()]

    def argument(self) -> str:
        return ",".join(str(fd) for fd in self.child_fds())

    def attach(self) -> ExtractionProcess:
        """This process's side, once the first process has inherited the child's ends (closed here)."""
        os.close(self.job_read)
        os.close(self.answer_write)
        return ExtractionProcess._sibling(os.fdopen(self.job_write, "wb"), os.fdopen(self.answer_read, "rb"),
                                          self.capture)


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
_page_readers = 1
_interrupted = threading.Event()  # Ctrl-C: the command ends, no extraction process starts again (interrupt)


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
    if _interrupted.is_set():
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
        if missing and not _interrupted.is_set():
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
    _interrupted.set()
    for process in list(_processes.values()):
        process.kill_now()


def interrupted() -> bool:
    """Whether interrupt() was called: the command is ending on Ctrl-C."""
    return _interrupted.is_set()


def end_interrupt() -> None:
    """Forget interrupt() once the interrupted command has stopped its extraction processes (stop()): extraction
    processes start again in this process (a caller of flows.cli.main that goes on, such as a test)."""
    _interrupted.clear()


@atexit.register
def stop() -> None:
    """Stop this process's extraction processes, every slot's (they also stop by themselves when this process dies):
    each is given a few seconds to end its document, or is killed at once after interrupt()."""
    with _guard:
        processes = list(_processes.values())
        _processes.clear()
    kill = _interrupted.is_set()
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
        return Extraction(records.unpack() if isinstance(records, PackedRecords) else records, result["seconds"],
                          worker, result.get("diagnostics", 0), result.get("peak_memory_mb"))
    from extractors.source import source_path
    from flows.extraction import failed_records  # the stages, imported only for a failed document

    records = failed_records(source_path(job["path"]), result["reason"], job.get("document_id"))
    return Extraction(records, time.perf_counter() - started, worker, 0, result.get("peak_memory_mb"))
