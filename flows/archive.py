"""Flow `archive_batch`: every plan document under a folder -> datasets, concurrently on Dask, with a run report.

Extraction tasks run on Dask workers (prefect-dask's DaskTaskRunner: a local cluster, or an existing
scheduler); each worker drives an extraction process of its own (flows.budget, flows.worker), which forks a
child per document. The workers of a local cluster (threads of this process) share one loading: the first
extraction process forks the others once it has loaded the stages (flows.budget.prestart_slots). The flow's own
process is the only writer and commits each document as its result arrives. Files already in the catalog with the
same sha256 and pipeline version are skipped.

Each Dask worker imports this module (the flow travels with every task run's context), so the writers and the
stages (flows.batch) are imported inside the functions that run in the flow's process: a worker needs neither.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import flow
from prefect import context as prefect_context
from prefect.context import SettingsContext, get_run_context
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect_dask import DaskTaskRunner

from extractors.source import source_path
from flows.budget import Budget, extraction_slot, interrupted, prefetch, prestart, prestart_slots, prestart_unbound
from flows.budget import stop as stop_extraction
from flows.defaults import DEFAULT_WORKERS
from flows.inputs import discover, new_output_folder
from flows.report import build_report, utc_now, write_run_report
from flows.runs import archive_run_name, catalog_tags, tag_run, without_flow_heartbeats
from flows.server import ensure_api

if TYPE_CHECKING:
    from distributed import LocalCluster

WORKER_START_TIMEOUT = 120  # seconds for a local cluster's workers to come up
SCHEDULER_CONNECT_TIMEOUT = 10  # seconds to wait for an existing scheduler to answer

# A local cluster `archive` started (or is starting) before its flow runs, with its number of workers.
_early_cluster: ContextVar[tuple[int, Future[LocalCluster]] | None] = ContextVar("plandata_early_cluster",
                                                                                  default=None)

Ahead = Sequence[tuple[Path, dict[str, Any]]]  # files given to the workers ahead, with their jobs
# The files that cluster's workers were given ahead (file -> worker address; filled as the cluster starts).
_given_ahead: ContextVar[dict[Path, str] | None] = ContextVar("plandata_given_ahead", default=None)


def local_cluster_kwargs(workers: int) -> dict[str, Any]:
    """A local Dask cluster of `workers` workers of one thread each, in this process.

    A worker only hands its jobs to its extraction process (flows.budget: each worker its own, which forks a child
    per document) and waits, so the extraction runs in parallel in those processes, not under this process's GIL.
    Worker processes of their own would each import Dask and Prefect and pickle every document's records once more
    on the way back: measured on the corpus (15 files, 2 workers), 11 to 13 CPU s of a 62 to 72 CPU s run.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    return {
        "n_workers": workers,
        "threads_per_worker": 1,
        "processes": False,
        "dashboard_address": ":0",  # a free port: never clash with another cluster
    }


# Dask's defaults are for a cluster watched on its dashboard: each worker samples its task thread's stack 100 times a
# second for the profile, and each server checks its event loop 50 times a second. The local cluster runs in this
# process, whose CPU is also the writer's, and its tasks only wait for their extraction processes: measured on an
# idle two-worker cluster with two waiting tasks, 56 ms of CPU per second of wall with the defaults, 5 ms with these
# (about 4 CPU s of a corpus archive). The memory checks still pause a worker near its limit, a second later at most.
LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,  # default: a sample every 10 ms per worker
    "distributed.admin.tick.interval": "1s",  # the event loop health check; default 20 ms
    "distributed.worker.memory.monitor-interval": "1s",  # the spill, pause, terminate checks; default 100 ms
    "distributed.admin.system-monitor.interval": "5s",  # the dashboard's CPU, memory, I/O series; default 500 ms
}


def local_cluster(**kwargs: Any) -> LocalCluster:
    """distributed.LocalCluster(**kwargs) with LOCAL_CLUSTER_CONFIG (read by its scheduler and workers as they
    start); the cluster class of the archive's task runner."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        return LocalCluster(**kwargs)


def start_extraction(dask_worker: Any) -> int:
    """Start the extraction process of the Dask worker this runs on (Client.run passes it); returns its pid."""
    with extraction_slot(dask_worker.address):
        return prestart()


def prefetch_on(job: dict[str, Any], budget: Budget, dask_worker: Any) -> None:
    """flows.budget.prefetch with the extraction process of the Dask worker this runs on (Client.run passes it)."""
    with extraction_slot(dask_worker.address):
        prefetch(job, budget)


def dask_task_runner(workers: int, dask_address: str | None = None) -> DaskTaskRunner:
    """A runner on an existing scheduler, on the local cluster `early_cluster` started, or on a local cluster of
    `workers` single-threaded processes of its own (closed with the runner)."""
    if dask_address:
        return DaskTaskRunner(address=dask_address)
    early = _early_cluster.get()
    if early is not None and early[0] == workers:
        return DaskTaskRunner(cluster=early[1].result())
    return DaskTaskRunner(cluster_class=local_cluster, cluster_kwargs=local_cluster_kwargs(workers))


def given_ahead(workers: int, dask_address: str | None = None) -> dict[Path, str] | None:
    """The files the early cluster that dask_task_runner uses gave its workers ahead (file -> worker address)."""
    early = _early_cluster.get()
    return _given_ahead.get() if early is not None and early[0] == workers and not dask_address else None


def start_local_cluster(workers: int, ahead: Ahead | Future[Ahead] = (),
                        budget: dict[str, Any] | None = None, given: dict[Path, str] | None = None) -> LocalCluster:
    """A local cluster (local_cluster_kwargs) whose workers have started their extraction processes (flows.budget,
    which load the stages in the background).

    ahead holds (file, job) pairs (flows.batch.jobs_ahead), or will (a Future): each worker's
    extraction process in turn is given one to start on as soon as it has loaded (flows.budget.prefetch), and
    given records which worker has which file, so that the flow sends the file's task there (flows.batch.run_batch's
    placement).
    """
    from distributed import Client

    cluster = local_cluster(**local_cluster_kwargs(workers))
    try:
        with Client(cluster, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=WORKER_START_TIMEOUT)
            prestart_slots(list(client.scheduler_info()["workers"]))  # its workers are threads of this process
            first = ahead.result() if isinstance(ahead, Future) else ahead  # the plan may still be in the making
            for address, (path, job) in zip(sorted(client.scheduler_info()["workers"]), first, strict=False):
                client.run(prefetch_on, job, Budget(**(budget or {})), workers=[address])
                if given is not None:
                    given[path] = address
    except BaseException:
        close_local_cluster(cluster)
        raise
    return cluster


def close_local_cluster(cluster: LocalCluster) -> None:
    """Close a local cluster of this process and stop its workers' extraction processes (they live as long as the
    process that started them, which outlives the cluster). After Ctrl-C (flows.budget.interrupted) the extraction
    processes are stopped first: the workers' tasks waiting on them then end at once, and so does the close."""
    if interrupted():
        stop_extraction()
    try:
        cluster.close()
    finally:
        stop_extraction()


@contextmanager
def early_cluster(workers: int, dask_address: str | None = None,
                  ahead: Ahead | Future[Ahead] = (), budget: dict[str, Any] | None = None) -> Iterator[None]:
    """Start the local cluster of the archive flow now, in a thread, and close it at the end of the block.

    The cluster's start (worker processes) and the workers' loading of the stages then overlap what the caller
    does meanwhile (starting Prefect's server: about 13 s of a 108 s archive of the corpus at a load average
    of 8, the cluster 7 s and the loading about 18 s, measured one after the other). `archive_batch` run inside
    the block uses this cluster (dask_task_runner). Nothing is started for an existing scheduler (dask_address).
    The first files to extract (ahead, see start_local_cluster) start extracting as soon as the workers have
    loaded the stages, while the server is still starting, rather than when the flow submits them: the largest
    document, which ends the batch, starts that much earlier.
    """
    if dask_address:
        yield
        return
    local_cluster_kwargs(workers)  # a bad number of workers fails here, before a thread starts
    prestart_unbound(workers)  # loading while the cluster starts (`plandata archive` started them before its imports)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plandata-cluster") as starter:
        given: dict[Path, str] = {}
        future: Future[LocalCluster] | None = None
        token = given_token = None
        try:
            future = starter.submit(start_local_cluster, workers, ahead, budget, given)
            token, given_token = _early_cluster.set((workers, future)), _given_ahead.set(given)
            yield
        finally:
            if isinstance(ahead, Future) and not ahead.done():
                # the block ended (Ctrl-C, an error) before it gave the files ahead: the cluster's start, which waits
                # for them, gets none, or it and this close would wait for each other for ever
                ahead.set_result([])
            if given_token is not None:
                _given_ahead.reset(given_token)
            if token is not None:
                _early_cluster.reset(token)
            try:
                if future is not None:
                    close_local_cluster(future.result())
            except Exception:  # noqa: BLE001 - a cluster that failed to start has nothing to close; the flow said why
                pass


def check_scheduler(address: str) -> None:
    """Raise OSError naming the address when no Dask scheduler answers there (before any flow starts)."""
    from distributed import Client

    try:
        with Client(address, timeout=SCHEDULER_CONNECT_TIMEOUT, set_as_default=False):
            pass
    except (OSError, TimeoutError) as exc:
        raise OSError(f"no Dask scheduler answers at {address}: {exc}") from exc


@contextmanager
def api_for_workers() -> Iterator[None]:
    """Make task runs in other processes report to this flow's Prefect API.

    Without a configured server (PREFECT_API_URL unset) Prefect starts a temporary server per
    process; each Dask worker would start its own (seconds each, and runs scattered over several
    servers). Pinning the URL of the one this flow uses makes the workers' task runs report there.
    """
    if PREFECT_API_URL.value():
        yield
        return
    api_url = str(get_run_context().client.api_url)
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


class _ThisProcessSettings(SettingsContext):
    """The current Prefect settings, entered again as a settings context that serializes to nothing: a task
    submitted inside it carries no settings, and its run, in a thread of this process, uses the process's global
    settings (which settings_for_local_workers checked are the same for tasks) instead of validating a copy
    (prefect.context.hydrated_context builds a new Settings object from the copy for every task run: every settings
    source read again, env files and TOML files looked up for each nested model). Measured with Prefect 3.9 on two
    Dask worker threads: 60 -> 30 ms of CPU per task run, half of it in the submitting thread
    (SettingsContext.serialize)."""

    def serialize(self, include_secrets: bool = True) -> dict[str, Any]:
        return {}


@contextmanager
def settings_for_local_workers(local: bool) -> Iterator[None]:
    """Inside the block, tasks submitted to a local cluster of threads (local) use this process's global settings
    (_ThisProcessSettings) when the current ones are those but for the flows' own (flows.*, which task runs do not
    read: flows.runs.without_flow_heartbeats); elsewhere, and for workers of an existing scheduler (other processes,
    whose settings are their own), tasks carry the current settings as Prefect sends them."""
    current, process = SettingsContext.get(), prefect_context.GLOBAL_SETTINGS_CONTEXT
    if not local or current is None or \
            current.settings.model_copy(update={"flows": process.settings.flows}) != process.settings:
        yield
        return
    with _ThisProcessSettings(profile=current.profile, settings=current.settings):
        yield


def cluster_details(runner: DaskTaskRunner, workers: int, local: bool) -> dict[str, Any]:
    """Scheduler address, workers and the extraction process each drives, for the run report (and proof that Dask
    did the work): worker_processes "ADDRESS pid PID" and worker_pids name the extraction processes (those that
    extract, as each file's `worker` does), dask_worker_pids the processes the Dask workers run in (this one for
    the local cluster)."""
    started = time.perf_counter()
    client = runner.client  # creates the local cluster, or connects to the scheduler
    if local:
        client.wait_for_workers(workers, timeout=WORKER_START_TIMEOUT)
        prestart_slots(list(client.scheduler_info()["workers"]))  # one loading for all (none if they run already)
    dask_pids = client.run(os.getpid)
    # each worker's extraction process starts loading the stages (if it has not) while the tasks are submitted
    extraction_pids = client.run(start_extraction)
    return {
        "cluster_start_seconds": round(time.perf_counter() - started, 3),
        "dask_address": client.scheduler.address,
        "workers": len(extraction_pids),
        "worker_processes": sorted(f"{address} pid {pid}" for address, pid in extraction_pids.items()),
        "worker_pids": sorted(extraction_pids.values()),
        "dask_worker_pids": sorted(set(dask_pids.values())),
    }


def extraction_pids(started: list[int], summaries: list[dict[str, Any]]) -> list[int]:
    """Every extraction process of the run: those started with the cluster and those that extracted a file (its
    `worker`, host:pid), such as one started again after another was killed."""
    pids = set(started)
    for summary in summaries:
        host, _, pid = str(summary.get("worker") or "").rpartition(":")
        if host and pid.isdigit():
            pids.add(int(pid))
    return sorted(pids)


def stop_own_cluster_extraction(dask_address: str | None) -> None:
    """Stop the extraction processes of a local cluster the runner started and closed (dask_task_runner): its
    workers ran in this process, which outlives them. A function of its own: Dask pickles archive_batch's function
    by value with every task, and a ContextVar does not pickle."""
    if not dask_address and _early_cluster.get() is None:
        stop_extraction()


@flow(name="archive_batch", log_prints=False, flow_run_name=archive_run_name)
def archive_batch(
    folder: str, out_dir: str, workers: int = DEFAULT_WORKERS, dask_address: str | None = None,
    budget: dict[str, Any] | None = None, started_at: datetime | None = None,
) -> dict[str, Any]:
    """Ingest every PDF and plan text under folder (its text, see extractors.source; recursively, links
    not followed) into out_dir, each document within budget (flows.budget.Budget's fields); returns the
    run report, timed from started_at when given (`archive`: files were given to the workers before this flow
    started, while Prefect's server started), else from the flow's start.

    The report (also written to OUT/reports/run-<UTC timestamp>.json and .md) has one entry per
    file: document_id, status, pages, goals, finance figures, findings, seconds, skipped, error; and
    the entries of the folder left out (links, special files) with the reason.
    """
    from flows.batch import plan_batch, run_batch

    started = started_at or utc_now()
    files, left_out = discover(source_path(folder))
    plan = plan_batch(files, source_path(out_dir))
    details: dict[str, Any] = {
        "task_runner": "DaskTaskRunner",
        "workers": None if dask_address else workers,
        "dask_address": dask_address,
        "worker_processes": [],
        "worker_pids": [],
        "dask_worker_pids": [],
    }
    if all(planned.skipped for planned in plan):
        summaries = run_batch(plan, out_dir, runner=None)  # nothing to extract: no cluster to start
    else:
        given = given_ahead(workers, dask_address)
        try:
            with api_for_workers(), dask_task_runner(workers, dask_address) as runner, \
                    settings_for_local_workers(local=not dask_address):
                details.update(cluster_details(runner, workers, local=not dask_address))
                summaries = run_batch(plan, out_dir, runner, budget=budget, placement=given)
        finally:
            stop_own_cluster_extraction(dask_address)
        details["worker_pids"] = extraction_pids(details["worker_pids"], summaries)
    report = build_report("archive", folder, out_dir, summaries, started, utc_now(), left_out=left_out, **details)
    report["report_paths"] = write_run_report(source_path(out_dir), report)
    tag_run(catalog_tags(source_path(out_dir), [summary["document_id"] for summary in summaries]))
    return report


def archive(
    folder: str, out_dir: str, workers: int = DEFAULT_WORKERS, dask_address: str | None = None,
    budget: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run `archive_batch`, unless the catalog already holds every file unchanged.

    Then there is nothing to extract: the run report is built from the catalog without starting a
    Prefect server or a Dask cluster, so re-running an unchanged archive takes about a second.
    """
    started = utc_now()
    files, left_out = discover(source_path(folder))
    if files and new_output_folder(source_path(out_dir)):  # nothing can be unchanged: start everything at once
        return _archive_all(folder, out_dir, files, workers, dask_address, budget, started)
    from flows.batch import jobs_ahead, plan_batch, run_batch

    plan = plan_batch(files, source_path(out_dir))
    if not plan or not all(planned.skipped for planned in plan):
        # the cluster starts while Prefect's server starts
        with early_cluster(workers, dask_address, jobs_ahead(plan, out_dir, workers), budget):
            ensure_api()  # started here, where it is waited for and fails with one clear line
            with without_flow_heartbeats():
                return archive_batch(folder, out_dir, workers, dask_address, budget, started)
    summaries = run_batch(plan, out_dir, runner=None)
    report = build_report("archive", folder, out_dir, summaries, started, utc_now(),
                          task_runner=None, workers=0, dask_address=dask_address, worker_processes=[],
                          worker_pids=[], dask_worker_pids=[], left_out=left_out,
                          note="every file unchanged: nothing extracted, no flow run")
    report["report_paths"] = write_run_report(source_path(out_dir), report)
    return report


def _archive_all(folder: str, out_dir: str, files: list[Path], workers: int, dask_address: str | None,
                 budget: dict[str, Any] | None, started: datetime) -> dict[str, Any]:
    """`archive` into a new output folder: the cluster and Prefect's server start before this process imports the
    writers and plans the batch (reading every file for its sha256), and the server starts in a thread while it
    does; the workers get their first files as soon as the plan names them."""
    ahead: Future[Ahead] = Future()
    with early_cluster(workers, dask_address, ahead, budget):
        server = _in_background(ensure_api)  # it sees the early cluster
        try:
            from flows.batch import jobs_ahead, plan_batch

            ahead.set_result(jobs_ahead(plan_batch(files, source_path(out_dir), new_output=True), out_dir, workers))
        finally:
            if not ahead.done():
                ahead.set_result([])
        server.result()  # waited for here, and fails with one clear line
        with without_flow_heartbeats():
            return archive_batch(folder, out_dir, workers, dask_address, budget, started)


def _in_background(function: Callable[[], None]) -> Future[None]:
    """Run function in a copy of this context in a daemon thread, its outcome in the Future. Not a
    ThreadPoolExecutor's thread, which the interpreter joins at its exit: Ctrl-C while Prefect's server starts ends
    the command at once (measured 4.9 s and 15 s of waiting for the start), and the server, a process of its own
    (flows.shared_server), goes on starting for the next command."""
    future: Future[None] = Future()
    context = copy_context()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(context.run(function))
            except BaseException as exc:  # noqa: BLE001 - given to the waiting caller
                future.set_exception(exc)

    threading.Thread(target=run, daemon=True, name="plandata-server").start()
    return future
