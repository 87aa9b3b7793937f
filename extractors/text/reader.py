"""Text stage: read a plan text export into a PlanDocument with line-number provenance."""

from __future__ import annotations

from pathlib import Path

from extractors.layout import block_kind, detect_language, is_repeated_header
from extractors.patterns import ITALIC_TAG
from extractors.tablegrid import label_column_count, unparsed_cells
from models import Block, Cell, PageInfo, PlanDocument, Provenance, Table, TableQuality, TableRow

STAGE = "text"


def read_text(path: Path, document_id: str) -> PlanDocument:
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("latin-1")
    lines = content.splitlines()
    doc = PlanDocument(document_id=document_id, source_path=str(path), source_format="text",
                       pages=[PageInfo(number=1)])
    damaged = [number for number, line in enumerate(lines, start=1) if "\x00" in line]
    if damaged:  # a text export never holds NUL bytes: a block of them is a damaged or half-written copy
        doc.add_issue("damaged_text", STAGE, f"{len(damaged)} line(s) hold NUL bytes (first: line {damaged[0]}): "
                      "the file is damaged and may have lost text", severity="error")
        lines = [line.replace("\x00", "") for line in lines]
    parse_lines(doc, lines)
    doc.language = detect_language(" ".join(b.text for b in doc.blocks()) or content)
    first = next((b for b in doc.blocks() if b.text.strip()), None)
    doc.title = first.text if first else None
    if not doc.items:
        doc.status = doc.status.failed
        doc.message = "not a plan text: no text found"
        doc.add_issue("empty_text", STAGE, doc.message, severity="error")
    return doc


def parse_lines(doc: PlanDocument, lines: list[str]) -> None:
    index = 0
    table_count = 0
    while index < len(lines):
        line = lines[index]
        if "\t" in line:
            rows, index = _collect_table_rows(lines, index)
            table_count += 1
            doc.items.append(_table(rows, f"t{table_count}"))
            continue
        text = " ".join(line.split())
        if text:
            doc.items.append(Block(kind=block_kind(text), text=text, prov=Provenance(line=index + 1)))
        index += 1


def _collect_table_rows(lines: list[str], start: int) -> tuple[list[tuple[int, list[str]]], int]:
    """Consecutive TAB lines form one table; blank lines between them (page breaks) are skipped."""
    rows: list[tuple[int, list[str]]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        if "\t" in line:
            rows.append((index + 1, line.split("\t")))
            index += 1
            continue
        if not line.strip():
            ahead = index
            while ahead < len(lines) and not lines[ahead].strip():
                ahead += 1
            if ahead < len(lines) and "\t" in lines[ahead]:
                index = ahead
                continue
        break
    return rows, index


def _cell(raw: str, col: int, line_no: int) -> Cell:
    italic = "<i>" in raw
    text = " ".join(ITALIC_TAG.sub("", raw).split())
    return Cell(text=text, col=col, italic=italic, prov=Provenance(line=line_no))


def _table(rows: list[tuple[int, list[str]]], table_id: str) -> Table:
    header_line, header_raw = rows[0]
    header = [_cell(raw, col, header_line) for col, raw in enumerate(header_raw)]
    width = max(len(raw) for _, raw in rows)
    body: list[TableRow] = []
    continued = False
    for line_no, raw in rows[1:]:
        cells = [_cell(text, col, line_no) for col, text in enumerate(raw)]
        if is_repeated_header([c.text for c in cells], [c.text for c in header]):
            continued = True
            continue
        filled = [c for c in cells if c.text]
        spanning = len(filled) == 1 and filled[0].col == 0 and width > 2
        body.append(TableRow(cells=cells, prov=Provenance(line=line_no), italic=bool(cells) and cells[0].italic,
                             spanning=spanning))
    n_body_cells = sum(len(r.cells) for r in body) or 1
    quality = TableQuality(
        columns=width, rows=len(body),
        fill_ratio=round(sum(1 for r in body for c in r.cells if c.text) / n_body_cells, 3),
        continued=continued, header_rows=1,
    )
    table = Table(table_id=table_id, header=header, rows=body, prov=Provenance(line=header_line), quality=quality,
                  label_columns=label_column_count(body, width))
    table.quality.unparsed_cells = unparsed_cells(table)
    return table
