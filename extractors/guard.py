"""Load boundary checks: refuse a source file that would exhaust the reader before any reader allocates.

`check_source` looks at the raw bytes only (no PDF library): it decides the format (PDF or plan text)
and refuses, with a reason naming the problem, what no plan document looks like:

- a PDF stream that would inflate past `max_inflated_bytes` (a decompression bomb). Deflate cannot
  inflate a stream more than about 1 032 times its size, so only streams whose compressed size allows
  reaching the limit are inflated, piecewise and with a bounded output buffer, and the inflation stops
  at the limit: the check never holds more than a megabyte of inflated data. Image streams are left
  alone (text readers do not decode them);
- a text export with a line longer than `max_line_chars`, a row of more than `max_row_cells` TAB cells
  or more than `max_table_cells` cells in all (a plan's tables hold a few thousand).

It also estimates the pages of a PDF (page objects, also inside object streams), so that a time budget
can grow with the document, and lists the PDF's damaged streams (`SourceCheck.damaged`): a deflate stream
that does not inflate or ends before its data does, a stream whose /Length does not end at `endstream`
(bytes cut out or added). PDF readers skip such damage silently and read what is left, so the document
would look complete; the caller records it (extractors.pdf.damage). An encrypted PDF's streams are not
inflated (they are ciphertext). `looks_complete` is the evidence a watched inbox needs before it takes a
file: not empty and, for a PDF, its end-of-file marker and a cross-reference where `startxref` says.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extractors.errors import UnreadableInput

MAX_DEFLATE_RATIO = 1032  # the most a deflate stream can expand (RFC 1951: 258-byte matches of 2 bits)
INFLATE_CHUNK = 1 << 20

_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm")
_FIRST_FILTER_FLATE = re.compile(rb"/Filter\s*\[?\s*/(?:FlateDecode|Fl)(?![A-Za-z])")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.S)
_OBJECT_HEADER = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_ENCRYPT = re.compile(rb"/Encrypt\s+(?:\d+\s+\d+\s+R|<<)")


@dataclass(frozen=True)
class SourceLimits:
    """Bounds of a plausible plan document (generous: a few times the largest seen in practice)."""

    max_inflated_bytes: int = 256 << 20  # one PDF stream, inflated
    max_line_chars: int = 100_000  # one line of a text export
    max_row_cells: int = 1_000  # TAB-separated cells of one text line
    max_table_cells: int = 300_000  # TAB-separated cells of a whole text export


@dataclass(frozen=True)
class DamagedStream:
    """A PDF stream whose data is damaged: its object number (None when no `N G obj` precedes it), the byte
    offset of its data and what is wrong, e.g. 'does not inflate (invalid distance too far back)'."""

    object_number: int | None
    offset: int
    reason: str


@dataclass(frozen=True)
class SourceCheck:
    """What check_source found: the format, (PDF) an estimate of the pages and the damaged streams."""

    format: str  # "pdf" or "text"
    pages: int | None = None
    damaged: tuple[DamagedStream, ...] = ()


def check_source(path: Path, limits: SourceLimits | None = None) -> SourceCheck:
    """The format of path and its page estimate; raises UnreadableInput with the reason for what is refused."""
    limits = limits or SourceLimits()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise UnreadableInput("file is empty")
    head = data[:4096]
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        pages, damaged = check_pdf_streams(data, limits)
        return SourceCheck("pdf", pages, tuple(damaged))
    if b"\x00" in head:
        raise UnreadableInput("not a PDF or a plan text (binary content)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 4096-byte boundary is fine; anything earlier is not text.
        if exc.start < len(head) - 4:
            raise UnreadableInput("not a PDF or a plan text (not UTF-8 text)") from exc
    check_text_shape(data, limits)
    return SourceCheck("text")


def _stream_end(data: bytes, start: int, dictionary: bytes) -> tuple[int, str | None]:
    """(end of the stream's data, why its direct /Length is wrong or None)."""
    length = _LENGTH.search(dictionary)
    problem = None
    if length is not None:
        end = start + int(length.group(1))
        if data[end:end + 12].lstrip(b"\r\n ").startswith(b"endstream"):
            return end, None
        problem = f"its /Length ({int(length.group(1))}) does not end at endstream (bytes cut out or added)"
    end = data.find(b"endstream", start)
    return (len(data) if end < 0 else end), problem


def _inflate(raw: bytes, limit: int, count_pages: bool) -> tuple[int, int, str | None]:
    """(inflated size, stopping just past limit; page objects seen when count_pages; why the data is damaged
    or None). Damaged data ends it.

    Inflates piecewise into a bounded buffer, so memory stays about INFLATE_CHUNK whatever the stream holds.
    """
    inflater = zlib.decompressobj()
    total, pages, pending, carry = 0, 0, raw, b""
    try:
        while pending:
            out = inflater.decompress(pending, INFLATE_CHUNK)
            total += len(out)
            if count_pages:
                window = carry + out
                pages += len(_PAGE.findall(window)) - len(_PAGE.findall(carry))
                carry = window[-32:]
            if total > limit or (not out and inflater.unconsumed_tail == pending):
                break
            pending = inflater.unconsumed_tail
    except zlib.error as exc:
        return total, pages, f"does not inflate ({str(exc).removeprefix('Error -3 while decompressing data: ')})"
    if total <= limit and not inflater.eof:
        return total, pages, "ends before its compressed data does (cut short)"
    return total, pages, None


def _streams(data: bytes) -> Iterator[tuple[int, int, bytes, str | None]]:
    """(start, end, dictionary, /Length problem) of every stream's data, scanning past each stream (its bytes
    are not PDF syntax)."""
    position = 0
    while (found := data.find(b"stream", position)) >= 0:
        position = found + 6
        if data[found - 3:found] == b"end":
            continue
        eol = data[position:position + 2]
        start = position + (2 if eol == b"\r\n" else 1 if eol[:1] in (b"\n", b"\r") else 0)
        if start == position:
            continue
        before = data[max(0, found - 2048):found]
        dictionary = before[before.rfind(b"<<"):] if b"<<" in before else before
        end, problem = _stream_end(data, start, dictionary)
        yield start, end, dictionary, problem
        position = max(position, end)


def _object_number(data: bytes, start: int) -> int | None:
    headers = list(_OBJECT_HEADER.finditer(data, max(0, start - 4096), start))
    return int(headers[-1].group(1)) if headers else None


def check_pdf_streams(data: bytes, limits: SourceLimits) -> tuple[int, list[DamagedStream]]:
    """Refuse a stream that inflates past the limit; returns (the estimated number of pages, damaged streams)."""
    pages = len(_PAGE.findall(data))
    encrypted = _ENCRYPT.search(data[-65536:]) is not None or _ENCRYPT.search(data) is not None
    damaged: list[DamagedStream] = []
    for number, (start, end, dictionary, length_problem) in enumerate(_streams(data), start=1):
        if length_problem and not encrypted:
            damaged.append(DamagedStream(_object_number(data, start), start, length_problem))
        if not _FIRST_FILTER_FLATE.search(dictionary) or _IMAGE.search(dictionary):
            continue
        object_stream = bool(_OBJECT_STREAM.search(dictionary))
        if encrypted and (end - start) * MAX_DEFLATE_RATIO <= limits.max_inflated_bytes and not object_stream:
            continue  # cannot reach the limit, and its ciphertext tells nothing of damage
        inflated, found, problem = _inflate(data[start:end], limits.max_inflated_bytes, count_pages=object_stream)
        if inflated > limits.max_inflated_bytes:
            raise UnreadableInput(
                f"PDF stream {number} (at byte {start}) inflates past {limits.max_inflated_bytes >> 20} MiB "
                f"from {end - start} bytes: refused as a decompression bomb"
            )
        if problem and not encrypted and not length_problem:
            damaged.append(DamagedStream(_object_number(data, start), start, problem))
        pages += found
    return pages, damaged


def check_text_shape(data: bytes, limits: SourceLimits) -> None:
    """Refuse a text export with absurd lines or tables before the text reader builds cells of them."""
    cells = 0
    for number, line in enumerate(data.splitlines(), start=1):
        if len(line) > limits.max_line_chars and len(line.decode("utf-8", "replace")) > limits.max_line_chars:
            raise UnreadableInput(f"not a plan text export: line {number} has more than "
                                  f"{limits.max_line_chars} characters")
        tabs = line.count(b"\t")
        if tabs >= limits.max_row_cells:
            raise UnreadableInput(f"not a plan text export: line {number} has {tabs + 1} TAB-separated cells "
                                  f"(at most {limits.max_row_cells} in a table row)")
        if tabs:
            cells += tabs + 1
            if cells > limits.max_table_cells:
                raise UnreadableInput(f"not a plan text export: more than {limits.max_table_cells} table cells "
                                      f"(by line {number})")


def looks_complete(path: Path, tail_bytes: int = 2048) -> str | None:
    """None when the file looks whole, else why not: the evidence that a copy has not stalled half-way.

    An empty file is a copy that has not started. A file that begins like a PDF must end like one: %%EOF
    after startxref, and a cross-reference where startxref points (a copy cut short, or pre-allocated and
    still being filled with zeros, has neither). Other content gives no evidence either way.
    """
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(1024)
            if not head:
                return "empty file (a copy that has not started?)"
            if not head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
                return None
            size = handle.seek(0, 2)
            handle.seek(max(0, size - tail_bytes))
            tail = handle.read()
            matches = list(_STARTXREF.finditer(tail))
            if not matches:
                return f"incomplete PDF: no end-of-file marker (startxref ... %%EOF) in the last {tail_bytes} bytes"
            offset = int(matches[-1].group(1))
            if offset >= size:
                return f"incomplete PDF: startxref points past the end of the file ({offset} >= {size} bytes)"
            handle.seek(offset)
            at = handle.read(64).lstrip(b"\r\n\t ")
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if at.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", at):
        return None
    return f"incomplete PDF: no cross-reference at the offset startxref gives ({offset})"
