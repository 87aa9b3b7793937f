"""Finance stage: finance tables -> one FinanceFigure per printed figure (blank cells give none)."""

from __future__ import annotations

from extractors.lexicon import classify_any, load
from extractors.numbers import is_number, parse_int_amount
from extractors.patterns import YEAR
from extractors.structure import Structure, TableContext, unit_level
from models import FinanceFigure, PlanDocument, Table

STAGE = "finance"


def is_finance_table(table: Table) -> bool:
    header_hits = sum(1 for c in table.header[1:] if YEAR.search(c.text) or classify_any("columns", c.text))
    numeric_rows = sum(1 for r in table.rows if any(is_number(c.text) for c in r.cells[1:]))
    return header_hits >= 1 and numeric_rows >= 1


def column_label(text: str) -> str:
    """The heading as printed, with words that a renderer broke over lines joined: 'EKONOMI PLAN' and
    'TALOUSSU UNNITELM A' become one word when together they spell a known heading word."""
    words = text.split()
    compounds = {w for lang in ("sv", "fi") for w in load("columns", lang).words("compounds")}
    out: list[str] = []
    index = 0
    while index < len(words):
        joined, end = words[index], index + 1
        for stop in range(index + 2, len(words) + 1):
            candidate = "".join(words[index:stop])
            if not any(c.startswith(candidate.lower()) for c in compounds):
                break
            if candidate.lower() in compounds:
                joined, end = candidate, stop
        out.append(joined)
        index = end
    return " ".join(out)


def figure_kind(label: str, language: str | None) -> str:
    return classify_any("columns", label, language) or "other"


def table_unit(ctx: TableContext, structure: Structure, doc: PlanDocument) -> str | None:
    """Header's first cell names the unit (KAUPUNGINHALLITUS), else a title line, else the context unit."""
    lang = doc.language
    first = ctx.table.header[0].text.strip() if ctx.table.header else ""
    candidates = [first] if first and not YEAR.search(first) and not classify_any("columns", first, lang) else []
    if ctx.title and not classify_any("sections", ctx.title, lang):
        candidates.append(ctx.title)
    for name in candidates:
        known = structure.unit(name)
        if known:
            return known.name
        # a new unit named by the table: an area of the central in context, else a unit of its own
        context = structure.unit(ctx.unit_name)
        parent = context if context and context.level == "central" else \
            (structure.parent_of(context) if context else None)
        level = unit_level(name, lang, "area" if context else "committee")
        return structure.add_unit(doc.document_id, name, level, parent, page=ctx.table.prov.page,
                                  line=ctx.table.prov.line).name
    return ctx.unit_name


def is_financial_statement(doc: PlanDocument) -> bool:
    """The document reports what happened (a financial statement), judged from its title and first text."""
    texts = [t for p in doc.pages[:3] for t in p.furniture] + ([doc.title] if doc.title else []) + \
        [b.text for b in doc.blocks()[:15]]
    entries = [load("document", lang).entry("financial_statement") for lang in ("sv", "fi")]
    return any(entry.matches(text) for entry in entries for text in texts)


def extract_finance(doc: PlanDocument, structure: Structure) -> list[FinanceFigure]:
    figures: list[FinanceFigure] = []
    # in a financial statement a column headed by a bare year holds that year's actual figures
    bare_year_kind = "actual" if is_financial_statement(doc) else "other"
    for ctx in structure.tables:
        table = ctx.table
        if not is_finance_table(table):
            continue
        unit_name = table_unit(ctx, structure, doc)
        columns = {}
        for cell in table.header[1:]:
            label = column_label(cell.text)
            year = YEAR.search(label)
            kind = figure_kind(label, doc.language)
            columns[cell.col] = (label, int(year.group(1)) if year else None,
                                 bare_year_kind if kind == "other" and year else kind)
        for row_index, row in enumerate(table.rows):
            label = " ".join(row.text(0).split())
            if not label:
                continue
            line_key = classify_any("finance_lines", label, doc.language)
            for cell in row.cells[1:]:
                if not cell.text.strip():
                    continue
                amount = parse_int_amount(cell.text)
                if amount is None:
                    doc.add_issue("not_a_number", STAGE,
                                  f"table {table.table_id} row '{label}': cell '{cell.text}' is not a number",
                                  page=cell.prov.page)
                    continue
                col_label, year, kind = columns.get(cell.col, (f"column {cell.col}", None, "other"))
                bbox = cell.prov.bbox or row.prov.bbox
                figures.append(FinanceFigure(
                    document_id=doc.document_id, unit_name=unit_name, table_id=table.table_id,
                    line_label=label, line_key=line_key,
                    is_memo=row.italic or (bool(row.cells) and row.cells[0].italic),
                    column_label=col_label, year=year, figure_kind=kind, amount=amount,
                    page=cell.prov.page or row.prov.page, line=cell.prov.line or row.prov.line,
                    bbox=[round(v, 1) for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom)] if bbox else None,
                    row_index=row_index, col_index=cell.col,
                ))
            if line_key is None and any(c.text.strip() for c in row.cells[1:]):
                doc.add_issue("unknown_finance_line", STAGE,
                              f"table {table.table_id}: line '{label}' is not in the finance lexicon",
                              severity="info", page=row.prov.page)
    return figures
