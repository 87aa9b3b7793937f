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
- Starts are serialised per PREFECT_HOME by a file lock held until the server answers, and a start whose database
  is already set up skips Prefect's migration check and block-type registration: flows.server_start (with
  `ServerStartError` and the wait for a started server to answer).
- A command whose server stops answering while it runs ends with one line and exit status 3: flows.server_lost.
- `scheduling_server` starts `prefect server start` (it schedules served deployments, which the
  temporary server does not) with the same timeout, lock and error.

Prefect and httpx are imported inside the functions: `plandata --help` imports this module.
"""

from __future__ import annotations

from flows.signals import early_handlers

_EARLY = early_handlers() if __name__ == "__main__" else {}  # `python -m flows.server`: until main's handling

import json  # noqa: E402 (the imports below run with flows.signals.early_exit installed)
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

from flows.server_lost import quiet_when_lost  # noqa: E402
from flows.server_start import (  # noqa: E402
    SKIP_SET_UP,
    ServerStartError,
    answers,
    free_port,
    mark_prepared,
    prefect_home,
    prepared_database,
    start_lock,
    startup_timeout,
    stop_process,
    wait_until_healthy,
    writable_home,
)
from flows.shared_state import (  # noqa: E402
    IDLE_SECONDS,
    IDLE_VARIABLE,
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

CONFIGURED_CHECK_SECONDS = 10.0  # a server at PREFECT_API_URL must answer within this

_shared: list[subprocess.Popen[bytes]] = []  # the shared servers this process started


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
            stop_process(process)
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
    home = writable_home()
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
            stop_process(process)
            raise
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        stop_process(process)


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
