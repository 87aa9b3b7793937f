"""Finance from text cells: a two-column 'label | text' table whose text cells print amounts in words -> figures.

A project sheet (Simrishamn's investment budget: 'Projekt (2) - Valfisken | Projektbeskrivning' over rows
'Investeringsutgift | 1450 tkr 2027, 750 tkr 2028. Projektets totala kalkylerade utgifter uppgår till 2 200
tkr.') prints its figures in sentences, not in columns of figures, so the finance reader, which reads
columns headed by years, finds none. Here every scaled amount of such a cell (`extractors.scaled_amounts`:
a number before tkr, mnkr, milj. €, ...) becomes one figure:

- line label: the row's label cell ('Investeringsutgift'); line path: the table's heading cell over it
  ('Projekt (2) - Valfisken / Investeringsutgift'), which names the project;
- column label, year and kind from the amount's clause: a year gives that year, as 'budget' for the
  document's budget year, 'plan' after it and 'actual' before it; a yearly word ('Årligen 150 tkr',
  '50 tkr/år') gives the column 'Årligen' of kind 'other', with the year of its clause as the first year it
  applies ('Från och med år 2026 tillkommer driftkostnad med 50 tkr årligen' -> 2026), else no year; a total
  word ('Projektets totala kalkylerade utgifter uppgår till 2 200 tkr') the kind 'total'; none of these gives
  no year and a
  `figure_without_year` warning;
- unit and multiplier from the scale word ('tkr' -> SEK × 1000); provenance (page, bbox) from the cell; the
  row index is the row's in the table, the column index one per column label after the table's two printed
  columns (2 for the first label read, 3 for the next, ...), so the figures of one row line up by column
  for the checks and the text cell in `tables` keeps its text and no number.

A form's example ('T.ex.: År 2027: 3 000 tkr') is no figure. Tables another reader took (finance, goals)
and tables of more than two columns are left as they are.
"""

from __future__ import annotations

from extractors.finance_headings import document_year, is_financial_statement
from extractors.lexicon import LANGUAGES, classify_line, load
from extractors.patterns import STARS_AROUND
from extractors.scaled_amounts import ScaledAmount, scaled_amounts
from extractors.structure import Structure
from models import BBox, FinanceFigure, PlanDocument, Table

STAGE = "finance"
YEARLY_COLUMN = "Årligen"
TOTAL_COLUMN = "Totalt"


def _is_text_table(table: Table) -> bool:
    return table.kind == "other" and table.quality.columns == 2 and \
        all(cell.col + cell.span_cols <= 2 for row in table.rows for cell in row.cells)


def _heading(table: Table, language: str | None) -> str | None:
    """The first row's label when it is a heading row (bold, or on a shading no other row has): the table's
    subject ('Projekt (2) - Valfisken'). A heading naming the project by its number only ('Projekt (16)') is
    joined to the value of the sheet's name row ('Projektnamn | Inköp och montering av kompaktsystem och
    entresolvåning.' -> 'Projekt (16) - Inköp och montering av kompaktsystem och entresolvåning'; the document
    lexicon's `numbered_project` and `project_name`)."""
    first = next((c for c in table.rows[0].cells if c.col == 0), None) if len(table.rows) > 1 else None
    if first is None or not first.text.strip():
        return None
    body = {c.fill for row in table.rows[1:] for c in row.cells}
    text = STARS_AROUND.sub("", " ".join(first.text.split()))  # '**Projekt - Reinvesteringar **' (p. 26)
    if not text or not (first.bold or (first.fill and first.fill not in body)):
        return None
    if _entry_matches("numbered_project", text, language):
        for row in table.rows[1:]:
            label = " ".join(" ".join(c.text.split()) for c in row.cells if c.col == 0)
            value = " ".join(" ".join(c.text.split()) for c in row.cells if c.col > 0).rstrip(" .")
            if value and _entry_matches("project_name", label, language):
                return f"{text} - {value}"
    return text


def _entry_matches(name: str, text: str, language: str | None) -> bool:
    return any(load("document", lang).entry(name).matches(text) for lang in
               ([language] if language in LANGUAGES else []) + [lang for lang in LANGUAGES if lang != language])


def _box(box: BBox | None) -> list[float] | None:
    return [round(v, 1) for v in (box.x0, box.top, box.x1, box.bottom)] if box else None


def _column(amount: ScaledAmount, budget_year: int | None) -> tuple[str, int | None, str]:
    """(column label, year, figure kind) of an amount read in its clause."""
    if amount.yearly:  # a year in its clause is the first year it applies ('Från och med år 2026 ... 50 tkr årligen')
        return YEARLY_COLUMN, amount.year, "other"
    if amount.total:
        return TOTAL_COLUMN, None, "total"
    if amount.year is None:
        return "", None, "other"
    if budget_year is None:
        return str(amount.year), amount.year, "other"
    kind = "budget" if amount.year == budget_year else "plan" if amount.year > budget_year else "actual"
    return str(amount.year), amount.year, kind


def read_text_cell_tables(doc: PlanDocument, structure: Structure,
                          read: list[FinanceFigure] | None = None) -> list[FinanceFigure]:
    """Figures of every two-column text table that prints scaled amounts in its text cells; such a table gets
    kind 'finance'. Amounts with no year, yearly word or total word are kept with a warning.

    The budget year, which tells a year's kind, is the document's (its title), else the latest year of the
    budget figures already `read` from its tables ('Budget 2027' over the summary of the same projects)."""
    figures: list[FinanceFigure] = []
    budget_years = [f.year for f in read or [] if f.figure_kind == "budget" and f.year]
    budget_year = document_year(doc, is_financial_statement(doc)) or (max(budget_years) if budget_years else None)
    units = {id(ctx.table): ctx.unit_name for ctx in structure.tables}
    for table in doc.tables():
        if not _is_text_table(table):
            continue
        heading = _heading(table, doc.language)
        own: list[FinanceFigure] = []
        # column label -> its index, in reading order, after the table's printed columns: the amounts of one
        # text cell stand in columns of their own, so the cell itself (in `tables`) is given none of them
        columns: dict[str, int] = {}
        for index, row in enumerate(table.rows):
            label_cell = next((c for c in row.cells if c.col == 0), None)
            label = " ".join(label_cell.text.split()) if label_cell is not None else ""
            if not label or (index == 0 and heading is not None):
                continue
            line = classify_line(label, doc.language)
            for cell in row.cells:
                if cell.col == 0:
                    continue
                for amount in scaled_amounts(cell.text, doc.language):
                    if amount.example:
                        continue
                    column, year, kind = _column(amount, budget_year)
                    col_index = columns.setdefault(column, table.quality.columns + len(columns))
                    own.append(FinanceFigure(
                        document_id=doc.document_id, unit_name=units.get(id(table)), table_id=table.table_id,
                        line_label=label, line_key=line.key, parent_line_key=line.parent, is_memo=False,
                        column_label=column, year=year, figure_kind=kind,  # type: ignore[arg-type]
                        amount=amount.amount, page=cell.prov.page or row.prov.page or table.prov.page,
                        bbox=_box(cell.prov.bbox), row_index=index,
                        col_index=col_index, unit=amount.unit, multiplier=amount.multiplier,
                        value=amount.amount * amount.multiplier, printed=amount.printed,
                        line_path=f"{heading} / {label}" if heading else label, entity_scope="city"))
        if not own:
            continue
        table.kind = "finance"
        yearless = [f for f in own if f.year is None and f.figure_kind == "other" and f.column_label != YEARLY_COLUMN]
        if yearless:
            doc.add_issue("figure_without_year", STAGE,
                          f"table {table.table_id} (page {yearless[0].page}): {len(yearless)} amount(s) printed in "
                          "a text cell with no year, yearly or total word in their sentence: "
                          + ", ".join(f"'{f.line_label}: {f.printed}'" for f in yearless[:4]),
                          severity="warning", page=yearless[0].page)
        figures += own
    return figures
