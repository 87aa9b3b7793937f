"""Finance rows: the rows of one finance table -> its FinanceFigures (extractors.finance decides which
tables are finance and what their columns hold; this module reads their rows)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from extractors.finance_columns import (
    Columns,
    change_row_columns,
    figure_at,
    group_heading,
    heading_line,
    qualifier_kinds,
    row_years,
    unnamed_group,
    year_row_columns,
)
from extractors.finance_groups import lettered_groups, wrapped_heads
from extractors.finance_headings import is_words, read_figure
from extractors.labels import best_label, join_broken_words, table_words
from extractors.lexicon import (
    LANGUAGES,
    MARGIN_LINES,
    LineMatch,
    classify_line,
    finance_chart,
    line_beside_margin,
    load,
)
from extractors.numbers import (
    NotANumber,
    is_empty_figure,
    is_footnote,
    is_number,
    parse_number,
    prints_minus_signs,
    unbracketed,
)
from extractors.scales import Scale, cell_scale, row_scale
from extractors.structure import Structure, TableContext
from extractors.tablegrid import header_title, own_label_cells, row_type
from extractors.units import unit_level
from models import Cell, FinanceFigure, PlanDocument, Table, TableRow

STAGE = "finance"
# Column kinds a qualifier row ('Budget', 'Budgetavvikelse', 'Alkuperäinen') refines for its figures.
GENERIC_KINDS = ("actual", "budget", "other")


@lru_cache(maxsize=1 << 14)
def memo_row(label: str) -> bool:
    """A row saying what the row above contains ('Sisältää myyntivoittoa': the columns lexicon's
    `memo_row`): its figures are memo figures, never summed. Cached (a function of the label and the
    lexicons read once per process): each figure of a row asks it of the row's label."""
    return any(load("columns", lang).entry("memo_row").matches(" ".join(label.split())) for lang in LANGUAGES)


def row_line_label(row: TableRow, table: Table, language: str | None) -> str:
    """The row's own label: its label cells joined, less the table's attribute and row-type columns
    (`extractors.row_attributes`); a cell wrapped over lines is re-joined with the finance lexicon's
    evidence ('Verksamhet' / 'ens' / 'kostnader')."""
    skip = [*table.attribute_columns, *table.row_type_columns]

    def words() -> set[str]:
        return table_words(line for r in table.rows for c in r.cells for line in (c.lines or [c.text]))

    return " ".join(best_label(join_broken_words(cell.lines, words), language) if len(cell.lines) > 1
                    else " ".join(cell.text.split()) for cell in own_label_cells(row, table.label_columns, skip))


def value_cells(row: TableRow, label_columns: int) -> list[Cell]:
    return [c for c in row.cells if c.col >= label_columns]


def read_line(row: TableRow, table: Table, language: str | None) -> tuple[str, LineMatch]:
    """The row's label and its reading: the label under the row's path of group rows
    (['Toimintatulot', 'Alkuperäinen'])."""
    label = row_line_label(row, table, language)
    return label, classify_line([*row.path, label] if label else list(row.path), language)


def _indent(row: TableRow, table: Table) -> float | None:
    """Where the row's label starts (the left edge of its first label cell), None when unknown."""
    edges = [c.prov.bbox.x0 for c in row.cells if c.col < table.label_columns and c.text.strip() and c.prov.bbox]
    return min(edges) if edges else None


def _within(key: str | None, top: str | None) -> bool:
    """The chart puts line `key` under line `top` (or it is that line)."""
    chart, seen = finance_chart(), set()
    while key is not None and key not in seen:
        if key == top:
            return True
        seen.add(key)
        key = chart.parent(key)
    return False


def group_row_lines(rows: list[TableRow], readings: list[tuple[str, LineMatch]],
                    language: str | None) -> list[tuple[str, LineMatch]]:
    """The readings (label, line) of `rows`, an item known only under its group ('Ostovelat' under 'I
    Pitkäaikainen' or 'II Lyhytaikainen': finance_lines.yml 'group / item' patterns) read under the group
    row printed above it when the grid put both in one path (a balance sheet printing its outline as an
    indent the grid does not nest: Kauhava TP 2024 pp. 35, 130-131, Seinäjoki p. 151 'Pitkäaikaiset saamiset'
    over '3. Muut saamiset'). The group row is the nearest row above of the same path naming a line that has
    parts in the chart (with or without figures: a heading over its items, or a total closing the group
    before the next one); a row naming a line outside that group's lines ends it. The item takes the line
    only when the chart puts it under the group's line."""
    chart = finance_chart()
    groups: dict[tuple[str, ...], tuple[str, str]] = {}  # path -> (label, line key) of its open group row
    out = list(readings)
    for index, (row, (label, line)) in enumerate(zip(rows, readings, strict=True)):
        path = tuple(row.path)
        if line.key is not None and line.row_kind is None:
            if chart.children(line.key):
                groups[path] = (label, line.key)
            elif path in groups and not _within(line.key, groups[path][1]):
                del groups[path]
            continue
        if line.key is None and line.row_kind is None and label and path in groups:
            group_label, group_key = groups[path]
            grouped = classify_line([*row.path, group_label, label], language)
            if grouped.key is not None and grouped.row_kind is None and _within(grouped.key, group_key):
                out[index] = (label, grouped)
    return out


def section_headings(rows: list[TableRow], table: Table, language: str | None) -> None:
    """A row read as a member of a group that is itself a heading, printed at the group heading's indent with no
    figure and the rows below it indented under it, and that names a line of the chart not under the group's
    line, heads a section of its own (in place: its path and its rows' paths): 'Investointien rahavirta',
    printed as 'Antolainauksen muutokset' is but not in bold, under a bold 'Toiminnan rahavirta' (Seinäjoki
    p. 72) is the cash-flow statement's next section; 'Antolainauksen muutokset' stays in 'Rahoituksen
    rahavirta' (the chart, extractors/lexicons/finance_chart.yml, puts lending_changes under it). The grid
    (extractors.pdf.rows) groups rows by typography alone; the chart decides here."""
    for index, row in enumerate(rows[:-1]):
        group, below = row.path, rows[index + 1]
        if not group or below.path != group or \
                any(figure_at(row, c.col) for c in value_cells(row, table.label_columns)):
            continue
        head = next((r for r in reversed(rows[:index]) if r.path == group[:-1]
                     and row_line_label(r, table, language) == group[-1]), None)
        indents = [_indent(r, table) for r in (head, row, below)] if head is not None else [None]
        if None in indents or not (indents[1] <= indents[0] + 2 < indents[2]):  # type: ignore[operator]
            continue
        label = row_line_label(row, table, language)
        key, top = classify_line(label, language).line_key, classify_line(group[-1], language).line_key
        if key is None or top is None or _within(key, top):
            continue
        row.path = group[:-1]
        for member in rows[index + 1:]:
            if member.path != group:
                break
            member.path = [*group[:-1], label]


def grand_totals(rows: list[TableRow], readings: list[tuple[str, LineMatch]], label_columns: int) -> list[int]:
    """The last row of figures when it is a bare total row ('Yhteensä') standing under the last of two or
    more groups but adding up every group: in each column where it prints a figure, it is not the sum of
    its group's item rows and is nearer the sum of all the item rows above it (a cell that is no number
    may be missing from that sum: Lapua tekninen lautakunta 1/2025 p. 21, 'Yhteensä 691 500' under
    'Rakennus- ja kiinteistöpalvelut' (135 500) adds the investments of every group, 695 000 without the
    '-3 500' printed inside a note).
    Returns its index, or nothing."""
    def figures(row: TableRow) -> dict[int, Decimal]:
        return {c.col: parsed.value for c in value_cells(row, label_columns)
                if (parsed := parse_number(c.text)) is not None}

    filled = [i for i, row in enumerate(rows) if figures(row)]
    if not filled:
        return []
    last = filled[-1]
    row, (_, line) = rows[last], readings[last]
    items = [i for i in filled[:-1] if readings[i][1].row_kind != "total"]
    if line.row_kind != "total" or not row.path or \
            len({tuple(rows[i].path) for i in items if rows[i].path}) < 2:
        return []
    total = figures(row)
    for col, value in total.items():
        every = sum((figures(rows[i]).get(col, Decimal(0)) for i in items), Decimal(0))
        group = sum((figures(rows[i]).get(col, Decimal(0)) for i in items if rows[i].path == row.path), Decimal(0))
        if abs(group - value) < 1 or abs(every - value) >= abs(group - value):
            return []
    return [last]


def year_rows_subject(ctx: TableContext, language: str | None) -> tuple[str, LineMatch]:
    """(label, reading) of the line a table whose rows are years prints: its caption (its title, else the
    title its heading rows print over it whole: 'Verotulojen tasaus valtionosuuksissa 2020-2024 Seinäjoen
    kaupunki', else the text right above it: 'Lainamääränkehitys vuosina 2015-2024'), else its first heading
    cell; '' (no line) when it prints none."""
    first = ctx.table.header[0].text if ctx.table.header and ctx.table.header[0].col == 0 else ""
    label = next((" ".join(t.split()) for t in (ctx.title, header_title(ctx.table), ctx.above[0] if ctx.above else None,
                                                 first)
                  if t and t.strip()), "")
    return label, classify_line(label, language) if label else LineMatch(None)


def year_row(row: TableRow, index: int, reading: tuple[str, LineMatch], columns: Columns, years: dict[int, int],
             subject: tuple[str, LineMatch], language: str | None) -> tuple[Columns, str, LineMatch, str | None]:
    """(columns, label, line, qualified) of a row of a table whose rows are years (`row_years`): a year row
    is a figure of the table's line (`subject`) in that year; a row naming a change under them ('Muutos')
    qualifies the line (`change_row_columns`); any other row is read as it is."""
    if index in years:
        return year_row_columns(columns, years[index]), subject[0] or reading[0], subject[1], None
    changed = change_row_columns(row, reading[0], columns, years, index, language)
    if changed is not None:
        return changed, reading[0], subject[1], subject[0]
    return columns, reading[0], reading[1], None


def read_rows(doc: PlanDocument, ctx: TableContext, structure: Structure, unit_name: str | None,
              rows: list[TableRow], columns: Columns, scale: Scale, assumed: dict[str, str],
              beside: set[int], skipped: frozenset[int] = frozenset()) -> list[FinanceFigure]:
    """The figures of the table's `rows` (its money rows, notes under it left out) under `columns`: each
    row's line read under its group rows, a qualifier row ('Budget', 'Kv 27.5. §45 Muutos') read as a
    kind of the line above it, a line in the heading with one row per unit, footnotes skipped, and
    group totals printed beside item figures (`beside`). `columns` is updated when a qualifier row
    ('TP-ennuste') gives the figures below it a kind. Rows whose index is in `skipped` give no figures (a
    key-figure row naming no unit: `extractors.finance_key_figures`)."""
    table = ctx.table
    figures: list[FinanceFigure] = []
    own_label = lambda r: row_line_label(r, table, doc.language)  # noqa: E731
    joined = {id(rows[i]): text for i, text in wrapped_heads(rows, table, doc.language, own_label).items()}
    lettered_groups(rows, table, own_label)

    def reader(r: TableRow) -> tuple[str, LineMatch]:
        if id(r) in joined:  # a label printed over two rows, joined (extractors.finance_groups)
            return joined[id(r)], classify_line([*r.path, joined[id(r)]], doc.language)
        return read_line(r, table, doc.language)

    section_headings(rows, table, doc.language)
    for index in grand_totals(rows, [reader(row) for row in rows], table.label_columns):
        rows[index].path = []  # the table's grand total, not its last group's
    readings = group_row_lines(rows, [reader(row) for row in rows], doc.language)
    read_at = {id(row): reading for row, reading in zip(rows, readings, strict=True)}

    def grouped_reader(r: TableRow) -> tuple[str, LineMatch]:
        return read_at.get(id(r)) or reader(r)
    closes_with_margin = any(line.key in MARGIN_LINES for _, line in readings)
    above: tuple[str, LineMatch] | None = None  # the last row that named a line
    by_heading = heading_line(table, doc.language)
    years = row_years(table, rows)
    subject = year_rows_subject(ctx, doc.language) if years else None
    unlabelled: list[TableRow] = []
    for row_index, (row, (label, line)) in enumerate(zip(rows, readings, strict=True)):
        for col, kind in qualifier_kinds(row, label, table.label_columns, doc.language).items():
            if col in columns:  # 'TP-ennuste' over a column's figures: those below are forecasts
                columns[col] = (columns[col][0], columns[col][1], kind, columns[col][3])
        if not label or row_index in skipped:
            if not label and row_index not in skipped:
                unlabelled.append(row)
            continue
        row_columns, qualified = columns, None
        if subject is not None:
            row_columns, label, line, qualified = year_row(row, row_index, (label, line), columns, years, subject,
                                                           doc.language)
        row_unit = unit_name
        if by_heading is not None:  # the line is the heading's, the row names the unit
            known = structure.unit(label)
            row_unit = known.name if known else label if unit_level(label, doc.language) else unit_name
            label, line = by_heading
        if line.key is None and line.row_kind is None and closes_with_margin:
            line = line_beside_margin(label, doc.language)  # 'Menot | Tulot | Toimintakate'
        if line.row_kind not in (None, "total") and line.key is None and not row.path and above:
            # 'Nettokostnader' then 'Budget', 'Budgetavvikelse' (Simrishamn p. 13): rows qualifying
            # the line printed above them, not under it as a group
            qualified = above[0]
            line = LineMatch(above[1].key, above[1].parent, line.row_kind)
        elif line.key is not None and line.row_kind is None:
            above = (label, line)
        if is_footnote(label):
            # a footnote under the table ('1) Sisältää valtionavustuksen 120 000 euroa'): its
            # amounts explain a figure, they are not figures of the table
            doc.add_issue("footnote_row", STAGE, f"table {table.table_id}: footnote '{label[:80]}' is not a row",
                          severity="info", page=row.prov.page)
            continue
        # a row printing figures side by side in a pair is an item row closing its group: the right
        # figures of every pair on it (a year whose item is blank too) are the group's totals
        totals = beside if any(figure_at(row, col) and figure_at(row, col - 1) for col in beside) else set()
        group = (group_heading(table, rows, row_index, beside, grouped_reader) or
                 unnamed_group(rows, row_index, beside, grouped_reader)) if totals else None
        figures += row_figures(doc, ctx, row_unit, row_index, (label, line), row_columns, scale, assumed, totals,
                                qualified, group)
    if figures:  # a table giving no figure at all is said so as a whole (`table_not_read`)
        for row in unlabelled:
            _unlabelled_figures(doc, table, row)
    return figures


def _unlabelled_figures(doc: PlanDocument, table: Table, row: TableRow) -> None:
    """A row printing figures under no label and no group row names no line: its figures are not read as
    finance figures (a guess at their line would be a silent error). Said in an `unlabelled_figures`
    warning, the figures kept in the tables dataset (Kauhava TP 2024 p. 49: '1 596 | -5' printed again
    under 'Rahavarat 31.12.' and 'Rahavarat 1.1.', the change of cash, without a label)."""
    printed = [c.text for c in value_cells(row, table.label_columns) if is_number(c.text)]
    if printed:
        page = row.prov.page
        doc.add_issue("unlabelled_figures", STAGE,
                      f"table {table.table_id} (page {page}): a row prints {len(printed)} figure(s) "
                      f"({', '.join(printed[:4])}) under no label: not read as finance figures, kept in tables only",
                      severity="warning", page=page)


def row_figures(doc: PlanDocument, ctx: TableContext, unit_name: str | None, row_index: int,
                 reading: tuple[str, LineMatch], columns: Columns, scale: Scale,
                 assumed: dict[str, str], group_totals: set[int] | None = None,
                 qualified: str | None = None,
                 group: tuple[str, LineMatch, str] | None = None) -> list[FinanceFigure]:
    """The figures of one table row; cells that are not numbers become error issues (never a figure).
    `qualified`: the label of the line row above that this row qualifies ('Nettokostnader' over 'Budget'),
    put in the figures' line_path as a group row would be. The figures in `group_totals` columns are the
    totals of `group` (its label, line and path), or of no line when the group is not known."""
    table, row = ctx.table, ctx.table.rows[row_index]
    label, line = reading
    line_key = line.line_key
    kind_printed = row_type(row, table.row_type_columns)
    line_path = " / ".join([*row.path, *([qualified] if qualified else []), label,
                            *([kind_printed] if kind_printed else [])])
    figures: list[FinanceFigure] = []
    for cell in value_cells(row, table.label_columns):
        if is_empty_figure(cell.text):
            continue  # blank, or a lone dash: no figure (never a zero)
        col_label, year, kind, col_scale = columns.get(cell.col, (f"column {cell.col}", None, "other", scale))
        page = cell.prov.page or row.prov.page
        try:
            parsed, printed_scale = read_figure(cell.text, doc.language)
        except NotANumber as error:
            if is_words(cell.text):
                # words printed in a figure column ('Ej aktuellt', 'årligen, löpande'): no figure was
                # printed, none is lost; the text stays in the tables dataset
                doc.add_issue("text_in_figure_column", STAGE,
                              f"table {table.table_id} (page {page}) row '{label}', column '{col_label}': "
                              f"'{cell.text}' is words, not a figure", severity="warning", page=page)
                continue
            doc.add_issue("not_a_number", STAGE,
                          f"table {table.table_id} (page {page}) row '{label}', column '{col_label}': "
                          f"cell '{cell.text}' is not a number ({error})", severity="error", page=page)
            continue
        bracketed = parsed.bracketed and prints_minus_signs(
            c.text for r in table.rows for c in r.cells if c.col == cell.col)
        if bracketed:  # '(66 000)' in a column printing '-24 574': an 'of which' amount, no negative
            parsed = unbracketed(parsed)
        if parsed.assumption:
            assumed.setdefault(parsed.assumption, f"'{cell.text}' read as {parsed.value}")
        if line.row_kind not in (None, "total") and kind in GENERIC_KINDS:
            kind = line.row_kind  # a 'Budget' or 'Kv 27.5. §45 Muutos' row under a generic column
        figure_scale = cell_scale(parsed.is_percent, printed_scale or row_scale(label, col_scale, doc.language))
        own = cell.col not in (group_totals or set())
        bbox = cell.prov.bbox or row.prov.bbox
        named, reading_of, path = (label, line, line_path) if own or group is None else group
        key = reading_of.line_key if own or group is not None else None
        figures.append(FinanceFigure(
            document_id=doc.document_id, unit_name=unit_name, table_id=table.table_id,
            line_label=named, line_key=key, parent_line_key=reading_of.parent if key else None,
            is_memo=bracketed or row.italic or (bool(row.cells) and row.cells[0].italic) or memo_row(label),
            column_label=col_label, year=year, figure_kind=kind, amount=parsed.amount,
            page=page, line=cell.prov.line or row.prov.line,
            bbox=[round(v, 1) for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom)] if bbox else None,
            row_index=row_index, col_index=cell.col, unit=figure_scale.unit, multiplier=figure_scale.multiplier,
            value=figure_scale.value(parsed.value), printed=cell.text, note_marker=parsed.note_marker,
            line_path=path,
        ))
    if line_key is None and line.key is None and any(c.text.strip() for c in value_cells(row, table.label_columns)):
        doc.add_issue("unknown_finance_line", STAGE,
                      f"table {table.table_id} row {row_index + 1}: line '{label}' is not in the finance lexicon",
                      severity="info", page=row.prov.page)
    return figures
