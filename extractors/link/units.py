"""Link stage, units: link the central and its responsibility areas of two documents; key them across editions.

Contract: (unit views of two documents, overrides, settings) -> UnitDecisions; (all decisions of an
organisation) -> one language-neutral unit key per unit. Pure.

Ladder: manual override -> the top-level units themselves (a central or a board: they define the
organisation) -> the same name ->
evidence: the responsible office's role key (weight 0.35), the place in the hierarchy (linked parent and
the same position among siblings, 0.25) and the content (0.4: lemma Dice of the unit's section texts in
one language; equal figures in the same finance cells across languages). A unit linked under another
name is `renamed` (`translated` across languages); below `unit_min` it is new or dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from extractors.link.overrides import LinkOverride
from extractors.link.settings import LinkSettings
from extractors.link.text import dice, lemma_set, normalise_text, slug
from extractors.units import ROOT_LEVELS
from models.records import FinanceFigure, Section, Unit

CONTENT_SECTION_KINDS = frozenset({"principles", "tasks", "focus_areas", "changes", "risks", "areas_list"})
WEIGHTS = {"responsible": 0.35, "position": 0.25, "content": 0.4}
UnitRef = tuple[str, str]  # (document_id, unit_id)


@dataclass(frozen=True, eq=False)
class UnitView:
    unit: Unit
    language: str | None
    ordinal: int
    content: frozenset[str]
    cells: dict[tuple[str | None, int | None, str], int]

    @property
    def ref(self) -> UnitRef:
        return (self.unit.document_id, self.unit.unit_id)


def unit_views(units: Iterable[Unit], sections: Iterable[Section], finance: Iterable[FinanceFigure],
               language: str | None) -> list[UnitView]:
    units = list(units)
    texts: dict[str | None, list[str]] = defaultdict(list)
    for section in sections:
        if section.kind in CONTENT_SECTION_KINDS:
            texts[section.unit_name].append(" ".join([section.text, *section.items]))
    cells: dict[str | None, dict] = defaultdict(dict)
    for figure in finance:
        cells[figure.unit_name].setdefault((figure.line_key, figure.year, figure.figure_kind), figure.amount)
    ordinal: dict[str | None, int] = defaultdict(int)
    views = []
    for unit in units:
        ordinal[unit.parent_unit_id] += 1
        views.append(UnitView(unit, language, ordinal[unit.parent_unit_id],
                              lemma_set(" ".join(texts.get(unit.name, [])), language), cells.get(unit.name, {})))
    return views


@dataclass
class UnitDecision:
    source: UnitView | None
    target: UnitView | None
    method: str
    score: float
    evidence: list[str] = field(default_factory=list)
    note: str = ""


def _finance_agreement(a: UnitView, b: UnitView) -> float | None:
    shared = set(a.cells) & set(b.cells)
    if not shared:
        return None
    return sum(a.cells[key] == b.cells[key] for key in shared) / len(shared)


def evidence_scores(a: UnitView, b: UnitView, parent_linked: bool) -> dict[str, float]:
    """The evidences available for a pair, each in [0, 1]."""
    scores: dict[str, float] = {}
    if a.unit.responsible_role_key and b.unit.responsible_role_key:
        scores["responsible"] = float(a.unit.responsible_role_key == b.unit.responsible_role_key)
    scores["position"] = (1.0 if a.ordinal == b.ordinal else 0.5) if parent_linked else 0.0
    if a.language == b.language:
        if a.content or b.content:
            scores["content"] = dice(a.content, b.content)
    else:
        agreement = _finance_agreement(a, b)
        if agreement is not None:
            scores["content"] = agreement
    return scores


def weighted(scores: dict[str, float]) -> float:
    total = sum(WEIGHTS[name] for name in scores)
    return sum(WEIGHTS[name] * value for name, value in scores.items()) / total if total else 0.0


def link_units(sources: list[UnitView], targets: list[UnitView], settings: LinkSettings,
               overrides: list[LinkOverride] = ()) -> tuple[list[UnitDecision], list[str]]:
    pairs: dict[UnitView, tuple[UnitView, str, float, list[str], str]] = {}
    closed: set[UnitView] = set()
    notes: dict[UnitView, str] = {}
    problems: list[str] = []

    def find(views: list[UnitView], name: str | None) -> UnitView | None:
        wanted = normalise_text(name)
        return next((v for v in views if normalise_text(v.unit.name) == wanted or v.unit.unit_id == name), None)

    for override in overrides:
        source, target = find(sources, override.source.unit), find(targets, override.target.unit)
        if (override.source.unit and source is None) or (override.target.unit and target is None):
            problems.append(f"unit override {override.source.unit} -> {override.target.unit}: unit not found")
        elif source is not None and target is not None:
            pairs[source] = (target, "manual", 1.0, [], override.note)
        else:
            lone = source or target
            if lone is not None:
                closed.add(lone)
                notes[lone] = override.note

    def free() -> tuple[list[UnitView], list[UnitView]]:
        taken = {pair[0] for pair in pairs.values()}
        return ([s for s in sources if s not in pairs and s not in closed],
                [t for t in targets if t not in taken and t not in closed])

    # the organisation's top-level unit (a central, a board) is the organisation itself in both documents
    centrals = [[v for v in views if v.unit.parent_unit_id is None and v.unit.level in ROOT_LEVELS]
                for views in free()]
    if len(centrals[0]) == 1 and len(centrals[1]) == 1:
        pairs[centrals[0][0]] = (centrals[1][0], "organisation", 1.0, ["organisation"], "")
    free_sources, free_targets = free()
    for source in free_sources:
        for target in free_targets:
            if (source.language == target.language and source.unit.level == target.unit.level
                    and normalise_text(source.unit.name) == normalise_text(target.unit.name)
                    and target not in {p[0] for p in pairs.values()}):
                pairs[source] = (target, "name", 1.0, ["name"], "")
                break
    while True:
        free_sources, free_targets = free()
        partner = {s.unit.unit_id: p[0].unit.unit_id for s, p in pairs.items()}
        candidates = []
        for source in free_sources:
            for target in free_targets:
                if source.unit.level != target.unit.level:
                    continue
                scores = evidence_scores(source, target, _parents_linked(source, target, partner))
                score = weighted(scores)
                if score >= settings.unit_min:
                    candidates.append((score, source, target, sorted(n for n, v in scores.items() if v >= 0.5)))
        if not _accept(candidates, pairs, settings.margin):
            break
    return _unit_decisions(sources, targets, pairs, notes), problems


def _parents_linked(source: UnitView, target: UnitView, partner: dict[str, str]) -> bool:
    source_parent, target_parent = source.unit.parent_unit_id, target.unit.parent_unit_id
    if source_parent is None or target_parent is None:
        return source_parent is None and target_parent is None
    return partner.get(source_parent) == target_parent


def _accept(candidates: list, pairs: dict, margin: float) -> bool:
    candidates.sort(key=lambda c: (-c[0], c[1].ordinal, c[2].ordinal))
    used_s: set[UnitView] = set()
    used_t: set[UnitView] = set()
    accepted = False
    for score, source, target, evidence in candidates:
        if source in used_s or target in used_t:
            continue
        rivals = [c[0] for c in candidates if (c[1] is source) != (c[2] is target)
                  and (c[1] is source and c[2] not in used_t or c[2] is target and c[1] not in used_s)]
        if rivals and max(rivals) > score - margin:
            continue
        pairs[source] = (target, "evidence", round(score, 4), evidence, "")
        used_s.add(source)
        used_t.add(target)
        accepted = True
    return accepted


def _unit_decisions(sources: list[UnitView], targets: list[UnitView], pairs: dict,
                    notes: dict[UnitView, str]) -> list[UnitDecision]:
    decisions = [UnitDecision(s, t, method, score, evidence, note)
                 for s, (t, method, score, evidence, note) in pairs.items()]
    linked = {d.target for d in decisions}
    decisions += [UnitDecision(s, None, "none", 0.0, note=notes.get(s, "")) for s in sources if s not in pairs]
    decisions += [UnitDecision(None, t, "none", 0.0, note=notes.get(t, "")) for t in targets if t not in linked]
    return decisions


def unit_change(decision: UnitDecision) -> str:
    if decision.source is None:
        return "new"
    if decision.target is None:
        return "dropped"
    if decision.source.language != decision.target.language:
        return "translated"
    same = normalise_text(decision.source.unit.name) == normalise_text(decision.target.unit.name)
    return "same" if same else "renamed"


def assign_unit_keys(ordered_units: list[Unit], links: Iterable[tuple[UnitRef, UnitRef]]) -> dict[UnitRef, str]:
    """One key per chain of linked units: 'central', else the first known responsible office, else the
    first name; `ordered_units` comes earliest edition (primary language) first. Keys are unique."""
    parent: dict[UnitRef, UnitRef] = {}

    def root(ref: UnitRef) -> UnitRef:
        while parent.get(ref, ref) != ref:
            ref = parent[ref]
        return ref

    for first, second in links:
        a, b = root(first), root(second)
        if a != b:
            parent[b] = a
    chains: dict[UnitRef, list[Unit]] = defaultdict(list)
    for unit in ordered_units:
        chains[root((unit.document_id, unit.unit_id))].append(unit)
    keys: dict[UnitRef, str] = {}
    used: set[str] = set()
    for members in chains.values():
        if any(u.level == "central" for u in members):
            key = "central"
        else:
            key = next((u.responsible_role_key for u in members if u.responsible_role_key), None) \
                or slug(members[0].name) or "unit"
        if key in used:
            key = f"{key}-{slug(members[0].name)}"
        used.add(key)
        for unit in members:
            keys[(unit.document_id, unit.unit_id)] = key
    return keys
