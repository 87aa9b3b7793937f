"""Finance: a key-figure table that prints money among its counts -> the rows naming their unit are read.

A table titled as key figures ('Kapasiteettitiedot', 'Tunnusluvut': the `table_titles` lexicon) mostly
holds counts, areas and lengths, but some of its rows may be money: 'Valtionosuusrahoitus', 'Nettomenot
kunnille' (Kauhava tilinpäätös 2024 p. 94), 'Business-Finland tuotekehitysrahoitus' (p. 85). Such a table
is no 'key figures, not money' table. Its rows whose label names its own unit
(`extractors.scales.read_scale`: '€/opiskelija' -> EUR/unit, 'lukumäärä' -> count) are read as finance
figures in that unit; a row whose label names money but no unit (the columns lexicon's
`money_key_figure`) is read in the table's scale, as every figure of a table that prints no scale is (the
document's currency, multiplier 1: `extractors.scales`). A row naming neither ('Viljelypinta-ala',
'Lainat / asukas') stays in `tables` only and an info issue names it: its unit would be a guess.

A key figure per inhabitant or per unit ('Kunnallisvero €/asukas', 'Nettokustannukset €/lainaus') is no
money by itself (the scales lexicon): a table of such figures and counts stays a `no_money_table`
(Kauhava pp. 81, 96).
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.finance_rows import row_line_label, value_cells
from extractors.lexicon import LANGUAGES, load
from extractors.numbers import is_number
from extractors.scales import read_scale
from models import PlanDocument, Table, TableRow

STAGE = "finance"


@dataclass(frozen=True)
class KeyFigureRows:
    """The rows of a key-figure table read as finance (each names its unit) and those left in `tables`."""

    read: list[TableRow]
    left: list[TableRow]


def names_money_without_unit(label: str, language: str | None) -> bool:
    """The label names money but no unit ('Valtionosuusrahoitus', 'Nettomenot kunnille: Kauhava
    Lappajärvi': the columns lexicon's `money_key_figure`); a label that names its unit is read in it
    ('Nettokustannukset €/lainaus' is euros per loan)."""
    return read_scale(label, language, "row") is None and \
        any(load("columns", lang).entry("money_key_figure").matches(label) for lang in LANGUAGES)


def _names_money(label: str, language: str | None) -> bool:
    """The label names money: a money scale ('1 000 €'; never a key figure per inhabitant or per unit,
    '€/asukas', '€/opiskelija': those are no money, as the scales lexicon says) or money words alone."""
    scale = read_scale(label, language, "row")
    return scale.money if scale is not None else names_money_without_unit(label, language)


def key_figure_rows(table: Table, language: str | None) -> KeyFigureRows | None:
    """The rows of a key-figure table that print figures, split into those read (naming their own unit,
    or money without one) and the rest (left), when at least one row names money; None for a table of
    counts and per-inhabitant figures alone (a `no_money_table`: 'Tunnusluvut' over 'Perusopetuksen
    oppilaat', 'Nettokustannus, €/asukas')."""
    printing = [row for row in table.rows
                if any(is_number(c.text) for c in value_cells(row, table.label_columns))]
    labels = {id(row): row_line_label(row, table, language) for row in printing}
    if not any(_names_money(labels[id(row)], language) for row in printing):
        return None
    read = [row for row in printing if read_scale(labels[id(row)], language, "row") is not None
            or names_money_without_unit(labels[id(row)], language)]
    named = {id(row) for row in read}
    return KeyFigureRows(read=read, left=[row for row in printing if id(row) not in named])


def record_rows_without_unit(doc: PlanDocument, table: Table, rows: KeyFigureRows, title: str,
                             language: str | None) -> None:
    """An info issue naming the key-figure rows kept in `tables` only because their label names no unit and
    no money ('Viljelypinta-ala', 'Lainat / asukas'): their figures are not lost, only not read as finance."""
    if not rows.left:
        return
    labels = [row_line_label(row, table, language) for row in rows.left]
    page = rows.left[0].prov.page or table.prov.page
    doc.add_issue("key_figures_without_unit", STAGE,
                  f"table {table.table_id} '{title}' (page {page}): {len(labels)} key-figure row(s) name no unit of "
                  f"their own, kept in tables only: " + "; ".join(labels[:6]) + (" …" if len(labels) > 6 else ""),
                  severity="info", page=page)
