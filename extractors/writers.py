"""Writers stage: RecordSets -> output/datasets/*.parquet + plandata.duckdb, replacing documents atomically.

Derived datasets (the comparison across editions) are replaced whole by write_derived_datasets; the
catalog always holds every dataset whose Parquet file exists.
"""

from __future__ import annotations

import fcntl
import os
import types
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, Union, get_args, get_origin

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel

from models.document import PlanDocument
from models.links import EditionRecord, FinanceSeriesPoint, GoalLink, UnitLink
from models.records import (
    DocumentRecord,
    FinanceFigure,
    Goal,
    IssueRecord,
    RecordSet,
    Responsible,
    Section,
    TableCell,
    TableQualityRecord,
    Target,
    Unit,
    ValidationFinding,
)

DATASETS: dict[str, type[BaseModel]] = {
    "documents": DocumentRecord,
    "units": Unit,
    "sections": Section,
    "goals": Goal,
    "finance": FinanceFigure,
    "validation": ValidationFinding,
    "responsibles": Responsible,
    "targets": Target,
    "issues": IssueRecord,
    "tables": TableCell,
    "table_quality": TableQualityRecord,
}

CATALOG_NAME = "plandata.duckdb"
LOCK_NAME = ".plandata.lock"
DATASETS_DIR = "datasets"
TEMP_SUFFIX = ".tmp"

_SCALAR_TYPES: dict[object, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
}
_ORDER_COLUMN = "__row_order"


def arrow_type(annotation: object) -> tuple[pa.DataType, bool]:
    """Map a pydantic field annotation to (Arrow type, nullable)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"no Arrow type for union {annotation!r}")
        return arrow_type(members[0])[0], True
    if origin is Literal:
        if not all(isinstance(value, str) for value in get_args(annotation)):
            raise TypeError(f"no Arrow type for non-string literal {annotation!r}")
        return pa.string(), False
    if origin is list:
        (item,) = get_args(annotation)
        return pa.list_(arrow_type(item)[0]), False
    if annotation in _SCALAR_TYPES:
        return _SCALAR_TYPES[annotation], False
    raise TypeError(f"no Arrow type for {annotation!r}")


def schema_for(model: type[BaseModel]) -> pa.Schema:
    """Arrow schema with one column per model field, in field order."""
    return pa.schema(
        [pa.field(name, *arrow_type(info.annotation)) for name, info in model.model_fields.items()]
    )


SCHEMAS: dict[str, pa.Schema] = {name: schema_for(model) for name, model in DATASETS.items()}

# Datasets computed from the per-document ones (extractors.link): no per-document replacement, a run of
# `plandata compare` replaces each of them whole.
DERIVED_DATASETS: dict[str, type[BaseModel]] = {
    "editions": EditionRecord,
    "goal_links": GoalLink,
    "unit_links": UnitLink,
    "finance_series": FinanceSeriesPoint,
}
DERIVED_SCHEMAS: dict[str, pa.Schema] = {name: schema_for(model) for name, model in DERIVED_DATASETS.items()}


def dataset_path(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / DATASETS_DIR / f"{name}.parquet"


def _schema(name: str) -> pa.Schema:
    if name in SCHEMAS:
        return SCHEMAS[name]
    if name in DERIVED_SCHEMAS:
        return DERIVED_SCHEMAS[name]
    raise ValueError(f"unknown dataset {name!r}; known: {', '.join([*SCHEMAS, *DERIVED_SCHEMAS])}")


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Reorder/cast a table to the schema; columns added to a model since the file was written are filled."""
    columns = [
        table.column(field.name) if field.name in table.column_names else _missing_column(field, table.num_rows)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=pa.schema([f.with_nullable(True) for f in schema])).cast(schema)


def _missing_column(field: pa.Field, rows: int) -> pa.Array:
    """A column the file predates: null, or the type's empty value where the column may not be null."""
    if field.nullable:
        return pa.nulls(rows, field.type)
    if pa.types.is_list(field.type):
        empty: object = []
    elif pa.types.is_boolean(field.type):
        empty = False
    elif pa.types.is_integer(field.type) or pa.types.is_floating(field.type):
        empty = 0
    else:
        empty = ""
    return pa.array([empty] * rows, type=field.type)


def read_table(out_dir: Path, name: str) -> pa.Table:
    """The dataset as an Arrow table in its current schema; empty when it has not been written yet."""
    schema = _schema(name)
    path = dataset_path(out_dir, name)
    if not path.exists():
        return schema.empty_table()
    return conform(pq.read_table(path), schema)


def read_dataset(out_dir: Path, name: str) -> pd.DataFrame:
    """The dataset as a DataFrame; nullable integer/bool dtypes so empty and full frames agree."""
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return read_table(out_dir, name).to_pandas(types_mapper=mapping.get)


def read_records(out_dir: Path, name: str) -> list[BaseModel]:
    """The dataset's rows as its pydantic records (nulls as None); empty when it has not been written yet."""
    model = DATASETS.get(name) or DERIVED_DATASETS.get(name)
    if model is None:
        raise ValueError(f"unknown dataset {name!r}")
    return [model.model_validate(row) for row in read_table(out_dir, name).to_pylist()]


def existing_document_ids(out_dir: Path) -> dict[str, str]:
    """document_id -> pipeline_version of every written document that did not fail."""
    documents = read_table(out_dir, "documents").to_pylist()
    return {row["document_id"]: row["pipeline_version"] for row in documents if row["status"] != "failed"}


def latest_record_sets(record_sets: Iterable[RecordSet]) -> list[RecordSet]:
    """Drop record sets superseded later in the same batch (same document_id or source_path)."""
    seen_ids: set[str] = set()
    seen_paths: set[str] = set()
    kept: list[RecordSet] = []
    for record_set in reversed(list(record_sets)):
        document = record_set.document
        if document.document_id in seen_ids or document.source_path in seen_paths:
            continue
        seen_ids.add(document.document_id)
        seen_paths.add(document.source_path)
        kept.append(record_set)
    return kept[::-1]


def check_document_ids(record_set: RecordSet) -> None:
    """Rows must belong to their record set's document, else replacing by document_id would miss them."""
    expected = record_set.document.document_id
    for name, records in record_set.datasets().items():
        stray = {record.model_dump(include={"document_id"})["document_id"] for record in records} - {expected}
        if stray:
            raise ValueError(f"{name} rows of document {expected} carry other document_ids: {sorted(stray)}")


def superseded_ids(existing_documents: pa.Table, incoming: list[RecordSet]) -> set[str]:
    """Incoming document ids plus the ids of written documents whose source file is being re-written."""
    incoming_ids = {record_set.document.document_id for record_set in incoming}
    incoming_paths = {record_set.document.source_path for record_set in incoming}
    same_path = pc.is_in(existing_documents.column("source_path"), pa.array(sorted(incoming_paths), pa.string()))
    return incoming_ids | set(existing_documents.filter(same_path).column("document_id").to_pylist())


def records_table(records: list[BaseModel], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist([record.model_dump() for record in records], schema=schema)


def merge_rows(existing: pa.Table, incoming: pa.Table, drop_ids: set[str]) -> pa.Table:
    """Existing rows minus drop_ids, plus incoming rows; sorted by document_id, then by arrival order."""
    dropped = pc.is_in(existing.column("document_id"), pa.array(sorted(drop_ids), pa.string()))
    combined = pa.concat_tables([existing.filter(pc.invert(dropped)), incoming])
    ordered = combined.append_column(_ORDER_COLUMN, pa.array(range(combined.num_rows), pa.int64()))
    ordered = ordered.sort_by([("document_id", "ascending"), (_ORDER_COLUMN, "ascending")])
    return ordered.drop_columns([_ORDER_COLUMN])


def merged_datasets(out_dir: Path, record_sets: list[RecordSet]) -> dict[str, pa.Table]:
    """The new content of every dataset after replacing the incoming documents."""
    drop_ids = superseded_ids(read_table(out_dir, "documents"), record_sets)
    incoming = [record_set.datasets() for record_set in record_sets]
    merged: dict[str, pa.Table] = {}
    for name, schema in SCHEMAS.items():
        rows = [record for datasets in incoming for record in datasets[name]]
        merged[name] = merge_rows(read_table(out_dir, name), records_table(rows, schema), drop_ids)
    return merged


@contextmanager
def exclusive_lock(out_dir: Path) -> Iterator[None]:
    """Serialize writers across processes; the lock is released when the file descriptor closes."""
    with open(Path(out_dir) / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def temp_path_for(final: Path) -> Path:
    return final.with_name(f".{final.name}.{uuid.uuid4().hex}{TEMP_SUFFIX}")


def _fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path)


def build_catalog(parquet_paths: dict[str, Path], catalog_path: Path) -> None:
    """A fresh DuckDB file with one materialized table per dataset."""
    connection = duckdb.connect(str(catalog_path))
    try:
        for name, path in parquet_paths.items():
            connection.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [str(path)])
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _remove_temp_files(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
        Path(f"{path}.wal").unlink(missing_ok=True)


def _replace_datasets(out_dir: Path, tables: dict[str, pa.Table]) -> None:
    """Stage the given datasets and a catalog of every dataset under temporary names, then rename them all
    into place; a failure while staging leaves every previous file untouched. Call with the lock held."""
    staged: dict[Path, Path] = {}
    try:
        for name, table in tables.items():
            final = dataset_path(out_dir, name)
            staged[final] = temp_path_for(final)
            _write_parquet(table, staged[final])
            _fsync_path(staged[final])
        sources = {name: dataset_path(out_dir, name) for name in [*SCHEMAS, *DERIVED_SCHEMAS]
                   if dataset_path(out_dir, name).exists()}
        sources.update({name: staged[dataset_path(out_dir, name)] for name in tables})
        catalog = out_dir / CATALOG_NAME
        staged[catalog] = temp_path_for(catalog)
        build_catalog(sources, staged[catalog])
        _fsync_path(staged[catalog])
        for final, temp in staged.items():
            os.replace(temp, final)
        for directory in {final.parent for final in staged}:
            _fsync_path(directory)
    finally:
        _remove_temp_files(staged.values())


def write_record_sets(record_sets: list[RecordSet], out_dir: Path) -> None:
    """Replace the given documents' rows in every dataset and rebuild the catalog, all or nothing.

    Every new file (parquet and catalog) is staged under a temporary name first; only when all are
    written are they renamed onto the final names, so a failure while staging leaves every previous
    file untouched. The catalog tables are materialized from the staged parquet files, so it always
    matches them; derived datasets already written stay in it.
    """
    out_dir = Path(out_dir)
    for record_set in record_sets:
        check_document_ids(record_set)
    (out_dir / DATASETS_DIR).mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out_dir):
        _replace_datasets(out_dir, merged_datasets(out_dir, latest_record_sets(record_sets)))


def write_derived_datasets(datasets: dict[str, list[BaseModel]], out_dir: Path) -> None:
    """Replace each given derived dataset whole and rebuild the catalog with every dataset, all or nothing.

    Staged like write_record_sets; per-document datasets are read, never rewritten.
    """
    out_dir = Path(out_dir)
    unknown = set(datasets) - set(DERIVED_SCHEMAS)
    if unknown:
        raise ValueError(f"not derived datasets: {sorted(unknown)}; known: {', '.join(DERIVED_SCHEMAS)}")
    (out_dir / DATASETS_DIR).mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out_dir):
        _replace_datasets(out_dir, {name: records_table(list(records), DERIVED_SCHEMAS[name])
                                    for name, records in datasets.items()})


def ir_path(out_dir: Path, document_id: str) -> Path:
    return Path(out_dir) / "ir" / f"{document_id}.json"


def write_document_ir(doc: PlanDocument, out_dir: Path) -> Path:
    """Save the intermediate document so later stages can be replayed without re-parsing the source."""
    final = ir_path(out_dir, doc.document_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_for(final)
    try:
        temp.write_text(doc.model_dump_json(), encoding="utf-8")
        os.replace(temp, final)
    finally:
        _remove_temp_files([temp])
    return final


def read_document_ir(path: Path) -> PlanDocument:
    return PlanDocument.model_validate_json(Path(path).read_text(encoding="utf-8"))
