"""Column-level rules of finance tables, applied after the rows are read: pairs of item and group-total
columns under one heading, budget columns whose lines print their original budget and changes as
sub-rows, and the scale of a balance sheet's second side (extractors.finance reads the rows)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from extractors.lexicon import (
    COMPARISON_KINDS,
    LANGUAGES,
    LineMatch,
    classify_any,
    classify_line,
    column_kind,
    finance_chart,
    heading_years,
    load,
)
from extractors.numbers import is_number, read_number
from extractors.patterns import YEAR
from extractors.scales import PERCENT, Scale, read_scale
from extractors.tablegrid import YEAR_ROWS, row_label
from extractors.units import NAMED_LEVELS, unit_level
from models import FinanceFigure, Table, TableRow

Columns = dict[int, tuple[str, int | None, str, Scale]]
"""col -> (column label, year, figure kind, scale)"""


# The kinds a caption may give the first year of bare-year columns (its later years are plan years).
FIRST_YEAR_KINDS = ("proposal", "budget")


def _subject_years(subject: str, language: str | None) -> tuple[int, set[int]] | None:
    """(budget year, plan years) a budget subject names ('Talousarvio 2025 sekä taloussuunnitelma
    2026-2027': the document lexicon's budget_year and plan_period), None when it names not both."""
    langs = (language,) if language in LANGUAGES else LANGUAGES
    for lang in langs:
        lexicon = load("document", lang)
        budget, period = lexicon.entry("budget_year").matches(subject), lexicon.entry("plan_period").matches(subject)
        if budget and period:
            start, end = int(period.group("start")), int(period.group("end"))
            return int(budget.group("value")), set(range(start, end + 1))
    return None


def bare_year_kinds(labels: list[str], kinds: list[str], years: list[int | None], caption: tuple[str, str] | None,
                    subject: str | None, language: str | None) -> list[str]:
    """Kinds of value columns headed by a bare year ('2025 | 2026 | 2027', kind 'other') in a document that
    is no financial statement, from the table's context; the other kinds as they are.

    - A caption (kind, text) naming a proposal or a budget for the printed years ('Sivistyslautakunnan
      kalustoinvestointiesitys vuosille 2026-2028'): its first year is of that kind, the later years plan.
    - Else the budget subject of the minutes item ('§ 7 Talousarvio 2025 sekä taloussuunnitelma 2026-2027'),
      when the printed years are its budget year and plan years and nothing else: the budget year is a
      budget, the plan years plan (Lapua's board minutes print the approved investments so, p. 16 of
      hyvinvointilautakunta 1/2025).
    Without such evidence the columns stay 'other'."""
    bare = [i for i, (label, kind) in enumerate(zip(labels, kinds, strict=True))
            if kind == "other" and years[i] is not None and YEAR.fullmatch(" ".join(label.split()))]
    if not bare:
        return kinds
    printed = {years[i] for i in bare}
    first: tuple[str, int] | None = None
    if caption is not None and caption[0] in FIRST_YEAR_KINDS:
        named = heading_years(caption[1])
        if named and printed <= set(range(min(named), max(named) + 1)) and min(named) in printed:
            first = (caption[0], min(named))
    if first is None and subject:
        found = _subject_years(subject, language)
        if found is not None and found[0] in printed and printed <= {found[0], *found[1]}:
            first = ("budget", found[0])
    if first is None:
        return kinds
    out = list(kinds)
    for i in bare:
        year = years[i]
        out[i] = first[0] if year == first[1] else ("plan" if year is not None and year > first[1] else out[i])
    return out


def qualifier_kinds(row: TableRow, label: str, label_columns: int, language: str | None) -> dict[int, str]:
    """col -> kind of a qualifier row: a row with no label and no figure whose value cells name a figure
    kind (row_kinds lexicon: 'TP-ennuste' printed in the 'TP-2024' column under Seinäjoki's own row, over
    the peer cities' figures, p. 20): the figures below it in those columns are of that kind. {} for any
    other row."""
    cells = [c for c in row.cells if c.col >= label_columns and c.text.strip()]
    if label or not cells or any(is_number(c.text) for c in cells):
        return {}
    kinds = {c.col: classify_any("row_kinds", c.text, language) for c in cells}
    return {col: kind for col, kind in kinds.items() if kind} if all(kinds.values()) else {}


def amended_columns(figures: list[FinanceFigure]) -> None:
    """In a budget column whose lines print their original budget and changes as sub-rows ('Toimintatulot
    / Alkuperäinen', '/ Kv 22.4. §26 Muutos', '/ Yhteensä': Seinäjoki's 'Talousarvio €'), the column's
    other figures (the Yhteensä rows, Netto) are the budget after the changes: kind budget_amended, as
    a column headed 'TA muutosten jälkeen' is (in place)."""
    with_changes = {(f.table_id, f.col_index) for f in figures if f.figure_kind in ("budget_original", "budget_change")}
    for figure in figures:
        if figure.figure_kind == "budget" and (figure.table_id, figure.col_index) in with_changes:
            figure.figure_kind = "budget_amended"


def subtotal_columns(table: Table, columns: Columns) -> set[int]:
    """Right columns of pairs of value columns under one heading (printed over one of them, none over the
    other) in which rows print figures side by side: the left holds the items, the right each group's
    total on the group's last item row (Seinäjoki's balance sheets, p. 61 and p. 151). A figure of the
    right column on a row that prints one in the left of any pair is no figure of that row's line; the heading
    printed over one column of the pair heads both (its label, year, kind and scale)."""
    named = {col for col, spec in columns.items() if spec[0].strip()}
    found: set[int] = set()
    used: set[int] = set()
    for right in range(table.label_columns + 1, max((c.col for r in table.rows for c in r.cells), default=0) + 1):
        left = right - 1
        if (left in named) == (right in named):
            continue
        if left not in used and _closes_groups(table, left, right):
            found.add(right)
            used |= {left, right}  # a column is in one pair at most: pairs do not overlap
    return found


LEVEL_KINDS = ("budget", "budget_original", "budget_amended", "proposal", "plan", "frame")
"""Budget levels a difference column compares another column with."""


def compared_blank_columns(table: Table, columns: Columns, statement: bool) -> list[int]:
    """Value columns printed without a heading (kind 'other', blank label) that a difference column right of
    them compares with a budget column left of them: on every row (two or more) printing all three, the
    difference is the blank column's figure minus the budget's, or the budget's minus it (Seinäjoki p. 106:
    'Talousarvio € | (blank) | Poikkeama €', 425 769 - 404 800 = 20 969). In a financial statement what is
    compared with the budget is what was realised: such a column becomes 'actual' with the budget column's
    year and scale (in place). Returns the blank value columns left 'other' (no such evidence, or a document
    that is no financial statement), for the caller to warn about."""
    left: list[int] = []
    for col, (label, _, kind, _) in sorted(columns.items()):
        if label.strip() or kind != "other" or col < table.label_columns or \
                not any(figure_at(row, col) for row in table.rows):
            continue
        budget = max((c for c, spec in columns.items() if c < col and spec[2] in LEVEL_KINDS), default=None)
        difference = min((c for c, spec in columns.items() if c > col and spec[2] == "difference"), default=None)
        if budget is None or difference is None or not statement or \
                not _differs_by(table, col, budget, difference):
            left.append(col)
            continue
        columns[col] = (label, columns[budget][1], "actual", columns[budget][3])
    return left


def _differs_by(table: Table, col: int, budget: int, difference: int) -> bool:
    rows = [row for row in table.rows if all(figure_at(row, c) for c in (col, budget, difference))]
    return len(rows) >= 2 and all(
        abs(abs(amount_at(row, col) - amount_at(row, budget)) - abs(amount_at(row, difference))) <= 1 for row in rows)


def _closes_groups(table: Table, left: int, right: int) -> bool:
    """Rows print figures in both columns, and on at least half of them the right figure is the sum of
    the left column's figures since the previous such row (within a unit per item: thousands printed
    rounded). A column without a heading beside a headed one that holds something else (Seinäjoki
    p. 106: an actual printed without its 'Toteutuma €' heading beside 'Talousarvio €') is no pair."""
    closing = held = 0
    items: list[float] = []
    for row in table.rows:
        if figure_at(row, left):
            items.append(amount_at(row, left))
        if figure_at(row, left) and figure_at(row, right):
            closing += 1
            held += abs(sum(items) - amount_at(row, right)) <= max(len(items), 1)
            items = []
    return closing > 0 and 2 * held >= closing


def amount_at(row: TableRow, col: int) -> float:
    """The amount printed in the row's cell in `col` (the caller checks `figure_at` first)."""
    cell = next(c for c in row.cells if c.col == col and is_number(c.text))
    return float(read_number(cell.text).amount)


def figure_at(row: TableRow, col: int) -> bool:
    return any(c.col == col and is_number(c.text) for c in row.cells)


def balance_side_scale(figures: list[FinanceFigure], unscaled: set[str]) -> None:
    """A balance sheet's second side printed without a scale takes its first side's: the table of a
    VASTATTAVAA YHTEENSÄ (total_equity_and_liabilities) that prints no scale, whose printed total equals
    (within a unit) the printed VASTAAVAA YHTEENSÄ of the same year on its page or the page before it,
    printed in thousands ('1 000 €' over the assets only: Kauhava p. 51-52), is in that scale. The two
    totals are equal by definition, so equal printed amounts show the same scale. Rows below the total
    (key figures printed under the balance sheet) keep theirs."""
    assets = [f for f in figures if f.line_key == "total_assets" and f.multiplier not in (None, 1) and f.page]
    for total in [f for f in figures if f.line_key == "total_equity_and_liabilities" and f.table_id in unscaled]:
        same = [a for a in assets if a.year == total.year and 0 <= (total.page or 0) - (a.page or 0) <= 1
                and abs(a.amount - total.amount) <= 1 and a.unit == total.unit]
        if not same or total.multiplier != 1:
            continue
        side = max(same, key=lambda a: a.page or 0)
        for figure in figures:
            if figure.table_id == total.table_id and figure.row_index <= total.row_index and \
                    figure.unit == total.unit and figure.multiplier == 1 and figure.value is not None:
                figure.multiplier = side.multiplier
                figure.value = float(Decimal(str(figure.amount)) * (side.multiplier or 1))


def comparison_columns(labels: list[str], kinds: list[str], years: list[int | None],
                       language: str | None) -> tuple[list[str], list[int | None]]:
    """Columns headed by a unit alone ('€', '%', 'tkr') to the right of two or more columns of different
    years compare them: 'Kaupunki | 2024 | 2023 | € | %' (Seinäjoki p. 56) prints the change in euros
    (kind difference) and in per cent (percent_change), each a figure of the latest year compared, as
    a column headed 'Muutos €' would be. A group heading printed over every column ('Kaupunki') is
    left out when reading each heading. A '%' column right of exactly one column of figures is each
    line's share of that column's total ('Toimintakulujen jakaantuminen | 1 000 € | %', Seinäjoki p. 54):
    kind share, that column's year. A unit-only heading with no year columns before it ('€' over a
    budget caption's table) is left as it is. Returns new (kinds, years) lists."""
    kinds, years = list(kinds), list(years)
    subs = _without_group_words(labels)
    for i, sub in enumerate(subs):
        scale = read_scale(sub, language, "column")
        if scale is None or column_kind(sub, language) is not None or heading_years(sub) or kinds[i] != "other":
            continue
        compared = {years[j] for j in range(i) if years[j] is not None and kinds[j] not in COMPARISON_KINDS}
        if len(compared) >= 2:
            kinds[i] = "percent_change" if scale.unit == PERCENT else "difference"
            years[i] = max(y for y in compared if y is not None)
        elif scale.unit == PERCENT and len(values := [j for j in range(i) if kinds[j] not in COMPARISON_KINDS]) == 1 \
                and years[values[0]] is not None:
            kinds[i], years[i] = "share", years[values[0]]
    return kinds, years


def _without_group_words(labels: list[str]) -> list[str]:
    """The labels without the leading words every one of them shares (a group heading over all columns)."""
    split = [label.split() for label in labels]
    shared = 0
    while split and all(len(words) > shared + 1 and words[shared] == split[0][shared] for words in split):
        shared += 1
    return [" ".join(words[shared:]) for words in split]


def group_heading(table: Table, rows: list[TableRow], index: int, beside: set[int],
                  read: Callable[[TableRow], tuple[str, LineMatch]]) -> tuple[str, LineMatch, str] | None:
    """(label, reading, line path) of the group whose total the row closes in the right column of a pair:
    the nearest row above it, not past the row closing the group before, that prints a label and no figure
    and is a line the closing row's line belongs to in the chart ('I Aineettomat hyödykkeet' over '1.
    Aineettomat oikeudet' and '2. Muut pitkävaikutteiset menot  462  614': 614 is intangible_assets', Seinäjoki
    p. 61; 'TOIMINTAKULUT', not the sub-heading 'Henkilöstökulut', over 'Muut toimintakulut', p. 25). None
    when the lexicon does not know the closing row's line or no such heading stands above it. `read`: a row's
    label and reading (extractors.finance.read_line)."""
    chart = finance_chart()
    ancestors: set[str] = set()
    key = read(rows[index])[1].line_key
    while key is not None and key not in ancestors:
        ancestors.add(key)
        key = chart.parent(key)
    for start in range(index - 1, -1, -1):
        row = rows[start]
        if any(figure_at(row, col) for col in beside):
            return None
        if not any(figure_at(row, c.col) for c in row.cells if c.col >= table.label_columns):
            label, line = read(row)
            if label and line.line_key in ancestors:
                return (label, line, " / ".join([*row.path, label])) if \
                    group_adds_up(rows[start + 1:index + 1], rows[index], beside) else None
    return None


def unnamed_group(rows: list[TableRow], index: int, beside: set[int],
                  read: Callable[[TableRow], tuple[str, LineMatch]]) -> tuple[str, LineMatch, str]:
    """(label, reading, line path) of a group total in the right column of a pair that `group_heading` does
    not name (the lexicon does not know the closing row's line): when two or more item rows since the previous
    total in the pair add up to it, the heading row printed right above its first item, with no figure ('III
    Sijoitukset' over '1. Osakkeet ja osuudet' ... '3. Muut saamiset  44 676,46  173 390 085,48', Seinäjoki
    p. 151), read as a line if the lexicon knows it; without such a heading no label (none is printed for it),
    no line, and as its path the first and last item rows it adds up ('Verotulot … Muut rahoituskulut' for
    'Muut rahoituskulut  -181 597,11  196 783 263,95', p. 25, under '** Toimintakate' which prints figures);
    no path when the items do not add up. Never the closing row's own label: the figure is not that row's."""
    start = index
    while start > 0 and not any(figure_at(rows[start - 1], col) for col in beside):
        start -= 1
    first = next((i for i in range(start, index + 1) if any(figure_at(rows[i], col - 1) for col in beside)), index)
    items = [row for row in rows[first:index + 1] if any(figure_at(row, col - 1) for col in beside)]
    if len(items) < 2 or not group_adds_up(rows[first:index + 1], rows[index], beside):
        return "", LineMatch(None), ""
    heading = rows[first - 1] if first > start else None
    if heading is not None and not any(figure_at(heading, c.col) for c in heading.cells):
        label, line = read(heading)
        if label:
            return label, line, " / ".join([*heading.path, label])
    labels = [read(row)[0] for row in items]
    return "", LineMatch(None), f"{labels[0]} … {labels[-1]}" if all(labels) else ""


def group_adds_up(items: list[TableRow], closing: TableRow, beside: set[int]) -> bool:
    """Each group total the closing row prints is the sum of the item figures left of it on the group's
    rows, within a unit per item (thousands printed rounded): the total is the heading's, not one of a
    wider span ('Muut rahoituskulut  -181 597,11  196 783 263,95': Verotulot and Valtionosuudet above
    'Rahoitustuotot ja -kulut' are in that sum, Seinäjoki p. 25)."""
    for col in (c for c in beside if figure_at(closing, c)):
        parts = [amount_at(r, col - 1) for r in items if figure_at(r, col - 1)]
        if abs(sum(parts) - amount_at(closing, col)) > max(len(parts), 1):
            return False
    return True


def heading_line(table: Table, language: str | None) -> tuple[str, LineMatch] | None:
    """(label, reading) of the finance line a table's first heading cell names when its rows name units,
    one row per board ('Toimintatuotot | TA2024 | TP 2024 | Tot. %' over 'Keskusvaalilautakunta',
    'Tekninen lautakunta', ...: Kauhava p. 123): every figure is of that line, the row names its unit.
    At least half of the labelled rows must be units the units lexicon knows; else None."""
    if not table.header or table.header[0].col != 0 or table.label_columns != 1:
        return None
    label = " ".join(table.header[0].text.split())
    line = classify_line(label, language) if label else None
    if line is None or line.line_key is None:
        return None
    labels = [" ".join(row.cells[0].text.split()) for row in table.rows if row.cells and row.cells[0].col == 0
              and row.cells[0].text.strip()]
    units = sum(1 for text in labels if unit_level(text, language) in NAMED_LEVELS)
    return (label, line) if labels and 2 * units >= len(labels) else None


def row_years(table: Table, rows: list[TableRow]) -> dict[int, int]:
    """index in `rows` -> year, for a table whose rows are years: three or more rows labelled by a bare year
    and nothing else ('2015' ... '2024' under '| 1 000 € | €/as': Seinäjoki's financial statement,
    'Lainamääränkehitys vuosina 2015-2024'; `extractors.tablegrid.year_label_column` moves such labels into
    the label columns). Each figure of such a row is of the row's year, in a column whose heading names
    none. {} for any other table."""
    years = {index: int(label) for index, row in enumerate(rows)
             if YEAR.fullmatch(label := row_label(row, table.label_columns))}
    return years if len(years) >= YEAR_ROWS else {}


def year_row_columns(columns: Columns, year: int) -> Columns:
    """The columns as they hold one year row's figures: a column whose heading names no year is of the
    row's year."""
    return {col: (label, year if printed is None else printed, kind, scale)
            for col, (label, printed, kind, scale) in columns.items()}


def change_row_columns(row: TableRow, label: str, columns: Columns, years: dict[int, int], index: int,
                       language: str | None) -> Columns | None:
    """The columns as they hold the figures of a row under year rows that names a change ('Muutos  6,31 %
    5,58 %' under '2023' and '2024', Seinäjoki's loan table: 611 411 / 575 143 = 1,0631): the change up to
    the latest year above it, kind difference, or percent_change when its figures print '%' (columns
    lexicon: the kind the row's label names). None for any other row."""
    kind = column_kind(label, language) if label else None
    above = [year for at, year in years.items() if at < index]
    if kind not in COMPARISON_KINDS or not above:
        return None
    cells = [c for c in row.cells if c.col in columns and is_number(c.text)]
    percent = bool(cells) and all(read_number(c.text).is_percent for c in cells)
    kind = "percent_change" if percent and kind == "difference" else kind
    return {col: (col_label, max(above) if printed is None else printed, kind, scale)
            for col, (col_label, printed, _, scale) in columns.items()}
