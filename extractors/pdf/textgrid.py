"""PDF text tables: a grid of text cells under a bold heading row, found from layout alone.

A heading row is one to four lines set in bold whose runs stand in three or more columns, above lines
that are not rows of figures. The body goes on while its lines stay in the table's columns and type
size, and ends at a line left of the first column, a bigger heading or a wide gap.
"""

from __future__ import annotations

import itertools
from statistics import median

from extractors.headings import is_theme_heading
from extractors.pdf.grid import Column, Graphics, Region, amount_segments, cluster_columns
from extractors.pdf.lines import Line

MIN_COLUMNS = 3
LIST_LINES = 3  # body lines in the first column only beyond which a heading row heads a list, not a table


def find_text_header(lines: list[Line], start: int) -> tuple[int, list[Column]] | None:
    """Heading row starting at lines[start]: number of heading lines and the columns."""
    if len(lines[start].segments()) < 2 or not lines[start].bold:
        return None
    for count in range(1, 5):
        if start + count > len(lines):
            break
        block = lines[start:start + count]
        if count > 1 and block[-1].top - block[-2].bottom > 0.8 * block[-1].size:
            break
        if any(is_theme_heading(ln.text) or not ln.bold or amount_segments(ln) is not None for ln in block):
            break
        columns = cluster_columns([s for ln in block for s in ln.segments()])
        if len(columns) < MIN_COLUMNS:
            continue
        following = lines[start + count:start + count + 8]
        if following and following[0].x0 < columns[0].x0 - 1.5 * following[0].size:
            return None
        if any(amount_segments(ln) is not None for ln in following):
            return None  # headings of a table of figures (checked past a heading row of several lines)
        return count, columns
    return None


OCR_SIZE_TOLERANCE = 0.25
"""Share of the type size by which an OCR line may differ and still be the same size: OCR sizes are
measured from each word's box (a line without ascenders or descenders reads smaller), so they vary by
up to a fifth between lines set in one font (rendered Lovisa goal tables at 300 dpi: 9.4 to 11.4 under
a 9.7-10.2 heading). Text-layer sizes are the font's own and must agree to a twentieth."""


def other_size(line: Line, size: float) -> bool:
    """The line is set in another type size than `size` (the table's)."""
    if any(w.source == "ocr" for w in line.words):
        return abs(line.size - size) > OCR_SIZE_TOLERANCE * size
    return abs(line.size - size) >= max(0.5, 0.05 * size)


def ends_text_body(line: Line, prev: Line, columns: list[Column], size: float) -> bool:
    """The line is not in the table: a numbered heading, another type size (headings and running text
    round a table are set in their own size), left of the first column, or after a wide gap."""
    if is_theme_heading(line.text) or other_size(line, size):
        return True
    if line.x0 < columns[0].x0 - 1.5 * size:
        return True
    return line.top - prev.bottom > 2.2 * size


def _heading_row(line: Line, columns: list[Column]) -> bool:
    """A bold line with runs in two columns or more: the heading row of the next table ('Nämndmål | Bedömning').

    A run that crosses a column boundary makes the line a merged row of this table instead: OCR word
    gaps are noisy, so one merged row may read as two runs (a word cut short, 'utvecklin', leaves a
    column-sized gap), but each run still crosses the columns its cells would stand in."""
    return line.bold and len({column_of(s.x0, columns, s.words[0].size) for s in line.segments()}) >= 2 and \
        not spans_columns(line, columns)


def _rule_between(graphics: Graphics, upper: Line, lower: Line, x0: float, x1: float) -> bool:
    return any(upper.bottom - 1 <= y <= lower.top + 1 for y in graphics.row_edges(x0, x1, upper.bottom, lower.top))


def find_text_table(lines: list[Line], start: int, graphics: Graphics) -> tuple[int, int, Region] | None:
    found = find_text_header(lines, start)
    if found is None:
        return None
    count, columns = found
    header = lines[start:start + count]
    x0, x1 = columns[0].x0, columns[-1].x1
    # header cells that wrap onto further lines: lines right below whose runs all sit in columns and that
    # are in the header's style
    index = start + count
    while index < len(lines) and lines[index].bold == header[-1].bold and header[-1].bold and \
            lines[index].top - header[-1].bottom < 0.8 * lines[index].size and \
            not spans_columns(lines[index], columns) and not lines[index].text.rstrip().endswith((".", "!", "?")) and \
            not _rule_between(graphics, header[-1], lines[index], x0, x1):
        header.append(lines[index])
        for seg in lines[index].segments():
            columns[column_of(seg.x0, columns, seg.words[0].size)].header.append(seg)
        index += 1
    size = typical_size(header)
    body: list[Line] = []
    while index < len(lines):
        line = lines[index]
        prev = body[-1] if body else header[-1]
        if ends_text_body(line, prev, columns, size) or _heading_row(line, columns):
            break
        body.append(line)
        index += 1
    # text in the first column only, over more than a few lines: a heading line over a list (its other
    # columns hold marks); a short body (a heading row and one merged row cut by the page) stays a table
    if len(body) > LIST_LINES and \
            not any(column_of(seg.x0, columns, seg.words[0].size) > 0 for ln in body for seg in ln.segments()):
        return None
    return start, index, Region(kind="text", columns=columns, header_lines=header, body=body)


def typical_size(lines: list[Line]) -> float:
    return sorted(ln.size for ln in lines)[len(lines) // 2]


def column_of(x0: float, columns: list[Column], size: float, slack: float = 0.6) -> int:
    """Index of the last column whose left edge is at or left of x0, give or take `slack` × the type
    size (points): value columns take 0.6 (figures set right of their heading's edge), label columns
    0.3 (an indented sub-row label stays in its column)."""
    col = 0
    for index, column in enumerate(columns):
        if column.x0 - slack * size <= x0:
            col = index
    return col


def spans_columns(line: Line, columns: list[Column]) -> bool:
    """One run of text that crosses a column boundary: a merged row (a heading row inside the table).

    A run whose next word starts right at a column's left edge is two neighbouring cells set close
    together (narrow padding), not a merged row.
    """
    for seg in line.segments():
        for column in columns[1:]:
            edge = column.x0
            if not (seg.x0 < edge - 2 and seg.x1 > edge + 2):
                continue
            if any(w.x0 < edge - 2 and w.x1 > edge + 2 for w in seg.words):
                return True  # a word straddles the boundary
            aligned = next((i for i, w in enumerate(seg.words) if i and abs(w.x0 - edge) <= 1.0), None)
            if aligned is None:
                return True
            # a word gap no wider than the run's ordinary spacing is running text that happens to
            # reach the column's edge; a wider one separates two cells
            words = seg.words
            gap = words[aligned].x0 - words[aligned - 1].x1
            others = [b.x0 - a.x1 for i, (a, b) in enumerate(itertools.pairwise(words)) if i + 1 != aligned]
            usual = median(others) if others else 0.25 * words[aligned].size
            if gap <= 1.6 * usual:
                return True
    return False


def continue_text_header(lines: list[Line], region: Region) -> int:
    """Heading lines of a text table whose heading row itself broke across the page: taken into the
    heading while they keep its bold style and are not sentences."""
    if region.kind != "text" or region.body or not region.header_lines[-1].bold:
        return 0
    count = 0
    while count < len(lines) and lines[count].bold and not spans_columns(lines[count], region.columns) and \
            not lines[count].text.rstrip().endswith((".", "!", "?")):
        for seg in lines[count].segments():
            region.columns[column_of(seg.x0, region.columns, seg.words[0].size)].header.append(seg)
        region.header_lines.append(lines[count])
        count += 1
    return count


def continue_text_body(lines: list[Line], region: Region, previous: Line) -> int:
    """Lines at the top of a page that go on with a text table from the previous page."""
    columns = region.columns_for(previous.page)
    size = typical_size(region.body or region.header_lines)
    count = 0
    while count < len(lines):
        line = lines[count]
        prev = lines[count - 1] if count else previous
        if ends_text_body(line, prev, columns, size):
            break
        if count == 0 and not any(abs(w.x0 - c.x0) <= 1.0 for w in line.words for c in columns):
            break
        count += 1
    return count
