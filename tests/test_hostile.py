"""Hostile folders and files through `plandata ingest`, `archive` and `watch`: file names that are not text,
symbolic links out of the folder, copies that stalled, and what damaged files make the readers say."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.source import source_text
from extractors.writers import read_dataset
from flows.archive import archive
from flows.cli import main
from flows.watch import watch_inbox

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows (alone, too: not only after test_cli)

GOOD_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
# Names as an old archive holds them: a Latin-1 "ä" (one byte, not UTF-8), a newline, quotes and spaces,
# a leading dash, dots.
HOSTILE_NAMES = [b"b\xe4dget 2025.txt", b"new\nline.txt", b"q'uo\"te  s.txt", b"-dash.txt", b"a..b.txt"]
SECRET = "HEMLIGT-0xSECRET"


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def aged(path: Path, seconds: float = 3600.0) -> Path:
    moment = time.time() - seconds
    os.utime(path, (moment, moment), follow_symlinks=False)
    return path


def hostile_folder(folder: Path, samples: Path) -> list[Path]:
    """The hostile names, each a distinct copy of a good plan text (trailing blank lines differ)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = (samples / GOOD_TEXT).read_bytes()
    paths = []
    for index, name in enumerate(HOSTILE_NAMES):
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
        path.write_bytes(good + b"\n" * (index + 1))
        paths.append(aged(path))
    return paths


def test_file_names_are_data_for_ingest_archive_and_watch(
    tmp_path: Path, samples_dir: Path, dask_address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "archive"
    paths = hostile_folder(folder, samples_dir)
    expected = {source_text(path) for path in paths}
    assert "b\\xe4dget 2025.txt" in {Path(text).name for text in expected}

    code = main(["ingest", str(folder), "--out", str(tmp_path / "ingested")])
    output = capsys.readouterr().out
    assert code == 0, output
    documents = read_dataset(tmp_path / "ingested", "documents")
    assert set(documents["source_path"]) == expected and set(documents["status"]) == {"ok"}
    assert "b\\xe4dget 2025.txt" in output and "new\\nline.txt" in output  # one line each, readable

    report = archive(source_text(folder), str(tmp_path / "archived"), 1, dask_address)
    assert report["totals"]["ok"] == len(paths)
    assert set(read_dataset(tmp_path / "archived", "documents")["source_path"]) == expected
    stored = json.loads(Path(report["report_paths"][0]).read_text(encoding="utf-8"))
    assert {entry["path"] for entry in stored["files"]} == expected
    markdown = Path(report["report_paths"][1]).read_text(encoding="utf-8")
    assert "new\\nline.txt" in markdown and "new\nline.txt" not in markdown

    inbox = tmp_path / "inbox"
    hostile_folder(inbox, samples_dir)
    passed = watch_inbox(source_text(inbox), str(tmp_path / "watched"), 0.05, 1.0)
    assert passed["totals"]["ok"] == len(HOSTILE_NAMES)
    moved = sorted(os.listdir(os.fsencode(inbox / "processed")))
    assert moved == sorted(HOSTILE_NAMES)
    recorded = set(read_dataset(tmp_path / "watched", "documents")["source_path"])
    assert recorded == {source_text(Path(os.fsdecode(os.fsencode(inbox / "processed") + b"/" + n)))
                        for n in HOSTILE_NAMES}


def outside_secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"Stadskanslicentralen\n{SECRET}\nVerksamhetens intäkter\t1\t2\n",
                                        encoding="utf-8")
    return outside


def no_secret_anywhere(out_dir: Path) -> None:
    for path in out_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_archive_and_watch_never_follow_links_out_of_their_folder(
    tmp_path: Path, samples_dir: Path, dask_address: str
) -> None:
    outside = outside_secret(tmp_path)
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "plan.txt").write_bytes((samples_dir / GOOD_TEXT).read_bytes())
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    (folder / "linked-folder").symlink_to(outside, target_is_directory=True)
    (folder / "..hidden-copy.txt").write_bytes((samples_dir / GOOD_TEXT).read_bytes())  # skipped, but said so

    report = archive(str(folder), str(tmp_path / "archived"), 1, dask_address)

    assert [Path(entry["path"]).name for entry in report["files"]] == ["plan.txt"]
    assert sorted((Path(item["path"]).name, item["reason"]) for item in report["left_out"]) == [
        ("..hidden-copy.txt", "hidden file (its name starts with a dot): left out"),
        ("link.txt", "symbolic link: not followed"), ("linked-folder", "symbolic link to a folder: not followed")]
    assert "## Left out (not read)" in Path(report["report_paths"][1]).read_text(encoding="utf-8")
    no_secret_anywhere(tmp_path / "archived")

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    aged(_write(inbox / "plan.txt", (samples_dir / GOOD_TEXT).read_bytes()))
    aged(_link(inbox / "link.txt", outside / "secret.txt"))
    (inbox / "processed").symlink_to(outside, target_is_directory=True)  # moving there would leave the inbox
    aged(_write(inbox / ".plan.txt.part", b"a copy in progress"))  # not a plan suffix: not mentioned
    aged(_write(inbox / ".plan.txt", (samples_dir / GOOD_TEXT).read_bytes()))

    passed = watch_inbox(str(inbox), str(tmp_path / "watched"), 0.05, 1.0)

    assert sorted((Path(item["path"]).name, item["reason"]) for item in passed["left_out"]) == [
        (".plan.txt", "hidden file (its name starts with a dot): left out"),
        ("link.txt", "symbolic link: not followed"), ("processed", "symbolic link to a folder: not followed")]
    (entry,) = passed["files"]
    assert entry["status"] == "ok" and entry["moved_to"] is None and "not a folder of the inbox" in entry["move_error"]
    assert sorted(os.listdir(outside)) == ["secret.txt"] and (inbox / "plan.txt").is_file()
    assert (inbox / "link.txt").is_symlink()
    no_secret_anywhere(tmp_path / "watched")


def _link(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


def test_watch_waits_for_a_pdf_whose_copy_stalled(tmp_path: Path, samples_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    content = (samples_dir / REFERENCE_PDF).read_bytes()
    stalled = aged(_write(inbox / "budget.pdf", content[: len(content) * 2 // 3]))  # old, but cut off
    zero_filled = aged(_write(inbox / "preallocated.pdf", content[:50_000] + bytes(len(content) - 50_000)))
    not_started = aged(_write(inbox / "empty.pdf", b""))

    passed = watch_inbox(str(inbox), str(tmp_path / "out"), 0.05, 1.0)

    assert passed["files"] == []
    reasons = {Path(item["path"]).name: item["reason"] for item in passed["waiting"]}
    assert set(reasons) == {"budget.pdf", "preallocated.pdf", "empty.pdf"}
    assert reasons["empty.pdf"] == "empty file (a copy that has not started?)"
    assert reasons["budget.pdf"].startswith("incomplete PDF") and "%%EOF" in reasons["budget.pdf"]
    assert reasons["preallocated.pdf"].startswith("incomplete PDF") and "%%EOF" in reasons["preallocated.pdf"]
    assert stalled.exists() and zero_filled.exists() and not_started.exists()
    assert read_dataset(tmp_path / "out", "documents").empty

    aged(_write(stalled, content))
    passed = watch_inbox(str(inbox), str(tmp_path / "out"), 0.05, 1.0)
    assert [(Path(entry["path"]).name, entry["status"]) for entry in passed["files"]] == [("budget.pdf", "ok")]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def damaged_pdf(samples: Path) -> bytes:
    """The reference PDF with the checksum of every compressed stream flipped (the damage of a bad copy)."""
    data = bytearray((samples / REFERENCE_PDF).read_bytes())
    for found in re.finditer(rb"\r?\nendstream", bytes(data)):
        data[found.start() - 1] ^= 0xFF  # the last byte of the stream: the end of its Adler-32 checksum
    return bytes(data)


def test_damaged_files_leave_the_terminal_to_progress_failures_and_summary(
    tmp_path: Path, samples_dir: Path, corpus_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from tests.hostile_pdf import SAMPLE_LINES, page_pdf, text_content

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    aged(_write(inbox / "damaged.pdf", damaged_pdf(samples_dir)))
    aged(_write(inbox / "box.pdf", page_pdf([text_content(SAMPLE_LINES)], media_box=b"[0 0 595]")))
    aged(_write(inbox / "jpeg.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40))
    aged(_write(inbox / GOOD_TEXT, (samples_dir / GOOD_TEXT).read_bytes()))
    out_dir = tmp_path / "out"

    code = main(["watch", str(inbox), "--out", str(out_dir), "--once", "--settle", "0.05", "--min-age", "1"])
    captured = capfd.readouterr()

    assert code == 0, captured.out + captured.err
    assert captured.err == ""
    lines = [line for line in captured.out.splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith("FAILED ")]
    assert failed and all(line.startswith(f"FAILED {inbox}/") for line in failed)
    table = [line for line in lines if line[0] in "┏┃┡│└" or line.strip() == "plandata watch"]
    rest = [line for line in lines if line not in failed and line not in table]
    assert len(rest) == 2 and rest[0].startswith("4 document(s): ") and " s; report: " in rest[1], rest
    report = json.loads(next((out_dir / "reports").glob("run-*.json")).read_text(encoding="utf-8"))
    assert all(isinstance(entry["diagnostics"], int) for entry in report["files"])
    assert report["totals"]["diagnostics"] == sum(entry["diagnostics"] for entry in report["files"])


NOISY_STAGE = """
import io, json, logging, os, sys, tempfile, warnings
from pathlib import Path
import flows.extraction
from flows import worker

real = flows.extraction.extract_in_process

def noisy(job, on_pages=None, on_ocr_pages=None, page_readers=1):
    # What damaged files make PDF libraries do: C code writes to the descriptors, Python code warns and logs.
    os.write(2, b"PDFium: invalid cross-reference entry\\n")
    os.write(1, b"libfoo: glyph 12 missing\\n")
    warnings.warn("font widths missing")
    for _ in range(2):
        logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing corrupted data")
    print("a print from a library")
    return real(job, on_pages, on_ocr_pages, page_readers)

flows.extraction.extract_in_process = noisy
results = open(sys.argv[1], "w")
sys.excepthook = lambda kind, value, trace: (results.write(f"{kind.__name__}: {value}"), results.flush())
capture = tempfile.TemporaryFile()
os.dup2(capture.fileno(), 1)
os.dup2(capture.fileno(), 2)
sys.stdout = sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(2), "wb"), write_through=True)
job = flows.extraction.job_for(Path(sys.argv[2]), Path(sys.argv[3]))
from extractors.pipeline import warm_up
warm_up()  # as the extraction process does before its first document
result = worker.run_job(job, {"seconds": 600, "seconds_per_page": 1, "memory_mb": 1024}, capture, io.BytesIO())
issues = [i.message for i in result["records"].issues if i.code == "reader_message"]
json.dump({"kind": result["kind"], "diagnostics": result["diagnostics"], "issues": issues,
           "finance": len(result["records"].finance)}, results)
"""


def test_what_readers_print_warn_or_log_becomes_reader_message_issues(tmp_path: Path, samples_dir: Path) -> None:
    """The extraction process collects, per document, C-level output on descriptors 1 and 2, Python warnings,
    log records and prints; here a stand-in stage around the real one produces each kind."""
    results = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-c", NOISY_STAGE, str(results), str(samples_dir / GOOD_TEXT),
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", results.read_text(encoding="utf-8")
    found = json.loads(results.read_text(encoding="utf-8"))
    assert found["kind"] == "done" and found["finance"] == 108
    assert found["diagnostics"] == 6
    assert sorted(found["issues"]) == sorted([
        "pdfminer.pdftypes: Data-loss while decompressing corrupted data (2 times)",
        "UserWarning: font widths missing",
        "PDFium: invalid cross-reference entry",
        "libfoo: glyph 12 missing",
        "a print from a library",
    ])
