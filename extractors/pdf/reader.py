"""PDF stage: read a PDF into a PlanDocument (blocks, stitched tables, furniture, provenance)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extractors.layout import detect_language
from extractors.pdf.blocks import lines_to_blocks, median_size
from extractors.pdf.furniture import find_furniture
from extractors.pdf.frames import (
    Frame,
    continues,
    find_frames,
    frame_table,
    is_stacked,
    is_two_column_text,
    merge_continuation,
)
from extractors.pdf.lines import Line
from extractors.pdf.marks import page_marks
from extractors.pdf.ocr import OcrSettings
from extractors.pdf.page import PageContent
from extractors.pdf.pages import iter_pages, open_pdf
from extractors.pdf.continuation import continue_header, continue_region
from extractors.pdf.regions import Region, find_regions
from extractors.pdf.scanned import ScanReading, mark_ocr, read_scanned_pages
from extractors.pdf.store import PageStore
from extractors.pdf.tables import finance_table, goal_table
from extractors.pipeline import UnreadableInput
from models import Block, DocumentStatus, PageInfo, PlanDocument

STAGE = "pdf"


def read_pages(path: Path, doc: PlanDocument) -> list[PageContent]:
    """Every page of the PDF as a PageContent (see `extractors/pdf/page.py`), read with PDFium.

    Page-level damage becomes an issue on `doc` (the page is empty, the others are read); a file
    that cannot be opened raises UnreadableInput.
    """
    return list(_read_pages(path, doc))


def _read_pages(path: Path, doc: PlanDocument) -> Iterator[PageContent]:
    """The pages of read_pages one at a time (each page's PageInfo and issues recorded on doc)."""
    pdf = open_pdf(path)
    try:
        if len(pdf) == 0:
            raise UnreadableInput("PDF has no pages")
        for content in iter_pages(pdf):
            number = content.number
            for code, message in content.issues:
                doc.add_issue(code, STAGE, message, severity="error",
                              page=number)
            readable = not any(code == "page_unreadable" for code, _ in content.issues)
            doc.pages.append(PageInfo(number=number, width=content.width if readable else None,
                                      height=content.height if readable else None, has_text=bool(content.lines),
                                      marks=page_marks(content) if readable else []))
            if readable and not content.lines and content.images:
                doc.add_issue("no_text_layer", STAGE, f"page {number} is an image without a text layer "
                              "(scanned page)", page=number)
            if content.ocr_words:
                doc.add_issue("ocr_text_layer", STAGE, f"page {number}: {content.ocr_words} words read from an "
                              "invisible text layer over an image (OCR)", severity="info", page=number)
            yield content
    finally:
        pdf.close()


def read_pdf(path: Path, document_id: str, ocr: OcrSettings | None = None) -> PlanDocument:
    """Read a PDF into the IR; pages without a usable text layer are read by OCR with the given settings
    (None: not read)."""
    doc = PlanDocument(document_id=document_id, source_path=str(path), source_format="pdf")
    with PageStore() as store:
        try:
            for page in _read_pages(path, doc):
                store.add(page)
        except UnreadableInput:
            raise
        except Exception as exc:
            raise UnreadableInput(f"cannot read PDF ({type(exc).__name__}: {str(exc)[:200]})") from exc
        scan = read_scanned_pages(doc, store.in_memory(), path, ocr)
        return _lay_out(doc, store, scan)


def _lay_out(doc: PlanDocument, store: PageStore, scan: ScanReading) -> PlanDocument:
    """Furniture set aside, ruled frames claimed, tables found and stitched, the rest as blocks; the
    store's pages are taken (and released) one at a time."""
    margins = store.finish()
    furniture = find_furniture(margins)
    for margin, skip, info in zip(margins, furniture, doc.pages, strict=True):
        lines = [line for index, line in margin.margin if index in skip]
        info.furniture = [line.text for line in lines]
        info.furniture_boxes = [line.bbox.rounded() for line in lines]
    sizes = store.body_sizes(furniture)
    if not sizes:  # no content line (every line has words)
        doc.status = DocumentStatus.failed
        ocr_errors = [i.message for i in doc.issues if i.stage == "ocr" and i.severity == "error"]
        doc.message = f"PDF has no text: {ocr_errors[0]}" if ocr_errors else "PDF has no text layer, and OCR found none"
        doc.add_issue("no_text", STAGE, doc.message, severity="error")
        return doc
    doc.language = detect_language(" ".join(store.head_lines(furniture)))
    base = median_size(sizes)
    previous: list[Line] = []
    sequence: list[Block | Region | Frame] = []
    for page, skip in zip(store.pages(), furniture, strict=True):
        page_lines = [ln for i, ln in enumerate(page.lines) if i not in skip]
        rules = page.rules
        page_items: list[Block | Region | Frame] = []
        frames, lines = _claim_frames(page, page_lines, sequence, previous)
        previous = page_lines
        if sequence and isinstance(sequence[-1], Region) and lines:
            lines = lines[continue_header(lines, sequence[-1]):]
            continued = continue_region(lines, sequence[-1], doc.language) if lines else 0
            if continued:
                open_region = sequence[-1]
                open_region.page_columns[lines[0].page] = open_region.columns_for(
                    (open_region.body or open_region.header_lines)[-1].page)
                open_region.body += lines[:continued]
                open_region.continued = True
                lines = lines[continued:]
        cursor = 0
        for first, end, region in find_regions(lines, doc.language, rules):
            page_items += lines_to_blocks(lines[cursor:first], base)
            region.rules = {lines[first].page: rules} if rules else {}
            page_items.append(region)
            cursor = end
        page_items += lines_to_blocks(lines[cursor:], base)
        sequence += _place_frames(page_items, frames)
    stitched = stitch(sequence)
    counter = 0
    for item in stitched:
        if isinstance(item, Region):
            counter += 1
            table_id = f"t{counter}"
            doc.items.append(finance_table(item, table_id, doc.language) if item.kind == "finance"
                             else goal_table(item, table_id))
        elif isinstance(item, Frame):
            counter += 1
            doc.items.append(frame_table(item, f"t{counter}"))
        else:
            doc.items.append(item)
    mark_ocr(doc, scan)
    doc.title = next((t for p in doc.pages for t in p.furniture if not t.strip().isdigit()), None) or \
        next((b.text for b in doc.blocks() if b.kind in ("heading", "title")), None)
    return doc


def _claim_frames(page: PageContent, lines: list[Line], sequence: list,
                  previous_lines: list[Line]) -> tuple[list[Frame], list[Line]]:
    """The page's stacked ruled frames (see `extractors/pdf/frames.py`) and the lines left outside them.

    A frame first on its page that goes on with a frame that ended the page before is joined to it and not
    returned again; no text may stand between them but a running header (a line printed at the same place
    on the page before)."""
    claimed: list[Frame] = []
    running = {(ln.text, round(ln.top)) for ln in previous_lines}
    for frame in find_frames(page, lines):
        previous = sequence[-1] if sequence else None
        inside = {id(ln) for ln in frame.lines}
        first = not claimed and not any(ln.bottom <= frame.top and (ln.text, round(ln.top)) not in running
                                        for ln in lines if id(ln) not in inside)
        if first and isinstance(previous, Frame) and continues(previous, frame):
            merge_continuation(previous, frame)
        elif is_stacked(frame) or is_two_column_text(frame):
            claimed.append(frame)
        else:
            continue
        lines = [ln for ln in lines if id(ln) not in inside]
    return claimed, lines


def _place_frames(items: list, frames: list[Frame]) -> list:
    """The page's items with each frame placed before the first item below its top."""
    out = list(items)
    for frame in frames:
        index = next((i for i, item in enumerate(out) if _top(item) > frame.top), len(out))
        out.insert(index, frame)
    return out


def _top(item: Block | Region | Frame) -> float:
    if isinstance(item, Frame):
        return item.top
    if isinstance(item, Region):
        return (item.header_lines or item.body)[0].top
    return item.prov.bbox.top if item.prov.bbox else 0.0


def stitch(sequence: list[Block | Region | Frame]) -> list[Block | Region | Frame]:
    """A table continued on the next page under a repeated header becomes one table."""
    out: list[Block | Region | Frame] = []
    for item in sequence:
        prev = out[-1] if out else None
        if (isinstance(item, Region) and isinstance(prev, Region) and prev.kind == item.kind
                and item.body and prev.body and item.body[0].page == prev.body[-1].page + 1
                and prev.header_key() == item.header_key()
                and " ".join(s.text for s in prev.label_header) == " ".join(s.text for s in item.label_header)):
            prev.body += item.body
            for line in item.body:
                prev.page_columns.setdefault(line.page, item.columns)
            for page, rules in item.rules.items():
                prev.rules[page] = rules
            prev.continued = True
            continue
        out.append(item)
    return out
