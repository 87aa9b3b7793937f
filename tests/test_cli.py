"""The `plandata` command end to end: help, usage errors, bad inputs, mixed batches, re-ingesting."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import flows.extraction
from extractors.pipeline import file_sha256
from extractors.source import content_id
from extractors.writers import read_dataset
from flows.cli import main
from flows.extraction import extract_in_process, job_for
from tests.hostile_pdf import encrypted_pdf_bytes

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows

GOOD_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
RECORD_DATASETS = ("units", "sections", "goals", "finance", "validation")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def rows(out_dir: Path, name: str, document_id: str) -> list[dict[str, Any]]:
    """A dataset's rows of one document as plain JSON values (list cells included), in stored order."""
    frame = read_dataset(out_dir, name)
    frame = frame[frame["document_id"] == document_id].reset_index(drop=True)
    return json.loads(frame.to_json(orient="records"))


# --- bad inputs --------------------------------------------------------------------------------

def make_empty(folder: Path, samples: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def make_truncated(folder: Path, samples: Path) -> Path:
    path = folder / "truncated.pdf"
    path.write_bytes((samples / REFERENCE_PDF).read_bytes()[:1000])
    return path


def make_random_binary(folder: Path, samples: Path) -> Path:
    path = folder / "random-binary.pdf"
    path.write_bytes(random.Random(20250101).randbytes(20_000))
    return path


def make_encrypted(folder: Path, samples: Path) -> Path:
    path = folder / "password-protected.pdf"
    path.write_bytes(encrypted_pdf_bytes())
    return path


# Each bad input and the words its failure message must use to name the reason.
BAD_INPUTS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "empty": (make_empty, r"empty"),
    "truncated": (make_truncated, r"truncat|damaged|corrupt|incomplete|broken|malformed|invalid|end of file|\bEOF\b"),
    "random-binary": (make_random_binary, r"not a PDF|binary"),
    "password": (make_encrypted, r"password|encrypt"),
}


def assert_failed_document(out_dir: Path, path: Path, output: str, reason: str) -> None:
    documents = read_dataset(out_dir, "documents")
    mine = documents[documents["document_id"] == content_id(path)]  # an empty file's: its absolute path's
    assert len(mine) == 1, documents
    row = mine.iloc[0]
    assert row["status"] == "failed"
    assert row["source_path"] == str(path)
    assert re.search(reason, row["message"], re.IGNORECASE), row["message"]
    assert f"FAILED {path}: {row['message']}" in output, output
    for name in RECORD_DATASETS:
        assert rows(out_dir, name, row["document_id"]) == [], name


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_failed_row_and_named_reason(
    case: str, tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, reason = BAD_INPUTS[case]
    bad = make(tmp_path, samples_dir)
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", bad, "--out", out_dir)

    assert code == 1, output
    assert_failed_document(out_dir, bad, output, reason)
    assert (out_dir / "plandata.duckdb").is_file()


def test_batch_of_bad_inputs_goes_on_and_exits_1(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = {case: make(tmp_path, samples_dir) for case, (make, _) in BAD_INPUTS.items()}
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", *inputs.values(), "--out", out_dir)

    assert code == 1, output
    assert len(read_dataset(out_dir, "documents")) == len(inputs)
    for case, path in inputs.items():
        assert_failed_document(out_dir, path, output, BAD_INPUTS[case][1])


def test_unexpected_error_in_a_step_becomes_a_failed_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_loader(path: Path, *args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated loader crash")

    monkeypatch.setattr(flows.extraction, "load_document", broken_loader)
    source = tmp_path / "plan.txt"
    source.write_text("Stadskanslicentralen\n", encoding="utf-8")

    records = extract_in_process(job_for(source, tmp_path / "out"))

    assert records.document.status == "failed" and records.document.source_path == str(source)
    assert records.document.message == "internal error in load_document: RuntimeError: simulated loader crash"
    assert records.document.document_id == file_sha256(source)


def test_a_document_past_its_budget_fails_and_the_batch_goes_on(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.hostile_pdf import SAMPLE_LINES, page_pdf, text_content

    slow = tmp_path / "slow.pdf"  # 400 000 lines of text: 100 000 take about 7 CPU s to read here
    slow.write_bytes(page_pdf([text_content(SAMPLE_LINES * 100_000)]))
    good = tmp_path / GOOD_TEXT
    good.write_bytes((samples_dir / GOOD_TEXT).read_bytes())
    out_dir = tmp_path / "out"

    # the memory budget is set high: on a quiet machine the reader reserves 2 GB of address space on this page
    # within 8 s, and the memory budget would stop it first (test_a_reader_out_of_memory_is_named_so)
    code, output = run_cli(capsys, "ingest", slow, good, "--out", out_dir, "--time-budget", "8",
                           "--time-per-page", "0", "--memory-budget", "16000")

    assert code == 0, output
    assert f"FAILED {slow}: exceeded the time budget (8 s)" in output
    documents = read_dataset(out_dir, "documents").set_index("source_path")
    assert documents.loc[str(slow), "status"] == "failed"
    assert documents.loc[str(good), "status"] == "ok"
    assert len(rows(out_dir, "finance", file_sha256(good))) == 108


def test_folder_input_is_searched_recursively_for_supported_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2025").mkdir(parents=True)
    empty = inbox / "2025" / "empty.txt"
    empty.write_bytes(b"")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 not a plan")
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", inbox, "--out", out_dir)

    assert code == 1, output
    documents = read_dataset(out_dir, "documents")
    assert documents["source_path"].tolist() == [str(empty)]
    assert "notes.docx" not in output


# --- help and usage ----------------------------------------------------------------------------


def test_help_documents_the_ingest_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run_cli(capsys, "--help")
    assert code == 0
    assert "ingest" in output

    code, output = run_cli(capsys, "ingest", "--help")
    assert code == 0
    assert "PATH" in output
    assert "--out DIR" in output


def test_help_says_what_each_command_writes(capsys: pytest.CaptureFixture[str]) -> None:
    """`ingest`, `archive` and `watch` write run reports; `inspect` has no batch to go on with."""
    helps = {}
    for command in ("ingest", "archive", "watch", "inspect", "compare", "report", "export"):
        code, output = run_cli(capsys, command, "--help")
        assert code == 0, command
        helps[command] = " ".join(output.split())
    for command in ("inspect", "compare", "report", "export"):
        assert "run report" not in helps[command], command
    for command in ("ingest", "archive", "watch"):
        assert "the datasets and the run reports (DIR/reports/run-*.json, .md)" in helps[command], command
    assert "Writes a run report to OUT/reports/run-<UTC time>.json and .md" in helps["ingest"]
    assert "past its budget is failed and the other documents go on" in helps["ingest"]
    assert "batch" not in helps["inspect"]
    assert "past its budget is not drawn: the reason is printed and the exit status is 2" in helps["inspect"]
    assert "the pictures go to DIR/inspect/" in helps["inspect"]


@pytest.mark.parametrize("make_input", ["missing", "empty-folder", "unsupported-only"])
def test_no_inputs_found_is_a_usage_error(
    make_input: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "inputs"
    if make_input != "missing":
        target.mkdir()
    if make_input == "unsupported-only":
        (target / "budget.docx").write_bytes(b"PK\x03\x04")
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", target, "--out", out_dir)

    assert code == 2, output
    assert str(target) in output
    assert not (out_dir / "datasets").exists()


def test_no_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "ingest")[0] == 2
    assert run_cli(capsys)[0] == 2


# --- good input (needs the extractors) ---------------------------------------------------------


def good_document_rows(out_dir: Path, document_id: str) -> dict[str, list[dict[str, Any]]]:
    return {name: rows(out_dir, name, document_id) for name in ("documents", *RECORD_DATASETS)}


def test_bad_input_never_damages_a_good_document(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = samples_dir / GOOD_TEXT
    good_id = file_sha256(good)
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", good, "--out", out_dir)
    assert code == 0, output
    before = good_document_rows(out_dir, good_id)
    assert [row["status"] for row in before["documents"]] in (["ok"], ["partial"]), before["documents"]
    assert before["goals"] and before["finance"] and before["units"]

    bad = [make(tmp_path, samples_dir) for make, _ in BAD_INPUTS.values()]
    code, output = run_cli(capsys, "ingest", *bad, "--out", out_dir)
    assert code == 1, output
    assert good_document_rows(out_dir, good_id) == before
    assert len(read_dataset(out_dir, "documents")) == 1 + len(bad)

    # One bad and one good file in the same batch: the batch succeeds and the good rows are the same.
    mixed_out = tmp_path / "mixed"
    code, output = run_cli(capsys, "ingest", bad[0], good, "--out", mixed_out)
    assert code == 0, output
    assert f"FAILED {bad[0]}" in output
    assert good_document_rows(mixed_out, good_id) == before
    documents = read_dataset(mixed_out, "documents").set_index("source_path")
    assert documents.loc[str(bad[0]), "status"] == "failed"


def test_reingesting_replaces_rows_instead_of_duplicating(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = samples_dir / GOOD_TEXT
    bad = make_empty(tmp_path, samples_dir)
    out_dir = tmp_path / "out"

    assert run_cli(capsys, "ingest", good, bad, "--out", out_dir)[0] == 0
    counts = {name: len(read_dataset(out_dir, name)) for name in ("documents", *RECORD_DATASETS)}
    assert counts["documents"] == 2
    assert counts["goals"] > 0 and counts["finance"] > 0

    assert run_cli(capsys, "ingest", good, "--out", out_dir)[0] == 0
    assert run_cli(capsys, "ingest", bad, good, "--out", out_dir)[0] == 0
    assert {name: len(read_dataset(out_dir, name)) for name in counts} == counts


def test_two_names_of_one_file_are_one_document(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the same bytes under two names in one batch: read once, the second file named as a copy of the first,
    # and counted as one document (the catalog holds one row for one content)
    first = tmp_path / "a.txt"
    copy = tmp_path / "b kopio.txt"
    first.write_bytes((samples_dir / GOOD_TEXT).read_bytes())
    copy.write_bytes(first.read_bytes())
    out_dir = tmp_path / "out"
    code, output = run_cli(capsys, "ingest", first, copy, "--out", out_dir)
    assert code == 0
    flat = " ".join(output.split())
    assert "1 document(s): 1 ok, 0 partial, 0 failed, 1 file(s) skipped as the same content as another file" in flat
    assert "same content as" in flat and "a.txt" in flat
    documents = read_dataset(out_dir, "documents")
    assert len(documents) == 1 and documents["source_path"].iloc[0].endswith("a.txt")


def test_ingest_writes_a_run_report_with_each_document(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # one good and one bad file: the report lists both with their status and seconds, the left-out file too,
    # and the command's last line names the report
    good = tmp_path / "inbox" / GOOD_TEXT
    good.parent.mkdir()
    good.write_bytes((samples_dir / GOOD_TEXT).read_bytes())
    make_empty(good.parent, samples_dir)
    (good.parent / ".hidden-copy.txt").write_bytes(good.read_bytes())
    out_dir = tmp_path / "out"
    code, output = run_cli(capsys, "ingest", good.parent, "--out", out_dir)
    assert code == 0, output
    reports = sorted((out_dir / "reports").glob("run-*.json"))
    assert len(reports) == 1 and reports[0].with_suffix(".md").is_file()
    report = json.loads(reports[0].read_text(encoding="utf-8"))
    assert report["kind"] == "ingest" and report["out_dir"] == str(out_dir)
    entries = {Path(entry["path"]).name: entry for entry in report["files"]}
    assert set(entries) == {GOOD_TEXT, "empty.pdf"}
    assert entries[GOOD_TEXT]["status"] == "ok" and entries[GOOD_TEXT]["seconds"] > 0
    assert entries["empty.pdf"]["status"] == "failed" and "empty" in entries["empty.pdf"]["error"]
    assert report["totals"]["ok"] == 1 and report["totals"]["failed"] == 1
    assert [Path(item["path"]).name for item in report["left_out"]] == [".hidden-copy.txt"]
    assert "hidden file" in report["left_out"][0]["reason"]
    assert f"report: {reports[0].with_suffix('.md')}" in " ".join(output.split())


def test_a_reader_out_of_memory_is_named_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # PDFium aborts without a word when an allocation fails under the address-space limit; a child whose address
    # space had grown by half its budget or more when it aborted ran out of memory, it did not 'crash'
    from flows.worker import _death_reason

    silent_abort = 6  # waitpid status of a child killed by SIGABRT, no core
    capture = tmp_path / "capture"
    capture.write_bytes(b"")
    with capture.open("rb") as handle:
        assert _death_reason(silent_abort, handle, near_limit=True).startswith("exceeded the memory budget")
        assert _death_reason(silent_abort, handle, near_limit=False) == "the reader crashed (signal 6)"


def test_a_document_past_its_memory_budget_fails_and_says_so(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.hostile_pdf import SAMPLE_LINES, page_pdf, text_content

    big = tmp_path / "big.pdf"  # one page of 400 000 text lines: reading it takes gigabytes
    big.write_bytes(page_pdf([text_content(SAMPLE_LINES * 100_000)]))
    code, output = run_cli(capsys, "ingest", big, "--out", tmp_path / "out", "--time-budget", "120",
                           "--memory-budget", "400")
    assert code == 1
    flat = " ".join(output.split())
    assert f"FAILED {big}: exceeded the memory budget" in flat and "crashed" not in flat


def test_the_progress_bar_redraws_four_times_a_second_in_a_terminal() -> None:
    """A redraw costs the writing process CPU; rich's default is 10 a second (flows.console)."""
    import io

    from rich.console import Console

    from flows.console import PROGRESS_REFRESH_PER_SECOND, progress_bar

    terminal = Console(file=io.StringIO(), force_terminal=True)
    with progress_bar(terminal) as progress:
        progress.add_task("Archiving", total=2)
        assert progress.live.refresh_per_second == PROGRESS_REFRESH_PER_SECOND == 4
        assert progress.live.auto_refresh and progress.live.transient


def test_a_prefect_home_with_a_missing_parent_gives_no_prefect_warning(tmp_path: Path) -> None:
    """PREFECT_HOME=missing/parent/home (relative): `--help` and `--stop` say nothing of it; a command that needs the
    home creates it with its parents."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(PREFECT_HOME="missing/parent/home",
               PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    for command in (["flows.cli", "compare", "--help"], ["flows.server", "--stop"]):
        done = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0 and "Warning" not in done.stderr, (command, done.stderr)


ENDING = """
import atexit, sys
from pathlib import Path
import flows.cli

def main(argv=None):
    atexit.register(lambda: Path(sys.argv[1]).write_text("stopped"))  # as the command's modules register theirs
    for number in range(100_000):
        print(f"line {number}")
    print("on stderr", file=sys.stderr)
    return 3

flows.cli.main = main
from flows.entry import command
command()
"""


def test_the_plandata_executable_ends_with_main_s_status_after_its_exit_handlers(tmp_path: Path) -> None:
    """`plandata` (flows.entry.command) ends without the interpreter's teardown (0.5 s after every command), but only
    once main() has returned, the handlers its modules registered have run and everything printed is out."""
    import subprocess
    import sys

    marker = tmp_path / "handler"
    done = subprocess.run([sys.executable, "-c", ENDING, str(marker)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 3
    assert done.stdout.splitlines() == [f"line {number}" for number in range(100_000)]
    assert done.stderr == "on stderr\n"
    assert marker.read_text() == "stopped"


def test_the_plandata_executable_is_flows_entry_command() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["plandata"] == "flows.entry:command"


def test_the_plandata_executable_says_when_its_output_could_not_be_written(tmp_path: Path) -> None:
    """Help printed to a full disk ends with status 120 (what was printed is lost), as Python's own exit does; a
    closed standard output is no error of plandata's."""
    import subprocess
    import sys

    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    run = [sys.executable, "-c", "from flows.entry import command; command()", "--help"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(run, stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 120 and done.stderr == ""
    done = subprocess.run(run, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0 and done.stderr == ""
    closed = subprocess.run(run, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, timeout=120,
                            check=False, stdout=None, pass_fds=(), preexec_fn=lambda: os.close(1))
    # with no standard output argparse prints the help on stderr; no exit handler fails
    assert closed.returncode == 0 and "Exception ignored" not in closed.stderr, closed.stderr


def _run_with_default_signals(script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`python -c script ARGUMENTS...`, its output captured, with the stop signals handled as in a terminal (a test
    runner in the background starts its children with SIGINT ignored)."""
    return subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True, timeout=120,
                          check=False, preexec_fn=lambda: [signal.signal(number, signal.SIG_DFL) for number in
                                                           (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)])


SIGNALLED_AT_EXIT = """
import atexit, os, signal, sys, time
import flows.cli

def main():
    def last_events():  # an exit handler that runs once main() has returned, as Prefect's sending of its events does
        os.kill(os.getpid(), int(sys.argv[1]))
        time.sleep(2)
        print("the exit handler went on", file=sys.stderr)
    atexit.register(last_events)
    print("done")
    return 2

flows.cli.main = main
from flows.entry import command
command()
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_once_the_work_is_done_ends_the_executable_at_once_with_main_s_status(
        signum: signal.Signals) -> None:
    """Ctrl-C, SIGTERM or SIGHUP while `plandata`'s exit handlers run: no traceback of a KeyboardInterrupt raised in
    one ("Exception ignored in atexit callback"), no end by the signal without a line: the process ends at once, its
    output flushed, with the status main() returned for the work it did."""
    done = _run_with_default_signals(SIGNALLED_AT_EXIT, str(int(signum)))
    assert (done.returncode, done.stdout, done.stderr) == (2, "done\n", "")


SIGNALLED_AS_IT_ENDS = """
import os, signal, sys, time
import flows.cli

signum = int(sys.argv[1])
real_finished = flows.cli.work_finished

def finished(status):
    real_finished(status)
    if status is not None:  # the work is done and said; the command restores its handlers and ends
        os.kill(os.getpid(), signum)
        time.sleep(0.3)

def run_command(parser, args):
    print("done")
    return 0

flows.cli.work_finished, flows.cli.run_command = finished, run_command
sys.argv = ["plandata", "compare", "--out", sys.argv[2]]
from flows.entry import command
command()
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_as_an_interruptible_command_ends_lets_it_end_with_its_status(
        signum: signal.Signals, tmp_path: Path) -> None:
    """A signal once an interruptible command's work is done, while it restores its handlers: no KeyboardInterrupt
    traceback from its own handler or Python's, no end by the signal; it ends with the status of its work."""
    done = _run_with_default_signals(SIGNALLED_AS_IT_ENDS, str(int(signum)), str(tmp_path))
    assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")


SIGNALLED_WHILE_MAIN_IMPORTS = """
import os, signal, sys

signum = int(sys.argv[1])

class SignalOnImport:  # the signal comes while main() imports the module it needs before its own handling
    def find_spec(self, name, path=None, target=None):
        if name == "extractors.pipeline":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signum)
        return None

sys.argv = ["plandata", "compare", "--out", sys.argv[2]]
from flows.entry import command
sys.meta_path.insert(0, SignalOnImport())
command()
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_while_main_imports_before_its_handling_ends_in_the_early_line(
        signum: signal.Signals, tmp_path: Path) -> None:
    """Between its parsing and its own handling main() imports what it needs: a signal then ends the command in the
    early line and 128 + the signal's number (flows.signals), not a KeyboardInterrupt traceback or the signal's end."""
    done = _run_with_default_signals(SIGNALLED_WHILE_MAIN_IMPORTS, str(int(signum)), str(tmp_path))
    assert (done.returncode, done.stderr) == (128 + signum, f"plandata: interrupted ({signum.name})\n")
