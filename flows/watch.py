"""Flow `watch_inbox`: one pass over an inbox folder -> ingest its complete files -> move them to
processed/ or failed/; `serve_watch` runs that pass on a schedule as a Prefect deployment.

A file is taken only when it is complete: its size and modification time did not change over a
short settle interval, it was last modified at least a minimum age ago, it is not empty, and a PDF ends
like a whole file (its %%EOF marker after a cross-reference that is where startxref says), so a copy
that stalled half-way waits however old it is. Symbolic links and special files are never read or moved (they are
reported), and nothing is moved out of the inbox. Rows are committed
before the file is moved, so a pass that stops half-way leaves files in the inbox, and the next pass
skips (unchanged content) or retries them; nothing is lost or duplicated.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.types.entrypoint import EntrypointType

from extractors import PIPELINE_VERSION
from extractors.guard import looks_complete
from extractors.source import source_path, source_text
from flows.batch import plan_batch, run_batch
from flows.budget import prestart
from flows.defaults import DEFAULT_INTERVAL_SECONDS, DEFAULT_MIN_AGE_SECONDS, DEFAULT_SETTLE_SECONDS
from flows.ingest import Summary, discover
from flows.report import build_report, utc_now, write_run_report
from flows.runs import catalog_tags, tag_run, watch_run_name
from flows.server import scheduling_server

PROCESSED = "processed"
FAILED = "failed"
ERROR_SUFFIX = ".error.txt"
DEPLOYMENT_NAME = "plandata-inbox"

FileState = tuple[int, int]  # size in bytes, modification time in ns


def file_states(inbox: Path) -> dict[Path, FileState]:
    """Size and mtime of the inbox's own regular supported files (processed/ and failed/ are not looked into)."""
    states: dict[Path, FileState] = {}
    for path in discover(inbox, recursive=False)[0]:
        try:
            stat = path.stat()
        except OSError:  # gone since listed
            continue
        states[path] = (stat.st_size, stat.st_mtime_ns)
    return states


def stable_files(
    inbox: Path, settle_seconds: float, min_age_seconds: float, sleep: Callable[[float], None] = time.sleep
) -> tuple[list[Path], list[dict[str, str]]]:
    """(files ready to ingest, files left alone with the reason) after watching the inbox for settle_seconds."""
    before = file_states(inbox)
    if not before:
        return [], []
    sleep(settle_seconds)
    after = file_states(inbox)
    now_ns = time.time_ns()
    ready: list[Path] = []
    waiting: list[dict[str, str]] = []
    for path, state in after.items():
        age = (now_ns - state[1]) / 1e9
        incomplete = looks_complete(path)
        if before.get(path) != state:
            waiting.append({"path": source_text(path), "reason": "size or modification time changed while watched"})
        elif age < min_age_seconds:
            waiting.append({"path": source_text(path),
                            "reason": f"modified {age:.1f} s ago (minimum age {min_age_seconds} s)"})
        elif incomplete is not None:
            waiting.append({"path": source_text(path), "reason": incomplete})
        else:
            ready.append(path)
    return ready, waiting


def free_path(folder: Path, name: str, taken: set[Path]) -> Path:
    """folder/name, or folder/<stem>-2<suffix>, ... when a file of that name is already there."""
    candidate = folder / name
    number = 2
    while candidate.exists() or candidate in taken:
        candidate = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    taken.add(candidate)
    return candidate


def destinations(inbox: Path, files: list[Path]) -> dict[Path, dict[str, Path]]:
    """Where each file goes if it succeeds (processed/) or fails (failed/); names never overwrite."""
    taken: set[Path] = set()
    return {path: {kind: free_path(inbox / kind, path.name, taken) for kind in (PROCESSED, FAILED)} for path in files}


def error_text(summary: Summary, moved_to: Path) -> str:
    return (
        f"plandata could not ingest {source_text(Path(summary['path']).name)}\n"
        f"found: {summary['path']}\n"
        f"moved to: {source_text(moved_to)}\n"
        f"document_id: {summary['document_id']}\n"
        f"reason: {summary['message'] or 'unknown reason'}\n"
        f"pipeline version: {PIPELINE_VERSION}\n"
        f"time: {utc_now().isoformat(timespec='seconds')}\n"
    )


def move_file(path: Path, summary: Summary, targets: dict[str, Path]) -> Summary:
    """Move the file to processed/ or failed/ (with <name>.error.txt beside a failed one), never out of the inbox."""
    target = targets[FAILED if summary["status"] == "failed" else PROCESSED]
    try:
        if target.parent.is_symlink() or (target.parent.exists() and not target.parent.is_dir()):
            raise OSError(f"{target.parent.name}/ is not a folder of the inbox (a link?): files are not moved out")
        target.parent.mkdir(exist_ok=True)
        if path.is_symlink() or not path.is_file():
            raise OSError("no longer a regular file")
        shutil.move(path, target)
        if summary["status"] == "failed":
            target.with_name(target.name + ERROR_SUFFIX).write_text(error_text(summary, target), encoding="utf-8",
                                                                     errors="backslashreplace")
    except OSError as exc:
        # The rows are committed; the file stays in the inbox and the next pass moves it.
        return {**summary, "moved_to": None, "move_error": f"could not move to {source_text(target)}: {exc}"}
    return {**summary, "moved_to": source_text(target)}


@flow(name="watch_inbox", log_prints=False, flow_run_name=watch_run_name)
def watch_inbox(
    inbox: str,
    out_dir: str,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    min_age_seconds: float = DEFAULT_MIN_AGE_SECONDS,
    budget: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One pass over the inbox (its text, see extractors.source): ingest its complete files, each within
    budget (flows.budget.Budget's fields), move them, write a run report; returns the report.

    A pass that finds the inbox empty writes no report file.
    """
    started = utc_now()
    inbox_dir = source_path(inbox)
    ready, waiting = stable_files(inbox_dir, settle_seconds, min_age_seconds)
    left_out = discover(inbox_dir, recursive=False)[1]
    plan = plan_batch(ready, source_path(out_dir))
    if not all(planned.skipped for planned in plan):
        prestart()
    targets = destinations(inbox_dir, ready)

    def record_as(path: Path, status: str) -> Path:
        return targets[path][FAILED if status == "failed" else PROCESSED]

    if all(planned.skipped for planned in plan):
        summaries = run_batch(plan, out_dir, runner=None, record_as=record_as)
    else:
        with ThreadPoolTaskRunner(max_workers=1) as runner:
            summaries = run_batch(plan, out_dir, runner, record_as=record_as, budget=budget)
    summaries = [move_file(planned.path, summary, targets[planned.path]) for planned, summary in zip(plan, summaries,
                                                                                                     strict=True)]
    report = build_report("watch", inbox, out_dir, summaries, started, utc_now(), task_runner="ThreadPoolTaskRunner",
                          waiting=waiting, left_out=left_out)
    # An empty inbox is the usual case of a scheduled pass: no report for it, or reports/ fills up with nothing.
    report["report_paths"] = write_run_report(source_path(out_dir), report) if ready or waiting or left_out else []
    if ready:
        tag_run(catalog_tags(source_path(out_dir), [summary["document_id"] for summary in summaries]),
                name=f"inbox {inbox_dir.name}: {len(ready)} file{'s' if len(ready) != 1 else ''}")
    return report


def serve_watch(
    inbox: Path | str,
    out_dir: Path | str,
    cron: str | None = None,
    interval: float | None = None,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    min_age_seconds: float = DEFAULT_MIN_AGE_SECONDS,
    name: str = DEPLOYMENT_NAME,
    budget: dict[str, Any] | None = None,
) -> None:
    """Serve `watch_inbox` as a Prefect deployment on a cron or interval schedule (every minute by default).

    Blocks until interrupted. Against PREFECT_API_URL when set; otherwise a local Prefect server runs
    beside it for as long as it serves (see flows.server: the on-demand temporary server schedules nothing).
    """
    if cron and interval:
        raise ValueError("give a cron expression or an interval, not both")
    if not cron and not interval:
        interval = DEFAULT_INTERVAL_SECONDS
    parameters = {
        "inbox": source_text(Path(inbox).resolve()),
        "out_dir": source_text(Path(out_dir).resolve()),
        "settle_seconds": settle_seconds,
        "min_age_seconds": min_age_seconds,
        "budget": budget,
    }
    with scheduling_server():
        watch_inbox.serve(
            name=name,
            cron=cron,
            interval=interval,
            parameters=parameters,
            limit=1,  # one pass at a time: a slow pass must not meet the next one in the inbox
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
