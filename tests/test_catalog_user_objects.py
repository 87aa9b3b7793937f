"""The DuckDB catalog keeps the views and tables a user made in it; plandata changes only its own views, in place."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extractors import writers
from extractors.catalog import CATALOG_NAME, ensure_catalog, view_marker


def _state(path: Path) -> tuple[int, int]:
    return path.stat().st_ino, path.stat().st_mtime_ns


def _folders(out_dir: Path, names: tuple[str, ...] = ("documents", "goals")) -> dict[str, Path]:
    folders = {name: out_dir / "datasets" / name for name in names}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"document_id": ["d"], "status": ["ok"]}), folder / "_schema.parquet")
    return folders


def _objects(catalog: Path) -> tuple[set[str], set[str]]:
    with duckdb.connect(str(catalog), read_only=True) as connection:
        views = {row[0] for row in connection.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal")
                 .fetchall()}
        tables = {row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return views, tables


def test_user_views_and_tables_stay_and_an_unchanged_run_leaves_the_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folders = _folders(out)
    assert ensure_catalog(out, folders) is True
    catalog = out / CATALOG_NAME
    with duckdb.connect(str(catalog)) as connection:
        connection.execute("CREATE VIEW ok_docs AS SELECT * FROM documents")
        connection.execute("CREATE TABLE notes AS SELECT 1 AS n")
    state = _state(catalog)

    assert ensure_catalog(out, folders) is False  # unchanged: a user table forces no rebuild
    assert _state(catalog) == state
    assert _objects(catalog) == ({"documents", "goals", "ok_docs"}, {"notes"})

    # plandata's views must change (a dataset added, one gone): changed in place, the user's objects kept.
    assert ensure_catalog(out, _folders(out, ("documents", "sections"))) is True
    assert _objects(catalog) == ({"documents", "sections", "ok_docs"}, {"notes"})
    with duckdb.connect(str(catalog), read_only=True) as connection:
        assert connection.execute("SELECT n FROM notes").fetchall() == [(1,)]
        assert connection.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'sections'").fetchone()[0] \
            == view_marker(out / "datasets" / "sections")

    # A moved output folder: plandata's views point at the new place, the user's stay.
    moved = tmp_path / "moved"
    shutil.move(out, moved)
    assert ensure_catalog(moved, _folders(moved, ("documents", "sections"))) is True
    assert _objects(moved / CATALOG_NAME) == ({"documents", "sections", "ok_docs"}, {"notes"})
    with duckdb.connect(str(moved / CATALOG_NAME), read_only=True) as connection:
        assert str(moved.resolve()) in connection.execute(
            "SELECT sql FROM duckdb_views() WHERE view_name = 'documents'").fetchone()[0]


def test_an_older_catalog_of_materialised_tables_becomes_views_and_keeps_user_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folders = _folders(out)
    catalog = out / CATALOG_NAME
    with duckdb.connect(str(catalog)) as connection:
        connection.execute("CREATE TABLE documents AS SELECT 'x' AS document_id")
        connection.execute("CREATE TABLE goals AS SELECT 'g' AS goal_id")
        connection.execute("CREATE TABLE mine AS SELECT 2 AS n")
    assert ensure_catalog(out, folders) is True
    assert _objects(catalog) == ({"documents", "goals"}, {"mine"})
    state = _state(catalog)
    assert ensure_catalog(out, folders) is False
    assert _state(catalog) == state


def test_write_record_sets_keeps_a_user_view(tmp_path: Path) -> None:
    from tests.test_writers import make_record_set

    writers.write_record_sets([make_record_set("doc-a", "a.pdf")], tmp_path)
    catalog = tmp_path / CATALOG_NAME
    with duckdb.connect(str(catalog)) as connection:
        connection.execute("CREATE VIEW ok_docs AS SELECT * FROM documents WHERE status = 'ok'")
    state = _state(catalog)
    writers.forget_process_state()
    writers.write_record_sets([make_record_set("doc-b", "b.pdf")], tmp_path)
    assert _state(catalog) == state
    with duckdb.connect(str(catalog), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM ok_docs").fetchone()[0] == 2
