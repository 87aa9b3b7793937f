"""A document whose extraction process is killed while it extracts the document ahead of time (prefetched: the
archive's first document of each worker) fails saying so, as it does when killed while the document is asked
for; it is never silently extracted again. The run report's worker_pids names every extraction process."""

from __future__ import annotations

from pathlib import Path

from flows.archive import extraction_pids
from tests.scripts import script_results

GOOD_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"

KILLED_AHEAD = """
import json, os, signal, sys, time
from pathlib import Path
from flows import budget
from flows.extraction import job_for

path, out = Path(sys.argv[2]), Path(sys.argv[3])
plan = budget.Budget()
pid = budget.prestart()
job = job_for(path, out)
budget.prefetch(job, plan)
os.killpg(pid, signal.SIGKILL)
deadline = time.monotonic() + 30
while budget._processes[None].alive() and time.monotonic() < deadline:
    time.sleep(0.05)
replacement = budget.prestart()  # as the archive's cluster_details does (start_extraction) before any task
found = {"pids": [pid, replacement]}
for attempt in ("first", "again"):
    extraction = budget.extract_with_budget(job, plan)
    document = extraction.records.document
    found[attempt] = {"status": document.status, "message": document.message, "worker": extraction.worker,
                      "finance": len(extraction.records.finance)}
budget.stop()
Path(sys.argv[1]).write_text(json.dumps(found))
"""


def test_a_prefetched_document_whose_process_is_killed_fails_saying_so(tmp_path: Path, samples_dir: Path) -> None:
    found = script_results(KILLED_AHEAD, tmp_path / "results.json", samples_dir / GOOD_TEXT, tmp_path / "out")
    killed, replacement = found["pids"]
    assert killed != replacement
    assert found["first"]["status"] == "failed", found
    assert "killed by SIGKILL" in found["first"]["message"], found
    assert found["again"]["status"] == "ok" and found["again"]["finance"] == 108, found  # asked again: extracted
    assert found["again"]["worker"].endswith(f":{replacement}")


def test_worker_pids_name_every_extraction_process() -> None:
    summaries = [{"worker": "host:11"}, {"worker": "host:12"}, {"worker": "host"}, {"worker": None}, {}]
    assert extraction_pids([10, 11], summaries) == [10, 11, 12]
