"""Writers stage: RecordSets -> OUT/datasets/<name>/*.parquet + OUT/plandata.duckdb, one atomic commit per call.

Committing a document writes only that document's files (the layout is in extractors.datasets), so its
cost does not grow with the number of documents already written; extractors.journal makes each commit
all or nothing across datasets, whatever moment the process is killed at. The DuckDB catalog holds one
view per dataset over its folder (extractors.catalog) and is not touched by commits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel

from extractors import journal
from extractors.catalog import CATALOG_NAME, ensure_catalog
from extractors.datasets import (
    ALL_SCHEMAS,
    DATASETS,
    DERIVED_DATASETS,
    DERIVED_FILE,
    DERIVED_SCHEMAS,
    SCHEMA_FILE,
    SCHEMAS,
    arrow_type,
    conform,
    dataset_dir,
    dataset_exists,
    existing_document_ids,
    legacy_file,
    part_files,
    part_name,
    read_dataset,
    read_document_rows,
    read_records,
    read_table,
    schema_for,
)
from extractors.source import file_text, holds
from extractors.journal import DATASETS_DIR, FolderLock, locked, stage_file, temp_path_for
from extractors.storable import escape_surrogates, storable_records
from models.records import IssueRecord, RecordSet

__all__ = [
    "CATALOG_NAME", "DATASETS", "DATASETS_DIR", "DERIVED_DATASETS", "DERIVED_SCHEMAS", "SCHEMAS", "arrow_type",
    "conform", "dataset_dir", "dataset_exists", "existing_document_ids", "part_files", "read_dataset",
    "read_document_rows", "read_records", "read_table", "schema_for", "temp_path_for",
]


# --- writing ------------------------------------------------------------------------------------------


class _Index:
    """document_id -> source_path of the committed documents, as of a commit generation of the folder."""

    def __init__(self, generation: str, sources: dict[str, str]) -> None:
        self.generation, self.sources = generation, sources


_indexes: dict[str, _Index] = {}  # per output folder, valid while its generation is unchanged
_prepared: set[str] = set()  # output folders this process has recovered, migrated and catalogued


def forget_process_state() -> None:
    """Drop what this process cached about output folders (what a new process starts without)."""
    _indexes.clear()
    _prepared.clear()


def _index(out_dir: Path, lock: FolderLock) -> _Index:
    key = str(out_dir.resolve())
    index = _indexes.get(key)
    if index is None or index.generation != lock.generation:
        table = read_table(out_dir, "documents", ["document_id", "source_path"])
        index = _Index(lock.generation, dict(zip(table.column("document_id").to_pylist(),
                                                 table.column("source_path").to_pylist(), strict=True)))
        _indexes[key] = index
    return index


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _stage(final: Path, content: bytes, publications: list[tuple[Path, Path]]) -> None:
    """Stage content for final unless final already holds exactly these bytes."""
    try:
        if final.stat().st_size == len(content) and final.read_bytes() == content:
            return
    except FileNotFoundError:
        pass
    publications.append((stage_file(final, content), final))


def _prepare(out_dir: Path) -> None:
    """Once per process and folder, with the lock held: complete an interrupted commit, delete leftovers,
    convert the one-file-per-dataset layout, keep each folder's schema file and the catalog current."""
    key = str(out_dir.resolve())
    if key in _prepared:
        return
    journal.recover(out_dir, sweep=True)
    removals: list[Path] = []
    with journal.staging() as publications:
        for name, schema in ALL_SCHEMAS.items():
            folder = dataset_dir(out_dir, name)
            folder.mkdir(parents=True, exist_ok=True)
            legacy = legacy_file(out_dir, name)
            if legacy.is_file():
                table = conform(pq.read_table(legacy), schema)
                if name in DERIVED_SCHEMAS:
                    _stage(folder / DERIVED_FILE, _parquet_bytes(table), publications)
                else:
                    for document_id in sorted(set(table.column("document_id").to_pylist())):
                        rows = table.filter(pc.equal(table.column("document_id"), document_id))
                        _stage(folder / part_name(document_id), _parquet_bytes(rows), publications)
                removals.append(legacy)
            schema_file = folder / SCHEMA_FILE
            if not schema_file.is_file() or not pq.read_schema(schema_file).equals(schema):
                _stage(schema_file, _parquet_bytes(schema.empty_table()), publications)
    journal.commit_files(out_dir, removals, publications)
    ensure_catalog(out_dir, {name: dataset_dir(out_dir, name) for name in ALL_SCHEMAS})
    _prepared.add(key)


def prepare_output(out_dir: Path) -> None:
    """Make out_dir ready for commits (see _prepare): what every run does first, under the lock."""
    out_dir = Path(out_dir)
    with locked(out_dir):
        _prepare(out_dir)


def latest_record_sets(record_sets: list[RecordSet]) -> list[RecordSet]:
    """Drop record sets superseded later in the same batch (same document_id or source_path)."""
    seen_ids: set[str] = set()
    seen_paths: set[str] = set()
    kept: list[RecordSet] = []
    for record_set in reversed(record_sets):
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
        stray = {record.document_id for record in records} - {expected}  # type: ignore[attr-defined]
        if stray:
            raise ValueError(f"{name} rows of document {expected} carry other document_ids: {sorted(stray)}")


def document_tables(record_set: RecordSet) -> dict[str, pa.Table]:
    """The document's rows per dataset as tables; values that cannot be stored are reported in `issues` and
    make an `ok` document `partial` (see extractors.storable)."""
    tables: dict[str, pa.Table] = {}
    problems: list[str] = []
    for name, records in record_set.datasets().items():
        if name not in ("documents", "issues"):
            tables[name], found = storable_records(name, records, SCHEMAS[name])
            problems += found
    document = record_set.document.model_copy()
    document.source_path = file_text(escape_surrogates(document.source_path))
    issues = list(record_set.issues)
    for problem in problems:
        issues.append(IssueRecord(document_id=document.document_id, stage="write", code="value_not_storable",
                                  severity="error", message=problem))
    if problems:
        document.issues += len(problems)
        note = f"{len(problems)} value(s) could not be stored as read (see issues)"
        document.message = f"{document.message}; {note}" if document.message else note
        if document.status == "ok":
            document.status = "partial"
    tables["issues"], found = storable_records("issues", issues, SCHEMAS["issues"])
    tables["documents"], _ = storable_records("documents", [document], SCHEMAS["documents"])
    return tables


def held_copies(out_dir: Path, document_ids: set[str], recorded: dict[str, str],
                others: set[str]) -> dict[str, str]:
    """document_id -> the text of another file than the recorded one that holds the document now, for the given ids:
    among others (files the catalog recorded other documents at: two files that swapped contents) and the files the
    run reports in OUT/reports/ name with that document (copies met by earlier runs)."""
    found: dict[str, str] = {}
    for document_id in sorted(document_ids):
        for path in sorted(others):
            if file_text(path) != file_text(recorded[document_id]) and holds(path, document_id):
                found[document_id] = file_text(path)
                break
    reports = sorted((out_dir / "reports").glob("run-*.json"), reverse=True) if document_ids - set(found) else []
    for report in reports:
        try:
            files = json.loads(report.read_text(encoding="utf-8")).get("files") or []
        except (OSError, ValueError, AttributeError):
            continue
        for entry in files:
            document_id, path = entry.get("document_id"), entry.get("path")
            if document_id not in document_ids or document_id in found or not isinstance(path, str):
                continue
            if file_text(path) != file_text(recorded[document_id]) and holds(path, document_id):
                found[document_id] = file_text(path)
    return found


def _stage_source_path(out_dir: Path, document_id: str, path: str, publications: list[tuple[Path, Path]]) -> None:
    """Stage the committed document's `documents` rows with source_path set to path (its other rows stay)."""
    final = dataset_dir(out_dir, "documents") / part_name(document_id)
    table = pq.read_table(final)
    column = table.schema.get_field_index("source_path")
    table = table.set_column(column, table.schema.field(column),
                             pa.array([path] * table.num_rows, table.schema.field(column).type))
    _stage(final, _parquet_bytes(table), publications)


def write_record_sets(record_sets: list[RecordSet], out_dir: Path,
                      removed: dict[str, str] | None = None) -> dict[str, str]:
    """Replace the given documents' rows in every dataset, all or nothing, in one commit.

    A record set replaces the committed document with the same document_id and the one recorded under the
    same file (a new version of it): a source_path is the absolute path of the file (extractors.source.file_text),
    so the same relative path typed in two working folders names two files. Only the files of those documents are
    written or removed.
    A document is its content: one already committed under another source_path keeps that path while the file
    there still holds it (the first file it came from stays its source; the file given now is a copy of it).
    When that file is gone or holds other content now, the document is recorded under the path given now: a
    source_path always names a file that held the document when it was last written. Returns document_id -> the
    kept path of those documents (empty when every document is recorded under the path it was given). removed, when
    given, gets document_id -> source_path of each document removed as the previous version of a file.
    """
    out_dir = Path(out_dir)
    for record_set in record_sets:
        check_document_ids(record_set)
    incoming = {rs.document.document_id: document_tables(rs) for rs in latest_record_sets(list(record_sets))}
    with locked(out_dir) as lock:
        _prepare(out_dir)
        index = _index(out_dir, lock)
        lock.new_generation()  # before any change: other processes' cached indexes are stale from here on
        paths = {tables["documents"].column("source_path")[0].as_py(): doc_id for doc_id, tables in incoming.items()}
        # a file is its absolute path (file_text); a row written before source_paths were absolute is read
        # against the working folder of this process, as it was then
        replaced = [doc_id for doc_id, source in index.sources.items()
                    if file_text(source) in paths and doc_id not in incoming]
        # a document another file still holds (a copy an earlier run met) is recorded there instead of removed
        others = {index.sources[doc_id] for doc_id in incoming if doc_id in index.sources}
        rescued = held_copies(out_dir, set(replaced), index.sources, others)
        replaced = [doc_id for doc_id in replaced if doc_id not in rescued]
        kept = {doc_id: index.sources[doc_id] for path, doc_id in paths.items()
                if doc_id in index.sources and file_text(index.sources[doc_id]) != path
                and holds(index.sources[doc_id], doc_id)}
        for doc_id, earlier in kept.items():
            documents = incoming[doc_id]["documents"]
            column = documents.schema.get_field_index("source_path")
            incoming[doc_id]["documents"] = documents.set_column(
                column, documents.schema.field(column), pa.array([earlier], documents.schema.field(column).type))
        removals: list[Path] = []
        for document_id in replaced:  # documents first: from there on the old version is gone
            removals += [dataset_dir(out_dir, name) / part_name(document_id) for name in SCHEMAS]
        with journal.staging() as publications:
            for document_id, tables in incoming.items():
                for name in (name for name in SCHEMAS if name != "documents"):
                    final = dataset_dir(out_dir, name) / part_name(document_id)
                    if tables[name].num_rows:
                        _stage(final, _parquet_bytes(tables[name]), publications)
                    elif final.exists():
                        removals.append(final)
            for document_id, path in rescued.items():
                _stage_source_path(out_dir, document_id, path, publications)
            for document_id, tables in incoming.items():  # documents last: the commit's rows are all there
                _stage(dataset_dir(out_dir, "documents") / part_name(document_id),
                       _parquet_bytes(tables["documents"]), publications)
        journal.commit_files(out_dir, [path for path in removals if path.exists()], publications)
        for document_id in replaced:
            if removed is not None:
                removed[document_id] = index.sources[document_id]
            index.sources.pop(document_id, None)
        index.sources.update(rescued)
        for document_id, tables in incoming.items():
            index.sources[document_id] = tables["documents"].column("source_path")[0].as_py()
        index.generation = lock.generation
    return kept


def move_sources(moves: dict[str, str], out_dir: Path, removed: dict[str, str] | None = None) -> list[str]:
    """Record committed documents under other source paths (document_id -> the new path's text), in one commit:
    for a document whose recorded file no longer holds it (moved, or replaced by other content) while the file
    at the new path does. Only the documents' rows in `documents` change; their other rows stay. A document
    already recorded elsewhere by a new version of that file is left alone. A document recorded at a file a document
    moves to is no longer held there: it is recorded at another file that still holds it (a copy, held_copies), or
    else removed as the previous version of that file (one document per file), and removed, when given, gets its
    document_id -> source_path. Returns the ids moved."""
    out_dir = Path(out_dir)
    with locked(out_dir) as lock:
        _prepare(out_dir)
        index = _index(out_dir, lock)
        wanted = {doc_id: file_text(escape_surrogates(path)) for doc_id, path in moves.items()
                  if doc_id in index.sources and index.sources[doc_id] != file_text(escape_surrogates(path))}
        if not wanted:
            return []
        lock.new_generation()
        targets = set(wanted.values())
        replaced = {doc_id: source for doc_id, source in index.sources.items()
                    if doc_id not in wanted and file_text(source) in targets}
        # a document another file still holds (a copy an earlier run met) is recorded there instead of removed,
        # as write_record_sets does
        rescued = held_copies(out_dir, set(replaced), index.sources, {index.sources[doc_id] for doc_id in wanted})
        replaced = {doc_id: source for doc_id, source in replaced.items() if doc_id not in rescued}
        removals = [dataset_dir(out_dir, name) / part_name(doc_id) for doc_id in replaced for name in SCHEMAS]
        with journal.staging() as publications:
            for document_id, path in {**wanted, **rescued}.items():
                _stage_source_path(out_dir, document_id, path, publications)
        journal.commit_files(out_dir, [path for path in removals if path.exists()], publications)
        for document_id in replaced:
            index.sources.pop(document_id, None)
        if removed is not None:
            removed.update(replaced)
        index.sources.update(rescued)
        for document_id, path in wanted.items():
            index.sources[document_id] = path
        index.generation = lock.generation
    return sorted(wanted)


def write_derived_datasets(datasets: dict[str, list[BaseModel]], out_dir: Path) -> None:
    """Replace each given derived dataset whole, all of them in one commit; per-document datasets are untouched."""
    out_dir = Path(out_dir)
    unknown = set(datasets) - set(DERIVED_SCHEMAS)
    if unknown:
        raise ValueError(f"not derived datasets: {sorted(unknown)}; known: {', '.join(DERIVED_SCHEMAS)}")
    tables = {name: storable_records(name, records, DERIVED_SCHEMAS[name])[0]
              for name, records in datasets.items()}
    with locked(out_dir) as lock:
        _prepare(out_dir)
        lock.new_generation()
        with journal.staging() as publications:
            for name, table in tables.items():
                _stage(dataset_dir(out_dir, name) / DERIVED_FILE, _parquet_bytes(table), publications)
        journal.commit_files(out_dir, [], publications)
