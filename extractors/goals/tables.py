"""Goal tables: an IR table -> goal drafts, whatever subset and order of goal columns it has.

A table is a goal table when a heading row names a goal-text column (goal, central_goal, area_goal,
strategic_goal, indicator) and one more goal column (`goal_columns` lexicon). Its rows are read in
order; each row is one of:
- a heading row: every filled cell is a goal heading; it (re)defines what the columns below hold, so
  tables laid out as stacked blocks ('Talousarviotavoite | Tilannekuvaus ja riskiarvio', then
  'Mittari/mittarit | Nykyarvo | Tavoitearvo | Toteuma-arvo') are read block by block;
- a label row: one heading cell ending in a colon ('Kommentar:'); the next row's text is that field;
- a key-value row: heading cells each followed by its value cell ('Strateginen valinta | <text>');
  an empty value cell leaves the field blank;
- a merged row (one text over the whole width): a strategic goal, or the parent of the goals below
  when it repeats a goal read before (an activity table grouped under its committee goals);
- a data row: a goal text starts a goal (a goal cell of several paragraphs, one blank line apart, starts
  one goal per paragraph: `Cell.paragraph_starts`); indicator cells without a goal text add an indicator to the
  goal above; assessment cells alone complete the goal above. An indicator cell over several value lines, each
  with its own status mark, gives one indicator per line (`stacked_values`).
Goal rows one after another and the indicator block under them form a group: the block belongs to every
goal of the group as printed, or one indicator to each goal when they pair in order (`pairs_in_order`).
Marks drawn in a row (`PageInfo.marks`) belong to that row; a ruled cell that spans several rows
(one mark for two indicators) belongs to each of them.
A table printing only an assessment block ('Arviointi | Tila' over 'Toteutui | Valmis') atop a page completes the
goal read last on the previous page when that goal has no assessment yet (`continues_assessment`).
A table whose first goal rows are indicator rows without a goal of their own goes on with the goal read
last before it when that goal stands on the same or the previous page under the same unit and has no
indicators yet (a goal block cut by a page break: 'Mittari/mittarit | Nykyarvo | ...' atop the next page),
and with every goal printed in that goal's cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.goals.columns import GOAL_TEXT_KEYS, column_key, is_placeholder, leading_label, printed_header
from extractors.goals.cells import VALUE_KEYS, glued_value, pairs_in_order, split_trailing, stacked_values
from extractors.goals.drafts import GoalDraft, Indicator, set_level
from extractors.goals.heads import (ASSESSMENT_KEYS, GOAL_KEYS, INDICATOR_KEYS, MAX_STATUS_CHARS, UNREAD, Columns,
                                   close_gap, heading_columns, names_goal_columns, styled_heading)
from extractors.goals.status import dash_after_status, marks_in
from extractors.layout import join_wrapped
from extractors.link.text import normalise_text
from extractors.patterns import CELL_YEAR
from models import Cell, Mark, PlanDocument, Table, TableRow



@dataclass
class Context:
    """What the rows above say for the goals below: strategic choice and goal, parent goal, unit, section."""

    unit_name: str | None
    section: list[str]
    theme_number: int | None
    theme_title: str | None
    values: dict[str, str | None] = field(default_factory=dict)
    parent: GoalDraft | None = None
    item_index: int = 0
    """Position of the item being read in `PlanDocument.items` (drafts keep it to stay in document order)."""


def _text(cell: Cell) -> str:
    return " ".join(cell.text.split())


def goal_columns(table: Table, language: str | None) -> dict[int, str]:
    """Column index -> goal field of a goal table, from its header or the first heading row of its body
    that names goal columns; {} when the table is no goal table (page pictures label columns with it)."""
    for cells in [table.header, *(row.cells for row in table.rows if not _key_value_pairs(row, language))]:
        columns = heading_columns(cells, language)
        if names_goal_columns(columns):
            return dict(columns.keys)  # type: ignore[union-attr]
    return {}


def is_goal_table(table: Table, language: str | None) -> bool:
    """A heading row (the header or a row of the body) names a goal-text column and one more goal column."""
    if names_goal_columns(heading_columns(table.header, language)):
        return True
    return any(names_goal_columns(heading_columns(row.cells, language)) for row in table.rows
               if not _key_value_pairs(row, language))


def _key_value_pairs(row: TableRow, language: str | None) -> list[tuple[str, str]]:
    """(key, value) of a row of heading cells each followed by a value cell; [] for other rows. A heading
    cell is set apart as one (bold, shaded, or ending in ':'): a plain sentence that begins with a heading
    word ('Tavoitteet toteutuvat | Valmis', an assessment under 'Arviointi | Tila': Kauhava p. 60) is a
    value row."""
    cells = sorted(row.cells, key=lambda c: c.col)
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(cells):
        head = cells[index]
        key = column_key(_text(head), language)
        if key is None or index + 1 >= len(cells) or \
                not (head.bold or head.fill is not None or _text(head).rstrip().endswith(":")):
            return []
        value = _text(cells[index + 1])
        if value and (column_key(value, language) is not None or
                      (cells[index].fill is not None and cells[index + 1].fill == cells[index].fill)):
            return []  # two headings side by side, not a heading and its value
        pairs.append((key, value))
        index += 2
    return pairs


def _merged_text(row: TableRow, width: int) -> str | None:
    """The text of a row printed across the table's width (a merged cell), else None."""
    filled = [c for c in row.cells if _text(c)]
    if row.spanning or (len(filled) == 1 and filled[0].col == 0 and width > 1 and filled[0].span_cols >= width - 1):
        return " ".join(_text(c) for c in filled) or None
    return None


def _width(table: Table) -> int:
    return max([c.col + max(1, c.span_cols) for row in [*table.rows] for c in row.cells] + [len(table.header)])


class _Reader:
    def __init__(self, doc: PlanDocument, table: Table, context: Context, drafts: list[GoalDraft]) -> None:
        self.doc = doc
        self.table = table
        self.context = context
        self.drafts = drafts
        self.language = doc.language
        self.columns: Columns | None = heading_columns(table.header, self.language)
        self.current: GoalDraft | None = None
        self.pending_label: str | None = None
        self.spanned: dict[int, tuple[int, str, str, list[Mark]]] = {}
        box = table.prov.bbox
        self.x_range = (box.x0, box.x1) if box else None
        self.out: list[GoalDraft] = []
        self.width = _width(table)
        self.last_heading = False
        self.group: list[GoalDraft] = []
        """Goals of the block being read (goal rows one after another, before their indicator rows)."""
        self.block: list[GoalDraft] = []
        """The goals of the indicator rows being read, when a group of goals shares one indicator block."""

    def new_draft(self, values: dict[str, str], row: TableRow, marks: list[Mark]) -> GoalDraft:
        ctx = self.context
        draft = GoalDraft(unit_name=ctx.unit_name, section=list(ctx.section), theme_number=ctx.theme_number,
                          theme_title=ctx.values.get("strategic_choice") or ctx.theme_title,
                          page=row.prov.page, line=row.prov.line, bbox=row.prov.bbox, parent=ctx.parent,
                          marks=marks, item_index=ctx.item_index)
        for key in ("strategic_goal", "responsible", "actions", "schedule"):
            if ctx.values.get(key):
                draft.values[key] = ctx.values[key] or ""
        draft.values.update(values)
        goal_key = next(k for k in GOAL_KEYS if values.get(k))
        set_level(draft, self.columns.labels.get(goal_key) if self.columns else None, self.language)
        self.current = draft
        self.out.append(draft)
        return draft

    def row_marks(self, row: TableRow) -> list[Mark]:
        return marks_in(self.doc, row.prov.page, row.prov.bbox, self.x_range)

    def data_row(self, row: TableRow) -> None:
        assert self.columns is not None
        self.columns = close_gap(self.columns, row)
        values: dict[str, str] = {}
        value_lines: dict[str, list[str]] = {}
        unheaded: list[Cell] = []
        for cell in sorted(row.cells, key=lambda c: c.col):
            text = _text(cell)
            key = self.columns.keys.get(cell.col)
            if key == UNREAD:
                continue
            if key is None or (key in values and text):
                if text:
                    unheaded.append(cell)  # a cell beside the heading's own one: a printed status digit
                continue
            if key in ("outcome", "status") and cell.lines:
                text = dash_after_status(cell.lines, self.language) or text  # 'Toteutuu-' / 'Quick ratio 2,6'
            if text and cell.col in self.columns.trailing:
                text = split_trailing(text, self.columns.trailing[cell.col], values)
            if text:
                values[key] = text
                if key in VALUE_KEYS and len(cell.lines) > 1:
                    value_lines[key] = cell.lines
        for key, lines in value_lines.items():
            values[key] = glued_value(lines, [values.get(k, "") for k in VALUE_KEYS if k != key]) or values[key]
        values = self.with_year(values)
        if "indicator_target" in values:
            indicator, _, target = values.pop("indicator_target").partition(":")
            values["indicator"] = indicator.strip()
            if target.strip():
                values.setdefault("target", target.strip())
        marks = self.row_marks(row)
        status_cells = [c for c in unheaded if len(_text(c)) <= MAX_STATUS_CHARS]
        if status_cells and "status" not in values:
            values["status"] = " ".join(_text(c) for c in status_cells)
        marks, values = self.spanning_cells(row, marks, values, status_cells)
        stacked = stacked_values({k: value_lines.get(k, [values[k]]) for k in VALUE_KEYS if values.get(k)},
                                 [line for c in status_cells for line in (c.lines or [_text(c)])], len(marks)) \
            if "indicator" in values and not self.spanned else []
        has_goal = any(values.get(k) and not is_placeholder(values[k]) for k in GOAL_KEYS)
        has_indicator = bool(INDICATOR_KEYS & values.keys())
        if has_goal:
            self.share_block()
            goal_values = {k: v for k, v in values.items() if not (has_indicator and k in ASSESSMENT_KEYS)
                           and k not in INDICATOR_KEYS}
            goal_key = next(k for k in GOAL_KEYS if values.get(k) and not is_placeholder(values[k]))
            for text in _paragraphs_of(row, self.columns, goal_key) or [goal_values[goal_key]]:
                draft = self.new_draft({**goal_values, goal_key: text}, row, [] if has_indicator else marks)
                self.group.append(draft)
            if has_indicator:
                self.group = []
                draft.indicators += self.indicators(values, row, marks, stacked)
        elif has_indicator and (self.current is not None or self.continued() is not None):
            current = self.current or self.continued()
            assert current is not None
            if self.current is None:
                self.group = self.continued_group(current) or [current]
                current = self.group[-1]
            self.current = current
            if self.group and current is self.group[-1]:
                self.block, self.group = self.group, []
            current.indicators += self.indicators(values, row, marks, stacked)
        elif values and (self.current is not None or self.continued_assessment(values) is not None):
            current = self.current or self.continued_assessment(values)
            assert current is not None
            self.current = current
            for key, value in values.items():
                current.values.setdefault(key, value)
            current.marks += marks

    def continued(self) -> GoalDraft | None:
        """The goal this table's leading indicator rows go on with (see the module docstring), or None."""
        if self.out or not self.drafts:
            return None
        last = max(self.drafts, key=lambda d: d.item_index)
        page = self.table.prov.page
        if last.indicators or last.page is None or page is None or not 0 <= page - last.page <= 1:
            return None
        if last.unit_name != self.context.unit_name or last.item_index >= self.context.item_index:
            return None
        return last

    def continued_assessment(self, values: dict[str, str]) -> GoalDraft | None:
        """The goal an assessment block atop this page completes ('Arviointi | Tila' over 'Toteutui | Valmis',
        Kauhava p. 67, under the goal block p. 66 ended): the goal read last, on the previous page, under the
        same unit, with no assessment of its own or of its indicators yet; None otherwise."""
        if self.out or not self.drafts or not values or not set(values) <= ASSESSMENT_KEYS:
            return None
        last = max(self.drafts, key=lambda d: d.item_index)
        page = self.table.prov.page
        if last.page is None or page is None or page - last.page != 1 or last.unit_name != self.context.unit_name:
            return None
        assessed = [last.values, *(i.values for i in last.indicators)]
        if last.item_index >= self.context.item_index or any(ASSESSMENT_KEYS & v.keys() for v in assessed):
            return None
        return last

    def continued_group(self, last: GoalDraft) -> list[GoalDraft]:
        """The goals read from the same row as `last` (several goals of one cell) with no indicators yet: the
        group the indicator block atop the next page belongs to."""
        return [d for d in self.drafts if d.item_index == last.item_index and d.page == last.page
                and d.bbox == last.bbox and not d.indicators]

    def with_year(self, values: dict[str, str]) -> dict[str, str]:
        if values.get("baseline") and not is_placeholder(values["baseline"]) and self.columns is not None:
            values["baseline"] = _with_year(values["baseline"], self.columns.labels.get("baseline"))
        return values

    def indicators(self, values: dict[str, str], row: TableRow, marks: list[Mark],
                   stacked: list[dict[str, str]]) -> list[Indicator]:
        """The row's indicator, or one per value line when its values stack under one indicator cell
        (`stacked_values`: the i-th line of each value cell with the i-th status mark from the top)."""
        if not stacked:
            return [self.indicator(values, row, marks)]
        ordered = sorted(marks, key=lambda m: m.bbox.top)
        return [self.indicator(self.with_year({**values, **line}), row, [mark])
                for line, mark in zip(stacked, ordered, strict=True)]

    def indicator(self, values: dict[str, str], row: TableRow, marks: list[Mark]) -> Indicator:
        return Indicator(values={k: v for k, v in values.items() if k in INDICATOR_KEYS | ASSESSMENT_KEYS},
                         marks=marks, page=row.prov.page, bbox=row.prov.bbox)

    def spanning_cells(self, row: TableRow, marks: list[Mark], values: dict[str, str],
                       status_cells: list[Cell]) -> tuple[list[Mark], dict[str, str]]:
        """A ruled cell beside several rows (span_rows > 1) gives its value and marks to each of them (one
        status mark, one outcome for two indicators)."""
        for col, (left, key, text, shared) in list(self.spanned.items()):
            if left <= 0:
                del self.spanned[col]
                continue
            self.spanned[col] = (left - 1, key, text, shared)
            if not marks:
                marks = list(shared)
            if text and key not in values:
                values[key] = text
        for cell in row.cells:
            if cell.span_rows > 1:
                key = "status" if cell in status_cells else (self.columns.keys.get(cell.col) if self.columns else None)
                if key in GOAL_KEYS:
                    continue  # a goal beside several indicator rows: the rows below are its indicators
                if key is not None or not _text(cell):
                    self.spanned[cell.col] = (cell.span_rows - 1, key or "status", _text(cell), marks)
        return marks, values

    def read(self) -> list[GoalDraft]:
        for row in self.table.rows:
            self.row(row)
        self.share_block()
        return self.out

    def share_block(self) -> None:
        """The indicator rows read under a group of goals (several goal rows, then one 'Mittari/mittarit' block)
        belong to every goal of the group, as printed; when the block has one indicator per goal and each pairs
        in order with its goal by a shared word stem, one each (see `_pairs_in_order`)."""
        goals, self.block = self.block, []
        if len(goals) < 2 or not goals[-1].indicators:
            return
        indicators = goals[-1].indicators
        if pairs_in_order([g.text() or "" for g in goals], [i.values.get("indicator") or "" for i in indicators]):
            for goal, indicator in zip(goals, indicators, strict=True):
                goal.indicators = [indicator]
            return
        for goal in goals:
            goal.indicators = list(indicators)

    def row(self, row: TableRow) -> None:
        language = self.language
        filled = [c for c in row.cells if _text(c)]
        if not filled:
            return
        if self.pending_label is not None and self.current is not None:
            self.current.values[self.pending_label] = " ".join(_text(c) for c in filled)
            self.pending_label = None
            return
        label = leading_label(_text(filled[0]), language) if len(filled) == 1 else None
        if label is not None and self.current is not None and label[0] not in GOAL_TEXT_KEYS:
            if label[2]:
                self.current.values[label[0]] = label[2]  # 'Kommentar: <text>' in one cell
            else:
                self.pending_label = label[0]  # 'Kommentar:' over the text
            return
        pairs = _key_value_pairs(row, language)
        columns = None if pairs else heading_columns(row.cells, language)
        if pairs or (columns is not None and set(columns.labels) & set(GOAL_KEYS)):
            self.share_block()  # a new goal block: the goals above are no group of the goals below
            self.group = []
        if pairs:
            for key, value in pairs:
                self.context.values[key] = value or None
            return
        if columns is not None:
            self.columns = columns
            self.last_heading = True
            return
        if self.last_heading and styled_heading(row.cells) and self.columns is not None:
            for cell in filled:  # a second heading line ('2022 | 2024 | 2024' under the headings)
                key = self.columns.keys.get(cell.col)
                if key is not None:
                    self.columns.labels[key] = f"{self.columns.labels[key]} {_text(cell)}"
            return
        self.last_heading = False
        merged = _merged_text(row, self.width)
        if merged is not None and not (self.columns and len(self.columns.labels) == 1):
            self.share_block()
            self.group = []
            parent = earlier_goal(self.drafts + self.out, merged)
            if parent is not None:
                self.context.parent = parent
            else:
                self.context.values["strategic_goal"] = merged
                self.context.parent = None
            return
        if self.columns is not None:
            self.data_row(row)


def _paragraphs_of(row: TableRow, columns: Columns | None, key: str) -> list[str]:
    """The paragraphs of the row's `key` cell when it prints several, one blank line apart (several goals in
    one goal cell); [] otherwise."""
    cell = next((c for c in row.cells if columns and columns.keys.get(c.col) == key and _text(c)), None)
    if cell is None or not cell.paragraph_starts or not cell.lines:
        return []
    bounds = [0, *cell.paragraph_starts, len(cell.lines)]
    parts = [join_wrapped(cell.lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [" ".join(p.split()) for p in parts if p.strip()]


def _with_year(value: str, label: str | None) -> str:
    """A baseline with the year its column's heading prints ('Lähtötaso /toteuma' over '2022', Seinäjoki p. 130:
    '85' -> '85 (2022)'; 'TP2023' -> '123,8 (TP2023)', as a cell printing its year reads '4 970 (TP2022)'); as
    printed when the heading names no single year, or the value prints one or no figure at all."""
    printed = {w.strip("()/,") for w in (label or "").split() if CELL_YEAR.search(w)}
    if len(printed) != 1 or CELL_YEAR.search(value) or not any(c.isdigit() for c in value):
        return value  # no single year, a value printing its own, or words ('Hyvä', 'n/a', 'Kyllä')
    return f"{value} ({printed.pop()})"


def earlier_goal(drafts: list[GoalDraft], text: str) -> GoalDraft | None:
    """The last goal read whose text is `text` (normalised): the parent a group row repeats."""
    key = normalise_text(text)
    return next((d for d in reversed(drafts) if d.text() and normalise_text(d.text()) == key), None)


def continues_assessment(table: Table, language: str | None) -> bool:
    """The table's heading row (its header or its first filled row, set as a heading) names assessment
    columns only ('Arviointi | Tila'): the assessment of a goal block a page break cut off (`continued_assessment`)."""
    first = next((row.cells for row in table.rows if any(_text(c) for c in row.cells)), [])
    for cells in (table.header, first):
        if any(_text(c) for c in cells):
            columns = heading_columns(cells, language)
            return columns is not None and (cells is table.header or styled_heading(cells)) and \
                set(columns.labels) <= ASSESSMENT_KEYS
    return False


def printed_columns(table: Table, lines: list[str], language: str | None) -> Columns | None:
    """The columns of a table with no heading row of its own, from the heading lines printed right above it
    (`printed_header`; the table layer read them as a heading, Seinäjoki pp. 137-141): its i-th label heads
    its i-th column; None unless they name goal columns and no more columns than the table has."""
    if any(_text(c) for c in table.header):
        return None
    parts = printed_header(lines, language)
    columns = Columns({i: p.key for i, p in enumerate(parts)}, {})
    years = next((line.split() for line in lines[1:] if line.split() and len(line.split()) <= len(parts)
                  and all(CELL_YEAR.fullmatch(w) for w in line.split())), [])
    for index, part in enumerate(parts):  # a line of years ('2022 2024 2024') stands under the last labels
        year = years[index - len(parts) + len(years)] if index >= len(parts) - len(years) else ""
        columns.labels.setdefault(part.key, f"{part.label} {year}".strip())
    if len(parts) != len(columns.labels) or len(parts) > _width(table) or not names_goal_columns(columns):
        return None
    return columns


def read_goal_table(doc: PlanDocument, table: Table, context: Context, drafts: list[GoalDraft],
                    columns: Columns | None = None) -> list[GoalDraft]:
    """The goals of one goal table (any columns, stacked blocks); `drafts` are the goals read before it;
    `columns` those printed above a table without a heading row (`printed_columns`)."""
    reader = _Reader(doc, table, context, drafts)
    reader.columns = reader.columns or columns
    return [d for d in reader.read() if d.is_goal()]
