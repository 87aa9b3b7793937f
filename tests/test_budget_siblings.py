"""The workers of a local cluster share one loading of the stages (flows.budget.prestart_slots): the first extraction
process forks a sibling per other worker. Each worker still has a process of its own, a document killed for its
budget costs only itself, and a kill -9 of the command ends every extraction process and document child."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.scripts import script_results

GOOD_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
LONG_PDF = "real/fi_kauhava_tilinpaatos_2024.pdf"

TWO_SLOTS = """
import json, os, sys, threading
from pathlib import Path
from flows import budget
from flows.extraction import job_for

document, out = Path(sys.argv[2]), Path(sys.argv[3])
budget.prestart_slots(["a", "b"])
found = {}

def extract(slot, plan):
    with budget.extraction_slot(slot):
        extraction = budget.extract_with_budget(job_for(document, out), plan)
        found.setdefault(slot, []).append([extraction.worker.split(":")[-1], extraction.records.document.status,
                                           len(extraction.records.finance)])

threads = [threading.Thread(target=extract, args=(slot, budget.Budget())) for slot in "ab"]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
extract("b", budget.Budget(seconds=0.0, seconds_per_page=0.0))  # killed at once for its time budget
extract("b", budget.Budget())  # the same process, which forks a fresh child
pids = {slot: budget._processes[slot].pid for slot in "ab"}
with open(f"/proc/{pids['b']}/stat", encoding="ascii") as handle:
    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
budget.stop()
Path(sys.argv[1]).write_text(json.dumps({"found": found, "pids": pids, "sibling_parent": parent}))
"""

KILLED = """
import os, signal, sys, threading, time
from pathlib import Path
from flows import budget
from flows.extraction import job_for

document, out = Path(sys.argv[2]), Path(sys.argv[3])
budget.prestart_slots(["a", "b"])

def extract(slot):
    with budget.extraction_slot(slot):
        budget.extract_with_budget(job_for(document, out), budget.Budget(seconds=600))

for slot in "ab":
    threading.Thread(target=extract, args=(slot,), daemon=True).start()
while True:  # until both have loaded (a sibling's pid is known from its first answer) and have a document child
    pids = [budget._processes[slot].pid for slot in "ab"]
    children = [Path(f"/proc/{pid}/task/{pid}/children").read_text().split() if pid else [] for pid in pids]
    if all(children):
        break
    time.sleep(0.05)
Path(sys.argv[1]).write_text(" ".join(str(pid) for pid in pids + [int(child) for found in children for child in found]))
os.kill(os.getpid(), signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_two_slots_share_one_loading_and_keep_a_process_each(tmp_path: Path, samples_dir: Path) -> None:
    results = tmp_path / "results.json"
    found = script_results(TWO_SLOTS, results, samples_dir / GOOD_TEXT, tmp_path / "out")
    first, sibling = found["pids"]["a"], found["pids"]["b"]
    assert first != sibling and found["sibling_parent"] == first  # forked by the loaded first process
    assert found["found"]["a"] == [[str(first), "ok", 108]]
    assert found["found"]["b"][0] == [str(sibling), "ok", 108]
    assert found["found"]["b"][1][:2] == [str(sibling), "failed"]
    assert found["found"]["b"][2] == [str(sibling), "ok", 108]  # a killed document cost its child only
    assert not _running(first) and not _running(sibling)  # stopped with the command's extraction


def test_a_killed_command_takes_every_extraction_process_along(tmp_path: Path, corpus_dir: Path) -> None:
    pids_file = tmp_path / "pids"
    done = subprocess.run([sys.executable, "-c", KILLED, str(pids_file), str(corpus_dir / LONG_PDF),
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr[-3000:]
    pids = [int(pid) for pid in pids_file.read_text(encoding="ascii").split()]
    assert len(pids) >= 4  # two extraction processes, a document child each
    deadline = time.monotonic() + 30
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [pid for pid in pids if _running(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert not survivors


ENDED = """
import json, os, signal, sys, threading, time
from pathlib import Path
from flows import budget
from flows.extraction import job_for

document, out = Path(sys.argv[2]), Path(sys.argv[3])
budget.prestart_slots(["a", "b"])
found = {}

def extract(slot):
    with budget.extraction_slot(slot):
        extraction = budget.extract_with_budget(job_for(document, out), budget.Budget(seconds=600))
        found[slot] = [extraction.records.document.status, extraction.records.document.message]

for slot in "ba":  # the sibling (b), then the first process (a), each killed -9 in the middle of its document
    thread = threading.Thread(target=extract, args=(slot,))
    thread.start()
    while True:
        pid = budget._processes[slot].pid
        if pid and Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            break
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    thread.join()
budget.stop()
Path(sys.argv[1]).write_text(json.dumps(found))
"""


def test_a_document_whose_extraction_process_was_killed_says_how_it_ended(tmp_path: Path, corpus_dir: Path) -> None:
    # the first extraction process is this process's child (its return code), a sibling is the first one's (its
    # status read from /proc while it is a zombie): either way the failure names the signal
    results = tmp_path / "results.json"
    found = script_results(ENDED, results, corpus_dir / LONG_PDF, tmp_path / "out")
    for slot in "ab":
        status, message = found[slot]
        assert status == "failed"
        assert "the extraction process exited (killed by SIGKILL; it printed" in message, (slot, message)


UNBOUND = """
import json, sys, threading
from pathlib import Path
from flows import budget
from flows.extraction import job_for

document, out = Path(sys.argv[2]), Path(sys.argv[3])
budget.prestart_unbound(2)
started = sorted(process.process_id() for process in budget._unbound)
budget.prestart_unbound(2)  # they still wait for slots: none more
again = len(budget._unbound)
budget.prestart_slots(["a", "b"])
bound = sorted(budget._processes[slot].process_id() for slot in "ab")
found = {}
for slot in "ab":
    with budget.extraction_slot(slot):
        extraction = budget.extract_with_budget(job_for(document, out), budget.Budget())
        found[slot] = [int(extraction.worker.split(":")[-1]), extraction.records.document.status]
budget.prestart_unbound(1)  # started, never bound: stop() ends it too
spare = budget._unbound[0].process_id()
budget.stop()
Path(sys.argv[1]).write_text(json.dumps({"started": started, "again": again, "bound": bound, "found": found,
                                         "left": len(budget._unbound), "spare": spare}))
"""


def test_processes_started_before_the_slots_are_known_serve_them(tmp_path: Path, samples_dir: Path) -> None:
    """`plandata archive` starts its extraction processes before it imports Prefect and Dask (prestart_unbound);
    the local cluster's workers then take them instead of starting others."""
    found = script_results(UNBOUND, tmp_path / "results.json", samples_dir / GOOD_TEXT, tmp_path / "out")
    assert len(found["started"]) == 2 and found["again"] == 2
    assert found["bound"] == found["started"]  # the slots got the processes started first, no new ones
    assert sorted(pid for pid, _ in found["found"].values()) == found["bound"]  # each slot in its own
    assert {status for _, status in found["found"].values()} == {"ok"}
    assert found["left"] == 0
    deadline = time.monotonic() + 10
    while _running(found["spare"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(found["spare"])  # stopped with the others


SIBLING_AHEAD = """
import json, os, sys, time
from pathlib import Path
from flows import budget
from flows.extraction import job_for

document, out = Path(sys.argv[2]), Path(sys.argv[3])
budget.prestart_slots(["a", "b"])
with budget.extraction_slot("b"):  # the sibling's first file given ahead (`archive` while Prefect's server starts)
    budget.prefetch(job_for(document, out), budget.Budget())
sibling = budget._processes["b"]
deadline = time.monotonic() + 60
while sibling.pid is None and time.monotonic() < deadline:  # nobody waits for it to be ready
    time.sleep(0.05)
time.sleep(1.0)  # it is reading its long document
budget.interrupt()  # Ctrl-C
started = time.monotonic()
budget.stop()
json.dump({"pid": sibling.pid, "seconds": time.monotonic() - started}, open(sys.argv[1], "w"))
"""


def test_ctrl_c_ends_a_sibling_at_once_while_it_reads_a_file_given_ahead(tmp_path: Path, corpus_dir: Path) -> None:
    """A sibling's pid is known as soon as it says it is ready, not only once someone waits for it: Ctrl-C while it
    reads a file given ahead kills it at once (the command's stop waited 5 to 6 s for its document to end)."""
    found = script_results(SIBLING_AHEAD, tmp_path / "results.json", corpus_dir / LONG_PDF, tmp_path / "out")
    assert found["pid"] is not None
    assert found["seconds"] < 2.0, found
    assert not _running(found["pid"])
