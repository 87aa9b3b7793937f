"""Report stage, content: the comparison datasets of one organisation -> what the HTML report shows.

Contract: (ReportInput, organisation key) -> OrganisationReport (plain dataclasses, Markup for the diffed
texts and the SVG charts); pure. Columns are the representative documents: the primary language's
editions oldest first, then the other languages'. A row is a chain of linked goals across the columns.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from extractors.hierarchy import reducing_lines
from extractors.link.goals import row_fields
from extractors.nlp import role_key
from extractors.report.charts import Series, line_chart
from extractors.report.diff import word_diff
from models.links import EditionRecord, FinanceSeriesPoint, GoalLink, UnitLink
from models.records import Goal

MAIN_LINES = ("operating_income", "operating_costs", "operating_margin", "personnel_costs", "purchased_services")
UNIT_LINES = ("operating_margin", "operating_costs")
CHANGE_ORDER = ("same", "reworded", "target_changed", "responsible_changed", "translated", "new", "dropped")
KIND_LABELS = {"actual": "actual", "budget": "budget", "budget_amended": "amended budget", "frame": "frame"}
MISSING = "—"
"""What the report prints where a value is unknown (an edition without a year, a document without a language)."""
NO_THEME = "Goals without a theme heading"
"""The heading of the goals printed under no numbered or titled theme."""
WHOLE = "whole municipality"
"""The chart title of figures without a unit name when the organisation has no name either."""
GoalRef = tuple[str, str]  # (document_id, goal_id)


@dataclass
class ReportInput:
    editions: list[EditionRecord]
    goal_links: list[GoalLink]
    unit_links: list[UnitLink]
    finance_series: list[FinanceSeriesPoint]
    goals: list[Goal]


@dataclass
class Column:
    document_id: str
    edition: int | None
    language: str | None
    label: str
    source: str
    primary: bool


@dataclass
class Cell:
    goal: Goal | None
    change: str | None = None
    method: str = ""
    score: float | None = None
    strategic: Markup = Markup("")
    texts: dict[str, Markup] = field(default_factory=dict)
    responsible: str = ""
    notes: list[str] = field(default_factory=list)
    measure: str = ""
    """'baseline → target → outcome' of the goal's indicator, as printed, where the document has them."""
    status: str = ""
    """The assessment: status key, what was printed or drawn, progress ('partly · mark:yellow 2 · 80 %')."""


@dataclass
class Row:
    cells: list[Cell]


@dataclass
class Theme:
    number: int | None
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return theme_heading(self.number, self.title)


@dataclass
class Chart:
    title: str
    svg: Markup
    years: list[int]
    table: list[tuple[str, list[str]]]


@dataclass
class OrganisationReport:
    key: str
    name: str
    editions: list[EditionRecord]
    columns: list[Column]
    summaries: list[tuple[str, Counter]]
    themes: list[Theme]
    units: list[UnitLink]
    charts: list[Chart]
    change_order: tuple[str, ...] = CHANGE_ORDER


def columns_of(editions: list[EditionRecord]) -> list[Column]:
    representatives = [e for e in editions if e.representative]
    primary = representatives[0].primary_language if representatives else None
    ordered = sorted(representatives, key=lambda e: (e.language != primary, e.language or "", e.edition or 0))
    return [Column(e.document_id, e.edition, e.language, edition_label(e), Path(e.source_path).name,
                   e.language == primary) for e in ordered]


def shown(value: object) -> str:
    """A value as the report prints it: None -> '—' (never the word 'None')."""
    return MISSING if value is None else str(value)


def edition_label(edition: EditionRecord) -> str:
    """'2025 · sv'; an unknown year or language is a dash: '— · sv'."""
    return f"{shown(edition.edition)} · {shown(edition.language)}"


def theme_heading(number: int | None, title: str) -> str:
    """'3. Elinvoima'; 'Elinvoima' without a number; NO_THEME when neither was printed."""
    if number is None:
        return title or NO_THEME
    return f"{number}. {title}".rstrip()


def _incoming(column: Column, columns: list[Column], links: list[GoalLink]) -> list[GoalLink]:
    """The links that lead into a column: from the previous edition in its language, else from the previous
    edition in another language (a bridge: the change since last year reaches this language's reader),
    else from the same edition's primary-language version."""
    into = [link for link in links if link.to_document_id == column.document_id]
    same_language = [c for c in columns if c.language == column.language and (c.edition or 0) < (column.edition or 0)]
    if same_language:
        previous = same_language[-1].document_id
        return [link for link in into if link.from_document_id == previous]
    consecutive = [link for link in into if link.comparison == "consecutive"]
    return consecutive or [link for link in into if link.comparison == "translation"]


def _chains(columns: list[Column], links: list[GoalLink], goals: dict[GoalRef, Goal]) -> list[dict[str, GoalRef]]:
    """Goals linked by any comparison between the columns (consecutive, bridge or translation) form a row."""
    parent: dict[GoalRef, GoalRef] = {}

    def root(ref: GoalRef) -> GoalRef:
        while parent.get(ref, ref) != ref:
            ref = parent[ref]
        return ref

    documents = {column.document_id for column in columns}
    for link in links:
        if link.from_goal_id and link.to_goal_id and {link.from_document_id, link.to_document_id} <= documents:
            a = root((link.from_document_id, link.from_goal_id))
            b = root((link.to_document_id, link.to_goal_id))
            if a != b:
                parent[b] = a
    chains: dict[GoalRef, dict[str, GoalRef]] = defaultdict(dict)
    for column in columns:
        for ref in goals:
            if ref[0] == column.document_id:
                chains[root(ref)][column.document_id] = ref
    return list(chains.values())


def _position(goal: Goal) -> tuple[int, ...]:
    parts = goal.goal_id.lstrip("g").split(".")
    return tuple(int(p) for p in parts if p.isdigit()) or (goal.row_index,)


def _responsible_change(link: GoalLink) -> str:
    """'+ upphandlingschef'; across languages offices are compared by their neutral role keys."""
    if not (link.from_goal_id and link.to_goal_id):
        return ""

    same_language = link.from_language == link.to_language

    def identity(role: str, lang: str | None) -> str | None:
        # Across languages an office the lexicon does not know cannot be compared: it is left out.
        return role_key(role, lang or "sv") or (f"{lang}:{role}" if same_language else None)

    old = {identity(r, link.from_language) for r in link.old_responsible} - {None}
    new = {identity(r, link.to_language) for r in link.new_responsible} - {None}
    if old == new:
        return ""
    added = [r for r in link.new_responsible if identity(r, link.to_language) not in old | {None}]
    removed = [r for r in link.old_responsible if identity(r, link.from_language) not in new | {None}]
    return ", ".join([f"+ {r}" for r in added] + [f"− {r}" for r in removed])


def _cell(goal: Goal | None, link: GoalLink | None, reference: Goal | None, first_in_block: bool) -> Cell:
    cell = Cell(goal)
    if link is not None:
        cell.change, cell.method, cell.score = link.change, link.method, link.score
        if link.old_target or link.new_target:
            cell.notes.append(f"target: {link.old_target or '—'} → {link.new_target or '—'}")
        change = _responsible_change(link)
        if change:
            cell.notes.append(f"responsible: {change}")
        if link.change == "dropped" and link.candidate_goal_id:
            cell.notes.append(f"closest: {link.candidate_goal_id} (score {link.score:.2f}, below threshold)")
    if goal is None:
        return cell
    diff = reference is not None and link is not None and link.from_language == link.to_language
    for name in row_fields(goal) + (("outcome",) if goal.outcome and not goal.indicator else ()):
        text = getattr(goal, name) or ""
        cell.texts[name] = word_diff(getattr(reference, name), text) if diff else Markup(escape(text))
    if goal.indicator or goal.target:
        cell.measure = " → ".join(f"{label} {value}" for label, value in (
            ("baseline", goal.baseline), ("target", goal.target), ("outcome", goal.outcome)) if value)
    cell.status = " · ".join(part for part in (
        goal.status or "", goal.status_raw or "", f"{goal.progress:g} %" if goal.progress is not None else "") if part)
    strategic_changed = diff and reference is not None and reference.strategic_goal != goal.strategic_goal
    if first_in_block or strategic_changed:
        text = goal.strategic_goal or ""
        cell.strategic = word_diff(reference.strategic_goal, text) if diff and reference else Markup(escape(text))
    cell.responsible = ", ".join(goal.responsible) or (goal.responsible_raw or "")
    return cell


def goal_themes(columns: list[Column], links: list[GoalLink], goals: list[Goal]) -> list[Theme]:
    documents = {c.document_id for c in columns}
    by_ref = {(g.document_id, g.goal_id): g for g in goals if g.document_id in documents}
    incoming = {c.document_id: _incoming(c, columns, links) for c in columns}
    chains = _chains(columns, links, by_ref)
    primary_columns = [c for c in columns if c.primary] or columns

    def sort_key(chain: dict[str, GoalRef]) -> tuple:
        for rank, column in enumerate(reversed(primary_columns)):
            if column.document_id in chain:
                return (*_position(by_ref[chain[column.document_id]]), rank)
        ref = next(iter(chain.values()))
        return (*_position(by_ref[ref]), len(primary_columns))

    themes: dict[int | None, Theme] = {}
    for chain in sorted(chains, key=sort_key):
        latest = next((by_ref[chain[c.document_id]] for c in reversed(primary_columns) if c.document_id in chain),
                      by_ref[next(iter(chain.values()))])
        theme = themes.setdefault(latest.theme_number, Theme(latest.theme_number, latest.theme_title or ""))
        titles = {by_ref[ref].theme_title for ref in chain.values() if by_ref[ref].theme_title}
        theme.title = " / ".join(sorted(titles, key=lambda t: t != latest.theme_title))
        cells = []
        for column in columns:
            ref = chain.get(column.document_id)
            goal = by_ref[ref] if ref else None
            column_links = incoming[column.document_id]
            link = next((li for li in column_links if ref and li.to_goal_id == ref[1]), None)
            if goal is None:
                members = set(chain.values())
                link = next((li for li in column_links if li.change == "dropped"
                             and (li.from_document_id, li.from_goal_id or "") in members), None)
            reference = None
            if link is not None and link.from_goal_id:
                reference = by_ref.get((link.from_document_id, link.from_goal_id))
            first = goal is not None and _position(goal)[-1:] == (1,)
            cells.append(_cell(goal, link, reference, first))
        theme.rows.append(Row(cells))
    return [themes[key] for key in sorted(themes, key=lambda n: (n is None, n or 0))]


def _series(points: list[FinanceSeriesPoint]) -> list[Series]:
    series: list[Series] = []
    for kind, label in KIND_LABELS.items():
        chosen = [p for p in points if p.figure_kind == kind and p.latest and p.year is not None]
        if chosen:
            item = Series(label, kind, [(p.year, _base(p)) for p in chosen if p.year is not None])
            item.notes = {p.year: f"{p.column_label}, {shown(p.edition)} edition" for p in chosen
                          if p.year is not None}
            series.append(item)
    for edition in sorted({p.edition for p in points if p.figure_kind == "plan"}, key=lambda e: e or 0):
        chosen = [p for p in points if p.figure_kind == "plan" and p.edition == edition and p.year is not None]
        item = Series(f"plan, {shown(edition)} edition", "plan", [(p.year, _base(p)) for p in chosen if p.year])
        item.notes = {p.year: p.column_label for p in chosen if p.year is not None}
        series.append(item)
    return series


def _table(series: list[Series]) -> tuple[list[int], list[tuple[str, list[str]]]]:
    years = sorted({year for s in series for year, _ in s.points})
    rows = []
    for item in series:
        values = dict(item.points)
        rows.append((item.label, [f"{values[y]:,.0f}".replace(",", "\u202f").replace("-", "\u2212")
                                  if y in values else "" for y in years]))
    return years, rows


def finance_charts(points: list[FinanceSeriesPoint], primary: str | None, whole: str) -> list[Chart]:
    """One chart per main line of the main unit, then one per other unit. A figure without a unit name is the
    whole organisation's (the municipality's own statements): its chart is titled with `whole`, the
    organisation's name."""
    by_unit: dict[str, list[FinanceSeriesPoint]] = defaultdict(list)
    for point in points:
        if point.entity_scope not in ("group", "peer"):  # other entities' figures
            by_unit[point.unit_key].append(point)
    if not by_unit:
        return []
    main = "central" if "central" in by_unit else max(by_unit, key=lambda k: (len(by_unit[k]), k))
    wanted = [(main, line) for line in MAIN_LINES]
    wanted += [(unit, line) for unit in sorted(by_unit) if unit != main for line in UNIT_LINES[:1]]
    charts = []
    for unit, line in wanted:
        chosen = [p for p in by_unit[unit] if p.line_key == line]
        if not chosen:
            continue
        named = sorted(chosen, key=lambda p: (p.language != primary, -(p.edition or 0)))[0]
        title = f"{named.unit_name or whole} — {named.line_label}"
        series = _series(chosen)
        years, table = _table(series)
        charts.append(Chart(title, line_chart(title, series), years, table))
    return charts


def organisation_report(data: ReportInput, organisation_key: str) -> OrganisationReport:
    editions = [e for e in data.editions if e.organisation_key == organisation_key]
    if not editions:
        raise ValueError(f"no editions of organisation {organisation_key!r}")
    columns = columns_of(editions)
    links = [link for link in data.goal_links if link.organisation_key == organisation_key]
    labels = {e.document_id: edition_label(e) for e in editions}
    summaries: dict[str, Counter] = {}
    for link in links:
        title = f"{labels[link.from_document_id]} → {labels[link.to_document_id]} ({link.comparison})"
        summaries.setdefault(title, Counter())[link.change] += 1
    units = [u for u in data.unit_links if u.organisation_key == organisation_key]
    points = [p for p in data.finance_series if p.organisation_key == organisation_key]
    return OrganisationReport(
        key=organisation_key, name=editions[0].organisation_name, editions=editions, columns=columns,
        summaries=list(summaries.items()), themes=goal_themes(columns, links, data.goals), units=units,
        charts=finance_charts(points, editions[0].primary_language, editions[0].organisation_name or WHOLE),
    )


def _base(point: FinanceSeriesPoint) -> float:
    """A point in the base unit (euros), so editions printed in euros and in thousands chart together, with costs
    negative whatever its table printed: a line that reduces its total (costs, depreciation, ...: its signs
    along the chart multiply to -1, extractors.hierarchy.reducing_lines) printed by a `costs_positive` table
    ('Toimintamenot 605 700') is turned, so that it charts beside the same line printed `costs_negative`
    ('Toimintakulut -46 216 718'; the rule: output/README.md, validation, sign conventions). A `mixed` table's
    figures, and those of a table printing no cost line, are charted as printed."""
    value = float(point.value if point.value is not None else point.amount)
    if point.sign_convention == "costs_positive" and point.line_key in reducing_lines():
        return -value
    return value
