"""Peer comparison tables: other municipalities' figures printed beside the municipality's own.

A benchmarking table lists the document's municipality as one row among others (Seinäjoki p. 20,
'Taulukko. Toimintakatevertailu 2019–2023, Seinäjoki ja verrokkikaupungit': rows Seinäjoki, Hämeenlinna,
Joensuu, ... Vaasa, Keskiarvo under 'TP-2020 ... TP-2024 | Muutos-% | Asukasluku'). The other rows are not the
municipality's accounts: their figures get entity_scope 'peer', so that nothing reading the city's figures
(comparisons across editions, the report, checks) takes Hämeenlinna's 2 178 €/asukas for a line of Seinäjoki.

A table is a peer comparison when one of its row labels names the document's own municipality and
- its title, the text right above it or a label-column heading names a comparison with other municipalities
  (units lexicon `peer_comparison`: 'verrokkikaupungit', 'vertailukunnat', 'jämförelsekommuner', ...), or
- at least two other row labels name listed municipalities (`extractors/lexicons/*/municipalities.yml`).
In such a table every row but the document's own municipality's is a peer row (other municipalities, their
average 'Keskiarvo', 'Koko maa', 'Riket'). A document whose municipality is not known marks nothing: which
row is its own cannot be told.
"""

from __future__ import annotations

from collections.abc import Iterable

from extractors.lexicon import normalize_label
from extractors.municipalities import known_municipality
from extractors.structure import Structure
from extractors.units import names_peer_comparison
from models import FinanceFigure

PEER = "peer"


def peer_labels(labels: Iterable[str], context: Iterable[str | None], own: str | None,
                language: str | None) -> set[str]:
    """The row labels of a peer comparison table that are not the document's own municipality's; an empty
    set when the table compares no municipalities. `own` is the document's municipality as named ('Seinäjoki'),
    or None when the document names none."""
    labels = list(dict.fromkeys(label for label in labels if label and label.strip()))
    own_key = (known_municipality(own, language) or (normalize_label(own),))[0] if own else None

    def key(label: str) -> str | None:
        known = known_municipality(normalize_label(label, lower=False), language)
        return known[0] if known else None

    keys = {label: key(label) for label in labels}
    own_rows = {label for label, k in keys.items()
                if own_key is not None and (k == own_key or normalize_label(label) == own_key)}
    others = {label for label, k in keys.items() if k is not None and label not in own_rows}
    if own_rows and (len(others) >= 2 or any(names_peer_comparison(text, language) for text in context)):
        return set(labels) - own_rows
    return set()


def mark_peer_rows(figures: list[FinanceFigure], structure: Structure, own: str | None,
                   language: str | None) -> int:
    """Set entity_scope 'peer' on the figures of peer rows of every peer comparison table (the module
    docstring gives the rule); returns how many figures changed."""
    by_table: dict[str, list[FinanceFigure]] = {}
    for figure in figures:
        if figure.entity_scope in (None, "city"):
            by_table.setdefault(figure.table_id, []).append(figure)
    contexts = {ctx.table.table_id: ctx for ctx in structure.tables}
    changed = 0
    for table_id, rows in by_table.items():
        ctx = contexts.get(table_id)
        context: list[str | None] = []
        if ctx is not None:
            context = [ctx.title, *ctx.above[:2],
                       *(cell.text for cell in ctx.table.header if cell.col < max(ctx.table.label_columns, 1))]
        peers = peer_labels((f.line_label for f in rows), context, own, language)
        for figure in rows:
            if figure.line_label in peers:
                figure.entity_scope = PEER  # type: ignore[assignment]
                changed += 1
    return changed
