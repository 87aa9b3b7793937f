"""PDF stage: read a PDF into a PlanDocument (blocks, stitched tables, furniture, provenance)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from extractors.layout import detect_language
from extractors.pdf.blocks import body_size, lines_to_blocks
from extractors.pdf.furniture import find_furniture
from extractors.pdf.lines import Line, group_lines, word_from_pdf
from extractors.pdf.regions import Region, continue_header, continue_region, find_regions
from extractors.pdf.tables import finance_table, goal_table
from extractors.pipeline import UnreadableInput
from models import Block, DocumentStatus, PageInfo, PlanDocument

STAGE = "pdf"


def _open(path: Path) -> pdfplumber.PDF:
    try:
        pdf = pdfplumber.open(path)
        _ = len(pdf.pages)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for damaged or encrypted files
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]
        names = " ".join(type(c).__name__ for c in causes if c is not None).lower()
        reason = str(exc) or type(exc).__name__
        if "password" in names or "encrypt" in names or "password" in reason.lower():
            raise UnreadableInput("PDF is password-protected") from exc
        if "eof" in reason.lower() or "xref" in reason.lower() or "syntax" in names:
            raise UnreadableInput(f"PDF is truncated or damaged ({reason[:160]})") from exc
        raise UnreadableInput(f"cannot open PDF ({type(exc).__name__}: {reason[:200]})") from exc
    return pdf


def _page_rules(page: pdfplumber.page.Page) -> list[float]:
    rules = []
    for edge in page.horizontal_edges:
        if edge["x1"] - edge["x0"] > 0.15 * page.width:
            rules.append(round(float(edge["top"]), 1))
    return sorted(set(rules))


def read_pages(path: Path, doc: PlanDocument) -> list[tuple[list[Line], float, list[float]]]:
    pages: list[tuple[list[Line], float, list[float]]] = []
    with _open(path) as pdf:
        if not pdf.pages:
            raise UnreadableInput("PDF has no pages")
        for number, page in enumerate(pdf.pages, start=1):
            try:
                raw = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
                lines = group_lines([word_from_pdf(w) for w in raw if w["text"].strip()], number)
                rules = _page_rules(page)
                info = PageInfo(number=number, width=float(page.width), height=float(page.height),
                                has_text=bool(lines))
                if not lines and page.images:
                    doc.add_issue("no_text_layer", STAGE, f"page {number} is an image without a text layer "
                                  "(scanned page; no OCR)", page=number)
                pages.append((lines, float(page.height), rules))
                doc.pages.append(info)
            except Exception as exc:  # noqa: BLE001 - one damaged page must not lose the document
                doc.add_issue("page_unreadable", STAGE, f"page {number}: {type(exc).__name__}: {exc}",
                              severity="error", page=number)
                pages.append(([], float(page.height or 0), []))
                doc.pages.append(PageInfo(number=number, has_text=False))
            finally:
                page.close()
    return pages


def read_pdf(path: Path, document_id: str) -> PlanDocument:
    doc = PlanDocument(document_id=document_id, source_path=str(path), source_format="pdf")
    try:
        pages = read_pages(path, doc)
    except UnreadableInput:
        raise
    except Exception as exc:
        raise UnreadableInput(f"cannot read PDF ({type(exc).__name__}: {str(exc)[:200]})") from exc
    furniture = find_furniture([(lines, height) for lines, height, _ in pages])
    content: list[list[Line]] = []
    for (lines, _, _), skip, info in zip(pages, furniture, doc.pages, strict=True):
        info.furniture = [lines[i].text for i in sorted(skip)]
        content.append([ln for i, ln in enumerate(lines) if i not in skip])
    all_lines = [ln for lines in content for ln in lines]
    if not all_lines:
        doc.status = DocumentStatus.failed
        doc.message = "PDF has no text layer (scanned pages need OCR, which plandata does not do)"
        doc.add_issue("no_text", STAGE, doc.message, severity="error")
        return doc
    doc.language = detect_language(" ".join(ln.text for ln in all_lines[:400]))
    base = body_size(all_lines)
    sequence: list[Block | Region] = []
    for (_, _, rules), page_lines in zip(pages, content, strict=True):
        page_items: list[Block | Region] = []
        lines = page_lines
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
        sequence += page_items
    stitched = stitch(sequence)
    counter = 0
    for item in stitched:
        if isinstance(item, Region):
            counter += 1
            table_id = f"t{counter}"
            doc.items.append(finance_table(item, table_id, doc.language) if item.kind == "finance"
                             else goal_table(item, table_id))
        else:
            doc.items.append(item)
    doc.title = next((t for p in doc.pages for t in p.furniture if not t.strip().isdigit()), None) or \
        next((b.text for b in doc.blocks() if b.kind in ("heading", "title")), None)
    return doc


def stitch(sequence: list[Block | Region]) -> list[Block | Region]:
    """A table continued on the next page under a repeated header becomes one table."""
    out: list[Block | Region] = []
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
