"""Which files a command reads: regular plan files in folders, links and hidden files left out and reported.

Without Prefect (`plandata ingest` lists its inputs and starts extracting the first one before it imports
Prefect and starts its server).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from extractors.source import SUPPORTED_SUFFIXES, source_text


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def discover(folder: Path, recursive: bool = True) -> tuple[list[Path], list[dict[str, str]]]:
    """(the regular plan files in folder, what was left out and why), never following a link out of it.

    Hidden folders are left out silently; a hidden plan file (a .pdf or .txt whose name starts with a dot,
    such as a copy in progress under a temporary name) is left out and reported; a symbolic link (file or
    folder) is never followed and is reported, as is anything that is not a regular file (a FIFO named
    plan.pdf would block).
    """
    files: list[Path] = []
    skipped: list[dict[str, str]] = []
    for root, folders, names in os.walk(folder, followlinks=False):
        here = Path(root)
        for name in sorted(folders):
            entry = here / name
            if entry.is_symlink() and not _is_hidden(entry, folder):
                skipped.append({"path": source_text(entry), "reason": "symbolic link to a folder: not followed"})
        folders[:] = sorted(name for name in folders if not name.startswith(".")) if recursive else []
        for name in sorted(names):
            entry = here / name
            if entry.suffix.lower() not in SUPPORTED_SUFFIXES or _is_hidden(entry.parent, folder):
                continue
            if name.startswith("."):
                skipped.append({"path": source_text(entry), "reason": "hidden file (its name starts with a dot): "
                                "left out"})
                continue
            mode = os.lstat(entry).st_mode
            if stat.S_ISLNK(mode):
                skipped.append({"path": source_text(entry), "reason": "symbolic link: not followed"})
            elif not stat.S_ISREG(mode):
                skipped.append({"path": source_text(entry), "reason": "not a regular file"})
            else:
                files.append(entry)
    return sorted(files), skipped


def expand_paths(paths: Iterable[Path | str], recursive: bool = True) -> list[Path]:
    """Folders give their regular supported files (sorted; recursively unless told not to; links not followed);
    a file named explicitly is always kept.

    Raises FileNotFoundError naming the first path that does not exist. Duplicates are dropped.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(discover(path, recursive)[0])
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {source_text(path)}")
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def new_output_folder(out_dir: Path) -> bool:
    """Whether out_dir does not exist or is empty: no catalog, so no file of a run into it is unchanged (and every
    file will be extracted)."""
    try:
        return not any(out_dir.iterdir())
    except FileNotFoundError:
        return True
    except OSError:
        return False
