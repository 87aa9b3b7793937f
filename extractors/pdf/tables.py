"""PDF table-building stage: stitched regions -> IR Tables (rows, cells, provenance, quality)."""

from __future__ import annotations

from extractors.layout import join_wrapped
from extractors.lexicon import classify_any
from extractors.pdf.lines import Line, Segment, typical_pitch
from extractors.pdf.labels import best_label, wraps_into
from extractors.pdf.regions import Region, column_of, spans_columns
from models import BBox, Cell, Provenance, Table, TableQuality, TableRow


def _bbox(lines: list[Line]) -> BBox:
    return BBox.around([ln.bbox for ln in lines]).rounded()


def _prov(lines: list[Line]) -> Provenance:
    first_page = lines[0].page
    return Provenance(page=first_page, bbox=_bbox([ln for ln in lines if ln.page == first_page]))


def _quality(region: Region, rows: list[TableRow], width: int) -> TableQuality:
    cells = max(1, len(rows) * width)
    filled = sum(1 for r in rows for c in r.cells if c.text)
    return TableQuality(columns=width, rows=len(rows), fill_ratio=round(filled / cells, 3),
                        ruled=bool(region.rules), pages=region.pages, continued=region.continued)


def _header_cells(region: Region, with_label: bool) -> list[Cell]:
    cells = []
    if with_label:
        label = " ".join(s.text for s in region.label_header)
        cells.append(Cell(text=label, col=0, prov=_prov(region.header_lines)))
    offset = 1 if with_label else 0
    for index, column in enumerate(region.columns):
        boxes = [s.bbox for s in column.header]
        cells.append(Cell(text=column.label(), col=index + offset, bold=True,
                          prov=Provenance(page=region.header_lines[0].page,
                                          bbox=BBox.around(boxes).rounded() if boxes else None)))
    return cells


def _merge_forward(rows: list[TableRow], row_lines: list[list[Line]], pieces: dict[int, list[str]],
                   language: str | None) -> tuple[list[TableRow], list[list[Line]]]:
    """A label-only row whose label goes on in the next row (labels set against the row's bottom or middle)."""
    out_rows: list[TableRow] = []
    out_lines: list[list[Line]] = []
    pending: tuple[TableRow, list[Line]] | None = None
    for row, lines in zip(rows, row_lines, strict=True):
        if pending is not None:
            first, first_lines = pending
            pending = None
            if wraps_into(first.cells[0].text, row.cells[0].text, language) and \
                    classify_any("finance_lines", first.cells[0].text, language) is None:
                pieces[id(row)] = pieces[id(first)] + pieces[id(row)]
                row.cells[0].text = best_label(pieces[id(row)], language)
                row.italic = row.italic or first.italic
                lines = first_lines + lines
            else:
                out_rows.append(first)
                out_lines.append(first_lines)
        label_only = not any(c.text for c in row.cells[1:])
        if label_only and classify_any("finance_lines", row.cells[0].text, language) is None:
            pending = (row, lines)
            continue
        out_rows.append(row)
        out_lines.append(lines)
    if pending is not None:
        out_rows.append(pending[0])
        out_lines.append(pending[1])
    return out_rows, out_lines


def _assign(seg: Segment, region: Region) -> int:
    """Column index of an amount: the header column it overlaps most, else the nearest."""
    best, best_overlap = 0, -1.0
    for index, column in enumerate(region.columns):
        overlap = min(seg.x1, column.x1) - max(seg.x0, column.x0)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    if best_overlap <= 0:
        center = (seg.x0 + seg.x1) / 2
        best = min(range(len(region.columns)),
                   key=lambda i: abs((region.columns[i].x0 + region.columns[i].x1) / 2 - center))
    return best


def _middle_line(row: TableRow, above: Line, line: Line) -> bool:
    """A line of figures without a label overlaps, from below, the line of a label-only row above it: the
    figures are set in the middle of a label wrapped over lines."""
    return not any(c.text for c in row.cells[1:]) and bool(row.cells[0].text) and line.page == above.page \
        and line.top < above.bottom


def _add_amounts(row: TableRow, segments: list[Segment], region: Region, line: Line) -> None:
    """Put a line's figures into the cells of a row that has none yet (its empty cells are filled)."""
    for seg in segments:
        col = _assign(seg, region) + 1
        cell = next((c for c in row.cells if c.col == col), None)
        if cell is not None and cell.text:
            cell.text += f" {seg.text}"  # two figures in one column: reported by the finance stage
            continue
        filled = Cell(text=seg.text, col=col, italic=seg.italic,
                      prov=Provenance(page=line.page, bbox=seg.bbox.rounded()))
        row.cells = sorted([c for c in row.cells if c.col != col] + [filled], key=lambda c: c.col)


def finance_table(region: Region, table_id: str, language: str | None) -> Table:
    rows: list[TableRow] = []
    row_lines: list[list[Line]] = []
    pieces: dict[int, list[str]] = {}  # each row's label as printed, line by line
    for line in region.body:
        segments = line.segments()
        amounts_at = next((i for i, s in enumerate(segments) if s.is_number), len(segments))
        label_segments, amount_segments = segments[:amounts_at], segments[amounts_at:]
        label = " ".join(s.text for s in label_segments)
        if not amount_segments and rows and wraps_into(rows[-1].cells[0].text, label, language):
            pieces[id(rows[-1])].append(label)
            rows[-1].cells[0].text = best_label(pieces[id(rows[-1])], language)
            row_lines[-1].append(line)
            continue
        if not label_segments and amount_segments and rows and _middle_line(rows[-1], row_lines[-1][-1], line):
            # the figures of a label wrapped over lines, set between its lines ('Övriga verksam-' / figures /
            # 'hetsintäkter'): they belong to the label above, whose rest follows
            _add_amounts(rows[-1], amount_segments, region, line)
            row_lines[-1].append(line)
            continue
        italic = bool(label_segments) and all(s.italic for s in label_segments)
        cells = [Cell(text=label, col=0, italic=italic, prov=Provenance(page=line.page, bbox=line.bbox.rounded()))]
        for seg in amount_segments:
            col = _assign(seg, region) + 1
            if any(c.col == col for c in cells):
                cells[-1].text = f"{cells[-1].text} {seg.text}"  # reported by the finance stage as not a number
                continue
            cells.append(Cell(text=seg.text, col=col, italic=seg.italic,
                              prov=Provenance(page=line.page, bbox=seg.bbox.rounded())))
        existing = {c.col for c in cells}
        cells += [Cell(text="", col=i + 1) for i in range(len(region.columns)) if i + 1 not in existing]
        cells.sort(key=lambda c: c.col)
        rows.append(TableRow(cells=cells, italic=italic, bold=line.bold, prov=Provenance(page=line.page)))
        row_lines.append([line])
        pieces[id(rows[-1])] = [label]
    rows, row_lines = _merge_forward(rows, row_lines, pieces, language)
    for row, lines in zip(rows, row_lines, strict=True):
        row.prov = _prov(lines)
        row.cells[0].prov = row.prov
    header = _header_cells(region, with_label=True)
    return Table(table_id=table_id, header=header, rows=rows, prov=_prov(region.header_lines + region.body),
                 quality=_quality(region, rows, len(header)))


def _rule_between(region: Region, upper: Line, lower: Line) -> bool:
    if upper.page != lower.page:
        return False
    return any(upper.bottom - 1 <= y <= lower.top + 1 for y in region.rules.get(lower.page, ()))


def _starts_cells(line: Line, columns: list) -> bool:
    """Every cell on the line begins with a capital letter or a digit, as new cells do."""
    firsts: dict[int, str] = {}
    for word in line.words:
        firsts.setdefault(column_of(word.x0, columns, word.size), word.text)
    return bool(firsts) and all(text[:1].isupper() or text[:1].isdigit() for text in firsts.values())


def goal_table(region: Region, table_id: str) -> Table:
    columns = region.columns
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
            ruled = _rule_between(region, groups[-1][1][-1], line)
            gap = line.page == groups[-1][1][-1].page and line.top - groups[-1][1][-1].top > 1.6 * pitch
            # a change between all-bold and plain text starts a row (strategic goals set in bold)
            ruled = ruled or line.bold != groups[-1][1][-1].bold
            if prev_spanning:
                # a merged row goes on while its text stays in column 0 or keeps its own style
                same_style = bold_marks_rows and line.bold and groups[-1][1][-1].bold
                new_row = ruled or gap or not (spanning or occupied == {0} or same_style)
                spanning = spanning or (not new_row)
            elif line.page != groups[-1][1][-1].page:
                # across a page break a cell may go on after blank lines (widow control), so a column
                # filling again proves nothing; a new row starts every cell with a capital
                new_row = spanning or ruled or _starts_cells(line, columns)
            else:
                new_row = spanning or ruled or gap or bool(occupied - prev_occupied)
        if new_row:
            groups.append((spanning, [line]))
        else:
            groups[-1][1].append(line)
        prev_occupied = occupied
        prev_spanning = spanning
    rows = [_goal_row(spanning, lines, region) for spanning, lines in groups]
    header = _header_cells(region, with_label=False)
    return Table(table_id=table_id, header=header, rows=rows, prov=_prov(region.header_lines + region.body),
                 quality=_quality(region, rows, len(header)))


def _goal_row(spanning: bool, lines: list[Line], region: Region) -> TableRow:
    prov = _prov(lines)
    columns = region.columns
    if spanning:
        cells = [Cell(text=join_wrapped([ln.text for ln in lines]), col=0, bold=all(ln.bold for ln in lines),
                      lines=[ln.text for ln in lines] if len(lines) > 1 else [],
                      prov=prov)]
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
    cells = [Cell(text=join_wrapped(texts[i]), col=i, lines=texts[i] if len(texts[i]) > 1 else [],
                  prov=Provenance(page=prov.page, bbox=BBox.around(boxes[i]).rounded() if boxes[i] else None))
             for i in range(len(columns))]
    return TableRow(cells=cells, prov=prov, bold=all(ln.bold for ln in lines))
