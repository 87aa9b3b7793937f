"""PDF page-reading stage: a PDF file -> one PageContent per page, read with pypdfium2 (PDFium).

Pages are read one at a time and their characters dropped once their words are built, so memory
stays flat in the number of pages. Damage on one page (a page PDFium cannot load, an unusable page
box) becomes an issue on that page; the other pages are read.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.pdf.chars import read_chars, to_upright
from extractors.pdf.graphics import Graphics, read_graphics
from extractors.pdf.lines import Line
from extractors.pdf.marks import glyph_marks
from extractors.pdf.page import Frame, PageContent, Rule
from extractors.pdf.words import chars_to_lines, main_direction
from extractors.pipeline import UnreadableInput

MAX_PAGE_SIDE = 14400.0
"""The largest page side PDF allows (200 inches, ISO 32000-1 annex C); a larger box is unusable."""
STANDARD_PAGES = ((595.0, 842.0), (842.0, 595.0), (612.0, 792.0), (792.0, 612.0), (842.0, 1191.0), (1191.0, 842.0))
"""A4, Letter and A3, portrait and landscape (pt): what an unusable page box is replaced by when the content fits."""
CONTENT_MARGIN = 36.0  # pt around the content when no standard page holds it
MAX_EXTENT_OBJECTS = 20_000  # page objects measured for the content's extent (a page of a plan holds a few thousand)
REOPEN_PAGES = 100  # pages read from one opening of the document (PDFium frees what it parsed on closing)


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF with PDFium; UnreadableInput names the reason (password, damage) otherwise."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        lowered = reason.lower()
        if "password" in lowered or "security" in lowered:
            raise UnreadableInput("PDF is password-protected") from exc
        if "format" in lowered:
            raise UnreadableInput(f"PDF is truncated or damaged ({reason[:160]})") from exc
        raise UnreadableInput(f"cannot open PDF ({reason[:200]})") from exc
    return pdf


Box = tuple[float, float, float, float]


def _usable(box: Box) -> bool:
    width, height = box[2] - box[0], box[3] - box[1]
    return width > 1 and height > 1 and max(width, height) <= MAX_PAGE_SIDE


def content_extent(page: pdfium.PdfPage) -> Box | None:
    """(left, bottom, right, top) in PDF user space around the page's objects, or None without any."""
    boxes = []
    for number, item in enumerate(page.get_objects(max_depth=2)):
        if number >= MAX_EXTENT_OBJECTS:
            break
        try:
            left, bottom, right, top = item.get_pos()
        except Exception:  # noqa: BLE001,S112 - an object without bounds adds nothing to the extent
            continue
        if all(abs(value) < 1e7 for value in (left, bottom, right, top)) and right >= left and top >= bottom:
            boxes.append((left, bottom, right, top))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def replacement_box(extent: Box | None) -> Box:
    """The page box read instead of an unusable one: the first standard page (STANDARD_PAGES, from the origin)
    holding the content's extent, else the extent with a margin. Layout rules that measure against the page
    (furniture bands, column widths) then see a page of a plausible size, never one scaled to an absurd box."""
    if extent is None:
        return (0.0, 0.0, *STANDARD_PAGES[0])
    left, bottom, right, top = extent
    if left >= 0 and bottom >= 0:
        for width, height in STANDARD_PAGES:
            if right <= width and top <= height:
                return (0.0, 0.0, width, height)
    return (left - CONTENT_MARGIN, bottom - CONTENT_MARGIN, right + CONTENT_MARGIN, top + CONTENT_MARGIN)


def _box(page: pdfium.PdfPage) -> tuple[Box, str | None]:
    """The visible page box (crop box inside the media box) and, when it is unusable, why."""
    media = page.get_mediabox()
    crop = page.get_cropbox()
    visible = (max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]), min(media[3], crop[3]))
    if _usable(visible):
        return visible, None
    if _usable(media):
        return tuple(media), f"crop box {tuple(round(v, 1) for v in crop)} is unusable; the media box is read"  # type: ignore[return-value]
    box = replacement_box(content_extent(page))
    return box, (f"page box {tuple(round(v, 1) for v in media)} is unusable; a page of "
                 f"{box[2] - box[0]:.0f} x {box[3] - box[1]:.0f} pt around its content is read")


def read_page(pdf: pdfium.PdfDocument, index: int) -> PageContent:
    """One page's lines, rules, shapes and images (see PageContent); raises on a page PDFium cannot load."""
    page = pdf[index]
    try:
        box, problem = _box(page)
        rotation = page.get_rotation() % 360
        frame = Frame.for_page(*box, rotation=rotation if rotation in (0, 90, 180, 270) else 0)
        graphics = read_graphics(page.raw, frame, pdf.raw)
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        if not textpage:
            raise RuntimeError("PDFium cannot read the page's text")
        try:
            chars = read_chars(textpage, frame, graphics)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        chars, glyphs = glyph_marks(chars)  # in the characters' upright frame already
        direction = main_direction(chars)
        width, height = (frame.height, frame.width) if direction in (90, 270) else (frame.width, frame.height)
        if direction in (90, 180, 270):
            turn_graphics(graphics, direction, frame)
        graphics.icons += glyphs
        lines = chars_to_lines(chars, index + 1)
        mark_cell_borders(lines, graphics.rules_v)
        content = PageContent(number=index + 1, width=width, height=height, lines=lines,
                              rules_h=graphics.rules_h, rules_v=graphics.rules_v, shapes=graphics.shapes,
                              icons=graphics.icons, images=graphics.images)
        content.ocr_words = sum(1 for ln in lines for w in ln.words if w.source == "ocr")
        if problem:
            content.issues.append(("page_box_unusable", problem))
        return content
    finally:
        page.close()


def mark_cell_borders(lines: list[Line], rules_v: list[Rule]) -> None:
    """Mark each word that a stroked vertical rule separates from the word before it (`Word.after_rule`):
    a label that runs up to the border of a narrow ruled cell is still another cell than the figure
    beside it (Lapua minutes: 'Toimintamenot | -4.592.543', 5 pt apart across the border).

    A rule counts when it lies in the gap between the two words (within half a point) and runs over
    the middle of the line. Shaded boxes' edges (`Rule.fill_edge`) are no borders here."""
    borders = sorted((r.x0, r.top, r.bottom) for r in rules_v if not r.fill_edge)
    if not borders:
        return
    xs = [b[0] for b in borders]
    for line in lines:
        middle = (line.top + line.bottom) / 2
        for prev, word in itertools.pairwise(line.words):
            if word.x0 <= prev.x1:
                continue
            start = bisect.bisect_left(xs, prev.x1 - 0.5)
            for x, top, bottom in borders[start:]:
                if x > word.x0 + 0.5:
                    break
                if top <= middle <= bottom:
                    word.after_rule = True
                    break


def turn_graphics(graphics: Graphics, direction: int, frame: Frame) -> None:
    """Rules, shapes and images of a page whose text reads in `direction`, in that text's upright frame."""

    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = to_upright(x0, top, direction, frame), to_upright(x1, bottom, direction, frame)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    rules = [Rule(*box(r.x0, r.top, r.x1, r.bottom), width=r.width, fill_edge=r.fill_edge)
             for r in graphics.rules_h + graphics.rules_v]
    graphics.rules_h = [r for r in rules if r.horizontal]
    graphics.rules_v = [r for r in rules if not r.horizontal]
    for shape in graphics.shapes + graphics.icons:
        shape.x0, shape.top, shape.x1, shape.bottom = box(shape.x0, shape.top, shape.x1, shape.bottom)
    graphics.images = [box(*b) for b in graphics.images]


def iter_pages(pdf: pdfium.PdfDocument, reopen: Callable[[], pdfium.PdfDocument] | None = None
               ) -> Iterator[PageContent]:
    """Every page in order; a page that cannot be read gives an empty PageContent with the issue.

    With reopen (a function opening the same file again), the file is opened again every REOPEN_PAGES pages
    (Openings).
    """
    openings = Openings(pdf, reopen)
    try:
        for index in range(len(pdf)):
            yield openings.page(index)
    finally:
        openings.close()


class Openings:
    """Where the next pages are read from: with reopen (a function opening the same file again), the document is
    closed and the file opened again every REOPEN_PAGES pages read, whichever pages they are; PDFium keeps every
    object it has parsed until its document is closed (about 70 kB a page of budget books), so memory would grow
    with pages. The documents opened here are closed here (`close`); the first one is the caller's."""

    def __init__(self, pdf: pdfium.PdfDocument, reopen: Callable[[], pdfium.PdfDocument] | None = None) -> None:
        self.first = self.pdf = pdf
        self.reopen, self.read = reopen, 0

    def page(self, index: int) -> PageContent:
        """read_page_or_issue of page `index` (0-based)."""
        if self.reopen is not None and self.read and self.read % REOPEN_PAGES == 0:
            self.pdf.close()
            self.pdf = self.reopen()
        self.read += 1
        return read_page_or_issue(self.pdf, index)

    def close(self) -> None:
        if self.pdf is not self.first:
            self.pdf.close()


def read_page_or_issue(pdf: pdfium.PdfDocument, index: int) -> PageContent:
    """read_page, or for a page that cannot be read an empty PageContent with a `page_unreadable` issue."""
    try:
        return read_page(pdf, index)
    except Exception as exc:  # noqa: BLE001 - one damaged page must not lose the document
        content = PageContent(number=index + 1, width=0.0, height=0.0)
        content.issues.append(("page_unreadable", f"page {index + 1}: {type(exc).__name__}: {exc}"))
        return content
