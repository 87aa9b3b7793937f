"""The shared Prefect server (flows.shared_server) as the commands see it: its files in PREFECT_HOME (the state
file, the leases, the life lock), the process a state file names, and finding, reusing, stopping and using it.

flows.server calls these to reach or start the server; the server's own process (`python -m flows.shared_server`)
writes the state file and watches the leases with the same names. Prefect is imported only inside the functions that
need it.
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import math
import os
import signal
import sys
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
REUSE_CHECK_SECONDS = 5.0  # a running server must answer its health check within this to be reused
STOP_GRACE_SECONDS = 30.0  # after this, a server that has not stopped on SIGTERM is killed

_leases: dict[Path, int] = {}  # PREFECT_HOME -> the lease file's descriptor, held until this process exits


def idle_seconds() -> float:
    """PLANDATA_SERVER_IDLE_SECONDS (default IDLE_SECONDS); raises ValueError for anything but a finite number of
    seconds, 0 or more (a negative, inf, nan or non-number)."""
    text = os.environ.get(IDLE_VARIABLE, "").strip()
    try:
        return idle_value(text) if text else IDLE_SECONDS
    except ValueError:
        raise ValueError(f"{IDLE_VARIABLE}={text!r} is not a number of seconds, 0 or more") from None


def idle_value(text: str) -> float:
    """text as seconds: a finite number, 0 or more (ValueError otherwise); the server's `--idle` type too."""
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
    it fail (with one line, flows.server_lost.lost_server): for benchmarks and tests."""
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
