"""Run a test's Python script in a fresh interpreter and read back what it found.

The scripts under test fork, kill and time processes, so they run in a process of their own, not in pytest's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def script_results(script: str, results: Path, *arguments: object, timeout: float = 900,
                   env: dict[str, str] | None = None) -> Any:
    """Run `python -c script RESULTS ARGUMENTS...` (in env, else this process's environment); the script writes its
    findings to RESULTS as JSON.

    Returns the parsed JSON. Raises AssertionError with the end of the script's stderr when it exits non-zero."""
    done = subprocess.run([sys.executable, "-c", script, str(results), *map(str, arguments)], capture_output=True,
                          text=True, timeout=timeout, check=False, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(Path(results).read_text(encoding="utf-8"))
