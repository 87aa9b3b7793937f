"""Link stage, records: ladder decisions -> GoalLink / UnitLink rows, and bridge composition.

Contract: pure conversions; a bridge link (earlier edition in language A -> later edition in language B)
is composed from the same-language link A -> A' and the translation link A' -> B, so the change found in
one language (reworded, target_changed, ...) reaches the other language's readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.link.changes import ChangeDetail, classify, format_target
from extractors.link.goals import Decision, GoalView
from extractors.link.organisations import PlannedComparison, edition_of
from extractors.link.units import UnitDecision, unit_change
from models.links import GoalLink, UnitLink
from models.records import Target

TargetsOf = dict[str, dict[str, dict[str, list[Target]]]]  # document_id -> goal_id -> field -> targets


@dataclass
class BridgedDecision:
    """A goal decision of a bridge comparison, with the detail found in the same language."""

    decision: Decision
    detail: ChangeDetail | None


def compose(first: list[Decision], second: list[Decision]) -> list[tuple[Decision, Decision | None]]:
    """Chain source -> via (first) with via -> target (second); unmatched ends become new/dropped."""
    onward = {d.source: d for d in second if d.source is not None and d.target is not None}
    chained: list[tuple[Decision, Decision | None]] = []
    reached: set[GoalView] = set()
    for decision in first:
        if decision.source is None:
            continue
        step = onward.get(decision.target) if decision.target is not None else None
        if step is not None and step.target is not None:
            method = f"bridge:{decision.method}"
            score = round(min(decision.score, step.score), 4)
            chained.append((Decision(decision.source, step.target, method, score, note=decision.note), decision))
            reached.add(step.target)
        else:
            chained.append((Decision(decision.source, None, "none", decision.score, decision.candidate,
                                     decision.note), None))
    # A goal new in the bridge's first step keeps that step's best rejected candidate and score.
    new_in_first = {d.target: d for d in first if d.source is None and d.target is not None}
    for decision in second:
        if decision.target is not None and decision.target not in reached:
            origin = new_in_first.get(decision.source) if decision.source is not None else None
            score, candidate = (origin.score, origin.candidate) if origin else (0.0, None)
            chained.append((Decision(None, decision.target, "none", score, candidate, decision.note), None))
    return chained


def _targets(targets: TargetsOf, view: GoalView) -> dict[str, list[Target]]:
    return targets.get(view.goal.document_id, {}).get(view.goal_id, {})


def goal_detail(decision: Decision, targets: TargetsOf, same_language_step: Decision | None = None) -> ChangeDetail:
    """The change of a linked pair; for a bridge pair the label comes from its same-language step."""
    assert decision.source is not None and decision.target is not None
    direct = classify(decision.source, decision.target, _targets(targets, decision.source),
                      _targets(targets, decision.target))
    if same_language_step is None or same_language_step.target is None:
        return direct
    step = classify(same_language_step.source or decision.source, same_language_step.target,
                    _targets(targets, decision.source), _targets(targets, same_language_step.target))
    step.old_responsible, step.new_responsible = direct.old_responsible, direct.new_responsible
    if direct.target_field is not None:
        # Values as printed in the two documents compared; a target that differs only between the
        # translations still makes the pair target_changed.
        step.target_field, step.old_target, step.new_target = direct.target_field, direct.old_target, direct.new_target
        if step.change != "target_changed":
            step.change = "target_changed"
            step.changed_fields.append("targets")
    return step


def goal_link(plan: PlannedComparison, decision: Decision, detail: ChangeDetail | None,
              via_document_id: str | None = None) -> GoalLink:
    source, target = plan.source.document, plan.target.document
    link = GoalLink(
        organisation_key=plan.organisation_key, comparison=plan.comparison,
        from_document_id=source.document_id, to_document_id=target.document_id,
        from_edition=edition_of(source), to_edition=edition_of(target),
        from_language=source.language, to_language=target.language,
        from_goal_id=decision.source.goal_id if decision.source else None,
        to_goal_id=decision.target.goal_id if decision.target else None,
        change="new" if decision.source is None else "dropped" if decision.target is None else "same",
        method=decision.method, score=round(decision.score, 4),
        candidate_goal_id=decision.candidate.goal_id if decision.candidate else None,
        via_document_id=via_document_id if decision.source and decision.target else None,
        note=decision.note,
    )
    if decision.source is not None:
        link.old_responsible = list(decision.source.goal.responsible)
    if decision.target is not None:
        link.new_responsible = list(decision.target.goal.responsible)
    if detail is None:
        return link
    link.change = detail.change  # type: ignore[assignment]  (ChangeDetail labels are GoalChange values)
    link.changed_fields = detail.changed_fields
    link.old_responsible, link.new_responsible = detail.old_responsible, detail.new_responsible
    if detail.target_field is not None:
        old, new = detail.old_target, detail.new_target
        link.target_field = detail.target_field
        link.old_value, link.new_value = (old.value if old else None), (new.value if new else None)
        link.old_deadline_year = old.deadline_year if old else None
        link.new_deadline_year = new.deadline_year if new else None
        link.old_target = format_target(old, source.language)
        link.new_target = format_target(new, target.language)
    return link


def compose_units(first: list[UnitDecision],
                  second: list[UnitDecision]) -> list[tuple[UnitDecision, UnitDecision | None]]:
    onward = {d.source: d for d in second if d.source is not None and d.target is not None}
    chained: list[tuple[UnitDecision, UnitDecision | None]] = []
    reached = set()
    for decision in first:
        if decision.source is None:
            continue
        step = onward.get(decision.target) if decision.target is not None else None
        if step is not None and step.target is not None:
            chained.append((UnitDecision(decision.source, step.target, f"bridge:{decision.method}",
                                         round(min(decision.score, step.score), 4), decision.evidence,
                                         decision.note), decision))
            reached.add(step.target)
        else:
            chained.append((UnitDecision(decision.source, None, "none", 0.0, note=decision.note), None))
    for decision in second:
        if decision.target is not None and decision.target not in reached:
            chained.append((UnitDecision(None, decision.target, "none", 0.0, note=decision.note), None))
    return chained


def unit_link(plan: PlannedComparison, decision: UnitDecision, unit_key: str,
              same_language_step: UnitDecision | None = None) -> UnitLink:
    source, target = plan.source.document, plan.target.document
    change = unit_change(same_language_step if same_language_step is not None else decision)
    view = decision.source or decision.target
    assert view is not None
    return UnitLink(
        organisation_key=plan.organisation_key, comparison=plan.comparison,
        from_document_id=source.document_id, to_document_id=target.document_id,
        from_edition=edition_of(source), to_edition=edition_of(target),
        from_unit_id=decision.source.unit.unit_id if decision.source else None,
        to_unit_id=decision.target.unit.unit_id if decision.target else None,
        from_unit_name=decision.source.unit.name if decision.source else None,
        to_unit_name=decision.target.unit.name if decision.target else None,
        level=view.unit.level, unit_key=unit_key, change=change,  # type: ignore[arg-type]
        method=decision.method, score=round(decision.score, 4), evidence=list(decision.evidence),
        from_responsible_role_key=decision.source.unit.responsible_role_key if decision.source else None,
        to_responsible_role_key=decision.target.unit.responsible_role_key if decision.target else None,
        note=decision.note,
    )
