"""The temporary Prefect server that the commands of one PREFECT_HOME share (flows.shared_server).

Commands are Python processes that call `ensure_api` as the `plandata` commands do, in a fresh environment
(no Prefect settings of this session) on one PREFECT_HOME per module, so only the first start migrates its
database. Each prints the state file it found after `ensure_api` and then holds its lease until its standard
input is closed. Waits poll with generous timeouts; nothing asserts how long anything took.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.shared_server import LEASE_FILE, STATE_FILE, read_state, stop_server, write_state

REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 600  # seconds; far above a cold start on a busy machine, only so that a hang cannot block CI
COMMAND = """
import json, sys
from flows.server import ensure_api, prefect_home
from flows.shared_server import read_state
url = ensure_api()
print(json.dumps({"url": url, "state": read_state(prefect_home())}), flush=True)
sys.stdin.read()  # the lease is held until the test closes standard input (or kills this process)
"""


class Command:
    """A process that called ensure_api and holds its lease; `state` is the state file it saw afterwards."""

    def __init__(self, home: Path, idle: str) -> None:
        env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
        env.update(PREFECT_HOME=str(home), PLANDATA_SERVER_IDLE_SECONDS=idle,
                   PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=str(START_TIMEOUT),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen([sys.executable, "-c", COMMAND], env=env, cwd=home.parent, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        start_new_session=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            pytest.fail(f"the command ended without a server: {self.process.communicate(timeout=60)[1][-3000:]}")
        found = json.loads(line)
        self.url: str = found["url"]
        self.state: dict[str, object] = found["state"]
        self.server_pid = int(self.state["pid"])  # type: ignore[arg-type]

    def end(self) -> None:
        """End the command as it ends by itself: its lease goes with it."""
        self.process.communicate(input="", timeout=120)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child of this process (none here, but a zombie would look alive)
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def gone(pid: int, seconds: float = 300) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not alive(pid)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One PREFECT_HOME for the module; whatever server still runs in it is stopped at the end."""
    home = tmp_path_factory.mktemp("shared") / "prefect-home"
    yield home
    stop_server(home)


@pytest.fixture
def no_server(home: Path) -> Iterator[None]:
    """Each test starts without a running server and leaves none."""
    stop_server(home)
    yield
    stop_server(home)


def test_a_second_command_reuses_the_running_server_in_its_own_session(home: Path, no_server: None) -> None:
    first = Command(home, idle="600")
    assert first.url == first.state["url"] and alive(first.server_pid)
    assert os.getsid(first.server_pid) not in (os.getsid(first.process.pid), os.getsid(0))  # Ctrl-C stays out
    first.end()
    second = Command(home, idle="600")
    second.end()

    assert second.server_pid == first.server_pid and second.url == first.url
    assert alive(first.server_pid)  # idle for less than ten minutes: still serving
    assert (home / "plandata-loopback-ca.pem").read_text(encoding="ascii").startswith("-----BEGIN CERTIFICATE-----")


@pytest.mark.parametrize("stale", ["dead process", "other Prefect version", "other Python"])
def test_a_stale_state_file_gets_a_new_server(home: Path, no_server: None, stale: str) -> None:
    first = Command(home, idle="600")
    first.end()
    state = dict(first.state)
    if stale == "dead process":
        ended = subprocess.Popen([sys.executable, "-c", "pass"])
        ended.wait()
        stop_server(home)
        state["pid"] = ended.pid
    elif stale == "other Prefect version":
        state["prefect"] = "3.0.0"
    else:
        state["python"] = "/usr/bin/python2"
    write_state(home, state)

    second = Command(home, idle="600")
    second.end()

    assert second.server_pid != first.server_pid and alive(second.server_pid)
    assert read_state(home) == second.state and second.state["prefect"] == first.state["prefect"]
    stop_server(home)
    if alive(first.server_pid):  # the stale state's server, still idling: no state file names it any more
        os.kill(first.server_pid, signal.SIGTERM)
    assert gone(first.server_pid)


def test_with_idle_zero_the_server_ends_with_the_last_command(home: Path, no_server: None) -> None:
    first = Command(home, idle="0")
    second = Command(home, idle="0")
    assert second.server_pid == first.server_pid
    first.end()
    assert alive(first.server_pid)  # the second command still holds its lease
    second.end()

    assert gone(first.server_pid)
    assert not (home / STATE_FILE).exists()
    assert (home / LEASE_FILE).exists()  # the lease file stays: the next command's lease is on it


def test_a_killed_command_lets_its_server_end_after_the_idle_time(home: Path, no_server: None) -> None:
    command = Command(home, idle="2")
    time.sleep(5)  # past the idle time: the lease alone keeps the server
    assert alive(command.server_pid)

    command.process.kill()  # kill -9: no clean-up of the command's runs
    command.process.wait(timeout=60)

    assert gone(command.server_pid)
    assert not (home / STATE_FILE).exists()


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        pass


def test_a_users_prefect_api_url_is_used_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No state file, no lease, no start and no CA file of ours: the user's server and TLS settings stand."""
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

    from flows.server import ensure_api

    api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{api.server_address[1]}/api"
    monkeypatch.delenv("PREFECT_API_SSL_CERT_FILE", raising=False)
    try:
        with temporary_settings(updates={PREFECT_HOME: str(tmp_path), PREFECT_API_URL: url}):
            assert ensure_api() == url
    finally:
        api.shutdown()
        api.server_close()
    assert list(tmp_path.iterdir()) == []
    assert "PREFECT_API_SSL_CERT_FILE" not in os.environ


@pytest.mark.parametrize(("text", "seconds"), [("", 60.0), ("0", 0.0), (" 2.5 ", 2.5), ("-1", None), ("soon", None)])
def test_the_idle_time_is_zero_or_more_seconds(
    monkeypatch: pytest.MonkeyPatch, text: str, seconds: float | None
) -> None:
    from flows.shared_server import IDLE_VARIABLE, idle_seconds

    monkeypatch.setenv(IDLE_VARIABLE, text)
    if seconds is None:
        with pytest.raises(ValueError, match=IDLE_VARIABLE):
            idle_seconds()
    else:
        assert idle_seconds() == seconds
