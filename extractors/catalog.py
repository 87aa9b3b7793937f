"""The DuckDB catalog `OUT/plandata.duckdb`: one view per dataset over the dataset's Parquet folder.

Views read `OUT/datasets/<name>/*.parquet` when queried, so committing a document never touches the
catalog; plandata's views are changed (in place, in one transaction) only when a view would read somewhere
else: a new output folder, a moved one, or a changed dataset list (each view's comment records what it reads,
view_marker: an unchanged run leaves the file untouched). Views and tables the user made in the file are kept.
Views use absolute paths because DuckDB resolves relative paths against the querying process's working directory.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb

from extractors.journal import fsync_path, temp_path_for

CATALOG_NAME = "plandata.duckdb"

logger = logging.getLogger(__name__)


def view_sql(folder: Path) -> str:
    """The SELECT of a dataset's view: every Parquet file of its folder, columns matched by name."""
    glob = str(Path(folder).resolve() / "*.parquet").replace("'", "''")
    return f"SELECT * FROM read_parquet('{glob}', union_by_name = true)"


MARKER_PREFIX = "plandata view: "


def _catalog_objects(connection: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], set[str]]:
    """The catalog's views (name -> comment) and tables, of its main schema."""
    views = connection.execute(
        "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'"
    ).fetchall()
    tables = connection.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    return {name: comment or "" for name, comment in views}, {name for (name,) in tables}


def _changes(views: dict[str, str], tables: set[str], folders: dict[str, Path]) -> list[str]:
    """The statements that make plandata's views those of folders, touching no other view or table.

    plandata's views are those whose comment starts with MARKER_PREFIX; a view or table bearing a dataset's name
    (an older plandata's materialised table or uncommented view) is plandata's too and is replaced. Any other
    view or table was made by the user and is kept."""
    statements: list[str] = []
    for name, comment in views.items():
        if comment.startswith(MARKER_PREFIX) and name not in folders:
            statements.append(f'DROP VIEW "{_ident(name)}"')
    for name, folder in folders.items():
        marker = view_marker(folder)
        if views.get(name) == marker:
            continue
        if name in tables:
            statements.append(f'DROP TABLE "{_ident(name)}"')
        statements.append(f'CREATE OR REPLACE VIEW "{_ident(name)}" AS {view_sql(folder)}')
        comment = marker.replace("'", "''")
        statements.append(f'COMMENT ON VIEW "{_ident(name)}" IS \'{comment}\'')
    return statements


def _ident(name: str) -> str:
    return name.replace('"', '""')


def view_marker(folder: Path) -> str:
    """The comment each view is created with: the SELECT it was created from, as plandata wrote it.

    DuckDB stores a view's SQL rewritten (read options as `(union_by_name = true)`, a trailing `;`), in a form
    that may change with its version; the comment is kept as given, so the catalog is recognised as current by
    comparing it, not the stored SQL."""
    return f"{MARKER_PREFIX}{view_sql(folder)}"


def ensure_catalog(out_dir: Path, folders: dict[str, Path]) -> bool:
    """Make OUT/plandata.duckdb hold one view per dataset folder; returns whether the file was changed.

    Only plandata's own views are created, replaced or dropped, in place, in one transaction; views and tables the
    user made in the file stay. An unchanged run does not open the file for writing. A new or unreadable file is
    built under a temporary name and renamed into place. When the file cannot be opened for writing (another
    process has it open), it is rebuilt the same way and a warning names the user objects that are lost.

    Call with the output folder's lock held. A reader keeps the catalog it opened until it reconnects.
    """
    catalog = Path(out_dir) / CATALOG_NAME
    if catalog.is_file():
        try:
            connection = duckdb.connect(str(catalog), read_only=True)
            try:
                views, tables = _catalog_objects(connection)
            finally:
                connection.close()
        except duckdb.Error as error:  # unreadable, or held for writing by someone
            views, tables = None, set()
            logger.warning("%s cannot be read (%s), so it is rebuilt: any views or tables the user made in it are lost",
                           catalog, str(error).splitlines()[0] if str(error) else type(error).__name__)
        if views is not None:
            statements = _changes(views, tables, folders)
            if not statements:
                return False
            try:
                connection = duckdb.connect(str(catalog))
            except duckdb.Error:
                connection = None
            if connection is not None:
                try:
                    connection.execute("BEGIN TRANSACTION")
                    for statement in statements:
                        connection.execute(statement)
                    connection.execute("COMMIT")
                    connection.execute("CHECKPOINT")
                finally:
                    connection.close()
                return True
            lost = sorted(
                (set(views) | tables) - set(folders)
                - {name for name, comment in views.items() if comment.startswith(MARKER_PREFIX)}
            )
            if lost:
                logger.warning(
                    "%s is open in another process, so it is rebuilt: the user's views and tables %s are not kept",
                    catalog, ", ".join(lost),
                )
    _rebuild(catalog, folders)
    return True


def _rebuild(catalog: Path, folders: dict[str, Path]) -> None:
    """Write the catalog anew under a temporary name and rename it into place."""
    temp = temp_path_for(catalog)
    try:
        connection = duckdb.connect(str(temp))
        try:
            for statement in _changes({}, set(), folders):
                connection.execute(statement)
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
        fsync_path(temp)
        os.replace(temp, catalog)
        fsync_path(catalog.parent)
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}.wal").unlink(missing_ok=True)
