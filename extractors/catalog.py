"""The DuckDB catalog `OUT/plandata.duckdb`: one view per dataset over the dataset's Parquet folder.

Views read `OUT/datasets/<name>/*.parquet` when queried, so committing a document never touches the
catalog; it is rebuilt (staged under a temporary name and renamed into place) only when a view would
read somewhere else: a new output folder, a moved one, or a changed dataset list (each view's comment records
what it reads, view_marker: an unchanged run leaves the file untouched). Views use absolute
paths because DuckDB resolves relative paths against the querying process's working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from extractors.journal import fsync_path, temp_path_for

CATALOG_NAME = "plandata.duckdb"


def view_sql(folder: Path) -> str:
    """The SELECT of a dataset's view: every Parquet file of its folder, columns matched by name."""
    glob = str(Path(folder).resolve() / "*.parquet").replace("'", "''")
    return f"SELECT * FROM read_parquet('{glob}', union_by_name = true)"


def _current_views(catalog: Path) -> dict[str, str] | None:
    if not catalog.is_file():
        return None
    try:
        connection = duckdb.connect(str(catalog), read_only=True)
    except duckdb.Error:
        return None  # unreadable, or held for writing by someone: rebuilt below
    try:
        rows = connection.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall()
        tables = connection.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
    finally:
        connection.close()
    if tables and tables[0]:
        return None  # a catalog of materialized tables (older plandata): rebuild as views
    return {name: comment or "" for name, comment in rows}


def view_marker(folder: Path) -> str:
    """The comment each view is created with: the SELECT it was created from, as plandata wrote it.

    DuckDB stores a view's SQL rewritten (read options as `(union_by_name = true)`, a trailing `;`), in a form
    that may change with its version; the comment is kept as given, so the catalog is recognised as current by
    comparing it, not the stored SQL."""
    return f"plandata view: {view_sql(folder)}"


def _matches(current: dict[str, str], folders: dict[str, Path]) -> bool:
    if set(current) != set(folders):
        return False
    return all(current[name] == view_marker(folder) for name, folder in folders.items())


def ensure_catalog(out_dir: Path, folders: dict[str, Path]) -> bool:
    """Make OUT/plandata.duckdb hold exactly one view per dataset folder; returns whether it was rebuilt.

    Call with the output folder's lock held. A reader keeps the catalog it opened until it reconnects.
    """
    catalog = Path(out_dir) / CATALOG_NAME
    current = _current_views(catalog)
    if current is not None and _matches(current, folders):
        return False
    temp = temp_path_for(catalog)
    try:
        connection = duckdb.connect(str(temp))
        try:
            for name, folder in folders.items():
                connection.execute(f'CREATE VIEW "{name}" AS {view_sql(folder)}')
                marker = view_marker(folder).replace("'", "''")
                connection.execute(f'COMMENT ON VIEW "{name}" IS \'{marker}\'')
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
        fsync_path(temp)
        os.replace(temp, catalog)
        fsync_path(catalog.parent)
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}.wal").unlink(missing_ok=True)
    return True
