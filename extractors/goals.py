"""Goals stage: goal tables under numbered themes -> one Goal per key-goal row."""

from __future__ import annotations

from extractors.lexicon import classify_any
from extractors.structure import Structure
from models import Goal, PlanDocument, Table, TableRow

STAGE = "goals"
GOAL_FIELDS = ("central_goal", "area_goal", "actions", "responsible")


def goal_columns(table: Table, language: str | None) -> dict[int, str]:
    """Map column index -> goal field from the header; empty when the table is not a goal table."""
    mapping: dict[int, str] = {}
    for cell in table.header:
        key = classify_any("goal_columns", cell.text, language)
        if key and key not in mapping.values():
            mapping[cell.col] = key
    return mapping if len(mapping) >= 3 else {}


def _is_strategic(row: TableRow) -> bool:
    filled = [c for c in row.cells if c.text.strip()]
    return row.spanning or (len(filled) == 1 and filled[0].col == 0)


def extract_goals(doc: PlanDocument, structure: Structure) -> list[Goal]:
    goals: list[Goal] = []
    strategic: str | None = None
    strategic_index = 0
    goal_index = 0
    last_theme: int | None = None
    for ctx in structure.tables:
        columns = goal_columns(ctx.table, doc.language)
        if not columns:
            continue
        if ctx.theme_number != last_theme:
            strategic, strategic_index, goal_index, last_theme = None, 0, 0, ctx.theme_number
        if ctx.theme_number is None:
            doc.add_issue("goal_table_without_theme", STAGE,
                          f"goal table {ctx.table.table_id} has no numbered theme heading above it",
                          page=ctx.table.prov.page)
        for row in ctx.table.rows:
            if _is_strategic(row):
                strategic = " ".join(c.text for c in row.cells if c.text.strip())
                strategic_index += 1
                goal_index = 0
                continue
            values = {field: None for field in GOAL_FIELDS}
            for col, field in columns.items():
                text = row.text(col).strip()
                values[field] = text or None
            if not any(values.values()):
                continue
            goal_index += 1
            if strategic is None:
                doc.add_issue("goal_without_strategic_goal", STAGE,
                              f"goal row in table {ctx.table.table_id} has no strategic goal above it",
                              page=row.prov.page)
            bbox = row.prov.bbox
            goals.append(Goal(
                document_id=doc.document_id, unit_name=ctx.unit_name,
                goal_id=f"g{ctx.theme_number or 0}.{strategic_index}.{goal_index}",
                theme_number=ctx.theme_number, theme_title=ctx.theme_title, strategic_goal=strategic,
                central_goal=values["central_goal"], area_goal=values["area_goal"], actions=values["actions"],
                responsible_raw=values["responsible"], page=row.prov.page, line=row.prov.line,
                bbox=[round(v, 1) for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom)] if bbox else None,
                row_index=len(goals),
            ))
    return goals
