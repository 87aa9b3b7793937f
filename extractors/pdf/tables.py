"""PDF table-building stage: stitched regions -> IR Tables (header paths, rows, cells, provenance, quality)."""

from __future__ import annotations

from extractors.pdf.grid import Column, Region, join_pieces
from extractors.pdf.label_lines import heading_percent_row, join_label_lines
from extractors.pdf.lines import Line, Segment
from extractors.pdf.draft_row import DraftRow, Piece
from extractors.pdf.rows import draft_rows
from extractors.pdf.textgrid import column_of, spans_columns
from extractors.pdf.textrows import text_rows
from extractors.tablegrid import fill_ratio, unparsed_cells
from models import BBox, Cell, Provenance, Table, TableQuality, TableRow


def _bbox(lines: list[Line]) -> BBox:
    """BBox.around the lines' boxes, rounded (measured from the lines without a BBox per line)."""
    return BBox(x0=round(min(ln.x0 for ln in lines), 1), top=round(min(ln.top for ln in lines), 1),
                x1=round(max(ln.x1 for ln in lines), 1), bottom=round(max(ln.bottom for ln in lines), 1))


def _segments_bbox(segments: list[Segment]) -> BBox:
    """BBox.around the runs' boxes (`Segment.bbox`), rounded, without a BBox per run."""
    return BBox(x0=round(min(s.words[0].x0 for s in segments), 1),
                top=round(min(w.top for s in segments for w in s.words), 1),
                x1=round(max(s.words[-1].x1 for s in segments), 1),
                bottom=round(max(w.bottom for s in segments for w in s.words), 1))


def _prov(lines: list[Line]) -> Provenance:
    first_page = lines[0].page
    return Provenance(page=first_page, bbox=_bbox([ln for ln in lines if ln.page == first_page]))


def _quality(region: Region, rows: list[TableRow], width: int) -> TableQuality:
    return TableQuality(columns=width, rows=len(rows), fill_ratio=fill_ratio(rows, width), ruled=region.ruled,
                        pages=region.pages, continued=region.continued,
                        header_rows=region.header_levels if region.header_lines else 0)


def header_cells(region: Region, columns: list[Column]) -> list[Cell]:
    cells = []
    page = region.header_lines[0].page if region.header_lines else (region.body[0].page if region.body else None)
    for index, column in enumerate(columns):
        cells.append(Cell(text=column.label(), col=index, bold=True, path=column.path(),
                          prov=Provenance(page=page, bbox=_segments_bbox(column.header) if column.header else None)))
    return cells


def _cell(col: int, pieces: list[Piece]) -> Cell:
    """The pieces of one cell: their text line by line (pieces of one line joined by spaces, lines in the order
    first met), italic or bold when every piece is, boxed on the first piece's page (`_segments_bbox`)."""
    by_line: dict[int, list[str]] = {}  # in the order the lines are first met (dicts keep insertion order)
    for piece in pieces:
        key = id(piece.line)
        texts = by_line.get(key)
        if texts is None:
            by_line[key] = [piece.segment.text]
        else:
            texts.append(piece.segment.text)
    lines = [" ".join(texts) for texts in by_line.values()]
    first_page = pieces[0].line.page
    box = _segments_bbox([p.segment for p in pieces if p.line.page == first_page])
    return Cell(text=join_pieces(lines), col=col, lines=lines if len(lines) > 1 else [],
                italic=all(p.segment.italic for p in pieces), bold=all(w.bold for p in pieces for w in p.segment.words),
                prov=Provenance(page=first_page, bbox=box))


NOWHERE = Provenance()
"""The provenance of a cell the row leaves empty (no page, no box): one frozen instance for them all, as
each would be made alike (`Cell.prov`'s default)."""


def _row(draft: DraftRow, width: int, labels: int) -> TableRow:
    """The row's cells by column, an empty one (`NOWHERE`) for each of the table's columns the draft does not fill,
    then any cell of the draft beyond the table's width, in column order."""
    filled = {col: _cell(col, pieces) for col, pieces in draft.cells.items()}
    cells = [filled[i] if i in filled else Cell(text="", col=i, prov=NOWHERE) for i in range(width)]
    cells += [filled[col] for col in sorted(filled) if col >= width]  # columns count from 0
    label_cells = [c for c in cells if c.col < labels and c.text]
    italic = bool(label_cells) and all(c.italic for c in label_cells)
    return TableRow(cells=cells, prov=_prov(draft.lines), italic=italic, bold=draft.bold, path=draft.path)


def value_table(region: Region, table_id: str) -> Table:
    labels = len(region.label_columns)
    columns = region.label_columns + region.columns
    rows = [_row(draft, len(columns), labels) for draft in draft_rows(region)]
    header = header_cells(region, columns)
    table = Table(table_id=table_id, header=header, rows=rows, prov=_prov(region.header_lines + region.body),
                  quality=_quality(region, rows, len(header)), label_columns=labels)
    body = len(table.rows)
    heading_percent_row(table)
    if len(table.rows) < body:
        table.quality.header_rows += 1
    join_label_lines(table)
    table.quality.rows = len(table.rows)
    table.quality.fill_ratio = fill_ratio(table.rows, len(header))
    table.quality.unparsed_cells = unparsed_cells(table)
    return table


def text_table(region: Region, table_id: str) -> Table:
    rows = text_rows(region)
    header = header_cells(region, region.columns)
    return Table(table_id=table_id, header=header, rows=rows, prov=_prov(region.header_lines + region.body),
                 quality=_quality(region, rows, len(header)), label_columns=0)


def build_table(region: Region, table_id: str) -> Table:
    return value_table(region, table_id) if region.kind == "values" else text_table(region, table_id)


__all__ = ["build_table", "column_of", "spans_columns"]
