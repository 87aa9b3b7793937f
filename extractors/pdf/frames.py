"""PDF ruled frames: ruling lines that close cells -> a grid of cells with spans (layout only).

A frame is a set of ruling lines that touch one another. Its grid columns are the x positions of its
vertical rules and its grid rows the y positions of its horizontal rules; a grid slot joins its
neighbour where no rule separates them, so merged cells span several columns or rows (docling's
TableData does the same with row and column spans). The sides of filled shapes are not rules
(`Rule.fill_edge`): a cell's shading, or a white box behind each line of text, draws no border. The grid
lines and the cells joined across them are `extractors.pdf.frame_grid`'s.

Only frames laid out as stacked blocks are claimed (`is_stacked`): bands of the frame divided into
different columns ('a | b | c | d' over 'a | b' over 'a | b | c | d | e'), holding text rather than
figures; and two-column text tables under a shaded heading row (`is_two_column_text`). Ruled value
tables and other text tables keep going to the line-based table finder.

Inside a band, two or more cells that print the same number of paragraphs (two indicators in one
ruled row, one blank line apart; four budget goals beside their four situation reports) give one row
per paragraph; the band's other cells (one status mark for both) stand in the first and span them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from statistics import median

from extractors.numbers import is_number
from extractors.pdf.frame_grid import SNAP, FrameCell, grid_cells, snap
from extractors.pdf.linebreaks import item_starts
from extractors.pdf.lines import Line, Word
from extractors.pdf.page import PageContent, Rule, Shape
from extractors.pdf.shading import labels_beside_texts, shading_rules

TOUCH = 2.5  # points within which two rules touch
MAX_NUMBER_SHARE = 0.4  # frames whose text lines mostly end in a figure are value tables
PARAGRAPH_GAP = 0.8  # blank space between paragraphs, in line heights



@dataclass
class Frame:
    """A ruled frame on one page (or continued over pages): rows of cells, outer box, grid columns."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    xs: list[float]
    rows: list[list[FrameCell]]
    lines: list[Line] = field(default_factory=list)
    """The page lines inside the frame (taken away from the page's running text)."""
    pages: list[int] = field(default_factory=list)
    shaded: bool = False
    """Drawn by cell shadings alone, no ruling lines (`extractors.pdf.shading`)."""


def _merge(rules: list[Rule], horizontal: bool) -> list[Rule]:
    """Collinear pieces within SNAP of each other become one rule. Pieces are first grouped by their
    position across the rule (within SNAP of the group's first), then joined along it in order: sorting by a
    rounded position alone let a piece at 419.6 pt join a rule at 418.7 pt that starts further down, and
    the piece's own stretch was lost (a column rule of a goal table over another table's)."""
    across = attrgetter("top" if horizontal else "x0")
    along = attrgetter("x0" if horizontal else "top")
    groups: list[list[Rule]] = []
    start = 0.0  # the position of the group's first piece
    for rule in sorted(rules, key=across):
        position = across(rule)
        if groups and position - start <= SNAP:
            groups[-1].append(rule)
        else:
            groups.append([rule])
            start = position
    merged: list[Rule] = []
    for group in groups:
        last: Rule | None = None
        for rule in sorted(group, key=along) if len(group) > 1 else group:
            if last is not None and horizontal and rule.x0 <= last.x1 + SNAP:
                last.x1 = max(last.x1, rule.x1)
            elif last is not None and not horizontal and rule.top <= last.bottom + SNAP:
                last.bottom = max(last.bottom, rule.bottom)
            else:
                last = Rule(rule.x0, rule.top, rule.x1, rule.bottom, rule.width)
                merged.append(last)
    return merged


_BAND = 16.0  # points: the height of the bands _components files the vertical rules under
_MAX_BANDS = 512  # a rule across more bands than this is tried against every horizontal rule


def _components(hs: list[Rule], vs: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """The groups of at least two horizontal and two vertical rules that touch one another (within TOUCH).

    Each horizontal rule is tried against the vertical rules that reach the band of the page its y lies in
    (each vertical rule is filed under every band from its top to its bottom, TOUCH to spare, both figured as
    the test below figures them), not against all of them; the groups, and their order, follow from which
    rules touch, not from the order they are tried in."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    bands: dict[int, list[int]] = {}
    everywhere: list[int] = []  # rules with no finite extent, or a very long one
    for j, v in enumerate(vs):
        low, high = v.top - TOUCH, v.bottom + TOUCH
        if not (math.isfinite(low) and math.isfinite(high)) or high < low or \
                math.floor(high / _BAND) - math.floor(low / _BAND) > _MAX_BANDS:
            everywhere.append(j)
            continue
        for band in range(math.floor(low / _BAND), math.floor(high / _BAND) + 1):
            bands.setdefault(band, []).append(j)
    for i, h in enumerate(hs):
        tried = [*bands.get(math.floor(h.top / _BAND), ()), *everywhere] if math.isfinite(h.top) else range(len(vs))
        left, right, y = h.x0 - TOUCH, h.x1 + TOUCH, h.top  # the horizontal rule's reach, figured once
        for j in tried:
            v = vs[j]
            if left <= v.x0 <= right and v.top - TOUCH <= y <= v.bottom + TOUCH:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _fill_of(cell: FrameCell, shapes: list[Shape]) -> tuple[int, int, int, int] | None:
    """The colour of the shape painted last that covers most of the cell (its shading), if any."""
    x0, top, x1, bottom = cell.x0, cell.top, cell.x1, cell.bottom
    area = (x1 - x0) * (bottom - top)
    if area <= 0:
        return None
    best: Shape | None = None
    for shape in shapes:
        if shape.x1 <= x0 or shape.x0 >= x1 or shape.bottom <= top or shape.top >= bottom:
            continue  # no overlap
        overlap = (min(shape.x1, x1) - max(shape.x0, x0)) * (min(shape.bottom, bottom) - max(shape.top, top))
        if overlap >= 0.6 * area and (best is None or shape.z > best.z):
            best = shape
    return best.fill if best is not None else None


def _place_words(cells: list[FrameCell], lines: list[Line]) -> list[Line]:
    """Put each word of the lines inside the frame into its cell; the lines taken."""
    taken: list[Line] = []
    for line in lines:
        placed = False
        for word in line.words:
            cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            cell = next((c for c in cells if c.x0 <= cx <= c.x1 and c.top <= cy <= c.bottom), None)
            if cell is None:
                continue
            placed = True
            if cell.lines and abs(cell.lines[-1][0].top - word.top) < 0.5 * (word.bottom - word.top):
                cell.lines[-1].append(word)
            else:
                cell.lines.append([word])
        if placed:
            taken.append(line)
    return taken


def is_stacked(frame: Frame) -> bool:
    """Rows divided at different column boundaries (counting the cells that span down into them; a row of
    one text across the width does not count), holding text rather than figures."""
    lines = [words for row in frame.rows for c in row for words in c.lines]
    if len(frame.rows) < 2 or not lines:
        return False
    if sum(is_number(words[-1].text) for words in lines) > MAX_NUMBER_SHARE * len(lines):
        return False  # most lines end in a figure: a value table
    layouts = set()
    for index, row in enumerate(frame.rows):
        covering = [c for j, above in enumerate(frame.rows[:index + 1]) for c in above if j + c.span_rows > index]
        bounds = frozenset(x for c in covering for x in (c.col, c.col + c.span_cols))
        if len(bounds) > 2 and any(c.lines for c in row):
            layouts.add(bounds)  # a row of one text across the width is a merged row, not another layout
    return len(layouts) >= 2


def _paragraphs(cell: FrameCell, gap: float) -> list[list[list[Word]]]:
    paragraphs: list[list[list[Word]]] = []
    for words in cell.lines:
        top = min(w.top for w in words)
        if paragraphs and top - max(w.bottom for w in paragraphs[-1][-1]) < gap:
            paragraphs[-1].append(words)
        else:
            paragraphs.append([words])
    return paragraphs


def paragraph_starts(cell: FrameCell, gap: float) -> list[int]:
    """Indices of the cell's lines that open a paragraph after a blank line (PARAGRAPH_GAP line heights),
    or a new item after a line ended by hand (`linebreaks.item_starts`)."""
    if len(cell.lines) < 2 or gap <= 0:
        return []
    starts, index = set(item_starts(cell.lines)), 0
    for paragraph in _paragraphs(cell, gap):
        if index:
            starts.add(index)
        index += len(paragraph)
    return sorted(starts)


def is_two_column_text(frame: Frame) -> bool:
    """Two columns of text under a heading row set bold on shading ('Uppdrag | Kommentar'), or on a shading no
    body row has when one of its cells is bold or the frame is drawn by shadings alone ('Projekt (3) -
    Hafreborg | Projektbeskrivning'): a text table the line-based finder, which wants three columns, does not
    read."""
    if len(frame.rows) < 2 or len(frame.rows[0]) != 2 or any(len(row) > 2 for row in frame.rows):
        return False
    lines = [words for row in frame.rows for c in row for words in c.lines]
    if not lines or sum(is_number(words[-1].text) for words in lines) > MAX_NUMBER_SHARE * len(lines):
        return False
    head = frame.rows[0]
    if not all(c.lines and fill_hex(c.fill) is not None for c in head) or \
            (frame.shaded and not labels_beside_texts(frame.rows)):
        return False
    # set bold, or on a shading of its own that no body row has (a project sheet's 'Projektbeskrivning')
    body = {fill_hex(c.fill) for row in frame.rows[1:] for c in row}
    return all(c.bold for c in head) or \
        ((frame.shaded or any(c.bold for c in head)) and not body & {fill_hex(c.fill) for c in head})


def _split_band(cells: list[FrameCell]) -> list[list[FrameCell]]:
    """A band's cells as one row, or one row per paragraph when two or more cells print the same number of
    paragraphs (two indicators in one ruled row, one blank line apart; four budget goals beside their four
    situation reports). The rows part halfway between those paragraphs; a cell whose lines fall on both
    sides of every parting is split there too (an indicator set without a blank line beside its values),
    the other cells stand in the first row and span them all (one status mark for both indicators)."""
    heights = [ws[0].bottom - ws[0].top for c in cells for ws in c.lines]
    if not heights:
        return [cells]
    gap = PARAGRAPH_GAP * sorted(heights)[len(heights) // 2]
    paragraphs = {id(c): _paragraphs(c, gap) for c in cells if c.span_rows == 1}
    counts = Counter(len(p) for p in paragraphs.values() if len(p) >= 2)
    if not counts or counts.most_common(1)[0][1] < 2:
        return [cells]
    count = counts.most_common(1)[0][0]
    split = [p for p in paragraphs.values() if len(p) == count]
    cuts = [median((max(w.bottom for w in p[k][-1]) + min(w.top for w in p[k + 1][0])) / 2 for p in split)
            for k in range(count - 1)]
    bounds = [-1e9, *cuts, 1e9]
    rows: list[list[FrameCell]] = [[] for _ in range(count)]
    for cell in cells:
        own = paragraphs.get(id(cell), [])
        parts = [[ws for p in own[k:k + 1] for ws in p] for k in range(count)] if len(own) == count else \
            [[ws for ws in cell.lines if bounds[k] <= (ws[0].top + ws[0].bottom) / 2 < bounds[k + 1]]
             for k in range(count)]
        if cell.span_rows > 1 or not all(parts):
            rows[0].append(FrameCell(cell.x0, cell.top, cell.x1, cell.bottom, cell.col, cell.span_cols, cell.row,
                                     max(cell.span_rows, count), cell.lines, cell.fill, cell.page))
            continue
        for k, part in enumerate(parts):
            top = cell.top if k == 0 else cuts[k - 1]
            bottom = cell.bottom if k == count - 1 else cuts[k]
            rows[k].append(FrameCell(cell.x0, top, cell.x1, bottom, cell.col, cell.span_cols, cell.row, 1, part,
                                     cell.fill, cell.page))
    return [sorted(r, key=lambda c: c.col) for r in rows]


def find_frames(page: PageContent, lines: list[Line]) -> list[Frame]:
    """The ruled frames of a page, top to bottom, with their cells' words (all frames, claimed or not)."""
    shapes = page.shapes
    hs = _merge([r for r in page.rules_h if not r.fill_edge], horizontal=True)
    vs = _merge([r for r in page.rules_v if not r.fill_edge], horizontal=False)
    shaded_h, shaded_v = shading_rules(page)  # the edges of abutting cell shadings with no rule near
    frames: list[Frame] = []
    centres: list[tuple[float, float]] | None = None  # each line's centre, figured once when a frame is found
    for (h_rules, v_rules), shaded in [*((c, False) for c in _components(hs, vs)),
                                       *((c, True) for c in _components(_merge(shaded_h, horizontal=True),
                                                                        _merge(shaded_v, horizontal=False)))]:
        xs, ys, cells = grid_cells(h_rules, v_rules, shapes)
        if len(xs) < 2 or len(ys) < 2 or not cells:
            continue
        if centres is None:
            centres = [((ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2) for ln in lines]
        inside = [ln for ln, (cx, cy) in zip(lines, centres, strict=True) if xs[0] - SNAP <= cx <= xs[-1] + SNAP
                  and ys[0] - SNAP <= cy <= ys[-1] + SNAP]
        taken = _place_words(cells, inside)
        # only a shape overlapping the frame can cover most of one of its cells (order kept: ties go to the first)
        near = [s for s in shapes if s.x1 > xs[0] and s.x0 < xs[-1] and s.bottom > ys[0] and s.top < ys[-1]]
        # and only one overlapping the cell's band of the page (the cells of a row share it: taken once per band)
        bands_near: dict[tuple[float, float], list[Shape]] = {}
        for cell in cells:
            band_near = bands_near.get((cell.top, cell.bottom))
            if band_near is None:
                band_near = bands_near[cell.top, cell.bottom] = [
                    s for s in near if not (s.bottom <= cell.top or s.top >= cell.bottom)]  # _fill_of's test
            cell.fill = _fill_of(cell, band_near)
            cell.page = page.number
        bands: dict[int, list[FrameCell]] = {}
        for cell in cells:
            bands.setdefault(cell.row, []).append(cell)
        rows = [row for band in sorted(bands) for row in _split_band(bands[band])]
        frames.append(Frame(page=page.number, x0=xs[0], top=ys[0], x1=xs[-1], bottom=ys[-1], xs=xs, rows=rows,
                            lines=taken, pages=[page.number], shaded=shaded))
    return sorted(frames, key=lambda f: f.top)


def continues(previous: Frame, frame: Frame) -> bool:
    """`frame`, first on its page, goes on with `previous`, last on the page before: the same outer
    edges, the column boundaries of its first row all `previous`'s, and no shaded heading row of its own
    first (a table broken by the page with no repeated heading row, perhaps in the middle of a cell)."""
    if frame.page != max(previous.pages) + 1:
        return False
    if frame.rows and any(c.fill is not None and c.bold for c in frame.rows[0]):
        return False  # it starts with a shaded heading row of its own: a new table
    if abs(frame.x0 - previous.x0) > SNAP or abs(frame.x1 - previous.x1) > SNAP or not frame.rows:
        return False
    first = {x for c in frame.rows[0] for x in (c.x0, c.x1)}
    return all(any(abs(x - y) <= SNAP for y in previous.xs) for x in first)


def fill_hex(fill: tuple[int, int, int, int] | None) -> str | None:
    """A cell's shading as '#rrggbb'; None for no fill, a transparent one or a near-white one."""
    if fill is None or fill[3] == 0 or all(c >= 235 for c in fill[:3]):
        return None
    return "#{:02x}{:02x}{:02x}".format(*fill[:3])


def merge_continuation(previous: Frame, frame: Frame) -> None:
    """Append `frame`'s rows to `previous`; both frames' cells renumbered to the union of their grid columns."""
    xs = snap([*previous.xs, *frame.xs])

    def index(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    for row in [*previous.rows, *frame.rows]:
        for cell in row:
            start, end = index(cell.x0), index(cell.x1)
            cell.col, cell.span_cols = start, max(1, end - start)
    rows = list(frame.rows)
    if rows and previous.rows and _goes_on(rows[0]):
        last = {(c.col, c.span_cols): c for c in previous.rows[-1]}
        for cell in rows.pop(0):
            above = last.get((cell.col, cell.span_cols))
            if above is not None:
                above.lines += cell.lines
            else:
                previous.rows[-1].append(cell)
    previous.rows += rows
    previous.xs = xs
    previous.lines += frame.lines
    previous.pages.append(frame.page)
    previous.bottom = frame.bottom


def _goes_on(row: list[FrameCell]) -> bool:
    """A row at the top of a continuation page that finishes the cells of the row the page before cut: its
    first column is empty (a new row starts with its label), or a text in it starts in the middle of a
    sentence (a small letter or a closing bracket)."""
    texts = [c.texts()[0] for c in row if c.lines]
    first_empty = not any(c.lines for c in row if c.col == min(cell.col for cell in row))
    return bool(texts) and (first_empty or any(t[0].islower() or t[0] in ")],;" for t in texts))
