"""The processes under an extraction process's document child (flows.worker): their memory, the page reader's
growth, the kill of the whole tree when the child runs past its budget, and the removal of the temporary folders
of jobs whose extraction process was killed. Linux's /proc is read."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile


def memory_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS and VmSize of a process in bytes (empty when it is gone)."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmSize"):
                    found[key] = int(value.split()[0]) * 1024
    except (OSError, ValueError):
        pass
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL process pid (not yet reaped) and every process under it: a document child's OCRmyPDF and its
    Tesseracts, or its page reader, would otherwise run on, orphaned, to their own timeouts (an OCRmyPDF run may take
    minutes). Each process found is stopped (SIGSTOP: it starts no more) before its children are read, then all are
    killed. Needs Linux's /proc/PID/task/TID/children; without it only pid is killed."""
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        try:
            os.kill(current, signal.SIGSTOP)
        except ProcessLookupError:
            continue
        found.append(current)
        pending += _children(current)
    for process in found:
        try:
            os.kill(process, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _children(pid: int) -> list[int]:
    """The processes pid's threads started (empty when it is gone)."""
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return found


def helpers_growth(pid: int, helpers: dict[int, int]) -> int:
    """What the child's forks (extractors/pdf/parallel.py's page reader: the child's command line, unlike OCR's
    programs) have allocated since first seen, in bytes: a forked process starts with its parent's pages resident
    (shared until written), which are no growth."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            children = [int(child) for child in handle.read().split()]
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read()
    except (OSError, ValueError):
        return 0
    growth = 0
    for child in children:
        try:
            with open(f"/proc/{child}/cmdline", "rb") as handle:
                if handle.read() != command:
                    continue
        except OSError:
            continue
        rss = memory_status(child).get("VmRSS", 0)
        growth += max(0, rss - helpers.setdefault(child, rss))
    return growth


_JOB = "plandata-job-"
JOB_FOLDER = _JOB + "{pid}-"
"""The prefix of a document child's own temporary folder (flows.worker.run_job) under the system's temporary
folder, with the pid of the extraction process that made it."""


def job_folders(pid: int | None = None) -> list[str]:
    """The job folders extraction process pid made (every extraction process's when pid is None) that are still
    there."""
    root = tempfile.gettempdir()
    prefix = JOB_FOLDER.format(pid=pid) if pid is not None else _JOB
    try:
        names = os.listdir(root)
    except OSError:
        return []
    return [os.path.join(root, name) for name in names if name.startswith(prefix)]


def remove_job_folders(pid: int) -> None:
    """Remove the job folders extraction process pid left: it was killed (Ctrl-C of the command, a kill -9), so its
    own removal after each job did not run."""
    for folder in job_folders(pid):
        shutil.rmtree(folder, ignore_errors=True)


def sweep_job_folders() -> None:
    """Remove the job folders of extraction processes that are gone (killed while the command that would have
    removed them was killed too): an extraction process calls it as it starts."""
    for folder in job_folders():
        owner = os.path.basename(folder)[len(_JOB):].split("-", 1)[0]
        if owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
