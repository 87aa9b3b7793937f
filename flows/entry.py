"""The `plandata` executable (pyproject's console script): flows.cli.main on the process's arguments, and a quick end.

The end skips the interpreter's teardown once everything is done and written (see command)."""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
from types import FrameType
from typing import NoReturn

import flows.cli
from flows.interrupts import finished_status

_exit_status: int | None = None  # what main() returned in `plandata` (command), once it has
EXIT_UNFLUSHED = 120  # Python's own exit status when it cannot flush the standard streams at exit


def command() -> NoReturn:
    """The `plandata` executable: main() on this process's arguments, then exit with its status.

    Once main() has returned and the exit handlers have run (extraction processes stopped, Prefect's events sent),
    the streams and logs are flushed and the process ends without tearing the interpreter down (os._exit): freeing
    the modules and objects of Prefect, Dask, pandas and the datasets took 0.5 s at the end of every command
    (measured after an `archive` of the corpus), and everything written is on disk by then (commits are fsynced).
    A command that ends by an exception (a traceback, Ctrl-C outside the commands that handle it) exits as Python
    does."""
    atexit.register(_end_now)  # after logging's own: runs after every other handler but that one (it calls it)
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _stop_signal)  # what main()'s own handling gives back when it ends
    code = flows.cli.main()  # looked up now: a caller may have replaced it
    global _exit_status
    _exit_status = code
    sys.exit(code)


def _stop_signal(signum: int, frame: FrameType | None) -> None:
    """SIGINT, SIGTERM or SIGHUP outside main()'s own handling of them (flows.interrupts). Once the command's work is
    done (flows.interrupts.work_finished: main() has its status and restores the handlers, then the exit handlers
    run, such as Prefect's sending of its last events from threading's shutdown): flush, then end at once with that
    status. Python's own handling would raise KeyboardInterrupt there (a traceback) or end the process by the
    signal, without a line. Before: as Python's own (KeyboardInterrupt for SIGINT, the end by the signal)."""
    status = finished_status() if _exit_status is None else _exit_status
    if status is not None:
        os._exit(_flushed(status))
    if signum == signal.SIGINT:
        signal.default_int_handler(signum, frame)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _end_now() -> None:
    """The last exit handler of `plandata` (command): flush, then end with main()'s status; with 120 instead of 0
    when what was printed could not all be written (a full disk, a pipe whose reader has gone), as Python does."""
    if _exit_status is None:
        return
    logging.shutdown()
    os._exit(_flushed(_exit_status))


def _flushed(status: int) -> int:
    """status after flushing the standard streams: EXIT_UNFLUSHED instead of 0 when they cannot be written."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the descriptor closed
            continue
        try:
            stream.flush()
        except OSError:  # cannot be written
            status = status or EXIT_UNFLUSHED
        except (ValueError, RuntimeError):  # closed already, or being written by what a signal interrupted
            pass
    return status
