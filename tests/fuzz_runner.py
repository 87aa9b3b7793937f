"""Feeding fuzz files through the `plandata` command line and counting what went wrong.

A batch is a folder of fuzz files plus one good document (the reference PDF, with a comment after its end
so that every batch's copy is a new document), run by `plandata ingest` or `plandata archive` in a fresh
process whose whole process tree is sampled for memory. Counted per batch:

- crash: an exit status other than 0 or 1 (or a killed command);
- traceback: "Traceback" anywhere in the output;
- hang: the command outlived its deadline, or a document took longer than its time budget plus grace;
- memory blow-up: a process of the tree grew past the memory budget plus the loaded extraction process;
- lost good document: the good document missing, or not `ok` with the same figures as alone;
- unexplained: a fuzz file with no `documents` row;
- noise: output lines other than the progress, `FAILED`/`left out` lines and the summary;
- internal errors and reader crashes (documents whose message says so): findings, not failures of the run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from extractors.source import content_id
from extractors.writers import read_dataset

REFERENCE_PDF = "reference/lovisa-stadskanslicentralen-2025-2027-sv.pdf"
LOADED_PROCESS_MB = 1024  # the extraction process with every stage loaded, before a document
TABLE_LINE = re.compile(r"^\s*$|^[\s┏┃┡│└━┳╇┻─┼┗┓┩┘┐┌╋╸╺]|plandata (ingest|archive)\s*$|^\d+ document\(s\): |"
                        r"^[\d.]+ s; report: |^FAILED |^left out ")


@dataclass
class Counts:
    files: int = 0
    batches: int = 0
    crashes: int = 0
    tracebacks: int = 0
    hangs: int = 0
    memory_blowups: int = 0
    lost_good: int = 0
    unexplained: int = 0
    noise_lines: int = 0
    internal_errors: int = 0
    reader_crashes: int = 0
    budget_time: int = 0
    budget_memory: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)
    peak_process_mb: int = 0
    seconds: float = 0.0

    def add(self, other: Counts) -> None:
        for name, value in vars(other).items():
            if isinstance(value, int | float) and name != "peak_process_mb":
                setattr(self, name, getattr(self, name) + value)
        self.statuses.update(other.statuses)
        self.findings += other.findings
        self.peak_process_mb = max(self.peak_process_mb, other.peak_process_mb)


def good_copy(corpus: Path, folder: Path, tag: str) -> Path:
    path = folder / "good-reference.pdf"
    path.write_bytes((corpus / REFERENCE_PDF).read_bytes() + f"%{tag}\n".encode())
    return path


def _tree_rss_mb(process: psutil.Process) -> int:
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    largest = 0
    for member in members:
        try:
            largest = max(largest, member.memory_info().rss >> 20)
        except psutil.Error:
            continue
    return largest


def run_command(command: list[str], deadline: float) -> tuple[int | None, str, float, int]:
    """(exit status or None when killed at the deadline, output, seconds, largest process RSS in MB)."""
    started = time.monotonic()
    with open(os.devnull, "rb") as stdin:
        process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True, env={**os.environ, "COLUMNS": "200"})
    watched = psutil.Process(process.pid)
    peak = 0
    output: list[bytes] = []
    reader = _drain(process, output)
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(watched))
        if time.monotonic() - started > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            reader.join(10)
            return None, b"".join(output).decode("utf-8", "replace"), time.monotonic() - started, peak
        time.sleep(0.2)
    reader.join(30)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # anything it left behind
    except OSError:
        pass
    return process.returncode, b"".join(output).decode("utf-8", "replace"), time.monotonic() - started, peak


def _drain(process: subprocess.Popen[bytes], output: list[bytes]) -> object:
    import threading

    def read() -> None:
        assert process.stdout is not None
        for chunk in iter(lambda: process.stdout.read(65536), b""):  # type: ignore[union-attr]
            output.append(chunk)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def noise(output: str) -> list[str]:
    return [line for line in output.splitlines() if not TABLE_LINE.search(line)]


def judge(files: list[Path], good: Path, out_dir: Path, code: int | None, output: str, seconds: float, peak: int,
          expected_good: dict[str, object], budget_seconds: float, memory_mb: int) -> Counts:
    """Count what went wrong in one batch (see the module docstring)."""
    counts = Counts(files=len(files), batches=1, peak_process_mb=peak, seconds=seconds)
    counts.crashes += code not in (0, 1)
    counts.tracebacks += "Traceback" in output
    counts.hangs += code is None
    counts.memory_blowups += peak > memory_mb + LOADED_PROCESS_MB
    lines = noise(output)
    counts.noise_lines += len(lines)
    counts.findings += [f"noise: {line[:200]}" for line in lines[:5]]
    if code is None:
        counts.findings.append(f"hang: the batch outlived its deadline after {seconds:.0f} s")
    documents = read_dataset(out_dir, "documents") if (out_dir / "datasets").is_dir() else None
    if documents is None or documents.empty:
        counts.lost_good += 1
        counts.unexplained += len(files)
        return counts
    finance = read_dataset(out_dir, "finance")["document_id"].value_counts()
    by_id = {row["document_id"]: row for row in documents.to_dict("records")}
    row = by_id.get(content_id(good))
    got = None if row is None else {"status": row["status"], "finance": int(finance.get(row["document_id"], 0))}
    if got != expected_good:
        counts.lost_good += 1
        counts.findings.append(f"lost good document: {got} instead of {expected_good}")
    for path in files:  # by content: a file with the same content as another is that document
        row = by_id.get(content_id(path))
        if row is None:
            counts.unexplained += 1
            counts.findings.append(f"no documents row: {path.name}")
            continue
        counts.statuses[row["status"]] += 1
        message = row["message"] or ""
        counts.budget_time += "exceeded the time budget" in message
        counts.budget_memory += "exceeded the memory budget" in message
        if "internal error" in message:
            counts.internal_errors += 1
            counts.findings.append(f"internal error: {path.name}: {message[:200]}")
        if "the reader crashed" in message:
            counts.reader_crashes += 1
            counts.findings.append(f"reader crash: {path.name}: {message[:200]}")
    reports = sorted((out_dir / "reports").glob("run-*.json")) if (out_dir / "reports").is_dir() else []
    for report in reports:
        for entry in json.loads(report.read_text(encoding="utf-8"))["files"]:
            if (entry.get("seconds") or 0) > budget_seconds + 30 and "time budget" not in (entry.get("message") or ""):
                counts.hangs += 1
                counts.findings.append(f"slow past its budget: {entry['path']} {entry['seconds']} s")
    return counts


def plandata_command(kind: str, folder: Path, out_dir: Path, budget_seconds: float, memory_mb: int,
                     workers: int) -> list[str]:
    executable = shutil.which("plandata", path=str(Path(sys.executable).parent)) or "plandata"
    command = [executable, kind, str(folder), "--out", str(out_dir), "--time-budget", str(budget_seconds),
               "--time-per-page", "0.5", "--memory-budget", str(memory_mb)]
    return command + (["--workers", str(workers)] if kind == "archive" else [])


def run_fuzz_batch(kind: str, files: list[Path], work: Path, corpus: Path, tag: str,
                   expected_good: dict[str, object], budget_seconds: float, memory_mb: int,
                   workers: int = 2) -> Counts:
    """Copy files and a good document into a fresh folder, run the command on it, and judge the outcome."""
    folder, out_dir = work / f"{tag}-in", work / f"{tag}-out"
    folder.mkdir(parents=True)
    for path in files:
        os.link(path, folder / path.name) if path.stat().st_dev == folder.stat().st_dev else shutil.copy(path, folder)
    good = good_copy(corpus, folder, tag)
    deadline = 240 + budget_seconds * (len(files) + 1) / (workers if kind == "archive" else 1)
    code, output, seconds, peak = run_command(
        plandata_command(kind, folder, out_dir, budget_seconds, memory_mb, workers), deadline)
    counts = judge([folder / path.name for path in files], good, out_dir, code, output, seconds, peak,
                   expected_good, budget_seconds, memory_mb)
    if code not in (0, 1):
        counts.findings.append(f"{kind} {tag}: exit {code}: {output[-1500:]}")
    return counts
