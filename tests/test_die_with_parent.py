"""A process killed with kill -9 takes its children along (extractors.pdf.parallel.die_with_parent): the document
child of an extraction process (flows.worker) and the page helper the child forks (extractors/pdf/parallel.py) die
with the process that forked them instead of living on as orphans until their document is done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

LONG_PDF = "real/fi_kauhava_tilinpaatos_2024.pdf"  # 158 pages: read in two, for many seconds


def _running(pid: int) -> bool:
    """Whether pid is a live process (a zombie waiting for its reaper is not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    """The pids still running after up to `seconds` of polling /proc (killed then, so that none outlives the test)."""
    deadline = time.monotonic() + seconds
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    survivors = [pid for pid in pids if _running(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    return survivors


def _start(code: str, repo_root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], stdout=subprocess.PIPE, text=True,
                            cwd=repo_root, env={"PYTHONPATH": str(repo_root), "PATH": "/usr/bin:/bin"})


GRANDCHILD = """
    import os, sys, time
    from extractors.pdf.parallel import die_with_parent
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        die_with_parent(int(sys.argv[1]) if len(sys.argv) > 1 else parent)
        time.sleep(60)
        os._exit(0)
    print(pid, flush=True)
    time.sleep(60)
"""


def test_a_process_that_asked_dies_when_its_parent_is_killed(repo_root: Path) -> None:
    parent = _start(GRANDCHILD, repo_root)
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        time.sleep(0.3)  # it has asked by now
        assert _running(child)
        parent.kill()
        parent.wait()
        assert not _gone_within([child], 2.0)
    finally:
        parent.kill()
        parent.wait()


def test_a_process_whose_parent_is_already_another_exits_at_once(repo_root: Path) -> None:
    # the race: the parent died between the fork and the request, so the request names a parent it no longer has
    parent = _start(GRANDCHILD, repo_root, "1")
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        assert not _gone_within([child], 2.0)
    finally:
        parent.kill()
        parent.wait()


EXTRACTION = """
    import os, sys, tempfile
    from pathlib import Path
    import flows.worker as worker
    from flows.extraction import job_for
    worker.load_stages()
    job = job_for(Path(sys.argv[1]), Path(sys.argv[2]))
    budget = {"seconds": 600, "seconds_per_page": 5, "memory_mb": 4096, "seconds_per_ocr_page": 60}
    print("loaded", flush=True)
    worker.run_job(job, budget, tempfile.TemporaryFile(), open(os.devnull, "wb"), page_readers=2)
"""


def test_a_killed_extraction_process_takes_its_document_child_and_page_helper_along(
        repo_root: Path, corpus_dir: Path, tmp_path: Path) -> None:
    process = _start(EXTRACTION, repo_root, str(corpus_dir / LONG_PDF), str(tmp_path / "out"))
    try:
        assert process.stdout.readline().strip() == "loaded"  # type: ignore[union-attr]
        deadline = time.monotonic() + 120
        helpers: list[int] = []
        while time.monotonic() < deadline:  # until the document child has forked its page helper
            children = _children(process.pid)
            helpers = [helper for child in children for helper in _children(child)]
            if children and helpers:
                break
            assert process.poll() is None
            time.sleep(0.02)
        assert children and helpers, "the document child never read its pages in two"
        process.kill()  # kill -9 of the extraction process, in the middle of the document
        process.wait()
        assert not _gone_within(children + helpers, 1.0)  # on main the child read on for seconds
    finally:
        process.kill()
        process.wait()
