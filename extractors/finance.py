"""Finance stage: finance tables -> one FinanceFigure per printed figure (blank cells give none)."""

from __future__ import annotations


from extractors.completeness import record_misplaced_cells
from extractors.derived import is_total_label
from extractors.finance_columns import (
    Columns,
    amended_columns,
    balance_side_scale,
    bare_year_kinds,
    compared_blank_columns,
    comparison_columns,
    heading_line,
    row_years,
    subtotal_columns,
)
from extractors.finance_key_figures import KeyFigureRows, key_figure_rows, record_rows_without_unit
from extractors.finance_headings import (
    column_label,
    document_year,
    grouped_kind,
    is_financial_statement,
)
from extractors.finance_rows import read_line, read_rows, row_line_label, value_cells
from extractors.hierarchy import statement_parents, table_conventions
from extractors.lexicon import (
    LANGUAGES,
    classify_any,
    classify_line,
    column_kind,
    column_years,
    heading_years,
    load,
)
from extractors.numbers import is_number, read_number
from extractors.movements import movement_blocks
from extractors.patterns import EUROS_AND_CENTS, YEAR
from extractors.row_attributes import mark_label_columns
from extractors.scale_evidence import scale_from_other_tables
from extractors.scales import (Scale, column_scale, document_currency, fitting_scale, names_scenario, read_scale,
                               table_scale)
from extractors.structure import Structure, TableContext
from extractors.tablegrid import header_title, own_heading, year_label_column
from extractors.units import SEGMENT, SUBSIDIARY, entity_scope
from models import FinanceFigure, PlanDocument, Table, TableRow

STAGE = "finance"
# Headings that do not by themselves make a table a finance table: goal values, counts, percentages and
# totals ('Yhteensä' heads staff-number and asset tables too).
NOT_FINANCE_KINDS = ("other", "count", "percent_change", "realisation_percent", "share", "total", "cumulative")


def names_money(text: str | None) -> bool:
    """The text names a money unit (tkr, €, euroa, 1 000 €) or a table that only holds money (investments:
    'Investoinnit yhteensä netto', 'Investeringar (tkr)')."""
    return bool(text) and any(load("columns", lang).entry(name).matches(text)
                              for lang in LANGUAGES for name in ("money_unit", "money_table"))


def names_year(heading: str, language: str | None) -> bool:
    """The heading of a column of bare years names the rows' year and nothing else ('Vuosi', 'År': the
    columns lexicon's `year_heading`); 'Valmistumisvuosi' is an attribute of each row."""
    return any(load("columns", lang).entry("year_heading").matches(heading) for lang in LANGUAGES)


def caption(ctx: TableContext) -> str | None:
    """The text that introduces the table: its title, else the block right before it when that ends with a
    colon (board minutes: '... hyväksynyt vuoden 2025 talousarvion hyvinvointilautakunnan osalta
    seuraavasti:' over a table headed only '€'), names a money table ('3.3 Tase', numbered as a list), or
    stands right above a table whose headings print a money unit and nothing else ('... on laadittu
    talousarvion käyttösuunnitelma vuodelle 2022 ...' over '| €')."""
    if ctx.title:
        return ctx.title
    nearest = ctx.above[0].strip() if ctx.above else ""
    if nearest.endswith(":") or names_money(nearest):
        return nearest
    headings = [c.text for c in ctx.table.header if c.text.strip()]
    return nearest if nearest and headings and all(names_money(text) for text in headings) else None


def caption_column(text: str | None, language: str | None) -> tuple[str, int | None] | None:
    """(figure kind, year) a caption gives columns whose headings name neither ('talousarvio vuodelle
    2025' -> budget, 2025; a date's year counts last), or None when it names no money kind."""
    kind = column_kind(text, language) if text else None
    if text is None or kind in (None, *NOT_FINANCE_KINDS):
        return None
    years = heading_years(text)
    return kind, years[0] if years else None


def is_finance_table(table: Table, title: str | None = None, language: str | None = None) -> bool:
    """Finance figures: value columns under year or figure-kind headings (goal values, counts, percentages
    and totals alone do not count), and a money unit in the headings or the title, a last total row that
    names money, or most rows of figures on lines the lexicon knows (a key-figure table has none of them)."""
    if table.label_columns < 1:
        return False
    figure_rows = [r for r in table.rows if any(is_number(c.text) for c in value_cells(r, table.label_columns))]
    if not figure_rows or (header_hits(table, language) < 1 and caption_column(title, language) is None):
        return False
    if any(names_money(c.text) for c in table.header) or names_money(title) or \
            _money_total(figure_rows[-1], table, language):
        return True
    if heading_line(table, language) is not None:
        return True  # 'Toimintatuotot' over one row per board: every row is on that line
    known = sum(1 for r in figure_rows if read_line(r, table, language)[1].key)
    return known >= 1 and 3 * known >= len(figure_rows)


def _numbers(table: Table, col: int) -> list[float]:
    return [read_number(c.text).value for r in table.rows for c in r.cells if c.col == col and is_number(c.text)]


def money_by_year(table: Table) -> bool:
    """A table whose rows are years (`extractors.finance_columns.row_years`) under value columns of which one
    heading names a money unit ('| 1 000 € | €/as' over '2015 | 435 059 | 7 070': Seinäjoki's loans by
    year): a figure per year and column."""
    return bool(row_years(table, table.rows)) and \
        any(names_money(c.text) for c in table.header if c.col >= table.label_columns)


def is_statement_note(table: Table, language: str | None) -> bool:
    """A notes table of a financial statement that prints no money unit holds money when it is a movement
    table (an opening balance, the year's movements and a closing balance: `extractors.movements`) or its
    value columns are headed by years or entities ('Konserni | Kunta' over '2024 | 2023') and at least two
    thirds of its figures print euros and cents ('107 653,80': Kauhava pp. 141-152, Seinäjoki pp. 160-181);
    counts and ratios print no cents. Only asked of financial statements."""
    if table.label_columns < 1:
        return False
    figures = [" ".join(c.text.split()) for r in table.rows for c in value_cells(r, table.label_columns)
               if is_number(c.text)]
    if not figures:
        return False
    if movement_blocks([row_line_label(row, table, language) for row in table.rows], language):
        return True
    cents = sum(1 for text in figures if EUROS_AND_CENTS.match(text))
    return header_hits(table, language) >= 1 and 3 * cents >= 2 * len(figures)


def movement_columns(table: Table, columns: Columns, year: int | None, scale: Scale, language: str | None) -> None:
    """A statement's movement table heads its columns by what they hold ('Aineettomat oikeudet',
    'Rakennukset', 'Yhteensä') or by nothing the table finder kept, not by a year: they are the statement
    year's actual figures (a total column keeps its kind, its year is the statement's); a value column
    without a heading is labelled by its place ('column 3'). Any other table's columns stay as they are."""
    if not movement_blocks([row_line_label(row, table, language) for row in table.rows], language):
        return
    for col, (label, printed_year, kind, col_scale) in list(columns.items()):
        if printed_year is None:
            columns[col] = (label.strip() or f"column {col}", year, "actual" if kind == "other" else kind, col_scale)
    for col in sorted({c.col for row in table.rows for c in value_cells(row, table.label_columns)} - set(columns)):
        columns[col] = (f"column {col}", year, "actual", scale)


def statement_scale_year(ctx: TableContext, statement: bool, context_year: int | None = None) -> int | None:
    """In a financial statement, the year of a table whose value columns print only a money scale and a
    share ('1 000 € | %') under a first heading cell or caption that prints its year ('KOKONAISTULOT JA
    -MENOT VUODELTA 2024', Seinäjoki p. 67): its money columns are that year's actual figures. When neither
    prints a year and one column alone prints money ('TULOT | 1 000 € | %' under 'KOKONAISTULOT JA -MENOT',
    Kauhava p. 38), the statement's own year (`context_year`, from its title), unless a row label names a
    year: a statement prints other years under headings or rows that name them. None for any other table."""
    table = ctx.table
    heads = [c.text for c in table.header if c.col >= table.label_columns]
    if not statement or table.label_columns < 1 or not heads or not any(names_money(h) for h in heads) \
            or header_hits(table, None) > 0:
        return None
    first = table.header[0].text if table.header[0].col < table.label_columns else ""
    for text in (first, caption(ctx) or ""):
        years = heading_years(text)
        if len(set(years)) == 1:
            return years[0]
        if years:
            return None
    if any(YEAR.search(row_line_label(row, table, None)) for row in table.rows):
        return None  # rows naming years ('Verovuosi 2020', Kauhava p. 117) are figures of those years, not its
    return context_year if sum(1 for h in heads if names_money(h)) == 1 else None


def _money_total(row: TableRow, table: Table, language: str | None) -> bool:
    """The row (a table's last row of figures) is a total that names money ('Menot yhteensä', 'Summa
    utgifter': the columns lexicon's `money_total_row`)."""
    label = row_line_label(row, table, language)
    return any(load("columns", lang).entry("money_total_row").matches(label) for lang in LANGUAGES)


def header_hits(table: Table, language: str | None) -> int:
    """Value-column headings that print a year or name a money kind."""
    return sum(1 for c in table.header if c.col >= table.label_columns and
               (YEAR.search(c.text) or column_kind(c.text, language) not in (None, *NOT_FINANCE_KINDS)))


def trailing_notes(table: Table, language: str | None) -> int:
    """How many rows at the table's end are notes under it ('Säästötavoite -212 300'): they fill at most
    half as many value cells as the table's fullest row, no finance line is known on them and they are no
    total row ('VASTATTAVAA YHTEENSÄ': a balance sheet's grand total fills only its total columns)."""
    filled = [sum(1 for c in value_cells(r, table.label_columns) if c.text.strip()) for r in table.rows]
    full = max(filled, default=0)
    count = 0
    for row, n in zip(reversed(table.rows), reversed(filled), strict=True):
        if full <= 1 or 2 * n > full or read_line(row, table, language)[1].key or \
                is_total_label(row_line_label(row, table, language)):
            break
        count += 1
    return count if count < len(table.rows) else 0


def _record_rows_left(doc: PlanDocument, table: Table, kept: int) -> None:
    """An info issue naming the rows under a table that print figures but are not figures of its columns
    (notes such as 'Säästötavoite -212 300', a balance sheet's key figures): they stay in `tables`, and
    the archivist sees that they were not read as finance."""
    left = [row for row in table.rows[kept:] if _has_figures(row, table)]
    if left:
        shown = "; ".join(" ".join(c.text for c in row.cells if c.text.strip()) for row in left[:4])
        doc.add_issue("rows_under_table", STAGE,
                      f"table {table.table_id} (page {left[0].prov.page or table.prov.page}): {len(left)} row(s) under "
                      f"the table print figures that belong to none of its columns, kept in tables only: {shown}"
                      + (" …" if len(left) > 4 else ""), severity="warning", page=left[0].prov.page or table.prov.page)


def _record_yearless(doc: PlanDocument, table: Table, figures: list[FinanceFigure]) -> None:
    """A warning naming the columns of a table whose figures came out without a year: neither the column's
    heading (nor a group heading over it), the table nor the document gave one. Such a figure is kept, but
    never silently (issue 10: a figure whose year cannot be read must not pass unnoticed)."""
    yearless = [f for f in figures if f.year is None]
    if not yearless:
        return
    named = sorted({" ".join(f.column_label.split()) or f"column {f.col_index}" for f in yearless})
    page = yearless[0].page or table.prov.page
    doc.add_issue("figure_without_year", STAGE,
                  f"table {table.table_id} (page {page}): {len(yearless)} figure(s) with no year read from their "
                  f"heading, the table or the document, under " + ", ".join(f"'{n}'" for n in named),
                  severity="warning", page=page)


BALANCE_TOTALS = ("total_assets", "total_equity_and_liabilities")


def balance_sheet_end(table: Table, language: str | None) -> int:
    """How many rows of the table are money: a balance sheet ends with its grand total (VASTATTAVAA
    YHTEENSÄ, Summa tillgångar, a row of figures); rows under a heading row after it that names no line
    are its key figures ('KONSERNITASEEN TUNNUSLUVUT': Omavaraisuusaste, %, Asukasmäärä), ratios and
    counts, read only when each names its unit (`key_figures_named`), else kept in `tables` only
    ('VASTATTAVAA' after the assets' total opens the other side). Any other table: all its rows."""
    for index, row in enumerate(table.rows[:-1]):
        if read_line(row, table, language)[1].line_key in BALANCE_TOTALS and _has_figures(row, table):
            after = table.rows[index + 1]
            if not _has_figures(after, table) and read_line(after, table, language)[1].key is None:
                return index + 1
    return len(table.rows)


def key_figures_named(rows: list[TableRow], table: Table, language: str | None) -> bool:
    """Whether every row left under a table that prints figures names its own unit in its label
    ('Omavaraisuusaste, %', 'Kertynyt yli-/alijäämä, €/asukas', 'Lainat ja vastuut milj. €', 'Asukasmäärä':
    the key figures printed under a statement, Kauhava p. 52, Seinäjoki pp. 53, 62, 74): then they are read
    as figures of the table's columns in the unit each label names (`extractors.scales.row_scale`). One row
    that names none ('Säästötavoite -1 759 900', Lapua) keeps them all in `tables` only: its unit would be
    a guess."""
    printing = [row for row in rows if _has_figures(row, table)]
    return bool(printing) and all(read_scale(row_line_label(row, table, language), language, "row") is not None
                                  for row in printing)


def rows_name_units(table: Table, language: str | None) -> bool:
    """A key-figure table headed by a year or a figure kind ('Seinäjoki | TP-2024') whose every row of
    figures names its own unit in its label, one of them money ('Verotulot, 1 000 €', 'Vuosikate
    poistoista, %', 'Asukasluku', 'Lainat €/ asukas': Seinäjoki p. 23): its figures are read, each row in
    the unit it names (`extractors.scales.row_scale`). One row naming none keeps the table in `tables`."""
    if table.label_columns < 1 or header_hits(table, language) < 1 or \
            not key_figures_named(table.rows, table, language):
        return False
    return any((scale := read_scale(row_line_label(row, table, language), language, "row")) is not None
               and scale.money for row in table.rows if _has_figures(row, table))


def _has_figures(row: TableRow, table: Table) -> bool:
    return any(is_number(c.text) for c in value_cells(row, table.label_columns))


def _no_money(doc: PlanDocument, ctx: TableContext, mixed: dict[str, tuple[str, KeyFigureRows]]) -> bool:
    """A table titled as key figures, pupil or staff counts ('Tunnusluvut', 'Nyckeltal', 'Taulukossa
    alakoulujen oppilasmäärä ...': the `table_titles` lexicon), in its title or its first heading cell
    ('Kapasiteettitiedot | TP2021 | ...': Kauhava p. 106; the title over 'LUKUVUOSI | 1. | ... | 1-6
    luokat': Lapua minutes 8.10.2025 p. 15), or whose every heading over the figures names a share ('%':
    Lapua minutes 15.1.2025 p. 7), holds counts and ratios, not money, unless its title or a heading cell
    names a money scale
    ('Tunnusluku (euroa)') or one of its row labels is a line of the finance lexicon. It is recorded as an
    info issue and read as no finance figures; a table with money figures that no reader read stays a
    `table_not_read` warning (`extractors.completeness`). Key figures one row of which names money
    ('Valtionosuusrahoitus', 'Nettomenot kunnille': Kauhava p. 94; euros per inhabitant or per unit are no
    money) are no such table: their rows that name a unit or money are read
    (`extractors.finance_key_figures`; kept in `mixed` by table id)."""
    table = ctx.table
    heads = [" ".join(c.text.split()) for c in table.header
             if c.col >= max(table.label_columns, 1) and c.text.strip()]
    first = table.header[0].text if table.header and table.header[0].col == 0 else ""
    texts = [" ".join(t.split()) for t in (ctx.title or "", first) if t and t.strip()]
    found = next(((t, k) for t in texts if (k := classify_any("table_titles", t, doc.language)) and k != "shares"),
                 None)
    if found is None and heads and all(classify_any("table_titles", h, doc.language) == "shares" for h in heads):
        found = (heads[0], "shares")
    if found is None:
        return False
    named, kind = found
    if any((scale := read_scale(t, doc.language, "title")) is not None and scale.money for t in [*texts, *heads]):
        return False  # 'Tunnusluku (euroa)': key figures in euros are money
    labels = [" ".join(row.text(0).split()) for row in ctx.table.rows]
    if any(classify_line(label, doc.language).line_key for label in labels if label):
        return False
    if kind == "key_figures" and (rows := key_figure_rows(table, doc.language)) is not None:
        mixed[table.table_id] = (named, rows)
        return False
    doc.add_issue("no_money_table", STAGE, f"table {ctx.table.table_id} '{named}' holds {kind.replace('_', ' ')}, "
                  "not money: no finance figures read from it", severity="info", page=ctx.table.prov.page)
    return True


def table_unit(ctx: TableContext, structure: Structure, doc: PlanDocument) -> str | None:
    """The unit a table belongs to, resolved by the segment stage (extractors.structure: the board of the
    minutes, a unit heading above it, a unit named in its first heading cell or title, its area)."""
    return ctx.unit_name


def extract_finance(doc: PlanDocument, structure: Structure) -> list[FinanceFigure]:
    """Figures of every table the finance reader claims; those tables get kind 'finance' and a sign
    convention (costs printed negative or positive, `extractors.hierarchy.sign_convention`)."""
    figures: list[FinanceFigure] = []
    # in a financial statement a column headed by a bare year holds that year's actual figures
    statement = is_financial_statement(doc)
    bare_year_kind = "actual" if statement else "other"
    context_year = document_year(doc, statement)
    for ctx in structure.tables:
        if (year_column := year_label_column(ctx.table, lambda text: names_year(text, doc.language))) is not None:
            ctx.table.label_columns = year_column + 1  # '2015', '2016' ... name the rows: labels, no figures
        mark_label_columns(ctx.table, doc.language)
    mixed: dict[str, tuple[str, KeyFigureRows]] = {}  # key figures with money among them: rows to read
    finance_tables = [ctx for ctx in structure.tables
                      if not _no_money(doc, ctx, mixed) and (ctx.table.table_id in mixed
                                                              or is_finance_table(ctx.table, caption(ctx), doc.language)
                                                              or money_by_year(ctx.table)
                                                              or statement_scale_year(ctx, statement, context_year)
                                                              is not None
                                                              or rows_name_units(ctx.table, doc.language)
                                                              or (statement and is_statement_note(ctx.table,
                                                                                                  doc.language)))]
    currency = document_currency(doc, [c.text for ctx in finance_tables for c in ctx.table.header])
    unscaled: set[str] = set()  # tables that print no scale of their own
    for ctx in finance_tables:
        table = ctx.table
        table.kind = "finance"
        heads = [cell for cell in table.header if cell.col >= table.label_columns]
        unit_name = table_unit(ctx, structure, doc)
        # rows of years under a title spanning the table: each column is headed by its own cell, not the title
        titled = header_title(table) is not None and bool(row_years(table, table.rows))
        texts = {cell.col: own_heading(cell) if titled else cell.text for cell in table.header}
        label_headings = [texts[cell.col] for cell in table.header if cell.col < max(table.label_columns, 1)]
        scale = table_scale(label_headings, ctx.above, doc.language, currency)
        labels = [column_label(texts[cell.col]) for cell in heads]
        kinds = [grouped_kind(label, cell.path, doc.language, bare_year_kind)
                 for label, cell in zip(labels, heads, strict=True)]
        years = column_years(labels, kinds, context_year, doc.language)
        if not statement:  # bare years in minutes: their kinds from the caption or the item's subject
            named = caption(ctx)
            kind_named = caption_column(named, doc.language) if named else None
            kinds = bare_year_kinds(labels, kinds, years, (kind_named[0], named) if kind_named and named else None,
                                    ctx.subject, doc.language)
        given = caption_column(caption(ctx), doc.language) if header_hits(table, doc.language) < 1 else None
        if given is not None:  # headings name no kind nor year ('€', none): the caption's
            kinds, years = [given[0]] * len(labels), [given[1]] * len(labels)
        elif (printed_year := statement_scale_year(ctx, statement, context_year)) is not None:
            kinds = ["actual" if names_money(label) else kind for label, kind in zip(labels, kinds, strict=True)]
            years = [printed_year if names_money(label) else year for label, year in zip(labels, years, strict=True)]
        kinds, years = comparison_columns(labels, kinds, years, doc.language)  # '2024 | 2023 | € | %'
        if row_years(table, table.rows):  # rows printing years: a bare year's kind in every column naming none
            kinds = [bare_year_kind if kind == "other" and year is None else kind
                     for kind, year in zip(kinds, years, strict=True)]
        scenarios = [names_scenario(texts[cell.col]) for cell in heads]  # '-1 % | 0 % | 1 %': no kind, no year
        kinds = ["other" if named else kind for named, kind in zip(scenarios, kinds, strict=True)]
        years = [None if named else year for named, year in zip(scenarios, years, strict=True)]
        scales = [fitting_scale(column_scale(texts[cell.col], scale, doc.language), scale, _numbers(table, cell.col))
                  for cell in heads]
        if scale.source == "document" and all(s is scale for s in scales):
            unscaled.add(table.table_id)
        columns: Columns = {cell.col: column for cell, column in
                            zip(heads, zip(labels, years, kinds, scales, strict=True), strict=True)}
        if statement:  # 'Poistamaton hankintameno 1.1' ... '31.12' under 'Rakennukset | Yhteensä'
            movement_columns(table, columns, context_year, scale, doc.language)
        assumed: dict[str, str] = {}  # how ambiguous separators were read -> the first example
        beside = subtotal_columns(table, columns)
        scopes = {cell.col: entity_scope(cell.text, doc.language) for cell in heads}  # 'Konserni 2024'
        # a label column's heading naming the entity ('Kaupunkikonserni | TP-2024') names the table's
        table_scope = ctx.entity_scope if ctx.entity_scope in (SUBSIDIARY, SEGMENT) else \
            next((s for t in label_headings if (s := entity_scope(t, doc.language))), ctx.entity_scope)
        for right in beside:  # the heading printed over one column of the pair heads both
            unnamed, named = (right, right - 1) if right - 1 in columns and columns[right - 1][0].strip() \
                else (right - 1, right)
            columns[unnamed], scopes[unnamed] = columns[named], scopes.get(named)
        for col in compared_blank_columns(table, columns, statement):
            doc.add_issue("unnamed_column", STAGE, f"table {table.table_id} (page {table.prov.page}): column {col} "
                          "prints figures under no heading and nothing tells their kind: read as 'other'",
                          severity="warning", page=table.prov.page)
        first_figure = len(figures)
        notes = trailing_notes(table, doc.language)
        rows = table.rows[:min(len(table.rows) - notes, balance_sheet_end(table, doc.language))]
        if key_figures_named(table.rows[len(rows):], table, doc.language):
            rows = table.rows  # key figures under the statement, each naming its unit: read in it
        table.note_rows = notes if len(rows) == len(table.rows) - notes else 0
        left: frozenset[int] = frozenset()  # rows of the table kept out of finance
        if table.table_id in mixed:  # key figures: the rows naming their unit, the rest named in an issue
            title, key_rows = mixed[table.table_id]
            left = frozenset(index for index, row in enumerate(table.rows) if any(row is r for r in key_rows.left))
            record_rows_without_unit(doc, table, key_rows, title, doc.language)
        else:
            _record_rows_left(doc, table, len(rows))
        figures += read_rows(doc, ctx, structure, unit_name, rows, columns, scale, assumed, beside, left)
        _record_yearless(doc, table, figures[first_figure:])
        statement_parents(figures[first_figure:])
        group_lines = table_scope is None and not any(scopes.values()) and \
            any(f.line_key in GROUP_ONLY_LINES for f in figures[first_figure:])
        for figure in figures[first_figure:]:
            figure.entity_scope = "group" if group_lines else \
                _scope(table_scope, scopes.get(figure.col_index))  # type: ignore[assignment]
        record_misplaced_cells(doc, table, {col: spec[0] for col, spec in columns.items()})
        for assumption, example in assumed.items():
            doc.add_issue("ambiguous_number", STAGE, f"table {table.table_id}: {example} ({assumption})",
                          severity="info", page=table.prov.page)
    balance_side_scale(figures, unscaled)
    scale_from_other_tables(doc, figures, unscaled)
    amended_columns(figures)
    conventions = table_conventions(figures)
    for figure in figures:
        figure.sign_convention = conventions[figure.table_id]
    for ctx in finance_tables:
        ctx.table.sign_convention = conventions.get(ctx.table.table_id)  # type: ignore[assignment]
    return figures


# Lines only a consolidated (group) statement prints: the minority's share of the group's equity and the
# group reserve (konsernireservi / koncernreserv). A table printing one is the group's even when no heading
# says so (Seinäjoki p. 156: the equity-and-liabilities side of the group balance sheet, on a page of its own).
GROUP_ONLY_LINES = ("minority_interests", "group_reserve")


def _scope(table_scope: str | None, column_scope: str | None) -> str:
    """Whose figure it is: a subsidiary's table is the company's and a segment's table the business
    unit's ('Eriytetyt laskelmat') whatever its columns; else the entity the column heading names ('Konserni
    2024', 'Kaupunki 2024'), else the table's (a group statement), else the city's."""
    if table_scope in (SUBSIDIARY, SEGMENT):
        return table_scope
    return column_scope or table_scope or "city"
