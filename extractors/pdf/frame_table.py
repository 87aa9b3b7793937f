"""A frame (`extractors.pdf.frames`) as an IR table: its cells, spans, shading and printed lines, and the
table's quality record (ruled, or drawn by cell shadings alone)."""

from __future__ import annotations

from extractors.layout import join_wrapped
from extractors.pdf.frames import PARAGRAPH_GAP, Frame, fill_hex, paragraph_starts
from extractors.tablegrid import label_column_count, unparsed_cells
from models import BBox, Cell, Provenance, Table, TableQuality, TableRow


def frame_table(frame: Frame, table_id: str) -> Table:
    """The frame as an IR table: no header (heading rows stand among the rows, as printed), one row per
    band or paragraph row, cells with their grid column, spans, shading and printed lines."""
    rows: list[TableRow] = []
    heights = [ws[0].bottom - ws[0].top for row in frame.rows for c in row for ws in c.lines]
    gap = PARAGRAPH_GAP * sorted(heights)[len(heights) // 2] if heights else 0.0
    for row in frame.rows:
        own = [c for c in row if c.span_rows == 1] or row
        top, bottom = min(c.top for c in own), max(c.bottom for c in own)
        cells = []
        for cell in row:
            texts = cell.texts()
            cells.append(Cell(text=join_wrapped(texts), col=cell.col, span_cols=cell.span_cols,
                              span_rows=cell.span_rows, fill=fill_hex(cell.fill), bold=cell.bold,
                              lines=texts if len(texts) > 1 else [],
                              paragraph_starts=paragraph_starts(cell, gap),
                              prov=Provenance(page=cell.page, bbox=BBox(x0=cell.x0, top=cell.top, x1=cell.x1,
                                                                        bottom=cell.bottom).rounded())))
        page = row[0].page
        rows.append(TableRow(cells=cells, prov=Provenance(page=page, bbox=BBox(
            x0=frame.x0, top=top, x1=frame.x1, bottom=bottom).rounded())))
    filled = sum(1 for r in rows for c in r.cells if c.text.strip())
    total = max(1, sum(len(r.cells) for r in rows))
    width = len(frame.xs) - 1
    table = Table(table_id=table_id, header=[], rows=rows, label_columns=label_column_count(rows, width),
                  prov=Provenance(page=frame.page, bbox=BBox(x0=frame.x0, top=frame.top, x1=frame.x1,
                                                             bottom=frame.bottom).rounded()),
                  quality=TableQuality(columns=width, rows=len(rows), fill_ratio=round(filled / total, 3),
                                       ruled=not frame.shaded, pages=list(frame.pages),
                                       continued=len(frame.pages) > 1,
                                       header_rows=_heading_rows(rows)))
    table.quality.unparsed_cells = unparsed_cells(table)
    return table


def _heading_rows(rows: list[TableRow]) -> int:
    """Leading rows printed as heading rows: every filled cell bold and shaded (they stay among the rows,
    as printed; the `tables` dataset reads them as the headings over the columns)."""
    count = 0
    for row in rows[:-1]:
        filled = [c for c in row.cells if c.text.strip()]
        if not filled or not all(c.bold and c.fill for c in filled):
            break
        count += 1
    return count
