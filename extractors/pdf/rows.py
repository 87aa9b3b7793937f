"""PDF value-table rows: body lines -> rows of cells, with the group rows each row stands under.

Lines join into one row where the document draws them into one (between the same rules or on one
shaded band, when the table draws a band per row) and otherwise by typography: a piece that goes on in
lower case or after a broken word belongs to its neighbour, and a row's figures may stand on its
label's first, middle or last line; a code printed on a name's last line goes before the whole name
('Sivistyksen ja hyvinvoinnin' / '400 toimialan hallinto'). A row under a label-only row set more
prominently (bold, or less indented) stands in that group; with several label columns, a bold outer
label is carried down over the rows below it ('Toimintatulot' over 'Alkuperäinen', 'Kv 27.5. §45
Muutos', 'Yhteensä').
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left
from collections import Counter

from extractors.pdf.draft_row import DraftRow, Piece
from extractors.pdf.grid import Column, Region, cell_spans, ends_open, span_index, starts_continuation
from extractors.pdf.lines import Line, Segment, Word
from extractors.pdf.sign_lines import signs_over
from extractors.pdf.splitting import split_by_spans
from extractors.pdf.total_groups import total_closed_groups
from extractors.pdf.values import column_of_label

WITHIN_CELL = 0.8  # white space between two lines of one cell, in font sizes
HANGING_INDENT = 1.5  # how far a wrapped label's next line may stand indented, in font sizes
CODE = re.compile(r"^\d{2,5}$")  # a unit's code before its name ('400 toimialan hallinto')
ZERO = re.compile(r"^[-−]?0(?:[,.]0+)?$")


def _value_index(seg: Segment, spans: list[tuple[float, float]]) -> int:
    """Value column of a run: the cell its centre stands in, else the nearest cell."""
    found = span_index(seg.x0, seg.x1, spans)
    if found is not None:
        return found
    center = (seg.x0 + seg.x1) / 2
    return min(range(len(spans)), key=lambda k: min(abs(spans[k][0] - center), abs(spans[k][1] - center)))


def _label_parts(seg: Segment, labels: list[Column]) -> list[Segment]:
    """A label run cut where a word starts at a label column's left edge ('6289 Utrustning': a code
    right-aligned in its column, the label starting the next one a word gap later)."""
    parts = [Segment(words=[seg.words[0]])]
    edges = [c.x0 for c in labels[1:]]
    for word in seg.words[1:]:
        if any(abs(word.x0 - edge) <= 1.5 and parts[-1].x1 < edge for edge in edges):
            parts.append(Segment(words=[word]))
        else:
            parts[-1].words.append(word)
    return parts


def _value_pieces(seg: Segment, line: Line, spans: list[tuple[float, float]]) -> tuple[list[Word], list[Segment]]:
    """The value run cut into cells. Words in a smaller type ('1)' raised after '1 141 900') are
    markers: they go with the figure before them, not into the next cell. Returns the markers that
    open the run (they belong to the cell left of it) and the pieces."""
    runs: list[tuple[bool, list[Word]]] = []
    for word in seg.words:
        small = word.size < 0.85 * line.size
        if runs and runs[-1][0] == small:
            runs[-1][1].append(word)
        else:
            runs.append((small, [word]))
    leading: list[Word] = []
    pieces: list[Segment] = []
    for small, words in runs:
        if small:
            if pieces:
                pieces[-1] = Segment(words=pieces[-1].words + words)
            else:
                leading += words
            continue
        run = Segment(words=words)
        pieces += split_by_spans(run, spans) or [run]
    return leading, pieces


def _marks(figure: Segment, small: list[Word], size: float) -> bool:
    """Whether a run in smaller type is a marker on the figure left of it ('1 141 900 ¹)'): it stands
    within a word gap of the figure, with no cell border between. A smaller figure a column gap away is
    a cell of its own (a row whose later cells are set in a smaller type: '-2 659 356,00' then
    '-2 835 327,00' 18 pt right of it)."""
    return not small[0].after_rule and small[0].x0 - figure.x1 < 0.8 * size


def line_cells(line: Line, region: Region) -> dict[int, list[Piece]]:
    """The line's runs by column: label runs by where they start, value runs by overlap (a run over
    several value columns cut where the columns are)."""
    labels = region.label_columns
    columns = region.columns_for(line.page)
    spans = cell_spans(columns, region.value_left, region.right_aligned)
    cells: dict[int, list[Piece]] = {}
    runs: list[Segment] = []
    for seg in line.segments():
        # a label run set so close to the first figure that they came as one run is cut at the
        # value columns' left edge ('Toimintatuotot 1 305 950'); the cut part prints a digit: a unit sign ending
        # the label ('..., 1 000 €') or a label that wraps with '(-' at its end (Kauhava p. 142) stays a label
        cut = next((i for i, w in enumerate(seg.words) if i and w.x0 >= region.value_left - 2 * w.size
                    and not any(ch.isalpha() for x in seg.words[i:] for ch in x.text)
                    and any(ch.isdigit() for x in seg.words[i:] for ch in x.text)), None) \
            if seg.x0 < region.value_left < seg.x1 else None  # a run across the value columns' left edge
        runs += [seg] if cut is None else [Segment(words=seg.words[:cut]), Segment(words=seg.words[cut:])]
    for seg in runs:
        size = seg.words[0].size
        if seg.x0 < region.value_left:
            for part in _label_parts(seg, labels):
                col = column_of_label(part.x0, labels, size)
                cells.setdefault(col, []).append(Piece(line, part))
            continue
        leading, pieces = _value_pieces(seg, line, spans)
        if leading:
            before = [p for col, ps in cells.items() if col >= len(labels) for p in ps if p.line is line]
            last = max(before, key=lambda p: p.segment.x1) if before else None
            if last is not None and _marks(last.segment, leading, line.size):
                last.segment = Segment(words=last.segment.words + leading)
            else:
                run = Segment(words=leading)
                pieces = (split_by_spans(run, spans) or [run]) + pieces
        for piece in pieces:
            col = len(labels) + _value_index(piece, spans)
            if col in cells:  # two runs in one cell: one text
                last = cells[col][-1]
                if last.line is line:
                    last.segment = Segment(words=last.segment.words + piece.words)
                    continue
            cells.setdefault(col, []).append(Piece(line, piece))
    return cells


def _bands(region: Region, labels_only: bool = False) -> dict[int, list[float]]:
    """Per page, the y of the row boundaries the document draws across the table (`labels_only`: across
    its label columns: a value column shaded box by box, or a sum underlined, draws none there)."""
    x0 = min(c.x0 for c in region.label_columns) if region.label_columns else region.columns[0].x0
    x1 = max(c.x1 for c in (region.label_columns if labels_only and region.label_columns else region.columns))
    out: dict[int, list[float]] = {}
    for page in region.pages:
        lines = [ln for ln in region.body if ln.page == page]
        if lines:
            # the rules just above the first line and below the last close their bands
            out[page] = region.graphics_for(page).row_edges(x0, x1, lines[0].top - lines[0].size,
                                                            lines[-1].bottom + lines[-1].size)
    return out


def _band(line: Line, bands: dict[int, list[float]]) -> tuple[int, int]:
    return line.page, bisect_left(bands.get(line.page, []), (line.top + line.bottom) / 2)


def _same_cell(first: Piece, piece: Piece, hanging: bool = False) -> bool:
    """A piece can go on a cell when it starts where the cell's text starts and keeps its style (an
    indented or italic 'varav interna' is a row of its own); with `hanging`, also when it is indented
    under the cell's start by at most HANGING_INDENT font sizes (a wrapped label's hanging indent)."""
    size = piece.segment.words[0].size
    a, b = first.segment, piece.segment
    start = abs(a.x0 - b.x0) <= 0.5 * size or (hanging and 0 < b.x0 - a.x0 <= HANGING_INDENT * size)
    return start and a.italic == b.italic and all(w.bold for w in a.words) == all(w.bold for w in b.words)


def _joins(prev: DraftRow, row: DraftRow, labels: int) -> bool:
    """Typography says the line goes on the row above: a lower-case or broken-word continuation of its
    label, or figures under a label that waits for them."""
    last, line = prev.lines[-1], row.lines[0]
    if line.page == last.page and line.top - last.bottom > WITHIN_CELL * min(line.size, last.size):
        return False
    label = row.label_text(labels)
    previous = prev.label_pieces(labels)
    pieces = row.label_pieces(labels)
    # a label line printing no figures, then an indented line going on in lower case with the figures
    # ('Muut kiinteät rakenteet' / '  ja laitteet  1 075', Seinäjoki p. 147): one label, hanging indent
    hanging = not prev.has_values(labels) and row.has_values(labels) and starts_continuation(label)
    # the line goes on the label's first cell, or its last when the label prints a number in a column of its
    # own before the name ('6. | Ennakkomaksut ja kesken-' / 'eräiset hankinnnat', Seinäjoki p. 61)
    if previous and pieces and not any(_same_cell(cell, pieces[0], hanging) for cell in (previous[0], previous[-1])):
        return False
    opened = bool(previous) and ends_open(previous[-1].segment.text)
    if not row.has_values(labels):
        return bool(label) and (starts_continuation(label) or opened)
    if prev.has_values(labels):
        # a word broken at the line's end goes on in lower case on the next line, which prints its figures in
        # other columns than the line above ('Pysyvien vastaavien hyödyk-  1 585 843,07' / 'keiden
        # luovutustulot  -39 918 828,56', the group's total in the right column of a pair: Seinäjoki p. 150)
        filled = {col for col in prev.cells if col >= labels}
        return bool(previous) and previous[-1].segment.text.rstrip().endswith(("-", "\u00ad")) \
            and starts_continuation(label) and not filled & {col for col in row.cells if col >= labels}
    return bool(previous) and (not label or starts_continuation(label) or opened)


def _row_starts(lines: list[DraftRow], bands: dict[int, list[float]], labels: int) -> dict[tuple[int, int], int]:
    """Per band, how many rows of figures its lines print: labels of their own that carry a figure on one
    of their lines (a label begins where a line's label neither goes on in lower case nor follows a line
    left open: 'Tekninen lautakunta yh-' / 'teensä 700 ...' is one label, Kauhava p. 120; 'Henkilöstökuluja
    aktivoitu ... aineellisiin' / 'hyödykkeisiin 1 726 079,37' too), and lines printing figures in two or
    more value columns without a label ('11 635' / '000' wrapped in a narrow column counts for none)."""
    counted: dict[tuple[int, int], int] = {}
    current: tuple[tuple[int, int], int] | None = None  # (band, line index) of the label going on
    carried: set[tuple[tuple[int, int], int]] = set()
    texts = [draft.label_text(labels) for draft in lines] if any(bands.values()) else []  # read where bands are
    for index, draft in enumerate(lines):
        if not bands.get(draft.lines[0].page):
            continue
        key = _band(draft.lines[0], bands)
        label = texts[index]
        above = texts[index - 1] if index else ""
        if label and (current is None or current[0] != key or not (starts_continuation(label) or ends_open(above))):
            current = (key, index)
        if not draft.has_values(labels):
            continue
        if not label and sum(1 for col in draft.cells if col >= labels) >= 2:
            counted[key] = counted.get(key, 0) + 1
        elif label and current is not None and current not in carried:
            carried.add(current)
            counted[key] = counted.get(key, 0) + 1
    return counted


def draft_rows(region: Region) -> list[DraftRow]:
    labels = len(region.label_columns)
    bands, label_bands = _bands(region), _bands(region, labels_only=True)
    lines = [DraftRow(lines=[line], cells=line_cells(line, region)) for line in region.body]
    # a band that holds one row: every line between the same two rules (or on one shaded box) is in it;
    # a band holding several lines that print figures (a frame round the whole table, or a sum's
    # underline over rows of one figure each: Seinäjoki p. 67 'Erotus 2 727' / 'Täsmäytys' / 'Muut
    # maksuvalmiuden muutokset -5 946' / 'Kassavarojen muutos -3 220') leaves the rows to typography
    starters = _row_starts(lines, bands, labels)
    # a boundary drawn under every line (a spreadsheet's cell grid, Kauhava p. 33) parts lines, not rows
    per_band = Counter(_band(draft.lines[0], bands) for draft in lines if bands.get(draft.lines[0].page))
    line_grid = len(lines) > 2 and bool(per_band) and max(per_band.values()) == 1
    steps = sorted(b.top - a.top for a, b in zip(region.body, region.body[1:], strict=False)
                   if a.page == b.page and b.top > a.top)
    pitch = steps[len(steps) // 2] if steps else 0.0  # the table's usual line-to-line distance
    rows: list[DraftRow] = []
    for row in lines:
        line = row.lines[0]
        prev = rows[-1] if rows else None
        band = _band(line, bands)
        same_band = prev is not None and _band(prev.lines[-1], bands) == band
        closed = 0 < band[1] < len(bands.get(line.page, []))  # a rule (or shading edge) above and below
        # typography may join lines that no boundary drawn across the label column parts
        # ('Pysyvien vastaavien hyödykkeiden' / 'luovutustulot' beside a value column shaded line by line)
        open_label = same_band or line_grid or _band(prev.lines[-1], label_bands) == _band(line, label_bands) \
            if prev is not None else False
        if prev is not None and signs_over(prev, row, labels, WITHIN_CELL):
            prev.merge(row)  # minus signs wrapped onto the line above their figures (Kauhava p. 116)
            continue
        if prev is not None and open_label and _coded_wrap(prev, row, labels):
            rows[-1] = _with_code_first(prev, row, labels)
            continue
        if prev is not None and open_label and _zero_first_line(prev, row, labels):
            row.cells[min(row.cells)] = [*prev.label_pieces(labels), *row.cells[min(row.cells)]]
            rows.append(row)  # the zero stays on the row above, under the first line of the label
            continue
        if prev is not None and ((same_band and closed and starters.get(band, 0) <= 1
                                  and not _own_label(prev, row, labels, pitch) and not _sub_row(prev, row, labels)) or
                                 ((open_label or prev.lines[-1].page != line.page) and _joins(prev, row, labels))):
            prev.merge(row)
            continue
        rows.append(row)
    _group(rows, labels)
    return rows


def _close_below(prev: DraftRow, row: DraftRow) -> bool:
    last, line = prev.lines[-1], row.lines[0]
    return line.page == last.page and line.top - last.bottom <= WITHIN_CELL * min(line.size, last.size)


def _coded_wrap(prev: DraftRow, row: DraftRow, labels: int) -> bool:
    """A label line printing no figures that starts where the names after the codes start, right above a
    line printing a code, the name going on in lower case, and the figures: one label, wrapped before its
    code ('Sivistyksen ja hyvinvoinnin' / '400 toimialan hallinto  1 688', Seinäjoki p. 147)."""
    previous, pieces = prev.label_pieces(labels), row.label_pieces(labels)
    if prev.has_values(labels) or not row.has_values(labels) or len(previous) != 1 or not pieces or \
            len(prev.lines) != 1 or not _close_below(prev, row):
        return False
    words, above = pieces[0].segment.words, previous[0].segment
    size = min(row.lines[0].size, prev.lines[0].size)
    return len(words) > 1 and bool(CODE.match(words[0].text)) and words[1].text[:1].islower() and \
        above.x0 > words[0].x1 and abs(words[1].x0 - above.x0) <= 0.5 * size and \
        min(prev.cells) == min(c for c in row.cells if c < labels)


def _with_code_first(prev: DraftRow, row: DraftRow, labels: int) -> DraftRow:
    """The row of `_coded_wrap` as one: its code, the line above, then the rest of its own label."""
    col = min(c for c in row.cells if c < labels)
    first = row.cells[col][0]
    code = Piece(line=copy.copy(first.line), segment=Segment(words=first.segment.words[:1]))  # a line of its own
    rest = Piece(line=first.line, segment=Segment(words=first.segment.words[1:]))
    merged = DraftRow(lines=prev.lines + row.lines, cells=dict(row.cells), path=prev.path)
    merged.cells[col] = [code, *prev.cells[col], rest, *row.cells[col][1:]]
    return merged


def _zero_first_line(prev: DraftRow, row: DraftRow, labels: int) -> bool:
    """A label line printing a lone zero, then a line going on with the label in lower case under a hanging
    indent and printing the figures, the zero's column among them: a spreadsheet's label wrapped over two of
    its rows, the first row's formula giving 0 ('Arvopaperit ja muut  0' / '  pitk. sijoitukset  2 195 ... 6',
    Seinäjoki p. 147). The label begins on the line above; the zero stays there, under that line."""
    values = [p for c in prev.cells if c >= labels for p in prev.cells[c]]
    previous, pieces = prev.label_pieces(labels), row.label_pieces(labels)
    if len(values) != 1 or not ZERO.match(values[0].segment.text.strip()) or not previous or not pieces or \
            not _close_below(prev, row) or not starts_continuation(row.label_text(labels)):
        return False
    shared = {c for c in prev.cells if c >= labels} & {c for c in row.cells if c >= labels}
    return bool(shared) and pieces[0].segment.x0 > previous[0].segment.x0 and \
        _same_cell(previous[0], pieces[0], hanging=True) and min(prev.cells) == min(row.cells)


def _own_label(prev: DraftRow, row: DraftRow, labels: int, pitch: float) -> bool:
    """The line begins a label of its own below a complete one: it starts with a capital, stands at least the
    table's usual line distance (pitch) below the line above, and the label above neither is left open nor
    prints figures the line would share. Lines on one shaded box are one row only when the second goes on the
    first: 'Varausten muutos' / 'Rahastojen lisäys (-) tai vähennys (+)  -1' are two rows on one box of a shaded
    figure column left blank on both (Seinäjoki p. 53, lines 13.1 pt apart as every row); 'Osakkeet ja osuudet,
    KY' / 'Kymppi  33 000' set 11 pt apart in a table of 15 pt rows are one cell (Kauhava p. 120)."""
    if row.lines[0].top - prev.lines[-1].top < 0.9 * pitch:
        return False
    label, above = row.label_text(labels), prev.label_text(labels)
    first = next((ch for ch in label if ch.isalpha()), "")
    # not deeper than the label above, or than its name when it prints a number or letter in a column of its
    # own ('II | Saamiset' / 'Pitkäaikaiset saamiset' / '1. | Myyntisaamiset', Seinäjoki p. 61)
    name = prev.label_pieces(labels)[-1].segment.x0 if prev.label_pieces(labels) else prev.indent(labels)
    return bool(above) and first.isupper() and not ends_open(above) and not prev.has_values(labels) \
        and row.indent(labels) <= max(prev.indent(labels), name) + 0.5


def _sub_row(prev: DraftRow, row: DraftRow, labels: int) -> bool:
    """A label line printing no figures, indented deeper than the label of a row above that prints its
    figures, and not going on with it (no lower-case start, the label above not left open): a row of its
    own, even in the row's ruled band ('Rakennukset 0 | 0' over '  Sisältää myyntivoittoa' in a band closed
    by the rules round a memo cell: Seinäjoki p. 144)."""
    previous, pieces = prev.label_pieces(labels), row.label_pieces(labels)
    if not previous or not pieces or row.has_values(labels) or not prev.has_values(labels) or \
            min(c for c in row.cells if c < labels) != min(c for c in prev.cells if c < labels):
        return False  # a line going on in a later label column ('1 | P 6289 | Utrustning uppstart' / 'Korsav...')
    size = pieces[0].segment.words[0].size
    label = row.label_text(labels)
    return pieces[0].segment.x0 - previous[0].segment.x0 > 0.5 * size and not starts_continuation(label) and \
        not ends_open(previous[-1].segment.text)


def _label_style(row: DraftRow, labels: int) -> tuple[bool, bool, float]:
    """How the row's label is printed: bold, in capitals, where it starts."""
    words = [w for p in row.label_pieces(labels) for w in p.segment.words]
    text = row.label_text(labels)
    return bool(words) and all(w.bold for w in words), text.isupper(), row.indent(labels)


def _sibling(row: DraftRow, group: DraftRow, labels: int) -> bool:
    """A row whose label is printed as the group's heading is (bold, capitals, at its indent) is the next
    heading of that level, whatever its figures: 'VÄHEMMISTÖOSUUDET  15 656' under 'OMA PÄÄOMA' and its
    indented lines closes that group (Seinäjoki p. 156)."""
    bold, upper, indent = _label_style(row, labels)
    g_bold, g_upper, g_indent = _label_style(group, labels)
    return bold and upper and (bold, upper) == (g_bold, g_upper) and abs(indent - g_indent) <= 2


def _group(rows: list[DraftRow], labels: int) -> None:
    """Set each row's path: the group rows above it."""
    if labels > 1 and _carry_outer(rows, labels):
        return
    group: DraftRow | None = None
    by_indent = False  # the group's first row stands deeper than its heading: indents tell its rows
    for index, row in enumerate(rows):
        if group is not None:
            deeper = row.indent(labels) > group.indent(labels) + 2
            # in a group whose rows are indented, a row back at the heading's indent closes the group, bold
            # heading or not ('Toiminnan ja investointien rahavirta' after 'Investointien rahavirta' and its
            # indented lines, Kauhava TP 2024 pp. 33, 49); where the rows stand at the heading's indent, the
            # heading's bold type tells them
            inside = not _sibling(row, group, labels) and \
                (deeper or (group.bold and not row.bold and not by_indent))
            if inside:
                row.path = [*group.path, group.label_text(labels)]
                continue
            group = None
        nxt = rows[index + 1] if index + 1 < len(rows) else None
        if not row.has_values(labels) and row.label_text(labels) and nxt is not None and \
                ((row.bold and not nxt.bold) or nxt.indent(labels) > row.indent(labels) + 2):
            group, by_indent = row, nxt.indent(labels) > row.indent(labels) + 2
    total_closed_groups(rows, labels)


def _carry_outer(rows: list[DraftRow], labels: int) -> bool:
    """Several label columns: the outer column's labels head groups carried down the rows below them;
    when some are bold, only the bold ones do (the others belong to their row: 'Kv 27.5. §45')."""
    outer = [r.cells.get(0, []) for r in rows]
    if not any(outer) or not any(r.cells.get(k) for r in rows for k in range(1, labels)):
        return False
    strong_style = any(p.line.bold or all(w.bold for w in p.segment.words) for cell in outer for p in cell)

    def strong(cell: list[Piece]) -> bool:
        if not cell:
            return False
        return all(w.bold for w in cell[0].segment.words[:1]) if strong_style else True

    # a label heads a group only when rows below it leave the outer column to it (empty or weak)
    carried: dict[int, int] = {}
    group: int | None = None
    for index, (row, cell) in enumerate(zip(rows, outer, strict=True)):
        if strong(cell):
            group = index
        elif group is not None and any(row.cells.get(k) for k in range(1, labels)):
            carried[group] = carried.get(group, 0) + 1
    # a head is a word, not a code or a number; without a bold style to tell heads it must carry more
    # than one row
    heads = {index: text for index, n in carried.items()
             if (text := " ".join(p.segment.text for p in outer[index])) and any(ch.isalpha() for ch in text)
             and (strong_style or n > 1)}
    if not heads:
        return False
    current: str | None = None
    for index, (row, cell) in enumerate(zip(rows, outer, strict=True)):
        inner = any(row.cells.get(k) for k in range(1, labels))
        if strong(cell):
            current = heads.get(index)
            if current is not None and inner:
                row.path = [current]  # its own cell stays; the label leaves out what the path says
            continue
        if current is not None and inner:
            row.path = [current]
    return True
