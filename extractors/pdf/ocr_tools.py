"""The OCR tools' versions: `TOOL --version`, asked once per installed tool rather than once per process.

A version goes into each OCR result (and the OCR cache's file), and every extraction process learns it before its
first document (extractors.pdf.tesseract.preload). `ocrmypdf --version` starts a Python interpreter that imports
OCRmyPDF: about 0.3 CPU s each time. Its answer is kept in the derived-table cache (extractors.datafiles.derived),
keyed on the executable found on PATH: its resolved path, content, inode, size and modification time. OCRmyPDF's
version is that of its Python package, and a package manager installs or upgrades the package together with the
entry script (Debian's `ocrmypdf` package ships both; pip writes the script anew on every install), so a changed
OCRmyPDF is a changed script and asked again. A failing probe is not kept.

`tesseract --version` is asked every time: its version is libtesseract's, which the executable does not pin, and
the probe costs about 15 ms.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from extractors.datafiles import derived

CACHED_TOOLS = frozenset({"ocrmypdf"})
"""The tools whose version is kept between processes (see the module's notes)."""


class _ProbeFailed(Exception):
    """The tool answered `--version` with an error: its answer is used once, not kept."""

    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.version = version


def _ask(executable: str) -> tuple[str, bool]:
    """(version, whether the probe succeeded): the last word of the first line `EXECUTABLE --version` prints
    (its standard output, else its standard error), "unknown" when it prints nothing."""
    done = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60, check=False)
    lines = (done.stdout or done.stderr).strip().splitlines()
    version = lines[0].split()[-1] if lines else "unknown"
    return version, done.returncode == 0 and bool(lines)


def tool_version(tool: str) -> str | None:
    """The version `tool --version` gives for the tool found on PATH, or None when it is not on PATH; for
    CACHED_TOOLS from the derived-table cache when this executable was asked before (see the module's notes)."""
    found = shutil.which(tool)
    if found is None:
        return None
    if tool not in CACHED_TOOLS:
        return _ask(found)[0]
    executable = Path(found).resolve()

    def build() -> str:
        version, succeeded = _ask(found)
        if not succeeded:
            raise _ProbeFailed(version)
        return version

    try:
        stat = os.stat(executable)
        identity = [str(executable), str(stat.st_ino), str(stat.st_size), str(stat.st_mtime_ns)]
        return derived(f"{tool}-version", [executable], identity, build, str)
    except _ProbeFailed as failed:
        return failed.version
    except OSError:  # the executable vanished between which() and stat(): asked as it is
        return _ask(found)[0]
