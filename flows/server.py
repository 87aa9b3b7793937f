"""The Prefect server the flows report to, started so that a first (cold) start on a busy machine succeeds.

Without PREFECT_API_URL, Prefect starts a temporary server (uvicorn in a subprocess) at the first flow
run. Its first start in a new PREFECT_HOME creates and migrates the SQLite database and registers the
block types, which takes tens of seconds on a busy 2-core machine, while Prefect waits only
PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS (20 s unless set; `flows` sets a generous default)
and then raises a RuntimeError with a traceback. So the commands start it here, before any flow runs:

- `ensure_api` starts that same temporary server (without importing Prefect's server application in this
  process) and points PREFECT_API_URL at it, so the flows use it; it waits up to the startup timeout,
  notices at once when the server process exits, and raises `ServerStartError`, one line saying what
  failed and what to try, instead of a traceback. The server is shared by the commands of a PREFECT_HOME
  and stops itself PLANDATA_SERVER_IDLE_SECONDS after the last of them ended (flows.shared_server: state
  file, leases, idle watch); a running one that matches is reused, which saves its start (about 5 CPU s).
- Starts are serialised per PREFECT_HOME by a file lock (`START_LOCK`), held until the server answers (by the
  server too, which inherits it and writes the state file itself): two processes starting at once, or one
  starting after another was killed while starting, must not migrate one SQLite database together.
- A command whose server stops answering while it runs (`--stop`, the server killed) ends with one line and exit
  status 3 (`lost_server`, used by flows.cli), not httpx's traceback: Prefect's log records about it are
  dropped (`QuietWhenLost`) and so are the events and logs still to send (`drop_unsent`), which Prefect would
  otherwise try one by one at exit.
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

from flows.signals import early_handlers

_EARLY = early_handlers() if __name__ == "__main__" else {}  # `python -m flows.server`: until main's handling

import fcntl  # noqa: E402 (the imports below run with flows.signals.early_exit installed)
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import closing, contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import IO, TYPE_CHECKING  # noqa: E402

from flows.shared_state import (  # noqa: E402
    IDLE_SECONDS,
    IDLE_VARIABLE,
    REUSE_CHECK_SECONDS,
    STATE_FILE,
    idle_seconds,
    process_start,
    read_state,
    reusable_server,
    server_identity,
    server_process,
    server_running,
    stop_server,
    take_lease,
    use_api,
    wait_for_state,
    write_state,
)

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


_shared: list[subprocess.Popen[bytes]] = []  # the shared servers this process started


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


def _home() -> Path:
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
    home = _home()
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
                f"{name} was stopped ({_signal_name(-process.returncode)}) while starting, by "
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


def _signal_name(number: int) -> str:
    """SIGTERM for 15; `signal 99` for a number without a name."""
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


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


def _server_env(home: Path) -> dict[str, str]:
    """The environment of SubprocessASGIServer._run_uvicorn_command (Prefect 3.9.1), errors-only logging, and a
    PYTHONPATH that finds this checkout's flows package (an installed one is found anyway)."""
    from prefect.settings import get_current_settings

    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
        # its output goes to a file that only our one line quotes: errors in, so that the line can say why
        "PREFECT_SERVER_LOGGING_LEVEL": "ERROR",
        "PREFECT_HOME": str(home),
    }
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(checkout), env.get("PYTHONPATH")]))
    return env


def _start_temporary_server(timeout: float, home: Path, identity: dict[str, object], lock: int) -> str:
    """Start Prefect's temporary server, shared by this PREFECT_HOME's commands (flows.shared_server), with its
    output in a temporary file; return its API URL once it answers. Call under the start lock (lock: its
    descriptor).

    The server writes the state file itself as it starts and holds the start lock (an inherited descriptor) until
    it answers, so that when this command is killed while waiting, the next command waits for that server and
    reuses it: never a second server on the same database. A server that a state file still names for this
    database (one that does not answer, or of another Python or Prefect) is stopped first, for the same reason.

    The server is uvicorn as SubprocessASGIServer._run_uvicorn_command runs it (Prefect 3.9.1), inside
    `python -m flows.shared_server`, which stops it PLANDATA_SERVER_IDLE_SECONDS after the last command using it
    ended, in a session of its own (Ctrl-C in a terminal does not reach it). `prefect.server.api.server` is not
    imported here: that import (the whole server application, about 2.4 CPU s and 85 MB) served only to launch
    the child. The output goes to a file so that a failed start ends with our one line, not the server's
    traceback. With a prepared database (`prepared_database`) the server skips its migration check and
    block-type registration; after a full start the marker is written. Raises ServerStartError.
    """
    import prefect

    idle = _idle_seconds()
    previous = read_state(home) or {}
    if previous.get("database") == identity["database"] and server_process(previous) is not None:
        stop_server(home)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    command = [
        sys.executable, "-m", "flows.shared_server", "--home", str(home), "--idle", str(idle),
        "--state", json.dumps({"url": api_url, **identity}), "--start-lock", str(lock), "--",
        "--app-dir", str(prefect.__module_path__.parent),
        "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ]
    env = _server_env(home)
    prepared = prepared_database()
    if prepared:
        env.update(SKIP_SET_UP)
    with tempfile.TemporaryFile() as output:  # the server keeps its own descriptor of it
        process = subprocess.Popen(command, env=env, cwd=home, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True, pass_fds=(lock,))
        try:
            wait_until_healthy(api_url, process, timeout, "Prefect's temporary server", output)
            state = read_state(home) or {}
            if state.get("pid") != process.pid or state.get("url") != api_url:  # it could not write it
                write_state(home, {"url": api_url, "pid": process.pid, "started": process_start(process.pid),
                                   **identity})
            _shared.append(process)  # it outlives this process: kept, so that no warning says it still runs
        except KeyboardInterrupt:  # Ctrl-C: left to start (it holds the start lock and wrote the state file), so
            # that the command ends at once; the next command reuses it, or it stops by itself when unused
            _shared.append(process)
            raise
        except BaseException:
            _stop(process)
            if (read_state(home) or {}).get("pid") == process.pid:
                (home / STATE_FILE).unlink(missing_ok=True)
            raise
    if not prepared:
        mark_prepared()
    return api_url


def _running_server(home: Path, identity: dict[str, object]) -> str | None:
    """The URL of home's running shared server when its state file was missing (removed while it ran: it writes it
    again) and it matches identity; None when no server runs, or one for this database that does not match
    (`_start_temporary_server` stops it). Call under the start lock. Raises ServerStartError when a server holds
    home's life lock but names no state, or another database: a second server would share its home."""
    if not server_running(home):
        return None
    state = wait_for_state(home)
    if state is None:
        raise ServerStartError(
            f"a shared Prefect server runs in PREFECT_HOME={home} but has not written its state file "
            f"({STATE_FILE}); wait for it to stop ({IDLE_VARIABLE} seconds after its last command) or end it"
        )
    if state.get("database") != identity["database"]:
        raise ServerStartError(
            f"a shared Prefect server for another database runs in PREFECT_HOME={home} (process {state.get('pid')}); "
            "stop it with `python -m flows.server --stop` or use another PREFECT_HOME"
        )
    return reusable_server(home, identity)


def _idle_seconds() -> float:
    """PLANDATA_SERVER_IDLE_SECONDS; raises ServerStartError, one line, for a value that is not 0 or more seconds."""
    try:
        return idle_seconds()
    except ValueError as exc:
        raise ServerStartError(f"{exc}; unset it for the default of {IDLE_SECONDS:.0f} s") from None


def ensure_api(timeout: float | None = None) -> str:
    """The URL of the Prefect API the flows of this process will use, answering; call before running flows.

    PREFECT_API_URL when set (it must answer within CONFIGURED_CHECK_SECONDS; nothing else is changed then
    but QuietWhenLost on the log handlers);
    otherwise PREFECT_HOME's shared temporary server (flows.shared_server): this process takes a lease on it
    for its lifetime, reuses the running one when its state file matches this process and it answers, and
    else starts one under PREFECT_HOME's start lock, given timeout seconds (default: the startup timeout
    setting) to answer. PREFECT_API_URL is then set to it for this process and its children.
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
        quiet_when_lost(str(configured))
        return str(configured)
    if not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        raise ServerStartError(
            "PREFECT_API_URL is not set and Prefect's temporary server is disabled "
            "(PREFECT_SERVER_EPHEMERAL_ENABLED=false): set one of them"
        )
    _idle_seconds()  # checked by every command, not only by the one that starts the server
    timeout = startup_timeout() if timeout is None else timeout
    home = _home()
    try:
        take_lease(home)  # before the state file is read: the server cannot stop between reading and using it
    except OSError as exc:
        raise ServerStartError(f"cannot use PREFECT_HOME={home} ({exc.strerror or exc}): "
                               "set PREFECT_HOME to a writable folder") from exc
    identity = server_identity()
    api_url = reusable_server(home, identity)
    if api_url is None:
        with start_lock(timeout) as lock:
            # another command may have started one while this one waited for the lock
            api_url = (reusable_server(home, identity) or _running_server(home, identity)
                       or _start_temporary_server(timeout, home, identity, lock))
    use_api(api_url, home)
    quiet_when_lost(api_url)
    return api_url


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


def main(argv: list[str] | None = None) -> int:
    """`python -m flows.server [--stop]`: start PREFECT_HOME's shared temporary server, or reach the running one
    (what `make run` warms up with); it stops PLANDATA_SERVER_IDLE_SECONDS later unless commands use it.
    `--stop` stops the running one now (commands using it fail).

    A first start creates and migrates the database in PREFECT_HOME, so the commands that follow start fast.
    """
    import argparse
    import signal

    for number, handler in _EARLY.items():  # imported: Ctrl-C raises KeyboardInterrupt again (handled below)
        signal.signal(number, handler)  # type: ignore[arg-type]
    parser = argparse.ArgumentParser(prog="python -m flows.server", description=main.__doc__.splitlines()[0])
    parser.add_argument("--stop", action="store_true", help="stop PREFECT_HOME's shared server now")
    args = parser.parse_args(argv)
    if args.stop:
        pid = stop_server(prefect_home())
        print(f"stopped Prefect's shared server (process {pid})" if pid else "no shared Prefect server runs")
        return 0
    started = time.monotonic()
    try:
        api_url = ensure_api()
    except ServerStartError as exc:
        print(f"plandata: error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print(f"plandata: interrupted; a Prefect server it was starting goes on starting for the next command and "
              f"stops by itself when none has used it for {IDLE_VARIABLE} seconds "
              "(or now: `python -m flows.server --stop`)", file=sys.stderr)
        return 130
    print(f"Prefect answers at {api_url} after {time.monotonic() - started:.0f} s (state in {prefect_home()}; "
          f"it stops when no command has used it for {IDLE_VARIABLE} seconds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
