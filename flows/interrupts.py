"""Ctrl-C, SIGTERM and SIGHUP while a `plandata` command runs (after its imports: flows.signals before them): the
handler that stops the command at once (`interruptible`), and its one line on standard error with exit status
128 + the signal's number (`end_interrupted`), for the commands in INTERRUPTIBLE (ingest, archive, compare, report).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT): 128 + the signal's number, as a shell reports a command it ended
# (SIGTERM: 143, SIGHUP: 129, handled as Ctrl-C is: STOP_SIGNALS)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

INTERRUPTED = ("interrupted; the documents committed before stay in the datasets, and the same command again does "
               "the rest")
# What each interruptible command says after Ctrl-C: a comparison is committed whole (extractors.writers'
# write_derived_datasets), a report file is replaced whole (flows.compare).
INTERRUPTED_LINES = {
    "ingest": INTERRUPTED,
    "archive": INTERRUPTED,
    "compare": "interrupted; the comparison datasets are as before or all replaced (one commit), and the same "
               "command again compares",
    "report": "interrupted; each report file is the old one or the new one, whole, and the same command again writes "
              "them all",
}
INTERRUPTIBLE = tuple(INTERRUPTED_LINES)  # commands whose Ctrl-C ends in one line and EXIT_INTERRUPTED


def interrupted_line(command: str, signum: int) -> str:
    """What an interruptible command (INTERRUPTIBLE) says when signum ended it: its INTERRUPTED_LINES line for Ctrl-C,
    naming any other signal (`stopped by SIGTERM; ...`)."""
    line = INTERRUPTED_LINES[command]
    if signum == signal.SIGINT:
        return line
    return line.replace("interrupted", f"stopped by {signal.Signals(signum).name}", 1)


_finished: list[int] = []  # the status of the command whose work is done (work_finished), while it ends


def work_finished(status: int | None) -> None:
    """The command's work is done with status (flows.cli.main; None: a command starts). From then on a stop signal
    ends nothing more: Interrupt's handler no longer raises (the command ends with status), and the `plandata`
    executable's handler ends the process at once with status (flows.entry)."""
    _finished[:] = [] if status is None else [status]


def finished_status() -> int | None:
    """The status work_finished gave, or None while the command's work goes on."""
    return _finished[0] if _finished else None


def _budget(name: str) -> Callable[[], None] | None:
    """flows.budget's function name, when that module is imported (by then when any extraction process runs; not by
    compare): None while it is still being imported (the signal came during its import, before it defined name and
    before it could start any extraction process)."""
    function = getattr(sys.modules.get("flows.budget"), name, None)
    return function if callable(function) else None


class Interrupt:
    """Ctrl-C during an interruptible command (on_interrupt, the SIGINT handler while it runs)."""

    def __init__(self) -> None:
        self.seen = False
        self.signum = signal.SIGINT

    def on_interrupt(self, signum: int, frame: FrameType | None) -> None:
        """Kill the extraction processes now (flows.budget.interrupt: the shutdown then waits for none of them),
        silence the libraries' logs (Prefect's 'Crash detected!', Dask's closing workers: the command says one line),
        then raise KeyboardInterrupt in the main thread, once: a second Ctrl-C only kills again. Documents committed
        (and a comparison) stay committed: a commit is atomic whatever moment it is stopped at (extractors.journal).
        Once the command's work is done (work_finished), the signal is let go: the command ends with its status."""
        if finished_status() is not None:
            return
        interrupt = _budget("interrupt")
        if interrupt is not None:
            interrupt()
        if self.seen:
            return
        self.seen, self.signum = True, signum
        logging.disable(logging.CRITICAL)
        raise KeyboardInterrupt


class _NoTerminationCrash(logging.Filter):
    """Drops Prefect's "Crash detected! Execution was aborted by a termination signal." (its flow engine turns SIGTERM
    into an exception, logs that, then passes the signal on to Interrupt's handler): the command says one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "aborted by a termination signal" not in record.getMessage()


TERMINATION_CRASH = _NoTerminationCrash()
# the loggers of Prefect's run engines: a run's, and the engine's own before the run has one (prefect.engine)
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs", "prefect.engine")


def _unreported_interrupt(interrupt: Interrupt, report: Callable[[Any], object]) -> Callable[[Any], object]:
    """A sys.unraisablehook that drops interrupt's own KeyboardInterrupt when Python could not raise it (the signal
    came while a gc callback, a __del__ or a weakref callback ran: Python prints "Exception ignored in ..." with a
    traceback and goes on; the command still ends in its one line, seeing interrupt.seen). Every other unraisable
    exception goes to report, the hook before."""

    def hook(unraisable: Any) -> None:
        if interrupt.seen and unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            return
        report(unraisable)

    return hook


@contextmanager
def interruptible() -> Iterator[Interrupt]:
    """The block runs with Interrupt's handler of SIGINT, SIGTERM and SIGHUP (the main thread's: signals are
    delivered there); an ignored signal (nohup's SIGHUP) stays ignored. A KeyboardInterrupt that Python could not
    raise is not printed (_unreported_interrupt)."""
    interrupt = Interrupt()
    previous = {number: signal.signal(number, interrupt.on_interrupt) for number in STOP_SIGNALS
                if signal.getsignal(number) is not signal.SIG_IGN}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _unreported_interrupt(interrupt, previous_hook)
    for name in RUN_LOGGERS:
        logging.getLogger(name).addFilter(TERMINATION_CRASH)
    try:
        yield interrupt
    finally:
        for name in RUN_LOGGERS:
            logging.getLogger(name).removeFilter(TERMINATION_CRASH)
        sys.unraisablehook = previous_hook
        for number, handler in previous.items():
            signal.signal(number, handler)


def end_interrupted(command: str, interrupt: Interrupt) -> int:
    """End a command that interrupt stopped: ignore the stop signals from now on (the line and the exit, whatever
    Ctrl-C or signal comes now), stop the extraction processes at once, print the command's one line on standard
    error; returns the exit status, 128 + the signal's number."""
    for number in STOP_SIGNALS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, signal.SIG_IGN)
    from flows.console import consoles

    stop, end_interrupt = _budget("stop"), _budget("end_interrupt")
    if stop is not None and end_interrupt is not None:
        stop()  # at once (flows.budget.interrupt): before the line, not at the interpreter's exit
        end_interrupt()
    logging.disable(logging.NOTSET)
    consoles()[1].print(f"plandata {command}: {interrupted_line(command, interrupt.signum)}", markup=False,
                        soft_wrap=True)
    return 128 + interrupt.signum


def main_thread() -> bool:
    """Whether this is the main thread, the only one that may set a signal handler (a test may call main elsewhere)."""
    return threading.current_thread() is threading.main_thread()
