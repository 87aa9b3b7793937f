"""Test helper: a real PDF cut to some of its pages (a long report read only where a test looks)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractors.pipeline import process_file
from models import RecordSet

PAGES = Path("/tmp") / "plandata-test-pages"


def cut_pages(source: Path, pages: tuple[int, ...], folder: Path) -> Path:
    """A PDF holding only the given 1-based pages of source, in order (cached by content and pages)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(f"{source.resolve()}|{source.stat().st_size}|{pages}".encode()).hexdigest()[:16]
    target = folder / f"{source.stem}-{key}.pdf"
    if not target.exists():
        original = pdfium.PdfDocument(source)
        cut = pdfium.PdfDocument.new()
        cut.import_pages(original, [p - 1 for p in pages])
        cut.save(target)
        cut.close()
        original.close()
    return target


@cache
def page_records(pdf: Path, pages: tuple[int, ...]) -> RecordSet:
    """The records of the given 1-based pages of a real PDF cut into a document of their own (cached per
    test process); fails the test, naming the file, when the input is missing."""
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    return process_file(cut_pages(pdf, pages, PAGES))[1]
