"""Shared fixtures: a temporary Prefect test server for the tests that run flows, and the sample folders.

Only tests that run flows start Prefect: their modules request `prefect_harness` (pytestmark). Every
other test runs without a Prefect server, and a flow run outside the harness fails at once instead of
starting a temporary server in the checkout (its temporary server is disabled for the test session).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Importing the package sets the embedded defaults (no telemetry, PREFECT_HOME in the checkout, quiet
# logs, a generous server startup timeout); it must happen before any test module imports prefect, which
# reads settings at import time.
from flows import set_env_defaults

set_env_defaults()
os.environ["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "false"  # flows run under prefect_harness, or not at all
# A `plandata` command that a test runs in a subprocess shares its temporary server with the next command of the
# same PREFECT_HOME until the server has been unused this long (flows.shared_server): 0 stops it as soon as the
# command ends, so the suite leaves no server behind. Tests of the sharing set their own.
os.environ.setdefault("PLANDATA_SERVER_IDLE_SECONDS", "0")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Run the session's flows against a throwaway SQLite database and temporary server, started on first use.

    The server gets PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS to start (the harness's own 30 s is
    too short for a cold start on a busy machine).
    """
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
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


OCR_PACKAGES = ["ocrmypdf", "tesseract-ocr", "tesseract-ocr-fin", "tesseract-ocr-swe"]


def _ocr_missing() -> list[str]:
    """What of OCRmyPDF, Tesseract and its fin/swe data is missing."""
    import shutil
    import subprocess

    missing = [tool for tool in ("ocrmypdf", "tesseract") if shutil.which(tool) is None]
    if not missing:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
        languages = {line.strip() for line in listed.stdout.splitlines()[1:]}
        missing += [f"tesseract-ocr-{lang}" for lang in ("fin", "swe") if lang not in languages]
    return missing


@pytest.fixture(scope="session")
def ocr_tools() -> None:
    """OCRmyPDF, Tesseract and its Finnish and Swedish data (Debian packages), installed with apt-get when
    missing; the session fails loudly when they cannot be installed (never a reason to skip)."""
    import os
    import subprocess

    missing = _ocr_missing()
    if not missing:
        return
    if os.geteuid() != 0:
        pytest.fail(f"OCR tools missing ({', '.join(missing)}) and the tests do not run as root: "
                    f"apt-get install {' '.join(OCR_PACKAGES)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", *OCR_PACKAGES]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800, check=False)
        if done.returncode != 0:
            pytest.fail(f"`{' '.join(command)}` failed ({done.returncode}): {done.stderr[-3000:]}")
    still = _ocr_missing()
    if still:
        pytest.fail(f"still missing after `apt-get install {' '.join(OCR_PACKAGES)}`: {', '.join(still)}")
