"""PDF shaded grids: cell shadings that tile a table with no ruling lines -> the rules they stand for.

A word processor draws a table whose borders are turned off but whose cells are shaded (a project sheet:
'Projekt (2) - Valfisken | Projektbeskrivning' on dark blue over rows shaded light and lighter blue) as one
filled rectangle per cell, abutting its neighbours, plus smaller pieces behind each line of text. The cells'
edges are where one shading meets the next: those edges are the table's grid as surely as rules would be.

`shading_rules` gives, for each group of at least two rows and two columns of abutting cell shadings that
no ruling line touches, the sides of its cells as rules; `extractors.pdf.frames.find_frames` reads them as it
reads ruled frames. A shaded box standing alone (a highlighted paragraph, a coloured banner), or a column of
shaded bands with nothing beside them, is no grid. Layout only: no language data.
"""

from __future__ import annotations

from extractors.pdf.grid import WHITE, outer_fills
from extractors.pdf.page import PageContent, Rule, Shape

ABUT = 1.5  # points within which two shadings meet
MIN_SIDE = 6.0  # points: a shading narrower or lower than this is a stripe, not a cell


def _shaded(shape: Shape) -> bool:
    return shape.kind == "rect" and shape.x1 - shape.x0 >= MIN_SIDE and shape.bottom - shape.top >= MIN_SIDE \
        and shape.fill[3] > 0 and min(shape.fill[:3]) < WHITE


def cell_shadings(shapes: list[Shape]) -> list[Shape]:
    """Shaded rectangles not inside another (a cell's background, not the pieces painted behind each line)."""
    return outer_fills([s for s in shapes if _shaded(s)])


def _side_by_side(a: Shape, b: Shape) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return abs(a.x1 - b.x0) <= ABUT and overlap >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _one_above(a: Shape, b: Shape) -> bool:
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    return abs(a.bottom - b.top) <= ABUT and overlap >= 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)


def shaded_grids(shapes: list[Shape]) -> list[list[Shape]]:
    """Groups of abutting cell shadings with cells side by side and one above another, top to bottom."""
    cells = sorted(cell_shadings(shapes), key=lambda s: (s.top, s.x0))
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    beside: set[int] = set()
    above: set[int] = set()
    for i, a in enumerate(cells):
        for j in range(i + 1, len(cells)):
            b = cells[j]
            if b.top > a.bottom + ABUT:
                break
            for first, second in ((a, b), (b, a)):
                if _side_by_side(first, second):
                    parent[find(i)] = find(j)
                    beside.update((i, j))
                elif _one_above(first, second):
                    parent[find(i)] = find(j)
                    above.update((i, j))
    groups: dict[int, list[int]] = {}
    for i in range(len(cells)):
        groups.setdefault(find(i), []).append(i)
    return [[cells[i] for i in members] for members in groups.values()
            if len(members) >= 4 and beside & set(members) and above & set(members)]


def _touched(grid: list[Shape], rules: list[Rule]) -> bool:
    x0, top = min(s.x0 for s in grid), min(s.top for s in grid)
    x1, bottom = max(s.x1 for s in grid), max(s.bottom for s in grid)
    return any(r.x1 >= x0 - ABUT and r.x0 <= x1 + ABUT and r.bottom >= top - ABUT and r.top <= bottom + ABUT
               for r in rules)


def labels_beside_texts(rows: list[list]) -> bool:
    """In at least half the rows under the first, text stands in both cells of a two-column grid: a label beside
    its text ('Investeringsutgift | 1450 tkr 2027, ...'), not a column of goals beside their status marks
    ('Nämndmål | Bedömning' over goals and coloured dots, which the goal reader reads from the lines)."""
    body = rows[1:]
    both = sum(1 for row in body if len(row) == 2 and all(cell.lines for cell in row))
    return bool(body) and 2 * both >= len(body)


def shading_rules(page: PageContent) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) rules along the cells of the page's shaded grids that no ruling line touches."""
    ruled = [r for r in (*page.rules_h, *page.rules_v) if not r.fill_edge]
    hs: list[Rule] = []
    vs: list[Rule] = []
    for grid in shaded_grids(page.shapes):
        if _touched(grid, ruled):
            continue  # a ruled table's shading: its rules draw the grid
        for s in grid:
            hs += [Rule(s.x0, s.top, s.x1, s.top), Rule(s.x0, s.bottom, s.x1, s.bottom)]
            vs += [Rule(s.x0, s.top, s.x0, s.bottom), Rule(s.x1, s.top, s.x1, s.bottom)]
    return hs, vs
