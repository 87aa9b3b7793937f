"""Goal table heading rows -> the goal field of each column (`Columns`), as printed or as the table layer
merged them.

A heading cell names one field (`goal_columns` lexicon), or two the table layer merged ('Mittari/mittarit
Nykyarvo': the second is the last word of the cells below; 'Tavoitearvo Toteuma-arvo': two value columns whose
cells cannot be told apart, left unread). Period columns ('TA2024 | TP2024 | TP2023') are values only beside a
goal column (`period_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.goals.columns import GOAL_TEXT_KEYS, column_key, split_header
from extractors.patterns import YEAR
from models import Cell, TableRow

GOAL_KEYS = ("goal", "area_goal", "central_goal")
"""Goal-text columns, the most specific first: the first filled one is the goal's own text."""
INDICATOR_KEYS = frozenset({"indicator", "baseline", "target"})
ASSESSMENT_KEYS = frozenset({"outcome", "status", "progress", "schedule"})
VALUE_KEYS = frozenset({"baseline", "target", "outcome"})
"""Columns of values: one heading cell naming two of them ('Tavoitearvo Toteuma-arvo') holds two columns the
table layer merged, whose cells ('Kyllä Ei', '0 kpl 6 kpl') cannot be told apart: they are left unread."""
PERIOD_KEYS = {"target_period": "target", "outcome_period": "outcome"}
"""Period columns ('TA2024', 'TP2024'): read as values only beside a goal column (`period_columns`)."""
UNREAD = "unread"
"""The key of a column whose cells are known and left out (an earlier year beside the baseline's)."""
MAX_STATUS_CHARS = 3
"""An unheaded cell this short beside an indicator is its printed status (a digit, a letter)."""


@dataclass
class Columns:
    keys: dict[int, str]
    labels: dict[str, str]
    trailing: dict[int, str] = field(default_factory=dict)
    """Column -> the value field a heading cell names after its own ('Mittari/mittarit Nykyarvo': the table
    layer merged the value column into the indicator's); that column's cells end in that value."""


def _text(cell: Cell) -> str:
    return " ".join(cell.text.split())


def styled_heading(cells: list[Cell]) -> bool:
    """Every filled cell set like a heading: bold on one shading."""
    filled = [c for c in cells if _text(c)]
    return bool(filled) and all(c.bold and c.fill for c in filled) and len({c.fill for c in filled}) == 1


def heading_columns(cells: list[Cell], language: str | None) -> Columns | None:
    """The columns a heading row names, or None when a filled cell is not a goal heading (a row set as a
    heading row, bold on one shading, may hold headings the lexicon does not know: their columns stay
    unread)."""
    keys: dict[int, str] = {}
    labels: dict[str, str] = {}
    trailing: dict[int, str] = {}
    periods: dict[int, tuple[str, str]] = {}
    styled = styled_heading(cells)
    for cell in cells:
        text = _text(cell)
        if not text:
            continue
        key = column_key(text, language)
        if key is None and styled:
            continue
        if key is None:
            return None
        parts = split_header(text, language) if len(text.split()) > 1 else ()
        if key in VALUE_KEYS and len(parts) >= 2:
            continue  # 'Tavoitearvo Toteuma-arvo' in one cell: two columns merged, their values stay unread
        if key in PERIOD_KEYS:
            periods[cell.col] = (key, text)
            continue
        labels.setdefault(key, text)
        for col in range(cell.col, cell.col + max(1, cell.span_cols)):
            keys.setdefault(col, key)
        if len(parts) == 2 and parts[0].key == key and parts[1].key in VALUE_KEYS | PERIOD_KEYS.keys():
            labels[key] = parts[0].label
            trailing[cell.col] = PERIOD_KEYS.get(parts[1].key, parts[1].key)
            if parts[1].key in PERIOD_KEYS:
                labels.setdefault(trailing[cell.col], parts[1].label)
    if periods and set(labels) & set(GOAL_KEYS):
        for col, key in period_columns(periods, labels).items():
            keys[col] = key
    return Columns(keys, labels, trailing) if keys else None


def period_columns(periods: dict[int, tuple[str, str]], labels: dict[str, str]) -> dict[int, str]:
    """Column -> field of the period columns beside a goal column ('TA2024 | TP2024 | TP2023 | TP2022'): the
    budget's year is the target; the accounts of the target's year (or the latest) the outcome, those of the
    year before it the baseline; other years stay unread. `labels` gains the printed headings."""
    def year(text: str) -> int | None:
        found = YEAR.search(text)
        return int(found.group(1)) if found else None

    out: dict[int, str] = {}
    target_years = [year(labels["target"])] if "target" in labels else []
    for col, (key, text) in sorted(periods.items()):
        if key == "target_period" and "target" not in labels:
            out[col], labels["target"] = "target", text
            target_years.append(year(text))
    outcomes = {col: year(text) for col, (key, text) in periods.items() if key == "outcome_period"}
    known = [y for y in outcomes.values() if y is not None]
    if not known:
        return out
    latest = next((y for y in target_years if y in known), max(known))
    for col, found in outcomes.items():
        field_key = "outcome" if found == latest else "baseline" if found == latest - 1 else None
        if field_key is not None and field_key not in labels:
            out[col], labels[field_key] = field_key, periods[col][1]
        else:
            out[col] = UNREAD  # an earlier year's figure, not a status digit beside the goal
    return out


def names_goal_columns(columns: Columns | None) -> bool:
    return columns is not None and bool(set(columns.labels) & GOAL_TEXT_KEYS) and len(columns.labels) >= 2


def close_gap(columns: Columns, row: TableRow) -> Columns:
    """Headings gridded one column off: when the heading row leaves a column between two headings
    unnamed, the first data row prints text in that column and only a status-short text (a digit) under
    the last heading, the headings right of the gap name the columns one to the left (the headings of an
    indicator block atop a page, 'Mittari/mittarit | | Nykyarvo | Tavoitearvo | Toteuma-arvo' over
    'text | 6 | 7 | 7 | 1'). Otherwise the columns as they are."""
    cols = sorted(columns.keys)
    texts = {c.col: _text(c) for c in row.cells}
    gaps = [c for c in range(cols[0] + 1, cols[-1]) if c not in columns.keys] if cols else []
    if len(gaps) != 1 or not texts.get(gaps[0]) or not 0 < len(texts.get(cols[-1], "")) <= MAX_STATUS_CHARS:
        return columns
    gap = gaps[0]
    keys = {(c - 1 if c > gap else c): k for c, k in columns.keys.items()}
    return Columns(keys, dict(columns.labels))
