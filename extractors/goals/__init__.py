"""Goals stage: goal tables and goal lists of a PlanDocument -> one Goal row per goal and indicator.

Walks the document's items in order, keeping the heading path above each item (`section`), the
theme and the unit, and hands tables to the table readers (`tables.py`, `legacy.py`) and blocks to
the list reader (`lists.py`). Status marks come from the pages' marks (`status.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.goals.columns import column_key, leading_label, level_of, split_header
from extractors.goals.drafts import GoalDraft, to_goals
from extractors.goals.legacy import LegacyState, legacy_columns, read_legacy_table
from extractors.goals.lists import ListReader
from extractors.goals.tables import (Context, continues_assessment, goal_columns as goal_columns, is_goal_table,
                                    printed_columns, read_goal_table)
from extractors.layout import is_theme_heading
from extractors.lexicon import classify_any, match_prefixed
from extractors.patterns import FOCUS_HEADING, HEADING_NUMBER, ROMAN_HEADING, THEME_HEADING
from extractors.structure import Structure
from models import Block, Goal, PlanDocument, Table, Unit

STAGE = "goals"
MAX_HEADING_CHARS = 150
UNIT_LEVEL_GOALS = {"committee": "committee", "central": "unit", "area": "unit", "city": "council"}
"""A goal printed without a level takes its unit's: a committee's goals are committee goals, a
central's or an area's unit goals, the city's council goals."""


@dataclass
class _Heading:
    text: str
    size: float
    depth: int | None
    """Numbering depth: 0 for a Roman numeral, 1 for '8.', 2 for '8.1'; None when unnumbered."""
    theme: tuple[int, str] | None
    unit: bool = False
    """The heading names an organisation unit ('Kaupunginhallitus'): the sections set beside it in the same
    type stand under it."""


def is_lead_in(block: Block, body_size: float) -> bool:
    """A sentence leading into what follows ('Valtuuston kasvatus- ja opetuslautakunnalle asettamat tavoitteet
    ovat toteutuneet seuraavasti:'): set in the body's type, not bold, ending in a colon. The layout may call
    it a heading (it stands alone over a list); it heads no section (Kauhava p. 87)."""
    size = block.font_size or 0.0
    return block.text.rstrip().endswith(":") and not block.bold and (not body_size or size <= body_size + 0.1)


def _heading(block: Block, language: str | None, body_size: float = 0.0) -> _Heading | None:
    text = " ".join(block.text.split())
    numbered = block.kind == "list_item" and block.bold and HEADING_NUMBER.match(text)
    if not (block.kind in ("heading", "title") or numbered) or len(text) > MAX_HEADING_CHARS:
        return None
    if is_lead_in(block, body_size):
        return None
    depth: int | None = None
    number = HEADING_NUMBER.match(text)
    if number and "." in text.split()[0]:
        depth = number.group("number").count(".") + 1
    elif ROMAN_HEADING.match(text):
        depth = 0
    theme: tuple[int, str] | None = None
    if is_theme_heading(text):
        found = THEME_HEADING.match(text)
        theme = (int(found.group("number")), found.group("title").strip()) if found else None
    elif block.bold and (focus := FOCUS_HEADING.match(text)):
        theme = (int(focus.group("number")), focus.group("title").strip())
        depth = None
    return _Heading(text=text, size=block.font_size or 0.0, depth=depth, theme=theme,
                    unit=names_unit(text, language))


def names_unit(text: str, language: str | None) -> bool:
    """The heading names an organisation unit ('Kaupunginhallitus') or a company of the group ('Kauhavan
    Jäähalli Oy': its goals stand under its name, set in the type of the goal-kind headings below it)."""
    return classify_any("units", text, language) is not None or \
        match_prefixed("units", "company_name", text, language) is not None


class _Path:
    """The headings above the current item: numbered headings nest by their numbers, unnumbered ones by
    type size inside the innermost numbered one."""

    def __init__(self) -> None:
        self.stack: list[_Heading] = []

    def push(self, heading: _Heading) -> None:
        stack = self.stack
        if heading.depth is not None:
            deeper = any(h.depth is not None and h.depth >= heading.depth for h in stack)
            while stack and ((stack[-1].depth is not None and stack[-1].depth >= heading.depth)
                             or (stack[-1].depth is None and (deeper or stack[-1].size <= heading.size))):
                stack.pop()
                deeper = any(h.depth is not None and h.depth >= heading.depth for h in stack)
        else:
            while stack and stack[-1].depth is None and stack[-1].size <= heading.size + 0.1 and \
                    not (stack[-1].unit and not heading.unit and stack[-1].size >= heading.size - 0.1):
                stack.pop()
        stack.append(heading)

    def texts(self) -> list[str]:
        return [h.text for h in self.stack]

    def theme(self) -> tuple[int, str] | None:
        """The theme of the innermost heading ('08 Hållbart samhällsbyggande', '1. LIVSKRAFTIG STAD'): a
        numbered chapter further out is no theme of the goals under its subheadings."""
        return self.stack[-1].theme if self.stack else None


def accountable_level(block: Block, language: str | None) -> str | None:
    """The goal level a unit's responsible sentence names: to whom its official answers for the unit's goals
    ('Valtuustoon nähden tilivelvollinen viranhaltija on sivistysjohtaja.' -> 'council': the numbered goals printed
    below it without a level label are those the council set, as Kauhava tilinpäätös 2024 p. 87 prints for one
    committee, 'Valtuuston kasvatus- ja opetuslautakunnalle asettamat tavoitteet'); None for other blocks."""
    if block.kind in ("heading", "title") or \
            match_prefixed("units", "responsible_sentence", block.text, language) is None:
        return None
    return level_of(" ".join(block.text.split()), language)


def _is_goal_label(text: str, language: str | None) -> bool:
    """A label ('Kommentar:', 'Mittarit ja tavoitetaso:') or a heading row of goal columns, not a heading."""
    text = text.strip()
    if text.endswith(":") and column_key(text.rstrip(":"), language):
        return True
    return len(split_header(text, language)) >= 2 or leading_label(text, language) is not None


def extract_goals(doc: PlanDocument, structure: Structure) -> list[Goal]:
    """Every goal of the document's goal tables and goal lists, in document order."""
    contexts = {id(ctx.table): ctx for ctx in structure.tables}
    units = {u.name: u for u in structure.units}
    path = _Path()
    sizes = sorted(b.font_size for b in doc.blocks() if b.font_size)
    body_size = sizes[len(sizes) // 2] if sizes else 0.0
    lists = ListReader(doc, body_size)
    legacy = LegacyState()
    drafts: list[GoalDraft] = []
    accountable: dict[str, str] = {}  # unit name -> the level its responsible sentence names
    for index, item in enumerate(doc.items):
        unit_name = structure.item_units.get(index)
        theme = path.theme()
        context = Context(unit_name=unit_name, section=path.texts(), theme_number=theme[0] if theme else None,
                          theme_title=theme[1] if theme else None, item_index=index)
        if isinstance(item, Table):
            lists.close()
            above = doc.items[index - 1] if index else None
            printed = (above.lines or [above.text]) if isinstance(above, Block) else []
            drafts += _table_goals(doc, item, context, contexts, legacy, drafts + lists.drafts, printed)
            continue
        if lists.feed(item, context):
            continue
        heading = _heading(item, doc.language, body_size)
        if heading is not None and not _is_goal_label(item.text, doc.language):
            lists.end_section()
            path.push(heading)
            lists.level_heading(heading.text)
        elif is_lead_in(item, body_size):
            lists.level_heading(item.text)  # 'Valtuuston ... asettamat tavoitteet ovat toteutuneet seuraavasti:'
        elif unit_name and (level := accountable_level(item, doc.language)):
            accountable.setdefault(unit_name, level)
    lists.close()
    drafts = sorted(drafts + lists.drafts, key=lambda d: d.item_index)
    for draft in drafts:
        if draft.unit_name is None:  # the unit a heading above names, when the structure knows none
            draft.unit_name = next((h for h in reversed(draft.section) if names_unit(h, doc.language)), None)
        _default_level(draft, units.get(draft.unit_name or ""), doc.language, accountable.get(draft.unit_name or ""))
    return to_goals(doc, drafts)


def _default_level(draft: GoalDraft, unit: Unit | None, language: str | None, accountable: str | None = None) -> None:
    """A goal printed without a level label takes the level a heading above it names ('Toiminnalliset
    tavoitteet'), else the one its unit's responsible sentence names (`accountable_level`), else its unit's
    (UNIT_LEVEL_GOALS), else that of the unit a heading above it names."""
    if draft.level is not None:
        return
    for heading in reversed(draft.section):
        level = level_of(heading, language)
        if level is not None:
            draft.level, draft.level_label = level, heading
            return
    if accountable is not None:
        draft.level = accountable
        return
    if unit is not None:
        draft.level = UNIT_LEVEL_GOALS.get(unit.level)
        return
    for heading in reversed(draft.section):  # a unit's name heading the goals ('Tarkastuslautakunta')
        kind = classify_any("units", heading, language)
        if kind is not None:
            draft.level = UNIT_LEVEL_GOALS.get(kind)
            return


def _table_goals(doc: PlanDocument, table: Table, context: Context, contexts: dict, legacy: LegacyState,
                 before: list[GoalDraft], printed: list[str]) -> list[GoalDraft]:
    """The goals of a goal table; `printed` are the lines of the block right above it (heading lines of a
    table read without its heading row)."""
    ctx = contexts.get(id(table))
    columns = legacy_columns(table, doc.language)
    if columns and ctx is not None:
        context.unit_name, context.theme_number, context.theme_title = ctx.unit_name, ctx.theme_number, ctx.theme_title
        table.kind = "goals"
        return read_legacy_table(doc, table, columns, context, legacy)
    columns = printed_columns(table, printed, doc.language)
    if columns is None and not is_goal_table(table, doc.language) and not continues_assessment(table, doc.language):
        return []
    if ctx is not None:
        context.unit_name = ctx.unit_name or context.unit_name
    drafts = read_goal_table(doc, table, context, before, columns)
    if drafts and table.kind == "other":
        table.kind = "goals"
    return drafts

