"""Memory flat in pages (issue 12): a long document's pages wait on disk between reading and layout.

The page store (extractors/pdf/store.py) holds the first pages and the scanned ones in memory and
pickles the rest; layout takes each page once. What is read must not depend on where a page waited:
a real document read with a store that sets nearly every page aside gives the same intermediate
document, furniture included, as one read all in memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import extractors.pdf.store as store_module
from extractors.pdf.furniture import page_margin
from extractors.pdf.reader import read_pages, read_pdf
from extractors.pdf.store import PageStore
from models import PlanDocument

SIMRISHAMN = "real/se_simrishamn_kfn_arsbokslut_2025.pdf"


def _doc(path: Path) -> PlanDocument:
    return PlanDocument(document_id="x", source_path=str(path), source_format="pdf")


def test_pages_set_aside_come_back_unchanged(corpus_dir: Path) -> None:
    path = corpus_dir / SIMRISHAMN
    pages = read_pages(path, _doc(path))
    with PageStore(keep=2) as store:
        for page in read_pages(path, _doc(path)):
            store.add(page)
        kept = [page.number for page in store.in_memory()]
        # the first two pages, then more until the OCR stage's language sample of 3000 words is in
        assert kept[:2] == [1, 2] and kept == list(range(1, len(kept) + 1))
        words = [sum(len(line.words) for line in page.lines) for page in pages]
        assert sum(words[:len(kept) - 1]) < store_module.SAMPLE_WORDS <= sum(words[:len(kept)])
        assert len(kept) < len(pages) == 37
        store.finish()
        for page in pages:  # the summaries the store made of its pages (they fill the lines' caches)
            page_margin(page.lines, page.height)
        assert list(store.pages()) == pages


def test_document_read_with_pages_on_disk_is_the_same(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus_dir / SIMRISHAMN
    in_memory = read_pdf(path, "x")
    monkeypatch.setattr(store_module, "IN_MEMORY_PAGES", 1)
    on_disk = read_pdf(path, "x")
    assert on_disk.model_dump() == in_memory.model_dump()
    # page 31 (set aside) prints the running footer "2025 ÅRSBOKSLUT 2026-02-01.DOCX ... SID 30 (36)"
    footer = " ".join(on_disk.pages[30].furniture).upper()
    assert "ÅRSBOKSLUT" in footer and "SID 30 (36)" in footer


def test_pages_read_from_a_reopened_document_are_the_same(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF is opened again every REOPEN_PAGES pages (PDFium's parsed objects freed): every page read after
    a reopening, every 3rd here, is what one opening reads."""
    import extractors.pdf.pages as pages_module

    path = corpus_dir / SIMRISHAMN
    monkeypatch.setattr(pages_module, "REOPEN_PAGES", 10_000)
    once = read_pages(path, _doc(path))
    monkeypatch.setattr(pages_module, "REOPEN_PAGES", 3)
    reopened = read_pages(path, _doc(path))
    assert len(once) == len(reopened) == 37
    assert reopened == once
    assert sum(len(page.lines) for page in once) > 500  # the pages hold text: the comparison says something


def test_tables_are_built_as_the_pages_go_and_the_same_as_at_the_end(corpus_dir: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Layout builds a table (and lets its region go) once no later table can be joined to it, a page after,
    not every table at the end; the document is the one stitching everything at the end makes."""
    import extractors.pdf.reader as reader_module
    from extractors.pdf.stitch import Stitcher

    path = corpus_dir / SIMRISHAMN
    laid_out, built_after = [0], []
    page_graphics, build_table = reader_module.page_graphics, reader_module.build_table

    def counted_graphics(page):  # type: ignore[no-untyped-def]
        laid_out[0] += 1
        return page_graphics(page)

    def recorded_build(region, table_id):  # type: ignore[no-untyped-def]
        built_after.append(laid_out[0])
        return build_table(region, table_id)

    monkeypatch.setattr(reader_module, "page_graphics", counted_graphics)
    monkeypatch.setattr(reader_module, "build_table", recorded_build)
    as_they_go = read_pdf(path, "x")
    assert laid_out[0] == 37 and len(built_after) >= 10
    assert built_after == sorted(built_after) and built_after[0] < 37 and sum(b < 37 for b in built_after) >= 5
    monkeypatch.setattr(Stitcher, "settled_count", lambda self: self.handed)  # nothing settles before the end
    built_after.clear()
    laid_out[0] = 0
    at_the_end = read_pdf(path, "x")
    assert set(built_after) == {37}
    assert at_the_end.model_dump() == as_they_go.model_dump()
