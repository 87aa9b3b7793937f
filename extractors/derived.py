"""Derived columns and rows of one finance table: figures computed from other figures of the same table.

- A difference or change column ('Poikkeama', 'Ero raamiin', 'Muutos €', 'TA muutokset') is one column
  minus another on every row. Which two, and how the column prints the rows of reducing lines, is found
  from the table itself: the ordered pair of its other columns and the reading that explain the most rows
  (within rounding). Readings: *as printed* (every row a − b), or *reducing lines reversed* (a row of a
  reducing line prints b − a: a cost under budget is a positive deviation, a cost increase a positive
  change; rows of lines the lexicon does not know may then print either). A rule that explains at least
  two rows and more than half of the rows printing all three figures is the column's; the rows it does
  not explain are mismatches. Without such a rule the heading may still say which two columns a
  difference ('Poikkeama', 'Muutos €', a bare '€' after two years) compares: the two level columns printed
  between it and the previous change or total column, when there are exactly two ('2024 | 2023 | €',
  Seinäjoki p. 56, where two of the four rows print a wrong difference). Its orientation and reading are
  then the ones explaining most rows, and at least one row printing a difference other than zero must hold;
  every other row is checked against it. Otherwise (the difference is against something not printed)
  nothing is checked.
- A change column that repeats a change column left of it on every row it prints (a carry-over
  'Lisämääräraha 2025 €' printing the 'Käyttämättä 2024 €' sums again) is checked as that copy: the
  arithmetic of the sums is found once, in the column that computes them.
- A total column ('Yhteensä', 'Total utgift') is the sum of the level columns left of it (since the
  previous total column) on every row; a blank cell is zero there. The same majority rule applies.
- A line printed as its original budget, its changes and its total ('Alkuperäinen', 'Kv 22.4. §26
  Muutos', 'Yhteensä' under one heading): the total is the original plus the changes.

The chart sums of a column whose rule holds are not checked again: they follow from those of the columns
it is computed from (each arithmetic fact is checked once). Pure: figures in, outcomes out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property
from decimal import Decimal

from extractors.lexicon import LANGUAGES, classify_any, load
from extractors.hierarchy import CHANGE_KINDS, NOT_SUMMED_KINDS, reducing_lines
from extractors.numbers import worked_result
from extractors.rounding import base_value, fmt, mismatch_finding, within_rounding
from models import FinanceFigure, ValidationFinding

Outcome = tuple[list[FinanceFigure], ValidationFinding | None]
"""The figures a check covered and its finding (None when it held exactly)."""
TOTAL_KINDS = ("total",)
# Columns a total column adds up: levels of one year (not changes, percentages, totals, cumulative sums).
LEVEL_EXCLUDED = (*CHANGE_KINDS, *NOT_SUMMED_KINDS, *TOTAL_KINDS, "cumulative")
CLOSING_KINDS = ("budget", "budget_amended")
AS_PRINTED, REVERSED = "as printed", "reducing lines reversed"
# Columns whose heading names a level a difference can compare (not 'other': a column without a known
# heading, nor 'mixed': sub-rows of several kinds).
HEADED_LEVELS = ("actual", "budget", "budget_original", "budget_amended", "proposal", "plan", "frame", "forecast")


@dataclass(frozen=True)
class Trio:
    derived: FinanceFigure
    first: FinanceFigure
    second: FinanceFigure

    @cached_property
    def values(self) -> tuple[Decimal, Decimal, Decimal]:
        """base_value of derived, first and second, read once: a column's rules are tried on every pair of
        columns in both readings, each asking for the values several times."""
        return base_value(self.derived), base_value(self.first), base_value(self.second)

    def expected(self, reading: str) -> Decimal:
        derived, first, second = self.values
        plain = first - second
        if reading == AS_PRINTED:
            return plain
        key = self.derived.line_key
        if key is None:  # a line the lexicon does not know: either orientation
            return min((plain, -plain), key=lambda e: abs(derived - e))
        return -plain if key in reducing_lines() else plain

    def holds(self, reading: str) -> bool:
        d = self.derived
        return within_rounding(self.values[0] - self.expected(reading), d, [d, self.first, self.second])


def _cells(figures: list[FinanceFigure]) -> tuple[dict[int, dict[int, FinanceFigure]], dict[int, str]]:
    """col -> row -> figure, and col -> its kind: the kind all its figures have, 'mixed' when sub-rows
    give some of them another (an 'Alkuperäinen' or 'Muutos' sub-row under a budget heading). Shares and
    figures printed as their own worked calculation (`extractors.numbers.worked_result`) are left out."""
    cells: dict[int, dict[int, FinanceFigure]] = defaultdict(dict)
    kinds: dict[int, set[str]] = defaultdict(set)
    for fig in figures:
        if fig.figure_kind in NOT_SUMMED_KINDS or worked_result(fig.printed or "") is not None:
            continue  # a figure printed with its own calculation ('86 500 ... -90 000 = -3 500') is checked by it
        cells[fig.col_index].setdefault(fig.row_index, fig)
        kinds[fig.col_index].add(fig.figure_kind)
    return cells, {col: next(iter(k)) if len(k) == 1 else "mixed" for col, k in kinds.items()}


def _established(explained: int, rows: int) -> bool:
    return explained >= 2 and explained * 2 > rows


def difference_columns(figures: list[FinanceFigure]) -> tuple[list[Outcome], set[int]]:
    """Outcomes of every difference or change column whose rule the table shows, and those columns."""
    cells, kinds = _cells(figures)
    outcomes: list[Outcome] = []
    derived: set[int] = set()
    for column, rows in cells.items():
        if kinds[column] not in CHANGE_KINDS:
            continue
        if (source := _repeated(column, cells, kinds)) is not None:  # its arithmetic is checked there
            derived.add(column)
            outcomes += [([rows[r], cells[source][r]], None) for r in sorted(rows) if r in cells[source]]
            continue
        # the rule explaining most rows; of equal ones, the one whose unexplained rows miss by least;
        # then the plain reading and the first pair
        best: tuple[tuple[int, Decimal], str, list[Trio]] = ((0, Decimal(0)), AS_PRINTED, [])
        pairs = {(first, second): [Trio(rows[r], cells[first][r], cells[second][r]) for r in sorted(rows)
                                   if r in cells[first] and r in cells[second]]
                 for first in cells for second in cells if len({first, second, column}) == 3}
        for reading in (AS_PRINTED, REVERSED):
            for trios in pairs.values():  # the same trios in both readings: their values are read once
                held = [t.holds(reading) for t in trios]
                missed = sum((abs(t.values[0] - t.expected(reading))
                              for t, ok in zip(trios, held, strict=True) if not ok), Decimal(0))
                score = (sum(held), -missed)
                if score > best[0]:
                    best = (score, reading, trios)
        (explained, _), reading, trios = best
        if not _established(explained, len(trios)):
            reading, trios = _by_heading(column, cells, kinds)
            if not trios:
                continue
        derived.add(column)
        for trio in trios:
            d, a, b = trio.derived, trio.first, trio.second
            expected = trio.expected(reading)
            note = f" (read {reading})" if reading != AS_PRINTED else ""
            finding = mismatch_finding(
                d, [d, a, b], "difference_column", expected,
                f"{d.line_label}: {d.column_label} {fmt(base_value(d))} vs {a.column_label} − "
                f"{b.column_label} = {fmt(expected)}{note}")
            if finding is not None:
                finding = finding.model_copy(update={"row_index": d.row_index, "col_index": d.col_index})
            outcomes.append(([d, a, b], finding))
    return outcomes, derived


def _repeated(column: int, cells: dict[int, dict[int, FinanceFigure]], kinds: dict[int, str]) -> int | None:
    """The change column left of `column` whose figures it repeats on every row both print (more than half
    of its rows, at least two of them not zero; a total row only it prints is left to `total_rows`): a
    carry-over column printing the unused sums again ('Käyttämättä 2024 €' 286 000 |
    'Lisämääräraha 2025 €' 286 000 on every row, Lapua tekninen lautakunta 28.1.2025 pp. 20-21). A wrong
    unused sum is then one source error, found once in the column that computes it, not again in its copy."""
    rows = cells[column]
    for other in sorted(c for c in cells if c < column and kinds[c] in CHANGE_KINDS):
        shared = [r for r in rows if r in cells[other]]
        if 2 * len(shared) > len(rows) and sum(1 for r in shared if base_value(rows[r]) != 0) >= 2 and \
                all(base_value(rows[r]) == base_value(cells[other][r]) for r in shared):
            return other
    return None


def _by_heading(column: int, cells: dict[int, dict[int, FinanceFigure]],
                kinds: dict[int, str]) -> tuple[str, list[Trio]]:
    """(reading, row checks) of a difference column whose heading fixes the two columns it compares: the
    level columns between it and the previous change or total column, when exactly two and both headed as
    a level (`HEADED_LEVELS`). Of the two orders
    and the two readings, the one explaining most rows, if it explains a row printing a difference other
    than zero; else no checks (the column compares something not printed)."""
    if kinds[column] != "difference":
        return AS_PRINTED, []
    previous = max((c for c in cells if c < column and kinds[c] in (*CHANGE_KINDS, *TOTAL_KINDS)), default=-1)
    levels = [c for c in sorted(cells) if previous < c < column and kinds[c] not in LEVEL_EXCLUDED]
    if len(levels) != 2 or any(kinds[c] not in HEADED_LEVELS for c in levels):
        return AS_PRINTED, []
    rows = cells[column]
    best: tuple[int, str, list[Trio]] = (0, AS_PRINTED, [])
    for reading in (AS_PRINTED, REVERSED):
        for first, second in (levels, levels[::-1]):
            trios = [Trio(rows[r], cells[first][r], cells[second][r]) for r in sorted(rows)
                     if r in cells[first] and r in cells[second]]
            explained = sum(1 for t in trios if base_value(t.derived) != 0 and t.holds(reading))
            if explained > best[0]:
                best = (explained, reading, trios)
    return best[1], best[2]


def total_columns(figures: list[FinanceFigure]) -> tuple[list[Outcome], set[int]]:
    """Outcomes of every total column that adds up the level columns left of it, and those columns."""
    cells, kinds = _cells(figures)
    outcomes: list[Outcome] = []
    derived: set[int] = set()
    start = 0
    for column in sorted(cells):
        if kinds[column] not in TOTAL_KINDS:
            continue
        parts = [c for c in sorted(cells) if start <= c < column and kinds[c] not in LEVEL_EXCLUDED]
        start = column + 1
        checks = []
        for row, total in sorted(cells[column].items()):
            printed = [cells[c][row] for c in parts if row in cells[c]]
            if printed:
                checks.append((total, printed, sum((base_value(f) for f in printed), Decimal(0))))
        explained = sum(1 for t, p, e in checks if within_rounding(base_value(t) - e, t, [t, *p]))
        if len(parts) < 2 or not _established(explained, len(checks)):
            continue
        derived.add(column)
        for total, printed, expected in checks:
            message = (f"{total.line_label}: {total.column_label} {fmt(base_value(total))} vs sum of "
                       f"{', '.join(f.column_label for f in printed)} = {fmt(expected)}")
            severity = "error"
            if is_whole_cost(total.column_label) and _beyond(base_value(total), expected):
                severity = "info"
                message += "; a project's whole cost also holds spending outside the printed years"
            outcomes.append(([total, *printed], mismatch_finding(total, [total, *printed], "total_column", expected,
                                                                 message, severity=severity)))
    return outcomes, derived


@cache
def _whole_cost_words() -> tuple[str, ...]:
    return tuple(w for lang in LANGUAGES for w in load("columns", lang).words("whole_cost"))


def is_whole_cost(column_label: str) -> bool:
    """A heading of a project's whole cost ('Total utgift', 'Kokonaiskustannusarvio'; columns.yml
    `whole_cost`): its total may exceed the printed years, never fall short of them."""
    label = column_label.lower()
    return any(word in label for word in _whole_cost_words())


def _beyond(actual: Decimal, expected: Decimal) -> bool:
    """The total goes further than the sum in the sum's direction (more spending, never less)."""
    return abs(actual) > abs(expected) and (expected == 0 or (actual > 0) == (expected > 0))


def budget_changes(figures: list[FinanceFigure]) -> list[Outcome]:
    """Original budget + changes = the total printed after them, in each column (sub-rows of one line)."""
    outcomes: list[Outcome] = []
    columns: dict[int, list[FinanceFigure]] = defaultdict(list)
    for fig in figures:
        columns[fig.col_index].append(fig)
    for column_figures in columns.values():
        run: list[FinanceFigure] = []
        for fig in sorted(column_figures, key=lambda f: f.row_index):
            if fig.figure_kind == "budget_original":
                run = [fig]
            elif fig.figure_kind == "budget_change" and run:
                run.append(fig)
            elif fig.figure_kind in CLOSING_KINDS and run:
                expected = sum((base_value(f) for f in run), Decimal(0))
                outcomes.append(([fig, *run], mismatch_finding(
                    fig, [fig, *run], "budget_changes", expected,
                    f"{fig.line_label}: {fig.column_label} {fmt(base_value(fig))} vs "
                    f"{' + '.join(f.line_label for f in run)} = {fmt(expected)}")))
                run = []
            else:
                run = []
    return outcomes


def is_total_label(label: str) -> bool:
    """'Yhteensä', 'Myyntivoitot yhteensä', 'Summa intäkter', 'Totalt': a total word of the row-kinds
    lexicon as the label's first or last word."""
    words = label.split()
    return bool(words) and any(classify_any("row_kinds", w) == "total" for w in {words[0], words[-1]})


def _restates(total: FinanceFigure, rows: list[FinanceFigure]) -> bool:
    """The total repeats a figure printed among the rows it would close: a reconciliation's closing row, not a
    sum ('Erotus  2 727' then 'Täsmäytys' / 'Muut maksuvalmiuden muutokset  -5 946' / 'Kassavarojen muutos
    -3 220' / 'Yhteensä  2 727', Seinäjoki p. 67: the rows after the difference explain it with their signs
    turned, they do not add up to it)."""
    return any(f.row_index < total.row_index and base_value(f) == base_value(total) for f in rows)


def total_rows(figures: list[FinanceFigure], covered: set[int]) -> list[Outcome]:
    """A total row of a line the lexicon does not know ('Yhteensä', 'Myyntivoitot yhteensä') is the sum
    of the rows above it back to the previous total row (at least two), in every column; a grand total
    after subtotals may instead be the sum of every row above it that is not a total, and a group's total
    the previous total (a subtotal inside the group) plus the rows after it. Checked when that
    holds in at least two places and in more than half of the table's total rows and columns; totals
    already checked as a budget line's original + changes (`covered`, ids) are left out."""
    labels = {f.row_index: f.line_label for f in figures}
    boundaries = sorted(r for r, label in labels.items() if is_total_label(label))
    checks: list[tuple[FinanceFigure, list[FinanceFigure], Decimal]] = []
    for fig in figures:
        if fig.row_index not in boundaries or fig.line_key is not None or id(fig) in covered \
                or fig.figure_kind in NOT_SUMMED_KINDS:
            continue
        previous = max((b for b in boundaries if b < fig.row_index), default=-1)
        above = [f for f in figures if f.col_index == fig.col_index and f.row_index < fig.row_index
                 and not f.is_memo and f.figure_kind not in NOT_SUMMED_KINDS]
        since = [f for f in above if f.row_index > previous]
        subtotal = [f for f in above if f.row_index == previous]
        # a group's total after a subtotal inside it ('Rakennukset yhteensä' and the rows after it make
        # 'Tekninen lautakunta yhteensä', Kauhava p. 120) adds that subtotal and the rows after it
        options = [since, [f for f in above if f.row_index not in boundaries], subtotal + since]
        sums = [(parts, sum((base_value(f) for f in parts), Decimal(0))) for parts in options if len(parts) >= 2]
        if len(options[0]) >= 2:  # a total right under another (a one-line group) is not checked
            parts, expected = min(sums, key=lambda s: abs(base_value(fig) - s[1]))
            if not within_rounding(base_value(fig) - expected, fig, [fig, *parts]) and _restates(fig, since):
                continue
            checks.append((fig, parts, expected))
    explained = sum(1 for t, p, e in checks if within_rounding(base_value(t) - e, t, [t, *p]))
    if not _established(explained, len(checks)):
        return []
    return [([total, *parts], mismatch_finding(
        total, [total, *parts], "total_row", expected,
        f"{total.line_label}: {total.column_label} {fmt(base_value(total))} vs sum of the {len(parts)} rows "
        f"above it = {fmt(expected)}")) for total, parts, expected in checks]
