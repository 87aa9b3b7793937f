"""PDF side-by-side tables: a block of lines printing two tables next to each other is cut at its gutter.

A page may print two tables beside each other (a balance sheet's assets beside its liabilities, the
city's key figures beside the group's: Kauhava p. 35, Seinäjoki p. 23). The text layer gives one line per
height across both, so a line-based finder reads them as one table and fuses the right table's labels
into the left table's figures. The layout tells them apart, without language data: a vertical band of
blank space (the gutter) crosses every line of the block, the last run left of it ends in figures (the
left table's figure column) and a label column (runs of text, not numbers) starts right of it, over
figures of its own. Such a block is read as two streams of lines, the left halves first, then the right
halves, each found and built as its own table (headings, years, kinds and scale of its own).
"""

from __future__ import annotations

from extractors.pdf.grid import aligned_runs, amount_segments, set_apart
from extractors.pdf.lines import Line, Segment

MIN_GUTTER = 1.5  # the gutter's width, in type sizes (wider than a word gap inside a cell)
KEEP_GUTTER = 1.0  # the narrowest the gutter may get while lines beside it are added, in type sizes
MIN_BOTH = 3  # lines printing on both sides of the gutter
MIN_FIGURE_ROWS = 2  # rows ending in figures on each side
GAP = 1.6  # blank space between two lines of one block, in line pitches (as in a value table)


def _is_label(seg: Segment) -> bool:
    return not seg.is_number and any(ch.isalpha() for ch in seg.text)


def _seeds(line: Line) -> list[tuple[float, float]]:
    """Gutters the line suggests: a figure run followed, after a wide blank, by a run of text."""
    segments = line.segments()
    # the blank is measured first: the runs' text is read only beside a wide one
    return [(a.x1, b.x0) for a, b in zip(segments, segments[1:], strict=False)
            if b.x0 - a.x1 >= MIN_GUTTER * line.size and a.is_number and _is_label(b)]


def _narrowed(line: Line, gutter: tuple[float, float]) -> tuple[float, float] | None:
    """The gutter left blank by the line (runs reaching into it from one side narrow it), or None when a
    run crosses it or it gets too narrow."""
    g0, g1 = gutter
    middle = (g0 + g1) / 2
    for seg in line.segments():
        if seg.x1 <= g0 or seg.x0 >= g1:
            continue
        if seg.x1 < middle:
            g0 = seg.x1
        elif seg.x0 > middle:
            g1 = seg.x0
        else:
            return None
    return (g0, g1) if g1 - g0 >= KEEP_GUTTER * line.size else None


def _close(upper: Line, lower: Line) -> bool:
    return lower.top - upper.bottom <= GAP * 1.25 * max(upper.size, lower.size)


def _half(line: Line, middle: float, left: bool, band: int | None = None) -> Line | None:
    words = [w for w in line.words if ((w.x0 + w.x1) / 2 < middle) == left]
    return Line(words=words, page=line.page, rules_above=line.rules_above, band=band) if words else None


def _set_apart_rows(lines: list[Line], first: int, end: int, gutter: tuple[float, float]) -> tuple[int, int]:
    """(first, end) of the block with the heading row right above it and the total row right under it when
    white space sets them apart (`grid.SET_APART`) and they leave the gutter blank: a heading row has two or
    more runs ending where the block's figure columns end, a total row's figures all end there ('TULOT
    1 000 € % MENOT 1 000 € %' over, 'Kokonaistulot yhteensä 77 097 100,0 Kokonaismenot yhteensä 72 687
    100,0' under the block: Kauhava statement 2024 p. 38)."""
    rights = sorted({round(seg.x1, 1) for ln in lines[first:end] for seg in ln.segments() if seg.is_number})
    if first > 0:
        line = lines[first - 1]
        if not _close(line, lines[first]) and set_apart(line, lines[first], 1.25 * line.size) and \
                _narrowed(line, gutter) and not any(seg.is_number for seg in line.segments()) and \
                aligned_runs(line.segments(), rights, line.size) >= 2:
            first -= 1
    if end < len(lines):
        line = lines[end]
        numbers = [seg for seg in line.segments() if seg.is_number]
        if not _close(lines[end - 1], line) and set_apart(lines[end - 1], line, 1.25 * line.size) and \
                _narrowed(line, gutter) and len(numbers) >= 2 and \
                aligned_runs(numbers, rights, line.size) == len(numbers):
            end += 1
    return first, end


def _block(lines: list[Line], seed: int, gutter: tuple[float, float]) -> tuple[int, int, float] | None:
    """The block of lines around lines[seed] that leave the gutter blank: (first, end exclusive, the
    gutter's middle), when it holds two tables."""
    first, end = seed, seed + 1
    narrowed: tuple[float, float] | None = gutter
    while end < len(lines) and _close(lines[end - 1], lines[end]) and \
            (narrowed := _narrowed(lines[end], gutter)) is not None:
        gutter, end = narrowed, end + 1
    while first > 0 and _close(lines[first - 1], lines[first]) and \
            (narrowed := _narrowed(lines[first - 1], gutter)) is not None:
        gutter, first = narrowed, first - 1
    first, end = _set_apart_rows(lines, first, end, gutter)
    middle = (gutter[0] + gutter[1]) / 2
    # the tests from the cheapest: lines across the gutter, then the halves' labels and figures
    if sum(1 for ln in lines[first:end] if ln.x0 < middle < ln.x1) < MIN_BOTH:
        return None
    rights = [h for ln in lines[first:end] if (h := _half(ln, middle, False))]
    labelled = sum(1 for h in rights if _is_label(h.segments()[0]))
    if 2 * labelled < len(rights):
        return None
    lefts = [h for ln in lines[first:end] if (h := _half(ln, middle, True))]
    if sum(1 for h in lefts if amount_segments(h)) < MIN_FIGURE_ROWS or \
            sum(1 for h in rights if amount_segments(h) and _is_label(h.segments()[0])) < MIN_FIGURE_ROWS:
        return None
    return first, end, middle


def split_side_by_side(lines: list[Line]) -> list[list[Line]]:
    """The page's lines (top to bottom) as streams to find tables in one after another: the lines before
    a side-by-side block, the block's left halves, its right halves, and so on; a page without such a
    block is one stream. Linear in the lines, apart from each block's own extent."""
    streams: list[list[Line]] = []
    cursor = index = 0
    while index < len(lines):
        found = next((b for g in _seeds(lines[index]) if (b := _block(lines, index, g))), None)
        if found is None:
            index += 1
            continue
        first, end, middle = found
        first = max(first, cursor)
        band = round(lines[first].top)
        streams += [lines[cursor:first],
                    [h for ln in lines[first:end] if (h := _half(ln, middle, True, band))],
                    [h for ln in lines[first:end] if (h := _half(ln, middle, False, band))]]
        cursor = index = end
    streams.append(lines[cursor:])
    return [s for s in streams if s]
