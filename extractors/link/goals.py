"""Link stage, goals: the evidence ladder that links the goal rows of two documents.

Contract: (goal views of two documents, overrides, settings) -> Decisions, one per linked pair and one
per goal left new or dropped; every decision carries its method and score. Pure.

Same language, strongest evidence first, each step on the goals still unlinked:
  1. manual      - links_overrides.yml
  2. exact / normalised - identical row text (central goal, area goal, actions; for goals of other
                 layouts the goal's own text and its indicator), raw or normalised
  3. position+lemma - same position in linked strategic goals and lemma Dice >= position_lemma_min
  4. fuzzy       - difflib ratio >= fuzzy_min anywhere in the document
Different languages: position in a parallel structure, numbers in the text (with the target and baseline
values) and role keys (see cross_language_score). Ambiguous candidates (a rival within `margin`) are never linked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from extractors.link.overrides import LinkOverride
from extractors.link.settings import LinkSettings
from extractors.link.text import dice, fuzzy_ratio, lemma_set, multiset_dice, normalise_text, numbers_in
from extractors.nlp import role_key
from models.records import Goal

ROW_FIELDS = ("central_goal", "area_goal", "actions")
TEXT_FIELDS = ("strategic_goal", *ROW_FIELDS)
GOAL_ROW_FIELDS = ("goal", "indicator")
"""The row text of a goal read from other layouts than the four-column key-goal table: its own text and
its indicator (rows of one goal with several indicators differ by the indicator)."""
GOAL_TEXT_FIELDS = ("strategic_goal", "goal", "indicator", "target")


def row_fields(goal: Goal) -> tuple[str, ...]:
    """The fields whose text identifies a goal row: the four-column table's cells, else goal and indicator."""
    return ROW_FIELDS if any(getattr(goal, name) for name in ROW_FIELDS) else GOAL_ROW_FIELDS


def text_fields(goal: Goal) -> tuple[str, ...]:
    """The fields whose wording is compared for `reworded`."""
    return TEXT_FIELDS if any(getattr(goal, name) for name in ROW_FIELDS) else GOAL_TEXT_FIELDS
BlockKey = tuple[int | None, int]


@dataclass(frozen=True, eq=False)
class GoalView:
    """A goal row with the evidence the ladder needs, computed once."""

    goal: Goal
    language: str | None
    theme: int | None
    block: int
    row: int
    order: int
    row_text: str
    norm_text: str
    lemmas: frozenset[str]
    numbers: Counter[float]
    role_keys: frozenset[str]

    @property
    def block_key(self) -> BlockKey:
        return (self.theme, self.block)

    @property
    def goal_id(self) -> str:
        return self.goal.goal_id


def _position(goal: Goal, order: int, fallback: dict[str, tuple[int, int]]) -> tuple[int, int]:
    parts = goal.goal_id.lstrip("g").split(".")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        return int(parts[1]), int(parts[2])
    return fallback.get(goal.goal_id, (0, order))


def goal_views(goals: Iterable[Goal], language: str | None) -> list[GoalView]:
    """Views in document order; block/row from the goal id `g<theme>.<strategic>.<row>`, else from the order."""
    ordered = sorted(goals, key=lambda g: g.row_index)
    fallback: dict[str, tuple[int, int]] = {}
    last: tuple[int | None, str] | None = None
    block = row = 0
    for goal in ordered:
        key = (goal.theme_number, normalise_text(goal.strategic_goal))
        block, row = (block, row + 1) if key == last else (block + 1, 1)
        last = key
        fallback[goal.goal_id] = (block, row)
    views = []
    for order, goal in enumerate(ordered):
        row_text = " | ".join(getattr(goal, name) or "" for name in row_fields(goal))
        full_text = " ".join([goal.strategic_goal or "", row_text, goal.target or "", goal.baseline or ""])
        keys = frozenset(k for k in (role_key(r, language or "sv") for r in goal.responsible) if k)
        block_number, row_number = _position(goal, order, fallback)
        views.append(GoalView(goal, language, goal.theme_number, block_number, row_number, order, row_text,
                              normalise_text(row_text), lemma_set(row_text, language), numbers_in(full_text), keys))
    return views


@dataclass
class Decision:
    """A linked pair (both set) or an unlinked goal (one side set) with the ladder's method and score."""

    source: GoalView | None
    target: GoalView | None
    method: str
    score: float
    candidate: GoalView | None = None
    note: str = ""


@dataclass
class _State:
    sources: list[GoalView]
    targets: list[GoalView]
    pairs: dict[GoalView, tuple[GoalView, str, float, str]] = field(default_factory=dict)
    closed_sources: set[GoalView] = field(default_factory=set)
    closed_targets: set[GoalView] = field(default_factory=set)
    notes: dict[GoalView, str] = field(default_factory=dict)

    def free_sources(self) -> list[GoalView]:
        return [g for g in self.sources if g not in self.pairs and g not in self.closed_sources]

    def free_targets(self) -> list[GoalView]:
        linked = {pair[0] for pair in self.pairs.values()}
        return [g for g in self.targets if g not in linked and g not in self.closed_targets]

    def link(self, source: GoalView, target: GoalView, method: str, score: float, note: str = "") -> None:
        self.pairs[source] = (target, method, round(score, 4), note)

    def partner(self, source: GoalView) -> GoalView | None:
        pair = self.pairs.get(source)
        return pair[0] if pair else None


def _by_id(views: list[GoalView]) -> dict[str, GoalView]:
    return {view.goal_id: view for view in views}


def _apply_overrides(state: _State, overrides: list[LinkOverride]) -> list[str]:
    problems: list[str] = []
    sources, targets = _by_id(state.sources), _by_id(state.targets)
    for override in overrides:
        source = sources.get(override.source.goal or "")
        target = targets.get(override.target.goal or "")
        if (override.source.goal and source is None) or (override.target.goal and target is None):
            problems.append(f"override {override.source.goal} -> {override.target.goal}: goal not found")
            continue
        if source is not None and target is not None:
            state.link(source, target, "manual", 1.0, override.note)
        elif source is not None:
            state.closed_sources.add(source)
            state.notes[source] = override.note or "dropped by override"
        elif target is not None:
            state.closed_targets.add(target)
            state.notes[target] = override.note or "new by override"
    return problems


def _link_identical(state: _State) -> None:
    by_text: dict[str, list[GoalView]] = defaultdict(list)
    for target in state.free_targets():
        by_text[target.norm_text].append(target)
    for source in state.free_sources():
        candidates = by_text.get(source.norm_text)
        if source.norm_text and candidates:
            target = candidates.pop(0)
            state.link(source, target, "exact" if source.row_text == target.row_text else "normalised", 1.0)


def _block_links(state: _State) -> dict[BlockKey, BlockKey]:
    """Strategic goals linked through their linked rows, else through identical or same-place similar text."""
    votes: Counter[tuple[BlockKey, BlockKey]] = Counter()
    for source, (target, _method, _score, _note) in state.pairs.items():
        votes[(source.block_key, target.block_key)] += 1
    links: dict[BlockKey, BlockKey] = {}
    taken: set[BlockKey] = set()
    for (source_block, target_block), _count in votes.most_common():
        if source_block not in links and target_block not in taken:
            links[source_block] = target_block
            taken.add(target_block)
    strategic = {view.block_key: view.goal.strategic_goal for view in state.targets}
    for view in state.sources:
        if view.block_key in links:
            continue
        for target_block, text in strategic.items():
            if target_block in taken or target_block[0] != view.theme:
                continue
            same_text = normalise_text(text) == normalise_text(view.goal.strategic_goal)
            same_place = target_block == view.block_key and dice(
                lemma_set(text, view.language), lemma_set(view.goal.strategic_goal, view.language)) >= 0.5
            if same_text or same_place:
                links[view.block_key] = target_block
                taken.add(target_block)
                break
    return links


def _neighbours(views: list[GoalView]) -> dict[GoalView, tuple[GoalView | None, GoalView | None]]:
    by_block: dict[BlockKey, list[GoalView]] = defaultdict(list)
    for view in views:
        by_block[view.block_key].append(view)
    result = {}
    for rows in by_block.values():
        rows.sort(key=lambda v: v.row)
        for index, view in enumerate(rows):
            result[view] = (rows[index - 1] if index else None, rows[index + 1] if index + 1 < len(rows) else None)
    return result


def _same_position(state: _State, source: GoalView, target: GoalView, blocks: dict[BlockKey, BlockKey],
                   source_nb: dict, target_nb: dict) -> bool:
    if blocks.get(source.block_key) != target.block_key:
        return False
    if source.row == target.row:
        return True
    (source_prev, source_next), (target_prev, target_next) = source_nb[source], target_nb[target]
    if source_prev is not None and target_prev is not None and state.partner(source_prev) is target_prev:
        return True
    return source_next is not None and target_next is not None and state.partner(source_next) is target_next


def _greedy(state: _State, candidates: list[tuple[float, GoalView, GoalView]], margin: float, method: str) -> None:
    """Best-first, both ends free, and no free rival within `margin` (ambiguous pairs stay unlinked)."""
    candidates.sort(key=lambda c: (-c[0], c[1].order, c[2].order))
    used_sources: set[GoalView] = set()
    used_targets: set[GoalView] = set()
    for score, source, target in candidates:
        if source in used_sources or target in used_targets:
            continue
        rivals = [s for s, a, b in candidates if (a is source) != (b is target)
                  and (a is source and b not in used_targets or b is target and a not in used_sources)]
        if rivals and max(rivals) > score - margin:
            continue
        state.link(source, target, method, score)
        used_sources.add(source)
        used_targets.add(target)


def same_language_score(source: GoalView, target: GoalView) -> float:
    return max(dice(source.lemmas, target.lemmas), fuzzy_ratio(source.row_text, target.row_text))


def link_same_language(sources: list[GoalView], targets: list[GoalView], settings: LinkSettings,
                       overrides: list[LinkOverride] = ()) -> tuple[list[Decision], list[str]]:
    """The full ladder for two documents in one language; returns decisions and override problems."""
    state = _State(sources, targets)
    problems = _apply_overrides(state, list(overrides))
    _link_identical(state)
    blocks = _block_links(state)
    source_nb, target_nb = _neighbours(sources), _neighbours(targets)
    # Position links can anchor further position links (a row whose neighbour was just linked): repeat.
    while True:
        before = len(state.pairs)
        candidates = [
            (score, s, t)
            for s in state.free_sources() for t in state.free_targets()
            if _same_position(state, s, t, blocks, source_nb, target_nb)
            and (score := dice(s.lemmas, t.lemmas)) >= settings.position_lemma_min
        ]
        _greedy(state, candidates, settings.margin, "position+lemma")
        if len(state.pairs) == before:
            break
    fuzzy = [(score, s, t) for s in state.free_sources() for t in state.free_targets()
             if (score := fuzzy_ratio(s.row_text, t.row_text)) >= settings.fuzzy_min]
    _greedy(state, fuzzy, settings.margin, "fuzzy")
    return _decisions(state, same_language_score), problems


def _parallel_blocks(sources: list[GoalView], targets: list[GoalView]) -> dict[BlockKey, tuple[BlockKey, bool]]:
    """Per source strategic goal: the target one at the same place in a theme with as many strategic goals,
    and whether both hold as many rows (then row numbers correspond)."""
    def shape(views: list[GoalView]) -> tuple[Counter, Counter]:
        blocks = Counter(v.block_key for v in views)
        themes = Counter(theme for theme, _block in blocks)
        return blocks, themes

    source_blocks, source_themes = shape(sources)
    target_blocks, target_themes = shape(targets)
    result = {}
    for block, rows in source_blocks.items():
        theme = block[0]
        if block in target_blocks and source_themes[theme] == target_themes[theme]:
            result[block] = (block, rows == target_blocks[block])
    return result


def cross_language_score(source: GoalView, target: GoalView, position: float) -> float:
    """Weighted agreement: position (weight 2), numbers in the whole goal text (1, when either has any),
    role keys (1, when both name known offices)."""
    weights, total = 2.0, 2.0 * position
    if source.numbers or target.numbers:
        weights += 1.0
        total += multiset_dice(source.numbers, target.numbers)
    if source.role_keys and target.role_keys:
        weights += 1.0
        total += dice(source.role_keys, target.role_keys)
    return total / weights


def _cross_position(source: GoalView, target: GoalView, blocks: dict[BlockKey, tuple[BlockKey, bool]]) -> float:
    mapped = blocks.get(source.block_key)
    if mapped is None or mapped[0] != target.block_key:
        return 0.0
    parallel_rows = mapped[1]
    if parallel_rows:
        return 1.0 if source.row == target.row else 0.0
    return 0.5


def link_cross_language(sources: list[GoalView], targets: list[GoalView], settings: LinkSettings,
                        overrides: list[LinkOverride] = ()) -> tuple[list[Decision], list[str]]:
    """Goals of two languages: the texts cannot be compared, the structure, numbers and offices can."""
    state = _State(sources, targets)
    problems = _apply_overrides(state, list(overrides))
    blocks = _parallel_blocks(sources, targets)
    candidates = [
        (score, s, t)
        for s in state.free_sources() for t in state.free_targets()
        if (position := _cross_position(s, t, blocks)) > 0
        and (score := cross_language_score(s, t, position)) >= settings.cross_language_min
    ]
    _greedy(state, candidates, settings.margin, "position+numbers+roles")

    def best(source: GoalView, target: GoalView) -> float:
        return cross_language_score(source, target, _cross_position(source, target, blocks))

    return _decisions(state, best), problems


def _best_candidate(view: GoalView, others: list[GoalView], score: Callable[[GoalView, GoalView], float],
                    view_is_source: bool) -> tuple[GoalView | None, float]:
    best: tuple[GoalView | None, float] = (None, 0.0)
    for other in others:
        value = score(view, other) if view_is_source else score(other, view)
        if value > best[1]:
            best = (other, value)
    return best


def _decisions(state: _State, score: Callable[[GoalView, GoalView], float]) -> list[Decision]:
    decisions = [Decision(source, target, method, value, note=note)
                 for source, (target, method, value, note) in state.pairs.items()]
    linked_targets = {d.target for d in decisions}
    for source in state.sources:
        if source not in state.pairs:
            candidate, value = _best_candidate(source, state.targets, score, True)
            decisions.append(Decision(source, None, "none", round(value, 4), candidate, state.notes.get(source, "")))
    for target in state.targets:
        if target not in linked_targets:
            candidate, value = _best_candidate(target, state.sources, score, False)
            decisions.append(Decision(None, target, "none", round(value, 4), candidate, state.notes.get(target, "")))
    return decisions
