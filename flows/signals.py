"""A signal in the first fraction of a second of a command, while its modules import: one line, 128 + its number.

Imported before anything heavy (only os and signal): `plandata` (flows.cli) and `python -m flows.server` install
early_exit while they import, then their own handling (flows.interrupts for the commands). signal_name names a
signal for the lines that say one ended a process (the server's start, an extraction process).
"""

from __future__ import annotations

import os
import signal


def early_exit(signum: int, frame: object) -> None:
    """A signal while a command imports (the first fraction of a second of a command): one line, 128 + its number,
    at once: nothing has run that needs ending (no traceback from the middle of an import)."""
    os.write(2, f"plandata: interrupted ({signal.Signals(signum).name})\n".encode())
    os._exit(128 + signum)


def early_handlers() -> dict[int, object]:
    """Install early_exit for SIGINT, SIGTERM and SIGHUP while a command's imports run; the previous handlers,
    restored after them (none outside the main thread, where handlers cannot be set)."""
    previous: dict[int, object] = {}
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        try:
            handler = signal.getsignal(number)
            if handler is not signal.SIG_IGN:  # ignored (say nohup's SIGHUP): stays ignored
                previous[number] = signal.signal(number, early_exit)
        except ValueError:
            break
    return previous


def signal_name(number: int) -> str:
    """SIGTERM for 15; `signal 99` for a number without a name."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
