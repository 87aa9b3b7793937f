"""Goal drafts: what the goal readers (tables, lists) find, before it becomes `Goal` rows.

A draft is one goal with its own fields, its indicators (each with baseline, target, outcome and
status) and the marks drawn in its rows. `to_goals` turns drafts into rows: one row per indicator
(rows of one goal share the goal's fields), one row for a goal without indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.goals.columns import is_placeholder, level_of
from extractors.goals.status import assess
from models import BBox, Goal, Mark, PlanDocument

GOAL_FIELDS = ("strategic_goal", "central_goal", "area_goal", "actions", "responsible", "goal", "outcome",
               "comment", "status", "progress", "schedule")
"""The keys of `GoalDraft.values` (goal-column keys; `status` and `progress` as printed)."""


@dataclass
class Indicator:
    """One indicator of a goal: `values` by key (indicator, baseline, target, outcome, status, progress,
    schedule) as printed, the marks drawn in its row, its page and box."""

    values: dict[str, str] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)
    page: int | None = None
    bbox: BBox | None = None


@dataclass
class GoalDraft:
    """One goal as read. `values` holds goal fields as printed (GOAL_FIELDS); `legacy_id` the id of a
    four-column goal table row (`g<theme>.<strategic>.<row>`), kept for comparison across editions."""

    values: dict[str, str] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    level_label: str | None = None
    level: str | None = None
    parent: GoalDraft | None = None
    unit_name: str | None = None
    section: list[str] = field(default_factory=list)
    theme_number: int | None = None
    theme_title: str | None = None
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    legacy_id: str | None = None
    goal_id: str | None = None
    item_index: int = 0
    shared_by: int = 1
    """How many goals printed over one indicator block this draft stands for (`merge_shared`)."""
    merged_into: GoalDraft | None = None

    def text(self) -> str | None:
        return self.values.get("goal") or self.values.get("area_goal") or self.values.get("central_goal")

    def is_goal(self) -> bool:
        """A goal has a text of its own that is not a placeholder, or indicators."""
        return not is_placeholder(self.text()) or any(not is_placeholder(i.values.get("indicator"))
                                                      for i in self.indicators)


def set_level(draft: GoalDraft, label: str | None, language: str | None) -> None:
    if label:
        draft.level_label = " ".join(label.split()).rstrip(":")
        draft.level = level_of(label, language)


def _bbox(box: BBox | None) -> list[float] | None:
    return [round(v, 1) for v in (box.x0, box.top, box.x1, box.bottom)] if box else None


def _row(doc: PlanDocument, draft: GoalDraft, goal_id: str, indicator: Indicator | None, index: int | None,
         row_index: int, shared_by: int | None = None) -> Goal:
    values = draft.values
    own = {k: v for k, v in indicator.values.items() if v} if indicator else {}
    outcome = own.get("outcome") or values.get("outcome")
    shadowed = values.get("outcome") if own.get("outcome") else None  # the goal's report beside the value
    comment = "\n".join(t for t in (shadowed, values.get("comment")) if t) or None
    assessment = assess(own.get("status") or values.get("status"), outcome,
                        own.get("progress") or values.get("progress"),
                        (indicator.marks if indicator and indicator.marks else draft.marks), doc.language,
                        own.get("indicator"))
    page = draft.page or (indicator.page if indicator else None)  # where the goal text is printed
    bbox = draft.bbox if draft.page else (indicator.bbox if indicator else None)
    return Goal(
        document_id=doc.document_id, unit_name=draft.unit_name, goal_id=goal_id,
        theme_number=draft.theme_number, theme_title=draft.theme_title,
        strategic_goal=values.get("strategic_goal"), central_goal=values.get("central_goal"),
        area_goal=values.get("area_goal"), actions=values.get("actions"), responsible_raw=values.get("responsible"),
        page=page, line=draft.line, bbox=_bbox(bbox), row_index=row_index,
        level=draft.level, level_label=draft.level_label,
        parent_goal_id=draft.parent.goal_id if draft.parent else None,
        goal=draft.text(), indicator=own.get("indicator"), indicator_index=index,
        indicator_shared_by=shared_by if indicator else None, baseline=own.get("baseline"),
        indicator_page=indicator.page if indicator else None,
        indicator_bbox=_bbox(indicator.bbox) if indicator else None,
        target=own.get("target"), outcome=outcome, comment=comment, status=assessment.status,
        status_raw=assessment.status_raw, progress=assessment.progress,
        schedule=own.get("schedule") or values.get("schedule") or assessment.state, section=list(draft.section),
    )


def _same_block(a: GoalDraft, b: GoalDraft) -> bool:
    return bool(a.indicators) and len(a.indicators) == len(b.indicators) and a.legacy_id is None and \
        b.legacy_id is None and all(x is y for x, y in zip(a.indicators, b.indicators, strict=True))


def merge_shared(drafts: list[GoalDraft]) -> list[GoalDraft]:
    """Goals printed one after another over one indicator block that belongs to all of them (the readers give
    each the same Indicator objects: a goal cell of several goals over one 'Mittari/mittarit' block whose
    indicators do not pair with the goals) become one draft: its fields that differ are the goals' own, one
    line each in printed order ('goal' = 'Yhdyskuntatekniikan palvelujen ...\\nKehittää asiakaspalvelua ...'),
    and `shared_by` counts them. So each printed indicator gives one row, never one per goal (Seinäjoki
    p. 115: four goals over six indicators give six rows, not 24)."""
    out: list[GoalDraft] = []
    for draft in drafts:
        head = out[-1] if out else None
        if head is None or not _same_block(head, draft):
            out.append(draft)
            continue
        for key, value in draft.values.items():
            mine = head.values.get(key)
            if not mine:
                head.values[key] = value
            elif value and value not in mine.split("\n"):
                head.values[key] = f"{mine}\n{value}"
        head.marks += [m for m in draft.marks if m not in head.marks]
        head.shared_by += draft.shared_by
        draft.merged_into = head
    return out


def to_goals(doc: PlanDocument, drafts: list[GoalDraft]) -> list[Goal]:
    """Rows in document order; ids `g<n>` (`g<n>.<i>` for the i-th indicator, i >= 2, of a goal with
    several), a four-column goal table's own ids kept. Goals sharing one indicator block are one draft
    (`merge_shared`)."""
    goals: list[Goal] = []
    number = 0
    everything, drafts = drafts, merge_shared(drafts)
    for draft in drafts:
        number += draft.legacy_id is None
        draft.goal_id = draft.legacy_id or f"g{number}"
    for draft in everything:
        if draft.merged_into is not None:
            draft.goal_id = draft.merged_into.goal_id  # a parent merged into its group: the group's row
    # a printed indicator row shared by several goals is one Indicator object in each goal's list
    holders: dict[int, int] = {}
    for draft in drafts:
        for key in {id(i) for i in draft.indicators}:
            holders[key] = holders.get(key, 0) + draft.shared_by
    for draft in drafts:
        if len(draft.indicators) <= 1:
            indicator = draft.indicators[0] if draft.indicators else None
            goals.append(_row(doc, draft, draft.goal_id or "", indicator, 1 if indicator else None, len(goals),
                              holders.get(id(indicator)) if indicator else None))
            continue
        for index, indicator in enumerate(draft.indicators, start=1):
            goal_id = draft.goal_id if index == 1 else f"{draft.goal_id}.{index}"
            goals.append(_row(doc, draft, goal_id or "", indicator, index, len(goals), holders.get(id(indicator))))
    return goals
