"""Value-table rows whose label or heading the column grid placed among the figures.

Two layouts, both in Seinäjoki's financial statement 2024 p. 180 ('KORKOHERKKYYS'): each bank's name is
printed on its own line directly above its row of figures, left-aligned in the column of the first figure
('Osuuspankki' over '235 513 733 | -32 076 487,33 | ...'), and the scenario of each column is printed
under the column headings as a row of percentages ('-1 % | 0 % | 1 %' over interest-rate effects in
euros). The name is the label of the row of figures below it; the percentages head their columns.
"""

from __future__ import annotations

from extractors.numbers import NotANumber, is_number, read_number
from models import BBox, Cell, Provenance, Table, TableRow

LABEL_GAP = 1.0
"""A label line stands at most this many of its own heights above the row of figures it names."""


def _filled(row: TableRow) -> list[Cell]:
    return [c for c in row.cells if c.text.strip()]


def _is_percent(text: str) -> bool:
    try:
        return read_number(text).is_percent
    except NotANumber:
        return False


def _label_line(row: TableRow, below: TableRow, labels: int) -> Cell | None:
    """The one text cell of a row that prints nothing else, standing in a value column, when the row below
    it prints figures and no label and starts within LABEL_GAP of the text's height under it."""
    cells = _filled(row)
    if len(cells) != 1 or cells[0].col < labels or is_number(cells[0].text):
        return None
    under = _filled(below)
    if not under or any(c.col < labels for c in under) or not all(is_number(c.text) for c in under):
        return None
    box, next_box = row.prov.bbox, below.prov.bbox
    if box is None or next_box is None or row.prov.page != below.prov.page:
        return None
    height = box.bottom - box.top
    return cells[0] if 0 <= next_box.top - box.bottom <= LABEL_GAP * height else None


def join_label_lines(table: Table) -> None:
    """Move a name printed on its own line over a row of figures without a label into that row's last label
    column, and drop the line (rule and example: module docstring). Tables without label columns are left
    as they are."""
    labels = table.label_columns
    if labels < 1:
        return
    rows: list[TableRow] = []
    index = 0
    while index < len(table.rows):
        row = table.rows[index]
        below = table.rows[index + 1] if index + 1 < len(table.rows) else None
        name = _label_line(row, below, labels) if below is not None else None
        if name is None:
            rows.append(row)
            index += 1
            continue
        cells = [c for c in below.cells if c.col != labels - 1]
        cells.append(name.model_copy(update={"col": labels - 1}))
        box = BBox.around([b for b in (row.prov.bbox, below.prov.bbox) if b is not None]).rounded()
        rows.append(below.model_copy(update={
            "cells": sorted(cells, key=lambda c: c.col),
            "prov": Provenance(page=below.prov.page, bbox=box, line=below.prov.line)}))
        index += 2
    table.rows = rows


def heading_percent_row(table: Table) -> None:
    """Fold the first body row into the column headings when it prints no label and two or more
    percentages only, over columns whose other cells print no percentage ('-1 % | 0 % | 1 %' over euros):
    each percentage goes to the end of its column's heading path."""
    if not table.header or not table.rows:
        return
    cells = _filled(table.rows[0])
    if len(cells) < 2 or any(c.col < table.label_columns or not _is_percent(c.text) for c in cells):
        return
    cols = {c.col for c in cells}
    if any(c.col in cols and _is_percent(c.text) for r in table.rows[1:] for c in r.cells):
        return
    by_col = {c.col: c for c in table.header}
    if not all(col in by_col for col in cols):
        return
    for cell in cells:
        head = by_col[cell.col]
        text = " ".join(cell.text.split())
        head.path = [*(head.path or ([head.text] if head.text.strip() else [])), text]
        head.text = f"{head.text} {text}".strip()
    table.rows = table.rows[1:]
