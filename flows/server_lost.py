"""A command whose Prefect server stops answering while it runs (`python -m flows.server --stop`, the server killed,
PREFECT_API_URL's server gone) ends with one line and exit status 3 (`lost_server`, used by flows.cli), not httpx's
traceback: Prefect's log records about it are dropped (`QuietWhenLost`, put on by flows.server.ensure_api) and so are
the events and logs still to send (`drop_unsent`), which Prefect would otherwise try one by one at exit.
"""

from __future__ import annotations

import logging
import os
import sys

from flows.server_start import answers
from flows.shared_state import REUSE_CHECK_SECONDS


def lost_server(exc: BaseException) -> str | None:
    """One line for a command whose Prefect server stopped answering while it ran (`python -m flows.server --stop`,
    the server killed, PREFECT_API_URL's server gone): what happened and what to try, when exc is (or was caused
    by) httpx's connection failure or timeout; None for any other error."""
    httpx = sys.modules.get("httpx")  # not imported: no request was made
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if httpx is not None and isinstance(cause, httpx.TransportError):  # connection failures, time-outs
            url = os.environ.get("PREFECT_API_URL")
            if not url or answers(url):  # not our server's failure
                return None
            said = str(cause) or type(cause).__name__
            return (f"Prefect's server at {url} stopped answering while the command ran ({said}; stopped with "
                    "`python -m flows.server --stop`, or ended): the documents committed before are kept; "
                    "run the command again")
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


class QuietWhenLost(logging.Filter):
    """Drops the warnings and errors of Prefect's loggers (and flows.runs) once the API at url no longer answers:
    a server stopped while the command runs ends it with lost_server's one line, not with Prefect's retries,
    event-client warnings and tracebacks. The first such record checks the API (a health request); the records
    before any failure, and all of them while it answers, pass."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url, self.lost = url, False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or not record.name.startswith(("prefect", "flows.runs")):
            return True
        if not self.lost and not answers(self.url, timeout=REUSE_CHECK_SECONDS):
            self.lost = True
            logging.raiseExceptions = False  # Prefect's log shipping writes "--- Error logging to API ---" otherwise
        return not self.lost


def drop_unsent() -> None:
    """When the server is gone: empty the queues of Prefect's services that send to it (events, logs), so that the
    process ends at once instead of trying each queued item at exit, seconds apiece (minutes after an archive).
    Uses Prefect 3.9.1's _QueueServiceBase; does nothing when Prefect did not start such services."""
    import queue

    services = sys.modules.get("prefect._internal.concurrency.services")
    base = getattr(services, "_QueueServiceBase", None)
    instances = list(getattr(base, "_instances", {}).values()) + list(getattr(services, "_active_services", []))
    for instance in instances:
        pending = getattr(instance, "_queue", None)
        while pending is not None:
            try:
                pending.get_nowait()
            except queue.Empty:
                break
            pending.task_done()


def quiet_when_lost(url: str) -> None:
    """Put a QuietWhenLost(url) on the handlers that show Prefect's logs (the root's and prefect._internal's)."""
    quiet = QuietWhenLost(url)
    for name in (None, "prefect._internal"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(each, QuietWhenLost) for each in handler.filters):
                handler.addFilter(quiet)
