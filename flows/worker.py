"""The extraction process (`python -m flows.worker`), started by flows.extraction_process: it loads the stages once
(extractors.pipeline.warm_up), then forks a fresh child for each document and holds it to its budget.

Jobs arrive on stdin as pickled, length-prefixed `(job, budget)` pairs (flows.extraction.job_for,
flows.budget.Budget's fields); answers go out on the stdout this process had at start: `("pages", n)`
as soon as the load boundary has estimated the pages, `("ocr_pages", n)` when the reader sends n pages to
OCR, then `("result", {...})`. The child runs
flows.extraction.extract_in_process under an address-space limit; this process watches it, and kills it
when it runs past the deadline (`seconds`, or `seconds_per_page` times the pages, plus `seconds_per_ocr_page`
times the OCR pages) or its resident memory
grows past `memory_mb` over what it started with. A killed or crashed child costs nothing but itself:
the next document gets a new fork within milliseconds, with everything loaded.

Each document child dies with this process (extractors.pdf.parallel.die_with_parent: PR_SET_PDEATHSIG), and so does
its page helper with it: a kill -9 of this process leaves no orphan reading on.

Started with `--sibling IN,OUT,CAPTURE` (flows.budget.prestart_slots, for the workers of a local cluster), it
forks one sibling per such option once it has loaded, before its first job: each serves those inherited pipes
and capture file exactly as this process serves its own, so each worker keeps an extraction process of its own
(a stuck or killed one costs its worker's job only) while the stages load once per command. A sibling makes a
session of its own and watches the command through its pidfd: a kill -9 of the command ends it (and its current
child) as it ends this process (which watches its parent); an idle one also ends at end of stdin.

Descriptors 1 and 2 point to the capture file the parent gave as stderr, so whatever the PDF libraries
print at the C level never reaches the terminal; with the Python warnings and log records a document
raised, it becomes the document's `reader_message` issues (one per distinct message, with its count).
"""

from __future__ import annotations

import gc
import io
import logging
import os
import pickle
import resource
import select
import shutil
import signal
import struct
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from typing import Any, BinaryIO, NoReturn

from flows.process_tree import (
    JOB_FOLDER,
    helpers_growth,
    kill_tree,
    memory_status,
    remove_job_folders,
    sweep_job_folders,
)

MAX_DISTINCT_MESSAGES = 30
MAX_CAPTURED_BYTES = 256 * 1024
POLL_SECONDS = 0.05
ADDRESS_SPACE_MARGIN = 512 << 20
# A child that aborts silently after its address space grew by this share of the memory budget or more ran out
# of memory: PDFium aborts without a word when an allocation fails under the address-space limit (a page of
# 400 000 text lines: 1.5 GB of 2 GB reserved at the last sample, then SIGABRT), and the watcher samples only
# every POLL_SECONDS. A silent abort of a child that grew less is reported as a crash.
ABORT_MEMORY_SHARE = 0.5
_FRAME = struct.Struct("!Q")
_MEMORY_WORDS = ("bad_alloc", "memoryerror", "cannot allocate memory", "out of memory")


def send(stream: BinaryIO, message: object) -> None:
    """Write one length-prefixed pickled message. The header and the pickle are written one after the other, not
    joined: a long document's records pickle to tens of MB, which would otherwise exist twice."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream: BinaryIO) -> Any:
    """The next message, or None at end of stream."""
    header = stream.read(_FRAME.size)
    if len(header) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(header)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def _frames(buffer: bytearray) -> list[Any]:
    """Remove and return the complete messages at the start of buffer."""
    messages = []
    while len(buffer) >= _FRAME.size:
        (size,) = _FRAME.unpack(buffer[:_FRAME.size])
        if len(buffer) < _FRAME.size + size:
            break
        with memoryview(buffer) as view, view[_FRAME.size:_FRAME.size + size] as body:
            messages.append(pickle.loads(body))  # read in place, not from a copy of the message's bytes
        del buffer[:_FRAME.size + size]
    return messages


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages[f"{record.name}: {record.getMessage()}"] += 1
        except Exception:  # noqa: BLE001 - a malformed log call must not break the extraction
            self.messages[f"{record.name}: {record.msg!r}"] += 1


def _child(job: dict[str, Any], budget: dict[str, Any], reply_fd: int, address_space: int,
           page_readers: int = 1, parent: int | None = None) -> NoReturn:
    """Extract one document and report to the watching process; never returns. It dies with parent, the extraction
    process that forked it (die_with_parent): a kill -9 of that process takes the document along."""
    from extractors.pdf.parallel import die_with_parent

    if parent is not None:
        die_with_parent(parent)
    from flows.extraction import extract_in_process
    from flows.jobs import PackedRecords

    reply = os.fdopen(reply_fd, "wb")
    try:
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        collector = _LogCollector()
        logging.getLogger().addHandler(collector)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            records = extract_in_process(job, on_pages=lambda pages: send(reply, ("pages", pages)),
                                         on_ocr_pages=lambda count: send(reply, ("ocr_pages", count)),
                                         page_readers=page_readers)
        messages = collector.messages
        for warning in caught:
            messages[f"{warning.category.__name__}: {warning.message}"] += 1
        packed = PackedRecords(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), records.document.document_id)
        del records  # the records exist once, as their pickle, while the answer is written
        send(reply, ("result", {"kind": "done", "records": packed, "messages": dict(messages)}))
    except MemoryError:
        _try_send(reply, ("result", {"kind": "memory"}))
    except BaseException as exc:  # noqa: BLE001 - reported to the watcher as this document's failure
        _try_send(reply, ("result", {"kind": "error", "error": f"{type(exc).__name__}: {exc}"}))
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()  # what Python code printed, into the capture file before the exit
            except BaseException:  # noqa: BLE001
                pass
        os._exit(0)


def _try_send(stream: BinaryIO, message: object) -> None:
    try:
        send(stream, message)
    except BaseException:  # noqa: BLE001 - nothing more can be done in a dying child
        pass


def _captured_lines(capture: BinaryIO) -> Counter[str]:
    capture.flush()
    size = capture.seek(0, io.SEEK_END)
    capture.seek(0)
    text = capture.read(MAX_CAPTURED_BYTES).decode("utf-8", "replace")
    lines = Counter(" ".join(line.split()) for line in text.splitlines() if line.strip())
    if size > MAX_CAPTURED_BYTES:
        lines[f"... and {size - MAX_CAPTURED_BYTES} more bytes of output"] += 1
    return lines


def diagnostics_issues(document_id: str, messages: Counter[str]) -> list[Any]:
    """One `reader_message` issue per distinct message (with its count), the most frequent first."""
    from models import IssueRecord

    issues = []
    common = messages.most_common()
    for text, count in common[:MAX_DISTINCT_MESSAGES]:
        suffix = f" ({count} times)" if count > 1 else ""
        issues.append(IssueRecord(document_id=document_id, stage="reader", code="reader_message", severity="info",
                                  message=f"{text[:500]}{suffix}"))
    if len(common) > MAX_DISTINCT_MESSAGES:
        rest = sum(count for _, count in common[MAX_DISTINCT_MESSAGES:])
        issues.append(IssueRecord(document_id=document_id, stage="reader", code="reader_message", severity="info",
                                  message=f"{rest} more messages of {len(common) - MAX_DISTINCT_MESSAGES} other kinds"))
    return issues


def _seconds_for(budget: dict[str, Any], pages: int | None, ocr_pages: int = 0) -> float:
    return (max(float(budget["seconds"]), float(budget["seconds_per_page"]) * (pages or 0))
            + float(budget.get("seconds_per_ocr_page", 0.0)) * ocr_pages)


def run_job(job: dict[str, Any], budget: dict[str, Any], capture: BinaryIO, reply: BinaryIO,
            page_readers: int = 1, unpack: bool = True) -> dict[str, Any]:
    """Fork a child for the job, watch it within budget, and return its result (or why it failed). The child reads
    a long PDF's pages in page_readers processes (extractors/pdf/parallel.py); its helper's memory counts too.

    A done result's `records` is the RecordSet, or with unpack=False the PackedRecords to unpack where they are
    written (flows.budget)."""
    capture.seek(0)
    capture.truncate()
    memory_limit = int(budget["memory_mb"]) << 20
    start = memory_status()
    address_space = start.get("VmSize", 0) + memory_limit + ADDRESS_SPACE_MARGIN if memory_limit else 0
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    parent = os.getpid()
    try:  # the child's temporary files, removed whatever its end
        scratch: str | None = tempfile.mkdtemp(prefix=JOB_FOLDER.format(pid=parent))
    except OSError:  # no temporary folder to make one in: the child's own cleanup only, as before
        scratch = None
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        if scratch is not None:
            tempfile.tempdir = os.environ["TMPDIR"] = scratch
        _child(job, budget, write_fd, address_space, page_readers, parent)
    os.close(write_fd)
    try:
        return _watch_child(pid, read_fd, budget, capture, reply, start, memory_limit, started, unpack)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _watch_child(pid: int, read_fd: int, budget: dict[str, Any], capture: BinaryIO, reply: BinaryIO,
                 start: dict[str, int], memory_limit: int, started: float, unpack: bool) -> dict[str, Any]:
    """run_job's watch of the document child pid until its result or its end (killed, with every process under it,
    when it runs past its budget), then reaped."""
    baseline = memory_status(pid).get("VmRSS", 0) or start.get("VmRSS", 0)  # before the child allocates
    deadline, peak, buffer = started + _seconds_for(budget, None), 0, bytearray()
    address_used = 0  # the child's largest address space seen (VmSize), against its limit
    pages, ocr_pages = None, 0
    helpers: dict[int, int] = {}  # pid of a process the child forked (a page reader) -> its RSS when first seen
    result: dict[str, Any] | None = None
    failure = None
    while True:
        ready, _, _ = select.select([read_fd], [], [], POLL_SECONDS)
        if ready:
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            buffer += chunk
            for message in _frames(buffer):
                if message[0] in ("pages", "ocr_pages"):
                    if message[0] == "pages":
                        pages = message[1]
                    else:
                        ocr_pages = int(message[1])
                    deadline = started + _seconds_for(budget, pages, ocr_pages)
                    send(reply, message)
                elif message[0] == "result":
                    result = message[1]
        memory = memory_status(pid)
        growth = memory.get("VmRSS", 0) - baseline + helpers_growth(pid, helpers)
        peak = max(peak, growth)
        address_used = max(address_used, memory.get("VmSize", 0))
        if memory_limit and growth > memory_limit:
            failure = f"exceeded the memory budget ({budget['memory_mb']} MB)"
        elif time.monotonic() > deadline:
            failure = f"exceeded the time budget ({deadline - started:.0f} s)"
        if failure:
            break
    os.close(read_fd)
    if failure:  # with what it started: its OCR would run on, orphaned (a child that died has lost them already)
        kill_tree(pid)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - started
    peak_mb = max(peak, 0) >> 20
    if failure or result is None:
        near_limit = bool(memory_limit) and address_used - start.get("VmSize", 0) >= memory_limit * ABORT_MEMORY_SHARE
        return {"kind": "failed", "reason": failure or _death_reason(status, capture, near_limit), "seconds": seconds,
                "peak_memory_mb": peak_mb}
    if result["kind"] == "memory":
        return {"kind": "failed", "reason": f"exceeded the memory budget ({budget['memory_mb']} MB)",
                "seconds": seconds, "peak_memory_mb": peak_mb}
    if result["kind"] == "error":
        return {"kind": "failed", "reason": f"internal error in the extraction process: {result['error']}",
                "seconds": seconds, "peak_memory_mb": peak_mb}
    packed = result["records"]  # flows.jobs.PackedRecords
    messages = Counter(result["messages"]) + _captured_lines(capture)
    if messages:
        packed.issues += diagnostics_issues(packed.document_id, messages)
    return {"kind": "done", "records": packed.unpack() if unpack else packed, "seconds": seconds,
            "peak_memory_mb": peak_mb,
            "diagnostics": sum(messages.values())}


def _death_reason(status: int, capture: BinaryIO, near_limit: bool = False) -> str:
    """Why the child died: the memory budget when it said so, or when it was killed or aborted ('alloc' in its
    last output, or `near_limit`: its address space had grown by ABORT_MEMORY_SHARE of the budget), else a crash
    with its signal or exit status and last output."""
    capture.seek(max(0, capture.seek(0, io.SEEK_END) - 2000))
    tail = " ".join(capture.read().decode("utf-8", "replace").split())
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGKILL, signal.SIGABRT)
    if any(word in tail.lower() for word in _MEMORY_WORDS) or killed and ("alloc" in tail.lower() or near_limit):
        return "exceeded the memory budget (the reader could not allocate more)"
    how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}"
    return f"the reader crashed ({how}){': ' + tail[-300:] if tail else ''}"


def load_stages() -> None:
    """Load the stages (extractors.pipeline.warm_up) and keep them out of the cyclic collector's reach: a full
    collection, then gc.freeze(), as Python's documentation of gc.freeze advises before fork(). Each document's child
    inherits them in the permanent generation, so its full collections no longer traverse them (about 110 000
    container objects, 0.08 CPU s per full collection; Kauhava's financial statement has four, the collector's time
    in its child 0.61 -> 0.39 CPU s) nor write to their headers (which copied their memory pages into the child)."""
    collecting = gc.isenabled()
    gc.disable()  # loading makes ~1 million objects and keeps most: ~600 automatic collections, 4 of them full
    try:  # (0.3 CPU s), found little; the one full collection below frees what loading left as garbage
        from extractors.pipeline import warm_up

        import flows.extraction  # noqa: F401

        warm_up()
    finally:
        if collecting:
            gc.enable()
    gc.collect()  # what loading left as garbage is freed, not frozen
    gc.freeze()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            remove_job_folders(os.getpid())
            os.killpg(0, signal.SIGKILL)  # the parent is gone: take the current child along


def _watch_command(command: int) -> None:
    """A sibling's watch: its parent is the first extraction process, not the command, so it waits on the command's
    pidfd (readable when the command ends), then kills its own group (itself and its current child). Without a
    pidfd (Linux before 5.3: command is -1) it watches its parent, the first process, which watches the command."""
    if command < 0:
        _watch_parent(os.getppid())
    select.select([command], [], [])
    remove_job_folders(os.getpid())
    os.killpg(0, signal.SIGKILL)


def _pidfd(pid: int) -> int:
    """A pidfd of the process pid, or -1 where Linux or Python has none."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return -1


def _serve(requests: BinaryIO, reply: BinaryIO, capture: BinaryIO, page_readers: int,
           siblings: tuple[int, ...] = ()) -> NoReturn:
    """Answer jobs one at a time until end of stdin, then reap the siblings (their stdin is closed too: they end)
    and exit."""
    while True:
        request = receive(requests)
        if request is None:
            for pid in siblings:
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
            os._exit(0)  # no interpreter teardown: freeing the language models takes seconds
        job, budget = request
        try:
            result = run_job(job, budget, capture, reply, page_readers, unpack=False)
        except Exception as exc:  # noqa: BLE001 - reported to the parent as this document's failure
            result = {"kind": "failed", "reason": f"internal error in the extraction process: {exc}"}
        send(reply, ("result", result))


def _redirect_output(capture_fd: int) -> None:
    """Descriptors 1 and 2 (and Python's sys.stdout and sys.stderr) to the capture file; 0 to /dev/null."""
    os.dup2(capture_fd, 2)
    os.dup2(capture_fd, 1)  # what C code prints to stdout goes there too, never into the replies
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    sys.stdout = sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(2), "wb", buffering=0), write_through=True)


def _fork_sibling(fds: tuple[int, int, int], others: list[int], own: list[BinaryIO], command: int,
                  page_readers: int) -> int:
    """Fork a loaded sibling serving the pipes fds (its stdin, stdout, capture file: flows.extraction_process made them
    for another worker and passed them at start); returns its pid in this process at once.

    Loading is paid once per command, and each worker still has an extraction process of its own: a stuck or
    killed one costs only its worker's job. The fork is as safe as a document's: it happens in the main thread
    right after loading, before any job, and the only other thread (_watch_parent) sleeps and holds no lock the
    sibling needs; the sibling starts its own watch. It makes a session of its own (setsid), so that the killpg of
    this process's watch or of flows.budget's stop ends it and its document alone; it closes every descriptor but
    its own (this process's reply pipe held open by a sibling would hide this process's end from the command)."""
    pid = os.fork()
    if pid:
        return pid
    try:
        os.setsid()
        for stream in own:
            stream.close()
        for fd in others:
            if fd not in fds:
                os.close(fd)
        requests, reply = os.fdopen(fds[0], "rb"), os.fdopen(fds[1], "wb")
        capture = os.fdopen(os.dup(fds[2]), "r+b")
        _redirect_output(fds[2])
        os.close(fds[2])
        threading.Thread(target=_watch_command, args=(command,), daemon=True).start()
        send(reply, ("ready", os.getpid()))
        _serve(requests, reply, capture, page_readers)
    finally:
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    """`python -m flows.worker [--page-readers N] [--sibling IN,OUT,CAPTURE ...]`: N processes read a long
    document's pages (default 1); each --sibling names three inherited descriptors (a job pipe to read, an answer
    pipe to write, a capture file) that a sibling forked after loading serves (_fork_sibling)."""
    args = sys.argv[1:] if argv is None else argv
    page_readers = int(args[args.index("--page-readers") + 1]) if "--page-readers" in args else 1
    siblings = [tuple(int(fd) for fd in args[at + 1].split(",")) for at, arg in enumerate(args) if arg == "--sibling"]
    reply = os.fdopen(os.dup(1), "wb")
    requests = os.fdopen(os.dup(0), "rb")
    capture = os.fdopen(os.dup(2), "r+b")  # the parent's capture file, given as stderr
    _redirect_output(2)
    command = os.getppid()
    threading.Thread(target=_watch_parent, args=(command,), daemon=True).start()
    command_handle = _pidfd(command) if siblings else -1
    sweep_job_folders()  # what extraction processes killed with their command left
    load_stages()
    sibling_fds = [fd for fds in siblings for fd in fds]
    own: list[BinaryIO] = [reply, requests, capture]
    forked = tuple(_fork_sibling(fds, sibling_fds, own, command_handle, page_readers) for fds in siblings)
    for fd in sibling_fds:
        os.close(fd)
    send(reply, ("ready", os.getpid()))
    _serve(requests, reply, capture, page_readers, forked)


if __name__ == "__main__":
    sys.exit(main())
