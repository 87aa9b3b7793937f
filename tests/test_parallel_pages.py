"""A long document's pages read in two processes (extractors/pdf/parallel.py) are the pages one process reads.

Forking is safe only in a process without other threads, and the test process may have some (Prefect's), so each
reading runs in a fresh interpreter (as in the extraction process's child per document).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SIMRISHAMN = "real/se_simrishamn_kfn_arsbokslut_2025.pdf"  # 37 pages: read in two
LAPUA_KH = "real/fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"  # 4 pages: too short to share


def _run(code: str, repo_root: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=repo_root, timeout=600, env={"PYTHONPATH": str(repo_root), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


READ = """
    import json, os, pickle, sys
    from pathlib import Path
    from extractors.pdf.reader import read_pages
    from models import PlanDocument

    path = Path(sys.argv[1] if len(sys.argv) > 1 else {path!r})
    forks = []
    real_fork = os.fork
    def counted_fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid
    os.fork = counted_fork
    {patch}
    def read(readers):
        doc = PlanDocument(document_id="x", source_path=str(path), source_format="pdf")
        pages = read_pages(path, doc, readers)
        return pages, doc
    one, doc_one = read(1)
    forks_one = len(forks)
    two, doc_two = read(2)
    print(json.dumps({{"pages": len(one), "same": one == two and doc_one == doc_two, "forks_one": forks_one,
                      "forks_two": len(forks) - forks_one, "lines": sum(len(p.lines) for p in one),
                      "numbers": [p.number for p in two], {extra}}}))
"""


def test_pages_read_in_two_processes_are_the_pages_one_process_reads(corpus_dir: Path, repo_root: Path) -> None:
    result = _run(READ.format(path=str(corpus_dir / SIMRISHAMN), patch="", extra='"x": 0'), repo_root)
    assert result["pages"] == 37 and result["lines"] > 500  # the pages hold text: the comparison says something
    assert result["same"]
    assert result["numbers"] == list(range(1, 38))
    assert result["forks_one"] == 0 and result["forks_two"] == 1  # one helper, only when asked for


def test_a_short_document_is_read_in_one_process(corpus_dir: Path, repo_root: Path) -> None:
    result = _run(READ.format(path=str(corpus_dir / LAPUA_KH), patch="", extra='"x": 0'), repo_root)
    assert result["pages"] == 4 and result["same"] and result["forks_two"] == 0


def test_a_helper_that_dies_part_way_loses_no_page(corpus_dir: Path, repo_root: Path) -> None:
    # the helper exits after sending two pages: this process reads what it did not send
    patch = """
    import extractors.pdf.parallel as parallel
    real_send, sent = parallel._send, []
    def dying_send(stream, message):
        sent.append(1)
        if len(sent) > 2:
            os._exit(0)
        real_send(stream, message)
    parallel._send = dying_send
    """
    result = _run(READ.format(path=str(corpus_dir / SIMRISHAMN), patch=textwrap.dedent(patch).replace("\n", "\n    "),
                              extra='"x": 0'), repo_root)
    assert result["same"] and result["numbers"] == list(range(1, 38)) and result["forks_two"] == 1


def test_what_the_helper_warns_and_logs_reaches_this_process(corpus_dir: Path, repo_root: Path) -> None:
    # every page read warns and logs once: with two readers, this process hears all 37 of each, as with one
    patch = """
    import logging, warnings
    import extractors.pdf.parallel as parallel
    import extractors.pdf.pages as pages
    real_read = pages.read_page_or_issue
    def noisy_read(pdf, index):
        warnings.warn(f"page {index + 1} read", UserWarning)
        logging.getLogger("pdf.reader").warning("page %d logged", index + 1)
        return real_read(pdf, index)
    pages.read_page_or_issue = noisy_read
    heard = []
    class Heard(logging.Handler):
        def emit(self, record):
            heard.append(record.getMessage())
    logging.getLogger().addHandler(Heard())
    warnings.simplefilter("always")
    caught = warnings.catch_warnings(record=True)
    warned = caught.__enter__()
    """
    extra = '"warned": sorted(str(w.message) for w in warned), "heard": sorted(heard)'
    result = _run(READ.format(path=str(corpus_dir / SIMRISHAMN), patch=textwrap.dedent(patch).replace("\n", "\n    "),
                              extra=extra), repo_root)
    expected_warnings = sorted(f"page {n} read" for n in range(1, 38))
    expected_logs = sorted(f"page {n} logged" for n in range(1, 38))
    assert result["same"]
    assert result["warned"] == sorted(expected_warnings * 2)  # once per reading, each reading
    assert result["heard"] == sorted(expected_logs * 2)


@pytest.mark.parametrize("readers", [1, 2])
def test_the_extraction_process_reads_with_the_page_readers_it_was_started_with(
        corpus_dir: Path, repo_root: Path, tmp_path: Path, readers: int) -> None:
    # the child per document (flows.worker) reads a long PDF's pages with its process's page readers; the records
    # are the same, and the helper's memory counts in the document's peak
    code = f"""
    import json, os, sys
    from pathlib import Path
    import flows.worker as worker
    import extractors.pdf.reader as reader
    marker = Path({str(tmp_path / "read-in-two")!r})
    real_two = reader.read_pages_in_two
    def marked_two(pdf, reopen):
        marker.touch()  # in the child per document: the file tells the test
        return real_two(pdf, reopen)
    reader.read_pages_in_two = marked_two
    from flows.extraction import job_for
    job = job_for(Path({str(corpus_dir / SIMRISHAMN)!r}), Path({str(tmp_path / "out")!r}))
    budget = {{"seconds": 300, "seconds_per_page": 1, "memory_mb": 2048, "seconds_per_ocr_page": 60}}
    import tempfile
    capture, reply = tempfile.TemporaryFile(), open(os.devnull, "wb")
    result = worker.run_job(job, budget, capture, reply, page_readers={readers})
    records = result["records"]
    print(json.dumps({{"kind": result["kind"], "finance": len(records.finance), "goals": len(records.goals),
                      "status": records.document.status, "pages": records.document.pages}}))
    """
    result = _run(code, repo_root)
    assert result == {"kind": "done", "finance": result["finance"], "goals": 33, "status": "ok", "pages": 37}
    assert result["finance"] == 195  # the figures printed in the annual report's tables (issue 10's count)
    assert (tmp_path / "read-in-two").exists() == (readers == 2)


def test_the_memory_a_page_helper_allocates_counts_for_its_document(repo_root: Path) -> None:
    # flows.worker watches the child per document (flows.process_tree); what the child's fork allocates after it
    # started counts too
    code = """
    import json, os, time
    from flows.process_tree import helpers_growth
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.read(go_r, 1)
        block = bytearray(96 << 20)  # 96 MB, written: resident
        os.write(ready_w, b"x")
        time.sleep(30)
        os._exit(0)
    helpers = {}
    time.sleep(0.2)
    before = helpers_growth(os.getpid(), helpers)
    os.write(go_w, b"x")
    os.read(ready_r, 1)
    after = helpers_growth(os.getpid(), helpers)
    os.kill(pid, 9)
    print(json.dumps({"before": before >> 20, "after": after >> 20, "seen": len(helpers)}))
    """
    result = _run(code, repo_root)
    assert result["seen"] == 1 and result["before"] == 0
    assert 90 <= result["after"] <= 110, result
