"""Behaviour of the writers stage: per-document replacement, idempotency, schemas, catalog, atomicity."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import BaseModel

from extractors import writers
from extractors.writers import (
    DATASETS,
    SCHEMAS,
    arrow_type,
    dataset_path,
    existing_document_ids,
    read_dataset,
    write_record_sets,
)
from models.records import (
    DocumentRecord,
    FinanceFigure,
    Goal,
    RecordSet,
    Section,
    Unit,
    ValidationFinding,
)


def make_record_set(
    document_id: str,
    source_path: str,
    *,
    amount_offset: int = 0,
    goal_count: int = 2,
    status: Literal["ok", "partial", "failed"] = "ok",
    with_validation: bool = False,
) -> RecordSet:
    document = DocumentRecord(
        document_id=document_id,
        source_path=source_path,
        source_format="pdf",
        title=f"Budget {document_id}",
        language="sv",
        budget_year=2024,
        pages=3,
        status=status,
        pipeline_version="0.1.0",
    )
    units = [
        Unit(document_id=document_id, unit_id=f"{document_id}-u1", name="Bildning", level="committee", page=1),
        Unit(document_id=document_id, unit_id=f"{document_id}-u2", name="Teknik", level="committee",
             parent_unit_id=f"{document_id}-u1"),
    ]
    sections = [
        Section(document_id=document_id, unit_name="Bildning", kind="goals", heading="Mål",
                text="Text", items=["a", "b"], page=1),
    ]
    goals = [
        Goal(document_id=document_id, unit_name="Bildning", goal_id=f"{document_id}-g{index}",
             theme_number=index, theme_title="Livskvalitet", strategic_goal=f"Mål {index}",
             central_goal=None, area_goal=None, actions="Åtgärd", responsible_raw="Rektor",
             page=2, bbox=[1.0, 2.0, 3.5, 4.25], row_index=index)
        for index in range(goal_count)
    ]
    finance = [
        FinanceFigure(document_id=document_id, unit_name="Bildning", table_id="t1", line_label=label,
                      line_key=key, is_memo=False, column_label="Budget 2024", year=2024,
                      figure_kind="budget", amount=amount + amount_offset, page=3, row_index=row)
        for row, (label, key, amount) in enumerate(
            [("Verksamhetens intäkter", "revenue", 1200), ("Verksamhetens kostnader", "costs", -5400),
             ("Verksamhetsbidrag", "net", -4200)]
        )
    ]
    validation = (
        [ValidationFinding(document_id=document_id, unit_name="Bildning", check="sum", column_label=None,
                           expected=1.0, actual=2.0, difference=1.0, severity="warning", message="off by one")]
        if with_validation
        else []
    )
    return RecordSet(document=document, units=units, sections=sections, goals=goals, finance=finance,
                     validation=validation)


def all_datasets(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: read_dataset(out_dir, name) for name in DATASETS}


def rows_of(frame: pd.DataFrame, document_id: str) -> pd.DataFrame:
    return frame[frame["document_id"] == document_id].reset_index(drop=True)


def leftover_temp_files(out_dir: Path) -> list[Path]:
    return [path for path in out_dir.rglob("*") if path.name.endswith((".tmp", ".wal"))]


def test_dataset_names_follow_record_set() -> None:
    assert list(DATASETS) == list(make_record_set("d", "p").datasets())
    assert list(DATASETS) == ["documents", "units", "sections", "goals", "finance", "validation", "responsibles",
                              "targets", "issues", "tables", "table_quality"]


def test_schema_follows_model_fields() -> None:
    for name, model in DATASETS.items():
        assert SCHEMAS[name].names == list(model.model_fields)
    finance = SCHEMAS["finance"]
    # figures are float64: every printed decimal of up to 15 significant digits round-trips, and
    # pandas and DuckDB sum them (output/README.md)
    assert finance.field("amount").type == pa.float64() and not finance.field("amount").nullable
    assert finance.field("value").type == pa.float64() and finance.field("value").nullable
    assert finance.field("multiplier").type == pa.int64()
    assert finance.field("unit").type == pa.string() and finance.field("printed").type == pa.string()
    assert SCHEMAS["documents"].field("checked_share").type == pa.float64()
    assert finance.field("year").type == pa.int64() and finance.field("year").nullable
    assert finance.field("is_memo").type == pa.bool_()
    assert finance.field("figure_kind").type == pa.string() and not finance.field("figure_kind").nullable
    assert finance.field("bbox").type == pa.list_(pa.float64()) and finance.field("bbox").nullable
    assert SCHEMAS["sections"].field("items").type == pa.list_(pa.string())
    assert SCHEMAS["validation"].field("expected").type == pa.float64()


def test_arrow_type_rejects_unmapped_annotations() -> None:
    class Odd(BaseModel):
        mixed: int | str

    with pytest.raises(TypeError):
        arrow_type(Odd.model_fields["mixed"].annotation)
    with pytest.raises(TypeError):
        arrow_type(dict[str, int])


def test_rewriting_one_document_replaces_only_its_rows(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf")], tmp_path)
    before = all_datasets(tmp_path)

    changed = make_record_set("doc-b", "b.pdf", amount_offset=7, goal_count=1, with_validation=True)
    write_record_sets([changed], tmp_path)
    after = all_datasets(tmp_path)

    for name in DATASETS:
        pd.testing.assert_frame_equal(rows_of(after[name], "doc-a"), rows_of(before[name], "doc-a"))
    assert rows_of(after["finance"], "doc-b")["amount"].tolist() == [1207, -5393, -4193]
    assert rows_of(after["goals"], "doc-b")["goal_id"].tolist() == ["doc-b-g0"]
    assert len(rows_of(after["validation"], "doc-b")) == 1
    assert after["documents"]["document_id"].tolist() == ["doc-a", "doc-b"]


def test_rows_sorted_by_document_then_incoming_order(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-z", "z.pdf"), make_record_set("doc-a", "a.pdf")], tmp_path)
    finance = read_dataset(tmp_path, "finance")
    assert finance["document_id"].tolist() == ["doc-a"] * 3 + ["doc-z"] * 3
    assert finance["line_key"].tolist() == ["revenue", "costs", "net"] * 2


def test_writing_same_record_sets_twice_is_idempotent(tmp_path: Path) -> None:
    record_sets = [make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf", with_validation=True)]
    write_record_sets(record_sets, tmp_path)
    first_bytes = {name: dataset_path(tmp_path, name).read_bytes() for name in DATASETS}
    first = all_datasets(tmp_path)

    write_record_sets(record_sets, tmp_path)

    for name in DATASETS:
        pd.testing.assert_frame_equal(read_dataset(tmp_path, name), first[name])
        assert dataset_path(tmp_path, name).read_bytes() == first_bytes[name]


def test_new_version_of_same_source_file_supersedes_old(tmp_path: Path) -> None:
    write_record_sets([make_record_set("old-sha", "plans/a.pdf"), make_record_set("doc-b", "b.pdf")], tmp_path)
    write_record_sets([make_record_set("new-sha", "plans/a.pdf", amount_offset=1)], tmp_path)

    datasets = all_datasets(tmp_path)
    for name in ("documents", "units", "sections", "goals", "finance"):
        assert set(datasets[name]["document_id"]) == {"new-sha", "doc-b"}, name
    assert datasets["documents"].set_index("document_id").loc["new-sha", "source_path"] == "plans/a.pdf"


def test_later_record_set_in_same_batch_wins(tmp_path: Path) -> None:
    write_record_sets(
        [make_record_set("v1", "a.pdf"), make_record_set("v2", "a.pdf", amount_offset=5)], tmp_path
    )
    finance = read_dataset(tmp_path, "finance")
    assert set(finance["document_id"]) == {"v2"}
    assert len(finance) == 3


def test_rows_with_foreign_document_id_are_rejected_before_writing(tmp_path: Path) -> None:
    record_set = make_record_set("doc-a", "a.pdf")
    record_set.units[0].document_id = "doc-x"
    with pytest.raises(ValueError, match="doc-x"):
        write_record_sets([record_set], tmp_path)
    assert not dataset_path(tmp_path, "documents").exists()


def test_empty_dataset_has_all_columns_with_types(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf")], tmp_path)

    table = pq.read_table(dataset_path(tmp_path, "validation"))
    assert table.num_rows == 0
    assert table.schema.equals(SCHEMAS["validation"])
    frame = read_dataset(tmp_path, "validation")
    assert list(frame.columns) == list(DATASETS["validation"].model_fields)
    assert frame.empty


def test_read_dataset_without_file_gives_empty_frame(tmp_path: Path) -> None:
    frame = read_dataset(tmp_path, "finance")
    assert frame.empty
    assert list(frame.columns) == list(FinanceFigure.model_fields)
    assert str(frame["amount"].dtype) == "float64"
    assert str(frame["multiplier"].dtype) == "Int64"
    with pytest.raises(ValueError):
        read_dataset(tmp_path, "nonsense")


def test_list_and_nullable_columns_round_trip(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf")], tmp_path)
    goals = read_dataset(tmp_path, "goals")
    assert list(goals["bbox"].iloc[0]) == [1.0, 2.0, 3.5, 4.25]
    assert goals["central_goal"].isna().all()
    sections = read_dataset(tmp_path, "sections")
    assert list(sections["items"].iloc[0]) == ["a", "b"]
    documents = read_dataset(tmp_path, "documents")
    assert documents["municipality"].isna().all()
    assert documents["budget_year"].tolist() == [2024]


def test_catalog_has_table_per_dataset_with_parquet_row_counts(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf")], tmp_path)
    write_record_sets([make_record_set("doc-b", "b.pdf", goal_count=1, with_validation=True)], tmp_path)

    connection = duckdb.connect(str(tmp_path / "plandata.duckdb"), read_only=True)
    try:
        tables = {row[0] for row in connection.execute("SHOW TABLES").fetchall()}
        assert tables == set(DATASETS)
        for name in DATASETS:
            (count,) = connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            assert count == pq.read_metadata(dataset_path(tmp_path, name)).num_rows, name
        columns = [row[0] for row in connection.execute('DESCRIBE "goals"').fetchall()]
        assert columns == list(Goal.model_fields)
        (bbox,) = connection.execute("SELECT bbox FROM goals WHERE goal_id = 'doc-a-g1'").fetchone()
        assert bbox == [1.0, 2.0, 3.5, 4.25]
    finally:
        connection.close()


def test_existing_document_ids_skips_failed_documents(tmp_path: Path) -> None:
    assert existing_document_ids(tmp_path) == {}
    write_record_sets(
        [make_record_set("doc-a", "a.pdf"), make_record_set("doc-f", "f.pdf", status="failed"),
         make_record_set("doc-p", "p.pdf", status="partial")],
        tmp_path,
    )
    assert existing_document_ids(tmp_path) == {"doc-a": "0.1.0", "doc-p": "0.1.0"}


def test_failure_while_writing_parquet_keeps_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf")], tmp_path)
    before = all_datasets(tmp_path)
    catalog_before = (tmp_path / "plandata.duckdb").read_bytes()

    real_write = writers._write_parquet
    calls: list[Path] = []

    def failing_write(table: pa.Table, path: Path) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(table, path)

    monkeypatch.setattr(writers, "_write_parquet", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_record_sets([make_record_set("doc-b", "b.pdf", amount_offset=99, goal_count=0)], tmp_path)

    assert len(calls) == 3
    for name in DATASETS:
        pd.testing.assert_frame_equal(read_dataset(tmp_path, name), before[name])
    assert (tmp_path / "plandata.duckdb").read_bytes() == catalog_before
    assert leftover_temp_files(tmp_path) == []


def test_failure_while_building_catalog_keeps_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf")], tmp_path)
    before = all_datasets(tmp_path)

    def failing_catalog(parquet_paths: dict[str, Path], catalog_path: Path) -> None:
        duckdb.connect(str(catalog_path)).close()
        raise RuntimeError("catalog failed")

    monkeypatch.setattr(writers, "build_catalog", failing_catalog)
    with pytest.raises(RuntimeError, match="catalog failed"):
        write_record_sets([make_record_set("doc-b", "b.pdf")], tmp_path)

    for name in DATASETS:
        pd.testing.assert_frame_equal(read_dataset(tmp_path, name), before[name])
    assert leftover_temp_files(tmp_path) == []


def _write_series(out_dir: str, prefix: str, count: int) -> None:
    for index in range(count):
        write_record_sets([make_record_set(f"{prefix}-{index}", f"{prefix}/{index}.pdf")], Path(out_dir))


def test_concurrent_writers_serialize_without_losing_documents(tmp_path: Path) -> None:
    # spawn, not fork: the session runs a Prefect server thread, and forking a threaded process can deadlock.
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_series, args=(str(tmp_path), prefix, 6)) for prefix in ("p", "q")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0

    expected = {f"{prefix}-{index}" for prefix in ("p", "q") for index in range(6)}
    assert set(read_dataset(tmp_path, "documents")["document_id"]) == expected
    assert len(read_dataset(tmp_path, "finance")) == 3 * len(expected)
    assert leftover_temp_files(tmp_path) == []


def test_files_written_before_new_columns_are_still_read(tmp_path: Path) -> None:
    """An output folder from an older pipeline (columns missing) is read and rewritten, never refused."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extractors.writers import read_dataset

    old = pa.table({"document_id": ["d1"], "unit_name": ["u"], "goal_id": ["g1.1.1"]})
    (tmp_path / "datasets").mkdir()
    pq.write_table(old, tmp_path / "datasets" / "goals.parquet")
    frame = read_dataset(tmp_path, "goals")
    assert list(frame["goal_id"]) == ["g1.1.1"]
    assert list(frame["responsible"][0]) == []
    assert frame["row_index"][0] == 0


def test_finance_files_written_with_integer_amounts_are_still_read(tmp_path: Path) -> None:
    """Finance rows written before figures kept their decimals (amount int64, no unit/value columns)."""
    from extractors.writers import read_dataset, read_records

    old = make_record_set("d1", "a.pdf")
    rows = [{k: v for k, v in f.model_dump().items()
             if k not in ("unit", "multiplier", "value", "printed", "note_marker")} for f in old.finance]
    (tmp_path / "datasets").mkdir()
    pq.write_table(pa.Table.from_pylist([{**r, "amount": int(r["amount"])} for r in rows]),
                   tmp_path / "datasets" / "finance.parquet")
    frame = read_dataset(tmp_path, "finance")
    assert list(frame["amount"]) == [float(f.amount) for f in old.finance]
    assert frame["amount"].sum() == sum(f.amount for f in old.finance)
    assert frame["value"].isna().all() and frame["unit"].isna().all() and frame["multiplier"].isna().all()
    records = read_records(tmp_path, "finance")
    assert [r.amount for r in records] == [f.amount for f in old.finance]
    write_record_sets([make_record_set("d2", "b.pdf")], tmp_path)  # rewriting keeps the old rows
    assert len(read_dataset(tmp_path, "finance")) == 2 * len(old.finance)
