"""The cyclic garbage collector runs less often while a document is read and its records built
(extractors.pipeline.fewer_collections): its thresholds are raised for the run and restored after it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from extractors.guard import SourceCheck
from extractors.pipeline import YOUNG_OBJECTS, build_records, fewer_collections, load_document


def test_reading_a_document_raises_the_youngest_threshold_and_restores_the_thresholds(corpus_dir: Path) -> None:
    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []

    def checked(_: SourceCheck) -> None:
        seen.append(gc.get_threshold())

    doc = load_document(corpus_dir / "real" / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf",
                        ocr=None, on_checked=checked)
    assert seen == [(YOUNG_OBJECTS, *before[1:])]
    assert gc.get_threshold() == before
    records = build_records(doc)
    assert len(doc.pages) == 4 and records.document.pages == 4
    assert gc.get_threshold() == before


def test_nested_blocks_and_an_exception_restore_the_thresholds_once() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        with fewer_collections():
            assert gc.get_threshold()[0] == max(YOUNG_OBJECTS, before[0])
        assert gc.get_threshold()[0] == max(YOUNG_OBJECTS, before[0])  # the outer block still runs
        raise RuntimeError("a stage failed")
    assert gc.get_threshold() == before


@pytest.mark.parametrize("command", ["ingest", "compare"])
def test_a_command_runs_with_the_raised_threshold_and_restores_it(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's own process (Prefect's, Dask's and the writers' objects) collects as rarely as a document's
    reading does, for the whole command, and an error ending it restores the thresholds too."""
    import flows.cli

    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []

    def run_command(parser: object, args: object) -> int:
        seen.append(gc.get_threshold())
        raise RuntimeError("the command failed")

    monkeypatch.setattr(flows.cli, "run_command", run_command)
    argv = [command, str(tmp_path), "--out", str(tmp_path / "out")] if command == "ingest" else \
        [command, "--out", str(tmp_path / "out")]
    with pytest.raises(RuntimeError):
        flows.cli.main(argv)
    assert seen == [(max(YOUNG_OBJECTS, before[0]), *before[1:])]
    assert gc.get_threshold() == before
