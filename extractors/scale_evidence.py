"""The scale of a finance table that prints none, from the same lines printed elsewhere in the document.

A table with no scale of its own ('Verotulot | 31 902 | 24 420 ...' under headings that name no unit)
takes the document's, which is often wrong: Kauhava's financial statement p. 117 prints its tax revenue
in thousands of euros with no '1 000 €' anywhere on the page, while p. 116 prints the same budget in
euros (31 902 000,00) and the income statement prints the same actual in '1 000 €' (33 595). Read at the
document's scale, every figure of such a table is a thousand times too small, silently.

Rule (evidence, never a guess): the figures of a table without a printed scale are compared with the
figures of tables that print one (or that print cents: '31 902 000,00' is in units whatever the table
says), on the same unit (organisation), line key, year, figure kind and entity scope, and only amounts of
three digits or more (small figures match by chance). A multiplier
m (1, 1 000, 1 000 000) fits a pair when the other figure's value lies within half of the coarser of the
two scales of amount × m (a thousands table rounds). When at least two pairs fit and every pair fits the
same m other than the table's own multiplier, the table's figures are rescaled by it and an info issue
says so; when pairs fit different multipliers, a warning names the table (its scale is in doubt).
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from models import FinanceFigure, PlanDocument

STAGE = "finance"
MULTIPLIERS = (1, 1000, 1_000_000)
MIN_PAIRS = 2
MONEY = ("EUR", "SEK")
CENTS = re.compile(r"\d[.,]\d\d(?!\d)\s*$")  # an amount printed to the cent

MIN_DIGITS = 100  # an amount compared must print three digits or more: small figures match by chance

Key = tuple[str | None, str, int, str, str | None]


def _key(figure: FinanceFigure) -> Key | None:
    if figure.line_key is None or figure.year is None or figure.value is None or figure.unit not in MONEY:
        return None
    return (figure.unit_name, figure.line_key, figure.year, figure.figure_kind, figure.entity_scope)


def _fitting(figure: FinanceFigure, others: list[FinanceFigure]) -> set[int]:
    """The multipliers that make the figure's printed amount one of the other printed values."""
    fits: set[int] = set()
    for other in others:
        if other.unit != figure.unit or other.value is None:
            continue
        if abs(figure.amount) < MIN_DIGITS:
            continue
        for m in MULTIPLIERS:
            slack = 0.5 * max(m, other.multiplier or 1) + 1
            if abs(other.value - figure.amount * m) <= slack:
                fits.add(m)
    return fits


def scale_from_other_tables(doc: PlanDocument, figures: list[FinanceFigure], unscaled: set[str]) -> None:
    """Rescale, in place, the figures of tables in `unscaled` (tables printing no scale of their own)
    whose amounts match the same lines of scaled tables at one multiplier (see the module docstring).
    Records `scale_from_other_tables` (info) or `scale_in_doubt` (warning) issues."""
    printed: dict[Key, list[FinanceFigure]] = defaultdict(list)
    for figure in figures:
        known = figure.table_id not in unscaled or (figure.multiplier == 1 and CENTS.search(figure.printed or ""))
        if known and (key := _key(figure)) is not None:
            printed[key].append(figure)
    by_table: dict[str, list[FinanceFigure]] = defaultdict(list)
    for figure in figures:
        if figure.table_id in unscaled:
            by_table[figure.table_id].append(figure)
    for table_id, own in by_table.items():
        votes: list[set[int]] = []
        for figure in own:
            key = _key(figure)
            if key is not None and printed.get(key) and (fits := _fitting(figure, printed[key])):
                votes.append(fits)
        if len(votes) < MIN_PAIRS:
            continue
        common = set.intersection(*votes)
        current = {f.multiplier or 1 for f in own if f.value is not None and f.unit in MONEY}
        page = own[0].page
        if not common:
            doc.add_issue("scale_in_doubt", STAGE,
                          f"table {table_id} (page {page}) prints no scale, and its lines match the same lines "
                          "of other tables at different scales", severity="warning", page=page)
            continue
        if len(common) != 1 or current != {1}:
            continue
        (m,) = common
        if m == 1:
            continue
        for figure in own:
            if figure.value is not None and figure.unit in MONEY:
                figure.multiplier = m
                figure.value = float(Decimal(str(figure.amount)) * m)
        doc.add_issue("scale_from_other_tables", STAGE,
                      f"table {table_id} (page {page}) prints no scale; {len(votes)} of its figures are the same "
                      f"lines of other tables at × {m}, so its figures are read × {m}", severity="info", page=page)
