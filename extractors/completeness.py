"""Completeness stage: figures printed in the shape of a table row but found in no table, and
figures standing under another column than the one they were read into.

A text line that prints a label and then figures — two or more, or one after a label the finance
lexicon knows ("Toimintakate -22.638.575") — is a table row. When the reader put it outside every
table, the figures on it are missing from `finance`: a table above lost its last rows (a total row
read as a heading), or a small table was not recognised. Each such line becomes an error-level issue
naming its page and text, so the document is `partial`, never silently incomplete.
"""

from __future__ import annotations

from statistics import median

from extractors.lexicon import classify_any
from extractors.numbers import grammar, is_empty_figure, is_footnote, is_number, parse_number
from extractors.patterns import YEAR
from extractors.scaled_amounts import scaled_amounts
from models import Block, Cell, PlanDocument, Table, TableRow

STAGE = "finance"
_FIGURE_CHARS = set("0123456789.,()%*+") | {"\u00b9", "\u00b2", "\u00b3"}
MAX_GROUPS = 5  # 15 significant digits at most: five groups of three
LABEL_WORDS = 10  # a row label is short; a longer text ending in numbers is running text


def _figure_tail(text: str) -> tuple[str, list[str]]:
    """(label, figure tokens) of a line: the longest run of figure-like tokens at its end."""
    tokens = text.split()
    allowed = _FIGURE_CHARS | grammar().minus | grammar().invisible
    start = len(tokens)
    while start > 0 and all(ch in allowed for ch in tokens[start - 1]) \
            and any(ch not in "." for ch in tokens[start - 1]):  # dot leaders of a table of contents
        start -= 1
    return " ".join(tokens[:start]), tokens[start:]


def _figures(tokens: list[str]) -> list[str] | None:
    """The printed figures of a row's tail, or None when a part of it is not a number (a date, a
    phone number, a code): a token with digits starts a figure unless it is a thousands group of
    exactly three digits continuing the one before; lone dashes print no figure. A run of groups
    longer than one figure can be ('127 396 133 400 139 400': figures one column gap apart) counts as
    two figures: where one ends is unknown, but there are several."""
    runs: list[list[str]] = []
    for token in tokens:
        bare = token.strip("-\u2212\u2013)*")
        if runs and len(bare) == 3 and bare.isdigit() and not runs[-1][-1].endswith(("-", ")")):
            runs[-1].append(token)
        elif any(ch.isdigit() for ch in token):
            runs.append([token])
        elif runs and token in ("%", *grammar().marker_symbols):
            runs[-1].append(token)  # '2,5 %', '228 437 *'
        elif not is_empty_figure(token):
            return None
    figures: list[str] = []
    for run in runs:
        text = " ".join(run)
        if parse_number(text) is not None:
            figures.append(text)
        elif len(run) > MAX_GROUPS and all(p.isdigit() and len(p) <= 3 for p in run):
            figures += [" ".join(run[:MAX_GROUPS]), " ".join(run[MAX_GROUPS:])]
        else:
            return None
    return figures


def stray_rows(doc: PlanDocument) -> list[Block]:
    """Blocks outside every table that print a table row of figures."""
    found = []
    for block in doc.blocks():
        text = " ".join(block.text.split())
        label, tail = _figure_tail(text)
        if not tail or not any(ch.isalpha() for ch in label) or len(label.split()) > LABEL_WORDS \
                or is_footnote(text):  # a footnote ('1) Sisältää ... 120 000') explains, it is no row
            continue
        figures = _figures(tail)
        if not figures or all(YEAR.fullmatch(f) for f in figures):
            continue
        if len(figures) >= 2 or classify_any("finance_lines", label, doc.language):
            found.append(block)
    return found


def record_stray_rows(doc: PlanDocument) -> None:
    for block in stray_rows(doc):
        where = f"page {block.prov.page}" if block.prov.page else f"line {block.prov.line}"
        doc.add_issue("figures_outside_table", STAGE,
                      f"{where}: '{' '.join(block.text.split())[:100]}' prints figures outside every table "
                      f"(a table may have lost rows)", severity="error", page=block.prov.page)


MIN_COLUMN_CELLS = 3  # figures a column needs before its alignment says where its figures stand


def misplaced_cells(table: Table) -> list[tuple[TableRow, Cell, int]]:
    """Figures that stand under another column than the one they were given: (row, cell, column
    they stand under). A column's figures share an alignment (right edges, centres or left edges,
    whichever varies least); a figure nearer another column's alignment line than its own's, by more
    than half the gap between them, was shifted (a blank cell before it was lost, or a neighbour's).
    Columns with fewer than three figures, and cells without a box (text exports), are not judged. Edges
    whose median deviation ties are told apart by their mean deviation: in a right-aligned column of three
    figures two of equal width ('25 000 000', '0', '25 000 000') leave the left edges a median deviation of
    nothing too (Seinäjoki TP 2024 p. 143, VALTIONOSUUKSIEN ERITTELY: the row '0 | 0 | 0' was said to stand
    a column to the right)."""
    edges: dict[int, list[tuple[float, float, float]]] = {}
    for row in table.rows:
        for cell in row.cells[1:]:
            box = cell.prov.bbox
            if box is not None and is_number(cell.text):
                edges.setdefault(cell.col, []).append((box.x0, (box.x0 + box.x1) / 2, box.x1))
    anchors: dict[int, tuple[int, float]] = {}  # col -> (which edge, its median)
    for col, boxes in edges.items():
        if len(boxes) < MIN_COLUMN_CELLS:
            continue
        spreads = []
        for edge in range(3):
            values = [b[edge] for b in boxes]
            centre = median(values)
            deviations = [abs(v - centre) for v in values]
            spreads.append((median(deviations), sum(deviations) / len(deviations), edge, centre))
        _, _, edge, centre = min(spreads)
        anchors[col] = (edge, centre)
    found = []
    for row in table.rows:
        for cell in row.cells[1:]:
            box = cell.prov.bbox
            if box is None or cell.col not in anchors or not is_number(cell.text):
                continue
            coords = (box.x0, (box.x0 + box.x1) / 2, box.x1)
            own_edge, own = anchors[cell.col]
            own_distance = abs(coords[own_edge] - own)
            for col, (edge, line) in anchors.items():
                gap = abs(line - own)
                if col != cell.col and abs(coords[edge] - line) < own_distance and own_distance > gap / 2:
                    found.append((row, cell, col))
                    break
    return found


def record_misplaced_cells(doc: PlanDocument, table: Table, column_labels: dict[int, str]) -> None:
    """An error issue per figure standing under another column than it was read into; a column without a
    heading is named by its index, as in finance ('column 3')."""
    column_labels = {col: label if label.strip() else f"column {col}" for col, label in column_labels.items()}
    for row, cell, col in misplaced_cells(table):
        doc.add_issue("cell_outside_column", STAGE,
                      f"table {table.table_id} (page {cell.prov.page or row.prov.page}) row '{row.text(0)}': "
                      f"'{cell.text}' was read as {column_labels.get(cell.col, f'column {cell.col}')} but stands under "
                      f"{column_labels.get(col, f'column {col}')} (a cell may have been lost)", severity="error",
                      page=cell.prov.page or row.prov.page)


MIN_UNREAD_FIGURES = 2  # a table with one figure (a date, a single count) is no lost table


def unread_figures(table: Table) -> int:
    """Cells of the table's value columns (after its label columns) printed as numbers."""
    first = max(table.label_columns, 1)
    return sum(1 for row in table.rows for cell in row.cells if cell.col >= first and is_number(cell.text))


def record_unread_tables(doc: PlanDocument, finance_tables: set[str]) -> None:
    """A warning per table that prints figures but gave no finance figure and is no goal table (a
    balance sheet whose numbers are fused into its labels, budget tables whose lines are only in their
    heading, key figures in an unknown layout): its cells are in `tables`, and the archivist sees that
    its figures are not in `finance`. Tables a stage already named as no money (`no_money_table`) are
    not named again."""
    named = {issue.message.split()[1] for issue in doc.issues if issue.code == "no_money_table"}
    for table in doc.tables():
        if table.kind == "goals" or table.table_id in finance_tables or table.table_id in named:
            continue
        count = unread_figures(table)
        if count >= MIN_UNREAD_FIGURES:
            pages = sorted({row.prov.page for row in table.rows if row.prov.page} | {table.prov.page or 0} - {0})
            where = f"pages {pages[0]}-{pages[-1]}" if len(pages) > 1 else f"page {table.prov.page}"
            doc.add_issue("table_not_read", STAGE,
                          f"table {table.table_id} ({where}): {count} figures that no reader read as finance "
                          "or goals, kept in tables only", severity="warning", page=table.prov.page)


# running text: a block of at least this many words, at most this share of them printing digits, that ends a
# sentence or clause, or is long enough to be a paragraph cut at the page's or column's end
PROSE_WORDS = 6
PARAGRAPH_WORDS = 12
PROSE_DIGIT_SHARE = 1 / 3
CLAUSE_END = (".", "!", "?", ")", ":", ",")


def is_running_text(text: str) -> bool:
    """True for running text: a paragraph ('Under året har 5,4 mnkr av den totala investeringsbudgeten på 10,5
    mnkr nyttjats.'), also one cut at the page's end ('… merkittävin investointi on 2,7 milj. euron
    päiväkoti-investointi. Vuoden'), or a sentence of a list ending in a clause mark. False for a form's or a
    table's text ('Investeringsutgift 2027 250 tkr, 2028 100 tkr', 'Investeringsutgift Årligen 150 tkr.') and
    for a short 'label: value' line ('- Tilikauden tulos: vähintään 10 miljoonaa euroa'). Running text has at
    least `PROSE_WORDS` words, at most `PROSE_DIGIT_SHARE` of them with a digit, and ends with a mark of
    `CLAUSE_END` or has `PARAGRAPH_WORDS` words or more."""
    words = text.split()
    digits = sum(any(c.isdigit() for c in word) for word in words)
    return len(words) >= PROSE_WORDS and digits <= PROSE_DIGIT_SHARE * len(words) and \
        (text.rstrip()[-1:] in CLAUSE_END or len(words) >= PARAGRAPH_WORDS)


def unread_amounts(doc: PlanDocument, finance_pages: set[int]) -> dict[tuple[int, bool], list[str]]:
    """(page, in running text) -> the scaled amounts ('1450 tkr', '2,5 mnkr': `extractors.scaled_amounts`)
    printed in the page's text outside every table, on a page that gave no finance figure; a form's example
    amount ('T.ex.: År 2027: 3 000 tkr') is none. `is_running_text` tells a paragraph from a form's or a
    table's text."""
    found: dict[tuple[int, bool], list[str]] = {}
    for block in doc.blocks():
        page = block.prov.page
        if page is None or page in finance_pages:
            continue
        amounts = [a.printed for a in scaled_amounts(block.text, doc.language) if not a.example]
        if amounts:
            found.setdefault((page, is_running_text(block.text)), []).extend(amounts)
    return found


def _shown(amounts: list[str]) -> str:
    return ", ".join(f"'{a}'" for a in amounts[:6]) + (" …" if len(amounts) > 6 else "")


def record_unread_amounts(doc: PlanDocument, finance_pages: set[int]) -> None:
    """Amounts with a scale word (tkr, mnkr, 1 000 €) printed outside every table on a page that gave no finance
    figure. In a form's or a table's text they are figures lost (issue 10: project sheets in shaded, unruled
    cells lost every figure without a word): a warning per page, and the document is `partial`
    (`extractors.status.UNREAD_CODES`). In running text they are the narrative's mentions of figures (a
    statement's review: 'verotulot olivat 33,6 miljoonaa euroa'), which no dataset holds: one `amounts_in_text`
    info naming the pages, which leaves the status alone."""
    found = unread_amounts(doc, finance_pages)
    for (page, prose), amounts in sorted(found.items()):
        if not prose:
            doc.add_issue("amounts_not_read", STAGE,
                          f"page {page}: {len(amounts)} amount(s) with a scale word printed outside every table "
                          f"that no reader read into finance: {_shown(amounts)}", severity="warning", page=page)
    prose = {page: amounts for (page, in_prose), amounts in sorted(found.items()) if in_prose}
    if prose:
        amounts = [a for page_amounts in prose.values() for a in page_amounts]
        doc.add_issue("amounts_in_text", STAGE,
                      f"{len(amounts)} amount(s) with a scale word in running text on page(s) "
                      f"{', '.join(map(str, prose))} are not read as figures: {_shown(amounts)}",
                      severity="info", page=next(iter(prose)))
