"""The Prefect server the flows report to, started so that a first (cold) start on a busy machine succeeds.

Without PREFECT_API_URL, Prefect starts a temporary server (uvicorn in a subprocess) at the first flow
run. Its first start in a new PREFECT_HOME creates and migrates the SQLite database and registers the
block types, which takes tens of seconds on a busy 2-core machine, while Prefect waits only
PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS (20 s unless set; `flows` sets a generous default)
and then raises a RuntimeError with a traceback. So the commands start it here, before any flow runs:

- `ensure_api` starts that same temporary server (without importing Prefect's server application in this
  process) and points PREFECT_API_URL at it, so the flows use it; it waits up to the startup timeout,
  notices at once when the server process exits, and raises `ServerStartError`, one line saying what
  failed and what to try, instead of a traceback.
- Starts are serialised per PREFECT_HOME by a file lock (`START_LOCK`), held until the server answers:
  two processes starting at once must not migrate one SQLite database together.
- A start with the database and block types already set up skips Prefect's migration check and block-type
  registration (about 1 CPU s of the server's start, mostly importing the prefect-dask collection and
  hashing the block registry): only when the marker `READY_MARKER` in PREFECT_HOME, written after a
  start that did both, names the same Prefect version, database, collections and the schema revision and
  block-type count the database itself holds now (`prepared_database`). A new, replaced, older or
  unreadable database, a Prefect upgrade or another collection gets the full start, and a new marker.
- `scheduling_server` starts `prefect server start` (it schedules served deployments, which the
  temporary server does not) with the same timeout, lock and error.

Prefect and httpx are imported inside the functions: `plandata --help` imports this module.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

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
CONFIGURED_CHECK_SECONDS = 10.0  # a server at PREFECT_API_URL must answer within this
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
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()).expanduser()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def start_lock(timeout: float) -> Iterator[None]:
    """Hold PREFECT_HOME's start lock (waiting up to timeout seconds for another process to release it).

    Raises ServerStartError when PREFECT_HOME cannot be created or the lock is not released in time.
    """
    home = prefect_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
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
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


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


def _stop(process: subprocess.Popen[bytes]) -> None:
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


def _start_temporary_server(timeout: float) -> str:
    """Start Prefect's temporary server as its SubprocessASGIServer.start would, with its output in a temporary
    file; return its API URL once it answers (the server is stopped when this process exits).

    The command and environment are those of SubprocessASGIServer._run_uvicorn_command (Prefect 3.9.1), but
    `prefect.server.api.server` is not imported here: that import (the whole server application, about 2.4 CPU s
    and 85 MB) served only to launch the child. The output goes to a file so that a failed start ends with our
    one line, not the server's traceback. With a prepared database (`prepared_database`) the server skips its
    migration check and block-type registration; after a full start the marker is written.
    """
    import prefect
    from prefect.settings import get_current_settings

    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
        "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ]
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
        # its output goes to a file that only our one line quotes: errors in, so that the line can say why
        "PREFECT_SERVER_LOGGING_LEVEL": "ERROR",
    }
    prepared = prepared_database()
    if prepared:
        env.update(SKIP_SET_UP)
    output = tempfile.TemporaryFile()  # lives as long as the server
    process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    atexit.register(_stop, process)
    atexit.register(output.close)
    try:
        wait_until_healthy(api_url, process, timeout, "Prefect's temporary server", output)
    except BaseException:
        _stop(process)
        raise
    if not prepared:
        mark_prepared()
    return api_url


def _use_api(api_url: str) -> None:
    """Point this process's Prefect settings (and the processes it starts: extraction workers, Dask) at api_url."""
    from prefect.context import refresh_global_settings_context

    os.environ["PREFECT_API_URL"] = api_url
    refresh_global_settings_context()


def ensure_api(timeout: float | None = None) -> str:
    """The URL of the Prefect API the flows of this process will use, answering; call before running flows.

    PREFECT_API_URL when set (it must answer within CONFIGURED_CHECK_SECONDS); otherwise Prefect's temporary
    server, started now under PREFECT_HOME's start lock and given timeout seconds (default: the startup
    timeout setting) to answer; PREFECT_API_URL is then set to it for this process and its children.
    Raises ServerStartError.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    configured = PREFECT_API_URL.value()
    if configured:
        if not answers(str(configured), CONFIGURED_CHECK_SECONDS):
            raise ServerStartError(
                f"no Prefect server answers at PREFECT_API_URL={configured}: start it (`prefect server start`) "
                "or unset PREFECT_API_URL to use a temporary local one"
            )
        return str(configured)
    if not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        raise ServerStartError(
            "PREFECT_API_URL is not set and Prefect's temporary server is disabled "
            "(PREFECT_SERVER_EPHEMERAL_ENABLED=false): set one of them"
        )
    timeout = startup_timeout() if timeout is None else timeout
    with start_lock(timeout):
        api_url = _start_temporary_server(timeout)
    _use_api(api_url)
    return api_url


@contextmanager
def scheduling_server(timeout: float | None = None) -> Iterator[str]:
    """Yield the API URL to serve against: PREFECT_API_URL, or a local `prefect server start` run for the purpose.

    The local server runs with the temporary server's start lock and timeout; raises ServerStartError.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield str(configured)
        return
    timeout = startup_timeout() if timeout is None else timeout
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port),
               "--no-ui", "--analytics-off", "--log-level", "WARNING"]
    with start_lock(timeout):
        process = subprocess.Popen(command)
        try:
            wait_until_healthy(api_url, process, timeout, "the local Prefect server")
        except BaseException:
            _stop(process)
            raise
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        _stop(process)


def main() -> int:
    """`python -m flows.server`: start Prefect's temporary server once and stop it (what `make run` warms up with).

    A first start creates and migrates the database in PREFECT_HOME, so the commands that follow start fast.
    """
    started = time.monotonic()
    try:
        api_url = ensure_api()
    except ServerStartError as exc:
        print(f"plandata: error: {exc}", file=sys.stderr)
        return 3
    print(f"Prefect answers at {api_url} after {time.monotonic() - started:.0f} s (state in {prefect_home()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
