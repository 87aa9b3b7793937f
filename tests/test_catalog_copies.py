"""A copy of an ingested file, met in a later run under another path: the first path stays the document's
source, and the later file is reported as a copy of it ('same content as ...')."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from extractors.pipeline import process_file
from extractors.writers import read_dataset, write_record_sets
from flows.batch import plan_batch, run_batch
from flows.ingest import commit_records, mark_copy, summarize
from flows.report import build_report, report_markdown

REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "reference"
LOVIISA = "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
SMALL_PLAN = "Sivistyslautakunta\n\n\tTA 2024\tTA 2025\nToimintatuotot\t1 000\t1 100\n"


def test_a_later_copy_keeps_the_first_path(tmp_path: Path, prefect_harness: None) -> None:
    first = tmp_path / "archive" / "2025" / LOVIISA
    copy = tmp_path / "inbox" / "talousarvio.txt"
    first.parent.mkdir(parents=True)
    copy.parent.mkdir()
    shutil.copyfile(REFERENCE / LOVIISA, first)
    shutil.copyfile(REFERENCE / LOVIISA, copy)
    out = tmp_path / "out"
    _, records = process_file(first)
    assert write_record_sets([records], out) == {}

    # a later run reads the copy again (`plandata ingest`, or `archive` with a new pipeline version)
    _, again = process_file(copy)
    document_id = again.document.document_id
    assert document_id == records.document.document_id and again.document.source_path == str(copy)
    committed = commit_records(again, str(out))  # as `ingest` and `archive` write a document
    assert committed.document.source_path == str(first)
    documents = read_dataset(out, "documents")
    assert documents[["document_id", "source_path"]].values.tolist() == [[document_id, str(first)]]
    assert len(read_dataset(out, "goals")) == 23  # replaced, not duplicated
    summary = mark_copy(summarize(committed, 1.0), str(copy))
    assert summary["copy_of"] == str(first)
    assert mark_copy(summarize(records, 1.0), str(first)).get("copy_of") is None

    # `archive` of a folder holding the copy: skipped, named as a copy of the first file
    plan = plan_batch([copy, first], out)
    assert [p.skip_reason for p in plan] == [
        f"same content as {first}, already in the catalog", plan[1].skip_reason]
    assert plan[1].skip_reason.startswith("unchanged: already ingested with pipeline ")
    summaries = run_batch(plan, out, None)
    assert [(s["path"], s["source_path"], s.get("copy_of")) for s in summaries] == [
        (str(copy), str(first), str(first)), (str(first), str(first), None)]
    report = build_report("archive", str(tmp_path), out, summaries, datetime.now(UTC), datetime.now(UTC))
    assert [entry["copy_of"] for entry in report["files"]] == [str(first), None]
    assert f"- `{copy}`: same content as `{first}`, the document's source" in report_markdown(report)


def test_a_new_version_of_a_file_is_still_replaced(tmp_path: Path) -> None:
    # the path a copy was found at held another document before: that one is a replaced version
    path = tmp_path / "plan.txt"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    out = tmp_path / "out"
    write_record_sets([process_file(path)[1]], out)
    first = tmp_path / LOVIISA
    shutil.copyfile(REFERENCE / LOVIISA, first)
    _, loviisa = process_file(first)
    write_record_sets([loviisa], out)
    shutil.copyfile(REFERENCE / LOVIISA, path)
    _, copy = process_file(path)
    assert write_record_sets([copy], out) == {loviisa.document.document_id: str(first)}
    assert read_dataset(out, "documents")["source_path"].tolist() == [str(first)]


def _committed_with_a_copy(first: Path, copy: Path, other: Path, out: Path) -> tuple[str, str]:
    """Lovisa's plan at first and at copy, a small plan at other; Lovisa's committed at first, the small one at other.
    Returns their document ids (Lovisa's, the small plan's)."""
    for folder in {first.parent, copy.parent, other.parent}:
        folder.mkdir(exist_ok=True)
    shutil.copyfile(REFERENCE / LOVIISA, first)
    shutil.copyfile(REFERENCE / LOVIISA, copy)
    other.write_text(SMALL_PLAN, encoding="utf-8")
    _, loviisa = process_file(first)
    _, moved = process_file(other)
    write_record_sets([loviisa, moved], out)
    return loviisa.document.document_id, moved.document.document_id


def test_a_file_moved_over_a_copied_document_keeps_that_document_at_its_copy(
        tmp_path: Path, prefect_harness: None) -> None:
    """A file renamed onto the path of a document that a copy elsewhere still holds: the moved document is recorded
    at its new path and the other document at its copy, not removed while a file still holds it."""
    folder, out = tmp_path / "plans", tmp_path / "out"
    first, copy, other = folder / "a.txt", folder / "b.txt", folder / "c.txt"
    loviisa, moved = _committed_with_a_copy(first, copy, other, out)

    other.replace(first)  # `mv c.txt a.txt`: a.txt holds the other document now, b.txt still holds Lovisa's plan
    summaries = run_batch(plan_batch([first, copy], out), out, None)
    documents = read_dataset(out, "documents").set_index("document_id")["source_path"].to_dict()
    assert documents == {moved: str(first), loviisa: str(copy)}
    assert len(read_dataset(out, "goals")) == 23  # Lovisa's goals are still there
    assert [s["source_path"] for s in summaries] == [str(first), str(copy)]


def test_a_file_moved_over_a_document_an_earlier_run_met_a_copy_of_records_that_document_at_the_copy(
        tmp_path: Path, prefect_harness: None) -> None:
    """The same when the copy is not among this run's files (an archive of another folder), only named in an earlier
    run's report: the document is recorded at its copy, as a new version written over it would leave it
    (write_record_sets), not removed while that file still holds it."""
    folder, out = tmp_path / "plans", tmp_path / "out"
    first, other, copy = folder / "a.txt", folder / "c.txt", tmp_path / "elsewhere" / "b.txt"
    loviisa, moved = _committed_with_a_copy(first, copy, other, out)
    (out / "reports").mkdir()
    (out / "reports" / "run-20250101T000000Z.json").write_text(  # an archive of elsewhere/ met the copy
        json.dumps({"files": [{"path": str(copy), "document_id": loviisa}]}), encoding="utf-8")

    other.replace(first)
    summaries = run_batch(plan_batch([first], out), out, None)
    documents = read_dataset(out, "documents").set_index("document_id")["source_path"].to_dict()
    assert documents == {moved: str(first), loviisa: str(copy)}
    assert len(read_dataset(out, "goals")) == 23
    assert [(s["source_path"], s.get("replaced")) for s in summaries] == [(str(first), None)]
