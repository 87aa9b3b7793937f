"""PDF value-table rows: a block of rows set apart by blank lines, headed by a label line without figures
and closed by a total row, is a group whose rows stand under that heading.

Some notes print their groups in the rows' own type and indent, so neither bold nor indent tells the heading
(`extractors.pdf.rows` reads those cues); the blank lines round the block and its closing total do. Kauhava
financial statement 2024 p. 146, note '23) Saamisten erittely': 'Saamiset tytäryhteisöiltä' / 'Myyntisaamiset'
/ 'Lainasaamiset*' / 'Muut saamiset' / 'Yhteensä', then a blank line and 'Saamiset kuntayhtymiltä, joissa
kunta on jäsenenä' / 'Myyntisaamiset' / 'Yhteensä'.
"""

from __future__ import annotations

from statistics import median
from typing import TYPE_CHECKING

from extractors.derived import is_total_label

if TYPE_CHECKING:
    from extractors.pdf.draft_row import DraftRow

BLANK = 0.8  # white space beyond the rows' usual spacing, in font sizes, that sets a block apart


def _blocks(rows: list[DraftRow]) -> list[list[DraftRow]]:
    """The rows cut where white space of more than `BLANK` font sizes beyond their usual gap parts them."""
    gaps = [b.lines[0].top - a.lines[-1].bottom for a, b in zip(rows, rows[1:], strict=False)]
    usual = median(gaps) if gaps else 0.0
    blocks: list[list[DraftRow]] = [rows[:1]] if rows else []
    for row, gap in zip(rows[1:], gaps, strict=True):
        if gap > usual + BLANK * row.lines[0].size:
            blocks.append([row])
        else:
            blocks[-1].append(row)
    return blocks


def _closes(total: str, head: str) -> bool:
    """The total closes the heading's group: a bare total word ('Yhteensä') or the heading's own name with
    one ('Muut velat yhteensä' under 'Muut velat', Kauhava p. 149 note 32). A total naming something else
    sums the rows above it as items: 'Joukkovelkakirjalainat' printed empty over 'Lainat rahoitus- ja
    vakuutuslaitoksilta' and 'Pitkäaikaiset velat yhteensä' is an item, no group (Kauhava p. 148 note 27)."""
    words = total.split()
    name = words[1:] if is_total_label(words[0]) else words[:-1]
    return not name or " ".join(name).casefold() == head.casefold()


def total_closed_groups(rows: list[DraftRow], labels: int) -> None:
    """Set the path of the rows of each block (`_blocks`) of three or more rows that no other cue grouped
    (no row of it has a path yet) whose first row prints a label and no figures, whose last row is its only
    total ('Yhteensä', `extractors.derived.is_total_label`) and closes the first row's group (`_closes`),
    and whose rows stand no less indented than its first: they stand under the first row's label. A block
    without a closing total (a list of items, the first printed empty) is left alone, and so is one whose
    heading is itself a total."""
    for block in _blocks(rows):
        head = block[0]
        text = head.label_text(labels)
        if len(block) < 3 or head.has_values(labels) or not text or is_total_label(text) or \
                any(r.path for r in block):
            continue
        labels_below = [r.label_text(labels) for r in block[1:]]
        if not is_total_label(labels_below[-1]) or not _closes(labels_below[-1], text) or \
                any(is_total_label(t) for t in labels_below[:-1]):
            continue
        if any(r.indent(labels) < head.indent(labels) - 1 for r in block[1:]):
            continue
        for row in block[1:]:
            row.path = [text]
