"""Scanned-page stage: find the pages of a PDF that need OCR, read them (extractors.pdf.ocr) and mark
everything read by OCR on the intermediate document.

A page needs OCR when a raster image covers most of it and it has no text layer, or when its only text is
an invisible OCR layer (text render mode 3 over an image, as OCR tools lay over a scan: the character
layer keeps such words with `source = 'ocr'`) that reads poorly: fewer than GOOD_LAYER_SHARE of its words
are words of the document's language (the lemmatizer's vocabulary) or numbers. A good invisible layer is
kept (its confidences are unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

import numpy as np
import pypdfium2 as pdfium

from extractors.layout import detect_language
from extractors.pdf.lines import Word, group_lines
from extractors.pdf.ocr import OcrSettings, OcrUnavailable, read_by_ocr
from extractors.pdf.ocr_words import PICTURE_INK_SHARE, OcrPage
from extractors.pdf.page import PageContent, Rule
from extractors.pdf.prepare import ink_of
from models import BBox, Block, PlanDocument

STAGE = "ocr"
SCAN_IMAGE_SHARE = 0.5  # an image covering this share of the page makes it a scan
GOOD_LAYER_SHARE = 0.6
MIN_LAYER_WORDS = 5  # fewer words than this say nothing about a layer's quality
MAX_LISTED = 20  # scanned pages named in a finding (and measured for ink) at most
INK_SCALE = 0.25  # pixels per point of the page rendered to measure its ink (18 dpi)


@dataclass
class ScanReading:
    """The pages read by OCR (or kept from an invisible OCR layer), for marking the document afterwards."""

    words: dict[int, list[Word]] = field(default_factory=dict)


def is_scan(page: PageContent) -> bool:
    """An image covers most of the page and no word is drawn visibly (an invisible OCR layer may lie over it:
    the character layer marks its words `source = 'ocr'`)."""
    return page.image_coverage >= SCAN_IMAGE_SHARE and \
        not any(w.source == "text" for line in page.lines for w in line.words)


def layer_quality(words: list[str], language: str | None) -> float:
    """Share of a text layer's words that are numbers or words of the language (1.0 for too few words)."""
    from extractors.nlp.repair import known  # the lemmatizer's vocabulary (loaded only for such pages)

    tokens = [w.strip(".,;:()[]!?\"'") for w in words]
    tokens = [t for t in tokens if len(t) >= 3 or t.isdigit()]
    if len(tokens) < MIN_LAYER_WORDS:
        return 1.0
    languages = [language] if language in ("sv", "fi") else ["sv", "fi"]
    good = sum(1 for t in tokens if any(ch.isdigit() for ch in t) and not any(ch.isalpha() for ch in t)
               or any(known(t, lang) for lang in languages))
    return good / len(tokens)


def pages_to_read(pages: list[PageContent], language: str | None) -> dict[int, str]:
    """page number -> why it needs OCR."""
    wanted: dict[int, str] = {}
    for page in pages:
        if not is_scan(page):
            continue
        if not page.lines:
            wanted[page.number] = "no text layer"
            continue
        quality = layer_quality([w.text for ln in page.lines for w in ln.words], language)
        if quality < GOOD_LAYER_SHARE:
            wanted[page.number] = f"its OCR text layer reads poorly ({quality:.0%} known words)"
    return wanted


def _words(page: OcrPage) -> list[Word]:
    return [Word(text=w.text, x0=w.x0, x1=w.x1, top=w.top, bottom=w.bottom, size=w.size, bold=w.bold,
                 italic=w.italic, source="ocr", confidence=w.confidence) for w in page.words]


def read_scanned_pages(doc: PlanDocument, pages: list[PageContent], path: Path,
                       settings: OcrSettings | None) -> ScanReading:
    """Replace the lines and rules of the pages that need OCR by what OCR reads (in place); pages with a good
    invisible OCR layer keep their words. Records issues on doc (OCR missing or failing is an error naming
    the Debian packages). settings None: OCR is not run (scanned pages stay empty)."""
    reading = ScanReading()
    texts = [w.text for page in pages if not is_scan(page) for ln in page.lines for w in ln.words]
    language = detect_language(" ".join(texts[:3000])) if texts else None
    wanted = pages_to_read(pages, language)
    for page in pages:
        if is_scan(page) and page.lines and page.number not in wanted:
            reading.words[page.number] = [w for ln in page.lines for w in ln.words]
            _mark_page(doc, page.number, None, None)
    if not wanted:
        return reading
    numbers = sorted(wanted)
    if settings is None:
        doc.add_issue("ocr_not_run", STAGE, f"{len(wanted)} scanned page(s) were not read: OCR is off; "
                      f"{unread_pages(path, numbers)}", severity="error", page=numbers[0])
        return reading
    by_number = {page.number: page for page in pages}
    sizes = {number: (by_number[number].width, by_number[number].height) for number in numbers}
    if settings.on_pages is not None:
        settings.on_pages(len(numbers))
    try:
        result = read_by_ocr(path, doc.document_id, numbers, sizes, settings, detect_language, language)
    except (OcrUnavailable, OSError, ValueError) as exc:
        doc.add_issue("ocr_unavailable", STAGE, f"{len(numbers)} scanned page(s) need OCR, which failed: {exc}; "
                      f"{unread_pages(path, numbers)}", severity="error", page=numbers[0])
        return reading
    for number in numbers:
        read = result.pages.get(number, OcrPage(number=number))
        page = by_number[number]
        page.lines = group_lines(_words(read), number)
        page.rules_h = [Rule(x0=x0, top=y, x1=x1, bottom=y) for x0, y, x1 in read.rules]
        reading.words[number] = [w for ln in page.lines for w in ln.words]
        _mark_page(doc, number, read.confidence, read.skew_degrees)
        if not page.lines and read.picture:
            doc.add_issue("ocr_picture_page", STAGE, f"page {number}: a picture (most of the page is ink) on which "
                          "OCR read no text", severity="info", page=number)
        elif not page.lines and not read.blank:
            doc.add_issue("ocr_no_text", STAGE, f"page {number}: OCR read no text on a page that is not blank "
                          "(Tesseract gave up or the scan is unreadable)", severity="error", page=number)
    doc.issues = [i for i in doc.issues if not (i.code == "no_text_layer" and i.page in wanted)]
    confidences = [p.confidence for p in result.pages.values() if p.confidence is not None]
    doc.add_issue("ocr", STAGE, f"{len(numbers)} page(s) read by OCR ({'+'.join(result.languages)}"
                  f"{', cached' if result.cached else f', {result.seconds:.1f} s'}"
                  f"{f', mean word confidence {mean(confidences):.1f}' if confidences else ''}): "
                  f"{'; '.join(f'page {n}: {wanted[n]}' for n in numbers[:5])}{' …' if len(numbers) > 5 else ''}",
                  severity="info")
    return reading


def unread_pages(path: Path, numbers: list[int]) -> str:
    """Which scanned pages OCR could not read ('not read: page 189'), and which of them look like a picture
    (more than PICTURE_INK_SHARE of the rendered page is ink, `extractors.pdf.prepare.ink_of`: a coloured
    cover, Seinäjoki's back cover p. 189, about 80 %). Such a page still counts as not read: only OCR can
    tell that no text is printed on it (a cover picture may carry a title)."""
    listed = ", ".join(str(n) for n in numbers[:MAX_LISTED]) + (" …" if len(numbers) > MAX_LISTED else "")
    text = f"not read: page{'s' if len(numbers) > 1 else ''} {listed}"
    pictures = [n for n in numbers[:MAX_LISTED] if (ink := ink_share(path, n)) is not None and ink > PICTURE_INK_SHARE]
    if pictures:
        text += f" (page{'s' if len(pictures) > 1 else ''} {', '.join(map(str, pictures))} " \
                "a picture: most of the page is ink, it may hold no text)"
    return text


def ink_share(path: Path, number: int) -> float | None:
    """Share (0-1) of the pixels of the rendered page (1-based number) that are ink; None when PDFium cannot
    render it."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return None
    try:
        grey = np.asarray(pdf[number - 1].render(scale=INK_SCALE).to_pil().convert("L"))
    except (pdfium.PdfiumError, IndexError, ValueError):
        return None
    finally:
        pdf.close()
    return float(ink_of(grey).mean())


def _mark_page(doc: PlanDocument, number: int, confidence: float | None, skew: float | None) -> None:
    for info in doc.pages:
        if info.number == number:
            info.source, info.confidence, info.skew_degrees = "ocr", confidence, skew


def _inside(word: Word, box: BBox) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box.x0 - 1 <= cx <= box.x1 + 1 and box.top - 1 <= cy <= box.bottom + 1


def _confidences(words: list[Word], box: BBox | None) -> list[float]:
    if box is None:
        return []
    return [w.confidence for w in words if w.confidence is not None and _inside(w, box)]


def mark_ocr(doc: PlanDocument, reading: ScanReading) -> None:
    """Blocks and cells on OCR pages get source 'ocr' and a confidence: a block the mean of its words',
    a cell the lowest of its words' (one misread digit group spoils an amount).
    (Table rows that a misread amount pushed out of their table are found by extractors.completeness.)
    """
    if not reading.words:
        return
    for item in doc.items:
        if isinstance(item, Block):
            words = reading.words.get(item.prov.page or 0)
            if words is not None:
                found = _confidences(words, item.prov.bbox)
                item.source, item.confidence = "ocr", round(mean(found), 1) if found else None
            continue
        for cell in item.header + [c for row in item.rows for c in row.cells]:
            page = cell.prov.page or item.prov.page
            words = reading.words.get(page or 0)
            if words is not None:
                found = _confidences(words, cell.prov.bbox)
                cell.source, cell.confidence = "ocr", min(found) if found else None
