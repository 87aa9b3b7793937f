"""Damaged PDF streams -> error issues on the pages they belong to.

The load boundary (extractors.guard) finds streams whose data is damaged (a deflate stream that does not
inflate or is cut short, a /Length that does not end at `endstream`). PDFium reads what is left of such a
stream without a word, so a page can lose its text and the document still look complete. Each damaged
stream becomes an `error` issue `damaged_stream` of stage `pdf` (so the document is `partial`, never
`ok`): on every page whose /Contents holds it, or on the document when it belongs to no page's content (a
font, an image, an object stream).

Pages are mapped to their content streams with pdfminer's page tree (it resolves inherited attributes and
tolerates damaged cross-references); when even that fails, the issues are recorded on the document.

Damage inside a content stream that still inflates (a byte flipped or a range cut out of the operators) is
found by the content-stream syntax check (extractors.pdf.syntax): each page whose content breaks the syntax
gets one `error` issue `content_syntax` naming the first problems, so the document is `partial`, never `ok`.
The load boundary already decoded the streams and cleared those free of problems (SourceCheck.clean_content):
a page made only of cleared streams is not decoded a second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from extractors.guard import DamagedStream
from extractors.pdf.syntax import content_syntax_errors
from models import PlanDocument

STAGE = "pdf"
CODE = "damaged_stream"
SYNTAX_CODE = "content_syntax"
MAX_CHECKED_BYTES = 16 << 20  # of one page's decoded content (past it the time budget is the bound)
MAX_SYNTAX_PAGES = 50  # pages with their own issue; one more issue counts the rest
MAX_ISSUES = 20  # one issue each for the first streams, then one issue counting the rest


def content_pages(path: Path, object_numbers: set[int]) -> dict[int, list[int]]:
    """object number -> the 1-based pages whose /Contents hold that object (only for the given numbers).

    Never raises: a file whose page tree pdfminer cannot walk gives what was found before it broke.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef

    found: dict[int, list[int]] = {}
    try:
        with Path(path).open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                contents = page.attrs.get("Contents")
                if isinstance(contents, PDFObjRef):
                    if contents.objid in object_numbers:
                        found.setdefault(contents.objid, []).append(number)
                    contents = contents.resolve()
                items = contents if isinstance(contents, list) else [contents]
                for item in items:
                    objid = getattr(item, "objid", None)
                    if objid in object_numbers and number not in found.get(objid, []):
                        found.setdefault(objid, []).append(number)
    except Exception:  # noqa: BLE001 - a damaged page tree leaves the issues on the document
        pass
    return found


def record_damage(doc: PlanDocument, path: Path, damaged: tuple[DamagedStream, ...]) -> None:
    """Add one `damaged_stream` error issue per damaged stream (page-level where a page's content holds it)."""
    if not damaged:
        return
    numbers = {stream.object_number for stream in damaged if stream.object_number is not None}
    pages = content_pages(path, numbers) if numbers else {}
    for stream in damaged[:MAX_ISSUES]:
        where = f"object {stream.object_number}, " if stream.object_number is not None else ""
        on_pages = pages.get(stream.object_number, []) if stream.object_number is not None else []
        for page in on_pages:
            doc.add_issue(CODE, STAGE, f"page {page}: its content stream ({where}at byte {stream.offset}) "
                          f"{stream.reason}; the page may have lost text", severity="error", page=page)
        if not on_pages:
            doc.add_issue(CODE, STAGE, f"PDF stream ({where}at byte {stream.offset}) {stream.reason}; "
                          "what it holds (a font, an image, page objects) may be lost", severity="error")
    if len(damaged) > MAX_ISSUES:
        doc.add_issue(CODE, STAGE, f"{len(damaged) - MAX_ISSUES} more damaged streams", severity="error")


def _page_contents(page: object) -> list[object]:
    """The streams of a pdfminer page's /Contents (resolved), in order."""
    from pdfminer.pdftypes import resolve1

    contents = resolve1(getattr(page, "attrs", {}).get("Contents"))
    items = contents if isinstance(contents, list) else [contents] if contents is not None else []
    return [resolve1(item) for item in items]


def _cleared(streams: list[object], skip_objects: frozenset[int] | set[int], clean: Mapping[int, int]) -> bool:
    """Whether every stream of a page's content that the check would read is in clean (the load boundary's
    pass found it free of problems) and they hold at most MAX_CHECKED_BYTES together: then the page has no
    problem (content free of problems, joined, stays so), and need not be decoded again."""
    from pdfminer.pdftypes import PDFStream

    size = 0
    for stream in streams:
        if not isinstance(stream, PDFStream) or stream.objid in skip_objects:
            continue
        if stream.objid not in clean:
            return False
        size += clean[stream.objid] + 1
    return size <= MAX_CHECKED_BYTES


def syntax_errors_by_page(path: Path, skip_objects: frozenset[int] | set[int] = frozenset(),
                          clean: Mapping[int, int] | None = None) -> dict[int, list[str]]:
    """1-based page -> what breaks the syntax of its content stream (pages without a problem are left out).

    Streams in skip_objects (already reported as damaged) are not checked; pages made only of streams in
    clean (object number -> decoded size, SourceCheck.clean_content) are not decoded. A page whose content cannot be
    decoded is left to the stream check; a page tree pdfminer cannot walk gives what was found before it
    broke. Never raises.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream

    found: dict[int, list[str]] = {}
    try:
        with Path(path).open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                parts, streams = [], _page_contents(page)
                if clean and _cleared(streams, skip_objects, clean):
                    continue
                for stream in streams:
                    if not isinstance(stream, PDFStream) or stream.objid in skip_objects:
                        continue
                    try:
                        parts.append(stream.get_data())
                    except Exception:  # noqa: BLE001 - a stream that does not decode is the stream check's
                        continue
                data = b"\n".join(parts)[:MAX_CHECKED_BYTES]
                problems = content_syntax_errors(data) if data else []
                if problems:
                    found[number] = [f"{p.reason} at byte {p.offset}" for p in problems]
    except Exception:  # noqa: BLE001 - a damaged page tree: the pages found so far
        pass
    return found


def record_syntax_errors(doc: PlanDocument, path: Path, damaged: tuple[DamagedStream, ...] = (),
                         clean: Mapping[int, int] | None = None) -> None:
    """Add one `content_syntax` error issue per page whose content stream breaks the syntax (clean: the streams
    the load boundary cleared, SourceCheck.clean_content)."""
    skip = {stream.object_number for stream in damaged if stream.object_number is not None}
    pages = syntax_errors_by_page(path, skip, clean)
    for page in sorted(pages)[:MAX_SYNTAX_PAGES]:
        problems = pages[page]
        shown = "; ".join(problems[:3]) + (f"; {len(problems) - 3} more" if len(problems) > 3 else "")
        doc.add_issue(SYNTAX_CODE, STAGE, f"page {page}: its content stream breaks PDF syntax ({shown}); "
                      "the page may have lost text", severity="error", page=page)
    if len(pages) > MAX_SYNTAX_PAGES:
        doc.add_issue(SYNTAX_CODE, STAGE, f"{len(pages) - MAX_SYNTAX_PAGES} more pages whose content stream "
                      "breaks PDF syntax", severity="error")
