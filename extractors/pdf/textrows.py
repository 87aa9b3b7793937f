"""PDF text-table rows: body lines -> rows of text cells; a merged row over all columns heads the rows
under it (their path).

A row starts at a rule, at a change between bold and plain lines, at a wide gap, or where a column
fills again; across a page break a cell may go on after blank lines (widow control), so there a new
row must start every cell with a capital.
"""

from __future__ import annotations

from extractors.pdf.grid import Column, Region, join_pieces
from extractors.pdf.lines import Line, typical_pitch
from extractors.pdf.textgrid import column_of, spans_columns
from models import BBox, Cell, Provenance, TableRow


def _prov(lines: list[Line]) -> Provenance:
    first_page = lines[0].page
    box = BBox.around([ln.bbox for ln in lines if ln.page == first_page]).rounded()
    return Provenance(page=first_page, bbox=box)


def _rule_between(region: Region, upper: Line, lower: Line) -> bool:
    if upper.page != lower.page:
        return False
    columns = region.columns_for(lower.page)
    graphics = region.graphics_for(lower.page)
    edges = graphics.row_edges(columns[0].x0, columns[-1].x1, upper.bottom - 1, lower.top + 1)
    return any(upper.bottom - 1 <= y <= lower.top + 1 for y in edges)


def _starts_cells(line: Line, columns: list[Column]) -> bool:
    """Every cell on the line begins with a capital letter or a digit, as new cells do."""
    firsts: dict[int, str] = {}
    for word in line.words:
        firsts.setdefault(column_of(word.x0, columns, word.size), word.text)
    return bool(firsts) and all(text[:1].isupper() or text[:1].isdigit() for text in firsts.values())


def text_rows(region: Region) -> list[TableRow]:
    pitch = typical_pitch(region.body) if len(region.body) > 1 else 12.0
    groups: list[tuple[bool, list[Line]]] = []
    prev_occupied: set[int] = set()
    prev_spanning = False
    bold_marks_rows = any(not ln.bold for ln in region.body) and any(ln.bold for ln in region.body)
    for line in region.body:
        columns = region.columns_for(line.page)
        spanning = spans_columns(line, columns)
        occupied = {column_of(w.x0, columns, w.size) for w in line.words}
        new_row = not groups
        if not new_row:
            last = groups[-1][1][-1]
            ruled = _rule_between(region, last, line)
            gap = line.page == last.page and line.top - last.top > 1.6 * pitch
            # a change between all-bold and plain text starts a row (merged heading rows set in bold)
            ruled = ruled or line.bold != last.bold
            if prev_spanning:
                # a merged row goes on while its text stays in column 0 or keeps its own style
                same_style = bold_marks_rows and line.bold and last.bold
                new_row = ruled or gap or not (spanning or occupied == {0} or same_style)
                spanning = spanning or (not new_row)
            elif line.page != last.page:
                new_row = spanning or ruled or _starts_cells(line, columns)
            else:
                new_row = spanning or ruled or gap or bool(occupied - prev_occupied)
        if new_row:
            groups.append((spanning, [line]))
        else:
            groups[-1][1].append(line)
        prev_occupied = occupied
        prev_spanning = spanning
    rows: list[TableRow] = []
    heading: list[str] = []
    for spanning, lines in groups:
        row = _row(spanning, lines, region)
        if row.spanning:
            heading = [row.cells[0].text]
        else:
            row.path = list(heading)
        rows.append(row)
    return rows


def _row(spanning: bool, lines: list[Line], region: Region) -> TableRow:
    prov = _prov(lines)
    columns = region.columns
    if spanning:
        cells = [Cell(text=join_pieces([ln.text for ln in lines]), col=0, bold=all(ln.bold for ln in lines), prov=prov,
                      lines=[ln.text for ln in lines] if len(lines) > 1 else [])]
        cells += [Cell(text="", col=i) for i in range(1, len(columns))]
        return TableRow(cells=cells, prov=prov, spanning=True, bold=cells[0].bold)
    texts: dict[int, list[str]] = {i: [] for i in range(len(columns))}
    boxes: dict[int, list[BBox]] = {i: [] for i in range(len(columns))}
    for line in lines:
        per_col: dict[int, list[str]] = {}
        for word in line.words:
            col = column_of(word.x0, region.columns_for(line.page), word.size)
            per_col.setdefault(col, []).append(word.text)
            if line.page == lines[0].page:
                boxes[col].append(BBox(x0=word.x0, top=word.top, x1=word.x1, bottom=word.bottom))
        for col, words in per_col.items():
            texts[col].append(" ".join(words))
    cells = [Cell(text=join_pieces(texts[i]), col=i, lines=texts[i] if len(texts[i]) > 1 else [],
                  prov=Provenance(page=prov.page, bbox=BBox.around(boxes[i]).rounded() if boxes[i] else None))
             for i in range(len(columns))]
    return TableRow(cells=cells, prov=prov, bold=all(ln.bold for ln in lines))
