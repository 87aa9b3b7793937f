"""PDF table-finding stage: every table of a page, found from layout alone (no language data).

One table layer with two finders over the same page content (rules, shading, lines):

1. ruled frames laid out as stacked blocks (`extractors/pdf/frames.py`: cells closed by rules, or by the
   edges of abutting cell shadings when no rule is drawn (`extractors/pdf/shading.py`), with row and column
   spans, shading, continuation across pages) are claimed first (`claim_frames`);
2. on the lines left, at each line, text tables (a bold heading row over text cells,
   `extractors/pdf/textgrid.py`) are tried, then value tables (rows of figures in aligned columns,
   `extractors/pdf/values.py`); what neither claims is running text (`find_regions`).

Both give IR tables of one shape (`models.Table`: label columns, heading paths, quality), which go to
the `tables` dataset whatever they hold. Readers above (finance, goals) decide what a table holds.
"""

from __future__ import annotations

from extractors.pdf.frames import Frame, continues, find_frames, is_stacked, is_two_column_text, merge_continuation
from extractors.pdf.grid import Graphics, Region
from extractors.pdf.lines import Line
from extractors.pdf.page import PageContent
from extractors.pdf.textgrid import find_text_table
from extractors.pdf.values import find_value_table


def find_regions(lines: list[Line], graphics: Graphics) -> list[tuple[int, int, Region]]:
    """All tables of a page as (first line index, end index exclusive, region); linear in the lines
    apart from each table's own extent."""
    regions: list[tuple[int, int, Region]] = []
    index = 0
    while index < len(lines):
        found = find_text_table(lines, index, graphics) or find_value_table(lines, index, graphics)
        if found is not None:
            first, end, region = found
            if regions and goes_on(regions[-1][2], regions[-1][1], first, region):
                before, _, table = regions[-1]
                table.body += lines[first:end]
                regions[-1] = (before, end, table)
                index = max(end, index + 1)
                continue
            if regions and first < regions[-1][1]:
                first = regions[-1][1]
                region.header_lines = [ln for ln in region.header_lines if ln.top >= lines[first].top]
            region.graphics = {lines[first].page: graphics}
            regions.append((first, end, region))
            index = max(end, index + 1)
        else:
            index += 1
    return regions


def goes_on(table: Region, end: int, first: int, found: Region) -> bool:
    """A value table found right under another (no line between them, only blank space), without
    headings of its own, whose value columns stand where the other's do (the same number, each ending
    within half a type size): the rows after a blank row of the same table ('Arvonalennukset |
    Kirjanpitoarvo 31.12' under 'Hankintameno 31.12.', Kauhava p. 144)."""
    if first != end or found.header_lines or table.kind != "values" or found.kind != "values" or \
            len(found.columns) != len(table.columns) or not found.body or not table.body or \
            found.body[0].page != table.body[-1].page:
        return False
    size = found.body[0].size
    return all(abs(a.x1 - b.x1) <= 0.5 * size for a, b in zip(table.columns, found.columns, strict=True))


def claim_frames(page: PageContent, lines: list[Line], last: object,
                 previous_lines: list[Line]) -> tuple[list[Frame], list[Line]]:
    """The page's stacked ruled frames and the lines left outside them; `last` is the item the pages
    before ended with.

    A frame first on its page that goes on with a frame that ended the page before is joined to it and not
    returned again; no text may stand between them but a running header (a line printed at the same place
    on the page before)."""
    claimed: list[Frame] = []
    running: set[tuple[str, int]] | None = None  # the lines of the page before, taken once a frame is found
    for frame in find_frames(page, lines):
        if running is None:
            running = {(ln.text, round(ln.top)) for ln in previous_lines}
        inside = {id(ln) for ln in frame.lines}
        first = not claimed and not any(ln.bottom <= frame.top and (ln.text, round(ln.top)) not in running
                                        for ln in lines if id(ln) not in inside)
        if first and isinstance(last, Frame) and continues(last, frame):
            merge_continuation(last, frame)
        elif (is_stacked(frame) and not frame.shaded) or is_two_column_text(frame):  # shading: label | text only
            claimed.append(frame)
        else:
            continue
        lines = [ln for ln in lines if id(ln) not in inside]
    return claimed, lines
