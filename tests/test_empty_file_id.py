"""An empty or unreadable file's id: one id however its path is typed, never the id of any file's content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractors.pipeline import file_sha256
from extractors.source import content_id


def test_one_empty_file_is_one_id_however_its_path_is_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "e2.pdf").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    ids = {content_id(Path("in/e2.pdf")), content_id(folder / "e2.pdf"), content_id(Path("in/../in/e2.pdf"))}
    monkeypatch.chdir(folder)
    ids |= {content_id(Path("./e2.pdf")), content_id(Path("e2.pdf"))}
    assert len(ids) == 1


def test_no_content_has_the_id_of_an_empty_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("in").mkdir()
    Path("in/e.txt").write_bytes(b"")
    for text in ("in/e.txt", str(tmp_path / "in/e.txt")):
        Path("in/p.txt").write_bytes(os.fsencode(text))
        assert content_id(Path("in/p.txt")) == file_sha256(Path("in/p.txt"))
        assert content_id(Path("in/e.txt")) != content_id(Path("in/p.txt"))


def test_unreadable_and_missing_files_are_identified_by_their_absolute_path(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert content_id(Path("gone.pdf")) == content_id(tmp_path / "gone.pdf") != content_id(Path("other.pdf"))
