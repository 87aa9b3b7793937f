"""Ctrl-C (SIGINT) during `plandata archive` and `plandata ingest`: one line on stderr, exit status 130, no traceback,
no extraction process left behind, the documents committed before intact, and the same command again does the rest.
`plandata compare` and `plandata report` end in one line and 128 + the signal's number too.

The commands run as a person runs them, in subprocesses, on a PREFECT_HOME of the module's whose server they share
(stopped at the end)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from pydantic import BaseModel, model_serializer

from extractors.writers import read_dataset
from flows.interrupts import INTERRUPTED, interrupted_line, interruptible
from flows.shared_state import stop_server

# Two long documents (158 and 189 pages, the largest: an archive starts both first) and three short ones: the
# first commits come while a long one is still being extracted.
PDFS = [
    "real/fi_kauhava_tilinpaatos_2024.pdf",
    "real/fi_seinajoki_tilinpaatos_2024.pdf",
    "real/fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf",
    "real/fi_lapua_ymparistolautakunta_poytakirja_2022-01-25.pdf",
    "real/se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf",
]
RUN_TIMEOUT = 900
REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "reference"
LOVIISA = "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
EXIT_SECONDS = 8.0  # Ctrl-C to exit: 0.7 to 1.8 s quiet, once over 6 s at load 4; 6 to 9 s with a grace each


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A new shell's environment (no Prefect settings of this session) with one PREFECT_HOME for the module, whose
    server the commands share; stopped at the end."""
    home = tmp_path_factory.mktemp("interrupt") / "prefect-home"
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PLANDATA_SERVER_IDLE_SECONDS="120")
    yield env
    stop_server(home)


def plandata() -> str:
    script = Path(sys.executable).with_name("plandata")
    if not script.is_file():
        pytest.fail(f"the plandata command is not installed next to {sys.executable}: run `make venv`")
    return str(script)


def _committed(out_dir: Path) -> bool:
    """Whether a document's rows are committed (its documents file published, the commit's journal gone)."""
    documents = out_dir / "datasets" / "documents"
    return (documents.is_dir() and not (out_dir / "datasets" / "_journal.json").exists()
            and any(path.name != "00-schema.parquet" for path in documents.glob("*.parquet")))


def _descendants(pid: int) -> dict[int, str]:
    """The processes below pid (by parentage), but the Prefect server it shares (it outlives a command by design)."""
    try:
        found = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return {}
    named = {}
    for process in found:
        try:
            command = " ".join(process.cmdline())
        except psutil.Error:
            continue
        if "flows.shared_server" not in command:
            named[process.pid] = command
    return named


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() not in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)
    except psutil.NoSuchProcess:
        return False


def _command(name: str, folder: Path, out_dir: Path) -> list[str]:
    return [plandata(), name, str(folder), "--out", str(out_dir), *(["--workers", "2"] if name == "archive" else [])]


@pytest.mark.parametrize(("name", "signum"), [("archive", signal.SIGINT), ("ingest", signal.SIGINT),
                                             ("archive", signal.SIGTERM)])
def test_ctrl_c_ends_the_command_in_one_line_and_the_same_command_does_the_rest(
        name: str, signum: signal.Signals, tmp_path: Path, corpus_dir: Path, env: dict[str, str]) -> None:
    """Ctrl-C, and SIGTERM as Ctrl-C (no Prefect "Crash detected!", the line naming the signal, 128 + its number)."""
    folder, out_dir = tmp_path / "plans", tmp_path / "out"
    folder.mkdir()
    for pdf in PDFS:
        shutil.copyfile(corpus_dir / pdf, folder / Path(pdf).name)
    process = subprocess.Popen(_command(name, folder, out_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=tmp_path, env=env, preexec_fn=_default_signals)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        seen: dict[int, str] = {}
        # signalled once a document is committed and an extraction process is seen at work on the next
        while not (_committed(out_dir) and any("flows.worker" in command for command in seen.values())):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
            seen = _descendants(process.pid)
        interrupted = time.monotonic()
        process.send_signal(signum)
        seen.update(_descendants(process.pid))  # and any born meanwhile
        out, err = process.communicate(timeout=RUN_TIMEOUT)
        seconds = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 128 + signum, out + err
    said = INTERRUPTED if signum == signal.SIGINT else INTERRUPTED.replace("interrupted", f"stopped by {signum.name}")
    assert err.splitlines() == [f"plandata {name}: {said}"]
    assert seconds < EXIT_SECONDS, f"the command took {seconds:.1f} s to end after Ctrl-C"
    end = time.monotonic() + 2.0
    while any(_running(pid) for pid in seen) and time.monotonic() < end:
        time.sleep(0.05)
    orphans = {pid: command for pid, command in seen.items() if _running(pid)}
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    assert not orphans

    before = read_dataset(out_dir, "documents")  # what was committed is readable, and no document failed
    assert 1 <= len(before) < len(PDFS)
    assert set(before["status"]) <= {"ok", "partial"}, before["message"].tolist()

    again = subprocess.run(_command(name, folder, out_dir), capture_output=True, text=True, cwd=tmp_path, env=env,
                           timeout=RUN_TIMEOUT, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    after = read_dataset(out_dir, "documents")
    assert len(after) == len(PDFS) and after["document_id"].is_unique
    assert set(after["status"]) <= {"ok", "partial"}, after["message"].tolist()
    assert set(before["document_id"]) <= set(after["document_id"])


EARLY = """
import builtins, os, signal, sys
real = builtins.__import__
def sending(name, *args, **kwargs):
    if name == "rich.console":  # in the middle of flows.cli's imports
        os.kill(os.getpid(), signal.{name})
    return real(name, *args, **kwargs)
builtins.__import__ = sending
import flows.cli
print("imported")
"""


@pytest.mark.parametrize(("name", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_while_the_command_imports_ends_it_in_one_line(name: str, code: int) -> None:
    """Ctrl-C (or SIGTERM, SIGHUP) in the first fraction of a second: one line naming it and 128 + its number, not a
    KeyboardInterrupt traceback from the middle of an import."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                                     os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", EARLY.replace("{name}", name)], capture_output=True, text=True,
                          env=env, timeout=120, preexec_fn=_default_signals)
    assert (done.returncode, done.stderr, done.stdout) == (code, f"plandata: interrupted ({name})\n", "")


LATE = """
import os, signal, sys, time
import extractors.datasets, flows.compare, flows.compare_cli
from flows.cli import main
def signalled(*args, **kwargs):  # the flow, once the command has imported it and checked its folder
    os.kill(os.getpid(), signal.{name})
    time.sleep(60)  # ended by the signal
extractors.datasets.dataset_exists = lambda *args: True
flows.compare_cli.start_prefect = lambda console: None
flows.compare.compare_editions = flows.compare.report_editions = signalled
sys.exit(main(["{command}", "--out", "out"]))
"""


@pytest.mark.parametrize(("command", "name", "code"), [("compare", "SIGINT", 130), ("report", "SIGINT", 130),
                                                       ("compare", "SIGTERM", 143), ("report", "SIGHUP", 129)])
def test_a_signal_while_compare_or_report_runs_ends_it_in_one_line(command: str, name: str, code: int,
                                                                   tmp_path: Path) -> None:
    """Ctrl-C (or SIGTERM, SIGHUP) once `plandata compare` or `plandata report` runs its flow: one line naming it and
    128 + its number, as `ingest` and `archive` end, not a KeyboardInterrupt traceback."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                                     os.environ.get("PYTHONPATH")]))}
    script = LATE.replace("{name}", name).replace("{command}", command)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120, preexec_fn=_default_signals)
    said = interrupted_line(command, signal.Signals[name])
    assert (done.returncode, done.stderr, done.stdout) == (code, f"plandata {command}: {said}\n", "")
    assert said.startswith("interrupted; " if name == "SIGINT" else f"stopped by {name}; ")


def _default_signals() -> None:
    """A test runner in the background starts its children with SIGINT ignored: Ctrl-C as in a terminal."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


class _InterruptedWhileCollected:
    """An object whose finalizer runs when Ctrl-C comes, as distributed's gc callback did: Python cannot raise the
    handler's KeyboardInterrupt from there and reports it as unraisable."""

    def __init__(self, interrupt: object) -> None:
        self.interrupt = interrupt

    def __del__(self) -> None:
        self.interrupt.on_interrupt(signal.SIGINT, None)  # type: ignore[attr-defined]


class _FailingWhileCollected:
    def __del__(self) -> None:
        raise ValueError("a finalizer's own error")


def test_a_ctrl_c_python_cannot_raise_is_seen_and_not_printed_while_other_unraisables_are(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The KeyboardInterrupt raised in a finalizer or gc callback leaves no "Exception ignored in" traceback on stderr
    (the command ends in its one line, from interrupt.seen); a finalizer's own error still goes to the hook before,
    and that hook is back after the block."""
    from flows import budget

    killed: list[bool] = []  # the handler kills the extraction processes (not this test process's, for the tests after)
    monkeypatch.setattr(budget, "interrupt", lambda: killed.append(True))
    reported: list[type[BaseException] | None] = []
    before = sys.unraisablehook

    def record(unraisable: object) -> None:
        reported.append(unraisable.exc_type)  # type: ignore[attr-defined]

    sys.unraisablehook = record
    try:
        with interruptible() as interrupt:
            _FailingWhileCollected()  # collected at once: its ValueError is unraisable
            assert reported == [ValueError]
            _InterruptedWhileCollected(interrupt)
            assert interrupt.seen and interrupt.signum == signal.SIGINT and killed == [True]
            assert reported == [ValueError]  # the swallowed Ctrl-C: not reported
            logging.disable(logging.NOTSET)
        hook_after = sys.unraisablehook
    finally:
        sys.unraisablehook = before
    assert hook_after is record
    assert capsys.readouterr().err == ""


class _SerializedWhileInterrupted(BaseModel):
    """A model whose serializer gets Ctrl-C: pydantic-core turns the KeyboardInterrupt raised in it into a
    PydanticSerializationError (as in Prefect's temporary_settings when Ctrl-C came there)."""

    value: int = 0

    @model_serializer(mode="wrap")
    def _interrupted(self, handler: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the handler runs between bytecodes of this thread
            time.sleep(0.001)
        return handler(self)


def test_ctrl_c_that_a_library_turned_into_its_own_error_ends_in_the_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C whose KeyboardInterrupt a library re-raised as another exception (pydantic-core: "Error calling
    function `_ser_model`: KeyboardInterrupt") ends the command in its one line and 130, not that error's traceback
    and 1."""
    import flows.cli
    from flows import budget

    monkeypatch.setattr(budget, "interrupt", lambda: None)  # not this test process's extraction processes

    def run_command(parser: object, args: object) -> int:
        _SerializedWhileInterrupted().model_dump()
        return 0

    monkeypatch.setattr(flows.cli, "run_command", run_command)
    code = flows.cli.main(["ingest", str(tmp_path), "--out", str(tmp_path / "out")])
    assert code == 130
    assert capsys.readouterr().err.splitlines() == [f"plandata ingest: {INTERRUPTED}"]


def test_a_write_that_ctrl_c_broke_records_no_failed_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during a document's write, re-raised by a library as its own error, is not that document's failure:
    commit_records writes no failed row in its place and raises KeyboardInterrupt (the same command again does the
    document)."""
    import flows.ingest
    from extractors.pipeline import process_file
    from flows import budget

    _, records = process_file(REFERENCE / LOVIISA)
    written: list[str] = []

    def write_task(records: object, out_dir: str) -> tuple[dict[str, str], dict[str, str]]:
        written.append(records.unquote().document.status)  # type: ignore[attr-defined]  (prefect.utilities.annotations.quote)
        budget.command_interrupted.set()  # what the handler does first (flows.budget.interrupt), then raises
        raise RuntimeError("Error calling function `_ser_model`: KeyboardInterrupt")

    monkeypatch.setattr(flows.ingest, "write_task", write_task)
    try:
        with pytest.raises(KeyboardInterrupt):
            flows.ingest.commit_records(records, str(tmp_path / "out"))
    finally:
        budget.end_interrupt()
    assert written == [records.document.status]  # the document's own rows only, no failed row after them


def test_ctrl_c_while_the_budget_module_imports_ends_in_the_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A signal while flows.budget is being imported (`archive` imports it to start the extraction processes): the
    module is in sys.modules without its functions yet. The handler still raises KeyboardInterrupt (not an
    AttributeError from the half-made module), and the command's end says its line with 128 + the signal."""
    import types

    from flows.interrupts import Interrupt, end_interrupted

    half_made = types.ModuleType("flows.budget")
    monkeypatch.setitem(sys.modules, "flows.budget", half_made)
    interrupt = Interrupt()
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        with pytest.raises(KeyboardInterrupt):
            interrupt.on_interrupt(signal.SIGHUP, None)
        assert end_interrupted("archive", interrupt) == 128 + signal.SIGHUP
    finally:
        logging.disable(logging.NOTSET)
        for number, handler in previous.items():
            signal.signal(number, handler)
    assert capsys.readouterr().err.splitlines() == [f"plandata archive: {interrupted_line('archive', signal.SIGHUP)}"]


@pytest.mark.filterwarnings("ignore:Logger .* attempted to send logs to the API without a flow run id")
@pytest.mark.parametrize("logger", ["prefect.engine", "prefect.flow_runs", "prefect.task_runs"])
def test_prefects_crash_line_for_sigterm_is_not_said_while_a_command_runs(logger: str) -> None:
    """Prefect's engine logs "Crash detected! Execution was aborted by a termination signal." when SIGTERM ends a run,
    to its run's logger or, before the run has one, to prefect.engine (an `ingest` stopped 1.55 s in printed it above
    its own line): dropped while a command runs; its other errors are not."""
    said: list[str] = []

    class Said(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    handler = Said()
    logging.getLogger(logger).addHandler(handler)
    try:
        with interruptible():
            logging.getLogger(logger).error("Crash detected! Execution was aborted by a termination signal.")
            logging.getLogger(logger).error("Crash detected! Something else.")
        logging.getLogger(logger).error("Crash detected! Execution was aborted by a termination signal.")
    finally:
        logging.getLogger(logger).removeHandler(handler)
    assert said == ["Crash detected! Something else.",
                    "Crash detected! Execution was aborted by a termination signal."]  # after the command: said
