"""Shared fixtures: embedded Prefect (one temporary test server per session) and the sample folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# Importing the package sets the embedded defaults (no telemetry, PREFECT_HOME in the checkout, quiet
# logs); it must happen before any test module imports prefect, which reads settings at import time.
from flows import set_env_defaults

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def prefect_harness() -> Iterator[None]:
    """Run every flow of the session against a throwaway SQLite database and temporary server."""
    set_env_defaults()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def samples_dir(repo_root: Path) -> Path:
    return repo_root / "samples"


@pytest.fixture(scope="session")
def corpus_dir(repo_root: Path) -> Path:
    """The shared corpus next to the checkout; its absence is an error, never a reason to skip."""
    corpus = repo_root.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.fail(f"shared corpus not found at {corpus}: check out ../shared next to the repository")
    return corpus
