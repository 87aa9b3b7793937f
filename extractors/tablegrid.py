"""Table grid helpers shared by the front ends: value columns, label columns, cell emptiness.

Layout only (no lexicon): a value column is one whose filled body cells are mostly numbers; the label
columns are the leading columns up to the last text column before the trailing run of value columns
(codes, group labels and labels stand there: 'Prio | Status | Proj Nr | Investeringar').
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from extractors.numbers import is_number
from extractors.patterns import YEAR
from models import Cell, Table, TableRow

YEAR_ROWS = 3
"""A column of row labels printed as years holds at least this many years."""


def _column_texts(rows: list[TableRow], width: int) -> list[list[str]]:
    texts: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        if row.spanning:
            continue
        for cell in row.cells:
            if 0 <= cell.col < width and cell.text.strip():
                texts[cell.col].append(cell.text)
    return texts


def value_columns(rows: list[TableRow], width: int) -> list[bool]:
    """Per column: its filled cells are mostly numbers (more than half)."""
    return [bool(texts) and 2 * sum(is_number(t) for t in texts) > len(texts) for texts in _column_texts(rows, width)]


def label_column_count(rows: list[TableRow], width: int) -> int:
    """Leading columns that hold row labels; 0 for a table of text only (no trailing value columns)."""
    values = value_columns(rows, width)
    if not any(values):
        return 0
    count = width
    while count > 0 and (values[count - 1] or not _column_texts(rows, width)[count - 1]):
        count -= 1
    return count


def unparsed_cells(table: Table) -> int:
    """Filled cells of value columns whose text is not a number ('Ej aktuellt', '138-45')."""
    values = value_columns(table.rows, table.n_cols)
    count = 0
    for row in table.rows:
        for cell in row.cells:
            if cell.col >= table.label_columns and cell.col < len(values) and values[cell.col] \
                    and cell.text.strip() and not is_number(cell.text):
                count += 1
    return count


def fill_ratio(rows: list[TableRow], width: int) -> float:
    cells = max(1, len(rows) * width)
    return round(sum(1 for r in rows for c in r.cells if c.text.strip()) / cells, 3)


def own_label_cells(row: TableRow, label_columns: int, skip: Collection[int] = ()) -> list[Cell]:
    """The row's label cells, less a cell that heads the row's group (it stands in the row's path) and the
    cells of the columns in `skip` (attribute columns: `Table.attribute_columns`, `row_type_columns`). A row
    whose every label repeats its group's heading keeps them: it is a row of its own (Kauhava p. 133,
    'Rahavarojen muutos' under the group row 'Rahavarojen muutos'), never a row without a label; a row
    with text only in skipped columns keeps those."""
    heads = {" ".join(p.split()) for p in row.path}
    cells = [c for c in row.cells if c.col < label_columns and c.text.strip()]
    cells = [c for c in cells if c.col not in skip] or cells
    own = [c for c in cells if " ".join(c.text.split()) not in heads]
    return own or cells


def row_label(row: TableRow, label_columns: int, skip: Collection[int] = ()) -> str:
    """The row's own label: its label cells (less those in `skip`) joined as printed."""
    return " ".join(" ".join(c.text.split()) for c in own_label_cells(row, label_columns, skip))


def row_type(row: TableRow, columns: Collection[int]) -> str:
    """The row's type as printed in its row-type columns ('menot'), '' when it has none."""
    return " ".join(" ".join(c.text.split()) for c in row.cells if c.col in columns and c.text.strip())


def year_label_column(table: Table, names_year: Callable[[str], bool] | None = None) -> int | None:
    """The first value column that prints anything when it is a column of row labels printed as bare years:
    no heading over it (or one that `names_year` accepts as naming the rows' year, such as 'Vuosi'), every
    filled body cell one year ('2015'), three or more years in strictly rising or falling order, and a
    column of numbers to its right ('| 1 000 € | €/as' over '2015 | 435 059 | 7 070', Seinäjoki's
    financial statement, 'Lainamääränkehitys vuosina 2015-2024'). Value columns before it that print
    nothing (only a heading such as the table's scale '1 000 000 €') go with it. Its cells name each row's
    year: they are labels, never figures. None for any other table."""
    printing = {c.col for r in table.rows for c in r.cells if c.text.strip()}
    col = next((c for c in sorted(printing) if c >= table.label_columns), None)
    if col is None:
        return None
    heading = next((c for c in table.header if c.col == col and c.text.strip()), None)
    if heading is not None and (names_year is None or not names_year(own_heading(heading))):
        return None
    texts = [" ".join(c.text.split()) for r in table.rows for c in r.cells if c.col == col and c.text.strip()]
    years = [int(t) for t in texts if YEAR.fullmatch(t)]
    if len(years) < YEAR_ROWS or len(years) != len(texts):
        return None
    steps = {b > a for a, b in zip(years, years[1:], strict=False)}
    if len(steps) != 1 or len(set(years)) != len(years):
        return None
    width = max((c.col + 1 for r in table.rows for c in r.cells), default=0)
    return col if any(value_columns(table.rows, width)[col + 1:]) else None


def header_title(table: Table) -> str | None:
    """The title a table prints in heading rows spanning it whole: the innermost heading every header cell
    that prints one stands under, when each of them has a heading of its own under it ('Verotulojen tasaus
    valtionosuuksissa 2020-2024 Seinäjoen kaupunki' over '1 000 000 € | Vuosi | €'); else None."""
    paths = [c.path for c in table.header if c.text.strip()]
    if len(paths) < 2 or any(len(p) < 2 for p in paths):
        return None
    shared = 0
    while all(len(p) > shared + 1 and p[shared] == paths[0][shared] for p in paths):
        shared += 1
    return " ".join(paths[0][shared - 1].split()) if shared else None


def own_heading(cell: Cell) -> str:
    """A header cell's own text: the last line of its heading path (the rows above it, such as a title
    spanning the table, are not its heading), else its text."""
    return " ".join((cell.path[-1] if cell.path else cell.text).split())


def row_year(row: TableRow, year_column: int | None) -> int | None:
    """The year a row's label prints in the table's year label column (`year_label_column`), else None."""
    text = " ".join(row.text(year_column).split()) if year_column is not None else ""
    return int(text) if YEAR.fullmatch(text) else None
