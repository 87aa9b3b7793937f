"""Source paths as data: the readable, reversible text plandata records and shows for a file's path.

A file name is bytes; a name copied from an old Windows archive may hold bytes that are not UTF-8 (an "ä"
stored as the Latin-1 byte E4). Python keeps such bytes as lone surrogates, which no UTF-8 consumer
(Parquet, JSON, a terminal, Prefect's API) accepts. `source_text` writes each such byte as `\\xNN` and a
backslash as `\\\\`, so the text is valid UTF-8, readable, and `source_path` turns it back into the very
path. `display_text` also escapes what would break a line of terminal or Markdown output (newlines,
control and bidirectional formatting characters); it is for showing only.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

# The suffixes of the files a folder is searched for (extractors.pipeline reads them; here, where flows.inputs
# finds them without importing the stages).
SUPPORTED_SUFFIXES = frozenset({".pdf", ".txt"})

_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def source_text(path: Path | str) -> str:
    """The readable, reversible text of a path (see the module docstring)."""
    out: list[str] = []
    for char in os.fspath(path):
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # not from a file name; kept visible rather than lost
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def source_path(text: str) -> Path:
    """The path whose source_text is text (text without escapes is the path itself)."""
    if "\\" not in text:
        return Path(text)

    def unescape(match: re.Match[str]) -> str:
        escaped = match.group(1)
        return "\\" if escaped == "\\" else chr(0xDC00 + int(escaped[1:], 16))

    return Path(_ESCAPE.sub(unescape, text))


def display_text(text: str) -> str:
    """text fit for one line of a terminal or a Markdown table: control and formatting characters escaped."""
    out: list[str] = []
    for char in text:
        if char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


# What an empty or unreadable file's id hashes before its absolute path: no file's bytes start so, as a path
# holds no NUL, so no content's id can equal such an id.
EMPTY_FILE_DOMAIN = b"plandata empty file\0"


def empty_file_id(path: Path | str) -> str:
    """The id of an empty or unreadable file: the sha256 of EMPTY_FILE_DOMAIN and its absolute path's bytes, the
    same however the path is typed (relative, absolute, with `./`), and never the id of any file's content."""
    return hashlib.sha256(EMPTY_FILE_DOMAIN + os.fsencode(os.path.abspath(os.fspath(path)))).hexdigest()


def bytes_sha256(path: Path | str) -> str | None:
    """The sha256 (hex) of a file's bytes, read in 1 MiB chunks; None when the file is empty or cannot be read."""
    digest, size = hashlib.sha256(), 0
    try:
        with Path(path).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return digest.hexdigest() if size else None


def content_id(path: Path) -> str:
    """A document's id: the sha256 of the file's bytes. A file with no content to identify it by (empty, or that
    cannot be read) is identified by its absolute path (empty_file_id): each such file is a bad input of its own,
    never a copy of another empty or unreadable file, nor of a file whose content is a path's text."""
    return bytes_sha256(path) or empty_file_id(path)


def file_text(path: Path | str) -> str:
    """The text (source_text) of the absolute path of a file given as a path or as recorded text: the working folder
    joined to a relative path (os.path.abspath, symbolic links not resolved). What the catalog records as a
    document's source_path, so that one relative path typed in two working folders names two files."""
    if isinstance(path, str):
        path = source_path(path)
    return source_text(os.path.abspath(path))


def holds(recorded: str, document_id: str) -> bool:
    """Whether the file at a recorded source_path (its text) still holds the document document_id."""
    try:
        path = source_path(recorded)
        return path.is_file() and content_id(path) == document_id
    except (OSError, ValueError):
        return False
