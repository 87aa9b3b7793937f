"""Test helper: a real PDF cut to some of its pages (a long report read only where a test looks)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdfium2 as pdfium


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
