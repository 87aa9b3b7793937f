"""The datasets: names, schemas, folders and reading (the writing is extractors.writers).

Layout: every dataset is a folder `OUT/datasets/<name>/` of Parquet files. A per-document dataset holds one
file per document, `<document_id>.parquet` (none when the document has no rows there); a derived dataset
(the comparison across editions) one file, `data.parquet`; every folder holds `00-schema.parquet`, no rows
and the current columns, so that an empty dataset still has its columns and readers that take the first
file's schema (pandas, pyarrow) see every column. Readers here see only committed files and complete a
commit interrupted by a kill first (extractors.journal).
"""

from __future__ import annotations

import os
import types
from pathlib import Path
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel

from extractors import journal
from extractors.journal import DATASETS_DIR, SCHEMA_FILE, locked
from extractors.journal import DERIVED_FILE as DERIVED_FILE  # the datasets' file names, re-exported
from extractors.journal import part_name as part_name
from models.links import EditionRecord, FinanceSeriesPoint, GoalLink, UnitLink
from models.records import (
    DocumentRecord,
    FinanceFigure,
    Goal,
    IssueRecord,
    Responsible,
    Section,
    TableCell,
    TableQualityRecord,
    Target,
    Unit,
    ValidationFinding,
)

if TYPE_CHECKING:
    import pandas as pd

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
# Datasets computed from the per-document ones (extractors.link): `plandata compare` replaces each whole.
DERIVED_DATASETS: dict[str, type[BaseModel]] = {
    "editions": EditionRecord,
    "goal_links": GoalLink,
    "unit_links": UnitLink,
    "finance_series": FinanceSeriesPoint,
}

_SCALAR_TYPES: dict[object, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
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
    return pa.schema([pa.field(name, *arrow_type(info.annotation)) for name, info in model.model_fields.items()])


SCHEMAS: dict[str, pa.Schema] = {name: schema_for(model) for name, model in DATASETS.items()}
DERIVED_SCHEMAS: dict[str, pa.Schema] = {name: schema_for(model) for name, model in DERIVED_DATASETS.items()}
ALL_SCHEMAS: dict[str, pa.Schema] = {**SCHEMAS, **DERIVED_SCHEMAS}


def _schema(name: str) -> pa.Schema:
    if name not in ALL_SCHEMAS:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(ALL_SCHEMAS)}")
    return ALL_SCHEMAS[name]


def dataset_dir(out_dir: Path, name: str) -> Path:
    """OUT/datasets/<name>: the dataset's folder of Parquet files."""
    return Path(out_dir) / DATASETS_DIR / name


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Reorder/cast a table to the schema; a column the table predates is null, or its type's empty value
    (0, False, "", []) where the column may not be null."""
    columns = []
    for field in schema:
        if field.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, field.type))
        else:
            columns.append(table.column(field.name))
        if not field.nullable and columns[-1].null_count:
            columns[-1] = pc.fill_null(columns[-1], pa.scalar(_empty_value(field), field.type))
    return pa.Table.from_arrays(columns, schema=pa.schema([f.with_nullable(True) for f in schema])).cast(schema)


def _empty_value(field: pa.Field) -> object:
    if pa.types.is_list(field.type):
        return []
    if pa.types.is_boolean(field.type):
        return False
    if pa.types.is_integer(field.type) or pa.types.is_floating(field.type):
        return 0
    return ""


# --- reading ------------------------------------------------------------------------------------------


def legacy_file(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / DATASETS_DIR / f"{name}.parquet"  # the layout before parts: one file per dataset


def part_files(out_dir: Path, name: str) -> list[Path]:
    """The dataset's committed files with rows, sorted (the schema file and staged files left out)."""
    folder = dataset_dir(out_dir, name)
    if folder.is_dir():
        return sorted(
            Path(entry.path) for entry in os.scandir(folder)
            if entry.name.endswith(".parquet") and not entry.name.startswith((".", "_")) and entry.name != SCHEMA_FILE
        )
    legacy = legacy_file(out_dir, name)
    return [legacy] if legacy.is_file() else []


def dataset_exists(out_dir: Path, name: str) -> bool:
    """Whether anything was ever committed to the dataset (a derived one: whether compare has run)."""
    _schema(name)
    return bool(part_files(out_dir, name))


def _read_files(files: list[Path], schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    import pyarrow.dataset as ds  # here: its import costs a process that never reads a dataset whole 0.2 CPU s

    read_schema = pa.schema([field.with_nullable(True) for field in schema])
    if columns is not None:
        read_schema = pa.schema([read_schema.field(column) for column in columns])
    table = ds.dataset([str(path) for path in files], schema=read_schema, format="parquet").to_table()
    return table.combine_chunks()


def _ensure_recovered(out_dir: Path) -> None:
    if journal.journal_pending(out_dir):
        with locked(out_dir):
            journal.recover(out_dir, sweep=False)


def read_table(out_dir: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """The dataset as an Arrow table in its current schema (or only columns); empty when nothing was written.

    Rows are sorted by document_id, then in the order they were committed. Reads under the folder's shared
    lock, after completing a commit interrupted by a kill.
    """
    schema = _schema(name)
    out_dir = Path(out_dir)
    if not (out_dir / DATASETS_DIR).is_dir():
        table = schema.empty_table()
        return table.select(columns) if columns is not None else table
    _ensure_recovered(out_dir)
    with locked(out_dir, exclusive=False):
        files = part_files(out_dir, name)
        table = _read_files(files, schema, columns) if files else schema.empty_table()
    if columns is not None:
        return table.select(columns)
    table = conform(table, schema)
    if "document_id" in table.column_names and table.num_rows:
        table = table.append_column(_ORDER_COLUMN, pa.array(range(table.num_rows), pa.int64()))
        table = table.sort_by([("document_id", "ascending"), (_ORDER_COLUMN, "ascending")]).drop_columns(_ORDER_COLUMN)
    return table


def read_document_rows(out_dir: Path, name: str, document_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of the given documents in a per-document dataset, in its current schema (as read_table gives them),
    read from those documents' own files only: what a flow reads back of the documents it has just committed,
    without the dataset reader. Documents without rows give none; ordered by document_id, then committed order.
    """
    _schema(name)
    out_dir, wanted = Path(out_dir), set(document_ids)
    folder = dataset_dir(out_dir, name)
    if name not in DATASETS or not folder.is_dir():  # a derived dataset, the one-file layout, or nothing written
        return [row for row in read_table(out_dir, name).to_pylist() if row.get("document_id") in wanted]
    _ensure_recovered(out_dir)
    rows: list[dict[str, Any]] = []
    with locked(out_dir, exclusive=False):
        for document_id in sorted(wanted):
            path = folder / part_name(document_id)
            if path.is_file():
                rows += conform(pq.ParquetFile(path).read(), ALL_SCHEMAS[name]).to_pylist()
    return rows


def read_dataset(out_dir: Path, name: str) -> pd.DataFrame:
    """The dataset as a DataFrame; nullable integer/bool dtypes so empty and full frames agree."""
    import pandas as pd  # here, with the only use of it in this module

    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return read_table(out_dir, name).to_pandas(types_mapper=mapping.get)


def read_records(out_dir: Path, name: str) -> list[BaseModel]:
    """The dataset's rows as its pydantic records (nulls as None); empty when it has not been written yet."""
    model = DATASETS.get(name) or DERIVED_DATASETS.get(name)
    if model is None:
        raise ValueError(f"unknown dataset {name!r}")
    return [model.model_validate(row) for row in read_table(out_dir, name).to_pylist()]


def committed_sources(out_dir: Path) -> dict[str, str]:
    """document_id -> source_path of every committed document: where the catalog says its content came from."""
    table = read_table(out_dir, "documents", ["document_id", "source_path"])
    return dict(zip(table.column("document_id").to_pylist(), table.column("source_path").to_pylist(), strict=True))


def existing_document_ids(out_dir: Path) -> dict[str, str]:
    """document_id -> pipeline_version of every committed document that did not fail."""
    table = read_table(out_dir, "documents", ["document_id", "status", "pipeline_version"])
    return {row["document_id"]: row["pipeline_version"] for row in table.to_pylist() if row["status"] != "failed"}
