"""Data files the stages read at start: YAML lexicons, and tables built from the NLP packages' data, cached.

`read_yaml` parses with libyaml's C loader (PyYAML's `CSafeLoader`) when the installed PyYAML has it: the same
data as the pure-Python `SafeLoader` (compared value for value and type for type on every lexicon file), about
eight times faster (0.06 against 0.48 CPU s for all of them); without libyaml it is the pure-Python loader. Their data
is kept as a derived table too (below), so a new process parses none of them again.

`derived` keeps a table that takes a second or more to build from a package's data file (the Swedish lemma
table, the Finnish dictionary's block index) in a cache folder, as one `marshal` file per table, so that a
new process reads it in milliseconds instead of building it again:

- the folder: $PLANDATA_CACHE_DIR, else $XDG_CACHE_HOME/plandata, else ~/.cache/plandata; when it cannot be
  made or written the table is built and used without a cache, never an error;
- the file's name holds a key: sha256 of the cache format, the Python version (marshal's format is
  Python's), the given library versions and the *content* of every source file (the package's data file and
  the module that builds the table), so a changed data file, library or builder is never served stale data;
- the file starts with a header (format, key, payload length and CRC-32): a truncated or damaged file, or
  one of another key, is ignored and built again; it is written to a temporary name and renamed into place,
  so a reader never sees half a file; older files of the same table are removed when a new one is written.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it, else PyYAML's pure-Python one."""

PACKAGE_DIR = Path(__file__).resolve().parent
"""The stages' package: read_yaml keeps the data of the YAML files under it."""

CACHE_FORMAT = 1
_MAGIC = b"plandata-derived\n"
_HEADER = struct.Struct("!I32sQI")  # format, key (sha256), payload length, payload CRC-32


def read_yaml(path: Path) -> Any:
    """The data of a YAML file (UTF-8), read with the safe loader (`SafeLoader` above), and kept in the cache
    folder as a derived table (`derived`, keyed on the file's content and PyYAML's version and loader): a process
    reads the 40 lexicon and data files it needs at start in about 0.005 CPU s instead of parsing them in 0.06.
    marshal writes the safe loader's values as they are (dicts in their order, lists, str, int, float, bool, None,
    sets); a file with a value it cannot write (a YAML timestamp) is parsed each time, and so is a file outside
    this package (only its own data files are kept: no cache file per temporary path). Raises OSError when the
    file cannot be read, yaml.YAMLError when it is no YAML."""
    path = Path(path)
    if PACKAGE_DIR not in path.resolve().parents:
        return parse_yaml(path)
    place = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]  # one cache file per data file
    return derived(f"yaml-{path.stem}-{place}", [path], [yaml.__version__, SafeLoader.__name__],
                   lambda: parse_yaml(path), _unchanged)


def parse_yaml(path: Path) -> Any:
    """The data of a YAML file (UTF-8), parsed with the safe loader (`SafeLoader` above), no cache."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SafeLoader)  # noqa: S506 - a safe loader


def _unchanged(value: T) -> T:
    return value


def cache_dir() -> Path | None:
    """The folder of derived tables ($PLANDATA_CACHE_DIR, $XDG_CACHE_HOME/plandata or ~/.cache/plandata), or
    None when no home folder is known."""
    explicit = os.environ.get("PLANDATA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "plandata"
    try:
        return Path.home() / ".cache" / "plandata"
    except RuntimeError:
        return None


def cache_key(sources: Sequence[Path], versions: Sequence[str]) -> bytes:
    """sha256 of the cache format, the Python version, the versions given and each source file's name and
    content (raises OSError when a source cannot be read)."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{sys.version}|{marshal.version}".encode())
    for version in versions:
        digest.update(b"\0v" + str(version).encode())
    for source in sources:
        digest.update(b"\0f" + Path(source).name.encode() + b"\0" + Path(source).read_bytes())
    return digest.digest()


def derived(name: str, sources: Sequence[Path], versions: Sequence[str], build: Callable[[], Any],
            restore: Callable[[Any], T]) -> T:
    """restore(build()), where build()'s value (plain data marshal writes: tuples, lists, str, bytes, int,
    bool, frozensets) is read from the cache file of `name` and this key when there is a sound one, else built
    and written there (see the module's notes)."""
    folder = cache_dir()
    try:
        key = cache_key(sources, versions)
    except OSError:
        folder = None
    if folder is None:
        return restore(build())
    path = folder / f"{name}-{key.hex()[:24]}.marshal"
    payload = _read(path, key)
    if payload is not None:
        try:
            return restore(marshal.loads(payload))
        except Exception:  # noqa: BLE001 - a sound file of a value restore rejects: built again below
            pass
    value = build()
    _write(folder, name, path, key, value)
    return restore(value)


def _read(path: Path, key: bytes) -> memoryview | None:
    """The payload of a cache file when its header matches the key and its length and CRC-32, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(_MAGIC) + _HEADER.size
    if len(data) < start or not data.startswith(_MAGIC):
        return None
    form, stored_key, length, crc = _HEADER.unpack_from(data, len(_MAGIC))
    payload = memoryview(data)[start:]
    if form != CACHE_FORMAT or stored_key != key or len(payload) != length or zlib.crc32(payload) != crc:
        return None
    return payload


def _write(folder: Path, name: str, path: Path, key: bytes, value: Any) -> None:
    """Write the cache file atomically (a temporary file renamed into place) and remove the table's older
    files; a folder that cannot be written is no error."""
    try:
        payload = marshal.dumps(value)
    except ValueError:  # a value marshal cannot write: no cache
        return
    temp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + _HEADER.pack(CACHE_FORMAT, key, len(payload), zlib.crc32(payload)))
            out.write(payload)
        os.replace(temp, path)
        temp = None
        for old in folder.glob(f"{name}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
