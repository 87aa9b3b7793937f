"""One temporary Prefect server shared by the plandata commands of a PREFECT_HOME, ending itself when unused.

Starting Prefect's temporary server costs about 5 CPU s (most of it importing Prefect's server application),
as much as a small document's extraction. So a server that plandata starts outlives the command that started
it and serves the next commands of the same PREFECT_HOME, the way build daemons do (Gradle's), until none has
used it for PLANDATA_SERVER_IDLE_SECONDS:

- **State file** (`STATE_FILE` in PREFECT_HOME): the running server's API URL, process id and start time,
  Prefect version, Python executable and a digest of its database URL, written by the server's process itself
  as it starts (so a server whose starting command was killed is still found). A command reuses the server only
  when all of these match its own, the process is still the server (`server_process`: its command line and
  start time, from /proc, not another program under a reused id) and it answers its health check within
  REUSE_CHECK_SECONDS (`reusable_server`); otherwise it starts a new one (flows.server), after stopping a server
  that the state file names for the same database.
- **Start lock** (flows.server.START_LOCK): the server inherits the starting command's descriptor of it and
  holds it until it answers (`hold_until_healthy`), so a command killed while starting it leaves the lock held:
  the next command waits for that server and reuses it, never starting a second one on the same database.
- **Leases** (`LEASE_FILE` in PREFECT_HOME): every command that uses the server holds a shared flock on the
  lease file from before it reads the state file until it exits (`take_lease`). The kernel releases a flock
  when its process ends, however it ends (kill -9 too).
- **Idle watch** (`main`, the server's process): a thread beside uvicorn tries a non-blocking exclusive flock
  on the lease file every POLL_SECONDS and releases it at once. When it could get it (no command holds a
  lease) at every try for PLANDATA_SERVER_IDLE_SECONDS, it removes the state file while still holding the
  exclusive lock (so no command can read it and then find the server gone) and stops uvicorn as SIGTERM does.
  0 stops the server as soon as the last command ends. A command waiting for a shared lease meanwhile gets
  it after the removal and starts a new server. When the watch itself fails (say the lease file cannot be
  opened), the server writes one line to its output and stops (`run_watch`): nothing else would stop it.
- **Life lock** (`LIFE_LOCK` in PREFECT_HOME): the server holds an exclusive flock on it from before it writes
  the state file until it ends (the kernel releases it however it ends), and writes the state file again within
  POLL_SECONDS when it is removed. A command that finds no usable state file but the lock held (`server_running`)
  waits for the state file (`wait_for_state`) rather than start a second server on the same database; a second
  server started anyway stops at once without taking over the state file.
- The server runs in a session of its own, so Ctrl-C in a command's terminal does not stop a server that
  other commands use.

This module imports Prefect only inside functions that the commands call: the server's process runs
`python -m flows.shared_server`.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import http.client
import json
import math
import os
import signal
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

STATE_FILE = "plandata-server.json"  # in PREFECT_HOME: the shared server (see reusable_server)
LEASE_FILE = "plandata-server.lease"  # in PREFECT_HOME: a shared flock per command using the server
LIFE_LOCK = "plandata-server.lock"  # in PREFECT_HOME: an exclusive flock the running server holds all its life
STATE_WAIT_SECONDS = 10.0  # how long a command waits for a running server to write its state file again
LOOPBACK_CA_FILE = "plandata-loopback-ca.pem"  # in PREFECT_HOME: see loopback_ca_file
PEM_BEGIN, PEM_END = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
IDLE_VARIABLE = "PLANDATA_SERVER_IDLE_SECONDS"
IDLE_SECONDS = 60.0  # default: an idle server costs about 13 ms of CPU a second, its start about 5 s
POLL_SECONDS = 0.5  # how often the idle watch tries the exclusive lock
REUSE_CHECK_SECONDS = 5.0  # a running server must answer its health check within this to be reused
STOP_GRACE_SECONDS = 30.0  # after this, a server that has not stopped on SIGTERM is killed

_leases: dict[Path, int] = {}  # PREFECT_HOME -> the lease file's descriptor, held until this process exits


def idle_seconds() -> float:
    """PLANDATA_SERVER_IDLE_SECONDS (default IDLE_SECONDS); raises ValueError for anything but a finite number of
    seconds, 0 or more (a negative, inf, nan or non-number)."""
    text = os.environ.get(IDLE_VARIABLE, "").strip()
    try:
        return _idle(text) if text else IDLE_SECONDS
    except ValueError:
        raise ValueError(f"{IDLE_VARIABLE}={text!r} is not a number of seconds, 0 or more") from None


def _idle(text: str) -> float:
    """text as seconds: a finite number, 0 or more (ValueError otherwise); `--idle`'s type too."""
    seconds = float(text)
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"not a finite number of seconds, 0 or more: {text!r}")
    return seconds


def take_lease(home: Path) -> None:
    """Hold a shared flock on home's lease file until this process exits (once per process and home).

    Blocks while an idle server holds the exclusive lock to remove its state file (a moment). The descriptor is
    not inherited by the programs this process starts (Python's default), so only this process holds it.
    Raises OSError when the lease file cannot be opened.
    """
    if home in _leases:
        return
    descriptor = os.open(home / LEASE_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    _leases[home] = descriptor


def database_digest(connection_url: str) -> str:
    """sha256 of the database URL: the state file names the database without holding its password. A SQLite file's
    path is resolved first (realpath), so that one database reached through a symbolic link has one digest."""
    prefix = "sqlite+aiosqlite:///"
    if connection_url.startswith(prefix) and "?" not in connection_url and ":memory:" not in connection_url:
        connection_url = prefix + os.path.realpath(connection_url[len(prefix):])
    return hashlib.sha256(connection_url.encode("utf-8")).hexdigest()


def server_running(home: Path) -> bool:
    """Whether a shared server of home runs: one holds home's life lock (LIFE_LOCK). False when the lock file
    cannot be opened (no home: no server)."""
    try:
        descriptor = os.open(home / LIFE_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)  # releases the lock if taken
    return False


def wait_for_state(home: Path, seconds: float = STATE_WAIT_SECONDS) -> dict[str, object] | None:
    """The state file of home's running server (its process alive), waiting up to seconds while a server holds the
    life lock but its state file is missing (removed: the server writes it again); None when none runs or it did
    not appear in time."""
    deadline = time.monotonic() + seconds
    while True:
        state = read_state(home)
        if state is not None and server_process(state) is not None:
            return state
        if not server_running(home) or time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def read_state(home: Path) -> dict[str, object] | None:
    """The state file's fields, or None when it is missing or unreadable."""
    try:
        state = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def write_state(home: Path, state: dict[str, object]) -> None:
    """Replace the state file at once (written beside it, then renamed), so no reader sees half of it."""
    partial = home / f"{STATE_FILE}.{os.getpid()}"
    partial.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, home / STATE_FILE)


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process under a reused id: not ours
        return False
    return True


def process_start(pid: int) -> int | None:
    """When process pid started (clock ticks after boot, /proc/PID/stat's 22nd field); None without /proc or
    such a process. A pid and its start time name one process: a reused pid has a later start."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return int(stat[stat.rindex(")") + 2:].split()[19])  # the fields after the command's name, from the 3rd
    except (OSError, ValueError, IndexError):
        return None


def _command_line(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return None


def server_process(state: dict[str, object]) -> int | None:
    """The process id of the shared server that state names when that process still runs: alive, and where /proc
    tells, running `flows.shared_server` and started when the state file says (a state file without the start
    time: the command alone); None otherwise, say for another program that got the id after the server ended."""
    pid = state.get("pid")
    if not _alive(pid):
        return None
    assert isinstance(pid, int)
    if not Path("/proc/self/stat").exists():  # no /proc (macOS): the id alone
        return pid
    command = _command_line(pid)
    if command is None or "flows.shared_server" not in command:
        return None
    started = state.get("started")
    if started is not None and process_start(pid) != started:
        return None
    return pid


def healthy(api_url: str, timeout: float = REUSE_CHECK_SECONDS) -> bool:
    """Whether a plain-http API at api_url answers GET api_url/health with 200 within timeout seconds.

    http.client, not httpx: an httpx client loads the CA bundle (about 20 ms of CPU) for a loopback request.
    """
    parts = urlsplit(api_url)
    if parts.scheme != "http" or not parts.hostname or not parts.port:
        return False
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", f"{parts.path}/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def reusable_server(home: Path, expected: dict[str, object]) -> str | None:
    """The API URL of home's shared server when its state file names expected's Prefect version, Python
    executable and database, its process is alive and it answers within REUSE_CHECK_SECONDS; else None.

    expected: server_identity()'s fields (Prefect version, Python executable and environment, database digest).
    Call with a lease.
    """
    state = read_state(home)
    if state is None or any(state.get(key) != value for key, value in expected.items()):
        return None
    api_url = state.get("url")
    if not isinstance(api_url, str) or server_process(state) is None:
        return None
    return api_url if healthy(api_url) else None


def stop_server(home: Path, timeout: float = STOP_GRACE_SECONDS) -> int | None:
    """Stop home's shared server now (SIGTERM to the process its state file names, when that is still the server:
    `server_process`; it removes the state file); return its process id, or None when none runs. Commands using
    it fail (with one line, flows.server.lost_server): for benchmarks and tests."""
    state = read_state(home) or {}
    pid = server_process(state)
    if pid is None and server_running(home):  # its state file removed: the server writes it again at once
        state = wait_for_state(home) or state
        pid = server_process(state)
    if pid is None:
        if read_state(home) == state:
            (home / STATE_FILE).unlink(missing_ok=True)
        return None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while server_process(state) == pid and time.monotonic() < deadline:
        time.sleep(0.1)
    if server_process(state) == pid:  # still running after the grace time: killed
        os.kill(pid, signal.SIGKILL)
    if read_state(home) == state:  # uvicorn ends on SIGTERM without the idle watch's removal
        (home / STATE_FILE).unlink(missing_ok=True)
    return pid


def loopback_ca_file(home: Path) -> Path:
    """A CA file of one certificate (the first of certifi's bundle), written once in home: what Prefect's
    clients load instead of a whole CA bundle when the API is our own plain-http loopback server.

    Each Prefect client builds an SSL context at creation (prefect/client/orchestration/__init__.py of
    Prefect 3.9.1) from PREFECT_API_SSL_CERT_FILE (default: SSL_CERT_FILE) or else certifi's bundle, about
    20 ms of CPU per context,
    and every task run in a Dask worker thread creates a client. No TLS connection is ever made to an
    http:// server, so the certificate is never used; one certificate makes the context take well under a
    millisecond. (PREFECT_API_TLS_INSECURE_SKIP_VERIFY is no cheaper: its ssl.create_default_context() loads
    the system's CA bundle.) Raises OSError when home is not writable.
    """
    path = home / LOOPBACK_CA_FILE
    if path.is_file() and path.stat().st_size:
        return path
    import certifi

    bundle = Path(certifi.where()).read_text(encoding="ascii", errors="replace")
    end = bundle.index(PEM_END) + len(PEM_END)
    first = bundle[bundle.index(PEM_BEGIN):end] + "\n"
    partial = home / f"{LOOPBACK_CA_FILE}.{os.getpid()}"
    partial.write_text(first, encoding="ascii")
    os.replace(partial, path)
    return path


def server_identity() -> dict[str, object]:
    """What a shared server must have been started with to serve this process: the state file's Prefect
    version, Python executable and database digest (see reusable_server)."""
    import prefect
    from prefect.settings import get_current_settings

    url = get_current_settings().server.database.connection_url
    # resolved: one environment reached through a link (`python` or `python3`, a linked venv) is one identity
    return {"prefect": prefect.__version__, "python": os.path.realpath(sys.executable),
            "environment": os.path.realpath(sys.prefix),
            "database": database_digest(url.get_secret_value() if url is not None else "")}


def use_api(api_url: str, home: Path | None = None) -> None:
    """Point this process's Prefect settings (and the processes it starts: extraction workers, Dask) at api_url;
    home given when it is our own plain-http loopback server (see loopback_ca_file)."""
    from prefect.settings import PREFECT_API_SSL_CERT_FILE, PREFECT_API_TLS_INSECURE_SKIP_VERIFY
    from prefect.context import refresh_global_settings_context

    os.environ["PREFECT_API_URL"] = api_url
    # Only for the server this module started on 127.0.0.1 over http, never for a PREFECT_API_URL the user
    # set (whose certificates must be checked), and never over a user's own TLS settings: every Prefect client
    # loads its CA file, and no TLS connection is made here, so a one-certificate file saves about 20 ms of CPU
    # per client (a client per task run).
    # (Prefect's default for PREFECT_API_SSL_CERT_FILE is SSL_CERT_FILE, the machine's choice for every program.)
    user_choice = PREFECT_API_SSL_CERT_FILE.value() not in (None, os.environ.get("SSL_CERT_FILE"))
    if home is not None and not user_choice and not PREFECT_API_TLS_INSECURE_SKIP_VERIFY.value():
        try:
            os.environ["PREFECT_API_SSL_CERT_FILE"] = str(loopback_ca_file(home))
        except (OSError, ValueError):  # no CA file written: the clients load certifi's bundle, as without it
            pass
    refresh_global_settings_context()


def _remove_own_state(state_path: Path) -> None:
    try:
        if json.loads(state_path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            state_path.unlink()
    except (OSError, ValueError, AttributeError):
        pass


def _replaced(descriptor: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino != os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return True


_state_guard = threading.Lock()  # the state file's re-creation (watch) against its removal at the end (main)


def keep_state(state_path: Path, state: dict[str, object] | None, stop: threading.Event) -> None:
    """Write this server's state file again when it was removed (by hand, say) while the server runs, so that the
    commands find the server instead of starting a second one on its database."""
    if state is None:
        return
    with _state_guard:
        if not stop.is_set() and not state_path.exists():
            write_state(state_path.parent, state)


def watch_leases(lease_path: Path, state_path: Path, idle: float, stop: threading.Event,
                 state: dict[str, object] | None = None) -> None:
    """Until stop is set: when no command has held a lease at any try for idle seconds, remove this server's
    state file under the exclusive lock, then stop this process as SIGTERM does (uvicorn shuts down cleanly),
    and kill it when it has not ended STOP_GRACE_SECONDS later. Meanwhile state (the state file's fields) is
    written again whenever the file is missing (keep_state)."""
    descriptor = os.open(lease_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    idle_since: float | None = None
    while not stop.wait(POLL_SECONDS):
        keep_state(state_path, state, stop)
        if _replaced(descriptor, lease_path):  # removed or replaced: the commands lock the file now there
            os.close(descriptor)
            descriptor = os.open(lease_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            idle_since = None
            continue
        try:
            now = time.monotonic()
            idle_since = now if idle_since is None else idle_since
            if now - idle_since < idle:
                continue
            _remove_own_state(state_path)
            os.kill(os.getpid(), signal.SIGTERM)
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        if not stop.wait(STOP_GRACE_SECONDS):
            os.kill(os.getpid(), signal.SIGKILL)
        return


def _stop_self(state_path: Path) -> None:
    """Stop this server as the idle watch does: its state file removed, then SIGTERM to itself."""
    _remove_own_state(state_path)
    os.kill(os.getpid(), signal.SIGTERM)


def run_watch(lease_path: Path, state_path: Path, idle: float, stop: threading.Event,
              state: dict[str, object] | None = None) -> None:
    """watch_leases; when it fails (say the lease file cannot be opened), one line on standard error and the
    server stops: without its watch nothing would ever stop it."""
    try:
        watch_leases(lease_path, state_path, idle, stop, state)
    except Exception as exc:  # noqa: BLE001 (any failure: the server must not outlive it)
        print(f"plandata: the shared server's idle watch failed ({type(exc).__name__}: {exc}); "
              "the server stops", file=sys.stderr, flush=True)
        _stop_self(state_path)
        if not stop.wait(STOP_GRACE_SECONDS):
            os.kill(os.getpid(), signal.SIGKILL)


def hold_until_healthy(descriptor: int, api_url: str, stop: threading.Event) -> None:
    """Keep the start lock that the starting command passed down (descriptor) until this server answers at
    api_url (or stops): when that command is killed meanwhile, the next one waits for this server and reuses it,
    rather than starting a second one on the same database."""
    try:
        while not stop.is_set() and not healthy(api_url, timeout=POLL_SECONDS):
            stop.wait(POLL_SECONDS)
    finally:
        os.close(descriptor)


def main(argv: list[str] | None = None) -> int:
    """`python -m flows.shared_server --home HOME --idle SECONDS [--state JSON --start-lock FD] -- UVICORN_ARGS...`:
    run uvicorn (as `python -m uvicorn UVICORN_ARGS` would) beside the idle watch of HOME's lease file.

    With --state (the API URL and server_identity's fields) the process writes HOME's state file first, with its
    own process id and start time, so that a server whose starting command was killed is still found; with
    --start-lock it holds that inherited descriptor of the start lock until it answers."""
    parser = argparse.ArgumentParser(prog="python -m flows.shared_server")
    parser.add_argument("--home", type=Path, required=True, help="PREFECT_HOME: its lease and state files")
    parser.add_argument("--idle", type=_idle, required=True, help="seconds without a lease before stopping")
    parser.add_argument("--state", type=json.loads, help="the state file's fields: url and the server's identity")
    parser.add_argument("--start-lock", type=int, help="a descriptor of the start lock, held until the server answers")
    parser.add_argument("uvicorn", nargs=argparse.REMAINDER, help="uvicorn's arguments, after --")
    args = parser.parse_args(argv)
    home = Path(os.path.realpath(args.home))  # the state, lease and database paths must not depend on the cwd
    uvicorn_args = args.uvicorn[1:] if args.uvicorn[:1] == ["--"] else args.uvicorn
    state = None
    if args.state is not None:
        try:  # held until this process ends: never two servers on one PREFECT_HOME's database
            life = os.open(home / LIFE_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            fcntl.flock(life, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"plandata: another shared server runs in {home}; this one stops", file=sys.stderr, flush=True)
            return 1
        except OSError:  # no home: the idle watch says so and stops the server
            pass
        state = {**args.state, "pid": os.getpid(), "started": process_start(os.getpid())}
        write_state(home, state)
    stop = threading.Event()
    watch = threading.Thread(target=run_watch, name="plandata-idle-watch", daemon=True,
                             args=(home / LEASE_FILE, home / STATE_FILE, args.idle, stop, state))
    watch.start()
    if args.start_lock is not None:
        url = (args.state or {}).get("url", "")
        threading.Thread(target=hold_until_healthy, name="plandata-start-lock", daemon=True,
                         args=(args.start_lock, url, stop)).start()
    import uvicorn

    try:
        uvicorn.main.main(args=uvicorn_args, prog_name="uvicorn", standalone_mode=False)
    finally:
        with _state_guard:
            stop.set()
            _remove_own_state(home / STATE_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
