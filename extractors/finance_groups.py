"""Finance row groups as printed: the full heading of a group whose letter stands in a label column of its
own, the numbered sub-groups under it, and a heading wrapped over two rows.

A statement in the JHS 192 layout prints its groups with a letter or a roman numeral in the first label
column and the name in the next ('A | OMA PÄÄOMA', 'I | Pitkäaikainen', then '1. Lainat rahoitus- ja
vakuutusl.' with the first column blank: Seinäjoki p. 62 and p. 152). The grid (extractors.pdf.rows)
carries the first column's bold letters down as the rows' group, which names the group by its letter
alone ('A', 'E') and knows no sub-group ('I Pitkäaikainen' and 'II Lyhytaikainen' both hold a 'Lainat
rahoitus- ja vakuutusl.'). Here, before the rows are read as lines, the group is named by its whole
heading row and the numbered sub-groups get their members, so that the line path tells long-term from
short-term lines and the lexicon's 'group / name' patterns see the group they stand under.
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.finance_columns import figure_at
from extractors.labels import completes_label, join_label
from models import Table, TableRow

Label = Callable[[TableRow], str]


def has_figures(row: TableRow, table: Table) -> bool:
    return any(figure_at(row, c.col) for c in row.cells if c.col >= table.label_columns)


def _outer(row: TableRow) -> str:
    return " ".join(row.text(0).split())


def _printed(row: TableRow, table: Table) -> str:
    """Every label cell of the row as printed, the first column's letter included ('A OMA PÄÄOMA')."""
    skip = {*table.attribute_columns, *table.row_type_columns}
    return " ".join(" ".join(c.text.split()) for c in row.cells
                    if c.col < table.label_columns and c.col not in skip and c.text.strip())


def _rename(rows: list[TableRow], start: int, depth: int, old: str, new: str) -> None:
    """The rows from `start` on whose path has `old` at `depth` (a contiguous run) get `new` there."""
    for row in rows[start:]:
        if len(row.path) <= depth or row.path[depth] != old:
            break
        row.path = [*row.path[:depth], new, *row.path[depth + 1:]]


def wrapped_heads(rows: list[TableRow], table: Table, language: str | None, label: Label) -> dict[int, str]:
    """Group headings printed over two rows, joined: a row with no figures whose label the next row's label
    completes into a known finance line the first is not (`extractors.labels.completes_label`; a joiner word
    at the break is no evidence here: 'OMA PÄÄOMA' / 'I Peruspääoma' are two rows, the roman numeral no
    Swedish 'i'), when that row stands in the heading's group or beside it. 'B POISTOERO JA
    VAPAAEHTOISET' / 'VARAUKSET' (Seinäjoki p. 62, p. 152: the letter's column holds the first line, the
    name's column the second) is one heading; its members' paths name it whole.

    Returns row index -> the joined label for the row that carries it: the first row when the second
    prints no figures (it heads the group; the second row, now a line of the heading, moves beside it),
    the second row when it prints the figures. Either way the second row stands beside the first, and the
    rows of the group below them name it whole. Paths are changed in place."""
    joined: dict[int, str] = {}
    for index in range(len(rows) - 1):
        head, second = rows[index], rows[index + 1]
        first_label, second_label = label(head), label(second)
        if index in joined or has_figures(head, table) or not first_label or not second_label or \
                second.path not in (head.path, [*head.path, first_label]) or \
                not completes_label(first_label, second_label, language):
            continue
        whole = join_label(first_label, second_label, language)
        joined[index + 1 if has_figures(second, table) else index] = whole
        second.path = list(head.path)
        _rename(rows, index + 2, len(head.path), first_label, whole)
    return joined


def lettered_groups(rows: list[TableRow], table: Table, label: Label) -> None:
    """Name each group carried down the first label column by its whole heading row, and give numbered
    sub-groups their members (in place, on the rows' paths).

    A heading row: it prints no figures, its first column holds the group's name in the rows' paths (the
    letter 'A') and another label column the rest ('OMA PÄÄOMA'); its group becomes 'A OMA PÄÄOMA' and the
    heading row itself stands outside it (its label is the whole heading). A sub-group: a row of the group
    with no figures and text in the first column ('I Pitkäaikainen') over rows of the group whose first
    column is blank ('1. Lainat rahoitus- ja vakuutusl.'), at least one printing figures; those rows stand
    under it. A row with text in the first column ('II Lyhytaikainen', 'IV Tilikauden alijäämä') ends it."""
    if table.label_columns < 2:
        return
    for index, head in enumerate(rows):
        if len(head.path) != 1 or has_figures(head, table) or _outer(head) != head.path[0]:
            continue
        whole = _printed(head, table)
        if whole == head.path[0]:
            continue
        _rename(rows, index, 0, head.path[0], whole)
        head.path = []
    for index, sub in enumerate(rows):
        if not sub.path or has_figures(sub, table) or not _outer(sub) or _outer(sub) in sub.path:
            continue
        members = []
        for row in rows[index + 1:]:
            if row.path != sub.path or _outer(row):
                break
            members.append(row)
        name = label(sub)
        if name and any(has_figures(row, table) for row in members):
            for row in members:
                row.path = [*sub.path, name]
