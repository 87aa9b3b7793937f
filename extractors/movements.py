"""Movement tables of a financial statement's notes: an opening balance, the year's movements and the
closing balance, in every column ('Poistamaton hankintameno 1.1 | Lisäykset tilikauden aikana |
Rahoitusosuudet | Vähennykset tilikauden aikana | Siirrot erien välillä | Tilikauden poisto |
Poistamaton hankintameno 31.12', Kauhava p. 143; 'Eläkevastuu 1.1. | Lisäykset tilikaudella |
Vähennykset tilikaudella | Eläkevastuu 31.12.', p. 141).

The rows' roles come from the `movements` lexicon (opening, closing, increase, decrease, transfer). A
block is an opening row, one or more movement rows right under it and the closing row right under them;
a row of another kind in between (a sub-balance 'Maa-alueet 1.1.' under 'Arvo 1.1.', a line the lexicon
does not know) leaves the block unchecked. The rule (the notes' own arithmetic: closing = opening +
additions − deductions ± transfers − depreciation): closing = opening + Σ |increase| − Σ |decrease| +
Σ transfer (as printed: a transfer's sign is its direction), a blank movement cell being zero. An
increase or decrease is a magnitude whatever its printed sign: tables print deductions both ways, even
in one table ('Siirrot rahastosta 39 525,66' under Konserni, '-60 300,00' under Kunta, Kauhava p. 147).
A column is checked where both its opening and closing balances are printed. Pure: labels or figures
in, blocks or outcomes out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from extractors.derived import Outcome
from extractors.lexicon import classify_any
from extractors.rounding import base_value, fmt, mismatch_finding
from models import FinanceFigure

MOVEMENT_SIGNS = {"increase": 1, "decrease": -1, "transfer": 1}
MAGNITUDES = ("increase", "decrease")
Block = tuple[int, list[int], int]
"""(opening row, movement rows, closing row) as indexes into the labels."""


def movement_role(label: str, language: str | None = None) -> str | None:
    """opening, closing, increase, decrease or transfer (the `movements` lexicon), or None."""
    return classify_any("movements", label, language) if label.strip() else None


def movement_blocks(labels: Sequence[str], language: str | None = None) -> list[Block]:
    """The movement blocks of a table's row labels, in order (see the module docstring)."""
    blocks: list[Block] = []
    opening: int | None = None
    moves: list[int] = []
    for index, label in enumerate(labels):
        role = movement_role(label, language)
        if role == "opening":
            opening, moves = index, []
        elif role in MOVEMENT_SIGNS and opening is not None:
            moves.append(index)
        elif role == "closing" and opening is not None and moves:
            blocks.append((opening, moves, index))
            opening = None
        else:
            opening = None
    return blocks


def movement_sums(figures: list[FinanceFigure]) -> list[Outcome]:
    """Every movement block of one table's money figures, in every column printing both its opening and
    closing balance: the printed closing balance against the opening balance plus the movements (rows
    printing no figure at all are not among the figures: a block needs a movement row with a figure)."""
    labels: dict[int, str] = {}
    cells: dict[tuple[int, int], FinanceFigure] = {}
    for fig in figures:
        labels.setdefault(fig.row_index, fig.line_label)
        cells[(fig.row_index, fig.col_index)] = fig
    rows = sorted(labels)
    blocks = movement_blocks([labels[r] for r in rows])
    columns: dict[int, set[int]] = defaultdict(set)
    for row, col in cells:
        columns[row].add(col)
    outcomes: list[Outcome] = []
    for opening, moves, closing in blocks:
        first, last = rows[opening], rows[closing]
        roles = [movement_role(labels[rows[m]]) or "transfer" for m in moves]
        for col in sorted(columns[first] & columns[last]):
            total, start = cells[(last, col)], cells[(first, col)]
            moved = [(fig, role) for m, role in zip(moves, roles, strict=True)
                     if (fig := cells.get((rows[m], col))) is not None]
            expected = base_value(start) + sum((MOVEMENT_SIGNS[role] * (abs(base_value(fig)) if role in MAGNITUDES
                                                                        else base_value(fig)) for fig, role in moved),
                                               Decimal(0))
            involved = [total, start, *(fig for fig, _ in moved)]
            outcomes.append((involved, mismatch_finding(
                total, involved, "movement", expected,
                f"{total.line_label}: {total.column_label} {fmt(base_value(total))} vs "
                f"{labels[first]} and the movements under it = {fmt(expected)}")))
    return outcomes


def has_movements(figures: list[FinanceFigure]) -> bool:
    """The table's rows hold a movement block: its totals add closing balances, which the chart of lines
    does not describe (its chart sums are not checked)."""
    labels: dict[int, str] = {}
    for fig in figures:
        labels.setdefault(fig.row_index, fig.line_label)
    return bool(movement_blocks([labels[r] for r in sorted(labels)]))
