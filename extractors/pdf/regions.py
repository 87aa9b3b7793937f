"""PDF table-finding stage: locate finance and goal tables among a page's lines (ruled or not).

Tables are found from their content, not their ruling: a finance table is a run of rows ending in
amounts under a header with years or column-kind words; a goal table starts at a header whose
columns the goal-column lexicon recognises. Ruling lines, when present, are extra evidence only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from statistics import median

from extractors.layout import is_theme_heading
from extractors.lexicon import classify_any, column_kind
from extractors.numbers import is_empty_figure
from extractors.patterns import YEAR
from extractors.pdf.labels import completes_label, line_label, wraps_into
from extractors.pdf.lines import Line, Segment, split_segments, typical_pitch


@dataclass
class Column:
    x0: float
    x1: float
    header: list[Segment] = field(default_factory=list)

    def label(self) -> str:
        ordered = sorted(self.header, key=lambda s: (round(s.bbox.top), s.x0))
        return " ".join(s.text for s in ordered)


@dataclass
class Region:
    """A table found on one or more pages: its columns, header lines and body lines."""

    kind: str  # "finance" | "goal"
    columns: list[Column]
    header_lines: list[Line]
    body: list[Line]
    rules: dict[int, list[float]] = field(default_factory=dict)
    label_header: list[Segment] = field(default_factory=list)
    continued: bool = False
    page_columns: dict[int, list[Column]] = field(default_factory=dict)
    """Columns of a continuation page, read from that page's repeated header (margins may differ)."""

    def columns_for(self, page: int) -> list[Column]:
        return self.page_columns.get(page, self.columns)

    @property
    def pages(self) -> list[int]:
        return sorted({ln.page for ln in self.header_lines + self.body})

    def header_key(self) -> tuple[str, ...]:
        return tuple(" ".join(c.label().lower().split()) for c in self.columns)


def amount_segments(line: Line) -> list[Segment] | None:
    """The trailing amount segments of a table row, or None when the line is not one.

    A line whose numbers are all bare years ('ändringar 2026 2027') is a wrapped header line.
    """
    segments = line.segments()
    first_number = next((i for i, s in enumerate(segments) if s.is_number), None)
    if first_number is None:
        return None
    trailing = segments[first_number:]
    if not all(s.is_number or is_empty_figure(s.text) for s in trailing):
        return None  # a dash or ellipsis after the first figure is an empty cell of the row ('139 400 – -')
    if first_number == 0 and len(trailing) < 2:
        return None
    if all(YEAR.fullmatch(s.text.strip()) for s in trailing):
        return None
    return trailing


def is_label_only(line: Line, numbers_left: float) -> bool:
    return line.x1 < numbers_left - 2 and amount_segments(line) is None


def _split_at_amounts(line: Line, numbers_left: float, labels_left: float) -> None:
    """A heading run that crosses into the amounts ('Sivistyslautakunta TA 2024', set with one word gap)
    is two runs when it starts where the labels do, one of its words starts where the first amount column
    starts (within 2 pt each) and what follows reads as a column heading (a year, or a heading of the
    columns lexicon): the label column's heading and the first column's heading. The line's segments are
    replaced in place."""
    segments = line.segments()
    for index, seg in enumerate(segments):
        if not (seg.x0 < numbers_left - 2 < seg.x1):
            continue
        if abs(seg.x0 - labels_left) > 2:
            return  # a heading centred over an amount column ('TILINPÄÄTÖS 2023'), not the label column's
        cut = next((i for i, w in enumerate(seg.words) if i and abs(w.x0 - numbers_left) <= 2), None)
        right = " ".join(w.text for w in seg.words[cut:]) if cut is not None else ""
        if cut is not None and len(line.words) <= 12 and not line.text.rstrip().endswith((":", ".")) \
                and (YEAR.search(right) or column_kind(right) is not None):
            line.segments_cache = [*segments[:index], Segment(words=seg.words[:cut]),
                                   Segment(words=seg.words[cut:]), *segments[index + 1:]]
        return


def _header_like(line: Line, numbers_left: float, labels_right: float, labels_left: float) -> bool:
    """Column headings over the amounts: short runs right of the labels, no amounts, no running text."""
    _split_at_amounts(line, numbers_left, labels_left)
    right = [s for s in line.segments() if s.x1 > numbers_left - 2]
    if not right:
        return False
    if any(s.x0 < labels_right and s.x1 > numbers_left for s in line.segments()):
        return False  # running text crosses from the label column into the amounts
    for seg in right:
        if seg.is_number and not YEAR.fullmatch(seg.text.strip()):
            return False
    return True


def _cluster_columns(segments: list[Segment]) -> list[Column]:
    columns: list[Column] = []
    for seg in sorted(segments, key=lambda s: s.x0):
        target = next((c for c in columns if seg.x0 < c.x1 + 1 and seg.x1 > c.x0 - 1), None)
        if target is None:
            columns.append(Column(x0=seg.x0, x1=seg.x1, header=[seg]))
        else:
            target.header.append(seg)
            target.x0, target.x1 = min(target.x0, seg.x0), max(target.x1, seg.x1)
    merged: list[Column] = []
    for col in sorted(columns, key=lambda c: c.x0):
        if merged and col.x0 < merged[-1].x1 + 1:
            merged[-1].header += col.header
            merged[-1].x1 = max(merged[-1].x1, col.x1)
        else:
            merged.append(col)
    return merged


def _has_column_words(columns: list[Column], language: str | None) -> bool:
    return any(YEAR.search(c.label()) or classify_any("columns", c.label(), language) for c in columns)


def _trim_trailing_notes(body: list[Line], language: str | None, at_page_end: bool) -> list[Line]:
    """Lines under a table that fill few columns and are no known finance line (savings-target notes).
    At the page's end a trailing label may go on on the next page, so label-only lines stay there."""
    widths = [len(amount_segments(ln) or []) for ln in body]
    full = max(widths, default=0)
    while body and full > 1:
        last = body[-1]
        label = line_label(last)
        if at_page_end and amount_segments(last) is None:
            break
        if amount_segments(last) is None and len(body) > 1 and completes_label(line_label(body[-2]), label, language):
            break
        if classify_any("finance_lines", label, language) or len(amount_segments(last) or []) * 2 > full:
            break
        body = body[:-1]
    return body


def _overlapping(seg: Segment, columns: list[Column]) -> int:
    return sum(1 for c in columns if min(seg.x1, c.x1) - max(seg.x0, c.x0) > 0)


def _header_pieces(header_segments: list[Segment], columns: list[Column]) -> list[Segment]:
    """Header cells (runs stacked over each other) that each sit over at most one amount column: a cell
    over one column stays whole ('TALOUSARV' over 'IO 2025'); one over several is split into its runs,
    and a run over several into tighter runs or words ('TA 2024 Raami 2025')."""
    pieces: list[Segment] = []
    for cell in _cluster_columns(header_segments):
        if _overlapping(Segment(words=[w for seg in cell.header for w in seg.words]), columns) <= 1:
            pieces += cell.header
            continue
        for seg in cell.header:
            if _overlapping(seg, columns) <= 1:
                pieces.append(seg)
                continue
            tighter = split_segments(seg.words, factor=0.4)
            pieces += tighter if all(_overlapping(p, columns) <= 1 for p in tighter) else \
                [Segment(words=[w]) for w in seg.words]
    return pieces


def _finance_columns(amounts: list[Segment], header_segments: list[Segment]) -> list[Column]:
    """Columns anchored on the amounts; each header cell is hung on the amount column whose cell it
    sits in, whether the heading is set left, centred or right.

    Amounts are right-aligned, so the column of amounts k owns the span from the right edge of
    column k-1 to its own right edge; a heading belongs where its centre falls. A second heading in
    the same span (a column printed without any figure) and headings right of the last amounts are
    kept as header-only columns.
    """
    columns = _cluster_columns(amounts)
    for column in columns:
        column.header = []
    rights = [c.x1 for c in columns]
    claims: dict[int, list[Segment]] = {}
    extra: list[Column] = []
    for piece in _header_pieces(header_segments, columns):
        center = (piece.x0 + piece.x1) / 2
        index = next((k for k, right in enumerate(rights) if center <= right + 2), None)
        if index is None:
            extra.append(Column(x0=piece.x0, x1=piece.x1, header=[piece]))
        else:
            claims.setdefault(index, []).append(piece)
    for index, pieces in claims.items():
        column = columns[index]
        cells = _cluster_columns(pieces)
        # the cell nearest the amounts heads the column; any other is a column without figures
        cells.sort(key=lambda c: (-(min(c.x1, column.x1) - max(c.x0, column.x0)), abs(c.x1 - column.x1)))
        column.header = cells[0].header
        extra += cells[1:]
    extra = _cluster_columns([seg for c in extra for seg in c.header])
    return sorted(columns + extra, key=lambda c: c.x0)


def find_finance(lines: list[Line], start: int, language: str | None) -> tuple[int, int, Region] | None:
    """A finance table whose first amount row is lines[start]: (first line, end line, region)."""
    first = amount_segments(lines[start])
    if first is None:
        return None
    size = lines[start].size
    pitch = 1.25 * size
    body = [lines[start]]
    numbers_left = first[0].x0
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.top - body[-1].bottom > 1.6 * pitch or abs(line.size - size) > 0.25 * size:
            break
        amounts = amount_segments(line)
        if amounts is not None:
            numbers_left = min(numbers_left, amounts[0].x0)
            body.append(line)
        elif is_label_only(line, numbers_left) and not is_theme_heading(line.text):
            body.append(line)
        else:
            break
        index += 1
    # trailing label-only lines are text under the table, unless they finish a wrapped label or the
    # table runs to the page's end (the label may go on on the next page)
    while body and index < len(lines) and amount_segments(body[-1]) is None \
            and not classify_any("finance_lines", body[-1].text, language) \
            and not (len(body) > 1 and wraps_into(line_label(body[-2]), body[-1].text, language)):
        body.pop()
    labels_left = min((ln.x0 for ln in body), default=numbers_left)
    labels_right = max((s.x1 for ln in body for s in ln.segments() if not s.is_number and not is_empty_figure(s.text)),
                       default=numbers_left)
    # header lines (and label-only rows such as a sub-heading) above the first amount row
    header: list[Line] = []
    above: list[Line] = []
    j = start - 1
    while j >= 0:
        line, below = lines[j], (header[0] if header else (above[0] if above else lines[start]))
        if below.top - line.bottom > 1.6 * pitch:
            break
        if _header_like(line, numbers_left, labels_right, labels_left):
            header.insert(0, line)
        elif not header and is_label_only(line, numbers_left) and len(above) < 2 and not is_theme_heading(line.text):
            above.insert(0, line)
        else:
            break
        j -= 1
    if not header:
        return None
    body = above + _trim_trailing_notes(body, language, at_page_end=index >= len(lines))
    if not any(amount_segments(ln) for ln in body):
        return None
    # a heading run over the labels (KAUPUNGINHALLITUS) starts where the labels do and ends before the
    # amounts; column headings start right of the labels' text
    def in_label_cell(seg: Segment) -> bool:
        return seg.x0 < labels_right - 0.3 * size and seg.x1 <= numbers_left - 0.3 * size

    label_segments = [s for ln in header for s in ln.segments() if in_label_cell(s)]
    header_segments = [s for ln in header for s in ln.segments() if not in_label_cell(s)]
    columns = _finance_columns([a for ln in body for a in (amount_segments(ln) or [])], header_segments)
    if not columns or not _has_column_words(columns, language):
        return None
    region = Region(kind="finance", columns=columns, header_lines=header, body=body,
                    label_header=label_segments)
    return j + 1, start + len(body) - len(above), region


_FOUR_COLUMN_GOAL_FIELDS = {"central_goal", "area_goal", "actions", "responsible"}
"""The goal header this finder knows: the four-column key-goal table (other goal layouts are read by
the goal readers from the blocks and ruled frames)."""


def find_goal_header(lines: list[Line], start: int, language: str | None) -> tuple[int, list[Column]] | None:
    """Goal-table header starting at lines[start]: number of header lines and the columns."""
    if len(lines[start].segments()) < 2:
        return None
    for count in range(1, 5):
        if start + count > len(lines):
            break
        block = lines[start:start + count]
        if count > 1 and block[-1].top - block[-2].bottom > 0.8 * block[-1].size:
            break
        if any(is_theme_heading(ln.text) for ln in block):
            break
        columns = _cluster_columns([s for ln in block for s in ln.segments()])
        fields = {classify_any("goal_columns", c.label(), language) for c in columns} & _FOUR_COLUMN_GOAL_FIELDS
        if len(fields) >= 3 and len(columns) >= 3:
            # take following lines that still belong to the header cells (wrapped header text)
            return count, columns
    return None


def ends_goal_body(line: Line, prev: Line, columns: list[Column], size: float, language: str | None) -> bool:
    if is_theme_heading(line.text) or line.size > 1.2 * size:
        return True
    if line.x0 < columns[0].x0 - 1.5 * size:
        return True
    if line.top - prev.bottom > 2.2 * size:
        return True
    return bool(line.bold and classify_any("sections", line.text, language))


def _rule_between(rules: list[float], upper: Line, lower: Line) -> bool:
    return any(upper.bottom - 1 <= y <= lower.top + 1 for y in rules)


def find_goal(lines: list[Line], start: int, language: str | None,
              rules: list[float] = ()) -> tuple[int, int, Region] | None:
    found = find_goal_header(lines, start, language)
    if found is None:
        return None
    count, columns = found
    header = lines[start:start + count]
    # header cells that wrap onto further lines: lines right below whose segments all sit in columns
    # and that are in the header's style
    index = start + count
    while index < len(lines) and lines[index].bold == header[-1].bold and header[-1].bold and \
            lines[index].top - header[-1].bottom < 0.8 * lines[index].size and \
            not _spans(lines[index], columns) and not lines[index].text.rstrip().endswith((".", "!", "?")) and \
            not _rule_between(rules, header[-1], lines[index]):
        header.append(lines[index])
        for seg in lines[index].segments():
            col = column_of(seg.x0, columns, seg.words[0].size)
            columns[col].header.append(seg)
        index += 1
    size = typical_size(header)
    body: list[Line] = []
    while index < len(lines):
        line = lines[index]
        prev = body[-1] if body else header[-1]
        if ends_goal_body(line, prev, columns, size, language):
            break
        body.append(line)
        index += 1
    return start, index, Region(kind="goal", columns=columns, header_lines=header, body=body)


def typical_size(lines: list[Line]) -> float:
    return sorted(ln.size for ln in lines)[len(lines) // 2]


def column_of(x0: float, columns: list[Column], size: float) -> int:
    col = 0
    for index, column in enumerate(columns):
        if column.x0 - 0.6 * size <= x0:
            col = index
    return col


def _spans(line: Line, columns: list[Column]) -> bool:
    """One run of text that crosses a column boundary: a merged row (strategic goal).

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


def spans_columns(line: Line, columns: list[Column]) -> bool:
    return _spans(line, columns)


def find_regions(lines: list[Line], language: str | None,
                 rules: list[float] = ()) -> list[tuple[int, int, Region]]:
    """All table regions of a page as (first line index, end index exclusive, region)."""
    regions: list[tuple[int, int, Region]] = []
    index = 0
    while index < len(lines):
        found = find_goal(lines, index, language, rules) or find_finance(lines, index, language)
        if found is not None:
            first, end, region = found
            if regions and first < regions[-1][1]:
                first = regions[-1][1]
            regions.append((first, end, region))
            index = max(end, index + 1)
        else:
            index += 1
    return regions


__all__ = ["Column", "Region", "column_of", "find_regions", "spans_columns", "typical_pitch"]
