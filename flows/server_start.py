"""What a start of a Prefect server needs, whichever server it is (flows.server starts them): PREFECT_HOME made and
its start lock held, the started process polled until it answers or ends (`ServerStartError`, one line saying what
failed and what to try), and the prepared-database marker that lets a start skip set-up it has done before.

- Starts are serialised per PREFECT_HOME by a file lock (`START_LOCK`, `start_lock`), held until the server answers
  (by the server too, which inherits it): two processes starting at once, or one starting after another was killed
  while starting, must not migrate one SQLite database together.
- `wait_until_healthy` polls the server's health check, notices at once when its process exits (saying the exception
  it ended with, or the signal that stopped it) and gives up after the startup timeout (`startup_timeout`).
- A start with the database and block types already set up skips Prefect's migration check and block-type
  registration (`SKIP_SET_UP`; about 1 CPU s of the server's start, mostly importing the prefect-dask collection and
  hashing the block registry): only when the marker `READY_MARKER` in PREFECT_HOME, written after a start that did
  both (`mark_prepared`), names the same Prefect version, database, collections and the schema revision and
  block-type count the database itself holds now (`prepared_database`). A new, replaced, older or unreadable
  database, a Prefect upgrade or another collection gets the full start, and a new marker.

Prefect and httpx are imported inside the functions: `plandata --help` imports this module.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from flows.signals import signal_name

if TYPE_CHECKING:
    import httpx

START_LOCK = "plandata-server-start.lock"  # in PREFECT_HOME
READY_MARKER = "plandata-server-ready.json"  # in PREFECT_HOME: what a full start set up (see prepared_database)
SQLITE_PREFIX = "sqlite+aiosqlite:///"
# Prefect's settings that make its server skip the migration check and block-type registration on start
# (prefect/settings/models/server/database.py and root.py of Prefect 3.9.1); memoisation off, since its check
# itself loads the collections and hashes the block registry, which is the cost skipped.
SKIP_SET_UP = {
    "PREFECT_API_DATABASE_MIGRATE_ON_START": "false",
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}
OWN_SERVER = "or run `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"
SLOW_ADVICE = (
    "try again when the machine is less busy, allow more time with "
    f"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=600, {OWN_SERVER}"
)


class ServerStartError(RuntimeError):
    """No Prefect server could be started or reached; the message is one line: what failed, what to try."""


def startup_timeout() -> float:
    """Seconds to wait for a server to start: PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS."""
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    return float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())


def prefect_home() -> Path:
    """PREFECT_HOME as an absolute, resolved path (the package resolves the variable at import:
    flows.set_env_defaults), so that the server, started in it, finds its database where the commands do, and a
    home reached through a symbolic link is the same home (one state file, one server)."""
    from prefect.settings import PREFECT_HOME

    return Path(os.path.realpath(Path(PREFECT_HOME.value()).expanduser()))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def writable_home() -> Path:
    """PREFECT_HOME, created if missing; raises ServerStartError when it cannot be."""
    home = prefect_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServerStartError(
            f"cannot keep Prefect's database in PREFECT_HOME={home} ({exc.strerror or exc}): "
            "set PREFECT_HOME to a writable folder"
        ) from exc
    return home


@contextmanager
def start_lock(timeout: float) -> Iterator[int]:
    """Hold PREFECT_HOME's start lock (waiting up to timeout seconds for another process to release it); yields
    the lock file's descriptor, which a started server inherits to hold the lock until it answers.

    Raises ServerStartError when PREFECT_HOME cannot be created or the lock is not released in time.
    """
    home = writable_home()
    try:
        handle = open(home / START_LOCK, "ab")  # closed below, which releases the lock
    except OSError as exc:
        raise ServerStartError(
            f"cannot keep Prefect's database in PREFECT_HOME={home} ({exc.strerror or exc}): "
            "set PREFECT_HOME to a writable folder"
        ) from exc
    with handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ServerStartError(
                        f"another process has been starting a Prefect server in {home} for over {timeout:.0f} s; "
                        + SLOW_ADVICE
                    ) from None
                time.sleep(0.2)
        # released by closing the handle, not unlocked: a server started under it shares the lock (an inherited
        # descriptor) and holds it until it answers, also when this process leaves early (Ctrl-C)
        yield handle.fileno()


def answers(api_url: str, timeout: float = 2.0, client: httpx.Client | None = None) -> bool:
    """Whether the Prefect API at api_url answers its health check (through client when given: a poll loop
    keeps one, since each new client costs about 20 ms of CPU setting up its TLS context)."""
    import httpx

    try:
        if client is not None:
            return client.get(f"{api_url}/health", timeout=timeout).status_code == 200
        return httpx.get(f"{api_url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _cause(output: IO[bytes] | None) -> str:
    """The last exception line a server wrote (`Module.Error: message`), else its last line; "" without output."""
    if output is None:
        return ""
    output.seek(0)
    lines = [line.rstrip() for line in output.read().decode("utf-8", "replace").splitlines() if line.strip()]
    exceptions = [line for line in lines if not line[0].isspace() and ("Error: " in line or "Exception: " in line)]
    return (exceptions or lines or [""])[-1].strip()[:300]


def wait_until_healthy(
    api_url: str, process: subprocess.Popen[bytes], timeout: float, name: str, output: IO[bytes] | None = None
) -> None:
    """Poll api_url/health until it answers; raise ServerStartError when the process exits or the time is up.

    output is the file the process writes to, if any: the exception it ends with goes into the error.
    """
    import httpx

    with httpx.Client() as client:
        _poll(api_url, process, timeout, name, output, client)


def _poll(api_url: str, process: subprocess.Popen[bytes], timeout: float, name: str, output: IO[bytes] | None,
          client: httpx.Client) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None and process.returncode < 0:  # ended by a signal: not a damaged home
            raise ServerStartError(
                f"{name} was stopped ({signal_name(-process.returncode)}) while starting, by "
                "`python -m flows.server --stop` or another process; run the command again"
            )
        if process.poll() is not None:
            said = _cause(output)
            detail = f": {said}" if said else ""
            raise ServerStartError(
                f"{name} exited with code {process.returncode} while starting{detail}; check that "
                f"PREFECT_HOME={prefect_home()} is writable and not damaged, {OWN_SERVER}"
            )
        if answers(api_url, client=client):
            return
        time.sleep(0.2)
    raise ServerStartError(
        f"{name} did not answer within {timeout:.0f} s (a first start sets up its database in "
        f"PREFECT_HOME={prefect_home()}); {SLOW_ADVICE}"
    )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _sqlite_path(connection_url: str) -> Path | None:
    """The file of a SQLite database URL (`sqlite+aiosqlite:///PATH`, no query); None for any other database."""
    if not connection_url.startswith(SQLITE_PREFIX) or "?" in connection_url or ":memory:" in connection_url:
        return None
    return Path(connection_url[len(SQLITE_PREFIX):])


def database_state() -> dict[str, object] | None:
    """What Prefect's database holds now and what set it up: Prefect's version, the database URL (without
    secrets: SQLite only), the installed Prefect collections (they bring block types), the schema's Alembic
    revision and the number of block types; None when the database is not a SQLite file that opens
    read-only and has both tables (new, missing, damaged, or another kind of database)."""
    import sqlite3
    from importlib.metadata import entry_points

    import prefect
    from prefect.settings import get_current_settings

    url = get_current_settings().server.database.connection_url
    path = _sqlite_path(url.get_secret_value() if url is not None else "")
    if path is None or not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:  # never creates the file
            revisions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
            (block_types,) = connection.execute("SELECT count(*) FROM block_type").fetchone()
    except sqlite3.Error:
        return None
    collections = sorted(f"{point.name}={point.dist.version if point.dist else ''}"
                         for point in entry_points(group="prefect.collections"))
    return {"prefect": prefect.__version__, "database": str(path), "collections": collections,
            "revisions": sorted(revisions), "block_types": block_types}


def prepared_database() -> bool:
    """Whether a start may skip the migration check and block-type registration: the marker written after a
    full start (`mark_prepared`) equals the database's state now, with at least one revision and block type."""
    state = database_state()
    if state is None or not state["revisions"] or not state["block_types"]:
        return False
    try:
        marker = json.loads((prefect_home() / READY_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker == state


def mark_prepared() -> None:
    """After a full start: record the database's state in PREFECT_HOME's marker (removed when unreadable)."""
    marker = prefect_home() / READY_MARKER
    state = database_state()
    try:
        if state is None:
            marker.unlink(missing_ok=True)
        else:
            marker.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
    except OSError:  # a read-only PREFECT_HOME: the next start is a full one, as without the marker
        pass
