"""Runs the archivist can find: flow runs are named after what they ingest and tagged with what was found,
read back from the (test) Prefect server through the client."""

from __future__ import annotations

import shutil
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun

from extractors.pipeline import file_sha256
from flows.archive import archive_batch
from flows.ingest import ingest_document
from flows.watch import watch_inbox
from tests.test_watch import age

pytestmark = pytest.mark.usefixtures("prefect_harness")  # these tests run flows
REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
SV_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
# What the reference PDF prints on every page: "Lovisa stad · Budget 2025 och ekonomiplan 2025–2027".
DOCUMENT_TAGS = {"municipality:Lovisa", "plan:2025-2027", "budget:2025", "status:ok"}


def flow_run(run_id: UUID) -> FlowRun:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> tuple[Path, Path, FlowRun]:
    """The reference PDF ingested by `ingest_document` into a fresh output folder, and its flow run."""
    folder, out = tmp_path_factory.mktemp("plans"), tmp_path_factory.mktemp("out")
    pdf = folder / REFERENCE_PDF
    shutil.copyfile(samples_dir / REFERENCE_PDF, pdf)
    state = ingest_document(str(pdf), str(out), return_state=True)
    assert state.result()["status"] == "ok"
    return pdf, out, flow_run(state.state_details.flow_run_id)


def test_a_document_run_is_named_after_its_file_and_tagged_with_what_it_holds(ingested) -> None:
    pdf, _, run = ingested
    assert run.name == REFERENCE_PDF
    assert DOCUMENT_TAGS <= set(run.tags)
    assert f"document:{file_sha256(pdf)[:12]}" in run.tags


def test_the_runs_of_a_document_are_found_by_tag(ingested) -> None:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags

    pdf, _, run = ingested
    with get_client(sync_client=True) as client:
        found = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            tags=FlowRunFilterTags(all_=[f"document:{file_sha256(pdf)[:12]}", "municipality:Lovisa"])))
    assert run.id in {found_run.id for found_run in found}


def test_an_archive_run_is_named_after_its_folder_and_file_count(ingested) -> None:
    pdf, out, _ = ingested
    # a second copy: both files are skipped (already in the catalog), so no Dask cluster is started
    copy = Path(shutil.copyfile(pdf, pdf.with_name("copy.pdf")))
    try:
        state = archive_batch(str(pdf.parent), str(out), workers=1, return_state=True)
        report = state.result()
    finally:
        copy.unlink()
    run = flow_run(state.state_details.flow_run_id)
    assert run.name == f"{pdf.parent.name} (2 files)"
    assert DOCUMENT_TAGS <= set(run.tags)
    assert [entry["skipped"] for entry in report["files"]] == [True, True]


def test_an_inbox_pass_is_named_after_the_inbox_and_the_files_it_took(tmp_path: Path, samples_dir: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    age(Path(shutil.copyfile(samples_dir / SV_TEXT, inbox / SV_TEXT)))
    state = watch_inbox(str(inbox), str(out), settle_seconds=0.05, min_age_seconds=1.0, return_state=True)
    assert state.result()["files"][0]["status"] == "ok"
    run = flow_run(state.state_details.flow_run_id)
    assert run.name == "inbox inbox: 1 file"
    assert "status:ok" in run.tags


def test_a_documents_seconds_are_its_extractions_own_and_the_writing(
        tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `plandata ingest` starts extracting the first file before the flow asks for it: the flow then waits less
    # than the extraction took. The summary (and the run report) give the extraction's own seconds, as measured
    # where it ran, plus the writing, never the wait.
    import flows.ingest as ingest_module
    from flows.tasks import extract_document

    real = extract_document(str(samples_dir / SV_TEXT), str(tmp_path / "out"))

    def already_extracted(path: str, out_dir: str, budget: dict | None = None):  # type: ignore[no-untyped-def]
        return type(real)(real.records, 42.0, real.worker, real.diagnostics, real.peak_memory_mb)

    monkeypatch.setattr(ingest_module, "extract_task", already_extracted)
    summary = ingest_document(str(samples_dir / SV_TEXT), str(tmp_path / "out"))
    assert summary["status"] == "ok"
    assert 42.0 <= summary["seconds"] < 42.0 + 30  # the extraction's 42 s and the writing's few
