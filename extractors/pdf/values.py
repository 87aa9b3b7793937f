"""PDF value tables: runs of rows with figures in aligned columns, found from layout alone.

A value table starts at a row that ends in figures; it goes on over rows with figures, label lines and
text set inside its columns, and ends at running text, a change of type size or white space (unless a
ruled or shaded frame holds both lines). Its headings are the lines above whose runs stand over the
figures. A table without headings needs two rows of figures.
"""

from __future__ import annotations

from extractors.headings import is_theme_heading
from extractors.pdf.grid import (
    Column,
    Graphics,
    Region,
    add_to_columns,
    alignment,
    amount_segments,
    cell_spans,
    aligned_runs,
    cluster_columns,
    ends_open,
    is_label_only,
    overlap,
    right_aligned,
    rule_x,
    set_apart,
    starts_continuation,
)
from extractors.pdf.headers import group_row_above, hang_groups, hang_headings, header_levels, split_group_lines
from extractors.pdf.lines import Line, Segment
from extractors.pdf.splitting import split_by_spans
from extractors.pdf.textgrid import column_of
from extractors.patterns import CODE_WORD, YEAR

GAP = 1.6  # white space between two lines of one table, in line pitches


def _close(upper: Line, lower: Line, pitch: float, graphics: Graphics) -> bool:
    return lower.top - upper.bottom <= GAP * pitch or graphics.same_frame(upper, lower) or \
        (upper.band is not None and upper.band == lower.band)


def value_left_of(labels_right: float, numbers_left: float, size: float) -> float:
    """Where the value columns' cells begin: past the labels' right edge, never right of the figures."""
    return min(numbers_left - 1, labels_right + 0.5 * size)


def fits(line: Line, value_left: float, columns: list[Column], right: bool | None = None) -> bool:
    """The line's runs stand inside the table: in the label area, or each within one value column's
    cell (a run over several is cut where the cells meet, when it is not running text). While the
    figures cannot tell how they are aligned, either alignment will do."""
    if right is None:
        right = alignment(columns)
        if right is None:
            return fits(line, value_left, columns, True) or fits(line, value_left, columns, False)
    spans = cell_spans(columns, value_left, right)
    right = max(c.x1 for c in columns)
    numbers_left = min(c.x0 for c in columns)
    for seg in line.segments():
        size = seg.words[0].size
        if seg.x0 > right + size:
            return False  # beyond the table's last column
        if seg.x0 < value_left:
            if seg.x1 > numbers_left + size:
                return False  # running text from the labels into the figures
            continue
        if split_by_spans(seg, spans) is None:
            return False
    return True


def split_at_amounts(line: Line, numbers_left: float, labels_left: float) -> None:
    """A heading run that crosses into the figures ('Sivistyslautakunta TA 2024', set with one word gap)
    is two runs when one of its words starts where the first figure column starts (within 2 pt): the
    label column's heading and the first column's heading, when the run starts where the labels do (a
    heading centred over a figure column, 'TILINPÄÄTÖS 2023', is not cut). Runs are replaced in place."""
    segments = line.segments()
    for index, seg in enumerate(segments):
        if not (seg.x0 < numbers_left - 2 < seg.x1):
            continue
        if abs(seg.x0 - labels_left) > 2:
            return
        cut = next((i for i, w in enumerate(seg.words) if i and abs(w.x0 - numbers_left) <= 2), None)
        # a word in lower case there goes on with a phrase ('... förfogande | för verksamheten'): no cut
        sentence = len(line.words) > 12 or line.text.rstrip().endswith((":", "."))
        if cut is not None and not seg.words[cut].text[:1].islower() and not sentence:
            line.segments_cache = [*segments[:index], Segment(words=seg.words[:cut]),
                                   Segment(words=seg.words[cut:]), *segments[index + 1:]]
        return


def _header_like(line: Line, numbers_left: float, labels_right: float, labels_left: float) -> bool:
    """Column headings over the figures: short runs right of the labels, no figures, no running text."""
    split_at_amounts(line, numbers_left, labels_left)
    right = [s for s in line.segments() if s.x1 > numbers_left - 2]
    if not right:
        return False
    if any(s.x0 < labels_right and s.x1 > numbers_left for s in line.segments()):
        return False  # running text crosses from the label column into the figures
    return all(not seg.is_number or YEAR.fullmatch(seg.text.strip()) for seg in right)


def _new_headings(line: Line, value_left: float) -> bool:
    """Bold text over several value columns and no figure: the heading row of the next table. Runs of
    dashes alone ('-  -' in a bold row's columns, placeholders or signs set on a line of their own:
    Kauhava p. 116) are no headings."""
    runs = [s for s in line.segments() if s.x0 >= value_left]
    return len(runs) >= 2 and line.bold and not any(s.is_number for s in line.segments()) \
        and any(ch.isalnum() for run in runs for ch in run.text)


def _year_headings(line: Line) -> bool:
    """A row of two or more years and nothing else, not even a label ('| 2024 | 2023'): under rows of
    figures it is the heading row of the next table (Kauhava p. 152: '43) Henkilöstökulut' and its own
    '2024 2023' under the staff-number table, ruled apart)."""
    segments = line.segments()
    return len(segments) >= 2 and all(YEAR.fullmatch(seg.text.strip()) for seg in segments)


def _labels_right(line: Line, amounts: list[Segment]) -> float:
    """Right edge of the line's label text: runs with letters or codes ('0208850-1', patterns.CODE_WORD) left
    of its figures (a figure the number grammar cannot read, '21 408 939-', is no label)."""
    labels = [w.x1 for s in line.segments() if s.x1 <= amounts[0].x0 for w in s.words
              if any(ch.isalpha() for ch in w.text) or CODE_WORD.fullmatch(w.text)]
    return max(labels, default=0.0)


def _cells_in_columns(body: list[Line], amounts: list[Segment]) -> dict[int, Segment]:
    """Per row (by id), the first run after its label that stands in a figure column the other rows fill
    with figures, when that run is not one of the row's trailing figures: words or a qualified figure
    set in a figure cell ('Tobisviksbadet | Stängt | 22 898', 'Bibliotek och buss | 117 271 | ung 116 000
    | 110 000': Simrishamn KFN p. 35) are cells of their columns, not part of the label."""
    columns = cluster_columns(amounts)
    out: dict[int, Segment] = {}
    for line in body:
        segments = line.segments()
        found = amount_segments(line)
        first = segments.index(found[0]) if found else len(segments)
        cell = next((seg for seg in segments[1:first] if any(overlap(seg, c) > 0 for c in columns)), None)
        if cell is not None:
            out[id(line)] = cell
    return out


def _placeholder_row(line: Line, first_row: Line, columns: list[Column], labels_left: float,
                     numbers_left: float) -> bool:
    """A row above the first row of figures that prints words in every figure cell it fills ('Korsavads
    simhall | Stängt | Stängt', Simrishamn KFN p. 35): a label at the labels' left edge, then runs without
    a digit each under a figure column, set in the body's type (neither is bold). A heading row differs:
    bold, or a year or figure in its runs."""
    segments = line.segments()
    if line.bold or first_row.bold or len(segments) < 2 or abs(segments[0].x0 - labels_left) > 1 or \
            segments[0].x1 > numbers_left - 2:
        return False
    return all(not any(ch.isdigit() for ch in seg.text) and any(overlap(seg, c) > 0 for c in columns)
               for seg in segments[1:])


def _bold_heading_above(lines: list[Line], index: int, pitch: float, graphics: Graphics,
                        edges: tuple[float, float, float]) -> bool:
    """A bold heading row over the figures stands at most two lines above lines[index], the lines between
    close: what makes a row of words in the body's type under it a row of the table, not its heading."""
    for k in range(index - 1, max(-1, index - 4), -1):
        if not _close(lines[k], lines[k + 1], pitch, graphics):
            return False
        if lines[k].bold and _header_like(lines[k], *edges):
            return True
    return False


def _band_above(lines: list[Line], start: int, pitch: float, graphics: Graphics) -> list[Line]:
    """Lines above the first row of figures drawn into the same ruled row (its cells hold several lines)."""
    first = lines[start]
    above: list[Line] = []
    j = start - 1
    taken = first.segments()

    def beside(line: Line) -> bool:
        """Every run of the line stands over a cell the row's line of figures leaves empty."""
        return all(not any(min(s.x1, t.x1) - max(s.x0, t.x0) > 0 for t in taken) for s in line.segments())

    # the line above must stand beside the figures and close to them before the page's row edges are
    # looked up (the cheap tests of the loop below first: most rows of figures have no band above)
    if j < 0 or not (beside(lines[j]) and _close(lines[j], first, pitch, graphics)):
        return above
    edges = graphics.row_edges(first.x0, first.x1, first.top - 20 * pitch, first.bottom)
    band_top = max((y for y in edges if y <= first.top + 1), default=None)
    while j >= 0 and band_top is not None and lines[j].top >= band_top - 1 and beside(lines[j]) and \
            _close(lines[j], (above or [first])[0], pitch, graphics):
        above.insert(0, lines[j])
        j -= 1
    return above


def _body(lines: list[Line], start: int, graphics: Graphics,
          seed: list[Segment]) -> tuple[list[Line], int, list[Segment]]:
    """The table's lines from its first row of figures down; returns them, the index after them and
    every figure run of the rows (seeded with figures of the first row's band above it)."""
    first = [*seed, *(amount_segments(lines[start]) or [])]
    size = lines[start].size
    pitch = 1.25 * size
    body, amounts = [lines[start]], list(first)
    columns: list[Column] = []
    for seg in first:
        add_to_columns(columns, seg)
    numbers_left = min(a.x0 for a in first)
    labels_right = _labels_right(lines[start], amount_segments(lines[start]) or first)
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if _total_set_apart(lines, index, body[-1], columns, pitch, graphics):
            body.append(line)
            amounts += amount_segments(line) or []
            index += 1
            break
        if not _close(body[-1], line, pitch, graphics) or abs(line.size - size) > 0.25 * size:
            break
        found = amount_segments(line)
        if found is not None:
            amounts += found
            for seg in found:
                add_to_columns(columns, seg)
            numbers_left = min(numbers_left, found[0].x0)
            labels_right = max(labels_right, _labels_right(line, found))
        elif is_theme_heading(line.text) or _year_headings(line) or \
                _new_headings(line, value_left_of(labels_right, numbers_left, size)) or \
                not fits(line, value_left_of(labels_right, numbers_left, size), columns):
            break
        body.append(line)
        index += 1
    # lines without figures at the end are text under the table, unless they finish the last row's
    # label, stand in the table's frame, or the table runs to the page's end (it may go on)
    at_end = index >= len(lines)
    while len(body) > 1 and amount_segments(body[-1]) is None and not at_end:
        last, before = body[-1], body[-2]
        if starts_continuation(last.text) or ends_open(before.text) or graphics.same_frame(before, last):
            break
        body.pop()
        index -= 1
    return body, index, amounts


def _total_set_apart(lines: list[Line], index: int, last: Line, columns: list[Column], pitch: float,
                     graphics: Graphics) -> bool:
    """lines[index] is the table's total row set a blank line apart under its body (`grid.SET_APART`): a
    row of figures farther below than the body's rows are apart, each figure ending where a figure column
    of the table ends, every column filled, and no row of figures right under it (a lone row, not the first
    row of another table)."""
    line = lines[index]
    found = amount_segments(line)
    if found is None or _close(last, line, pitch, graphics) or not set_apart(last, line, pitch):
        return False
    rights = [c.x1 for c in columns]
    if len(found) != len(columns) or aligned_runs(found, rights, line.size) != len(found):
        return False
    after = lines[index + 1] if index + 1 < len(lines) else None
    return after is None or not _close(line, after, pitch, graphics) or amount_segments(after) is None


def _heading_set_apart(line: Line, below: Line, rights: list[float], numbers_left: float, pitch: float) -> bool:
    """The line is the table's heading row set a blank line apart above it (`grid.SET_APART`): two or more
    runs over the figures, each ending where a figure column ends ('1 000 €' and '%' over '7 726  10,0')."""
    over = [s for s in line.segments() if s.x1 > numbers_left - 2]
    return set_apart(line, below, pitch) and len(over) >= 2 and \
        aligned_runs(over, rights, line.size) == len(over)


MAX_LABEL_ROWS_ABOVE = 3  # label rows between a table's headings and its first row of figures (see _header)


def _header(lines: list[Line], start: int, numbers_left: float, labels_right: float, pitch: float,
            graphics: Graphics, labels_left: float, rights: list[float],
            columns: list[Column] | None = None) -> tuple[list[Line], list[Line], int]:
    """Heading lines above the first row of figures, label lines between them and the rows (at most
    three: a balance sheet's outline heads its first item with three groups, 'VASTAAVAA' / 'PYSYVÄT
    VASTAAVAT' / 'Aineettomat hyödykkeet', Kauhava p. 134; or any number a column rule of the table's frame
    runs down beside: Kauhava p. 150 '33) Siirtovelkoihin sisältyvät olennaiset erät' prints four label
    rows before its first figure), and the
    index of the first heading line. Label lines above the headings inside the table's
    frame ('100 VAALIT') are an outer heading row."""
    header: list[Line] = []
    # lines drawn into the first row's cell band (a ruled row whose cells hold several lines) are body
    above: list[Line] = _band_above(lines, start, pitch, graphics)
    j = start - 1 - len(above)
    in_band = len(above)
    while j >= 0:
        line, below = lines[j], (header[0] if header else (above[0] if above else lines[start]))
        if not _close(line, below, pitch, graphics) and \
                (header or not _heading_set_apart(line, below, rights, numbers_left, pitch)):
            group = group_row_above(lines, j, below, columns or [], labels_right, pitch) if header else []
            if not group:
                break
            header[:0] = group  # a group heading row a blank line above the column headings
            j -= len(group)
            continue
        if not header and columns and _placeholder_row(line, lines[start], columns, labels_left, numbers_left) \
                and _bold_heading_above(lines, j, pitch, graphics, (numbers_left, labels_right, labels_left)):
            above.insert(0, line)
            in_band += 1  # a row of the table, not a label line over it
        elif _header_like(line, numbers_left, labels_right, labels_left):
            header.insert(0, line)
        elif not header and is_label_only(line, numbers_left) and not is_theme_heading(line.text) and \
                (len(above) - in_band < MAX_LABEL_ROWS_ABOVE or graphics.ruled_down(line, below)):
            above.insert(0, line)
        elif header and is_label_only(line, numbers_left) and graphics.same_frame(line, below):
            header.insert(0, line)
        else:
            break
        j -= 1
    if not header:
        return [], [], start
    while above and _in_one_fill(header[-1], above[0], graphics):
        header.append(above.pop(0))  # a wrapped heading in the heading row's shaded cell
    return header, above, j + 1


def _in_one_fill(upper: Line, lower: Line, graphics: Graphics) -> bool:
    """One shaded box holds both lines and ends under the lower one (a heading cell of two lines,
    'Statistik simskola | deltagartillfällen': Simrishamn KFN p. 35), not two shaded rows that meet nor a
    panel shading the whole table."""
    return any(b.top <= upper.top and lower.bottom <= b.bottom <= lower.bottom + lower.size and
               b.x0 <= lower.x0 + 1 and b.x1 >= lower.x1 - 1 for b in graphics.fills)


def label_columns(lines: list[Line], numbers_left: float, graphics: Graphics) -> list[Column]:
    """The label columns left of the figures: a new label column starts where runs recur that stand
    right of another run of the same line ('Toimintatulot | Alkuperäinen', 'Prio | Status | Investering'),
    or at a vertical rule inside the label area."""
    segments = [s for ln in lines for s in ln.segments() if s.x1 <= numbers_left + 1]
    if not segments:
        return [Column(x0=min(ln.x0 for ln in lines), x1=numbers_left)]
    left = min(s.x0 for s in segments)
    starts: list[float] = []
    for line in lines:
        runs = [s for s in line.segments() if s.x1 <= numbers_left + 1]
        starts += [s.x0 for s in runs[1:]]
    size = segments[0].words[0].size
    clusters: list[list[float]] = []
    for x in sorted(starts):
        if clusters and x - clusters[-1][-1] <= 0.5 * size:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    bounds = [min(c) for c in clusters if len(c) >= 2 and min(c) > left + 1.5 * size]
    for rule in graphics.vertical():
        x = rule_x(rule)
        if left + size < x < numbers_left - size and rule.top <= lines[-1].bottom and \
                rule.bottom >= lines[0].top and any(s.x0 > x for s in segments):
            bounds.append(x + 1)
    bounds = sorted(bounds)
    merged: list[float] = []
    for x in bounds:
        if not merged or x - merged[-1] > 1.5 * size:
            merged.append(x)
    edges = [left, *merged, numbers_left]
    return [Column(x0=a, x1=b) for a, b in zip(edges, edges[1:], strict=False)]


def column_of_label(x0: float, columns: list[Column], size: float) -> int:
    """The label column a piece starting at x0 stands in (`textgrid.column_of` with a 0.3 size slack)."""
    return column_of(x0, columns, size, slack=0.3)


def _bounds(columns: list[Column], graphics: Graphics, top: float, bottom: float) -> list[float | None]:
    """Per value column, the vertical rule that closes its cell on the right, if the page draws one."""
    out: list[float | None] = []
    rules = [r for r in graphics.vertical() if r.top <= top + 2 and r.bottom >= bottom - 2]
    for k, column in enumerate(columns):
        nxt = columns[k + 1].x0 if k + 1 < len(columns) else column.x1 + 40
        found = [rule_x(r) for r in rules if column.x1 - 1 <= rule_x(r) <= nxt + 1]
        out.append(min(found) if found else None)
    return out


def find_value_table(lines: list[Line], start: int, graphics: Graphics) -> tuple[int, int, Region] | None:
    """A value table whose first row of figures is lines[start]: (first line, end line, region)."""
    if amount_segments(lines[start]) is None:
        return None
    size = lines[start].size
    pitch = 1.25 * size
    band = _band_above(lines, start, pitch, graphics)
    seed = [s for ln in band for s in ln.segments() if s.is_number]
    body, index, amounts = _body(lines, start, graphics, seed)
    cells = _cells_in_columns(body, amounts)
    numbers_left = min(a.x0 for a in [*amounts, *cells.values()])
    labels_right = max((_labels_right(ln, [cells[id(ln)]] if id(ln) in cells else found) for ln in body
                        if (found := amount_segments(ln))), default=numbers_left)
    labels_left = min((ln.x0 for ln in body), default=numbers_left)
    clustered = cluster_columns(amounts)
    header, above, first = _header(lines, start, numbers_left, labels_right, pitch, graphics, labels_left,
                                   [c.x1 for c in clustered], clustered)
    rows_with_figures = sum(1 for ln in body if amount_segments(ln) is not None)
    if not header and rows_with_figures < 2:
        return None
    body = above + body
    values = cluster_columns(amounts)
    aligned_right = right_aligned(values)
    table_x0 = min(ln.x0 for ln in header + body)
    levels = header_levels(header, graphics, table_x0, max(c.x1 for c in values)) if header else []
    value_left = value_left_of(labels_right, numbers_left, size)
    labels = label_columns(body, value_left, graphics)

    # runs cut where the first figure column starts ('Sivistyslautakunta' | 'TA 2024'): label headings
    cut = {id(seg) for ln in header for seg, nxt in zip(ln.segments(), ln.segments()[1:], strict=False)
           if abs(nxt.x0 - numbers_left) <= 2 and seg.x1 < numbers_left}

    def in_label_cell(seg: Segment) -> bool:
        return seg.x0 < labels_right - 0.3 * size and (seg.x1 <= numbers_left - 0.3 * size or id(seg) in cut)

    levels = split_group_lines(levels, in_label_cell)
    bottom = [s for ln in (levels[-1] if levels else []) for s in ln.segments() if not in_label_cell(s)]
    top = min(ln.top for ln in header + body)
    bounds = _bounds(values, graphics, top, body[-1].bottom)
    columns = hang_headings(values, bottom, bounds, aligned_right)
    for level in levels[:-1]:
        outer = [s for ln in level for s in ln.segments() if not in_label_cell(s)]
        if outer:
            hang_groups(columns, outer)
    for depth, level in enumerate(levels):
        for seg in (s for ln in level for s in ln.segments() if in_label_cell(s)):
            column = labels[column_of_label(seg.x0, labels, size)]
            if depth < len(levels) - 1:
                column.groups.append(seg.text)
            else:
                column.header.append(seg)
    if not columns:
        return None
    region = Region(kind="values", columns=columns, header_lines=header, body=body, label_columns=labels,
                    header_levels=max(1, len(levels)), value_left=value_left, right_aligned=aligned_right)
    return first, index, region
