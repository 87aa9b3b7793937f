"""PDF table grid: the shapes a table finder works with (columns, regions, the page's graphics) and
the layout tests it uses. Layout only: alignment, ruling, shading, numbers; no language data.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TypeVar

from extractors.numbers import is_empty_figure, is_number
from extractors.patterns import YEAR
from extractors.pdf.lines import Line, Segment
from extractors.pdf.page import PageContent, Rule, Shape
from models import BBox

Box = TypeVar("Box", BBox, Shape)

WHITE = 247  # a fill this light in every channel is the paper, not shading


def rule_x(rule: Rule) -> float:
    return (rule.x0 + rule.x1) / 2


def rule_y(rule: Rule) -> float:
    return (rule.top + rule.bottom) / 2


def outer_fills(boxes: list[Box]) -> list[Box]:
    """Shaded boxes (`BBox`, or `Shape` of `extractors.pdf.page`) not inside another shaded box (a cell's
    background, not the per-line pieces a word processor paints inside it). Sorted by area, so each box is
    compared with the larger ones only."""
    ordered = sorted(boxes, key=lambda b: -(b.x1 - b.x0) * (b.bottom - b.top))
    kept: list[BBox] = []
    for box in ordered:
        if not any(k.x0 - 0.5 <= box.x0 and box.x1 <= k.x1 + 0.5 and k.top - 0.5 <= box.top
                   and box.bottom <= k.bottom + 0.5 for k in kept):
            kept.append(box)
    return kept


@dataclass
class Column:
    """A column of a table: its extent, its own heading (segments, possibly on several lines) and the
    headings over it that span several columns (outer to inner)."""

    x0: float
    x1: float
    header: list[Segment] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def own_label(self) -> str:
        ordered = sorted(self.header, key=lambda s: (round(s.bbox.top), s.x0))
        return " ".join(s.text for s in ordered)

    def path(self) -> list[str]:
        own = self.own_label()
        return [*self.groups, own] if own else list(self.groups)

    def label(self) -> str:
        return " ".join(self.path())


@dataclass
class Graphics:
    """A page's ruling and shading, in the terms the grid asks about."""

    rules: list[Rule] = field(default_factory=list)
    fills: list[BBox] = field(default_factory=list)
    _by_y: tuple[tuple[int, int], list[float], list[Rule]] | None = field(default=None, init=False, repr=False,
                                                                           compare=False)
    """The horizontal rules sorted by their y (and the ys), for the list of rules they were taken from."""
    _vertical: tuple[tuple[int, int], list[Rule]] | None = field(default=None, init=False, repr=False, compare=False)
    _fill_ys: tuple[tuple[int, int], list[float], list[BBox]] | None = field(default=None, init=False, repr=False,
                                                                             compare=False)
    """The top and bottom edges of the fills sorted by y (the ys, and the box of each), for the list of fills."""

    def _fill_edges_by_y(self) -> tuple[list[float], list[BBox]]:
        key = (id(self.fills), len(self.fills))
        if self._fill_ys is None or self._fill_ys[0] != key:
            ordered = sorted(((y, b) for b in self.fills for y in (b.top, b.bottom)), key=itemgetter(0))
            self._fill_ys = (key, [y for y, _ in ordered], [b for _, b in ordered])
        return self._fill_ys[1], self._fill_ys[2]

    def _horizontal_by_y(self) -> tuple[list[float], list[Rule]]:
        key = (id(self.rules), len(self.rules))
        if self._by_y is None or self._by_y[0] != key:
            # rule_y and Rule.horizontal written out: this runs over every rule of the page
            ordered = sorted((((r.top + r.bottom) / 2, r) for r in self.rules
                              if abs(r.bottom - r.top) <= abs(r.x1 - r.x0)), key=itemgetter(0))
            self._by_y = (key, [y for y, _ in ordered], [r for _, r in ordered])
        return self._by_y[1], self._by_y[2]

    def vertical(self) -> list[Rule]:
        """The vertical rules longer than 4 pt, in the order of `rules` (made once for the list of rules they
        are taken from; callers do not change it)."""
        key = (id(self.rules), len(self.rules))
        if self._vertical is None or self._vertical[0] != key:
            # the length first: it turns a horizontal rule (top == bottom) away without Rule.horizontal's call
            self._vertical = (key, [r for r in self.rules if r.bottom - r.top > 4 and not r.horizontal])
        return self._vertical[1]

    def same_frame(self, upper: Line, lower: Line) -> bool:
        """Two lines stand in one ruled or shaded frame: a vertical rule (or one shaded box) runs from the
        upper line down to the lower one, so the white space between them is a cell's padding."""
        lo, hi = upper.bottom, lower.top
        x0, x1 = min(upper.x0, lower.x0), max(upper.x1, lower.x1)
        for rule in self.vertical():
            if rule.top <= lo + 1 and rule.bottom >= hi - 1 and x0 - 30 <= (rule.x0 + rule.x1) / 2 <= x1 + 30:
                return True  # rule_x written out
        # shaded boxes that together cover the white space between the lines (rows shaded in turn)
        boxes = sorted((b for b in self.fills if b.x0 <= x1 and b.x1 >= x0 and b.bottom >= lo and b.top <= hi),
                       key=lambda b: b.top)
        reach = lo
        for box in boxes:
            if box.top > reach + 1:
                break
            reach = max(reach, box.bottom)
        return bool(boxes) and reach >= hi - 1

    def ruled_down(self, upper: Line, lower: Line) -> bool:
        """A vertical rule runs from the upper line down to the lower one, drawn in one piece or cell by cell
        (pieces at one x, within a point, each starting where the one above ends): a frame's column border."""
        lo, hi = upper.bottom, lower.top
        x0, x1 = min(upper.x0, lower.x0), max(upper.x1, lower.x1)
        pieces: dict[int, list[Rule]] = {}
        for rule in self.vertical():
            if x0 - 30 <= rule_x(rule) <= x1 + 30 and rule.bottom >= lo and rule.top <= hi:
                pieces.setdefault(round(rule_x(rule)), []).append(rule)
        for column in pieces.values():
            reach = lo
            for rule in sorted(column, key=lambda r: r.top):
                if rule.top > reach + 1:
                    break
                reach = max(reach, rule.bottom)
            if reach >= hi - 1:
                return True
        return False

    def row_edges(self, x0: float, x1: float, top: float, bottom: float) -> list[float]:
        """y of horizontal rules and shading edges across at least half of [x0, x1] between top and bottom:
        the row boundaries the document draws."""
        width = max(1.0, x1 - x0)
        # a rule under one cell also ends the row (tables drawn cell by cell, an underlined sum)
        ys, rules = self._horizontal_by_y()
        first, end = bisect_left(ys, top - 2), bisect_right(ys, bottom + 2)
        across = min(20.0, 0.5 * width)
        edges = [y for y, r in zip(ys[first:end], rules[first:end], strict=True)
                 if min(r.x1, x1) - max(r.x0, x0) >= across]
        # the edges of the fills across at least 0.3 of it (the same edges as testing every fill: sorted below)
        ys, boxes = self._fill_edges_by_y()
        first, end = bisect_left(ys, top - 2), bisect_right(ys, bottom + 2)
        least = min(5.0, 0.3 * width)
        edges += [y for y, box in zip(ys[first:end], boxes[first:end], strict=True)
                  if min(box.x1, x1) - max(box.x0, x0) >= least]
        return sorted(edges)


def page_graphics(page: PageContent) -> Graphics:
    """The page's rules and its shading: filled rectangles darker than the paper, thicker than a rule,
    not inside another one."""
    boxes = [s for s in page.shapes if s.kind == "rect" and s.fill[3] > 0]
    fills = [BBox(x0=s.x0, top=s.top, x1=s.x1, bottom=s.bottom) for s in boxes
             if min(s.fill[:3]) < WHITE and min(s.x1 - s.x0, s.bottom - s.top) > 3]
    # the sides of a filled box are shading edges, not drawn rules (a box filled line by line inside a
    # cell would cut the cell): the character layer marks them (`Rule.fill_edge`), as for ruled frames
    rules = [r for r in [*page.rules_h, *page.rules_v] if not r.fill_edge]
    return Graphics(rules=rules, fills=outer_fills(fills))


@dataclass
class Region:
    """A table found on one or more pages.

    kind 'values': rows of labels and value columns (numbers); `columns` are the value columns and
    `label_columns` the label columns left of them. kind 'text': a grid of text cells under a header
    row (`columns` are all its columns).
    """

    kind: str
    columns: list[Column]
    header_lines: list[Line]
    body: list[Line]
    label_columns: list[Column] = field(default_factory=list)
    graphics: dict[int, Graphics] = field(default_factory=dict)
    continued: bool = False
    page_columns: dict[int, list[Column]] = field(default_factory=dict)
    """Columns of a continuation page, read from that page's repeated header (margins may differ)."""
    header_levels: int = 1
    value_left: float = 0.0
    """Value tables: where the value columns' cells begin (the label columns end)."""
    right_aligned: bool = True
    """Value tables: the figures stand right-aligned in their cells."""

    def columns_for(self, page: int) -> list[Column]:
        return self.page_columns.get(page, self.columns)

    def graphics_for(self, page: int) -> Graphics:
        return self.graphics.get(page) or Graphics()

    @property
    def pages(self) -> list[int]:
        return sorted({ln.page for ln in self.header_lines + self.body})

    @property
    def ruled(self) -> bool:
        return any(g.rules for g in self.graphics.values())

    def header_key(self) -> tuple[str, ...]:
        """The headings of the value columns and the label columns' own headings: what a repeated heading
        row prints again (a title row over the labels is not repeated)."""
        labels = " ".join(" ".join(c.own_label().lower().split()) for c in self.label_columns).strip()
        return (labels, *(" ".join(c.label().lower().split()) for c in self.columns))


def amount_segments(line: Line) -> list[Segment] | None:
    """The trailing amount segments of a table row, or None when the line is not one.

    A line whose numbers are all bare years ('ändringar 2026 2027') is a wrapped header line. The answer is
    kept on the line for its list of runs (the table finders ask about each line many times; a line whose
    runs are cut again, `values.split_at_amounts`, is read anew). Callers must not change the list.
    """
    segments = line.segments()
    kept = line.__dict__.get("_amounts")
    if kept is not None and kept[0] is segments:
        return kept[1]
    found = _amount_segments(segments)
    line.__dict__["_amounts"] = (segments, found)
    return found


def _amount_segments(segments: list[Segment]) -> list[Segment] | None:
    first_number = len(segments)
    # a dash set in a figure column prints a nil ('Liittymismaksut | 1 338 894,48 | 1 342 927,99 | -':
    # Kauhava p. 149), among figures of the row
    while first_number > 0 and (segments[first_number - 1].is_number or
                                is_empty_figure(segments[first_number - 1].text)):
        first_number -= 1
    while first_number < len(segments) and not segments[first_number].is_number:
        first_number += 1  # the row's figures start with a figure; dashes before it are the label's
    trailing = segments[first_number:]
    if not trailing or (first_number == 0 and len(trailing) < 2):
        return None
    if all(YEAR.fullmatch(s.text.strip()) for s in trailing):
        return None
    return trailing


def line_label(line: Line) -> str:
    return " ".join(s.text for s in line.segments() if not s.is_number)


def is_label_only(line: Line, numbers_left: float) -> bool:
    return line.x1 < numbers_left - 2 and amount_segments(line) is None


def overlap(seg: Segment | Column, column: Column) -> float:
    return min(seg.x1, column.x1) - max(seg.x0, column.x0)


def overlapping(seg: Segment, columns: list[Column]) -> int:
    return sum(1 for c in columns if overlap(seg, c) > 0)


def cluster_columns(segments: list[Segment]) -> list[Column]:
    """Columns from segments that overlap horizontally (one pass over the segments sorted by x0)."""
    columns: list[Column] = []
    for seg in sorted(segments, key=lambda s: s.x0):
        if columns and seg.x0 < columns[-1].x1 + 1:
            columns[-1].header.append(seg)
            columns[-1].x1 = max(columns[-1].x1, seg.x1)
        else:
            columns.append(Column(x0=seg.x0, x1=seg.x1, header=[seg]))
    return columns


def add_to_columns(columns: list[Column], seg: Segment) -> None:
    """Add a segment to columns kept sorted by x0, merging the columns it overlaps (linear in columns)."""
    hit = [k for k, c in enumerate(columns) if seg.x0 < c.x1 + 1 and seg.x1 > c.x0 - 1]
    if not hit:
        column = Column(x0=seg.x0, x1=seg.x1, header=[seg])
        at = next((k for k, c in enumerate(columns) if c.x0 > seg.x0), len(columns))
        columns.insert(at, column)
        return
    first = columns[hit[0]]
    for k in reversed(hit[1:]):
        first.header += columns[k].header
        first.x0, first.x1 = min(first.x0, columns[k].x0), max(first.x1, columns[k].x1)
        del columns[k]
    first.header.append(seg)
    first.x0, first.x1 = min(first.x0, seg.x0), max(first.x1, seg.x1)


def alignment(columns: list[Column]) -> bool | None:
    """True when the figures stand right-aligned (their right edges agree better than their left
    edges), False when left-aligned, None while the figures seen cannot tell."""
    spread_right = sum(max(s.x1 for s in c.header) - min(s.x1 for s in c.header) for c in columns if c.header)
    spread_left = sum(max(s.x0 for s in c.header) - min(s.x0 for s in c.header) for c in columns if c.header)
    if abs(spread_right - spread_left) < 0.5:
        return None
    return spread_right < spread_left


def right_aligned(columns: list[Column]) -> bool:
    return alignment(columns) is not False


def cell_spans(columns: list[Column], value_left: float, right: bool | None = None) -> list[tuple[float, float]]:
    """Each value column's cell across the row: right-aligned figures own the space from the previous
    column's right edge to their own; left-aligned ones from their left edge to the next column's."""
    right = right_aligned(columns) if right is None else right
    spans = []
    for k, column in enumerate(columns):
        if right:
            start = columns[k - 1].x1 if k else value_left
            spans.append((start, column.x1 + 2))
        else:
            start = column.x0 - 2 if k else min(value_left, column.x0 - 2)
            spans.append((start, columns[k + 1].x0 - 2 if k + 1 < len(columns) else float("inf")))
    return spans


def span_index(x0: float, x1: float, spans: list[tuple[float, float]]) -> int | None:
    """The span a run stands in (by its centre), or None when it falls outside every span."""
    center = (x0 + x1) / 2
    return next((k for k, (a, b) in enumerate(spans) if a <= center <= b), None)


def starts_continuation(text: str) -> bool:
    """A piece of a wrapped cell: it goes on in lower case ('intäkter', 'ja tavarat')."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and first.islower()


def ends_open(text: str) -> bool:
    """A cell piece that cannot end its cell: a word broken at a hyphen, a list going on after a comma, or
    a parenthesis opened and not closed ('Muut pitkävaikutteiset menot (aineettomat')."""
    stripped = text.rstrip()
    if stripped.count("(") > stripped.count(")"):
        return True
    return stripped.endswith((",", "-", "\u00ad")) and not stripped.endswith((" -", " –"))


def is_numeric_text(text: str) -> bool:
    return is_number(text)


def join_pieces(texts: list[str]) -> str:
    """Lines of one cell as one text: a piece ending in a hyphen goes on without a space when the next
    starts in lower case (the hyphen is kept: readers decide whether it only broke a word), unless a sign or
    bracket stands before it ('erotus (-' / 'tai +)', Kauhava p. 142); a soft hyphen at a line's end is
    dropped."""
    out = ""
    for text in texts:
        text = " ".join(text.split())
        if not text:
            continue
        if out.endswith("\xad"):
            out = out[:-1] + text  # a soft hyphen only broke the word
        elif out.endswith("-") and len(out) > 1 and out[-2].isalnum() and text[:1].islower():
            out += text
        else:
            out = f"{out} {text}" if out else text
    return out


SET_APART = 2.5
"""White space that may set a table's heading row or its total row apart from its body, in line pitches,
when the row's runs stand right-aligned on the figure columns (Kauhava statement 2024 p. 38: 'TULOT
1 000 € %' and 'Kokonaistulot yhteensä 77 097 100,0' a blank line away from the rows)."""
ALIGN = 0.2  # how far a run's right edge may stand from a figure column's, in type sizes


def aligned_runs(runs: list[Segment], rights: list[float], size: float) -> int:
    """How many of the runs end where a figure column ends (`rights`: the columns' right edges)."""
    return sum(1 for seg in runs if any(abs(seg.x1 - x) <= ALIGN * size for x in rights))


def set_apart(upper: Line, lower: Line, pitch: float) -> bool:
    """Two lines of one size with at most SET_APART line pitches of white space between them."""
    return abs(upper.size - lower.size) <= 0.25 * upper.size and lower.top - upper.bottom <= SET_APART * pitch
