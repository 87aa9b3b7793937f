"""OCR of scanned pages, on scanned renderings of real PDFs (tests/scans.py): the reference document at 300
and 200 dpi against the records of its text layer, a Finnish document, a PDF mixing text pages, scans and
invisible OCR layers, the cache, and a missing OCR installation.

OCR is slow (tens of seconds per page on a busy machine): results are cached across sessions in
.pytest_cache/plandata-ocr, keyed by each scan's sha256 (the renderings are deterministic) and by the OCR
reading code, so a change to that code reads the pages again.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from extractors.findings import figure_key as position, flagged_figures
from extractors.pdf.ocr import OcrSettings, tool_versions
from extractors.pdf.reader import read_pages
from extractors.pdf.scanned import is_scan
from extractors.pipeline import process_file
from flows.cli import main
from models import PlanDocument, RecordSet
from tests.scans import compare_figures, goal_similarity, scan_pdf
from tests.test_inspect import outlines

pytestmark = pytest.mark.usefixtures("ocr_tools")

REFERENCE = "reference/lovisa-stadskanslicentralen-2025-2027-sv.pdf"
LAPUA = "real/fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"
GOAL_TEXT_SIMILARITY = 0.97  # each text of every goal row, read by OCR, against the text layer's
Result = tuple[PlanDocument, RecordSet]


@pytest.fixture(scope="session")
def ocr_cache(repo_root: Path) -> Path:
    versions = tool_versions()
    folder = repo_root / ".pytest_cache" / "plandata-ocr" / f"tesseract-{versions['tesseract']}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scans")


@pytest.fixture(scope="session")
def reference(corpus_dir: Path) -> Result:
    return process_file(corpus_dir / REFERENCE)


@pytest.fixture(scope="session")
def scanned_reference(corpus_dir: Path, scans: Path, ocr_cache: Path) -> Callable[[int], Result]:
    """The reference PDF scanned at a resolution and read back by the pipeline with OCR."""
    done: dict[int, Result] = {}

    def read(dpi: int) -> Result:
        if dpi not in done:
            scan = scan_pdf(corpus_dir / REFERENCE, scans / f"reference-{dpi}.pdf", dpi)
            done[dpi] = process_file(scan, ocr=OcrSettings(cache_dir=ocr_cache))
        return done[dpi]

    return read


def test_300_dpi_reads_every_figure_and_goal_row(reference: Result, scanned_reference) -> None:
    _, truth = reference
    doc, read = scanned_reference(300)
    assert read.document.ocr_pages == len(doc.pages) == 10
    right, missed, wrong = compare_figures(truth.finance, read.finance)
    assert (missed, wrong) == ([], []), (missed, wrong)
    assert len(right) == len(truth.finance)
    assert all(f.source == "ocr" and f.confidence is not None for f in read.finance)
    assert len(read.goals) == len(truth.goals)
    for goal in truth.goals:
        best = max(goal_similarity(goal, row) for row in read.goals)
        assert best >= GOAL_TEXT_SIMILARITY, (goal.goal_id, best)
    assert {(u.name, u.level) for u in read.units} == {(u.name, u.level) for u in truth.units}


def test_200_dpi_reads_99_percent_of_the_figures_and_flags_every_wrong_one(reference: Result,
                                                                           scanned_reference) -> None:
    _, truth = reference
    _, read = scanned_reference(200)
    right, _, wrong = compare_figures(truth.finance, read.finance)
    assert len(right) >= 0.99 * len(truth.finance), len(right)
    flagged = flagged_figures(read.finance, read.validation)
    assert [f for f in wrong if position(f) not in flagged] == []


def test_a_scan_in_finnish_is_read_in_finnish(corpus_dir: Path, scans: Path, ocr_cache: Path) -> None:
    """No text page tells the language: one page is read with both languages first, then all in Finnish."""
    _, truth = process_file(corpus_dir / LAPUA)
    scan = scan_pdf(corpus_dir / LAPUA, scans / "lapua-300.pdf", 300, pages=[1, 2])
    doc, read = process_file(scan, ocr=OcrSettings(cache_dir=ocr_cache))
    assert read.document.language == "fi"
    assert "(fin," in next(i.message for i in doc.issues if i.code == "ocr")
    right, missed, wrong = compare_figures([f for f in truth.finance if f.page in (1, 2)], read.finance)
    assert (missed, wrong) == ([], []), (missed, wrong)
    assert len(right) > 60


def _layer_page(pdf: canvas.Canvas, image: Path, size: tuple[float, float], words: list[dict]) -> None:
    """A scanned page with an invisible text layer (render mode 3) of the given words over it."""
    width, height = size
    pdf.setPageSize(size)
    pdf.drawImage(ImageReader(str(image)), 0, 0, width, height)
    text = pdf.beginText()
    text.setTextRenderMode(3)
    for word in words:
        _place(text, word, height)
    pdf.drawText(text)
    pdf.showPage()


def _place(text: Any, word: dict, height: float) -> None:
    """Draw a word where the reader found it, stretched to its printed width."""
    size = max(float(word["bottom"] - word["top"]) * 0.8, 4.0)
    text.setFont("Helvetica", size)
    text.setHorizScale(100 * float(word["x1"] - word["x0"]) / max(stringWidth(word["text"], "Helvetica", size), 0.1))
    text.setTextOrigin(float(word["x0"]), height - float(word["bottom"]) + 0.2 * size)
    text.textOut(word["text"] + " ")  # the space keeps neighbouring words apart, as in the source


def _words(pdf: Path, number: int) -> list[dict]:
    """The words of a page as the reader reads them (digit groups apart, as printed)."""
    doc = PlanDocument(document_id="words", source_path=str(pdf), source_format="pdf")
    return [{"text": part, "x0": w.x0 + (w.x1 - w.x0) * i / len(w.text.split()),
             "x1": w.x0 + (w.x1 - w.x0) * (i + 1) / len(w.text.split()), "top": w.top, "bottom": w.bottom}
            for line in read_pages(pdf, doc)[number - 1].lines for w in line.words
            for i, part in enumerate(w.text.split())]


@pytest.fixture(scope="module")
def mixed_pdf(corpus_dir: Path, scans: Path) -> Path:
    """Page 1: text layer; 2: a scan without text; 3: a scan under a good invisible OCR layer; 4: a scan
    under an invisible layer of garbage. Made with reportlab from the reference's pages 1, 7, 2 and 8."""
    reference = corpus_dir / REFERENCE
    source = pdfium.PdfDocument(reference)
    images: dict[int, Path] = {}
    for number in (1, 7, 2, 8):
        image = source[number - 1].render(scale=200 / 72, grayscale=True).to_pil()
        images[number] = scans / f"mixed-{number}.png"
        image.save(images[number])
    size = source[0].get_size()
    source.close()
    layer, first = _words(reference, 2), _words(reference, 1)
    rng = random.Random(3)
    garbage = [{**w, "text": "".join(rng.choice("xqzjkvwy") for _ in w["text"])} for w in layer]
    target = scans / "mixed.pdf"
    pdf = canvas.Canvas(str(target), pagesize=size, invariant=1)
    pdf.setPageSize(size)
    text = pdf.beginText()
    for word in first:  # page 1 keeps its text, drawn visibly
        _place(text, word, size[1])
    pdf.drawText(text)
    pdf.showPage()
    pdf.setPageSize(size)
    pdf.drawImage(ImageReader(str(images[7])), 0, 0, *size)
    pdf.showPage()
    _layer_page(pdf, images[2], size, layer)
    _layer_page(pdf, images[8], size, garbage)
    pdf.save()
    return target


def test_only_pages_that_need_it_are_read_by_ocr(mixed_pdf: Path, ocr_cache: Path) -> None:
    pages = read_pages(mixed_pdf, PlanDocument(document_id="mixed", source_path=str(mixed_pdf), source_format="pdf"))
    assert [({w.source for ln in page.lines for w in ln.words}, is_scan(page)) for page in pages] == [
        ({"text"}, False), (set(), True), ({"ocr"}, True), ({"ocr"}, True)]
    doc, read = process_file(mixed_pdf, ocr=OcrSettings(cache_dir=ocr_cache))
    note = next(i.message for i in doc.issues if i.code == "ocr")
    assert note.startswith("2 page(s) read by OCR (swe") and "page 2: no text layer" in note
    assert "page 4: its OCR text layer reads poorly" in note
    assert not [i for i in doc.issues if i.code in ("ocr_picture_page", "ocr_no_text")]  # text pages, read
    assert [(p.source, p.confidence is not None) for p in doc.pages] == [
        ("text", False), ("ocr", True), ("ocr", False), ("ocr", True)]
    # page 3 kept its invisible layer: the reference's page 2 figures, marked as OCR without confidence
    page3 = [f for f in read.finance if f.page == 3]
    assert {f.amount for f in page3} >= {-1887887, -1935039, 30291}
    assert all(f.source == "ocr" and f.confidence is None for f in page3)
    # page 4 was read again: the garbage layer is gone, the reference's page 8 table is read
    assert {-929624, -1151466} <= {f.amount for f in read.finance if f.page == 4}


def test_a_re_run_reads_no_page_again(scanned_reference, corpus_dir: Path, scans: Path, ocr_cache: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _, first = scanned_reference(300)
    monkeypatch.setenv("PATH", "/nonexistent")  # no ocrmypdf, no tesseract: only the cache can answer
    tool_versions.cache_clear()
    doc, again = process_file(scans / "reference-300.pdf", ocr=OcrSettings(cache_dir=ocr_cache))
    assert "cached" in next(i.message for i in doc.issues if i.code == "ocr")
    assert again.finance == first.finance and again.goals == first.goals


def test_without_ocr_tools_a_scan_fails_with_the_packages_to_install(scans: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    scanned_reference) -> None:
    scanned_reference(300)
    monkeypatch.setenv("PATH", "/nonexistent")
    tool_versions.cache_clear()
    try:
        _, read = process_file(scans / "reference-300.pdf", ocr=OcrSettings(cache_dir=tmp_path))
    finally:
        tool_versions.cache_clear()
    assert read.document.status == "failed"
    assert "ocrmypdf is not installed" in read.document.message
    assert "tesseract-ocr-fin tesseract-ocr-swe" in read.document.message


def test_inspect_draws_a_scan_straightened(scanned_reference, scans: Path, ocr_cache: Path, tmp_path: Path) -> None:
    scanned_reference(300)
    os.symlink(ocr_cache, tmp_path / "ocr")  # OUT/ocr: the session's OCR cache
    assert main(["inspect", str(scans / "reference-300.pdf"), "--pages", "2,7", "--out", str(tmp_path)]) == 0
    folder = tmp_path / "inspect" / "reference-300.pdf"
    assert len(outlines(folder / "page-002.png")) == 2 and len(outlines(folder / "page-007.png")) == 1
    assert "read by OCR" in (folder / "page-002.txt").read_text(encoding="utf-8")


def test_a_picture_page_without_text_is_no_error(corpus_dir: Path, ocr_cache: Path) -> None:
    # Seinäjoki, Tilinpäätös 2024, p. 189: the back cover, a dark blue picture with a white line pattern
    # and no word on it
    from tests.pdf_pages import cut_pages
    page = cut_pages(corpus_dir / "real" / "fi_seinajoki_tilinpaatos_2024.pdf", (189,),
                     Path("/tmp") / "plandata-test-pages")
    doc, _ = process_file(page, ocr=OcrSettings(cache_dir=ocr_cache))
    assert [(i.code, i.severity, i.page) for i in doc.issues if i.code.startswith("ocr_")] == [
        ("ocr_picture_page", "info", 1)]


def test_without_ocr_tools_the_unread_picture_page_is_named(corpus_dir: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # Seinäjoki, Tilinpäätös 2024, p. 189 (page 1 of the cut): the dark blue back cover, one image, no word.
    # Without OCR the page is still not read (an error), but the finding names it and says it looks like
    # a picture
    from tests.pdf_pages import cut_pages
    page = cut_pages(corpus_dir / "real" / "fi_seinajoki_tilinpaatos_2024.pdf", (189,),
                     Path("/tmp") / "plandata-test-pages")
    monkeypatch.setenv("PATH", "/nonexistent")
    tool_versions.cache_clear()
    try:
        doc, _ = process_file(page, ocr=OcrSettings(cache_dir=tmp_path))
    finally:
        tool_versions.cache_clear()
    found = [i for i in doc.issues if i.code == "ocr_unavailable"]
    assert [(i.severity, i.page) for i in found] == [("error", 1)]
    assert "not read: page 1 (page 1 a picture: most of the page is ink" in found[0].message
