"""Atomic commits of files under one output folder: staged temporary files, a journal, idempotent publication.

A commit replaces and removes files under `OUT/datasets/` all or nothing, whatever moment the process is
killed at:

1. every new file is written under a hidden temporary name beside its final name and fsynced
   (`.<final name>.<random>.tmp`: readers and globs of `*.parquet` never see it);
2. `OUT/datasets/_journal.json` lists the operations (removals, then renames of the staged files) and is
   written to a temporary name, fsynced and renamed into place: **this rename is the commit point**;
3. the operations are applied in order and the touched folders fsynced;
4. the journal is deleted.

A process killed before the commit point leaves only hidden temporary files: nothing changed, and the
next writer deletes them. Killed after it, the next writer (or plandata reader) finds the journal and
applies it again (every operation is idempotent: a rename whose staged file is gone was done, removing
a missing file is done), so the commit completes. Writers of one output folder are serialised by an
advisory lock (`OUT/.plandata.lock`, flock); a process that waits for it says so, and gives up with a
`LockTimeout` naming the lock and its holder. Readers in plandata take it shared.

Every file operation goes through `_step`, so a test can stop the writer between any two of them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

LOCK_NAME = ".plandata.lock"
DATASETS_DIR = "datasets"
JOURNAL_NAME = "_journal.json"
TEMP_SUFFIX = ".tmp"
LOCK_TIMEOUT_SECONDS = 600.0  # a commit holds the lock for milliseconds: minutes of waiting means a stuck holder
LOCK_POLL_SECONDS = 0.05
LOCK_RECORD_BYTES = 512

log = logging.getLogger("plandata.writers")

# Called with (operation, path) before every file operation of a commit; tests raise from it to stop the
# writer between two operations exactly as a kill would (no clean-up code runs for a BaseException).
FaultHook = Callable[[str, Path], None]
fault_hook: FaultHook | None = None


class LockTimeout(TimeoutError):
    """Another process held the output folder's lock for longer than the writer was willing to wait."""


def _step(operation: str, path: Path) -> None:
    if fault_hook is not None:
        fault_hook(operation, path)


def temp_path_for(final: Path) -> Path:
    """A hidden sibling of final to stage its new content in."""
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def stage_file(final: Path, content: bytes) -> Path:
    """Write final's new content to a hidden temporary sibling and fsync it; return the sibling's path."""
    temp = temp_path_for(final)
    _step("write", temp)
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view):]
        _step("fsync", temp)
        os.fsync(descriptor)
    except Exception:
        os.close(descriptor)
        temp.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return temp


@contextmanager
def staging() -> Iterator[list[tuple[Path, Path]]]:
    """Collect (staged temporary, final) pairs; an exception while staging deletes the files staged so far."""
    publications: list[tuple[Path, Path]] = []
    try:
        yield publications
    except Exception:
        for temp, _ in publications:
            temp.unlink(missing_ok=True)
        raise


@dataclass
class Commit:
    """The operations of one commit, in the order they are applied (paths relative to OUT/datasets)."""

    remove: list[str] = field(default_factory=list)
    publish: list[tuple[str, str]] = field(default_factory=list)  # (staged temporary, final)

    def empty(self) -> bool:
        return not self.remove and not self.publish


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def commit_files(out_dir: Path, removals: list[Path], publications: list[tuple[Path, Path]]) -> None:
    """Apply removals (in order) then publications (staged -> final, in order) atomically; call with the lock held.

    The staged files must already be written and fsynced (stage_file). If the journal cannot be written,
    the staged files are deleted and nothing changes.
    """
    root = Path(out_dir) / DATASETS_DIR
    commit = Commit(
        remove=[_relative(path, root) for path in removals],
        publish=[(_relative(temp, root), _relative(final, root)) for temp, final in publications],
    )
    if commit.empty():
        return
    try:
        _write_journal(root, commit)
    except Exception:
        for temp, _ in publications:
            temp.unlink(missing_ok=True)
        raise
    _apply(root, commit)
    _step("unlink", root / JOURNAL_NAME)
    (root / JOURNAL_NAME).unlink()
    _step("fsync", root)
    fsync_path(root)


def _write_journal(root: Path, commit: Commit) -> None:
    journal = root / JOURNAL_NAME
    content = json.dumps({"remove": commit.remove, "publish": commit.publish}, ensure_ascii=True).encode()
    temp = stage_file(journal, content)
    _step("rename", journal)
    os.replace(temp, journal)
    _step("fsync", root)
    fsync_path(root)


def _apply(root: Path, commit: Commit) -> None:
    folders: set[Path] = set()
    for relative in commit.remove:
        path = root / relative
        _step("unlink", path)
        path.unlink(missing_ok=True)
        folders.add(path.parent)
    for temp_relative, final_relative in commit.publish:
        temp, final = root / temp_relative, root / final_relative
        if temp.exists():  # else published before an interruption
            _step("rename", final)
            os.replace(temp, final)
        folders.add(final.parent)
    for folder in sorted(folders):
        if folder.is_dir():
            _step("fsync", folder)
            fsync_path(folder)


def journal_pending(out_dir: Path) -> bool:
    return (Path(out_dir) / DATASETS_DIR / JOURNAL_NAME).exists()


def recover(out_dir: Path, sweep: bool = True) -> bool:
    """Complete an interrupted commit and delete staged files no commit refers to; call with the lock held.

    Returns whether a journal was applied. Sweeping lists every dataset folder, so writers do it once per
    process (and after applying a journal), not on every commit.
    """
    root = Path(out_dir) / DATASETS_DIR
    journal = root / JOURNAL_NAME
    applied = False
    if journal.exists():
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            commit = Commit(remove=list(data["remove"]), publish=[(t, f) for t, f in data["publish"]])
        except (ValueError, KeyError, TypeError) as exc:
            # The journal is renamed into place only once complete: a damaged one is outside damage.
            raise RuntimeError(f"the commit journal {journal} is damaged ({exc}); move it away to go on") from exc
        _apply(root, commit)
        journal.unlink()
        fsync_path(root)
        applied = True
        log.info("completed an interrupted commit in %s", root)
    if sweep and root.is_dir():
        for folder in [root, *(entry for entry in root.iterdir() if entry.is_dir() and not entry.is_symlink())]:
            for entry in os.scandir(folder):
                if is_temp_name(entry.name) and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
    return applied


# --- the lock ---------------------------------------------------------------------------------------


class FolderLock:
    """This process's hold on an output folder's lock; `generation` changes with every commit made under it."""

    def __init__(self, path: Path, handle: BinaryIO, exclusive: bool) -> None:
        self.path, self._handle, self.exclusive = path, handle, exclusive
        self.generation = _read_lock_file(path).get("generation", "")

    def new_generation(self) -> str:
        """Record that the folder changed (other processes drop what they cached about it)."""
        if not self.exclusive:
            raise RuntimeError(f"{self.path}: a shared lock cannot record a change")
        self.generation = uuid.uuid4().hex
        self._write()
        return self.generation

    def _write(self) -> None:
        # One fixed-size record written in place: no truncation (a journaled metadata change) per commit.
        record = json.dumps({**_holder(), "generation": self.generation}, ensure_ascii=True).encode()
        os.pwrite(self._handle.fileno(), record.ljust(LOCK_RECORD_BYTES)[:max(LOCK_RECORD_BYTES, len(record))], 0)


_held: dict[str, FolderLock] = {}  # output folder -> this process's hold on its lock
_held_guard = threading.RLock()


def lock_path(out_dir: Path) -> Path:
    return Path(out_dir) / LOCK_NAME


def _holder() -> dict[str, object]:
    command = " ".join([os.path.basename(sys.argv[0]) if sys.argv else "python", *sys.argv[1:]])
    return {"pid": os.getpid(), "command": command[:300], "since": time.strftime("%Y-%m-%dT%H:%M:%S")}


def _read_lock_file(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_bytes() or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe_holder(path: Path) -> str:
    data = _read_lock_file(path)
    if "pid" not in data:
        return "another process"
    command, since = data.get("command", "?"), data.get("since", "?")
    return f"another process (last writer: pid {data['pid']}, {command}, since {since})"


def current_generation(out_dir: Path) -> str:
    """The folder's commit generation as last recorded (read without the lock)."""
    return str(_read_lock_file(lock_path(out_dir)).get("generation", ""))


@contextmanager
def locked(out_dir: Path, exclusive: bool = True, timeout: float = LOCK_TIMEOUT_SECONDS,
           on_wait: Callable[[str], None] | None = None) -> Iterator[FolderLock]:
    """Hold the output folder's lock (exclusive for writers, shared for readers) for the block.

    Re-entrant within a process: a block inside another one of the same folder takes nothing more (a
    shared block inside an exclusive one is fine; an exclusive one inside a shared one is a bug and
    raises). Waits for another process's lock, telling on_wait (default: a log warning) once, and raises
    LockTimeout naming the lock and its holder after timeout seconds.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    key = str(out_dir.resolve())
    with _held_guard:
        held = _held.get(key)
        if held is not None:
            if exclusive and not held.exclusive:
                raise RuntimeError(f"{held.path}: exclusive lock wanted inside a shared one")
            yield held
            return
        path = lock_path(out_dir)
        with os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o644), "r+b") as handle:
            _acquire(handle.fileno(), path, exclusive, timeout, on_wait)
            try:
                hold = FolderLock(path, handle, exclusive)
                if exclusive:
                    hold._write()  # who holds it, for a process that has to wait
                _held[key] = hold
                yield hold
            finally:
                _held.pop(key, None)
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _acquire(descriptor: int, path: Path, exclusive: bool, timeout: float,
             on_wait: Callable[[str], None] | None) -> None:
    operation = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    holder = _describe_holder(path)
    (on_wait or log.warning)(f"waiting for the lock {path}, held by {holder}")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"gave up after {timeout:.0f} s waiting for the lock {path}, held by {holder}: another "
                    "plandata process is writing to this output folder"
                ) from None
            time.sleep(LOCK_POLL_SECONDS)


SCHEMA_FILE = "00-schema.parquet"
DERIVED_FILE = "data.parquet"
_PLAIN_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,127}")


def part_name(document_id: str) -> str:
    """File name of a document's part: the id itself when it is a plain name (sha256 hex ids are), else a hash."""
    if _PLAIN_ID.fullmatch(document_id) and f"{document_id}.parquet" not in (SCHEMA_FILE, DERIVED_FILE):
        return f"{document_id}.parquet"
    return f"id-{hashlib.sha256(document_id.encode('utf-8', 'surrogatepass')).hexdigest()[:40]}.parquet"
