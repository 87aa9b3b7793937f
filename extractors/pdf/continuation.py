"""PDF continuation stage: the lines at the top of a page that go on with a table the page before ended."""

from __future__ import annotations

from extractors.lexicon import classify_any
from extractors.pdf.labels import line_label, wraps_into
from extractors.pdf.lines import Line
from extractors.pdf.regions import (
    Region,
    amount_segments,
    column_of,
    ends_goal_body,
    find_goal_header,
    is_label_only,
    spans_columns,
    typical_size,
)


def continue_header(lines: list[Line], region: Region) -> int:
    """Header lines of a goal table whose header row itself broke across the page: taken into the
    header while they keep its bold style and are not sentences."""
    if region.kind != "goal" or region.body or not region.header_lines[-1].bold:
        return 0
    count = 0
    while count < len(lines) and lines[count].bold and not spans_columns(lines[count], region.columns) and \
            not lines[count].text.rstrip().endswith((".", "!", "?")):
        for seg in lines[count].segments():
            region.columns[column_of(seg.x0, region.columns, seg.words[0].size)].header.append(seg)
        region.header_lines.append(lines[count])
        count += 1
    return count


def continue_region(lines: list[Line], region: Region, language: str | None) -> int:
    """How many lines at the top of a page continue a table that ended the previous page without a
    repeated header (a repeated header starts a new region instead, which stitching joins)."""
    if not lines or find_goal_header(lines, 0, language) is not None:
        return 0
    previous = region.body[-1] if region.body else region.header_lines[-1]
    columns = region.columns_for(previous.page)
    size = typical_size(region.body or region.header_lines)
    count = 0
    if region.kind == "goal":
        while count < len(lines):
            line = lines[count]
            prev = lines[count - 1] if count else previous
            if ends_goal_body(line, prev, columns, size, language) or \
                    (count == 0 and not any(abs(w.x0 - c.x0) <= 1.0 for w in line.words for c in columns)):
                break
            count += 1
        return count
    numbers_left = min(c.x0 for c in columns)
    while count < len(lines):
        line = lines[count]
        amounts = amount_segments(line)
        if amounts is not None:
            if not all(any(min(a.x1, c.x1) - max(a.x0, c.x0) > 0 for c in columns) for a in amounts):
                break
        elif not (is_label_only(line, numbers_left) and
                  (classify_any("finance_lines", line.text, language) or
                   wraps_into(line_label(lines[count - 1] if count else previous), line.text, language))):
            break
        count += 1
    return count
