"""Damage the PDF readers skip silently is recorded per page and makes the document partial, never ok; an
unusable page box is read as a page of plausible size, so layout rules do not scale with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.guard import check_source
from extractors.pipeline import build_records, load_document
from models import RecordSet
from tests import hostile_pdf as hp

REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
# The reference PDF's page tree (read from its bytes): /Kids [1 0 R 4 0 R ...], page 2 is object 4, whose
# /Contents is object 5, a deflated stream.
PAGE_2_CONTENT = 5


def _records(path: Path) -> RecordSet:
    return build_records(load_document(path, ocr=None))


def _figures(records: RecordSet) -> list[tuple[object, ...]]:
    return sorted((f.page, f.line_key, f.year, f.figure_kind, f.amount) for f in records.finance)


@pytest.fixture(scope="module")
def reference(samples_dir: Path) -> bytes:
    return (samples_dir / REFERENCE_PDF).read_bytes()


@pytest.fixture(scope="module")
def reference_alone(samples_dir: Path) -> RecordSet:
    return _records(samples_dir / REFERENCE_PDF)


def _stream_span(data: bytes, number: int) -> tuple[int, int]:
    header = re.search(rb"(?<![0-9])%d 0 obj" % number, data)
    assert header is not None
    start = re.compile(rb"stream\r?\n").search(data, header.end())
    assert start is not None
    return start.end(), data.index(b"endstream", start.end())


def _damage_issues(records: RecordSet) -> list[tuple[int | None, str]]:
    return [(issue.page, issue.message) for issue in records.issues if issue.code == "damaged_stream"]


def test_bytes_cut_out_of_a_content_stream_make_its_page_partial(tmp_path: Path, reference: bytes,
                                                                   reference_alone: RecordSet) -> None:
    start, end = _stream_span(reference, PAGE_2_CONTENT)
    middle = (start + end) // 2
    path = tmp_path / "cut.pdf"
    path.write_bytes(reference[:middle] + reference[middle + 946:])

    records = _records(path)

    found = _damage_issues(records)
    assert [page for page, _ in found] == [2]
    assert f"object {PAGE_2_CONTENT}" in found[0][1] and "does not inflate" in found[0][1]
    assert all(issue.severity == "error" for issue in records.issues if issue.code == "damaged_stream")
    assert records.document.status == "partial" and "page 2: its content stream" in records.document.message
    # the other pages are read as they are without the damage
    assert [f for f in _figures(records) if f[0] != 2] == [f for f in _figures(reference_alone) if f[0] != 2]


def test_a_flipped_checksum_byte_is_damage_too(tmp_path: Path, reference: bytes) -> None:
    start, end = _stream_span(reference, PAGE_2_CONTENT)
    data = bytearray(reference)
    data[end - 2] ^= 0x01  # inside the stream's Adler-32 checksum (the byte before the end-of-line)
    path = tmp_path / "flipped.pdf"
    path.write_bytes(bytes(data))

    records = _records(path)

    found = _damage_issues(records)
    assert [page for page, _ in found] == [2] and "incorrect data check" in found[0][1]
    assert records.document.status == "partial"


def test_an_uncompressed_stream_that_lost_bytes_is_found_by_its_length(tmp_path: Path) -> None:
    lines = hp.SAMPLE_LINES
    data = hp.page_pdf([hp.text_content(lines), hp.text_content(lines)], compress=False)
    start, end = _stream_span(data, 7)  # objects: catalog, pages, font, page 1, its content, page 2, its content
    path = tmp_path / "short.pdf"
    path.write_bytes(data[:start + 10] + data[start + 30:])

    records = _records(path)

    found = _damage_issues(records)
    assert [page for page, _ in found] == [2] and "/Length" in found[0][1]
    assert records.document.status == "partial"


def test_sound_pdfs_show_no_damage(samples_dir: Path, corpus_dir: Path, tmp_path: Path) -> None:
    pdfs = sorted(samples_dir.glob("*.pdf")) + sorted(corpus_dir.rglob("*.pdf"))
    assert len(pdfs) >= 10
    assert {path.name: check_source(path).damaged for path in pdfs} == {path.name: () for path in pdfs}
    encrypted = tmp_path / "encrypted.pdf"  # readable without a password; its streams are ciphertext
    encrypted.write_bytes(hp.encrypted_pdf_bytes(user_password=b""))
    assert check_source(encrypted).damaged == ()


def test_absurd_page_boxes_are_read_as_pages_of_plausible_size(tmp_path: Path, reference: bytes,
                                                               reference_alone: RecordSet) -> None:
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox [0 0 10000000 10000000]", reference))
    records = _records(huge)
    boxes = [issue for issue in records.issues if issue.code == "page_box_unusable"]
    assert [issue.page for issue in boxes] == list(range(1, 11))
    assert all(issue.severity == "error" and "595 x 842 pt" in issue.message for issue in boxes)
    assert records.document.status == "partial"
    assert _figures(records) == _figures(reference_alone)  # no layout rule scaled with the box

    three = tmp_path / "three.pdf"  # one page box of three numbers: that page only
    three.write_bytes(re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox [0 0 595]", reference, count=1))
    records = _records(three)
    assert [issue.page for issue in records.issues if issue.code == "page_box_unusable"] == [1]
    assert records.document.status == "partial"
    assert _figures(records) == _figures(reference_alone)


def test_a_text_export_with_a_block_of_nul_bytes_is_partial_and_keeps_its_figures(samples_dir: Path,
                                                                                   tmp_path: Path) -> None:
    """A half-written or damaged copy of a text export (4 KiB of NUL bytes in the middle) is not `ok`: the
    issue names the line; the figures on either side are read as from the whole file."""
    source = samples_dir / "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
    raw = source.read_bytes()
    cut = raw.index(b"\n", len(raw) // 2) + 1
    damaged = tmp_path / source.name
    damaged.write_bytes(raw[:cut] + b"\x00" * 4096 + raw[cut:])
    whole, hurt = _records(source), _records(damaged)
    assert whole.document.status == "ok"
    assert hurt.document.status == "partial"
    issues = [i for i in hurt.issues if i.code == "damaged_text"]
    assert len(issues) == 1 and issues[0].severity == "error" and "NUL bytes" in issues[0].message
    assert _figures(hurt) == _figures(whole)
