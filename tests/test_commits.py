"""Commits of the writers stage: stopped between any two file operations (as a kill would), and concurrent
writers of one output folder (the lock, its waiting message and its time-out)."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pandas as pd
import pytest

from extractors import journal, writers
from extractors.writers import read_dataset, write_derived_datasets, write_record_sets
from tests.test_writers import all_datasets, catalog_counts, leftover_temp_files, make_record_set


def _write_series(out_dir: str, prefix: str, count: int) -> None:
    for index in range(count):
        write_record_sets([make_record_set(f"{prefix}-{index}", f"{prefix}/{index}.pdf")], Path(out_dir))


def test_concurrent_writers_serialize_without_losing_documents(tmp_path: Path) -> None:
    # spawn, not fork: the session runs a Prefect server thread, and forking a threaded process can deadlock.
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_series, args=(str(tmp_path), prefix, 6)) for prefix in ("p", "q")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0

    expected = {f"{prefix}-{index}" for prefix in ("p", "q") for index in range(6)}
    assert set(read_dataset(tmp_path, "documents")["document_id"]) == expected
    assert len(read_dataset(tmp_path, "finance")) == 3 * len(expected)
    assert leftover_temp_files(tmp_path) == []


def _hold_lock(out_dir: str, ready: object, release: object) -> None:
    with journal.locked(Path(out_dir)):
        ready.set()  # type: ignore[attr-defined]
        release.wait(60)  # type: ignore[attr-defined]


def test_a_second_writer_waits_for_the_lock_and_says_so(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        waits: list[str] = []
        with pytest.raises(journal.LockTimeout, match=r"\.plandata\.lock.*pid \d+"):
            with journal.locked(tmp_path, timeout=0.3, on_wait=waits.append):
                pass
        assert len(waits) == 1 and str(tmp_path / ".plandata.lock") in waits[0] and f"pid {holder.pid}" in waits[0]
        release.set()
        write_record_sets([make_record_set("doc-a", "a.pdf")], tmp_path)  # waits, then commits
    finally:
        release.set()
        holder.join(30)
    assert read_dataset(tmp_path, "documents")["document_id"].tolist() == ["doc-a"]


# --- atomic commits: the writer stopped between any two of its file operations ------------------------


class Killed(BaseException):
    """Stands in for kill -9: not an Exception, so no clean-up code of the writer runs."""


def _commit_under_test(out_dir: Path) -> None:
    write_record_sets(
        [
            make_record_set("b-v2", "b.pdf", amount_offset=3),  # a new version of b.pdf: b-v1 goes
            make_record_set("doc-a", "a.pdf", goal_count=0, with_validation=True),  # replaced in place
            make_record_set("doc-c", "c.pdf"),  # new
        ],
        out_dir,
    )


def _same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> bool:
    try:
        for name in left:
            pd.testing.assert_frame_equal(left[name], right[name])
    except AssertionError:
        return False
    return True


def test_a_commit_stopped_at_any_file_operation_is_whole_or_absent_and_the_next_run_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = tmp_path / "start"
    write_record_sets([make_record_set("doc-a", "a.pdf"), make_record_set("b-v1", "b.pdf")], start)
    write_derived_datasets({"editions": []}, start)
    before = all_datasets(start)
    done = tmp_path / "done"
    shutil.copytree(start, done)
    writers.forget_process_state()
    operations: list[tuple[str, Path]] = []
    monkeypatch.setattr(journal, "fault_hook", lambda operation, path: operations.append((operation, path)))
    _commit_under_test(done)
    monkeypatch.setattr(journal, "fault_hook", None)
    after = all_datasets(done)
    assert not _same(before, after)
    kinds = {operation for operation, _ in operations}
    assert kinds == {"write", "fsync", "rename", "unlink"} and len(operations) > 20

    outcomes = []
    for step in range(len(operations)):
        out = tmp_path / f"step-{step}"
        shutil.copytree(start, out)
        writers.forget_process_state()
        seen = 0

        def stop_at(operation: str, path: Path, step: int = step) -> None:
            nonlocal seen
            if seen == step:
                raise Killed(f"killed before {operation} {path.name}")
            seen += 1

        monkeypatch.setattr(journal, "fault_hook", stop_at)
        with pytest.raises(Killed):
            _commit_under_test(out)
        monkeypatch.setattr(journal, "fault_hook", None)
        writers.forget_process_state()  # a new process: nothing cached survives a kill

        seen_now = all_datasets(out)  # readers complete a commit whose journal was written
        outcomes.append("after" if _same(seen_now, after) else "before" if _same(seen_now, before) else "mixed")
        assert outcomes[-1] != "mixed", f"stopped before operation {step} ({operations[step]}): half a commit visible"
        assert seen_now["documents"]["document_id"].is_unique

        _commit_under_test(out)  # the next run
        assert _same(all_datasets(out), after), step
        assert leftover_temp_files(out) == [], step
        assert catalog_counts(out)["finance"] == len(after["finance"])
        shutil.rmtree(out)
    assert "before" in outcomes and "after" in outcomes  # the journal's rename is the commit point
