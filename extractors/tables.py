"""Tables stage: every IR table -> `tables` (one row per body cell) and `table_quality` (one per table).

Nothing found is lost: a table no reader claimed stays here with `table_kind` 'other'. Cells keep the
text as printed; the number parsed from it comes with its unit and multiplier: the finance figure's, else
a '%' printed in the cell, else the scale its column heading names ('Kaupungin omistusosuus %',
'Kaupunkikonsernin osuus 1 000 €': the scales lexicon, `extractors.scales.read_scale`).
"""

from __future__ import annotations

from extractors.numbers import NotANumber, prints_minus_signs, read_number, unbracketed
from extractors.row_attributes import place_columns
from extractors.scales import read_scale
from extractors.tablegrid import row_label
from models import BBox, Cell, FinanceFigure, PlanDocument, Table, TableCell, TableQualityRecord, TableRow
from models.base import share_fields_sets


def read_cell(text: str, minus_signed: bool = False) -> tuple[float | None, str | None, float | None]:
    """(value, unit, multiplier) of a cell printed as a number, by the number grammar
    (`extractors.numbers.read_number`); (None, None, None) for other text. The unit is 'percent' for a
    figure printed with '%'; otherwise unit and multiplier come from the finance reader (see `table_cells`).
    `minus_signed`: the cell's column prints its negatives with a minus sign, so a figure in parentheses is a
    bracketed amount, not a negative (`extractors.numbers.unbracketed`)."""
    try:
        parsed = read_number(text)
    except NotANumber:
        return None, None, None
    if minus_signed:
        parsed = unbracketed(parsed)
    return parsed.amount, ("percent" if parsed.is_percent else None), None


HEADING_MAX_CHARS = 120
"""A column heading naming a scale is short; longer text over a column is running text the grid took in."""
PERCENT_MAX = 1000
"""A column printing a number larger than this is no column of percentages, whatever the heading over it."""


def heading_scale(path: list[str], language: str | None) -> tuple[str, float] | None:
    """(unit, multiplier) the headings over a column name, the column's own heading first, then the group
    headings over it, inner to outer ('Kaupungin omistus- osuus %' -> percent; 'omasta pääomasta' under
    'Kaupunkikonsernin osuus 1 000 €' -> EUR × 1000: Seinäjoki statement 2024 pp. 167-168); None when
    none names a scale. Headings longer than HEADING_MAX_CHARS are running text and name none."""
    for text in reversed(path):
        scale = read_scale(text, language, "column") if len(text) <= HEADING_MAX_CHARS else None
        if scale is not None:
            return scale.unit, scale.multiplier
    return None


def _column_scales(doc: PlanDocument, table: Table, paths: dict[int, list[str]],
                   body: list[Cell]) -> dict[int, tuple[str, float]]:
    """col -> the scale its headings name, for a table no reader claimed (a reader's figures carry their
    own); a heading naming per cent over a column printing a number past PERCENT_MAX in size stands over
    another column (the grid misplaced it) and names nothing."""
    if table.kind != "other":
        return {}
    out: dict[int, tuple[str, float]] = {}
    for col, path in paths.items():
        named = heading_scale(path, doc.language)
        numbers = [read_cell(c.text)[0] for c in body if c.col == col]
        if named is not None and not (named[0] == "percent" and
                                      any(abs(n) > PERCENT_MAX for n in numbers if n is not None)):
            out[col] = named
    return out


def _bbox(box: BBox | None) -> list[float] | None:
    return [round(v, 1) for v in (box.x0, box.top, box.x1, box.bottom)] if box else None


def header_path(table: Table, col: int) -> list[str]:
    cell = next((c for c in table.header if c.col == col), None)
    if cell is None:
        return []
    if cell.path:
        return list(cell.path)
    return [" ".join(cell.text.split())] if cell.text.strip() else []


def heading_rows(table: Table) -> int:
    """Heading rows a table keeps among its rows, as printed (ruled frames): none when it has header cells."""
    return 0 if table.header else min(table.quality.header_rows, len(table.rows))


def _paths_from_rows(rows: list[TableRow]) -> dict[int, list[str]]:
    """col -> the texts of the heading rows' cells over it (a merged cell stands over every column it spans)."""
    paths: dict[int, list[str]] = {}
    for row in rows:
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text:
                for col in range(cell.col, cell.col + cell.span_cols):
                    paths.setdefault(col, []).append(text)
    return paths


def table_cells(doc: PlanDocument, table: Table,
                figures: dict[tuple[int, int], FinanceFigure] | None = None) -> list[TableCell]:
    """The table's filled body cells; `figures` ((row, column) -> the finance figure read from the cell)
    gives a figure's unit and multiplier (the table's printed scale, its column heading, the currency).
    The cells of the notes under a table (`Table.note_rows`, Lapua kh p. 3 'Säästötavoite -1 759 900'
    under SIVISTYSLAUTAKUNTA | TP 2023 | ...) have an empty heading path: they print no figure of a column."""
    figures = figures or {}
    out: list[TableCell] = []
    skip = heading_rows(table)
    paths = {c.col: header_path(table, c.col) for c in table.header} if table.header else \
        _paths_from_rows(table.rows[:skip])
    body = [c for r in table.rows[skip:] for c in r.cells if c.col >= table.label_columns]
    minus_signed = {col for col in {c.col for c in body} if prints_minus_signs(c.text for c in body if c.col == col)}
    scales = _column_scales(doc, table, paths, body)
    first_note = len(table.rows) - skip - table.note_rows
    places = place_columns(table, doc.language)  # a domicile column is no part of the row's label
    for index, row in enumerate(table.rows[skip:]):
        label = row_label(row, table.label_columns, places)
        path = [*row.path, label] if label else list(row.path)
        headings = {} if index >= first_note else paths  # a note under the table: under no heading
        for cell in row.cells:
            if not cell.text.strip():
                continue
            is_label = cell.col < table.label_columns
            value, unit, multiplier = (None, None, None) if is_label else read_cell(cell.text, cell.col in minus_signed)
            figure = figures.get((index, cell.col))
            if figure is not None:
                value, unit, multiplier = figure.amount, figure.unit, figure.multiplier
            elif value is not None and unit is None and (named := scales.get(cell.col)) is not None:
                unit, multiplier = named
            out.append(TableCell(
                document_id=doc.document_id, table_id=table.table_id, table_kind=table.kind,
                page=_page(cell, row.prov.page), row=index, column=cell.col, is_label=is_label,
                header_path=headings.get(cell.col, []), row_path=path, text=cell.text, number=value, unit=unit,
                multiplier=multiplier, line=cell.prov.line or row.prov.line, bbox=_bbox(cell.prov.bbox),
            ))
    return out


def _page(cell: Cell, fallback: int | None) -> int | None:
    return cell.prov.page if cell.prov.page is not None else fallback


def table_quality(doc: PlanDocument, table: Table, unit_name: str | None) -> TableQualityRecord:
    quality = table.quality
    return TableQualityRecord(
        document_id=doc.document_id, table_id=table.table_id, table_kind=table.kind, unit_name=unit_name,
        page=table.prov.page, pages=list(quality.pages), rows=quality.rows - heading_rows(table),
        columns=quality.columns,
        label_columns=table.label_columns, header_rows=quality.header_rows,
        empty_share=round(1 - quality.fill_ratio, 3), unparsed_cells=quality.unparsed_cells,
        continued=quality.continued, ruled=quality.ruled, sign_convention=table.sign_convention,
        arithmetic_ok=quality.arithmetic_ok, line=table.prov.line,
    )


def extract_tables(doc: PlanDocument, units: dict[str, str | None], finance: list[FinanceFigure] | None = None,
                   release: bool = False) -> tuple[list[TableCell], list[TableQualityRecord]]:
    """Cells and quality records of every table of the document; units maps table_id -> unit name;
    finance: the figures the finance reader read (their unit and multiplier go to their cells).

    With release, each table's body rows are emptied once its cells and quality are made (header cells and
    quality stay): the 1 081-page benchmark document's 42 000 cells with their provenance would otherwise
    exist twice, as the document's cells and as records."""
    by_table: dict[str, dict[tuple[int, int], FinanceFigure]] = {}
    for fig in finance or []:
        by_table.setdefault(fig.table_id, {})[(fig.row_index, fig.col_index)] = fig
    cells: list[TableCell] = []
    quality: list[TableQualityRecord] = []
    for table in doc.tables():
        made = table_cells(doc, table, by_table.get(table.table_id))
        share_fields_sets(made)  # a long document's cells: half their memory (models.base)
        cells += made
        quality.append(table_quality(doc, table, units.get(table.table_id)))
        if release:
            table.rows = []
    return cells, quality
