"""PDF value-table rows: a line of lone minus signs wrapped over the figures of the row below.

A narrow value cell may wrap a negative figure before its digits: the minus ends up alone on the line
above, set at the cell's right edge, and the digits on the row's own line ('-' over '46 525 690,00' in
three columns of 'TOIMINTAKULUT', and over '38 396 165,19' of 'Toimintakate/Jäämä', Kauhava financial
statement 2024 p. 116, '2.3 Tuloslaskelmaosan toteutuminen'; the page's sum 6 228 970 + 105 990 -
46 525 690 = -40 190 730 proves the sign). Such a line is no row of its own: each minus goes on the figure
of its column below, which then reads '- 46 525 690,00' (a minus separated by a space, numbers lexicon).

Counterexamples that stay apart: a dash line over a row whose figure in that column prints its own sign
or is missing (then the dash is a placeholder or a rule, not a displaced sign), a dash line with a label,
a dash set over another part of the column than the figure, or a line standing farther below than the
lines of one cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractors.numbers import grammar, parse_number

if TYPE_CHECKING:
    from extractors.pdf.draft_row import DraftRow


def signs_over(prev: DraftRow, row: DraftRow, labels: int, within: float) -> bool:
    """True when `prev` is one line of lone minus signs in value columns only (no label) and `row`'s first
    line follows it within `within` font sizes on the same page, with, under each minus, a figure of its
    own column that prints no sign and whose horizontal extent holds the minus (half a font size of slack).
    `labels` is the table's number of label columns (columns below it are labels)."""
    if len(prev.lines) != 1 or prev.label_pieces(labels) or not prev.has_values(labels):
        return False
    last, line = prev.lines[0], row.lines[0]
    size = min(last.size, line.size)
    if line.page != last.page or line.top - last.bottom > within * size:
        return False
    minus = grammar().minus
    for col, pieces in prev.cells.items():
        below = row.cells.get(col)
        if len(pieces) != 1 or pieces[0].segment.text.strip() not in minus or not below:
            return False
        sign, figure = pieces[0].segment, below[0].segment
        parsed = parse_number(figure.text)
        if parsed is None or parsed.value < 0 or parsed.bracketed or figure.text.strip()[:1] in minus:
            return False
        if sign.x0 < figure.x0 - 0.5 * size or sign.x1 > figure.x1 + 0.5 * size:
            return False
    return True
