"""Prefect orchestration of the pure extractor stages; embedded defaults (no server, no telemetry).

Importing this package sets environment defaults before anything imports Prefect, because Prefect
reads its settings once at import time. Values already set in the environment always win.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent

# Seconds a Prefect server gets to start (Prefect's own default is 20). A first start in a new PREFECT_HOME
# creates and migrates its SQLite database: measured up to about a minute on a busy 2-core machine.
STARTUP_TIMEOUT_SECONDS = 300


def set_env_defaults() -> None:
    """Set the embedded defaults unless the environment already chose otherwise."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The temporary server's own services log errors (with tracebacks) when it stops while an event flush
    # is pending: bookkeeping of Prefect's, not of the data; the terminal is for progress and failures.
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    # Dask (the archive flow's workers) logs cluster starts and stops, and slow shutdowns as warnings: errors only,
    # the terminal shows progress, FAILED lines and the summary.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    # Prefect's temporary server waits 20 s by default for its child process to answer, which a cold start
    # on a busy 2-core machine or two runs starting together can miss (flows.server waits this long).
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(STARTUP_TIMEOUT_SECONDS))
    # Keep Prefect's state (temporary server database, profiles) inside the checkout, not in ~/.prefect,
    # but only when running from a source tree; an installed wheel keeps Prefect's own default.
    if (_REPO_ROOT / "pyproject.toml").is_file():
        os.environ.setdefault("PREFECT_HOME", str(_REPO_ROOT / ".prefect"))
    # A relative PREFECT_HOME (PREFECT_HOME=relhome) is made absolute once, here, against the command's working
    # folder: Prefect derives its database's path from it, and the shared server runs in PREFECT_HOME, where a
    # relative path would name another folder (relhome/relhome/prefect.db).
    # It is resolved too (realpath): one folder reached through a symbolic link is one PREFECT_HOME, so that the
    # commands of either name share one server and the state file, not two servers on one database.
    home = os.environ.get("PREFECT_HOME")
    if home:
        os.environ["PREFECT_HOME"] = os.path.realpath(os.path.expanduser(home))


set_env_defaults()
# Prefect creates PREFECT_HOME (without its parents) when its settings load and warns in two lines when it cannot,
# say for PREFECT_HOME=missing/parent/home: no warning for `--help` or `--stop`; a command that needs the home
# creates it with its parents (flows.server_start.writable_home) or ends with one line saying why it cannot (exit 3).
warnings.filterwarnings("ignore", message="Failed to create the Prefect home directory", category=UserWarning)
