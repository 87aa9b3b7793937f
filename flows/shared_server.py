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
- **Start lock** (flows.server_start.START_LOCK): the server inherits the starting command's descriptor of it and
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

This module is the server's process (`python -m flows.shared_server`: the idle watch and uvicorn); the commands'
side, which imports Prefect only inside the functions that need it, is flows.shared_state (the files, the process
they name, reusing and stopping the server).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

from flows.shared_state import (
    LEASE_FILE,
    LIFE_LOCK,
    STATE_FILE,
    STOP_GRACE_SECONDS,
    healthy,
    idle_value,
    process_start,
    write_state,
)

POLL_SECONDS = 0.5  # how often the idle watch tries the exclusive lock


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
    parser.add_argument("--idle", type=idle_value, required=True, help="seconds without a lease before stopping")
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
