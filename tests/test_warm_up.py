"""warm_up: what a process that forks one child per document loads first, so that no child loads it again —
here the OCR tools' versions and languages (subprocesses, run once in the parent, beside the loading)."""

from __future__ import annotations

import subprocess
import threading

import pytest

from extractors.pdf import tesseract
from extractors.pipeline import warm_up

pytestmark = pytest.mark.usefixtures("ocr_tools")


def _clear() -> None:
    tesseract.tool_versions.cache_clear()
    tesseract.installed_languages.cache_clear()


def test_warm_up_learns_the_ocr_tools_and_leaves_no_thread_running(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear()
    try:
        warm_up()
        assert not [t for t in threading.enumerate() if t.name == "ocr-tool-versions"]

        def no_subprocess(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"a subprocess after warm_up: {args}")

        monkeypatch.setattr(subprocess, "run", no_subprocess)
        versions = tesseract.check_tools(("fin", "swe"))  # what run_ocrmypdf asks first, in every child
        assert set(versions) == {"ocrmypdf", "tesseract"} and all(versions.values())
        assert {"fin", "swe"} <= tesseract.installed_languages()
    finally:
        _clear()


def test_without_ocr_tools_preload_is_no_error_and_ocr_still_names_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    _clear()
    try:
        tesseract.preload()
        with pytest.raises(tesseract.OcrUnavailable, match="ocrmypdf is not installed"):
            tesseract.tool_versions()
    finally:
        _clear()


def test_the_extraction_process_loads_no_dataset_writer() -> None:
    # flows.worker imports the extraction and warms up before its first document: Parquet, DataFrames and DuckDB
    # are the writing process's (about 60 MB and half a CPU second in every extraction process otherwise)
    import sys

    code = ("import sys, flows.extraction; from extractors.pipeline import warm_up; warm_up(); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'extractors.writers') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_extraction_process_keeps_the_loaded_stages_out_of_each_childs_collections() -> None:
    # flows.worker freezes what it loaded before forking a child per document: a child's full collections do not
    # traverse the language pipelines and lexicons (nor copy their pages by writing to their headers)
    import sys

    code = ("import gc; from flows import worker; from extractors.nlp.pipeline import nlp; worker.load_stages(); "
            "young = {id(o) for o in gc.get_objects()}; "
            "print(gc.get_freeze_count(), id(nlp('fi')) in young, id(nlp('sv').vocab) in young)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, finnish_young, swedish_young = done.stdout.strip().splitlines()[-1].split()
    assert int(frozen) > 10_000
    assert finnish_young == swedish_young == "False"


def test_loading_the_stages_leaves_the_collector_as_it_found_it() -> None:
    # flows.worker loads with the collector off (its automatic collections over what loading keeps found little);
    # after loading, the collector runs again unless the caller had turned it off
    import sys

    code = ("import gc; from flows import worker; worker.load_stages(); on = gc.isenabled(); "
            "gc.disable(); worker.load_stages(); print(on, gc.isenabled())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True False"
