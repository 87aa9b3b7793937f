"""PDF table headings: header lines -> levels -> each column's heading and the grouped headings over it.

A heading cell that wraps over lines is one heading ('BUDGET' / '2024 inkl.' / 'ändringar'); a
heading row drawn above another (separated by a rule, a shading edge or a cell's padding) is an outer
level, and a heading of an outer level stands over the columns it covers and over the neighbouring
columns no other outer heading is nearer to ('Period' over Utfall / Budget / Avvikelse).
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.pdf.grid import Column, Graphics, cluster_columns, overlapping
from extractors.pdf.lines import Line, Segment, split_segments

CENTRED = 0.1  # how far off the middle of its sub-headings a group heading may stand, in their spread
LEVEL_GAP = 0.6  # white space between two heading lines, in font sizes, that separates heading rows


def header_levels(lines: list[Line], graphics: Graphics, x0: float, x1: float) -> list[list[Line]]:
    """Heading lines grouped into heading rows, top to bottom."""
    levels: list[list[Line]] = []
    edges = graphics.row_edges(x0, x1, lines[0].top, lines[-1].bottom) if lines else []
    for line in lines:
        if levels:
            prev = levels[-1][-1]
            gap = line.top - prev.bottom
            ruled = any(prev.bottom - 1 <= y <= line.top + 1 for y in edges)
            if gap <= LEVEL_GAP * min(line.size, prev.size) and not ruled:
                levels[-1].append(line)
                continue
        levels.append([line])
    return levels


def _groups_over(top: list[Segment], below: list[Segment]) -> bool:
    """Whether each heading of `top` stands centred over two or more headings of `below` (each lower
    heading belonging to the top heading nearest it) and over none of them: a group row ('2024' centred
    over the gap between 'Pitkä-' and 'Lyhyt-'). A group centred over the middle one of three sub-headings
    is not told from a wrapped heading by spacing alone and is left to rules and padding (`header_levels`)."""
    if not top or len(below) < 2 * len(top):
        return False
    centres = sorted((s.x0 + s.x1) / 2 for s in top)
    owned: list[list[float]] = [[] for _ in centres]
    for seg in below:
        mid = (seg.x0 + seg.x1) / 2
        owned[min(range(len(centres)), key=lambda k: abs(centres[k] - mid))].append(mid)
    # a heading centred over one heading below is that cell's first line ('Talousarvio' / 'muutosten' /
    # 'jälkeen', Kauhava financial statement 2024 p. 116), not a group
    inside = any(s.x0 <= centre <= s.x1 for centre in centres for s in below)
    # and centred over the headings it owns, within a tenth of their spread (Lapua board minutes
    # 2025-01-22 p. 14: 'Muutos%' right of 'TA 2025' is a heading of its own, no group over its neighbours)
    return not inside and all(
        len(mids) >= 2 and abs(centre - (min(mids) + max(mids)) / 2) <= CENTRED * (max(mids) - min(mids))
        for centre, mids in zip(centres, owned, strict=True))


def split_group_lines(levels: list[list[Line]], in_label_cell: Callable[[Segment], bool]) -> list[list[Line]]:
    """Heading rows split where a heading line is a group row over the line below it, though nothing but a
    line's spacing separates them (Seinäjoki financial statement 2024 p. 172 '30) Vieras pääoma': '2024'
    and '2023' each centred over 'Pitkä- aikainen' / 'Lyhyt- aikainen' in one shaded band). Label cells
    (`in_label_cell`) take no part in the comparison."""
    split: list[list[Line]] = []
    for level in levels:
        start = 0
        for i in range(len(level) - 1):
            top, below = ([s for s in ln.segments() if not in_label_cell(s)] for ln in level[i:i + 2])
            if _groups_over(top, below):
                split.append(level[start:i + 1])
                start = i + 1
        split.append(level[start:])
    return split


def header_pieces(header_segments: list[Segment], columns: list[Column]) -> list[Segment]:
    """Header cells (runs stacked over each other) that each sit over at most one column: a cell over one
    column stays whole ('TALOUSARV' over 'IO 2025'); one over several is split into its runs, and a run
    over several into tighter runs or words ('TA 2024 Raami 2025')."""
    pieces: list[Segment] = []
    for cell in cluster_columns(header_segments):
        if overlapping(Segment(words=[w for seg in cell.header for w in seg.words]), columns) <= 1:
            pieces += cell.header
            continue
        for seg in cell.header:
            if overlapping(seg, columns) <= 1:
                pieces.append(seg)
                continue
            tighter = split_segments(seg.words, factor=0.4)
            pieces += tighter if all(overlapping(p, columns) <= 1 for p in tighter) else \
                [Segment(words=[w]) for w in seg.words]
    return pieces


def _owner(center: float, columns: list[Column], right: bool, bounds: list[float]) -> int | None:
    """The column whose cell holds a heading centred at `center`: cells end at a vertical rule where the
    page draws one, else at the figures' right edge (right-aligned) or the next column's left edge."""
    for k, column in enumerate(columns):
        if k < len(bounds) and bounds[k] is not None:
            edge = bounds[k]
        elif right:
            edge = column.x1 + 2
        else:
            edge = columns[k + 1].x0 - 2 if k + 1 < len(columns) else float("inf")
        if center <= edge:
            return k
    return None


def _over_figures(cell: Column, column: Column) -> bool:
    """A heading cell that stands over the figures of `column` for more than half its width: a piece of
    that column's heading, never a column printed empty (figures would stand under an empty column's
    heading). Seinäjoki financial statement 2024 p. 174: 'Muutos' of 'Muutos korkotasossa (%-yksikköä)'
    over '-32 076 487,33'; taken for an empty column, its edge cut that figure in two."""
    return min(cell.x1, column.x1) - max(cell.x0, column.x0) > 0.5 * (cell.x1 - cell.x0)


def hang_headings(columns: list[Column], bottom: list[Segment], bounds: list[float | None],
                  right: bool) -> list[Column]:
    """Hang the lowest heading row on the value columns; headings with no figures under them become
    columns of their own (a column printed empty, headings right of the last figures); a second heading
    cell standing over a column's figures is part of that column's heading (`_over_figures`)."""
    for column in columns:
        column.header = []
    claims: dict[int, list[Segment]] = {}
    extra: list[Column] = []
    for piece in header_pieces(bottom, columns):
        index = _owner((piece.x0 + piece.x1) / 2, columns, right, bounds)
        if index is None:
            extra.append(Column(x0=piece.x0, x1=piece.x1, header=[piece]))
        else:
            claims.setdefault(index, []).append(piece)
    for index, pieces in claims.items():
        column = columns[index]
        cells = cluster_columns(pieces)
        # the cell nearest the figures heads the column; any other is a column without figures
        cells.sort(key=lambda c: (-(min(c.x1, column.x1) - max(c.x0, column.x0)), abs(c.x1 - column.x1)))
        over = [c for c in cells[1:] if _over_figures(c, column)]
        column.header = cells[0].header + [seg for c in over for seg in c.header]
        extra += [c for c in cells[1:] if not _over_figures(c, column)]
    extra = cluster_columns([seg for c in extra for seg in c.header])
    return sorted(columns + extra, key=lambda c: c.x0)


def hang_groups(columns: list[Column], level: list[Segment]) -> None:
    """An outer heading row: each heading stands over the columns it covers and over the columns right of
    it up to the next heading of the row."""
    if not columns:
        return
    cells = sorted(cluster_columns(level), key=lambda c: c.x0)
    texts = [" ".join(s.text for s in sorted(c.header, key=lambda s: (round(s.bbox.top), s.x0))) for c in cells]
    for column in columns:
        covering = [k for k, c in enumerate(cells) if min(c.x1, column.x1) - max(c.x0, column.x0) > 0]
        if covering:
            index = covering[0]
        else:
            # a heading spans rightwards to the next heading of its row; columns left of the first one
            # stand under it too (a heading centred over its group)
            left = [k for k, c in enumerate(cells) if c.x0 < column.x0]
            index = left[-1] if left else 0
        column.groups.append(texts[index])


GROUP_GAP = 2.5  # white space, in line pitches, a group heading row may stand above the column headings
GROUP_LINES = 3  # lines a group heading may wrap over


def group_row_above(lines: list[Line], j: int, below: Line, columns: list[Column], labels_right: float,
                    pitch: float) -> list[Line]:
    """The lines, ending at lines[j], of a group heading row set up to `GROUP_GAP` line pitches of white
    space above the column headings whose top line is `below`, or []: its lines follow each other closely
    (a group heading wrapped over at most `GROUP_LINES` lines), every run stands right of the labels and
    none is a figure or year; its headings are two or more, each standing over two or more of the figure
    `columns` (a heading owns the columns ending right of its left edge up to the next heading), over the
    first of them or centred over them, and the first heading owns the first column. Kauhava financial
    statement 2024 p. 144 'Pysyvien vastaavien sijoitukset': 'Osakkeet ja osuudet' over the first five
    columns and 'JVK-, muut laina- ja muut saamiset' over the last five, a blank line above 'Osakkeet kon-
    serniyhtiöt' ... 'Yhteensä'. A caption or a title over the table starts in the label column and is no
    group row; one heading alone over all the columns (a unit line, a title set right) is none either."""
    if not columns or below.top - lines[j].bottom > GROUP_GAP * pitch:
        return []

    def headings_only(line: Line) -> bool:
        return all(s.x0 >= labels_right and not any(ch.isdigit() for ch in s.text) for s in line.segments())

    if not headings_only(lines[j]):
        return []
    block = [lines[j]]
    while j - len(block) >= 0 and len(block) < GROUP_LINES:
        upper = lines[j - len(block)]
        if block[0].top - upper.bottom > LEVEL_GAP * min(upper.size, block[0].size) or not headings_only(upper):
            break
        block.insert(0, upper)
    segments = [s for ln in block for s in ln.segments()]
    cells = sorted(cluster_columns(segments), key=lambda c: c.x0)
    if len(cells) < 2 or cells[0].x0 >= columns[0].x1:
        return []
    for k, cell in enumerate(cells):
        nxt = cells[k + 1].x0 if k + 1 < len(cells) else float("inf")
        owned = [c for c in columns if cell.x0 < c.x1 <= nxt]
        if len(owned) < 2:
            return []
        first = owned[0]
        centre, mid = (cell.x0 + cell.x1) / 2, (owned[0].x0 + owned[-1].x1) / 2
        if min(cell.x1, first.x1) - max(cell.x0, first.x0) <= 0 and \
                abs(centre - mid) > CENTRED * (owned[-1].x1 - owned[0].x0):
            return []
    return block
