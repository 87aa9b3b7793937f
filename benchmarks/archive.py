"""Benchmark of the archive flow: the whole shared corpus with 1 and then 2 Dask workers, then a re-run.

Each measured run starts from a fresh output folder, so nothing is skipped; the last run repeats the
2-worker archive into its own output, where everything is skipped. Prints wall seconds, pages per
second and the peak resident memory of the whole process tree (this process, the Dask workers and
their nannies, the temporary Prefect server), sampled by psutil in a thread. The temporary Prefect
server is started before the first measurement and reported separately.

    .venv/bin/python benchmarks/archive.py [--corpus ../shared/corpus] [--json results.json] [--cli]

--cli also times `plandata archive` end to end in fresh processes (first run, then the re-run), which
includes Python start-up and Prefect's temporary server each time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import psutil

import flows  # noqa: F401  (embedded Prefect defaults before Prefect is imported)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
MB = 1024 * 1024


class PeakMemory(threading.Thread):
    """Samples the RSS of this process and all its descendants; keeps the peak of the sum."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_total = 0
        self.peak_children = 0
        self._stop_event = threading.Event()

    def sample(self) -> None:
        me = psutil.Process()
        total = me.memory_info().rss
        children = 0
        for child in me.children(recursive=True):
            try:
                children += child.memory_info().rss
            except psutil.Error:  # exited between listing and reading
                pass
        self.peak_total = max(self.peak_total, total + children)
        self.peak_children = max(self.peak_children, children)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop_event.set()
        self.join()


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _prefect_server() -> psutil.Process | None:
    """The temporary Prefect server this process started (a uvicorn child)."""
    for child in psutil.Process().children(recursive=True):
        if "uvicorn" in " ".join(child.cmdline()):
            return child
    return None


def measure(label: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    me, server = psutil.Process(), _prefect_server()
    cpu_before = (_cpu_seconds(me), _cpu_seconds(server) if server else 0.0)
    with PeakMemory() as memory:
        started = time.perf_counter()
        report = run()
        seconds = time.perf_counter() - started
    cpu_after = (_cpu_seconds(me), _cpu_seconds(server) if server else 0.0)
    pages = report["totals"]["extracted_pages"]
    result = {
        "run": label,
        "workers": report.get("workers"),
        "seconds": round(seconds, 2),
        "cluster_start_seconds": report.get("cluster_start_seconds"),
        "files": report["totals"]["files"],
        "extracted": report["totals"]["extracted"],
        "skipped": report["totals"]["skipped"],
        "pages": pages,
        "pages_per_second": round(pages / seconds, 2),
        "peak_rss_mb": round(memory.peak_total / MB),
        "peak_rss_children_mb": round(memory.peak_children / MB),
        # Orchestration cost: CPU of the flow process (scheduler, writer, Prefect client) and of the server.
        "flow_process_cpu_seconds": round(cpu_after[0] - cpu_before[0], 2),
        "prefect_server_cpu_seconds": round(cpu_after[1] - cpu_before[1], 2),
        "statuses": {status: report["totals"][status] for status in ("ok", "partial", "failed")},
        "task_seconds": [entry["seconds"] for entry in report["files"] if not entry["skipped"]],
        "slowest": sorted(((entry["seconds"], Path(entry["path"]).name) for entry in report["files"]), reverse=True)[
            :3
        ],
    }
    print(
        f"{label:>22}: {result['seconds']:7.2f} s, {pages} pages extracted, {result['pages_per_second']:6.2f} pages/s, "
        f"peak RSS {result['peak_rss_mb']} MB (children {result['peak_rss_children_mb']} MB); CPU s of the flow "
        f"process {result['flow_process_cpu_seconds']}, of the Prefect server {result['prefect_server_cpu_seconds']}",
        flush=True,
    )
    return result


def _burn(iterations: int) -> float:
    started = time.perf_counter()
    total = 0
    for number in range(iterations):
        total += number * number
    return time.perf_counter() - started


def cpu_parallel_capacity(iterations: int = 20_000_000, rounds: int = 3) -> float:
    """How many CPU-bound processes' worth of work this machine does at once with two of them (ideal: 2.0).

    Virtual machines may show two CPUs that the host does not really give them at the same time, and
    what it gives varies from minute to minute; the 2-worker figures only make sense next to this
    number. The median of a few rounds of one burn alone against two at once.
    """
    ratios = []
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [iterations // 10] * 2)  # start-up and imports out of the way
        for _ in range(rounds):
            alone = pool.apply(_burn, (iterations,))
            started = time.perf_counter()
            pool.map(_burn, [iterations] * 2)
            ratios.append(2 * alone / (time.perf_counter() - started))
    return round(statistics.median(ratios), 2)


def lpt_makespan(seconds: list[float], workers: int) -> float:
    """Wall time of the given task times on `workers` workers, longest first (how the flow submits)."""
    loads = [0.0] * workers
    for duration in sorted(seconds, reverse=True):
        loads[loads.index(min(loads))] += duration
    return max(loads)


def time_cli(corpus: Path, out_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("plandata")), "archive", str(corpus), "--out", str(out_dir)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return round(time.perf_counter() - started, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--cli", action="store_true", help="also time `plandata archive` end to end, twice")
    args = parser.parse_args()

    results: dict[str, Any] = {"cpu_parallel_capacity": cpu_parallel_capacity(), "runs": []}
    print(f"This machine runs two CPU-bound processes at {results['cpu_parallel_capacity']}x the speed of one",
          flush=True)

    from prefect import flow

    from flows.archive import archive_batch

    @flow(name="benchmark_warm_up")
    def warm_up() -> None:
        """Starts Prefect's temporary server, which every later flow run in this process reuses."""

    started = time.perf_counter()
    warm_up()
    results["prefect_server_start_seconds"] = round(time.perf_counter() - started, 2)
    print(f"Prefect temporary server started in {results['prefect_server_start_seconds']} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="plandata-bench-") as temp:
        outputs = {workers: Path(temp) / f"out-{workers}" for workers in (1, 2)}
        for workers, out_dir in outputs.items():
            run = partial(archive_batch, str(args.corpus), str(out_dir), workers)
            results["runs"].append(measure(f"{workers} worker(s), fresh", run))
        rerun = partial(archive_batch, str(args.corpus), str(outputs[2]), 2)
        results["runs"].append(measure("2 worker(s), re-run", rerun))
        if args.cli:
            cli_out = Path(temp) / "out-cli"
            results["cli_first_seconds"] = time_cli(args.corpus, cli_out)
            results["cli_second_seconds"] = time_cli(args.corpus, cli_out)
            print(f"plandata archive end to end: first {results['cli_first_seconds']} s, "
                  f"second {results['cli_second_seconds']} s", flush=True)

    one, two, rerun = results["runs"]
    results["speedup_2_vs_1"] = round(two["pages_per_second"] / one["pages_per_second"], 2)
    results["rerun_speedup"] = round(two["seconds"] / rerun["seconds"], 1)
    print(f"2 workers vs 1: {results['speedup_2_vs_1']}x pages/s; re-run {results['rerun_speedup']}x faster "
          f"than the first 2-worker run", flush=True)
    # What two real cores would give: the 1-worker task times spread over 2 workers, longest first,
    # plus the fixed costs of the 2-worker run (cluster start) and of everything outside the tasks.
    outside_tasks = one["seconds"] - sum(one["task_seconds"]) - (one["cluster_start_seconds"] or 0)
    projected = outside_tasks + (two["cluster_start_seconds"] or 0) + lpt_makespan(one["task_seconds"], 2)
    results["projected_2_core_speedup"] = round(one["seconds"] / projected, 2)
    print(f"With two real cores (1-worker task times spread longest-first over 2 workers): "
          f"{results['projected_2_core_speedup']}x", flush=True)
    for run in results["runs"]:
        print(f"  {run['run']}: slowest {run['slowest']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
