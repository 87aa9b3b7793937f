"""Link stage, comparison: the per-document datasets -> editions, goal_links, unit_links, finance_series.

Contract: compare_catalog(Catalog, Overrides, LinkSettings, filters) -> ComparisonResult; pure, no I/O.
Every pair of consecutive editions of an organisation is compared in each language of the later edition,
and the language versions of each edition with one another (see organisations.planned_comparisons).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel

from extractors.link.changes import goal_targets
from extractors.link.finance import finance_series, organisation_figures
from extractors.link.goals import Decision, GoalView, goal_views, link_cross_language, link_same_language
from extractors.link.organisations import (
    Membership,
    Organisation,
    PlannedComparison,
    edition_of,
    edition_records,
    memberships,
    municipality_key,
    organisations,
    planned_comparisons,
)
from extractors.link.overrides import Overrides, applicable
from extractors.link.records import TargetsOf, compose, compose_units, goal_detail, goal_link, unit_link
from extractors.link.settings import DEFAULT_SETTINGS, LinkSettings
from extractors.link.text import normalise_text, slug
from extractors.link.units import UnitDecision, UnitRef, UnitView, assign_unit_keys, link_units, unit_views
from models.links import EditionRecord, FinanceSeriesPoint, GoalLink, UnitLink
from models.records import DocumentRecord, FinanceFigure, Goal, Section, Target, Unit

DERIVED = ("editions", "goal_links", "unit_links", "finance_series")


@dataclass
class Catalog:
    """The per-document datasets a comparison reads."""

    documents: list[DocumentRecord]
    units: list[Unit] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    finance: list[FinanceFigure] = field(default_factory=list)


@dataclass
class ComparisonResult:
    organisations: list[str] = field(default_factory=list)
    editions: list[EditionRecord] = field(default_factory=list)
    goal_links: list[GoalLink] = field(default_factory=list)
    unit_links: list[UnitLink] = field(default_factory=list)
    finance_series: list[FinanceSeriesPoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def datasets(self) -> dict[str, list[BaseModel]]:
        return {name: list(getattr(self, name)) for name in DERIVED}


def _unit_names(members: Iterable[Membership], units: list[Unit],
                all_members: Iterable[Membership] = ()) -> dict[str, set[str | None]]:
    """document_id -> names of the organisation's units in it, plus None (records under no unit) when it is
    the document's only organisation or its whole-city (`.city`) part."""
    members = list(members)
    per_document: dict[str, int] = defaultdict(int)
    for member in list(all_members) or members:
        per_document[member.document.document_id] += 1
    names: dict[str, set[str | None]] = defaultdict(set)
    for member in members:
        document_id = member.document.document_id
        names[document_id] |= {u.name for u in units if u.unit_id in member.unit_ids}
        if member.central is None or per_document.get(document_id, 1) == 1:
            names[document_id].add(None)
    return names


def selected(organisation: Organisation, units: list[Unit], municipality: str | None, unit: str | None) -> bool:
    """--municipality matches any language's name or the key; --unit any unit name of the organisation (any
    edition, any language) or the last part of the organisation key."""
    if municipality:
        keys = {m.municipality_key for m in organisation.members}
        names = {normalise_text(m.document.municipality) for m in organisation.members}
        if municipality_key(municipality) not in keys and normalise_text(municipality) not in names:
            return False
    if unit:
        wanted = normalise_text(unit)
        unit_ids = {u for m in organisation.members for u in m.unit_ids}
        names = {normalise_text(u.name) for u in units if u.unit_id in unit_ids}
        if wanted not in names and unit not in (organisation.key, organisation.key.rsplit(".", 1)[-1]):
            return False
    return True


class _Comparer:
    """Computes (and caches) the ladder decisions between two documents of one organisation."""

    def __init__(self, organisation: Organisation, catalog: Catalog, overrides: Overrides,
                 settings: LinkSettings, all_members: Iterable[Membership] = ()) -> None:
        self.organisation, self.overrides, self.settings = organisation, overrides, settings
        self.names = _unit_names(organisation.members, catalog.units, all_members)
        self.goal_views: dict[str, list[GoalView]] = {}
        self.unit_views: dict[str, list[UnitView]] = {}
        self.targets: TargetsOf = {}
        self.problems: list[str] = []
        by_document: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for name in ("units", "sections", "goals", "targets", "finance"):
            for record in getattr(catalog, name):
                by_document[record.document_id][name].append(record)
        for member in organisation.members:
            document = member.document
            records = by_document[document.document_id]
            names = self.names[document.document_id]
            goals = [g for g in records["goals"] if g.unit_name in names]
            self.goal_views[document.document_id] = views = goal_views(goals, document.language)
            goal_ids = {g.goal_id for g in goals}
            self.targets[document.document_id] = goal_targets(
                [t for t in records["targets"] if t.goal_id in goal_ids], views)
            self.unit_views[document.document_id] = unit_views(
                [u for u in records["units"] if u.unit_id in member.unit_ids],
                [s for s in records["sections"] if s.unit_name in names],
                [f for f in records["finance"] if f.unit_name in names], document.language)
        self._goal_cache: dict[tuple[str, str], list[Decision]] = {}
        self._unit_cache: dict[tuple[str, str], list[UnitDecision]] = {}

    def _applicable(self, kind: str, source: Membership, target: Membership) -> list:
        return applicable(getattr(self.overrides, kind), self.organisation.key, source.document,
                          edition_of(source.document), target.document, edition_of(target.document))

    def goals(self, source: Membership, target: Membership) -> list[Decision]:
        key = (source.document.document_id, target.document.document_id)
        if key not in self._goal_cache:
            same = source.document.language == target.document.language
            link = link_same_language if same else link_cross_language
            decisions, problems = link(self.goal_views[key[0]], self.goal_views[key[1]], self.settings,
                                       self._applicable("goal_links", source, target))
            self.problems += [f"{self.organisation.key}: {p}" for p in problems]
            self._goal_cache[key] = decisions
        return self._goal_cache[key]

    def units(self, source: Membership, target: Membership) -> list[UnitDecision]:
        key = (source.document.document_id, target.document.document_id)
        if key not in self._unit_cache:
            decisions, problems = link_units(self.unit_views[key[0]], self.unit_views[key[1]], self.settings,
                                             self._applicable("unit_links", source, target))
            self.problems += [f"{self.organisation.key}: {p}" for p in problems]
            self._unit_cache[key] = decisions
        return self._unit_cache[key]


def _goal_order(link: GoalLink, order: dict[tuple[str, str], int]) -> tuple:
    source = order.get((link.from_document_id, link.from_goal_id or ""))
    target = order.get((link.to_document_id, link.to_goal_id or ""))
    return (source is None, source or 0, target or 0)


def compare_organisation(organisation: Organisation, catalog: Catalog, overrides: Overrides,
                         settings: LinkSettings, all_members: Iterable[Membership] = ()) -> ComparisonResult:
    """`all_members`: every document's organisations (a document's records under no unit belong to its only
    organisation or to its `.city` part)."""
    comparer = _Comparer(organisation, catalog, overrides, settings, all_members)
    result = ComparisonResult(organisations=[organisation.key], editions=edition_records(organisation))
    plans = planned_comparisons(organisation)
    unit_rows: list[tuple[PlannedComparison, UnitDecision, UnitDecision | None]] = []
    goal_order = {(d, v.goal_id): v.order for d, views in comparer.goal_views.items() for v in views}
    for plan in plans:
        links: list[GoalLink] = []
        if plan.via is None:
            for decision in comparer.goals(plan.source, plan.target):
                detail = goal_detail(decision, comparer.targets) if decision.source and decision.target else None
                links.append(goal_link(plan, decision, detail))
            unit_rows += [(plan, d, None) for d in comparer.units(plan.source, plan.target)]
        else:
            chained = compose(comparer.goals(plan.source, plan.via), comparer.goals(plan.via, plan.target))
            for decision, step in chained:
                detail = goal_detail(decision, comparer.targets, step) if decision.source and decision.target else None
                links.append(goal_link(plan, decision, detail, plan.via.document.document_id))
            unit_rows += [(plan, d, s) for d, s in compose_units(comparer.units(plan.source, plan.via),
                                                                   comparer.units(plan.via, plan.target))]
        result.goal_links += sorted(links, key=lambda link: _goal_order(link, goal_order))
    keys = _unit_keys(organisation, comparer, [d for _, d, _ in unit_rows])
    for plan, unit_decision, unit_step in unit_rows:
        view = unit_decision.source or unit_decision.target
        assert view is not None
        result.unit_links.append(unit_link(plan, unit_decision, keys[view.ref], unit_step))
    figures = organisation_figures(organisation, catalog.finance, comparer.names)
    units_by_name = {(u.document_id, u.name): u for u in catalog.units}

    def unit_key(document_id: str, unit_name: str | None) -> str:
        unit = units_by_name.get((document_id, unit_name or ""))
        if unit is not None and (document_id, unit.unit_id) in keys:
            return keys[(document_id, unit.unit_id)]
        return f"unit:{slug(unit_name)}" if unit_name else "document"

    result.finance_series = finance_series(organisation, figures, unit_key)
    result.problems = comparer.problems
    return result


def _unit_keys(organisation: Organisation, comparer: _Comparer, decisions: list[UnitDecision]) -> dict[UnitRef, str]:
    """Unit keys over every comparison, plus each duplicate document linked to its edition's representative."""
    pairs = [(d.source.ref, d.target.ref) for d in decisions if d.source and d.target]
    ordered_members: list[Membership] = []
    for edition in [*organisation.ordered_editions(), None]:
        for language in organisation.languages(edition):
            members = organisation.editions[edition][language]
            ordered_members += members
            for duplicate in members[1:]:
                pairs += [(d.source.ref, d.target.ref) for d in comparer.units(members[0], duplicate)
                          if d.source and d.target]
    ordered_units = [view.unit for m in ordered_members for view in comparer.unit_views[m.document.document_id]]
    return assign_unit_keys(ordered_units, pairs)


def compare_catalog(catalog: Catalog, overrides: Overrides | None = None, settings: LinkSettings = DEFAULT_SETTINGS,
                    municipality: str | None = None, unit: str | None = None) -> ComparisonResult:
    """Compare the editions of every organisation in the catalog (or of the selected ones)."""
    overrides = overrides or Overrides()
    result = ComparisonResult()
    unplaced = {record.document_id for name in ("finance", "goals", "sections") for record in getattr(catalog, name)
                if record.unit_name is None}
    members = memberships(catalog.documents, catalog.units, unplaced)
    for organisation in organisations(members).values():
        if not selected(organisation, catalog.units, municipality, unit):
            continue
        part = compare_organisation(organisation, catalog, overrides, settings, members)
        result.organisations += part.organisations
        for name in (*DERIVED, "problems"):
            getattr(result, name).extend(getattr(part, name))
    return result


def merge_results(existing: dict[str, list[BaseModel]], result: ComparisonResult) -> dict[str, list[BaseModel]]:
    """The derived datasets after a filtered run: other organisations' rows kept, the compared ones replaced."""
    replaced = set(result.organisations)
    merged = {}
    for name, rows in result.datasets().items():
        kept = [row for row in existing.get(name, []) if getattr(row, "organisation_key", None) not in replaced]
        merged[name] = kept + rows
    return merged
