"""A deterministic slice of the fuzz corpus through `plandata ingest` (the full run is benchmarks/fuzz.py):
every hostile construct that is quick to refuse or read, and mutations of corpus files, in one batch with a
good document. Nothing may crash, print a traceback or other noise, hang, lose the good document or leave a
file without its `documents` row."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractors.source import content_id
from extractors.writers import read_dataset
from flows.cli import main
from tests.fuzz_files import generate
from tests.fuzz_runner import good_copy, judge

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows (alone, too: not only after test_cli)

SEED = 20261130
COUNT = 48
BUDGET_SECONDS = 20.0
MEMORY_MB = 1024


def test_fuzz_slice_through_the_command_line(tmp_path: Path, corpus_dir: Path,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    folder, out_dir = tmp_path / "in", tmp_path / "out"
    files = generate(folder, corpus_dir, SEED, COUNT, heavy=False)
    recipes = {fuzz.recipe for fuzz in files}
    assert len(files) == COUNT
    assert recipes >= {"bomb-2GiB", "mediabox-loop", "encrypted-no-user-password", "text-million-tabs", "truncate"}
    good = good_copy(corpus_dir, folder, "slice")

    started = time.monotonic()
    code = main(["ingest", str(folder), "--out", str(out_dir), "--time-budget", str(BUDGET_SECONDS),
                 "--time-per-page", "0.5", "--memory-budget", str(MEMORY_MB)])
    seconds = time.monotonic() - started
    captured = capfd.readouterr()
    output = captured.out + captured.err

    counts = judge([fuzz.path for fuzz in files], good, out_dir, code, output, seconds, 0,
                   {"status": "ok", "finance": 108}, BUDGET_SECONDS, MEMORY_MB)
    assert (counts.crashes, counts.tracebacks, counts.hangs, counts.lost_good, counts.unexplained) == (0, 0, 0, 0, 0), \
        counts.findings
    assert counts.noise_lines == 0, counts.findings
    assert counts.statuses["failed"] >= 15 and counts.statuses["ok"] + counts.statuses["partial"] >= 10
    assert output.count("FAILED ") == counts.statuses["failed"]
    documents = read_dataset(out_dir, "documents").set_index("document_id")
    for fuzz in files:
        message = documents.loc[content_id(fuzz.path), "message"]
        if fuzz.recipe.startswith("bomb-"):
            assert "refused as a decompression bomb" in message, (fuzz.recipe, message)
        if fuzz.recipe in ("text-million-tabs", "text-500000-rows", "text-long-line"):
            assert message.startswith("not a plan text export: "), (fuzz.recipe, message)
        if fuzz.recipe == "encrypted-user-password":
            assert message == "PDF is password-protected"
