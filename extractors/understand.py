"""Understanding stage: goal and section texts -> repaired words, responsible roles, measurable targets."""

from __future__ import annotations

from collections import defaultdict

from extractors.nlp import document_vocabulary, find_targets, repair_text, role_key, split_roles, unit_role
from models import Goal, PlanDocument, Responsible, Section, Target, Unit

STAGE = "understand"
GOAL_TEXT_FIELDS = ("strategic_goal", "central_goal", "area_goal", "actions")
TARGET_FIELDS = ("strategic_goal", "central_goal", "area_goal")


def _repair(doc: PlanDocument, text: str | None, lang: str, vocab: set[str], where: str,
            page: int | None) -> str | None:
    if not text:
        return text
    repaired, findings = repair_text(text, lang, vocab)
    for finding in findings:
        doc.add_issue("text_repair_unsure", STAGE, f"{where}: {finding}", severity="info", page=page)
    return repaired


def understand(doc: PlanDocument, units: list[Unit], sections: list[Section],
               goals: list[Goal]) -> tuple[list[Responsible], list[Target]]:
    """Repair texts in place (raw text kept beside), split responsibles, find targets."""
    lang = doc.language or "sv"
    vocab = document_vocabulary(
        [b.text for b in doc.blocks()]
        + [getattr(g, f) for g in goals for f in (*GOAL_TEXT_FIELDS, "responsible_raw")]
        + [s.text for s in sections] + [i for s in sections for i in s.items]
    )
    for section in sections:
        section.text_raw, section.items_raw = section.text, list(section.items)
        where = f"section '{section.heading[:40]}'"
        section.text = _repair(doc, section.text, lang, vocab, where, section.page) or ""
        section.items = [_repair(doc, item, lang, vocab, where, section.page) or "" for item in section.items]
    for unit in units:
        if unit.responsible_title:
            unit.responsible_role = unit_role(unit.responsible_title, lang, vocab)
            unit.responsible_role_key = role_key(unit.responsible_role, lang) if unit.responsible_role else None
    targets: list[Target] = []
    seen_strategic: set[tuple[int | None, str]] = set()
    for goal in goals:
        for field in GOAL_TEXT_FIELDS:
            raw = getattr(goal, field)
            setattr(goal, f"{field}_raw", raw)
            setattr(goal, field, _repair(doc, raw, lang, vocab, f"goal {goal.goal_id} {field}", goal.page))
        goal.responsible = split_roles(goal.responsible_raw, lang, vocab) or inherited_role(goal, units)
        for field in TARGET_FIELDS:
            text = getattr(goal, field)
            if not text:
                continue
            if field == "strategic_goal":
                # a strategic goal stands above several goal rows: its targets are counted once
                key = (goal.theme_number, text)
                if key in seen_strategic:
                    continue
                seen_strategic.add(key)
            for match in find_targets(text, lang):
                targets.append(Target(
                    document_id=doc.document_id, goal_id=goal.goal_id, field=field, metric=match.metric,
                    comparator=match.comparator, value=match.value, unit=match.unit,
                    deadline_year=match.deadline_year, text=match.text, page=goal.page, line=goal.line,
                ))
    return responsibles(doc, goals, lang), targets


def inherited_role(goal: Goal, units: list[Unit]) -> list[str]:
    """A goal that names no responsible has its unit's (or the nearest parent unit's) responsible role."""
    by_id = {u.unit_id: u for u in units}
    unit = next((u for u in units if u.name == goal.unit_name), None)
    while unit is not None:
        if unit.responsible_role:
            return [unit.responsible_role]
        unit = by_id.get(unit.parent_unit_id or "")
    return []


def responsibles(doc: PlanDocument, goals: list[Goal], lang: str) -> list[Responsible]:
    by_role: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for goal in goals:
        for role in goal.responsible:
            if goal.goal_id not in by_role[(goal.unit_name, role)]:
                by_role[(goal.unit_name, role)].append(goal.goal_id)
    return [Responsible(document_id=doc.document_id, unit_name=unit, role=role, role_key=role_key(role, lang),
                        goal_count=len(ids), goal_ids=ids)
            for (unit, role), ids in by_role.items()]
