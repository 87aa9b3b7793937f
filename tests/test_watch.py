"""The inbox: one `watch_inbox` pass ingests complete files and moves them; files still being written
are left alone; `plandata watch --once`; `serve_watch` serves the flow as a scheduled deployment."""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest

import flows.watch
from extractors.pipeline import file_sha256
from extractors.writers import read_dataset
from flows.cli import main
from flows.watch import serve_watch, stable_files, watch_inbox

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows

SV_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
FI_TEXT = "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
QUICK = {"settle_seconds": 0.05, "min_age_seconds": 5.0}


def age(path: Path, seconds: float = 60.0) -> Path:
    """Pretend the file was last written `seconds` ago."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))
    return path


def drop(inbox: Path, source: Path, name: str | None = None) -> Path:
    target = inbox / (name or source.name)
    shutil.copyfile(source, target)
    return age(target)


def one_pass(inbox: Path, out_dir: Path) -> dict[str, Any]:
    return watch_inbox(str(inbox), str(out_dir), **QUICK)


def test_one_pass_ingests_complete_files_moves_them_and_reports(tmp_path: Path, samples_dir: Path) -> None:
    inbox, out_dir = tmp_path / "inbox", tmp_path / "out"
    (inbox / "processed").mkdir(parents=True)
    earlier = inbox / "processed" / SV_TEXT  # a file of the same name from an earlier pass
    earlier.write_text("kept as it is", encoding="utf-8")
    sv = drop(inbox, samples_dir / SV_TEXT)
    fi = drop(inbox, samples_dir / FI_TEXT)
    binary = inbox / "binary.pdf"  # not a PDF at all (an empty file would wait: a copy not started)
    binary.write_bytes(b"\x00\x01 not a plan")
    age(binary)
    notes = inbox / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 not a plan")
    age(notes)
    ids = {path.name: file_sha256(path) for path in (sv, fi, binary)}

    report = one_pass(inbox, out_dir)

    assert sorted(path.name for path in inbox.iterdir()) == ["failed", "notes.docx", "processed"]
    assert notes.exists()  # not a plan file: not touched
    assert earlier.read_text(encoding="utf-8") == "kept as it is"
    processed = inbox / "processed"
    assert sorted(path.name for path in processed.iterdir()) == sorted(
        [SV_TEXT, SV_TEXT.replace(".txt", "-2.txt"), FI_TEXT]
    )
    failed = inbox / "failed"
    assert sorted(path.name for path in failed.iterdir()) == ["binary.pdf", "binary.pdf.error.txt"]
    error = (failed / "binary.pdf.error.txt").read_text(encoding="utf-8")
    assert "binary content" in error and ids["binary.pdf"] in error

    documents = read_dataset(out_dir, "documents").set_index("document_id")
    assert sorted(documents.index) == sorted(ids.values())
    # Each document is recorded where its file now is.
    assert documents.loc[ids[SV_TEXT], "source_path"] == str(processed / SV_TEXT.replace(".txt", "-2.txt"))
    assert documents.loc[ids[FI_TEXT], "source_path"] == str(processed / FI_TEXT)
    assert documents.loc[ids["binary.pdf"], "source_path"] == str(failed / "binary.pdf")
    assert documents.loc[ids["binary.pdf"], "status"] == "failed"
    goals = read_dataset(out_dir, "goals")
    assert (goals["document_id"] == ids[FI_TEXT]).sum() == 23

    stored = json.loads(Path(report["report_paths"][0]).read_text(encoding="utf-8"))
    assert stored["kind"] == "watch" and stored["totals"]["files"] == 3 and stored["totals"]["failed"] == 1
    entries = {Path(entry["path"]).name: entry for entry in stored["files"]}
    assert entries["binary.pdf"]["error"] == "not a PDF or a plan text (binary content)"
    assert entries[SV_TEXT]["finance"] == 108 and entries[SV_TEXT]["skipped"] is False
    markdown = Path(report["report_paths"][1]).read_text(encoding="utf-8")
    assert "## Failures" in markdown and "## Moved" in markdown


def test_a_file_still_being_written_is_left_alone_until_complete(tmp_path: Path, samples_dir: Path) -> None:
    inbox, out_dir = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    content = (samples_dir / REFERENCE_PDF).read_bytes()
    partial = inbox / "budget.pdf"
    partial.write_bytes(content[: len(content) // 2])  # just written: younger than the minimum age

    report = one_pass(inbox, out_dir)

    assert report["files"] == [] and [item["path"] for item in report["waiting"]] == [str(partial)]
    assert "minimum age" in report["waiting"][0]["reason"]
    assert partial.exists() and not (inbox / "failed").exists()
    assert read_dataset(out_dir, "documents").empty

    # Old enough, but growing while the pass watches it: still left alone.
    age(partial)

    def writer_appends(seconds: float) -> None:
        with partial.open("ab") as handle:
            handle.write(content[len(content) // 2 : len(content) * 3 // 4])

    ready, waiting = stable_files(inbox, settle_seconds=0.05, min_age_seconds=0.0, sleep=writer_appends)
    assert ready == [] and [item["path"] for item in waiting] == [str(partial)]
    assert "changed" in waiting[0]["reason"]

    # Complete and settled: ingested and moved.
    partial.write_bytes(content)
    age(partial)
    report = one_pass(inbox, out_dir)
    assert [entry["status"] for entry in report["files"]] == ["ok"] and report["waiting"] == []
    moved = inbox / "processed" / "budget.pdf"
    assert not partial.exists() and moved.exists()
    assert read_dataset(out_dir, "documents")["document_id"].tolist() == [file_sha256(moved)]


def test_the_same_content_again_is_skipped_and_still_moved(tmp_path: Path, samples_dir: Path) -> None:
    inbox, out_dir = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    drop(inbox, samples_dir / SV_TEXT)
    one_pass(inbox, out_dir)
    before = read_dataset(out_dir, "documents")

    drop(inbox, samples_dir / SV_TEXT, name="copy.txt")
    report = one_pass(inbox, out_dir)

    (entry,) = report["files"]
    assert entry["skipped"] is True and entry["moved_to"] == str(inbox / "processed" / "copy.txt")
    assert not (inbox / "copy.txt").exists()
    assert read_dataset(out_dir, "documents").equals(before)


def test_cli_watch_once(tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox, out_dir = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    drop(inbox, samples_dir / SV_TEXT)
    args = ["watch", str(inbox), "--out", str(out_dir), "--once", "--settle", "0.05", "--min-age", "1"]

    code = main(args)
    output = capsys.readouterr().out
    assert code == 0, output
    assert "plandata watch" in output and "1 document(s): 1 ok" in output
    assert (inbox / "processed" / SV_TEXT).exists()

    reports = sorted((out_dir / "reports").iterdir())
    assert main(args) == 0  # an empty inbox is not an error, and not worth a report
    assert "no complete files" in capsys.readouterr().out
    assert sorted((out_dir / "reports").iterdir()) == reports


def test_cli_watch_help_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "--help"]) == 0
    output = capsys.readouterr().out
    for option in ("INBOX", "--out DIR", "--cron EXPR", "--interval SECONDS", "--once", "processed/", "failed/"):
        assert option in output
    assert main(["watch", str(tmp_path), "--cron", "* * * * *", "--interval", "5"]) == 2
    assert main(["watch", str(tmp_path / "missing"), "--once"]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_serve_watch_serves_the_flow_on_a_schedule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[dict[str, Any]] = []
    monkeypatch.setattr(flows.watch, "scheduling_server", nullcontext)  # no server in tests
    monkeypatch.setattr(flows.watch.watch_inbox, "serve", lambda **kwargs: served.append(kwargs))

    serve_watch(tmp_path / "inbox", tmp_path / "out", cron="*/5 * * * *")
    serve_watch(tmp_path / "inbox", tmp_path / "out")

    assert served[0]["cron"] == "*/5 * * * *" and served[0]["interval"] is None
    assert served[1]["interval"] == 60 and served[1]["cron"] is None
    assert served[0]["parameters"]["inbox"] == str((tmp_path / "inbox").resolve())
    assert served[0]["parameters"]["out_dir"] == str((tmp_path / "out").resolve())
    assert served[0]["limit"] == 1
    with pytest.raises(ValueError):
        serve_watch(tmp_path, tmp_path, cron="* * * * *", interval=5)
