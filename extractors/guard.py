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
would look complete; the caller records it (extractors.pdf.damage). While it inflates, it also checks the
content-stream syntax of the streams that can be page content (`SourceCheck.clean_content`: the streams
extractors.patterns.PDF_CLEAN_CONTENT matches whole), so that the syntax check of extractors.pdf.damage
decodes again only the pages this pass could not clear. An encrypted PDF's streams are not
inflated (they are ciphertext). `looks_complete` is the evidence a watched inbox needs before it takes a
file: not empty and, for a PDF, its end-of-file marker and a cross-reference where `startxref` says.
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractors.errors import UnreadableInput
from extractors.patterns import (
    PDF_CLEAN_CONTENT,
    PDF_ENCRYPT,
    PDF_FILTER,
    PDF_FIRST_FILTER_FLATE,
    PDF_HEADER_BEFORE,
    PDF_IMAGE,
    PDF_INDIRECT_LENGTH,
    PDF_LENGTH,
    PDF_NOT_CONTENT,
    PDF_NUMBER_OBJECT,
    PDF_OBJ,
    PDF_OBJECT_HEADER,
    PDF_OBJECT_STREAM,
    PDF_ONLY_FLATE,
    PDF_PAGE,
    PDF_STARTXREF,
)

MAX_DEFLATE_RATIO = 1032  # the most a deflate stream can expand (RFC 1951: 258-byte matches of 2 bits)
INFLATE_CHUNK = 1 << 20

MAX_CONTENT_BYTES = 16 << 20  # of one stream checked here (extractors.pdf.damage checks that much of a page)


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
    # object number -> decoded size of each stream found free of content-syntax problems
    clean_content: dict[int, int] = field(default_factory=dict)


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
        clean: dict[int, int] = {}
        pages, damaged = check_pdf_streams(data, limits, clean)
        return SourceCheck("pdf", pages, tuple(damaged), clean)
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
    length = PDF_LENGTH.search(dictionary)
    problem = None
    if length is not None:
        end = start + int(length.group(1))
        if data[end:end + 12].lstrip(b"\r\n ").startswith(b"endstream"):
            return end, None
        problem = f"its /Length ({int(length.group(1))}) does not end at endstream (bytes cut out or added)"
    end = data.find(b"endstream", start)
    return (len(data) if end < 0 else end), problem


def _inflate(raw: bytes, limit: int, count_pages: bool,
             kept: list[bytes] | None = None) -> tuple[int, int, str | None, int]:
    """(inflated size, stopping just past limit; page objects seen when count_pages; why the data is damaged
    or None; bytes of raw past the end of the deflate data). Damaged data ends it. The first MAX_CONTENT_BYTES
    inflated go to kept when it is given.

    Inflates piecewise into a bounded buffer, so memory stays about INFLATE_CHUNK whatever the stream holds
    (plus what kept holds).
    """
    inflater = zlib.decompressobj()
    total, pages, pending, carry = 0, 0, raw, b""
    try:
        while pending:
            out = inflater.decompress(pending, INFLATE_CHUNK)
            if kept is not None and total < MAX_CONTENT_BYTES:
                kept.append(out)
            total += len(out)
            if count_pages:
                window = carry + out
                pages += len(PDF_PAGE.findall(window)) - len(PDF_PAGE.findall(carry))
                carry = window[-32:]
            if total > limit or (not out and inflater.unconsumed_tail == pending):
                break
            pending = inflater.unconsumed_tail
    except zlib.error as exc:
        return total, pages, f"does not inflate ({str(exc).removeprefix('Error -3 while decompressing data: ')})", 0
    if total <= limit and not inflater.eof:
        return total, pages, "ends before its compressed data does (cut short)", 0
    return total, pages, None, len(inflater.unused_data)


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


class _Headers:
    """Every `N G obj` header of the file, in one pass: the object number of the last one before a position
    (which stream is which object, for clean_content: a stream taken for the wrong object makes that number
    seen twice, or names no stream of a page, so it never clears a page wrongly)."""

    def __init__(self, data: bytes) -> None:
        self.ends: list[int] = []
        self.numbers: list[int] = []
        for keyword in PDF_OBJ.finditer(data):  # the keyword first: a header regex tried at every digit is slow
            header = PDF_HEADER_BEFORE.search(data, max(0, keyword.start() - 48), keyword.end())
            if header is not None:
                self.ends.append(header.end())
                self.numbers.append(int(header.group(1)))

    def number_before(self, position: int) -> int | None:
        index = bisect.bisect_right(self.ends, position) - 1
        return self.numbers[index] if index >= 0 else None


def _object_number(data: bytes, start: int) -> int | None:
    headers = list(PDF_OBJECT_HEADER.finditer(data, max(0, start - 4096), start))
    return int(headers[-1].group(1)) if headers else None


def _number_objects(data: bytes) -> dict[bytes, int | None]:
    """b'N G' -> the number an object defined as a bare number holds (None when it is defined twice)."""
    numbers: dict[bytes, int | None] = {}
    for match in PDF_NUMBER_OBJECT.finditer(data):
        key = match.group(1) + b" " + match.group(2)
        numbers[key] = None if key in numbers else int(match.group(3))
    return numbers


def _length(data: bytes, start: int, end: int, dictionary: bytes,
            numbers: Callable[[], dict[bytes, int | None]]) -> int | None:
    """The stream's /Length, direct or in an object defined once as a bare number (numbers), when its data then
    ends where `endstream` follows (only white-space between); else None: its data as a reader takes it is
    not known here."""
    direct = PDF_LENGTH.search(dictionary)
    if direct is not None:
        length = int(direct.group(1))
    else:
        indirect = PDF_INDIRECT_LENGTH.search(dictionary)
        found = numbers().get(indirect.group(1) + b" " + indirect.group(2)) if indirect is not None else None
        if found is None:
            return None
        length = found
    return length if start + length <= end and not data[start + length:end].strip(b"\x00\t\n\x0c\r ") else None


def _content_candidate(dictionary: bytes) -> bool | None:
    """None: the stream cannot be page content or is filtered otherwise than by deflate alone; True: it is
    deflated; False: it is not filtered."""
    if PDF_NOT_CONTENT.search(dictionary):
        return None
    if not PDF_FILTER.search(dictionary):
        return False
    return True if PDF_ONLY_FLATE.search(dictionary) else None


def check_pdf_streams(data: bytes, limits: SourceLimits,
                      clean_content: dict[int, int] | None = None) -> tuple[int, list[DamagedStream]]:
    """Refuse a stream that inflates past the limit; returns (the estimated number of pages, damaged streams).

    clean_content, when given, receives object number -> decoded size of each stream that can be page content
    and that PDF_CLEAN_CONTENT matches whole (an object number seen twice, as in an incremental update, is
    left out: which version a reader takes is not decided here).
    """
    pages = len(PDF_PAGE.findall(data))
    encrypted = PDF_ENCRYPT.search(data[-65536:]) is not None or PDF_ENCRYPT.search(data) is not None
    damaged: list[DamagedStream] = []
    seen: set[int] = set()
    headers = _Headers(data) if clean_content is not None else None
    numbers: dict[bytes, int | None] | None = None

    def number_objects() -> dict[bytes, int | None]:
        nonlocal numbers
        numbers = _number_objects(data) if numbers is None else numbers
        return numbers

    for number, (start, end, dictionary, length_problem) in enumerate(_streams(data), start=1):
        if length_problem and not encrypted:
            damaged.append(DamagedStream(_object_number(data, start), start, length_problem))
        candidate, length = None, None
        object_number = headers.number_before(start) if headers is not None else None
        if clean_content is not None and object_number is not None:
            if object_number in seen:  # a second version (an update): neither is known clean
                clean_content.pop(object_number, None)
            else:
                seen.add(object_number)
                candidate = None if encrypted or length_problem else _content_candidate(dictionary)
                length = _length(data, start, end, dictionary, number_objects) if candidate is not None else None
                candidate = None if length is None else candidate
        kept: list[bytes] | None = [] if candidate else None
        if (candidate is False and length is not None and length <= MAX_CONTENT_BYTES and object_number is not None
                and clean_content is not None and PDF_CLEAN_CONTENT.fullmatch(data, start, start + length)):
            clean_content[object_number] = length
        if not PDF_FIRST_FILTER_FLATE.search(dictionary) or PDF_IMAGE.search(dictionary):
            continue
        object_stream = bool(PDF_OBJECT_STREAM.search(dictionary))
        if encrypted and (end - start) * MAX_DEFLATE_RATIO <= limits.max_inflated_bytes and not object_stream:
            continue  # cannot reach the limit, and its ciphertext tells nothing of damage
        inflated, found, problem, unused = _inflate(data[start:end], limits.max_inflated_bytes,
                                                    count_pages=object_stream, kept=kept)
        if (kept is not None and problem is None and inflated <= MAX_CONTENT_BYTES and object_number is not None
                and length is not None and unused >= end - start - length  # the deflate data ends within /Length
                and clean_content is not None and PDF_CLEAN_CONTENT.fullmatch(content := b"".join(kept))):
            clean_content[object_number] = len(content)
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
            matches = list(PDF_STARTXREF.finditer(tail))
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
