"""Files with the same content (one document id) across runs, through the real `plandata archive` and `ingest`: a
document survives its first file being replaced while a copy holds it, a moved file's document is recorded where
it is now, empty files are each their own bad input, the terminal summary and the run report word skipped files
alike, and an unchanged re-run leaves the DuckDB catalog untouched."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import flows.ingest
from extractors.pipeline import file_sha256
from extractors.writers import forget_process_state, read_dataset
from flows.batch import plan_batch
from flows.cli import main

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows

CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "cases"
B05 = CASES / "B05-sign-and-marker-grammar.pdf"
B08 = CASES / "B08-multiline-row-labels.pdf"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # whole paths on one line of the summary table


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    forget_process_state()  # each command is a process of its own
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    output = " ".join((captured.out + captured.err).split())
    assert code == 0, output
    return output


def last_report(out: Path) -> tuple[dict[str, dict[str, Any]], str]:
    latest = max((out / "reports").glob("run-*.json"), key=lambda path: path.stat().st_mtime_ns)
    report = json.loads(latest.read_text(encoding="utf-8"))
    return {Path(entry["path"]).name: entry for entry in report["files"]}, latest.with_suffix(".md").read_text()


def sources(out: Path) -> dict[str, str]:
    documents = read_dataset(out, "documents")
    return dict(zip(documents["document_id"], documents["source_path"], strict=True))


def row_counts(out: Path, document_id: str) -> dict[str, int]:
    return {name: int((read_dataset(out, name)["document_id"] == document_id).sum())
            for name in ("documents", "goals", "finance", "validation")}


def test_a_copy_keeps_the_document_when_its_first_file_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = tmp_path / "plans", tmp_path / "out"
    first, copy = folder / "a" / "x.pdf", folder / "b" / "y.pdf"
    first.parent.mkdir(parents=True)
    copy.parent.mkdir()
    shutil.copyfile(B05, first)
    b05, b08 = file_sha256(B05), file_sha256(B08)
    run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    rows = row_counts(out, b05)
    assert rows["documents"] == 1 and rows["finance"] > 0

    shutil.copyfile(B05, copy)  # a copy, ingested later: recorded as a copy of a/x.pdf
    output = run_cli(capsys, "ingest", copy, "--out", out)
    assert f"same content as {first}" in output
    assert sources(out) == {b05: str(first)} and last_report(out)[0]["y.pdf"]["copy_of"] == str(first)

    shutil.copyfile(B08, first)  # a/x.pdf now holds another document; b/y.pdf still holds B05
    output = run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    assert sources(out) == {b05: str(copy), b08: str(first)}  # nothing lost, each recorded where it is
    assert row_counts(out, b05) == rows
    files, markdown = last_report(out)
    assert files["x.pdf"]["document_id"] == b08 and not files["x.pdf"]["skipped"]
    assert files["y.pdf"]["skipped"] and files["y.pdf"]["source_path"] == str(copy)
    assert files["y.pdf"]["copy_of"] is None and files["y.pdf"]["moved_from"] == str(first)
    assert "same content as" not in files["y.pdf"]["skip_reason"]
    assert f"same content as {first}" not in output  # the summary no longer calls y.pdf a copy of a/x.pdf
    assert f"{first} no longer holds it" in output
    assert f"- `{copy}`: was recorded at `{first}`" in markdown

    # the next run finds both unchanged, and leaves the catalog alone
    output = run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    assert "2 skipped as unchanged" in output
    assert sources(out) == {b05: str(copy), b08: str(first)}


class Interrupted(BaseException):
    """Stands in for Ctrl-C or a kill between two documents."""


def test_an_interrupted_ingest_keeps_the_document_a_copy_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, copy, out = tmp_path / "a" / "x.pdf", tmp_path / "b" / "y.pdf", tmp_path / "out"
    first.parent.mkdir()
    copy.parent.mkdir()
    shutil.copyfile(B05, first)
    shutil.copyfile(B05, copy)
    run_cli(capsys, "ingest", first, copy, "--out", out)
    b05 = file_sha256(B05)
    assert sources(out) == {b05: str(first)}
    rows = row_counts(out, b05)

    shutil.copyfile(B08, first)
    real, calls = flows.ingest.ingest_document, []

    def stopping(*args: Any, **kwargs: Any) -> Any:
        if calls:
            raise Interrupted
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(flows.ingest, "ingest_document", stopping)
    forget_process_state()
    with pytest.raises(Interrupted):  # x.pdf (now B08) is committed, the run stops before y.pdf
        main(["ingest", str(first), str(copy), "--out", str(out)])
    assert sources(out) == {b05: str(copy), file_sha256(B08): str(first)}
    assert row_counts(out, b05) == rows


def test_a_moved_file_is_recorded_where_it_is_now(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, out = tmp_path / "plans", tmp_path / "out"
    first, moved = folder / "a" / "x.pdf", folder / "c" / "x.pdf"
    first.parent.mkdir(parents=True)
    shutil.copyfile(B05, first)
    b05 = file_sha256(B05)
    run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    rows = row_counts(out, b05)

    moved.parent.mkdir()
    first.rename(moved)
    output = run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    assert sources(out) == {b05: str(moved)}  # no dangling path to a file that is gone
    assert row_counts(out, b05) == rows
    files, _ = last_report(out)
    assert files["x.pdf"]["skipped"] and files["x.pdf"]["moved_from"] == str(first)
    assert "1 skipped as unchanged" in output and "same content as" not in output

    # `ingest` of the file at yet another place records it there too (its recorded file no longer exists)
    again = tmp_path / "elsewhere.pdf"
    moved.rename(again)
    output = run_cli(capsys, "ingest", again, "--out", out)
    assert sources(out) == {b05: str(again)} and "same content as" not in output


def test_empty_files_are_each_a_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, out = tmp_path / "plans", tmp_path / "out"
    folder.mkdir()
    empty = [folder / "one.pdf", folder / "two.pdf", folder / "three.pdf"]
    for path in empty:
        path.write_bytes(b"")
    plan = plan_batch(sorted(empty), out)
    assert [planned.skipped for planned in plan] == [False, False, False]
    assert len({planned.document_id for planned in plan}) == 3

    forget_process_state()
    code = main(["ingest", str(folder), "--out", str(out)])
    output = " ".join(capsys.readouterr().out.split())
    assert code == 1
    for path in empty:
        assert f"FAILED {path}: file is empty" in output
    assert "same content as" not in output
    documents = read_dataset(out, "documents")
    assert sorted(documents["source_path"]) == sorted(map(str, empty))
    assert set(documents["status"]) == {"failed"}


def test_the_summary_and_the_run_report_word_copies_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, out = tmp_path / "plans", tmp_path / "out"
    folder.mkdir()
    shutil.copyfile(B05, folder / "x.pdf")
    shutil.copyfile(B05, folder / "y.pdf")
    run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    output = run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    words = "1 skipped as unchanged, 1 file(s) skipped as the same content as another file"
    _, markdown = last_report(out)
    assert words in output
    assert f"0 extracted, {words};" in markdown


def test_an_unchanged_rerun_leaves_the_catalog_file_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, out = tmp_path / "plans", tmp_path / "out"
    folder.mkdir()
    shutil.copyfile(B05, folder / "x.pdf")
    run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    catalog = out / "plandata.duckdb"
    before = (catalog.read_bytes(), catalog.stat().st_mtime_ns, catalog.stat().st_ino)
    os.utime(catalog, ns=(before[1] - 10**9, before[1] - 10**9))  # a rewrite within the same clock tick shows too
    before = (before[0], catalog.stat().st_mtime_ns, before[2])
    run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    assert (catalog.read_bytes(), catalog.stat().st_mtime_ns, catalog.stat().st_ino) == before


def test_hard_links_are_counted_alike_on_the_first_run_and_a_rerun(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copyfile(B05, folder / "a.pdf")
    os.link(folder / "a.pdf", folder / "b.pdf")
    first = run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    assert "1 document(s):" in first and "1 file(s) skipped as the same content as another file" in first
    again = run_cli(capsys, "archive", folder, "--out", out, "--workers", "1")
    assert "1 document(s):" in again, again
    assert "1 skipped as unchanged, 1 file(s) skipped as the same content as another file" in again, again
    files, _ = last_report(out)
    assert files["a.pdf"]["skip_reason"].startswith("unchanged")
    assert files["b.pdf"]["skip_reason"] == f"same content as {folder / 'a.pdf'}"
    latest = max((out / "reports").glob("run-*.json"), key=lambda path: path.stat().st_mtime_ns)
    totals = json.loads(latest.read_text(encoding="utf-8"))["totals"]
    assert totals["files"] == 2 and totals["copies"] == 1
