"""The per-document time budget grows with the pages the reader sends to OCR (Tesseract takes seconds per
page), so a scanned document is not failed for the time its OCR needs, while the budget still holds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from tests.scripts import script_results

GOOD_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"

# A stand-in around the real extraction: it announces OCR pages as the PDF reader does before running
# OCRmyPDF, then takes 4 s (the OCR it stands for) and extracts the real document.
OCR_STAGE = """
import io, json, sys, time
from pathlib import Path
import flows.extraction
from flows import worker
from extractors.pipeline import warm_up

real = flows.extraction.extract_in_process

def scanned(job, on_pages=None, on_ocr_pages=None, page_readers=1):
    on_ocr_pages(10)
    time.sleep(4)
    return real(job, on_pages, page_readers=page_readers)

flows.extraction.extract_in_process = scanned
warm_up()
job = flows.extraction.job_for(Path(sys.argv[2]), Path(sys.argv[3]))
found = {}
for per_page in (6.0, 0.0):
    budget = {"seconds": 2, "seconds_per_page": 0, "memory_mb": 2048, "seconds_per_ocr_page": per_page}
    reply = io.BytesIO()
    result = worker.run_job(job, budget, io.BytesIO(), reply)
    found[str(per_page)] = {"kind": result["kind"], "reason": result.get("reason"),
                            "finance": len(result["records"].finance) if result["kind"] == "done" else None}
Path(sys.argv[1]).write_text(json.dumps(found))
"""


def test_pages_sent_to_ocr_extend_the_time_budget(tmp_path: Path, samples_dir: Path) -> None:
    results = tmp_path / "results.json"
    found = script_results(OCR_STAGE, results, samples_dir / GOOD_TEXT, tmp_path / "out")
    assert found["6.0"] == {"kind": "done", "reason": None, "finance": 108}  # 2 s + 10 pages x 6 s
    assert found["0.0"] == {"kind": "failed", "reason": "exceeded the time budget (2 s)", "finance": None}


PREFETCH = """
import json, sys
from pathlib import Path
from flows import budget
from flows.extraction import job_for

first, second, out = (Path(arg) for arg in sys.argv[2:5])
plan = budget.Budget()
budget.prefetch(job_for(first, out), plan)  # as `plandata ingest` before Prefect starts
budget.prefetch(job_for(second, out), plan)  # a second prefetch waits for the first to be taken: ignored
found = {}
for path in (second, first, first):  # another job first: the prefetched result is dropped, not returned
    extraction = budget.extract_with_budget(job_for(path, out), plan, "test")
    found.setdefault(path.name, []).append([extraction.records.document.source_path, len(extraction.records.finance)])
Path(sys.argv[1]).write_text(json.dumps(found))
"""


def test_a_prefetched_extraction_is_taken_by_its_own_job_only(tmp_path: Path, samples_dir: Path) -> None:
    first, second = samples_dir / GOOD_TEXT, samples_dir / "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
    results = tmp_path / "results.json"
    found = script_results(PREFETCH, results, first, second, tmp_path / "out")
    assert [path.endswith(second.name) for path, _ in found[second.name]] == [True]
    assert [path.endswith(first.name) for path, _ in found[first.name]] == [True, True]
    assert found[first.name][0][1] == found[first.name][1][1] == 108  # the Swedish text's figures, as above


PACKED = """
import json, sys
from pathlib import Path
from flows import budget
from flows.extraction import job_for
from flows.jobs import PackedRecords

extraction = budget.extract_with_budget(job_for(Path(sys.argv[2]), Path(sys.argv[3])), budget.Budget())
packed = isinstance(extraction.packed, PackedRecords)
first = extraction.records
found = {"packed": packed, "same": extraction.records is first, "status": first.document.status,
         "goals": len(first.goals), "issues": first.document.issues == len(first.issues)}
budget.stop()
Path(sys.argv[1]).write_text(json.dumps(found))
"""


def test_records_come_back_packed_and_are_unpacked_once_where_they_are_read(tmp_path: Path, samples_dir: Path) -> None:
    """The task that hands an extraction over does not rebuild its records (flows.jobs.Extraction): the thread that
    writes them does, once, on first use."""
    text = samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt"
    found = script_results(PACKED, tmp_path / "found.json", text, tmp_path / "out")
    assert found == {"packed": True, "same": True, "status": "ok", "goals": found["goals"], "issues": True}
    assert found["goals"] > 0


# A stand-in for a scanned document's OCR: the child starts a program that starts another (OCRmyPDF and its
# Tesseract) and works in a temporary folder of its own (as extractors.pdf.tesseract does), then runs past its budget.
OCR_PAST_BUDGET = """
import json, os, subprocess, sys, tempfile, time
from pathlib import Path
import psutil
import flows.extraction
from flows import worker

marker = sys.argv[3]

def scanned(job, on_pages=None, on_ocr_pages=None, page_readers=1):
    work = tempfile.mkdtemp(prefix="plandata-ocr-")
    Path(sys.argv[2]).write_text(work)
    subprocess.run(["sh", "-c", f"sleep {marker} & sleep {marker}; wait"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # a program and its child
    time.sleep(600)

flows.extraction.extract_in_process = scanned
job = flows.extraction.job_for(Path(sys.argv[4]), Path(sys.argv[5]))
budget = {"seconds": 3, "seconds_per_page": 0, "memory_mb": 2048}
result = worker.run_job(job, budget, tempfile.TemporaryFile(), open(os.devnull, "wb"))
time.sleep(0.5)
left = [p.info["cmdline"] for p in psutil.process_iter(["cmdline"])
        if p.pid != os.getpid() and marker in " ".join(p.info["cmdline"] or [])]
work = Path(Path(sys.argv[2]).read_text())
found = {"kind": result["kind"], "reason": result.get("reason"), "left": left, "work_left": work.exists(),
         "under_tmp": str(work).startswith(tempfile.gettempdir()), "scratch_left": work.parent.exists()}
Path(sys.argv[1]).write_text(json.dumps(found))
"""


def test_a_child_killed_for_its_budget_takes_its_programs_and_temporary_files_along(
        tmp_path: Path, samples_dir: Path) -> None:
    """A document past its time budget while OCRmyPDF runs: the child, the program it started and that program's own
    child are all killed (they ran on, orphaned, for up to OCRmyPDF's timeout of minutes), and the temporary folder
    it worked in is gone (the child's own cleanup never runs when it is killed)."""
    marker = f"{700 + os.getpid() % 97}.{time.time_ns() % 1000:03d}"  # a sleep no other process runs
    found = script_results(OCR_PAST_BUDGET, tmp_path / "found.json", tmp_path / "work.txt", marker,
                           samples_dir / GOOD_TEXT, tmp_path / "out")
    assert found["kind"] == "failed" and found["reason"] == "exceeded the time budget (3 s)"
    assert found["left"] == []
    assert found["under_tmp"] and not found["work_left"] and not found["scratch_left"]


NO_SCRATCH = """
import io, json, sys, tempfile
from pathlib import Path
import flows.extraction
from flows import worker

def refused(*args, **kwargs):
    raise PermissionError(13, "Permission denied")

tempfile.mkdtemp = refused  # no temporary folder can be made
job = flows.extraction.job_for(Path(sys.argv[2]), Path(sys.argv[3]))
result = worker.run_job(job, {"seconds": 120, "seconds_per_page": 1, "memory_mb": 2048}, tempfile.TemporaryFile(),
                        io.BytesIO())
Path(sys.argv[1]).write_text(json.dumps({"kind": result["kind"], "finance": len(result["records"].finance)}))
"""


def test_a_job_runs_when_no_temporary_folder_of_its_own_can_be_made(tmp_path: Path, samples_dir: Path) -> None:
    """The job's own temporary folder is a tidiness, not a need: without it the document is still extracted."""
    found = script_results(NO_SCRATCH, tmp_path / "found.json", samples_dir / GOOD_TEXT, tmp_path / "out")
    assert found == {"kind": "done", "finance": 108}


def test_job_folders_of_killed_extraction_processes_are_removed_and_live_ones_kept() -> None:
    """A job's temporary folder outlives its extraction process when that process is killed (Ctrl-C of the command,
    a kill -9): stopping it removes its folders, and a new extraction process sweeps the folders of every gone one;
    the folders of a running one stay."""
    import subprocess
    import tempfile

    from flows.extraction_process import ExtractionProcess
    from flows.process_tree import JOB_FOLDER, job_folders, sweep_job_folders

    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid no process has now
    dead = tempfile.mkdtemp(prefix=JOB_FOLDER.format(pid=gone.pid))
    Path(dead, "prepared.pdf").write_bytes(b"%PDF-")
    live = tempfile.mkdtemp(prefix=JOB_FOLDER.format(pid=os.getpid()))
    try:
        sweep_job_folders()
        assert not Path(dead).exists() and Path(live).is_dir()

        process = ExtractionProcess()
        pid = process.process_id()
        assert pid > 0
        left = tempfile.mkdtemp(prefix=JOB_FOLDER.format(pid=pid))  # as its killed job's would be
        process.stop(kill=True)
        assert not Path(left).exists() and job_folders(pid) == []
        assert Path(live).is_dir()
    finally:
        for folder in (dead, live):
            shutil.rmtree(folder, ignore_errors=True)
