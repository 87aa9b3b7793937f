"""The `archive_batch` flow and `plandata archive`: run report, skip-if-unchanged, changed files,
re-run after an interrupt, and extraction really done by the extraction processes the Dask workers drive."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import psutil
import pytest

import flows.archive
import flows.batch
import flows.ingest
from extractors import PIPELINE_VERSION
from extractors.pipeline import file_sha256
from extractors.source import empty_file_id
from extractors.writers import DATASETS, read_dataset
from flows.archive import archive_batch
from flows.cli import main
from flows.server_start import free_port

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows

# Small inputs: the two text exports and the 4-page Lapua PDF; the big corpus belongs to the benchmark.
GOOD = {
    "lovisa.txt": "lovisa-stadskanslicentralen-2025-2027-sv.txt",
    "2025/loviisa.txt": "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt",
    "2025/lapua.pdf": "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf",
}
REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"


class Interrupted(BaseException):
    """Stands in for Ctrl-C or a kill: not an Exception, so nothing in the flow turns it into a failed row."""


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """One small local Dask cluster for the module, used through --dask-address (an existing scheduler)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def make_good_folder(root: Path, samples: Path) -> Path:
    folder = root / "archive"
    for name, sample in GOOD.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(samples / sample, folder / name)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a plan")  # not a supported suffix: not an input
    return folder


def make_mixed_folder(root: Path, samples: Path) -> Path:
    folder = make_good_folder(root, samples)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "2025" / "broken.pdf").write_bytes((samples / REFERENCE_PDF).read_bytes()[:1000])
    return folder


def datasets(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: read_dataset(out_dir, name) for name in DATASETS}


def assert_same_datasets(left: Path, right: Path) -> None:
    for name, frame in datasets(left).items():
        pd.testing.assert_frame_equal(frame, read_dataset(right, name), obj=name)


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(entry["path"]).name: entry for entry in report["files"]}


def run(folder: Path, out_dir: Path, dask_address: str | None = None, workers: int = 2) -> dict[str, Any]:
    return archive_batch(str(folder), str(out_dir), workers, dask_address)


def test_report_has_every_file_with_counts_and_errors(
    tmp_path: Path, samples_dir: Path, dask_address: str
) -> None:
    folder = make_mixed_folder(tmp_path, samples_dir)
    out_dir = tmp_path / "out"

    report = run(folder, out_dir, dask_address)

    json_path, md_path = map(Path, report["report_paths"])
    assert json_path.parent == out_dir / "reports" and json_path.name.startswith("run-")
    assert md_path == json_path.with_suffix(".md")
    stored = json.loads(json_path.read_text(encoding="utf-8"))
    assert stored == {key: value for key, value in report.items() if key != "report_paths"}
    assert stored["kind"] == "archive" and stored["pipeline_version"] == PIPELINE_VERSION
    assert stored["task_runner"] == "DaskTaskRunner" and stored["dask_address"] == dask_address
    # that scheduler's workers are processes of their own, each driving an extraction process
    assert len(stored["dask_worker_pids"]) == 2 and os.getpid() not in stored["dask_worker_pids"]
    assert not set(stored["dask_worker_pids"]) & set(stored["worker_pids"])

    files = by_name(stored)
    assert set(files) == {"lovisa.txt", "loviisa.txt", "lapua.pdf", "empty.pdf", "broken.pdf"}
    documents = read_dataset(out_dir, "documents").set_index("document_id")
    counts = {name: read_dataset(out_dir, name)["document_id"].value_counts() for name in ("goals", "finance")}
    validation = read_dataset(out_dir, "validation")
    # findings are the checks that do not add up (warning, error); rounding differences (info) apart
    findings = validation[validation["severity"] != "info"]["document_id"].value_counts()
    infos = validation[validation["severity"] == "info"]["document_id"].value_counts()
    for name, entry in files.items():
        # the sha256 of its bytes; an empty file's is its absolute path's (extractors.source.empty_file_id)
        assert entry["document_id"] == (file_sha256(Path(entry["path"])) if name != "empty.pdf"
                                        else empty_file_id(entry["path"]))
        assert entry["skipped"] is False and entry["seconds"] > 0
        assert entry["status"] == documents.loc[entry["document_id"], "status"]
        assert entry["goals"] == counts["goals"].get(entry["document_id"], 0)
        assert entry["finance"] == counts["finance"].get(entry["document_id"], 0)
        assert entry["findings"] == findings.get(entry["document_id"], 0)
        assert entry["info_findings"] == infos.get(entry["document_id"], 0)
        if name in ("empty.pdf", "broken.pdf"):
            assert entry["status"] == "failed" and entry["error"] and entry["pages"] is None
        else:
            assert entry["status"] in ("ok", "partial") and entry["error"] is None and entry["pages"] >= 1
    assert files["empty.pdf"]["error"] == "file is empty"
    assert "truncated" in files["broken.pdf"]["error"]
    assert files["lovisa.txt"]["goals"] == 23 and files["lovisa.txt"]["finance"] == 108
    assert stored["totals"] == {
        **stored["totals"],
        # Lapua's budget tables print savings targets under them that no reader reads: partial
        "files": 5, "extracted": 5, "skipped": 0, "ok": 2, "partial": 1, "failed": 2,
        "goals": sum(entry["goals"] for entry in files.values()),
        "finance": sum(entry["finance"] for entry in files.values()),
    }

    markdown = md_path.read_text(encoding="utf-8")
    assert f"pipeline version: {PIPELINE_VERSION}" in markdown
    for entry in files.values():
        assert f"| {entry['path']} | {entry['status']} |" in markdown
    assert "## Failures" in markdown
    assert f"- `{files['empty.pdf']['path']}`: file is empty" in markdown


def test_second_run_skips_everything_and_leaves_the_datasets_untouched(
    tmp_path: Path, samples_dir: Path, dask_address: str
) -> None:
    folder = make_good_folder(tmp_path, samples_dir)
    out_dir = tmp_path / "out"
    first = run(folder, out_dir, dask_address)
    files = sorted(path for path in (out_dir / "datasets").rglob("*") if path.is_file()) + [out_dir / "plandata.duckdb"]
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}

    second = run(folder, out_dir, dask_address)

    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == before
    assert second["report_paths"] != first["report_paths"]
    assert second["totals"]["skipped"] == 3 and second["totals"]["extracted"] == 0
    assert second["worker_pids"] == []  # nothing to extract: no cluster work at all
    for name, entry in by_name(second).items():
        earlier = by_name(first)[name]
        assert entry["skipped"] is True and entry["skip_reason"].startswith("unchanged")
        for field in ("document_id", "status", "pages", "goals", "finance", "findings"):
            assert entry[field] == earlier[field], (name, field)
    stored = json.loads(Path(second["report_paths"][0]).read_text(encoding="utf-8"))
    assert all(entry["skipped"] for entry in stored["files"])
    assert "| yes |" in Path(second["report_paths"][1]).read_text(encoding="utf-8")


def test_failed_files_are_retried_and_a_changed_file_reruns_alone(
    tmp_path: Path, samples_dir: Path, dask_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_mixed_folder(tmp_path, samples_dir)
    out_dir = tmp_path / "out"
    run(folder, out_dir, dask_address)
    before = datasets(out_dir)

    again = by_name(run(folder, out_dir, dask_address))
    assert {name for name, entry in again.items() if not entry["skipped"]} == {"empty.pdf", "broken.pdf"}
    for name, frame in datasets(out_dir).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)

    changed = folder / "lovisa.txt"
    old_id = file_sha256(changed)
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rerun = by_name(run(folder, out_dir, dask_address))
    assert {name for name, entry in rerun.items() if not entry["skipped"]} == {"lovisa.txt", "empty.pdf", "broken.pdf"}
    documents = read_dataset(out_dir, "documents")
    assert len(documents) == len(before["documents"])
    assert old_id not in set(documents["document_id"]) and file_sha256(changed) in set(documents["document_id"])

    # A new pipeline version re-extracts everything (and, the extractors being the same, changes nothing).
    monkeypatch.setattr(flows.batch, "PIPELINE_VERSION", "next")
    upgraded = run(folder, out_dir, dask_address)
    assert upgraded["totals"]["skipped"] == 0
    assert len(read_dataset(out_dir, "documents")) == len(before["documents"])


def test_rerun_after_an_interrupt_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, samples_dir: Path, dask_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_mixed_folder(tmp_path, samples_dir)
    clean_out = tmp_path / "clean"
    run(folder, clean_out, dask_address)

    out_dir = tmp_path / "out"
    real_write = flows.ingest.write_record_sets
    committed: dict[str, str] = {}  # document_id -> status, in commit order

    def write_then_interrupt(record_sets: list[Any], target: Path, *rest: Any) -> Any:
        if set(committed.values()) & {"ok", "partial"}:
            raise Interrupted("killed after the first successfully committed document")
        kept = real_write(record_sets, target, *rest)
        committed.update((rs.document.document_id, rs.document.status) for rs in record_sets)
        return kept

    monkeypatch.setattr(flows.ingest, "write_record_sets", write_then_interrupt)
    with pytest.raises(Interrupted):
        run(folder, out_dir, dask_address)
    monkeypatch.undo()
    documents = read_dataset(out_dir, "documents")
    assert documents["document_id"].tolist() == sorted(committed)  # what was committed is there, once
    assert 1 <= len(committed) < 5

    resumed = run(folder, out_dir, dask_address)

    skipped = {entry["document_id"] for entry in resumed["files"] if entry["skipped"]}
    # a committed document is not read again whatever its status (ok or partial); a failed one is
    assert skipped == {document_id for document_id, status in committed.items() if status in ("ok", "partial")}
    assert read_dataset(out_dir, "documents")["document_id"].is_unique
    assert_same_datasets(out_dir, clean_out)


def _pid(worker: str) -> int:
    return int(worker.rsplit(":", 1)[1])


def test_a_local_cluster_of_two_workers_extracts_in_two_extraction_processes(tmp_path: Path, samples_dir: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    for copy in range(2):  # two PDFs start at once, one on each idle worker
        # A comment after the end of the PDF makes the two copies distinct documents.
        (folder / f"reference-{copy}.pdf").write_bytes((samples_dir / REFERENCE_PDF).read_bytes() + b"%% %d\n" % copy)
    shutil.copyfile(samples_dir / GOOD["lovisa.txt"], folder / "lovisa.txt")

    report = run(folder, tmp_path / "out", workers=2)

    assert report["task_runner"] == "DaskTaskRunner" and report["workers"] == 2
    # the workers are threads of this process, each driving an extraction process of its own
    assert report["dask_worker_pids"] == [os.getpid()]
    assert len(report["worker_pids"]) == 2 and os.getpid() not in report["worker_pids"]
    used = {_pid(entry["worker"]) for entry in report["files"]}
    assert used == set(report["worker_pids"]), report["files"]
    assert {entry["status"] for entry in report["files"]} <= {"ok", "partial"}
    # The flow's cluster is closed with the flow: its workers' extraction processes are gone.
    deadline = time.monotonic() + 30
    while any(psutil.pid_exists(pid) for pid in used) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(psutil.pid_exists(pid) for pid in used)


def test_cli_archive_shows_table_report_and_exit_codes(
    tmp_path: Path, samples_dir: Path, dask_address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_mixed_folder(tmp_path, samples_dir)
    out_dir = tmp_path / "out"

    code = main(["archive", str(folder), "--out", str(out_dir), "--dask-address", dask_address])
    output = capsys.readouterr().out
    assert code == 0, output
    assert "plandata archive" in output and "lapua.pdf" in output
    assert f"FAILED {folder / 'empty.pdf'}: file is empty" in output
    assert "5 document(s): 2 ok, 1 partial, 2 failed" in output
    assert str(out_dir / "reports") in output

    code = main(["archive", str(folder), "--out", str(out_dir), "--dask-address", dask_address])
    output = capsys.readouterr().out
    assert code == 0 and "3 skipped as unchanged" in output and "skipped" in output


def test_cli_archive_help_and_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["archive", "--help"]) == 0
    output = capsys.readouterr().out
    for option in ("FOLDER", "--out DIR", "--workers N", "--dask-address"):
        assert option in output

    assert main(["archive", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["archive", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2
    assert "no input files" in capsys.readouterr().err
    assert main(["archive", str(tmp_path), "--workers", "0"]) == 2

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.txt").write_text("Stadskanslicentralen\n", encoding="utf-8")
    monkeypatch.setattr(flows.archive, "SCHEDULER_CONNECT_TIMEOUT", 1)
    nobody = f"tcp://127.0.0.1:{free_port()}"
    assert main(["archive", str(tmp_path / "plans"), "--out", str(tmp_path / "out"), "--dask-address", nobody]) == 2
    assert f"no Dask scheduler answers at {nobody}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unchanged_archive_needs_no_flow_run(tmp_path: Path, samples_dir: Path, dask_address: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """When the catalog holds every file unchanged, `archive` reports from the catalog without a flow run."""
    folder = make_good_folder(tmp_path, samples_dir)
    out_dir = tmp_path / "out"
    first = flows.archive.archive(str(folder), str(out_dir), 2, dask_address)
    assert not any(entry["skipped"] for entry in first["files"])

    def no_flow(*args: object, **kwargs: object) -> None:
        raise AssertionError("archive_batch must not run when nothing changed")

    monkeypatch.setattr(flows.archive, "archive_batch", no_flow)
    second = flows.archive.archive(str(folder), str(out_dir), 2, dask_address)
    assert all(entry["skipped"] for entry in second["files"])
    assert [e["document_id"] for e in second["files"]] == [e["document_id"] for e in first["files"]]
    assert [(e["goals"], e["finance"]) for e in second["files"]] == [(e["goals"], e["finance"]) for e in first["files"]]
    assert all(Path(p).exists() for p in second["report_paths"])


def _gone(pids: set[int], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while any(psutil.pid_exists(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not any(psutil.pid_exists(pid) for pid in pids)


def test_archive_starts_its_local_cluster_while_prefect_starts_and_closes_it(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_good_folder(tmp_path, samples_dir)
    starting: list[bool] = []
    real_ensure_api = flows.archive.ensure_api

    def ensure_api() -> str:
        starting.append(flows.archive._early_cluster.get() is not None)  # the cluster is on its way already
        return real_ensure_api()

    monkeypatch.setattr(flows.archive, "ensure_api", ensure_api)
    report = flows.archive.archive(str(folder), str(tmp_path / "out"), 2)

    assert starting == [True]
    assert report["task_runner"] == "DaskTaskRunner" and report["workers"] == 2
    assert len(report["worker_pids"]) == 2 and os.getpid() not in report["worker_pids"]
    used = {_pid(entry["worker"]) for entry in report["files"]}
    assert used and used <= set(report["worker_pids"]), report["files"]
    # Lapua's budget prints savings targets no reader reads: partial
    assert {Path(entry["path"]).name: entry["status"] for entry in report["files"]} == \
        {"lovisa.txt": "ok", "loviisa.txt": "ok", "lapua.pdf": "partial"}
    assert _gone(set(report["worker_pids"]))  # closed when the archive ends


def test_a_failed_server_start_closes_the_early_cluster(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import Client

    from flows.server_start import ServerStartError

    folder = make_good_folder(tmp_path, samples_dir)
    pids: set[int] = set()

    def no_server() -> str:
        early = flows.archive._early_cluster.get()
        assert early is not None
        with Client(early[1].result(timeout=120), set_as_default=False) as client:
            pids.update(client.run(flows.archive.start_extraction).values())  # each worker's extraction process
        raise ServerStartError("no server for this test")

    monkeypatch.setattr(flows.archive, "ensure_api", no_server)
    with pytest.raises(ServerStartError, match="no server for this test"):
        flows.archive.archive(str(folder), str(tmp_path / "out"), 2)
    assert len(pids) == 2 and _gone(pids)


def test_the_local_cluster_runs_without_dask_s_profiler_and_fast_health_checks() -> None:
    """The archive's local cluster (flows.archive.local_cluster) starts its scheduler and workers with
    LOCAL_CLUSTER_CONFIG, in this process only while it starts them: the config is Dask's again afterwards."""
    import dask

    before = dask.config.get("distributed.worker.profile.enabled")
    with flows.archive.local_cluster(**flows.archive.local_cluster_kwargs(1)) as cluster:
        (worker,) = cluster.workers.values()
        assert "profile" not in worker.periodic_callbacks and "profile-cycle" not in worker.periodic_callbacks
        assert worker.periodic_callbacks["tick"].callback_time == 1000  # ms
        assert cluster.scheduler.periodic_callbacks["tick"].callback_time == 1000
        assert worker.periodic_callbacks["memory_monitor"].callback_time == 1000
    assert dask.config.get("distributed.worker.profile.enabled") == before
    assert dask.config.get("distributed.admin.tick.interval") == "20ms"


def test_the_task_runner_of_a_local_cluster_starts_it_with_that_config() -> None:
    runner = flows.archive.dask_task_runner(2)
    assert runner.cluster_class is flows.archive.local_cluster
    assert runner.cluster_kwargs == flows.archive.local_cluster_kwargs(2)
