"""A running extraction process (flows.worker) as the command sees it: ExtractionProcess starts it (with the siblings
it forks for the other workers of a local cluster), sends it jobs, reads its answers on a thread of its own and holds
it to a document's budget plus GRACE_SECONDS; ProcessEnded says how one that stopped answering ended.

flows.budget keeps one per extraction slot and drives them (prestart, prefetch, extract_with_budget, interrupt).
"""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, BinaryIO

from flows.process_tree import remove_job_folders
from flows.signals import signal_name
from flows.worker import receive, send

if TYPE_CHECKING:
    from flows.budget import Budget

START_TIMEOUT_SECONDS = 300.0  # loading the stages on a busy machine
GRACE_SECONDS = 60.0  # past a document's budget before the extraction process itself counts as stuck
END_STATUS_SECONDS = 2.0  # for an extraction process whose answers ended to be seen dead, and how
command_interrupted = threading.Event()  # set by flows.budget.interrupt (Ctrl-C): the command ends, nobody waits


class ProcessEnded(RuntimeError):
    """The extraction process ended while it had a job: the message says how it ended (its exit status or the signal
    that killed it) and the last of what it printed; it is the document's failure reason as it is."""



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
            elif self.pid is None and isinstance(message, tuple) and message[:1] == ("ready",):
                self.pid = int(message[1])  # a sibling's, known as soon as it is said: kill_now and stop can end it
                # while its answers wait in the queue (a job given ahead: nobody waits for it to be ready)
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
        seconds = 0.0 if command_interrupted.is_set() else END_STATUS_SECONDS  # Ctrl-C: nobody reads it
        if self.process is not None:
            try:
                returncode = self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                return "its end status is unknown"
            if returncode < 0:
                return f"killed by {signal_name(-returncode)}"
            return f"exit status {returncode}"
        if self.pid:
            status = _zombie_status(self.pid, time.monotonic() + seconds)
        if status is None:
            return "its end status is unknown"
        if os.WIFSIGNALED(status):
            return f"killed by {signal_name(os.WTERMSIG(status))}"
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
        if self.pid:  # killed (Ctrl-C, its budget's end): the temporary folder of the job it had
            remove_job_folders(self.pid)


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
