"""Reading one document's pages in two processes: every other block of pages of a long document is read by a
forked helper process while this process reads the others, so that one long book does not keep one core busy
while the other idles (issue 12).

The helper reads pages exactly as this process would (`extractors.pdf.pages.Openings` on its own
opening of the same file) and sends each PageContent back, pickled, through a pipe; this process yields every
page in order. What the helper heard from Python's warnings and loggers is sent back at its end and raised again
here, so that the extraction process's collectors (flows/worker.py) see every reader message as when one process
reads. The pages are the same either way: reading a page depends on that page only.

Only a process that has no other threads may fork safely (PDFium's and the allocator's locks), so the caller
decides: `flows.worker`'s child per document reads with `readers` from the extraction process's settings (two in
`plandata ingest` on a machine with two cores or more, one in a Dask worker, whose siblings use the other cores).
If the helper cannot start, or fails or dies part-way, this process reads the pages it did not send: the result
never depends on the helper.
"""

from __future__ import annotations

import ctypes
import logging
import os
import pickle
import queue
import signal
import struct
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, NoReturn

import pypdfium2 as pdfium

from extractors.pdf.page import PageContent
from extractors.pdf.pages import Openings

PARALLEL_MIN_PAGES = 24
"""Documents shorter than this are read in one process: the helper's start and the pickling would cost more
than the pages it reads."""
BLOCK_PAGES = 8
"""Pages are read in blocks of this many, this process the even blocks, the helper the odd ones: both go down the
document together, so the helper's pages wait here only about a block (not half the document) to be taken."""
_FRAME = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1  # prctl(2)


def read_pages_in_two(pdf: pdfium.PdfDocument, reopen: Callable[[], pdfium.PdfDocument]) -> Iterator[PageContent]:
    """Every page of pdf in order, as iter_pages gives them, every other block of BLOCK_PAGES read by a forked
    helper process (which opens the file again with reopen). The documents reopened here are closed here; pdf is
    the caller's (closed here only when it is reopened, as iter_pages does; closing it again is harmless)."""
    count = len(pdf)
    blocks = [range(start, min(start + BLOCK_PAGES, count)) for start in range(0, count, BLOCK_PAGES)]
    pid, frames = _start_helper(reopen, blocks[1::2])
    openings = Openings(pdf, reopen)
    helping = pid is not None
    try:
        for number, block in enumerate(blocks):
            for index in block:
                content = None
                if number % 2 and helping:
                    content = _next_page(frames)
                    helping = content is not None and content.number == index + 1
                yield content if helping and number % 2 else openings.page(index)
        if helping:
            message = _next_message(frames)
            if message is not None and message[0] == "messages":
                _raise_again(*message[1:])
    finally:
        openings.close()
        if pid is not None:
            _reap(pid, finished=helping)


def _start_helper(reopen: Callable[[], pdfium.PdfDocument], blocks: list[range]
                  ) -> tuple[int | None, queue.SimpleQueue[bytes | None]]:
    """Fork the helper reading `blocks` and a thread taking its messages off the pipe as they come (the helper never
    waits for this process to take them); (None, queue) when it cannot start."""
    frames: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None, frames
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None, frames
    if pid == 0:
        os.close(read_fd)
        _helper(reopen, blocks, write_fd, parent)
    os.close(write_fd)
    threading.Thread(target=_take_frames, args=(os.fdopen(read_fd, "rb"), frames), daemon=True,
                     name="plandata-page-helper").start()
    return pid, frames


def _take_frames(stream: BinaryIO, frames: queue.SimpleQueue[bytes | None]) -> None:
    with stream:
        while True:
            header = stream.read(_FRAME.size)
            if len(header) < _FRAME.size:
                break
            (size,) = _FRAME.unpack(header)
            data = stream.read(size)
            if len(data) < size:
                break
            frames.put(data)
    frames.put(None)


def _next_message(frames: queue.SimpleQueue[bytes | None]) -> Any:
    data = frames.get()
    if data is None:
        frames.put(None)  # the end stays the end for whoever asks again
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a garbled message ends the helper's part like its end
        return None


def _next_page(frames: queue.SimpleQueue[bytes | None]) -> PageContent | None:
    message = _next_message(frames)
    return message[1] if message is not None and message[0] == "page" else None


def _helper(reopen: Callable[[], pdfium.PdfDocument], blocks: list[range], fd: int, parent: int) -> NoReturn:
    """Read the blocks' pages and send them, then what was warned or logged meanwhile; never returns. It dies with
    parent, the process that forked it (die_with_parent)."""
    try:
        die_with_parent(parent)
        stream = os.fdopen(fd, "wb")
        logs: list[tuple[str, int, str]] = []
        logging.getLogger().handlers = [_ListHandler(logs)]  # the parent's collectors are the parent's
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            own = reopen()
            openings = Openings(own, reopen)
            for block in blocks:
                for index in block:
                    _send(stream, ("page", openings.page(index)))
            openings.close()
            own.close()
        _send(stream, ("messages", [(str(w.message), w.category) for w in caught], logs))
        stream.close()
    except BaseException:  # noqa: BLE001 - the parent reads what was not sent
        pass
    finally:
        os._exit(0)


class _ListHandler(logging.Handler):
    def __init__(self, into: list[tuple[str, int, str]]) -> None:
        super().__init__(level=logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.into.append((record.name, record.levelno, record.getMessage()))
        except Exception:  # noqa: BLE001 - a malformed log call must not break the reading
            self.into.append((record.name, record.levelno, repr(record.msg)))


def _raise_again(found: list[tuple[str, type[Warning]]], logs: list[tuple[str, int, str]]) -> None:
    """What the helper heard, said again here (to the extraction process's collectors)."""
    for message, category in found:
        warnings.warn(message, category, stacklevel=2)
    for name, level, text in logs:
        logging.getLogger(name).log(level, "%s", text)


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this process (SIGKILL) as soon as its parent dies, and exit at once if its parent is no
    longer parent_pid: call it first thing in a forked child, with the pid of the process that forked it (os.getpid()
    there, read before the fork).

    Linux's PR_SET_PDEATHSIG (prctl(2)) through ctypes: a kill -9 of the parent takes the child along instead of
    leaving it an orphan that runs on until its work is done (a document child of flows.worker read on for 4 s
    after its extraction process was killed, its page helper 1 s). The request covers only a parent that dies after
    it is made; the parent may have died between the fork and the request, which the check after it catches (the
    orphan then has another parent, init or a subreaper). The signal comes when the parent's thread that forked
    this process ends: the callers fork from their main thread, which ends only with the process. Where prctl is
    missing (not Linux) only the check is done."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:  # the parent died before the request: nothing will send the signal
        os._exit(0)


def _send(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)))
    stream.write(data)
    stream.flush()


def _reap(pid: int, finished: bool) -> None:
    """Wait for the helper (it is exiting when it finished), or kill it first."""
    try:
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
