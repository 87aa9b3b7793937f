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

from flows.shared_state import LEASE_FILE, STATE_FILE, read_state, stop_server, write_state

REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 600  # seconds; far above a cold start on a busy machine, only so that a hang cannot block CI
COMMAND = """
import json, sys
from flows.server import ensure_api
from flows.server_start import prefect_home
from flows.shared_state import read_state
url = ensure_api()
print(json.dumps({"url": url, "state": read_state(prefect_home())}), flush=True)
sys.stdin.read()  # the lease is held until the test closes standard input (or kills this process)
"""


class Command:
    """A process that called ensure_api and holds its lease; `state` is the state file it saw afterwards."""

    def __init__(self, home: Path, idle: str, home_variable: str | None = None, wait: bool = True) -> None:
        """home_variable: PREFECT_HOME as the command gets it (default str(home)), run in home's parent folder;
        wait=False returns at once, before the command has a server (then `started` waits for it)."""
        env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
        env.update(PREFECT_HOME=home_variable or str(home), PLANDATA_SERVER_IDLE_SECONDS=idle,
                   PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=str(START_TIMEOUT),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen([sys.executable, "-c", COMMAND], env=env, cwd=home.parent, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        start_new_session=True)
        if wait:
            self.started()

    def started(self) -> None:
        """Wait until the command has its server."""
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


def command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return []


def servers_of(home: Path) -> list[int]:
    """The shared servers (flows.shared_server processes, which run in their PREFECT_HOME) of home, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and "flows.shared_server" in command_line(int(entry.name)):
            try:
                if os.path.samefile(os.readlink(entry / "cwd"), home):
                    found.append(int(entry.name))
            except OSError:
                continue
    return sorted(found)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def end_all(pids: list[int]) -> None:
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    for pid in pids:
        assert gone(pid, 60)


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


def test_a_command_killed_while_it_starts_the_server_leaves_one_server(home: Path, no_server: None) -> None:
    """kill -9 of the starting command: the next command reuses the server it started, never a second one on the
    same database."""
    first = Command(home, idle="600", wait=False)
    deadline = time.monotonic() + 120
    while not (starting := [pid for pid in children_of(first.process.pid) if pid in servers_of(home)]):
        assert time.monotonic() < deadline and first.process.poll() is None, "no server was started"
        time.sleep(0.05)
    first.process.kill()  # while its server starts
    first.process.communicate(timeout=60)
    try:
        second = Command(home, idle="600")
        second.end()
        assert servers_of(home) == starting == [second.server_pid]
    finally:
        end_all(servers_of(home))


def test_a_relative_prefect_home_keeps_the_database_in_it_and_the_server_stops(home: Path, no_server: None) -> None:
    command = Command(home, idle="0", home_variable=home.name)  # PREFECT_HOME=prefect-home, run in its parent
    command.end()
    try:
        assert gone(command.server_pid, 120)  # its idle watch found the lease file
    finally:
        end_all(servers_of(home))
    assert (home / "prefect.db").is_file() and not (home / home.name).exists()


ASGI_APP = """
async def app(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"true"})
"""


def test_a_server_whose_idle_watch_fails_stops_with_one_line(tmp_path: Path) -> None:
    """Without its idle watch nothing would stop the server: it says why and stops rather than run forever."""
    (tmp_path / "tiny_app.py").write_text(ASGI_APP, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    server = subprocess.Popen(  # its home does not exist: the watch cannot open the lease file
        [sys.executable, "-m", "flows.shared_server", "--home", str(tmp_path / "missing"), "--idle", "0", "--",
         "--app-dir", str(tmp_path), "--host", "127.0.0.1", "--port", "0", "--lifespan", "off", "tiny_app:app"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, errors = server.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
        pytest.fail("the server kept running without its idle watch")
    assert "idle watch failed" in errors and "the server stops" in errors


def test_stop_signals_only_the_server_the_state_file_names(tmp_path: Path) -> None:
    """After the server ended, its process id may be another program's: --stop leaves that one alone."""

    def process_start(pid: int) -> int:  # clock ticks after boot, /proc/PID/stat's 22nd field
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return int(stat[stat.rindex(")") + 2:].split()[19])

    other = subprocess.Popen(["sleep", "120"])
    lookalike = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "flows.shared_server"])
    try:
        time.sleep(0.5)  # the look-alike's command line is its own
        for pid, started in [(other.pid, None), (other.pid, process_start(other.pid)),
                             (lookalike.pid, process_start(lookalike.pid) + 1)]:
            write_state(tmp_path, {"url": "http://127.0.0.1:9/api", "pid": pid, "started": started})
            assert stop_server(tmp_path) is None
            assert read_state(tmp_path) is None  # the stale state file is removed
        assert other.poll() is None and lookalike.poll() is None
        write_state(tmp_path, {"url": "http://127.0.0.1:9/api", "pid": lookalike.pid,
                               "started": process_start(lookalike.pid)})
        assert stop_server(tmp_path, timeout=30) == lookalike.pid  # the process the state file names, started then
        assert lookalike.wait(timeout=30) == -signal.SIGTERM
    finally:
        for process in (other, lookalike):
            process.kill()
            process.wait()


def test_a_server_that_stops_while_a_command_runs_ends_it_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m flows.server --stop` during a command: one line and exit status 3, not httpx's traceback."""
    import httpx

    from flows import cli

    def stopped(*_: object) -> int:
        try:
            httpx.get("http://127.0.0.1:9/api/health", timeout=5)  # the discard port: nothing answers
        except httpx.ConnectError as exc:
            raise RuntimeError("the flow run could not be created") from exc
        return 0

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setattr(cli, "run_command", stopped)
    assert cli.main(["ingest", "x.pdf"]) == cli.EXIT_NO_SERVER
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plandata ingest: error: Prefect's server at http://127.0.0.1:9/api")
    assert "stopped answering" in lines[0]

    def other(*_: object) -> int:
        raise RuntimeError("not the server's")

    monkeypatch.setattr(cli, "run_command", other)
    with pytest.raises(RuntimeError, match="not the server's"):
        cli.main(["ingest", "x.pdf"])


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


@pytest.mark.parametrize(("text", "seconds"), [
    ("", 60.0), ("0", 0.0), (" 2.5 ", 2.5),
    ("-1", None), ("soon", None), ("inf", None), ("-inf", None), ("nan", None), ("1e999", None),
])
def test_the_idle_time_is_zero_or_more_seconds(
    monkeypatch: pytest.MonkeyPatch, text: str, seconds: float | None
) -> None:
    from flows.shared_state import IDLE_VARIABLE, idle_seconds

    monkeypatch.setenv(IDLE_VARIABLE, text)
    if seconds is None:
        with pytest.raises(ValueError, match=IDLE_VARIABLE):
            idle_seconds()
    else:
        assert idle_seconds() == seconds


def test_every_command_rejects_a_bad_idle_time_before_using_a_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only the command that starts the server: one that would reuse it says so too, and nothing starts."""
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings

    from flows.server import ensure_api
    from flows.server_start import ServerStartError
    from flows.shared_state import IDLE_VARIABLE

    monkeypatch.setenv(IDLE_VARIABLE, "inf")
    with temporary_settings(updates={PREFECT_HOME: str(tmp_path), PREFECT_API_URL: None,
                                     PREFECT_SERVER_EPHEMERAL_ENABLED: True}):
        with pytest.raises(ServerStartError, match=f"{IDLE_VARIABLE}='inf' is not a number of seconds"):
            ensure_api(timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_prefect_warnings_about_a_stopped_server_are_not_shown() -> None:
    """Its retries, event-client warnings and tracebacks: the command's one line says it all."""
    import logging

    from flows.server_lost import QuietWhenLost

    def record(name: str, level: int = logging.WARNING) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, "Unable to connect", None, None)

    quiet = QuietWhenLost("http://127.0.0.1:9/api")  # the discard port: nothing answers
    raised = logging.raiseExceptions
    try:
        assert quiet.filter(record("extractors.pdf"))  # not Prefect's
        assert quiet.filter(record("prefect.events.clients", logging.INFO))
        assert not quiet.filter(record("prefect.events.clients"))
        assert not quiet.filter(record("prefect.flow_runs", logging.ERROR)) and quiet.lost
    finally:
        logging.raiseExceptions = raised


def test_a_home_reached_through_a_symbolic_link_shares_one_server(home: Path, no_server: None) -> None:
    """PREFECT_HOME through a link and by its own name: one database, so one server, and --stop through the link
    finds it."""
    home.mkdir(parents=True, exist_ok=True)
    link = home.parent / "linked-home"
    if not link.is_symlink():
        link.symlink_to(home, target_is_directory=True)
    first = Command(home, idle="600", home_variable=str(link))
    second = Command(home, idle="600")
    try:
        assert first.server_pid == second.server_pid and servers_of(home) == [first.server_pid]
        env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
        env.update(PREFECT_HOME=str(link),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
        stopped = subprocess.run([sys.executable, "-m", "flows.server", "--stop"], env=env, capture_output=True,
                                 text=True, timeout=120)
        assert f"process {first.server_pid}" in stopped.stdout
    finally:
        first.end()
        second.end()
        end_all(servers_of(home))


def test_a_removed_state_file_does_not_get_a_second_server(home: Path, no_server: None) -> None:
    """The state file removed while the server runs: the next command finds the running server (it holds the life
    lock and writes its state file again), never a second one on the same database."""
    first = Command(home, idle="600")
    try:
        (home / STATE_FILE).unlink()
        second = Command(home, idle="600")
        second.end()
        assert second.server_pid == first.server_pid and servers_of(home) == [first.server_pid]
    finally:
        first.end()
        end_all(servers_of(home))


def test_ctrl_c_while_flows_server_starts_the_server_ends_in_one_line(home: Path, no_server: None) -> None:
    """Ctrl-C on `python -m flows.server` while its server starts: one line and exit 130 at once, no traceback; the
    server goes on starting and the next command reuses it (it stops by itself when unused)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PLANDATA_SERVER_IDLE_SECONDS="600",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))

    def default_sigint() -> None:  # a background test runner starts its children with SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    starter = subprocess.Popen([sys.executable, "-m", "flows.server"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    try:
        deadline = time.monotonic() + 120
        while not (starting := servers_of(home)):
            assert time.monotonic() < deadline and starter.poll() is None, starter.communicate(timeout=60)
            time.sleep(0.05)
        starter.send_signal(signal.SIGINT)
        out, err = starter.communicate(timeout=60)
        assert starter.returncode == 130, out + err
        assert len(err.splitlines()) == 1 and err.startswith("plandata: interrupted"), err
        assert servers_of(home) == starting, "the server it was starting was stopped"
        command = Command(home, idle="600")
        command.end()
        assert servers_of(home) == starting == [command.server_pid], (command.state, read_state(home))
    finally:
        if starter.poll() is None:
            starter.kill()
            starter.communicate()
        end_all(servers_of(home))
