"""`archive` into a new output folder gives each Dask worker's extraction process its first file before the flow
starts (flows.archive.start_local_cluster), and the flow sends that file's task to the same worker; the workers
are threads of the command's process, each driving an extraction process of its own, where the files are extracted."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import flows.archive
import flows.batch
import flows.tasks
from flows.batch import PlannedFile, batch_job, extraction_order
from flows.jobs import job_for
from flows.tasks import extract_document

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows

def _worker_pid(entry: dict[str, Any]) -> int:
    return int(entry["worker"].rsplit(":", 1)[1])


def test_the_largest_files_are_given_ahead_and_taken_by_their_workers(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    pdf = samples_dir / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"  # the largest file
    shutil.copyfile(pdf, folder / "lapua.pdf")
    shutil.copyfile(samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt", folder / "lovisa.txt")
    shutil.copyfile(samples_dir / "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt", folder / "loviisa.txt")
    given: list[dict[Path, str]] = []
    dask_pids: list[int] = []
    real_start, real_run_batch = flows.archive.start_local_cluster, flows.batch.run_batch

    def start_and_record(workers: int, ahead: Any, budget: Any, placed: dict[Path, str]) -> Any:
        cluster = real_start(workers, ahead, budget, placed)
        given.append(placed)
        return cluster

    def run_then_look(*args: Any, **kwargs: Any) -> Any:
        from distributed import Client

        summaries = real_run_batch(*args, **kwargs)
        early = flows.archive._early_cluster.get()
        assert early is not None
        with Client(early[1].result(), set_as_default=False) as client:
            dask_pids.extend(client.run(os.getpid).values())
        return summaries

    monkeypatch.setattr(flows.archive, "start_local_cluster", start_and_record)
    monkeypatch.setattr(flows.batch, "run_batch", run_then_look)
    report = flows.archive.archive(str(folder), str(tmp_path / "out"), 2)

    # the two largest files (the PDF, then the larger text), one to each worker
    assert len(given) == 1 and sorted(path.name for path in given[0]) == ["lapua.pdf", "lovisa.txt"]
    assert len(set(given[0].values())) == 2
    pid_at = {entry.split(" pid ")[0]: int(entry.split(" pid ")[1]) for entry in report["worker_processes"]}
    for entry in report["files"]:
        if Path(entry["path"]) in given[0]:
            assert _worker_pid(entry) == pid_at[given[0][Path(entry["path"])]], entry
    assert {entry["status"] for entry in report["files"]} == {"ok", "partial"}
    assert dask_pids == [os.getpid()] * 2 == report["dask_worker_pids"] * 2  # two workers, threads of this process
    extracted_in = {_worker_pid(entry) for entry in report["files"]}
    assert extracted_in <= set(report["worker_pids"]) and os.getpid() not in extracted_in


def test_a_job_given_ahead_is_the_job_its_task_asks_for(tmp_path: Path, samples_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """flows.budget takes a prefetched result only for an equal job: batch_job must build the task's own job."""
    path = tmp_path / "a b" / "lapua.pdf"
    path.parent.mkdir()
    shutil.copyfile(samples_dir / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf", path)
    planned = PlannedFile(path, "0" * 64, path.stat().st_size)
    asked: list[dict[str, Any]] = []
    monkeypatch.setattr(flows.tasks, "extract_with_budget", lambda job, budget, worker=None: asked.append(job))

    extract_document(str(path), str(tmp_path / "out"), planned.document_id, True)  # as run_batch's task calls it

    assert asked == [batch_job(planned, str(tmp_path / "out"))]
    assert asked[0] == job_for(path, tmp_path / "out", "0" * 64, True)
    assert extraction_order([planned, PlannedFile(tmp_path / "x.txt", "1" * 64, 10, "unchanged")]) == [planned]


def test_tasks_on_a_local_cluster_carry_no_copy_of_this_process_settings() -> None:
    """A task submitted to the local cluster's worker threads would carry a copy of the settings that its run
    validates anew (tens of ms of CPU per document); inside settings_for_local_workers it carries none and runs with
    this process's own, which are the same. Settings that are not this process's global ones still travel."""
    from prefect import context as prefect_context
    from prefect.context import SettingsContext, serialize_context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.archive import settings_for_local_workers
    from flows.runs import without_flow_heartbeats

    assert serialize_context()["settings_context"]  # Prefect's own: a copy with every task
    with settings_for_local_workers(local=True):
        assert serialize_context()["settings_context"] == {}
        current = SettingsContext.get()
        assert current is not None and current.settings == prefect_context.GLOBAL_SETTINGS_CONTEXT.settings
    with without_flow_heartbeats(), settings_for_local_workers(local=True):  # flows.* is not the tasks' concern
        assert serialize_context()["settings_context"] == {}
    with settings_for_local_workers(local=False):  # workers of an existing scheduler: processes of their own
        assert serialize_context()["settings_context"]
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}), \
            settings_for_local_workers(local=True):
        assert serialize_context()["settings_context"]["settings"]["api"]["url"] == "http://127.0.0.1:9/api"


def test_a_task_on_the_local_cluster_reports_to_the_flow_s_server(tmp_path: Path) -> None:
    """Inside settings_for_local_workers a task run on a worker thread reaches the flow's Prefect API (and so the
    flow run) with the settings it did not carry."""
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE
    from prefect.context import get_run_context
    from prefect.settings import PREFECT_API_URL

    from flows.archive import dask_task_runner, settings_for_local_workers

    @task(cache_policy=NO_CACHE)
    def where() -> tuple[str | None, str]:
        context = get_run_context()
        return PREFECT_API_URL.value(), str(context.task_run.flow_run_id)

    @flow
    def two_tasks() -> tuple[str | None, str, list[tuple[str | None, str]]]:
        with dask_task_runner(2) as runner, settings_for_local_workers(local=True):
            futures = [runner.submit(where, {}) for _ in range(2)]
            results = [future.result() for future in futures]
        return PREFECT_API_URL.value(), str(get_run_context().flow_run.id), results

    api, flow_run, results = two_tasks()
    assert api and results == [(api, flow_run)] * 2


EARLY = """
import json, sys
from pathlib import Path
from flows import budget

calls = []
real = budget.prestart_unbound

def record(count):
    calls.append([count, "prefect" in sys.modules, "distributed" in sys.modules])
    return real(count)

budget.prestart_unbound = record
from flows.cli import main

code = main(["archive", sys.argv[2], "--out", sys.argv[3], "--workers", "2"])
Path(sys.argv[1]).write_text(json.dumps({"code": code, "calls": calls}))
"""


@pytest.fixture
def shell_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A new shell's environment (no Prefect settings of this session) with a PREFECT_HOME of its own, whose server
    the commands share; stopped at the end."""
    from flows.shared_state import stop_server

    home = tmp_path / "prefect-home"
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PLANDATA_SERVER_IDLE_SECONDS="120")
    yield env
    stop_server(home)


def test_archive_into_a_new_folder_starts_extracting_before_it_imports_prefect(
        tmp_path: Path, samples_dir: Path, shell_env: dict[str, str]) -> None:
    """`plandata archive` into a new output folder starts its extraction processes first, so that their loading
    overlaps the import of Prefect and Dask and the cluster's start; into a folder with a catalog (files may be
    unchanged: nothing to extract) it starts them only once the plan shows work."""
    from tests.scripts import script_results

    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copyfile(samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt", folder / "lovisa.txt")
    first = script_results(EARLY, tmp_path / "first.json", folder, tmp_path / "out", env=shell_env)
    assert first["code"] == 0
    assert first["calls"][0] == [2, False, False], first["calls"]  # before Prefect and Dask were imported
    shutil.copyfile(samples_dir / "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt", folder / "loviisa.txt")
    second = script_results(EARLY, tmp_path / "second.json", folder, tmp_path / "out", env=shell_env)
    assert second["code"] == 0
    assert second["calls"] and all(prefect for _, prefect, _ in second["calls"]), second["calls"]
    unchanged = script_results(EARLY, tmp_path / "unchanged.json", folder, tmp_path / "out", env=shell_env)
    assert unchanged == {"code": 0, "calls": []}  # nothing to extract: no extraction process started


def test_a_plan_for_a_new_output_folder_writes_nothing_and_plans_as_the_run_does(tmp_path: Path,
                                                                                 samples_dir: Path) -> None:
    """`archive` into a new folder plans the workers' first files without preparing the folder (its fsynced first
    writes would hold them back); that plan is the one the run makes, copies within the batch included."""
    from flows.batch import plan_batch

    folder = tmp_path / "archive"
    folder.mkdir()
    pdf = samples_dir / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"
    shutil.copyfile(pdf, folder / "a.pdf")
    shutil.copyfile(pdf, folder / "b.pdf")  # a copy: skipped in both plans
    shutil.copyfile(samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt", folder / "lovisa.txt")
    files = sorted(folder.iterdir())
    out = tmp_path / "out"

    early = plan_batch(files, out, new_output=True)
    assert not out.exists()  # nothing prepared, nothing written
    run = plan_batch(files, out)
    assert (out / "datasets").is_dir()  # the run's own plan prepares the folder
    assert early == run
    assert [(planned.path.name, planned.skipped) for planned in early] == \
        [("a.pdf", False), ("b.pdf", True), ("lovisa.txt", False)]


def test_archive_and_ingest_flows_send_no_heartbeats_to_their_own_server(tmp_path: Path, samples_dir: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Prefect's flow run heartbeat thread sleeps in whole seconds and every flow's end waited for it (up to a
    second per `ingest`ed file); the commands' flows run without it when they report to PREFECT_HOME's shared
    server with heartbeats at Prefect's default (flows.runs.without_flow_heartbeats), and with it for any other
    server (whose automations may watch them) or when a setting asks for them."""
    from prefect.flow_engine import FlowRunEngine
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    import flows.shared_state
    from flows.ingest import ingest_paths
    from flows.runs import heartbeats_wanted

    beats: list[str] = []
    real = FlowRunEngine._emit_flow_run_heartbeat

    def counted(self: FlowRunEngine, *args: Any) -> Any:
        beats.append(self.flow.name)
        return real(self, *args)

    monkeypatch.setattr(FlowRunEngine, "_emit_flow_run_heartbeat", counted)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt", folder / "lovisa.txt")
    shutil.copyfile(samples_dir / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf", folder / "lapua.pdf")

    # this session's server is not PREFECT_HOME's shared one: Prefect's heartbeats, one at each flow's start
    assert heartbeats_wanted()
    ingest_paths([folder], tmp_path / "kept")
    assert beats == ["ingest_document"] * 2
    beats.clear()

    # reporting to PREFECT_HOME's shared server (its state file names the API in use): none
    monkeypatch.setattr(flows.shared_state, "read_state", lambda home: {"url": str(PREFECT_API_URL.value())})
    assert not heartbeats_wanted()
    summaries = ingest_paths([folder], tmp_path / "ingested")
    report = flows.archive.archive(str(folder), str(tmp_path / "archived"), 2)
    assert [summary["status"] for summary in summaries] == [entry["status"] for entry in report["files"]] == \
        ["partial", "ok"]
    assert beats == []
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}):  # asked for: sent
        assert heartbeats_wanted()


def test_an_output_folder_that_cannot_be_made_fails_in_one_line_before_anything_starts(
        tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import budget
    from flows.cli import main

    started: list[int] = []
    monkeypatch.setattr(budget, "prestart_unbound", lambda count: started.append(count))
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copyfile(samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt", folder / "lovisa.txt")
    (tmp_path / "a-file").write_text("not a folder")

    assert main(["archive", str(folder), "--out", str(tmp_path / "a-file" / "out")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("plandata archive: error: cannot create the output folder") and "\n" not in error
    assert str(tmp_path / "a-file" / "out") in error
    assert started == []  # no extraction process was started for it


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a command started of its extraction processes, the first read and Prefect's server (none of them runs)."""
    from flows import budget, cli

    found: list[str] = []
    monkeypatch.setattr(budget, "prestart_unbound", lambda count: found.append("prestart"))
    monkeypatch.setattr(budget, "prefetch_first", lambda *args: found.append("prefetch"))
    monkeypatch.setattr(cli, "start_prefect", lambda console: found.append("prefect"))
    return found


@pytest.fixture
def inputs(tmp_path: Path, samples_dir: Path) -> dict[str, list[str]]:
    """Each command's input arguments: a folder holding one plan text, or that text."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copyfile(samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt", folder / "lovisa.txt")
    return {"ingest": [str(folder / "lovisa.txt")], "archive": [str(folder)], "watch": [str(folder), "--once"]}


@pytest.mark.parametrize("command", ["ingest", "archive", "watch"])
def test_an_output_path_that_is_a_file_fails_in_one_line_naming_it_and_the_file_stays(
        command: str, tmp_path: Path, inputs: dict[str, list[str]], started: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """`--out` naming an existing file: exit 2 and one line saying a file is in the way, before any extraction
    process, Prefect server or flow starts (ingest gave a FileExistsError traceback from its first read); the file
    is left as it was."""
    from flows.cli import main

    in_the_way = tmp_path / "out"
    in_the_way.write_text("an archivist's notes")
    assert main([command, *inputs[command], "--out", str(in_the_way)]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (f"plandata {command}: error: cannot create the output folder {in_the_way}: a file of that name "
                     "is in the way")
    assert started == []
    assert in_the_way.read_text() == "an archivist's notes"


@pytest.mark.parametrize("command", ["ingest", "archive", "watch"])
@pytest.mark.parametrize("case", ["a folder no one may write in", "a name too long"])
def test_an_output_folder_that_cannot_be_written_in_fails_in_one_line(
        command: str, case: str, tmp_path: Path, inputs: dict[str, list[str]], started: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """An existing --out folder where no file can be made (/proc/self: not even root may; a read-only disk or an
    immutable folder alike) and a name longer than the system takes: exit 2 and one line, before anything starts
    (both gave a traceback from the first read's lock file, or from ingest's check of the name)."""
    from flows.cli import main

    out = Path("/proc/self") if case == "a folder no one may write in" else tmp_path / ("a" * 300)
    assert main([command, *inputs[command], "--out", str(out)]) == 2
    error = capsys.readouterr().err.strip()
    said = "cannot write in" if case == "a folder no one may write in" else "cannot create"
    assert error.startswith(f"plandata {command}: error: {said} the output folder {out}: ") and "\n" not in error
    assert started == []


@pytest.mark.parametrize("arguments", [["ingest", "{text}", "--out", ""], ["archive", "", "--out", "{out}"],
                                       ["watch", "", "--once", "--out", "{out}"], ["report", "--out", ""],
                                       ["compare", "--out", ""]])
def test_an_empty_path_is_a_usage_error_not_the_current_folder(
        arguments: list[str], tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`--out "$OUT"` with OUT unset, or `archive ""`: exit 2 naming the argument, and nothing written into (or read
    from) the current folder, which an empty path would otherwise be."""
    from flows.cli import main

    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    text = samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt"
    argv = [a.format(text=text, out=tmp_path / "out") for a in arguments]

    assert main(argv) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"plandata {arguments[0]}: error: argument ") and error.endswith(
        "must not be empty (the current folder is .)")
    assert list(here.iterdir()) == [] and not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["ingest", "archive", "watch"])
def test_a_failed_server_start_leaves_no_output_folder_the_command_made(
        command: str, tmp_path: Path, inputs: dict[str, list[str]], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """When Prefect's server cannot be started nothing ran: the output folder this run made goes again (as ingest's
    does; an archive left it empty), and exit 3 with one line; a folder that was there before stays."""
    from flows import budget, cli
    from flows.cli import main
    from flows.server_start import ServerStartError

    def no_server(*args: object) -> str:
        raise ServerStartError("no server for this test")

    monkeypatch.setattr(flows.archive, "ensure_api", no_server)
    monkeypatch.setattr(cli, "start_prefect", no_server)
    new, kept = tmp_path / "new" / "out", tmp_path / "kept"
    kept.mkdir()

    assert main([command, *inputs[command], "--out", str(new)]) == 3
    assert capsys.readouterr().err.strip() == f"plandata {command}: error: no server for this test"
    assert not new.exists()
    assert main([command, *inputs[command], "--out", str(kept)]) == 3
    assert kept.is_dir()
    assert budget._processes == {} and budget._unbound == []  # ingest's early extraction stopped with it


def test_the_run_report_times_the_run_from_the_command_not_from_the_flow(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files given ahead are extracted while Prefect's server starts (a cold start takes seconds): the run
    report's start, seconds and pages per second count that time, or the report claims a run faster than it was."""
    import time

    from datetime import datetime

    from flows.report import utc_now

    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copyfile(samples_dir / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf", folder / "lapua.pdf")
    real_ensure_api = flows.archive.ensure_api

    def slow_start() -> None:  # a server that takes 3 s to answer, as a cold start on a busy machine does
        time.sleep(3.0)
        real_ensure_api()

    monkeypatch.setattr(flows.archive, "ensure_api", slow_start)
    called = utc_now()
    report = flows.archive.archive(str(folder), str(tmp_path / "out"), 1)
    started = datetime.fromisoformat(report["started_at"].replace("Z", "+00:00"))
    assert (started - called).total_seconds() < 1.0
    assert report["seconds"] >= 3.0
    assert report["pages_per_second"] <= 4 / 3.0


def test_ctrl_c_before_the_files_ahead_are_planned_ends_the_cluster_start(tmp_path: Path) -> None:
    """Ctrl-C while `archive` plans its files (the cluster starts meanwhile and waits for the first files to give
    its workers): the early cluster's end gives it none, and the command ends instead of waiting for ever."""
    import threading
    from concurrent.futures import Future

    ahead: Future[Any] = Future()
    ended = threading.Event()

    def interrupted_archive() -> None:
        try:
            with flows.archive.early_cluster(1, None, ahead, None):
                raise KeyboardInterrupt  # before the plan gave the files ahead
        except KeyboardInterrupt:
            ended.set()

    thread = threading.Thread(target=interrupted_archive, daemon=True)
    thread.start()
    assert ended.wait(120), "the early cluster's end waited for the files ahead for ever"
    assert ahead.result(timeout=0) == []
