"""Finance label columns that are no part of a row's label: attribute columns and row-type columns.

A table's label columns (`Table.label_columns`, found from layout) may hold, beside the label, a priority,
a status, a project or cost-centre code ('Prio | Status | Proj Nr | Investeringar (tkr)', Simrishamn's
investment letter), a binding-level flag ('B' on every row, Seinäjoki's section 8.5) or the type of the
row's figures ('menot' under 'Talous', Lapua's investment proposals). They stay cells of their own in
`tables`; the finance line label is made of the other label columns. Evidence: the heading (columns
lexicon `attribute_column`), or the cells themselves (one and the same letter on every filled row; the
columns lexicon `row_type` words). A table keeps at least one label column: a table whose only label
column is headed 'Kustannuspaikka' holds '092234 Ritavuoren koulun kenttä' there, its label.

A place column (`place_columns`) names each row's domicile ('Eelan Laajennus Oy | Seinäjoki | 100,0',
Seinäjoki's ownership lists, financial statement 2024 pp. 68-69, 167-168): it is an attribute column too,
and `tables` keeps it out of the row path.
"""

from __future__ import annotations

import re

from extractors.lexicon import LANGUAGES, load
from extractors.municipalities import known_municipality
from extractors.numbers import is_number
from models import Table

# A flag column: one and the same mark of at most this many characters on at least FLAG_ROWS rows.
FLAG_LENGTH = 2
FLAG_ROWS = 3
# A place name as printed in a domicile column: one capitalised word, perhaps hyphenated ('Seinäjoki',
# 'Mänttä-Vilppula').
PLACE_NAME = re.compile(r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)*")


def _languages(language: str | None) -> tuple[str, ...]:
    return (language,) if language in LANGUAGES else LANGUAGES


def heading_text(table: Table, col: int) -> str:
    """The heading printed over a column: its header cell, or its cells in the table's heading rows."""
    if table.header:
        return " ".join(c.text for c in table.header if c.col == col)
    rows = table.rows[:min(table.quality.header_rows, len(table.rows))]
    return " ".join(c.text for r in rows for c in r.cells if c.col == col)


def names_attribute(heading: str, language: str | None) -> bool:
    """The heading names an attribute column (columns lexicon `attribute_column`), as printed or with the
    pieces of a word a narrow column broke over lines joined ('Pri o', 'Stat us')."""
    words = heading.split()
    readings = [heading] + ([ "".join(words)] if 1 < len(words) <= 3 else [])
    return any(load("columns", lang).entry("attribute_column").matches(text)
               for lang in _languages(language) for text in readings)


def _body_texts(table: Table, col: int) -> list[str]:
    skip = 0 if table.header else min(table.quality.header_rows, len(table.rows))
    return [" ".join(c.text.split()) for r in table.rows[skip:] for c in r.cells if c.col == col and c.text.strip()]


def is_flag_column(texts: list[str]) -> bool:
    """Every filled cell holds the same mark of one or two characters, not a number ('B', 'x')."""
    return len(texts) >= FLAG_ROWS and len(set(texts)) == 1 and len(texts[0]) <= FLAG_LENGTH \
        and not is_number(texts[0])


def is_row_type_column(texts: list[str], language: str | None) -> bool:
    """Every filled cell names the type of the row's figures (columns lexicon `row_type`: menot, tulot)."""
    return bool(texts) and all(any(load("columns", lang).entry("row_type").matches(t) for lang in _languages(language))
                               for t in texts)


def is_place_column(texts: list[str], language: str | None) -> bool:
    """At least FLAG_ROWS filled cells, each one place name (`PLACE_NAME`), and more than half of them
    municipalities the municipalities lexicon lists ('Seinäjoki', 'Lapua'; 'Ilmajoki', 'Kurikka' unlisted)."""
    if len(texts) < FLAG_ROWS or not all(PLACE_NAME.fullmatch(t) for t in texts):
        return False
    return 2 * sum(known_municipality(t, language) is not None for t in texts) > len(texts)


def place_columns(table: Table, language: str | None) -> list[int]:
    """Label columns after the first filled one that name each row's domicile: headed so (columns lexicon
    `place_column`: 'Kotipaikka', 'Säte') or holding place names only (`is_place_column`; Seinäjoki p. 168
    prints no heading over its domiciles). [] for a table without one."""
    out: list[int] = []
    first: int | None = None
    for col in range(table.label_columns):
        texts = _body_texts(table, col)
        if not texts:
            continue
        if first is None:
            first = col
            continue
        heading = heading_text(table, col)
        if any(load("columns", lang).entry("place_column").matches(heading) for lang in _languages(language)) \
                or is_place_column(texts, language):
            out.append(col)
    return out


def mark_label_columns(table: Table, language: str | None) -> None:
    """Set `table.attribute_columns` and `table.row_type_columns`; a label column is left as the label
    when no other label column holding text would remain."""
    attributes: list[int] = []
    row_types: list[int] = []
    filled: list[int] = []
    for col in range(table.label_columns):
        texts = _body_texts(table, col)
        if not texts:
            continue
        filled.append(col)
        if is_row_type_column(texts, language):
            row_types.append(col)
        elif names_attribute(heading_text(table, col), language) or is_flag_column(texts):
            attributes.append(col)
    if not [col for col in filled if col not in attributes and col not in row_types]:
        attributes, row_types = [], []
    attributes = sorted({*attributes, *place_columns(table, language)})
    table.attribute_columns, table.row_type_columns = attributes, row_types
