"""extractors.pdf.ocr_tools: OCRmyPDF's version is asked once per installed executable and kept in the derived-table
cache; a changed executable, a failing probe and Tesseract are asked again."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from extractors.pdf.ocr_tools import tool_version


def _tool(folder: Path, name: str, version: str, status: int = 0) -> Path:
    """An executable `name` that prints `name version` on --version, counts its runs in name.runs and exits with
    status."""
    script = folder / name
    script.write_text(f"#!/bin/sh\necho run >> '{folder / (name + '.runs')}'\necho '{name} {version}'\n"
                      f"exit {status}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def _runs(folder: Path, name: str) -> int:
    path = folder / f"{name}.runs"
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def test_ocrmypdf_is_asked_once_and_again_when_its_executable_changes(tools: Path) -> None:
    script = _tool(tools, "ocrmypdf", "14.0.1")
    assert [tool_version("ocrmypdf") for _ in range(3)] == ["14.0.1"] * 3
    assert _runs(tools, "ocrmypdf") == 1
    _tool(tools, "ocrmypdf", "16.2.0")  # an upgrade writes the entry script anew
    os.utime(script, ns=(script.stat().st_atime_ns, script.stat().st_mtime_ns + 1_000_000_000))
    assert tool_version("ocrmypdf") == "16.2.0"
    assert _runs(tools, "ocrmypdf") == 2


def test_a_failing_probe_is_not_kept(tools: Path) -> None:
    _tool(tools, "ocrmypdf", "broken", status=1)
    assert [tool_version("ocrmypdf") for _ in range(2)] == ["broken"] * 2
    assert _runs(tools, "ocrmypdf") == 2


def test_tesseract_is_asked_every_time_and_a_missing_tool_is_none(tools: Path) -> None:
    _tool(tools, "tesseract", "5.3.0")
    assert [tool_version("tesseract") for _ in range(2)] == ["5.3.0"] * 2
    assert _runs(tools, "tesseract") == 2
    assert tool_version("ocrmypdf") is None


@pytest.mark.usefixtures("ocr_tools")  # installed when missing: a fresh machine's first session has none yet
def test_the_installed_ocrmypdf_gives_the_version_it_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(tmp_path))
    printed = subprocess.run(["ocrmypdf", "--version"], capture_output=True, text=True, check=True).stdout
    assert tool_version("ocrmypdf") == tool_version("ocrmypdf") == printed.strip().split()[-1]
    assert len(list(tmp_path.glob("ocrmypdf-version-*.marshal"))) == 1
