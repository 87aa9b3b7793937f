"""A file is its absolute path: the same relative path typed in two working folders names two files, and a
document is replaced as the previous version of a file only by a new version of that very file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from extractors.writers import read_dataset, write_record_sets

CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "cases"


def case(prefix: str) -> Path:
    return next(CASES.glob(f"{prefix}*.pdf"))


def test_one_relative_path_in_two_working_folders_is_two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    ids = []
    for year, prefix in (("y2024", "B01"), ("y2025", "B03")):
        folder = tmp_path / year
        (folder / "plans").mkdir(parents=True)
        shutil.copyfile(case(prefix), folder / "plans" / "budget.pdf")
        monkeypatch.chdir(folder)
        _, records = process_file(Path("plans/budget.pdf"))
        write_record_sets([records], out)
        ids.append(records.document.document_id)
    documents = read_dataset(out, "documents")
    assert sorted(documents[["document_id", "source_path"]].values.tolist()) == sorted(
        [[ids[0], str(tmp_path / "y2024" / "plans" / "budget.pdf")],
         [ids[1], str(tmp_path / "y2025" / "plans" / "budget.pdf")]])


def test_a_new_version_of_a_file_typed_otherwise_replaces_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    (tmp_path / "plans").mkdir()
    target = tmp_path / "plans" / "budget.pdf"
    shutil.copyfile(case("B01"), target)
    monkeypatch.chdir(tmp_path)
    _, first = process_file(Path("plans/budget.pdf"))
    write_record_sets([first], out)
    shutil.copyfile(case("B03"), target)
    monkeypatch.chdir(tmp_path / "plans")
    _, second = process_file(Path("budget.pdf"))
    write_record_sets([second], out)
    documents = read_dataset(out, "documents")
    assert documents[["document_id", "source_path"]].values.tolist() == [[second.document.document_id, str(target)]]


def test_rows_are_stored_under_the_id_of_the_bytes_read_not_the_planned_one(tmp_path: Path) -> None:
    from extractors.pipeline import load_document
    from extractors.source import content_id

    path = tmp_path / "z.pdf"
    shutil.copyfile(case("B12"), path)
    planned = content_id(path)
    shutil.copyfile(case("B10"), tmp_path / ".n")
    (tmp_path / ".n").replace(path)  # replaced after it was planned, before it is read
    doc = load_document(path, planned, None)
    assert doc.document_id == content_id(path) != planned
    assert doc.status == "failed" and "changed while it was read" in doc.message
    assert load_document(path, None, None).document_id == content_id(path)


def test_ingest_a_file_replaced_before_it_is_read_is_not_the_copy_of_a_later_file(
        tmp_path: Path, prefect_harness: None) -> None:
    from extractors.source import content_id
    from flows.ingest import ingest_paths

    z, z2 = tmp_path / "z.pdf", tmp_path / "z2.pdf"
    shutil.copyfile(case("B12"), z)
    shutil.copyfile(case("B12"), z2)
    b12 = content_id(z)

    def replace(path: Path) -> None:
        if path.name == "z.pdf":
            shutil.copyfile(case("B10"), tmp_path / ".n")
            (tmp_path / ".n").replace(z)

    summaries = ingest_paths([z, z2], tmp_path / "out", on_start=replace)
    assert [s["document_id"] for s in summaries] == [content_id(z), b12]
    assert not summaries[1].get("skipped") and "copy_of" not in summaries[1]
    documents = read_dataset(tmp_path / "out", "documents")
    assert sorted(documents["document_id"]) == sorted([content_id(z), b12])


def test_a_document_moved_to_a_file_removes_the_one_that_file_held_before(
        tmp_path: Path, prefect_harness: None) -> None:
    from flows.batch import plan_batch, run_batch

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    a, b = folder / "A.pdf", folder / "B.pdf"
    shutil.copyfile(case("B01"), a)
    shutil.copyfile(case("B03"), b)
    _, first = process_file(a)
    _, second = process_file(b)
    write_record_sets([first, second], out)
    shutil.copyfile(b, a)  # A now holds B's document, whose file keeps it: A's old document is held by no file
    shutil.copyfile(case("B05"), b)  # and now B holds other content: B's old document is recorded at A
    plan = plan_batch([a], out)
    assert plan[0].moved_from == str(b)
    summaries = run_batch(plan, out, None)
    documents = read_dataset(out, "documents")
    assert documents[["document_id", "source_path"]].values.tolist() == [[second.document.document_id, str(a)]]
    assert summaries[0]["replaced"] == [first.document.document_id]  # the run says which document it removed


def test_the_run_names_the_document_it_removed_as_the_previous_version(
        tmp_path: Path, prefect_harness: None) -> None:
    from flows.console import _with_copy
    from flows.ingest import ingest_paths

    a = tmp_path / "A.pdf"
    shutil.copyfile(case("B06"), a)
    out = tmp_path / "out"
    [before] = ingest_paths([a], out)
    shutil.copyfile(case("B09"), a)
    [after] = ingest_paths([a], out)
    assert after["replaced"] == [before["document_id"]]
    assert before["document_id"][:12] in _with_copy(after)
    assert read_dataset(out, "documents")["document_id"].tolist() == [after["document_id"]]


def test_a_new_version_of_a_file_keeps_the_old_document_a_copy_still_holds(tmp_path: Path) -> None:
    import json

    folder, elsewhere, out = tmp_path / "in", tmp_path / "else", tmp_path / "out"
    folder.mkdir()
    elsewhere.mkdir()
    a, copy = folder / "A.pdf", elsewhere / "B.pdf"
    shutil.copyfile(case("B06"), a)
    shutil.copyfile(case("B06"), copy)
    _, old = process_file(a)
    write_record_sets([old], out)
    # an earlier run met the copy (`ingest else/B.pdf`: copy_of in/A.pdf); its run report names it
    (out / "reports").mkdir()
    (out / "reports" / "run-20260101T000000Z.json").write_text(json.dumps(
        {"files": [{"path": str(copy), "document_id": old.document.document_id, "copy_of": str(a)}]}))
    shutil.copyfile(case("B09"), a)
    _, new = process_file(a)
    write_record_sets([new], out)
    documents = read_dataset(out, "documents")
    assert sorted(documents[["document_id", "source_path"]].values.tolist()) == sorted(
        [[old.document.document_id, str(copy)], [new.document.document_id, str(a)]])


def test_two_files_that_swapped_contents_lose_no_document(tmp_path: Path) -> None:
    a, b, out = tmp_path / "A.pdf", tmp_path / "B.pdf", tmp_path / "out"
    shutil.copyfile(case("B01"), a)
    shutil.copyfile(case("B03"), b)
    _, x = process_file(a)
    _, y = process_file(b)
    write_record_sets([x, y], out)
    shutil.copyfile(case("B03"), a)
    shutil.copyfile(case("B01"), b)
    _, again = process_file(a)  # `ingest A.pdf` alone
    write_record_sets([again], out)
    documents = read_dataset(out, "documents")
    assert sorted(documents[["document_id", "source_path"]].values.tolist()) == sorted(
        [[x.document.document_id, str(b)], [y.document.document_id, str(a)]])
