"""`plandata` as a new user first runs it: a fresh process, an empty PREFECT_HOME, no test harness.

The first start of Prefect's temporary server creates and migrates its database, which took longer than
Prefect's default startup timeout on a busy machine (issue 8). These tests run the installed `plandata`
command in subprocesses, so the whole start is real: no harness, no server shared with other tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.writers import read_dataset
from flows.server_start import READY_MARKER

FI_TEXT = "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
SV_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
CENTRAL = {"fi": "Kaupunginkansliakeskus", "sv": "Stadskanslicentralen"}
# The central's external operating margin ("Toimintakate, ulkoinen" / "Verksamhetsbidrag, externt"),
# read from the sample texts: actual 2023, amended budget 2024, budget 2025, plan 2026 and 2027.
OPERATING_MARGIN = {
    (2023, "actual"): -3_890_507,
    (2024, "budget_amended"): -3_942_834,
    (2025, "budget"): -4_165_639,
    (2026, "plan"): -4_222_400,
    (2027, "plan"): -4_286_000,
}
RUN_TIMEOUT = 900  # seconds; far above the slowest cold start measured, only so a hang cannot block CI


def plandata() -> str:
    """The `plandata` console script of the environment running the tests."""
    script = Path(sys.executable).with_name("plandata")
    if not script.is_file():
        pytest.fail(f"the plandata command is not installed next to {sys.executable}: run `make venv`")
    return str(script)


def fresh_env(prefect_home: Path, **settings: str) -> dict[str, str]:
    """The environment of a new shell: no Prefect settings from this session, PREFECT_HOME as given."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(prefect_home)
    env.update(settings)
    return env


def ingest(sample: Path, out_dir: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [plandata(), "ingest", str(sample), "--out", str(out_dir)],
        env=env,
        cwd=out_dir.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=RUN_TIMEOUT)
    return process.returncode, out, err


def assert_ingested(out_dir: Path, language: str) -> None:
    documents = read_dataset(out_dir, "documents")
    assert documents["status"].tolist() == ["ok"]
    assert documents["language"].tolist() == [language]
    finance = read_dataset(out_dir, "finance")
    margin = finance[(finance["line_key"] == "operating_margin") & (finance["unit_name"] == CENTRAL[language])]
    found = {(int(row.year), row.figure_kind): int(row.amount) for row in margin.itertuples()}
    assert found == OPERATING_MARGIN


def test_first_ingest_in_an_empty_prefect_home_starts_prefect_and_writes_the_datasets(
    tmp_path: Path, samples_dir: Path
) -> None:
    home = tmp_path / "prefect-home"  # does not exist yet: the first start creates and migrates the database
    out_dir = tmp_path / "output"

    code, out, err = finish(ingest(samples_dir / FI_TEXT, out_dir, fresh_env(home)))

    assert code == 0, out + err
    assert "1 ok, 0 partial, 0 failed" in out
    assert (home / "prefect.db").is_file()  # the run's own server, in the new PREFECT_HOME
    assert_ingested(out_dir, "fi")
    # the full start left its marker: the next start skips the migration check and block-type registration
    marker = json.loads((home / READY_MARKER).read_text(encoding="utf-8"))
    assert marker["revisions"] and marker["block_types"] > 0

    code, out, err = finish(ingest(samples_dir / SV_TEXT, tmp_path / "output-sv", fresh_env(home)))

    assert code == 0, out + err
    assert_ingested(tmp_path / "output-sv", "sv")


def test_two_first_starts_on_one_prefect_home_do_not_break_each_other(tmp_path: Path, samples_dir: Path) -> None:
    """Two commands started together on an empty PREFECT_HOME: one migrates its database, the other waits."""
    home = tmp_path / "prefect-home"
    first = ingest(samples_dir / FI_TEXT, tmp_path / "out-fi", fresh_env(home))
    second = ingest(samples_dir / SV_TEXT, tmp_path / "out-sv", fresh_env(home))

    for process in (first, second):
        code, out, err = finish(process)
        assert code == 0, out + err
    assert_ingested(tmp_path / "out-fi", "fi")
    assert_ingested(tmp_path / "out-sv", "sv")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        # Far too little time for any start: the wait ends and says how to allow more.
        (
            {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1"},
            ["did not answer within 1 s", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=600", "PREFECT_API_URL"],
        ),
        # A database the server cannot open: it exits, and the error says so without waiting out the timeout.
        (
            {"PREFECT_SERVER_DATABASE_CONNECTION_URL": "sqlite+aiosqlite:///{tmp}/missing/folder/prefect.db"},
            ["exited with code", "unable to open database file", "PREFECT_API_URL"],
        ),
    ],
    ids=["timeout", "server-exits"],
)
def test_a_server_that_cannot_start_ends_the_command_with_one_line(
    tmp_path: Path, samples_dir: Path, settings: dict[str, str], expected: list[str]
) -> None:
    settings = {name: value.format(tmp=tmp_path) for name, value in settings.items()}
    out_dir = tmp_path / "output"

    code, out, err = finish(ingest(samples_dir / FI_TEXT, out_dir, fresh_env(tmp_path / "prefect-home", **settings)))

    assert code == 3, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("plandata ingest: error: Prefect's temporary server ")
    for part in expected:
        assert part in lines[0]
    assert "Traceback" not in out + err
    assert not out_dir.exists()  # nothing ran
