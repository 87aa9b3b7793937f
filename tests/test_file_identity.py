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

