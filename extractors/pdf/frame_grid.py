"""PDF ruled frames, the grid: a frame's ruling lines -> its grid lines and the cells that join across them.

A frame's grid columns are the x positions of its vertical rules and its grid rows the y positions of its
horizontal rules (within SNAP one line); a grid slot joins its neighbour where no rule covers COVER of their
shared side, nor one shading ends there as another begins, so merged cells span several columns or rows.
Split out of `extractors.pdf.frames`, which finds the frames and fills their cells.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from extractors.pdf.lines import Word
from extractors.pdf.page import Rule, Shape

SNAP = 2.0  # points within which rule positions are one grid line
COVER = 0.6  # share of a slot's side a rule must cover to separate it from its neighbour


@dataclass
class FrameCell:
    x0: float
    top: float
    x1: float
    bottom: float
    col: int
    span_cols: int
    row: int
    span_rows: int
    lines: list[list[Word]] = field(default_factory=list)
    fill: tuple[int, int, int, int] | None = None
    page: int = 0

    def texts(self) -> list[str]:
        return [" ".join(w.text for w in words) for words in self.lines]

    @property
    def bold(self) -> bool:
        words = [w for ws in self.lines for w in ws]
        return bool(words) and all(w.bold for w in words)

def snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= SNAP:
            continue
        out.append(value)
    return out


def _shading_boundary(top: float, bottom: float, ends: list[Shape], starts: list[Shape]) -> bool:
    """One shading ends and another begins at a grid line over the band (two heading cells shaded side by side):
    `ends` and `starts` are the shapes whose right and left sides stand at that line (within SNAP)."""
    need = COVER * (bottom - top)

    def covers(shape: Shape) -> bool:
        return min(shape.bottom, bottom) - max(shape.top, top) >= need

    return any(covers(a) for a in ends) and any(covers(b) for b in starts)


_Item = TypeVar("_Item", Rule, Shape)


def at_lines(lines: list[float], items: list[_Item], position: Callable[[_Item], float]) -> dict[float, list[_Item]]:
    """For each grid line (points), the items whose position lies within SNAP of it, in the items' order.

    The items are sorted by position once and each line tests only those within SNAP and a point of it, found
    by bisection (the test itself is the one every item would get); with a position that is not a finite
    number (a damaged file) every item is tested."""
    positions = [position(item) for item in items]
    if not all(math.isfinite(p) for p in positions):
        return {line: [item for item, p in zip(items, positions, strict=True) if abs(p - line) <= SNAP]
                for line in lines}
    order = sorted(range(len(items)), key=positions.__getitem__)
    ordered = [positions[i] for i in order]
    found: dict[float, list[_Item]] = {}
    for line in lines:
        near = order[bisect_left(ordered, line - SNAP - 1.0):bisect_right(ordered, line + SNAP + 1.0)]
        found[line] = [items[i] for i in sorted(near) if abs(positions[i] - line) <= SNAP]
    return found


def grid_cells(hs: list[Rule], vs: list[Rule], shapes: list[Shape]) -> tuple[list[float], list[float],
                                                                                list[FrameCell]]:
    ys = snap([r.top for r in hs])
    xs = snap([r.x0 for r in vs])
    # what stands at each grid line, taken once (in order: the sums below add the same terms in the same order)
    at_x = at_lines(xs, vs, attrgetter("x0"))
    at_y = at_lines(ys, hs, attrgetter("top"))
    ends = at_lines(xs, shapes, attrgetter("x1"))
    starts = at_lines(xs, shapes, attrgetter("x0"))

    def v_at(x: float, top: float, bottom: float) -> bool:
        need = COVER * (bottom - top)
        ruled = sum(max(0.0, min(r.bottom, bottom) - max(r.top, top)) for r in at_x[x]) >= need
        return ruled or _shading_boundary(top, bottom, ends[x], starts[x])

    def h_at(y: float, x0: float, x1: float) -> bool:
        need = COVER * (x1 - x0)
        return sum(max(0.0, min(r.x1, x1) - max(r.x0, x0)) for r in at_y[y]) >= need

    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(rows):
        for j in range(cols):
            if j + 1 < cols and not v_at(xs[j + 1], ys[i], ys[i + 1]):
                parent[find(i * cols + j)] = find(i * cols + j + 1)
            if i + 1 < rows and not h_at(ys[i + 1], xs[j], xs[j + 1]):
                parent[find(i * cols + j)] = find((i + 1) * cols + j)
    slots: dict[int, list[tuple[int, int]]] = {}
    for i in range(rows):
        for j in range(cols):
            slots.setdefault(find(i * cols + j), []).append((i, j))
    cells = []
    for members in slots.values():
        r0, r1 = min(i for i, _ in members), max(i for i, _ in members)
        c0, c1 = min(j for _, j in members), max(j for _, j in members)
        cells.append(FrameCell(x0=xs[c0], top=ys[r0], x1=xs[c1 + 1], bottom=ys[r1 + 1], col=c0,
                               span_cols=c1 - c0 + 1, row=r0, span_rows=r1 - r0 + 1))
    return xs, ys, sorted(cells, key=lambda c: (c.row, c.col))
