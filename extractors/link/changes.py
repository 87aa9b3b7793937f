"""Link stage, change classification: what differs between two linked goals.

Contract: (two goal views, their targets) -> ChangeDetail with one label and the evidence behind it. Pure.

Labels, first that applies: target_changed (a measurable target's comparator, value, unit or deadline
differs, e.g. minst 75 -> minst 80 procent, in the goal texts or in a target cell), responsible_changed
(the set of responsible offices differs), reworded (any text field differs after normalisation), else
same. Between two languages the wording cannot be compared: a pair whose targets and offices agree is
`translated`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from extractors.lexicon import LEXICON_DIR
from extractors.link.goals import BlockKey, GoalView, text_fields
from extractors.link.text import normalise_text
from extractors.nlp import role_key
from models.records import Target

TARGET_FIELDS = ("strategic_goal", "central_goal", "area_goal", "goal", "target")
COMPARATOR_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
UNIT_SYMBOLS = {"percent": "%"}


@lru_cache(maxsize=4)
def _target_units(lang: str) -> dict[str, str]:
    """unit base form -> neutral key, from the targets lexicon ('procent' / 'prosentti' -> 'percent')."""
    path = LEXICON_DIR / lang / "targets.yml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(e["unit"]): str(e["key"]) for e in data.get("entries", ()) if e.get("unit")}


def target_unit_key(unit: str | None, lang: str | None) -> str | None:
    if not unit:
        return None
    return _target_units(lang or "").get(unit, unit)


def format_value(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f")


def format_target(target: Target | None, lang: str | None) -> str | None:
    """'≥ 80 %', '> 15 000 invånare (2025)', 'kolneutral stad (2035)'."""
    if target is None:
        return None
    unit_key = target_unit_key(target.unit, lang)
    parts = []
    if target.value is not None:
        parts.append(f"{COMPARATOR_SYMBOLS.get(target.comparator or '', target.comparator or '')} "
                     f"{format_value(target.value)}".strip())
        if target.unit:
            parts.append(UNIT_SYMBOLS.get(unit_key or "", target.unit))
    elif target.metric:
        parts.append(target.metric)
    if target.deadline_year is not None:
        parts.append(f"({target.deadline_year})")
    return " ".join(parts) or target.text


def goal_targets(targets: Iterable[Target], views: Iterable[GoalView]) -> dict[str, dict[str, list[Target]]]:
    """goal_id -> field -> targets; a strategic goal's targets belong to every row under it."""
    views = list(views)
    block_of = {view.goal_id: view.block_key for view in views}
    strategic: dict[BlockKey, list[Target]] = defaultdict(list)
    result: dict[str, dict[str, list[Target]]] = defaultdict(lambda: defaultdict(list))
    for target in targets:
        if target.field == "strategic_goal" and target.goal_id in block_of:
            strategic[block_of[target.goal_id]].append(target)
        else:
            result[target.goal_id][target.field].append(target)
    for view in views:
        result[view.goal_id]["strategic_goal"] = list(strategic.get(view.block_key, []))
    return result


def _signature(target: Target, lang: str | None, with_unit: bool) -> tuple:
    unit = target_unit_key(target.unit, lang) if with_unit else None
    return (target.comparator, target.value, target.deadline_year, unit)


@dataclass
class ChangeDetail:
    change: str
    changed_fields: list[str] = field(default_factory=list)
    target_field: str | None = None
    old_target: Target | None = None
    new_target: Target | None = None
    old_responsible: list[str] = field(default_factory=list)
    new_responsible: list[str] = field(default_factory=list)


def _first_target_change(old: dict[str, list[Target]], new: dict[str, list[Target]], old_lang: str | None,
                         new_lang: str | None) -> tuple[str, Target | None, Target | None] | None:
    for name in TARGET_FIELDS:
        before, after = old.get(name, []), new.get(name, [])
        for index in range(max(len(before), len(after))):
            a = before[index] if index < len(before) else None
            b = after[index] if index < len(after) else None
            if a is None or b is None or _signature(a, old_lang, True) != _signature(b, new_lang, True):
                return name, a, b
    return None


def responsible_identities(view: GoalView) -> frozenset[str]:
    """Offices as neutral keys where the roles lexicon knows them, else as `<lang>:<base form>`."""
    lang = view.language or "sv"
    return frozenset(role_key(r, lang) or f"{lang}:{r}" for r in view.goal.responsible)


def responsible_changed(old: GoalView, new: GoalView) -> bool:
    if old.language == new.language:
        return responsible_identities(old) != responsible_identities(new)
    # Across languages only offices with a neutral key can be compared.
    return bool(old.role_keys or new.role_keys) and old.role_keys != new.role_keys


def classify(old: GoalView, new: GoalView, old_targets: dict[str, list[Target]],
             new_targets: dict[str, list[Target]]) -> ChangeDetail:
    same_language = old.language == new.language
    fields = text_fields(old.goal)
    changed = [name for name in fields
               if same_language and normalise_text(getattr(old.goal, name)) != normalise_text(getattr(new.goal, name))]
    target_change = _first_target_change(old_targets, new_targets, old.language, new.language)
    responsible = responsible_changed(old, new)
    if target_change:
        changed.append("targets")
    if responsible:
        changed.append("responsible")
    detail = ChangeDetail("same", changed, old_responsible=list(old.goal.responsible),
                          new_responsible=list(new.goal.responsible))
    if target_change:
        detail.change = "target_changed"
        detail.target_field, detail.old_target, detail.new_target = target_change
    elif responsible:
        detail.change = "responsible_changed"
    elif any(name in fields for name in changed):
        detail.change = "reworded"
    elif not same_language:
        detail.change = "translated"
    return detail
