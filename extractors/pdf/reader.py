"""PDF stage: read a PDF into a PlanDocument (blocks, stitched tables, furniture, provenance)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extractors.layout import detect_language
from extractors.patterns import FILE_NAME
from extractors.pdf.blocks import lines_to_blocks, median_size
from extractors.pdf.furniture import find_furniture
from extractors.pdf.frame_table import frame_table
from extractors.pdf.frames import Frame
from extractors.pdf.lines import Line
from extractors.pdf.marks import page_marks
from extractors.pdf.ocr import OcrSettings
from extractors.pdf.page import PageContent
from extractors.pdf.pages import iter_pages, open_pdf
from extractors.pdf.parallel import PARALLEL_MIN_PAGES, read_pages_in_two
from extractors.pdf.finder import claim_frames, find_regions
from extractors.pdf.grid import Region, page_graphics
from extractors.pdf.sidebyside import split_side_by_side
from extractors.pdf.scanned import ScanReading, mark_ocr, read_scanned_pages
from extractors.pdf.stitch import Stitcher, continue_region, repeated_columns
from extractors.pdf.store import PageStore
from extractors.pdf.tables import build_table
from extractors.pipeline import UnreadableInput
from models import Block, DocumentStatus, PageInfo, PlanDocument
from models.base import share_fields_sets

STAGE = "pdf"


def read_pages(path: Path, doc: PlanDocument, readers: int = 1) -> list[PageContent]:
    """Every page of the PDF as a PageContent (see `extractors/pdf/page.py`), read with PDFium.

    Page-level damage becomes an issue on `doc` (the page is empty, the others are read); a file
    that cannot be opened raises UnreadableInput. readers: processes reading the pages (2: a forked helper
    reads every other block of a document of PARALLEL_MIN_PAGES pages or more, see extractors/pdf/parallel.py;
    only for a process without other threads); the pages are the same.
    """
    return list(_read_pages(path, doc, readers))


def _read_pages(path: Path, doc: PlanDocument, readers: int = 1) -> Iterator[PageContent]:
    """The pages of read_pages one at a time (each page's PageInfo and issues recorded on doc)."""
    pdf = open_pdf(path)
    try:
        if len(pdf) == 0:
            raise UnreadableInput("PDF has no pages")
        reopen = lambda: open_pdf(path)  # noqa: E731
        pages = read_pages_in_two(pdf, reopen) if readers > 1 and len(pdf) >= PARALLEL_MIN_PAGES \
            else iter_pages(pdf, reopen)
        for content in pages:
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


def read_pdf(path: Path, document_id: str, ocr: OcrSettings | None = None, readers: int = 1) -> PlanDocument:
    """Read a PDF into the IR; pages without a usable text layer are read by OCR with the given settings
    (None: not read); readers: processes reading the pages (read_pages)."""
    doc = PlanDocument(document_id=document_id, source_path=str(path), source_format="pdf")
    with PageStore() as store:
        try:
            for page in _read_pages(path, doc, readers):
                store.add(page)
        except UnreadableInput:
            raise
        except Exception as exc:
            raise UnreadableInput(f"cannot read PDF ({type(exc).__name__}: {str(exc)[:200]})") from exc
        scan = read_scanned_pages(doc, store.in_memory(), path, ocr)
        return lay_out(doc, store, scan)


def lay_out(doc: PlanDocument, pages: list[PageContent] | PageStore, scan: ScanReading | None = None) -> PlanDocument:
    """Everything after reading the characters (and OCR): furniture set aside, ruled frames claimed,
    tables found, stitched and built, the rest as blocks (doc gets its items, title and language).

    pages: the document's pages, or the PageStore holding them (its pages are taken, and released, one at a
    time)."""
    if not isinstance(pages, PageStore):
        with PageStore(keep=len(pages)) as store:
            for page in pages:
                store.add(page)
            return lay_out(doc, store, scan)
    store = pages
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
    previous_lines: list[Line] = []
    # page height -> the lowest body line of the pages of that height read so far: where a full page's text ends
    body_bottoms: dict[int, float] = {}
    previous_height = 0
    set_aside: dict[int, list[str]] = {}
    heights: dict[int, int] = {}  # page number -> its height, rounded

    def ends_at_foot(region: Region) -> bool:
        end = (region.body or region.header_lines)[-1]
        return ends_at_page_bottom(end, body_bottoms.get(heights.get(end.page, 0), 0.0))

    stitcher = Stitcher(set_aside, ends_at_foot)
    last: Block | Region | Frame | None = None  # the item the pages so far ended with: the next page may extend it
    built = _Builder(doc)
    ready = 0  # items of the stitcher that could no longer change when the page before ended
    for page, skip in zip(store.pages(), furniture, strict=True):
        page_lines = [ln for i, ln in enumerate(page.lines) if i not in skip]
        graphics = page_graphics(page)
        page_items: list[Block | Region | Frame] = []
        frames, lines = claim_frames(page, page_lines, last, previous_lines)
        if previous_lines:
            lowest = max(ln.bottom for ln in previous_lines)
            body_bottoms[previous_height] = max(body_bottoms.get(previous_height, lowest), lowest)
        full_page_bottom = body_bottoms.get(previous_height, 0.0)  # of the page the last table ended on
        previous_lines, previous_height = page_lines, round(page.height)
        heights[page.number] = previous_height
        if isinstance(last, Region) and lines and \
                ends_at_page_bottom((last.body or last.header_lines)[-1], full_page_bottom):
            open_region = last
            previous = (open_region.body or open_region.header_lines)[-1]
            head, body = continue_region(lines, open_region, graphics)
            if not (head or body):
                open_region.graphics.pop(page.number, None)
            if body:
                columns = open_region.columns_for(previous.page)
                if head:
                    columns = repeated_columns(columns, lines[:head], open_region.right_aligned)
                open_region.page_columns[page.number] = columns
                open_region.body += lines[head:head + body]
                open_region.continued = True
            lines = lines[head + body:]
        for stream in split_side_by_side(lines):  # two tables side by side are read one after the other
            cursor = 0
            for first, end, region in find_regions(stream, graphics):
                page_items += lines_to_blocks(stream[cursor:first], base)
                page_items.append(region)
                cursor = end
            page_items += lines_to_blocks(stream[cursor:], base)
        placed = _place_frames(page_items, frames)
        if placed:
            for item in ([last] if last is not None else []) + placed[:-1]:
                stitcher.add(item)
            last = placed[-1]
        # tables are built (and their regions let go) a page after they settle: the next page's frames and
        # continuation read the lines of the page before
        built.add(stitcher.settled(ready))
        ready = stitcher.settled_count()
    if last is not None:
        stitcher.add(last)
    built.add(stitcher.settled(len(stitcher.out)))
    if scan is not None:
        mark_ocr(doc, scan)
    # a running header names the document; a print footer naming the file it was printed from does not
    doc.title = next((t for p in doc.pages for t in p.furniture if not t.strip().isdigit()
                      and not FILE_NAME.search(t)), None) or \
        next((b.text for b in doc.blocks() if b.kind in ("heading", "title")), None)
    for number, texts in set_aside.items():
        doc.pages[number - 1].furniture += texts
    return doc


# Free space under a table's last line, in its line heights, that another row would have filled had the
# table gone on: a table ending higher on its page ended there.
ROWS_THAT_FIT = 8


def ends_at_page_bottom(last: Line, body_bottom: float) -> bool:
    """A table whose last line is `last` may go on on the next page: it ends where the document's full pages
    end (`body_bottom`, the lowest body line of the pages before), less than ROWS_THAT_FIT line heights above
    it. A table that ends with room left for more rows ended there (Seinäjoki p. 132: a key-figure table
    ending two thirds down its page was read as going on with the next page's 'Tytäryhteisö' block)."""
    height = max(last.bottom - last.top, 1.0)
    return body_bottom - last.bottom < ROWS_THAT_FIT * 1.25 * height


class _Builder:
    """Appends stitched items to the document in order: regions and frames built as its tables t1, t2, ..."""

    def __init__(self, doc: PlanDocument) -> None:
        self.doc, self.counter = doc, 0

    def add(self, items: list[Block | Region | Frame]) -> None:
        start = len(self.doc.items)
        for item in items:
            if isinstance(item, Region):
                self.counter += 1
                self.doc.items.append(build_table(item, f"t{self.counter}"))
            elif isinstance(item, Frame):
                self.counter += 1
                self.doc.items.append(frame_table(item, f"t{self.counter}"))
            else:
                self.doc.items.append(item)
        share_fields_sets(self.doc.items[start:])  # a long document's items: half their memory (models.base)


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

