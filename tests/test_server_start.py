"""When Prefect's temporary server may skip its migration check and block-type registration on start.

Only when the marker written after a full start names what the database holds now (flows.server's
`prepared_database`): a Prefect upgrade, another database, a new or damaged database starts in full.
The databases here are SQLite files with the two tables the check reads, as Prefect's migrations make them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.settings import PREFECT_HOME, PREFECT_SERVER_DATABASE_CONNECTION_URL, temporary_settings

from flows.server_start import READY_MARKER, database_state, mark_prepared, prepared_database

REVISION = "27d8f4e1a6c9"  # the head revision of Prefect 3.9.1's SQLite migrations


def make_database(path: Path, revision: str = REVISION, block_types: int = 3) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        connection.execute("CREATE TABLE block_type (id CHAR(36) PRIMARY KEY, slug VARCHAR NOT NULL)")
        connection.executemany("INSERT INTO block_type VALUES (?, ?)",
                               [(f"id-{number}", f"type-{number}") for number in range(block_types)])
    connection.close()


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A PREFECT_HOME whose database is prefect.db in it (not created here)."""
    with temporary_settings(updates={PREFECT_HOME: str(tmp_path),
                                     PREFECT_SERVER_DATABASE_CONNECTION_URL:
                                         f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}"}):
        yield tmp_path


def test_a_database_marked_after_a_full_start_is_prepared(home: Path) -> None:
    make_database(home / "prefect.db")
    assert not prepared_database()  # no marker yet: the first start is a full one
    mark_prepared()
    marker = json.loads((home / READY_MARKER).read_text(encoding="utf-8"))
    assert marker["revisions"] == [REVISION] and marker["block_types"] == 3
    assert marker["database"] == str(home / "prefect.db")
    assert prepared_database()


def test_a_prefect_upgrade_starts_in_full(home: Path) -> None:
    make_database(home / "prefect.db")
    mark_prepared()
    marker = home / READY_MARKER
    state = json.loads(marker.read_text(encoding="utf-8"))
    marker.write_text(json.dumps({**state, "prefect": "3.0.0"}), encoding="utf-8")
    assert not prepared_database()


@pytest.mark.parametrize("change", ["new", "missing", "damaged", "other revision", "no block types"])
def test_a_new_missing_damaged_or_other_database_starts_in_full(home: Path, change: str) -> None:
    database = home / "prefect.db"
    make_database(database)
    mark_prepared()
    database.unlink()
    if change == "new":
        sqlite3.connect(database).close()  # an empty file, as before Prefect's first migration
    elif change == "damaged":
        database.write_bytes(b"not a database " * 100)
    elif change == "other revision":
        make_database(database, revision="9e2a1c08c6f1")
    elif change == "no block types":
        make_database(database, block_types=0)
    assert not prepared_database()
    assert not database.exists() or change != "missing"  # the check never creates the file


def test_a_database_that_is_not_a_sqlite_file_is_never_prepared(home: Path) -> None:
    with temporary_settings(updates={PREFECT_SERVER_DATABASE_CONNECTION_URL:
                                     "postgresql+asyncpg://prefect:secret@localhost:5432/prefect"}):
        assert database_state() is None
        mark_prepared()
        assert not prepared_database()
    assert not (home / READY_MARKER).exists()


def test_a_server_stopped_while_starting_is_said_to_be_stopped() -> None:
    """A server ended by a signal while it starts (`python -m flows.server --stop`): the line says so, not that
    PREFECT_HOME may be damaged."""
    import subprocess
    import sys

    from flows.server_start import ServerStartError, free_port, wait_until_healthy

    process = subprocess.Popen([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"])
    process.wait(timeout=60)
    with pytest.raises(ServerStartError) as raised:
        wait_until_healthy(f"http://127.0.0.1:{free_port()}/api", process, 30, "Prefect's temporary server")
    said = str(raised.value)
    assert "stopped (SIGTERM) while starting" in said and "damaged" not in said and "-15" not in said
