"""Behaviour of the writers stage: per-document parts, replacement, idempotency, schemas, catalog views,
values that Parquet cannot hold, and atomic commits (the writer stopped between any two file operations)."""

from __future__ import annotations

import os
import shutil
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
    DERIVED_DATASETS,
    SCHEMAS,
    arrow_type,
    dataset_dir,
    existing_document_ids,
    part_files,
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
    return [path for path in out_dir.rglob("*") if path.name.endswith((".tmp", ".wal")) or path.name == "_journal.json"]


def file_states(out_dir: Path) -> dict[Path, tuple[int, int]]:
    """inode and mtime of every dataset file: a file rewritten (even with the same bytes) changes them."""
    return {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in (out_dir / "datasets").rglob("*.parquet")}


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


def test_each_document_is_a_file_per_dataset_and_others_are_not_rewritten(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf")], tmp_path)
    assert [path.name for path in part_files(tmp_path, "finance")] == ["doc-a.parquet", "doc-b.parquet"]
    assert part_files(tmp_path, "validation") == []  # no rows, no file
    before = all_datasets(tmp_path)
    a_files = {path: state for path, state in file_states(tmp_path).items() if path.name == "doc-a.parquet"}
    assert len(a_files) == 5  # documents, units, sections, goals, finance

    changed = make_record_set("doc-b", "b.pdf", amount_offset=7, goal_count=1, with_validation=True)
    write_record_sets([changed], tmp_path)
    after = all_datasets(tmp_path)

    assert {path: state for path, state in file_states(tmp_path).items() if path.name == "doc-a.parquet"} == a_files
    for name in DATASETS:
        pd.testing.assert_frame_equal(rows_of(after[name], "doc-a"), rows_of(before[name], "doc-a"))
    assert rows_of(after["finance"], "doc-b")["amount"].tolist() == [1207, -5393, -4193]
    assert rows_of(after["goals"], "doc-b")["goal_id"].tolist() == ["doc-b-g0"]
    assert len(rows_of(after["validation"], "doc-b")) == 1
    assert after["documents"]["document_id"].tolist() == ["doc-a", "doc-b"]

    # pandas and pyarrow read a dataset folder directly, with every column.
    finance = pd.read_parquet(dataset_dir(tmp_path, "finance"))
    assert sorted(finance["document_id"]) == ["doc-a"] * 3 + ["doc-b"] * 3
    assert list(finance.columns) == list(FinanceFigure.model_fields)
    assert list(pd.read_parquet(dataset_dir(tmp_path, "targets")).columns) == SCHEMAS["targets"].names


def test_rows_sorted_by_document_then_incoming_order(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-z", "z.pdf"), make_record_set("doc-a", "a.pdf")], tmp_path)
    finance = read_dataset(tmp_path, "finance")
    assert finance["document_id"].tolist() == ["doc-a"] * 3 + ["doc-z"] * 3
    assert finance["line_key"].tolist() == ["revenue", "costs", "net"] * 2


def test_writing_same_record_sets_twice_writes_nothing(tmp_path: Path) -> None:
    record_sets = [make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf", with_validation=True)]
    write_record_sets(record_sets, tmp_path)
    first = all_datasets(tmp_path)
    states = file_states(tmp_path)

    write_record_sets(record_sets, tmp_path)

    for name in DATASETS:
        pd.testing.assert_frame_equal(read_dataset(tmp_path, name), first[name])
    assert file_states(tmp_path) == states


def test_new_version_of_same_source_file_supersedes_old(tmp_path: Path) -> None:
    write_record_sets([make_record_set("old-sha", "plans/a.pdf"), make_record_set("doc-b", "b.pdf")], tmp_path)
    write_record_sets([make_record_set("new-sha", "plans/a.pdf", amount_offset=1)], tmp_path)

    datasets = all_datasets(tmp_path)
    for name in ("documents", "units", "sections", "goals", "finance"):
        assert set(datasets[name]["document_id"]) == {"new-sha", "doc-b"}, name
    recorded = datasets["documents"].set_index("document_id").loc["new-sha", "source_path"]
    assert recorded == os.path.abspath("plans/a.pdf")  # the file, not its relative text
    assert not any(path.name.startswith("old-sha") for path in (tmp_path / "datasets").rglob("*"))


def test_another_process_committing_between_two_commits_is_seen(tmp_path: Path) -> None:
    write_record_sets([make_record_set("v1", "a.pdf")], tmp_path)
    # What another process would do: its commit changes the folder's generation; this process's cached
    # index of source paths must not be trusted afterwards.
    writers_index = dict(writers._indexes)
    writers.forget_process_state()
    write_record_sets([make_record_set("v2", "a.pdf")], tmp_path)
    writers._indexes.update(writers_index)  # the stale index of "this" process, from before v2
    write_record_sets([make_record_set("v3", "a.pdf")], tmp_path)
    assert read_dataset(tmp_path, "documents")["document_id"].tolist() == ["v3"]


def test_later_record_set_in_same_batch_wins(tmp_path: Path) -> None:
    write_record_sets([make_record_set("v1", "a.pdf"), make_record_set("v2", "a.pdf", amount_offset=5)], tmp_path)
    finance = read_dataset(tmp_path, "finance")
    assert set(finance["document_id"]) == {"v2"}
    assert len(finance) == 3


def test_rows_with_foreign_document_id_are_rejected_before_writing(tmp_path: Path) -> None:
    record_set = make_record_set("doc-a", "a.pdf")
    record_set.units[0].document_id = "doc-x"
    with pytest.raises(ValueError, match="doc-x"):
        write_record_sets([record_set], tmp_path)
    assert not (tmp_path / "datasets").exists()


def test_empty_dataset_has_all_columns_with_types(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf")], tmp_path)

    table = pq.read_table(dataset_dir(tmp_path, "validation"))
    assert table.num_rows == 0
    assert table.schema.equals(SCHEMAS["validation"])
    frame = read_dataset(tmp_path, "validation")
    assert list(frame.columns) == list(DATASETS["validation"].model_fields)
    assert frame.empty


def test_read_dataset_without_files_gives_empty_frame(tmp_path: Path) -> None:
    frame = read_dataset(tmp_path, "finance")
    assert frame.empty
    assert list(frame.columns) == list(FinanceFigure.model_fields)
    assert str(frame["amount"].dtype) == "float64"
    assert str(frame["multiplier"].dtype) == "Int64"
    with pytest.raises(ValueError):
        read_dataset(tmp_path, "nonsense")
    assert not (tmp_path / "datasets").exists()  # reading creates nothing


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


def catalog_counts(out_dir: Path) -> dict[str, int]:
    with duckdb.connect(str(out_dir / "plandata.duckdb"), read_only=True) as connection:
        names = [row[0] for row in connection.execute("SHOW TABLES").fetchall()]
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def test_catalog_has_a_view_per_dataset_and_is_not_rewritten_by_commits(tmp_path: Path) -> None:
    write_record_sets([make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf")], tmp_path)
    catalog = tmp_path / "plandata.duckdb"
    state = (catalog.stat().st_ino, catalog.stat().st_mtime_ns)
    write_record_sets([make_record_set("doc-b", "b.pdf", goal_count=1, with_validation=True)], tmp_path)
    assert (catalog.stat().st_ino, catalog.stat().st_mtime_ns) == state

    counts = catalog_counts(tmp_path)
    assert set(counts) == set(DATASETS) | set(DERIVED_DATASETS)
    for name in counts:
        assert counts[name] == len(read_dataset(tmp_path, name)), name
    assert counts["goals"] == 3 and counts["validation"] == 1 and counts["editions"] == 0
    with duckdb.connect(str(catalog), read_only=True) as connection:
        columns = [row[0] for row in connection.execute('DESCRIBE "goals"').fetchall()]
        assert columns == list(Goal.model_fields)
        (bbox,) = connection.execute("SELECT bbox FROM goals WHERE goal_id = 'doc-a-g1'").fetchone()
        assert bbox == [1.0, 2.0, 3.5, 4.25]

    # A moved output folder: the next commit points the views at the new place.
    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    shutil.move(tmp_path, moved)
    writers.forget_process_state()
    write_record_sets([make_record_set("doc-c", "c.pdf")], moved)
    assert catalog_counts(moved)["documents"] == 3
    with duckdb.connect(str(moved / "plandata.duckdb"), read_only=True) as connection:
        assert str(moved.resolve()) in connection.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'goals'"
                                                          ).fetchone()[0]


def test_existing_document_ids_skips_failed_documents(tmp_path: Path) -> None:
    assert existing_document_ids(tmp_path) == {}
    write_record_sets(
        [make_record_set("doc-a", "a.pdf"), make_record_set("doc-f", "f.pdf", status="failed"),
         make_record_set("doc-p", "p.pdf", status="partial")],
        tmp_path,
    )
    assert existing_document_ids(tmp_path) == {"doc-a": "0.1.0", "doc-p": "0.1.0"}


def test_values_parquet_cannot_hold_never_fail_the_write(tmp_path: Path) -> None:
    record_set = make_record_set("doc-a", "b\udce4dget.pdf")
    record_set.finance[0].amount = 10**400  # assigned, not validated: a run of digits no double holds
    record_set.finance[1].year = -(10**25)
    record_set.validation = [ValidationFinding(document_id="doc-a", unit_name="\ud800 lone", check="sum",
                                               column_label="x\x00y\u202e", expected=float("nan"),
                                               actual=float("inf"), difference=None, severity="warning",
                                               message="odd")]
    record_set.validation[0].difference = 10**400  # assigned, not validated: too large for a double
    record_set.sections[0].items = ["ok", "bad \udcff"]

    write_record_sets([record_set], tmp_path)

    document = read_dataset(tmp_path, "documents").iloc[0]
    assert document["source_path"] == os.path.join(os.getcwd(), "b\\xe4dget.pdf")  # absolute, as readable text
    assert document["status"] == "partial" and "could not be stored" in document["message"]
    finance = read_dataset(tmp_path, "finance")
    assert finance["amount"].tolist() == [-5400, -4200]  # the unstorable figure is left out, never altered
    assert finance["year"].isna().tolist() == [True, False]
    issues = read_dataset(tmp_path, "issues")
    messages = issues[issues["code"] == "value_not_storable"]["message"].tolist()
    assert len(messages) == 3 and any("row left out" in message for message in messages)
    validation = read_dataset(tmp_path, "validation").iloc[0]
    assert validation["unit_name"] == "\\ud800 lone" and validation["column_label"] == "x\x00y\u202e"
    assert pd.isna(validation["expected"]) and validation["actual"] == float("inf")
    assert pd.isna(validation["difference"])
    assert list(read_dataset(tmp_path, "sections").iloc[0]["items"]) == ["ok", "bad \\xff"]


def test_an_output_folder_of_the_one_file_layout_is_read_and_converted(tmp_path: Path) -> None:
    """An output folder of an older plandata (one file per dataset, columns missing) is read and converted."""
    (tmp_path / "datasets").mkdir()
    pq.write_table(pa.table({"document_id": ["d1", "d2"], "unit_name": ["u", "v"], "goal_id": ["g1", "g2"]}),
                   tmp_path / "datasets" / "goals.parquet")
    frame = read_dataset(tmp_path, "goals")
    assert list(frame["goal_id"]) == ["g1", "g2"]
    assert list(frame["responsible"][0]) == [] and frame["row_index"][0] == 0

    write_record_sets([make_record_set("doc-a", "a.pdf")], tmp_path)
    assert not (tmp_path / "datasets" / "goals.parquet").exists()
    goals = read_dataset(tmp_path, "goals")
    assert goals["document_id"].tolist() == ["d1", "d2", "doc-a", "doc-a"]
    assert list(goals["responsible"][0]) == [] and goals["row_index"].tolist()[:2] == [0, 0]


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


def test_storable_records_is_storable_table_of_the_dumps(tmp_path: Path) -> None:
    """storable_records reads the records' attributes; its table and messages are storable_table's of their
    model_dump() rows, whether every value fits or some do not (then it falls back to storable_table)."""
    from extractors.storable import storable_records, storable_table

    record_set = make_record_set("doc-a", "a.pdf")
    for name, records in record_set.datasets().items():
        schema = writers.SCHEMAS[name]
        assert storable_records(name, records, schema)[0].equals(
            storable_table(name, [r.model_dump() for r in records], schema)[0])
    record_set.finance[0].amount = 10**400  # assigned, not validated
    record_set.sections[0].items = ["ok", "bad \udcff"]
    for name in ("finance", "sections"):
        records, schema = getattr(record_set, name), writers.SCHEMAS[name]
        table, problems = storable_records(name, records, schema)
        expected_table, expected_problems = storable_table(name, [r.model_dump() for r in records], schema)
        assert table.equals(expected_table) and problems == expected_problems
    assert len(storable_records("finance", record_set.finance, writers.SCHEMAS["finance"])[1]) == 1  # left out
    sections = storable_records("sections", record_set.sections, writers.SCHEMAS["sections"])[0]
    assert sections.column("items")[0].as_py() == ["ok", "bad \\xff"]  # escaped, not lost


def test_read_document_rows_reads_the_given_documents_as_read_table_does(tmp_path: Path) -> None:
    from extractors.writers import read_document_rows, read_table

    assert read_document_rows(tmp_path, "documents", ["doc-a"]) == []  # nothing written yet
    write_record_sets([make_record_set("doc-a", "a.pdf"), make_record_set("doc-b", "b.pdf", goal_count=0),
                       make_record_set("doc-c", "c.pdf", status="partial")], tmp_path)
    wanted = ["doc-c", "doc-b", "doc-x", "doc-c"]  # in any order, repeated, one never written
    for name in ("documents", "goals", "finance"):
        expected = [row for row in read_table(tmp_path, name).to_pylist() if row["document_id"] in set(wanted)]
        assert read_document_rows(tmp_path, name, wanted) == expected
    assert [row["document_id"] for row in read_document_rows(tmp_path, "goals", wanted)] == ["doc-c", "doc-c"]
    assert [row["status"] for row in read_document_rows(tmp_path, "documents", wanted)] == ["ok", "partial"]
