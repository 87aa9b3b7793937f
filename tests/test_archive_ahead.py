"""`archive` into a new output folder gives each Dask worker's extraction process its first file before the flow
starts (flows.archive.start_local_cluster), and the flow sends that file's task to the same worker; the workers
are threads of the command's process, each driving an extraction process of its own, where the files are extracted."""

from __future__ import annotations

import os
import shutil
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
