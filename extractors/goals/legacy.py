"""Four-column goal tables (key goal of the central, key goal of the area, action plan, responsible) under
numbered themes: rows and ids `g<theme>.<strategic goal>.<row>` exactly as before the goal readers grew,
so that editions read earlier still compare. New columns (level, goal) are filled besides.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.goals.columns import column_key
from extractors.goals.drafts import GoalDraft, set_level
from extractors.goals.tables import Context
from extractors.layout import join_wrapped
from models import Cell, PlanDocument, Table, TableRow

STAGE = "goals"
LEGACY_FIELDS = ("central_goal", "area_goal", "actions", "responsible")


def cell_text(cell: Cell | None) -> str:
    """A cell's text; one wrapped over lines is re-joined as wrapped text ('kommunikations- och')."""
    if cell is None:
        return ""
    return join_wrapped(cell.lines) if cell.lines else cell.text


def legacy_columns(table: Table, language: str | None) -> dict[int, str]:
    """Column index -> field of a four-column goal table's header; empty for other tables."""
    mapping: dict[int, str] = {}
    for cell in table.header:
        key = column_key(cell.text, language)
        if key is None:
            continue
        if key not in LEGACY_FIELDS:
            return {}
        if key not in mapping.values():
            mapping[cell.col] = key
    return mapping if len(mapping) >= 3 else {}


def _is_strategic(row: TableRow) -> bool:
    filled = [c for c in row.cells if c.text.strip()]
    return row.spanning or (len(filled) == 1 and filled[0].col == 0)


@dataclass
class LegacyState:
    strategic: str | None = None
    strategic_index: int = 0
    goal_index: int = 0
    last_theme: int | None = None


def read_legacy_table(doc: PlanDocument, table: Table, columns: dict[int, str], context: Context,
                      state: LegacyState) -> list[GoalDraft]:
    drafts: list[GoalDraft] = []
    if context.theme_number != state.last_theme:
        state.strategic, state.strategic_index, state.goal_index = None, 0, 0
        state.last_theme = context.theme_number
    if context.theme_number is None:
        doc.add_issue("goal_table_without_theme", STAGE,
                      f"goal table {table.table_id} has no numbered theme heading above it", page=table.prov.page)
    labels = {key: " ".join(c.text.split()) for c in table.header if (key := columns.get(c.col))}
    for row in table.rows:
        if _is_strategic(row):
            state.strategic = " ".join(cell_text(c) for c in row.cells if c.text.strip())
            state.strategic_index += 1
            state.goal_index = 0
            continue
        texts = {col: cell_text(next((c for c in row.cells if c.col == col), None)).strip() for col in columns}
        values = {field: texts[col] for col, field in columns.items() if texts[col]}
        if not values:
            continue
        state.goal_index += 1
        if state.strategic is None:
            doc.add_issue("goal_without_strategic_goal", STAGE,
                          f"goal row in table {table.table_id} has no strategic goal above it", page=row.prov.page)
        if state.strategic is not None:
            values["strategic_goal"] = state.strategic
        draft = GoalDraft(values=values, unit_name=context.unit_name, section=list(context.section),
                          theme_number=context.theme_number, theme_title=context.theme_title, page=row.prov.page,
                          line=row.prov.line, bbox=row.prov.bbox, item_index=context.item_index,
                          legacy_id=f"g{context.theme_number or 0}.{state.strategic_index}.{state.goal_index}")
        own = "area_goal" if values.get("area_goal") else "central_goal"
        set_level(draft, labels.get(own), doc.language)
        drafts.append(draft)
    return drafts
