"""Understanding stage: goal and section texts -> repaired words, responsible roles, measurable targets."""

from __future__ import annotations

from collections import defaultdict

from extractors.goals.columns import column_key
from extractors.nlp import document_vocabulary, find_targets, repair_text, role_key, split_roles, unit_role
from extractors.nlp.cells import cell_quantity, prints_value, scaled_amount, spaced, unit_word
from extractors.nlp.repair import LineBreaks, join_line_breaks, line_break_pairs
from extractors.nlp.targets import indicator_unit, measure_unit, per_unit_quantity
from extractors.numbers import parse_amount
from models import Goal, PlanDocument, Responsible, Section, Table, Target, Unit

STAGE = "understand"
GOAL_TEXT_FIELDS = ("strategic_goal", "central_goal", "area_goal", "actions")
TARGET_FIELDS = ("strategic_goal", "central_goal", "area_goal")
REPAIRED_FIELDS = ("goal", "indicator", "baseline", "target", "outcome", "comment")
"""New goal texts repaired in place (the goal's own text keeps its raw form in goal_raw)."""


Repairs = dict[tuple[str, int], tuple[str, list[str]]]
"""repair_text's answers of one `understand` call by (text, id of the line breaks): the document's
vocabulary and breaks stay the same through the call, and a book repeats many texts ('Toteutui', 'Kyllä':
Seinäjoki's 1 860 texts are 1 101 different ones)."""


def _repair(doc: PlanDocument, text: str | None, lang: str, vocab: set[str], where: str,
            page: int | None, breaks: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
            repairs: Repairs | None = None) -> str | None:
    if not text:
        return text
    key = (text, id(breaks))
    done = repairs.get(key) if repairs is not None else None
    if done is None:
        done = repair_text(text, lang, vocab, breaks)
        if repairs is not None:
            repairs[key] = done
    repaired, findings = done
    for finding in findings:
        doc.add_issue("text_repair_unsure", STAGE, f"{where}: {finding}", severity="info", page=page)
    return repaired


def _printed_lines(doc: PlanDocument) -> list[list[str]]:
    """Texts the PDF stage kept line by line: wrapped blocks and table cells."""
    groups: list[list[str]] = []
    for item in doc.items:
        if isinstance(item, Table):
            groups += [cell.lines for row in item.rows for cell in row.cells if cell.lines]
        else:
            groups.append(item.lines or [item.text])
    return groups


def printed_line_breaks(doc: PlanDocument) -> LineBreaks:
    """The words the document prints broken over two lines (or hyphenated inside a line), from its wrapped
    blocks and table cells (see `line_break_pairs`)."""
    return line_break_pairs(_printed_lines(doc))


def understand(doc: PlanDocument, units: list[Unit], sections: list[Section],
               goals: list[Goal], breaks: LineBreaks | None = None) -> tuple[list[Responsible], list[Target]]:
    """Repair texts in place (raw text kept beside), split responsibles, find targets.

    breaks: `printed_line_breaks(doc)` when the caller took them before letting the document's table rows go;
    read from the document when None."""
    lang = doc.language or "sv"
    vocab = document_vocabulary(
        [b.text for b in doc.blocks()]
        + [getattr(g, f) for g in goals for f in (*GOAL_TEXT_FIELDS, *REPAIRED_FIELDS, "responsible_raw")]
        + [s.text for s in sections] + [i for s in sections for i in s.items]
    )
    if breaks is None:
        breaks = printed_line_breaks(doc)
    repairs: Repairs = {}
    for section in sections:
        section.text_raw, section.items_raw = section.text, list(section.items)
        where = f"section '{section.heading[:40]}'"
        section.text = _repair(doc, section.text, lang, vocab, where, section.page, repairs=repairs) or ""
        section.items = [_repair(doc, item, lang, vocab, where, section.page, repairs=repairs) or ""
                         for item in section.items]
    for unit in units:
        if unit.responsible_title:
            unit.responsible_role = unit_role(unit.responsible_title, lang, vocab)
            unit.responsible_role_key = role_key(unit.responsible_role, lang) if unit.responsible_role else None
    for goal in goals:
        for field in GOAL_TEXT_FIELDS:
            raw = getattr(goal, field)
            setattr(goal, f"{field}_raw", raw)
            setattr(goal, field, _repair(doc, raw, lang, vocab, f"goal {goal.goal_id} {field}", goal.page, breaks,
                                         repairs))
        goal.goal_raw = goal.goal
        same = next((f for f in GOAL_TEXT_FIELDS if goal.goal and getattr(goal, f"{f}_raw") == goal.goal), None)
        for field in REPAIRED_FIELDS:
            if field == "goal" and same is not None:
                goal.goal = getattr(goal, same)  # the goal's own text is one of the four-column texts
                continue
            setattr(goal, field, _repair(doc, getattr(goal, field), lang, vocab, f"goal {goal.goal_id} {field}",
                                         goal.page, breaks, repairs))
        goal.responsible_raw = join_line_breaks(goal.responsible_raw, lang, vocab, breaks)
        goal.responsible = split_roles(goal.responsible_raw, lang, vocab) or inherited_role(goal, units)
    return responsibles(doc, goals, lang), goal_targets(doc, goals, lang)


def goal_targets(doc: PlanDocument, goals: list[Goal], lang: str) -> list[Target]:
    """Targets in the goal texts and in the target cells. A strategic goal over several rows, and a goal
    over several indicator rows, is searched once; an indicator row that belongs to several goals (a group
    of goals over one indicator block) gives its targets once, with the first of them."""
    targets: list[Target] = []
    seen: set[tuple[object, ...]] = set()
    for goal in goals:
        texts = [(field, getattr(goal, field)) for field in TARGET_FIELDS]
        if goal.goal and goal.goal not in (goal.central_goal, goal.area_goal):
            texts.append(("goal", goal.goal))
        for field, text in texts:
            if not text:
                continue
            if field in ("strategic_goal", "goal"):
                key = (field, goal.theme_number, text)
                if key in seen:
                    continue
                seen.add(key)
            targets += [_target(doc, goal, field, m.metric, m.comparator, m.value, m.value_max, m.unit,
                                m.deadline_year, m.text) for m in find_targets(text, lang)]
        cells: list[Target] = []
        if not goal.target and goal.indicator:
            cells = _indicator_targets(doc, goal, lang)
        elif goal.target:
            cells = _cell_targets(doc, goal, lang)
        printed = ("cells", goal.indicator_page or goal.page, str(goal.indicator_bbox or goal.bbox),
                   f"{goal.indicator}\n{goal.target}")
        if printed not in seen:  # one indicator row shared by a group of goals is one printed target
            seen.add(printed)
            targets += cells
            if not any(t.value is not None for t in cells) and prints_value(goal.target):
                doc.add_issue("target_not_read", STAGE, f"goal {goal.goal_id}: the target cell '{goal.target}' "
                              f"prints a value that was read as no target", page=goal.indicator_page or goal.page)
    return targets


def _indicator_targets(doc: PlanDocument, goal: Goal, lang: str) -> list[Target]:
    """An indicator cell that prints its target level too, with no target of its own ('Toimenpide/mittari':
    'Omavaraisuusaste vähintään 22 % vuonna 2025.', 'Quick ratio – tunnusluvun arvo vähintään 0,5.'): the
    goal's `target` is the first measurable target as printed, and every number target of the cell is a
    target; what is measured is the indicator's text before the first one, else the goal."""
    text = goal.indicator or ""
    found = [m for m in find_targets(text, lang) if m.value is not None]
    if not found:
        return _labelled_target(doc, goal, text, lang)
    goal.target = found[0].text
    before = text[:found[0].start].strip(" :–-,")
    return [_target(doc, goal, "target", before or goal.goal or m.metric, m.comparator, m.value, m.value_max,
                    m.unit, m.deadline_year, m.text) for m in found]


def _labelled_target(doc: PlanDocument, goal: Goal, text: str, lang: str) -> list[Target]:
    """'Mittari vuotovesikerroin, tavoitearvo 2.': a target label of the goal-columns lexicon followed by a number
    in an indicator cell: the number is the target, with comparator '='; what is measured is the words of its
    sentence before the label, without an indicator label ('vuotovesikerroin'). [] when no label stands before
    a number."""
    words = text.split()
    for index, word in enumerate(words[:-1]):
        value = parse_amount(words[index + 1].rstrip(".,;"))
        if value is None or column_key(word.strip(",:;").lower(), lang) != "target":
            continue
        goal.target = words[index + 1].rstrip(".,;")
        sentence = words[:index]
        ends = [i for i, w in enumerate(sentence) if w.endswith(".")]
        sentence = sentence[ends[-1] + 1:] if ends else sentence  # the sentence holding the label
        before = [w for w in sentence if column_key(w.strip(",:;"), lang) != "indicator"]
        metric = " ".join(before).strip(" ,:;") or goal.goal
        return [_target(doc, goal, "target", metric, "=", float(value), None, indicator_unit(text, lang), None,
                        goal.target)]
    return []


def _cell_targets(doc: PlanDocument, goal: Goal, lang: str) -> list[Target]:
    """A target cell ('70–100 %', 'Enint. 2,0 %:n vuotuinen kasvu', '4 900'): what is measured is the
    indicator (else the goal); a bare number is the target value itself, one number in words that end in a
    per-expression a value in that unit ('10 km/ vuosi'), else a number before a counted noun a count of it
    ('11 ryhmää viikossa' in 'ryhmä/viikko', '25 pv'). A cell that prints no unit takes the one its
    indicator prints ('euroa/asukas', '(% asukkaista)'; `indicator_unit`), or the unit that is all an indicator
    cell prints ('€'). An amount with its scale word is in base units ('-300 t€' -> -300 000 euro)."""
    text = goal.target or ""
    named = unit_word(goal.indicator, lang)  # an indicator printing only its unit ('€') measures the goal
    metric = goal.goal if named and goal.goal else goal.indicator or goal.goal
    found = find_targets(text, lang)
    printed = indicator_unit(goal.indicator, lang) or named
    if found:
        return [_target(doc, goal, "target", metric or m.metric, m.comparator, m.value, m.value_max,
                        m.unit or printed, m.deadline_year, m.text) for m in found]
    scaled = scaled_amount(text, lang)
    if scaled is not None:
        return [_target(doc, goal, "target", metric, "=", scaled[0], None, scaled[1] or printed, None, text.strip())]
    value = parse_amount(text.replace("%", "").strip())
    if value is None:
        quantity = per_unit_quantity(spaced(text), lang)  # '2-4 tiedotetta / vuosi', '1kpl/v'
        alone = cell_quantity(text)  # '>10', '6–8', '50 (3 900)'
        if quantity is None and alone is not None:
            comparator, low, high, percent = alone
            unit = measure_unit("percent", lang) if percent else printed
            return [_target(doc, goal, "target", metric, comparator, low, high, unit, None, text.strip())]
        if quantity is None:
            return [_target(doc, goal, "target", metric or m.metric, m.comparator, m.value, m.value_max,
                            m.unit, m.deadline_year, m.text) for m in find_targets(text, lang, counted_alone=True)]
        comparator, low, high, per_unit = quantity
        return [_target(doc, goal, "target", metric, comparator, low, high, per_unit, None, text.strip())]
    unit = measure_unit("percent", lang) if "%" in text else printed
    return [_target(doc, goal, "target", metric, "=", float(value), None, unit, None, text.strip())]


def _target(doc: PlanDocument, goal: Goal, field: str, metric: str | None, comparator: str | None,
            value: float | None, value_max: float | None, unit: str | None, deadline: int | None, text: str) -> Target:
    return Target(document_id=doc.document_id, goal_id=goal.goal_id, field=field,  # type: ignore[arg-type]
                  metric=metric, comparator=comparator, value=value, value_max=value_max, unit=unit,
                  deadline_year=deadline, text=text, line=goal.line,
                  page=(goal.indicator_page or goal.page) if field == "target" else goal.page)


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
