"""Comparison across editions (issue 5): goal, unit and finance links of the samples and the corpus editions.

The expectations come from the true differences between the two Swedish text editions (2024–2026 and
2025–2027): goals reworded, added, dropped, targets raised, a responsible added, year columns shifted.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

import pytest

from extractors.link import Catalog, LinkSettings, Overrides, compare_catalog
from extractors.link.organisations import memberships, municipality_key, organisations
from extractors.link.text import numbers_in
from models.links import GoalLink
from tests.compare_io import (
    FI_2025_TXT,
    LAPUA_PDF,
    SV_2024_PDF,
    SV_2024_TEXT,
    SV_2025_PDF,
    SV_2025_TEXT,
    SV_2025_TXT,
    catalog_of,
    check_comparison_golden,
    document_id,
    records_of,
    sample_files,
    sample_path,
    samples_comparison,
)

ORGANISATION = "loviisa.city_manager"
# Lapua's budget tables document (kh 4.11.2024, read from its rendered pages): "Kokonaistalous" on page 1, then
# one table per body whose first heading cell names it: VAALIT, KAUPUNGINVALTUUSTO, TARKASTUSLAUTAKUNTA (p. 2),
# KAUPUNGINHALLITUS, SIVISTYSLAUTAKUNTA, Hyvinvointilautakunta (p. 3), TEKNINEN LAUTAKUNTA, YMPÄRISTÖLAUTAKUNTA
# (p. 4). Each board is an organisation of Lapua of its own; the whole-city table is `lapua.city`.
LAPUA_ORGANISATIONS = {"lapua.city", "lapua.vaalit", "lapua.kaupunginvaltuusto", "lapua.tarkastuslautakunta",
                       "lapua.kaupunginhallitus", "lapua.sivistyslautakunta", "lapua.hyvinvointilautakunta",
                       "lapua.tekninen-lautakunta", "lapua.ymparistolautakunta"}
# The true 2024 -> 2025 changes of the Swedish editions (from `diff` of the two text editions).
EXPECTED_CHANGES = {
    ("g1.1.1", "g1.1.1"): "target_changed",  # över 15 000 invånare i slutet av 2024 -> 2025
    ("g1.2.1", "g1.2.1"): "reworded",  # Vi förbereder Bostadsmässan 2025 ... -> Den synlighet som Bostadsmässan ...
    ("g1.3.1", "g1.3.1"): "responsible_changed",  # + upphandlingschefen
    ("g4.2.2", "g4.2.2"): "reworded",  # Vi inför -> Vi fortsätter med deltagande budgetering
    ("g4.2.3", None): "dropped",  # Vi förnyar stadens webbplats
    (None, "g4.4.3"): "new",  # kommunsektorns energieffektivitetsavtal
    ("g5.2.1", "g5.2.1"): "target_changed",  # minst 75 -> minst 80 procent
    ("g5.2.2", "g5.2.2"): "target_changed",  # area goal: minst 90 -> minst 95 procent
}
# Every other goal is the same goal; after the dropped g4.2.3 the rows of that strategic goal move up.
SAME_PAIRS = {(f"g{a}", f"g{b}") for a, b in [
    ("1.3.2", "1.3.2"), ("2.1.1", "2.1.1"), ("2.1.2", "2.1.2"), ("4.1.1", "4.1.1"), ("4.1.2", "4.1.2"),
    ("4.2.1", "4.2.1"), ("4.2.4", "4.2.3"), ("4.3.1", "4.3.1"), ("4.4.1", "4.4.1"), ("4.4.2", "4.4.2"),
    ("4.5.1", "4.5.1"), ("5.1.1", "5.1.1"), ("5.3.1", "5.3.1"), ("5.4.1", "5.4.1"), ("5.4.2", "5.4.2"),
    ("5.5.1", "5.5.1")]}
TRUE_PAIRS = SAME_PAIRS | {pair for pair in EXPECTED_CHANGES if None not in pair}


def links_between(result, source: str, target: str, comparison: str | None = None) -> list[GoalLink]:
    return [link for link in result.goal_links if link.from_document_id == source and link.to_document_id == target
            and (comparison is None or link.comparison == comparison)]


def changes_of(links: list[GoalLink]) -> dict[tuple[str | None, str | None], str]:
    return {(link.from_goal_id, link.to_goal_id): link.change for link in links}


def goal_ids(name_or_path: str | Path) -> set[str]:
    path = name_or_path if isinstance(name_or_path, Path) else sample_path(name_or_path)
    return {goal.goal_id for goal in records_of(path).goals}


# --- organisations and editions -------------------------------------------------------------------------

def test_municipality_keys_are_bilingual() -> None:
    assert municipality_key("Lovisa", "sv") == municipality_key("Loviisa", "fi") == "loviisa"
    assert municipality_key("LOVISA") == "loviisa"
    assert municipality_key("Simrishamn", "sv") == "simrishamn"
    assert municipality_key("Kuopio", "fi") == "kuopio"  # not listed: keys as itself
    assert municipality_key(None) is None


def test_swedish_and_finnish_editions_are_one_organisation_and_lapua_another() -> None:
    result = samples_comparison()
    by_document = {e.document_id: e.organisation_key for e in result.editions}
    lovisa = {by_document[document_id(name)] for name in (SV_2024_PDF, SV_2025_PDF, SV_2025_TXT, FI_2025_TXT)}
    assert lovisa == {ORGANISATION}
    lapua = {e.organisation_key for e in result.editions if e.document_id == document_id(LAPUA_PDF)}
    assert lapua == LAPUA_ORGANISATIONS
    assert set(result.organisations) == {ORGANISATION} | LAPUA_ORGANISATIONS


def test_editions_are_ordered_and_duplicates_marked() -> None:
    editions = [e for e in samples_comparison().editions if e.organisation_key == ORGANISATION]
    assert [(e.edition, e.language, e.source_format, e.representative) for e in editions] == [
        (2024, "sv", "pdf", True), (2025, "sv", "pdf", True), (2025, "sv", "text", False), (2025, "fi", "text", True)]
    assert {e.primary_language for e in editions} == {"sv"}
    assert "Lovisa · Stadskanslicentralen" in editions[0].organisation_name
    assert "Loviisa · Kaupunginkansliakeskus" in editions[0].organisation_name


def test_comparisons_made_for_the_samples() -> None:
    result = samples_comparison()
    made = Counter((link.from_document_id, link.to_document_id, link.comparison) for link in result.goal_links)
    sv24, sv25, fi25 = document_id(SV_2024_PDF), document_id(SV_2025_PDF), document_id(FI_2025_TXT)
    assert set(made) == {(sv24, sv25, "consecutive"), (sv24, fi25, "consecutive"), (sv25, fi25, "translation")}


# --- goal links -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("earlier", "later"), [
    (sample_path(SV_2024_PDF), sample_path(SV_2025_PDF)),
    (SV_2024_TEXT, SV_2025_TEXT),
], ids=["pdf", "text"])
def test_swedish_2024_to_2025_matches_the_true_diff(earlier: Path, later: Path) -> None:
    result = compare_catalog(catalog_of([earlier, later]))
    source, target = records_of(earlier).document.document_id, records_of(later).document.document_id
    links = links_between(result, source, target)
    changes = changes_of(links)
    # Every goal of the later edition linked or new, every goal of the earlier one linked or dropped, once.
    assert Counter(link.from_goal_id for link in links if link.from_goal_id) == Counter(goal_ids(earlier))
    assert Counter(link.to_goal_id for link in links if link.to_goal_id) == Counter(goal_ids(later))
    for pair, change in EXPECTED_CHANGES.items():
        assert changes.get(pair) == change, pair
    for pair in SAME_PAIRS:
        assert changes.get(pair) == "same", pair
    assert set(changes) == set(EXPECTED_CHANGES) | SAME_PAIRS  # nothing else: no false links
    counts = Counter(changes.values())
    assert counts == {"same": 16, "target_changed": 3, "reworded": 2, "responsible_changed": 1, "new": 1, "dropped": 1}


def _goal_rows(path: Path, goals) -> dict[int, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {goal.line: lines[goal.line - 1] for goal in goals}


def _quantities(text: str) -> Counter:
    """Numbers of a row that are not years (a year such as 'Bostadsmässan 2025' is wording, not a target)."""
    return Counter({value: n for value, n in numbers_in(text).items() if not 1900 <= value <= 2100})


def test_links_agree_with_a_line_diff_of_the_text_editions() -> None:
    """Rows identical in both text files are linked to each other; rows only in one file are new or dropped;
    replaced rows are linked (when the diff pairs them one to one) with the change their cells show."""
    old_records, new_records = records_of(SV_2024_TEXT), records_of(SV_2025_TEXT)
    old_rows, new_rows = _goal_rows(SV_2024_TEXT, old_records.goals), _goal_rows(SV_2025_TEXT, new_records.goals)
    old_goals = sorted(old_records.goals, key=lambda g: g.line)
    new_goals = sorted(new_records.goals, key=lambda g: g.line)
    result = compare_catalog(catalog_of([SV_2024_TEXT, SV_2025_TEXT]))
    links = links_between(result, old_records.document.document_id, new_records.document.document_id)
    partner = {link.from_goal_id: link.to_goal_id for link in links if link.from_goal_id}
    change = {link.from_goal_id: link.change for link in links if link.from_goal_id}
    new_goal_ids = {link.to_goal_id for link in links if link.change == "new"}
    matcher = difflib.SequenceMatcher(None, [old_rows[g.line] for g in old_goals],
                                      [new_rows[g.line] for g in new_goals], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        olds, news = old_goals[a1:a2], new_goals[b1:b2]
        if op == "equal":
            for old, new in zip(olds, news, strict=True):
                assert partner[old.goal_id] == new.goal_id
        elif op == "delete":
            assert all(partner[old.goal_id] is None for old in olds)
        elif op == "insert":
            assert {new.goal_id for new in news} <= new_goal_ids
        elif len(olds) == len(news):
            for old, new in zip(olds, news, strict=True):
                assert partner[old.goal_id] == new.goal_id
                old_cells, new_cells = old_rows[old.line].split("\t"), new_rows[new.line].split("\t")
                if _quantities(old_rows[old.line]) != _quantities(new_rows[new.line]):
                    expected = "target_changed"
                elif old_cells[:3] == new_cells[:3]:
                    expected = "responsible_changed"
                else:
                    expected = "reworded"
                assert change[old.goal_id] == expected, (old.goal_id, op)
        else:  # n rows replaced by m: the shorter side is all linked into the block, the rest new/dropped
            block_new = {new.goal_id for new in news}
            linked = [old for old in olds if partner[old.goal_id] in block_new]
            assert len(linked) == min(len(olds), len(news))
            assert all(partner[old.goal_id] is None for old in olds if old not in linked)


def test_changed_targets_carry_old_and_new_values() -> None:
    result = samples_comparison()
    links = links_between(result, document_id(SV_2024_PDF), document_id(SV_2025_PDF))
    targets = {link.from_goal_id: link for link in links if link.change == "target_changed"}
    assert (targets["g5.2.1"].old_value, targets["g5.2.1"].new_value) == (75.0, 80.0)
    assert (targets["g5.2.1"].old_target, targets["g5.2.1"].new_target) == ("≥ 75 %", "≥ 80 %")
    assert (targets["g5.2.2"].target_field, targets["g5.2.2"].old_value, targets["g5.2.2"].new_value) == (
        "area_goal", 90.0, 95.0)
    population = targets["g1.1.1"]
    assert (population.old_value, population.new_value) == (15000.0, 15000.0)
    assert (population.old_deadline_year, population.new_deadline_year) == (2024, 2025)
    responsible = next(link for link in links if link.change == "responsible_changed")
    assert set(responsible.new_responsible) - set(responsible.old_responsible) == {"upphandlingschef"}


def test_decisions_record_method_and_score_and_respect_thresholds() -> None:
    settings = LinkSettings()
    minimum = {"position+lemma": settings.position_lemma_min, "fuzzy": settings.fuzzy_min,
               "position+numbers+roles": settings.cross_language_min}
    for link in samples_comparison().goal_links:
        assert link.method
        assert 0.0 <= link.score <= 1.0
        method = link.method.removeprefix("bridge:")
        if link.change in ("new", "dropped"):
            assert link.method == "none"
        else:
            assert link.score >= minimum.get(method, 1.0), link


def test_dropped_goal_is_not_linked_to_the_new_goal_even_with_lax_thresholds() -> None:
    catalog = catalog_of([sample_path(SV_2024_PDF), sample_path(SV_2025_PDF)])
    lax = LinkSettings(position_lemma_min=0.3, fuzzy_min=0.6)
    for settings in (LinkSettings(), lax):
        changes = changes_of(links_between(compare_catalog(catalog, settings=settings),
                                           document_id(SV_2024_PDF), document_id(SV_2025_PDF)))
        assert changes[("g4.2.3", None)] == "dropped"
        assert changes[(None, "g4.4.3")] == "new"


def test_overrides_win() -> None:
    overrides = Overrides.model_validate({
        "goal_links": [
            {"from": {"edition": 2024, "language": "sv", "goal": "g4.2.3"},
             "to": {"edition": 2025, "language": "sv", "goal": "g4.4.3"}, "note": "curated"},
            {"from": {"edition": 2024, "language": "sv", "goal": "g1.1.1"}, "to": {"edition": 2025, "goal": None}},
        ],
    })
    catalog = catalog_of([sample_path(SV_2024_PDF), sample_path(SV_2025_PDF)])
    links = links_between(compare_catalog(catalog, overrides), document_id(SV_2024_PDF), document_id(SV_2025_PDF))
    by_pair = {(link.from_goal_id, link.to_goal_id): link for link in links}
    manual = by_pair[("g4.2.3", "g4.4.3")]
    assert (manual.method, manual.score, manual.note) == ("manual", 1.0, "curated")
    assert by_pair[("g1.1.1", None)].change == "dropped"
    assert by_pair[(None, "g1.1.1")].change == "new"


def test_overrides_file_is_read(tmp_path: Path) -> None:
    from extractors.link import load_overrides

    path = tmp_path / "links_overrides.yml"
    prefix = document_id(SV_2024_PDF)[:12]
    path.write_text(f"goal_links:\n  - from: {{document_id: {prefix}, goal: g4.2.3}}\n"
                    "    to: {edition: 2025, goal: g4.4.3}\n", encoding="utf-8")
    overrides = load_overrides(path)
    assert overrides.goal_links[0].source.goal == "g4.2.3"
    assert load_overrides(tmp_path / "missing.yml") == Overrides()


# --- Swedish and Finnish ----------------------------------------------------------------------------------

def test_swedish_and_finnish_2025_link_all_goals_as_translations() -> None:
    result = samples_comparison()
    links = links_between(result, document_id(SV_2025_PDF), document_id(FI_2025_TXT), "translation")
    assert len(links) == 23
    assert all(link.from_goal_id == link.to_goal_id for link in links)
    assert {link.change for link in links} == {"translated"}
    assert {link.method for link in links} == {"position+numbers+roles"}


def test_finnish_reader_sees_the_same_changes_through_the_bridge() -> None:
    result = samples_comparison()
    swedish = changes_of(links_between(result, document_id(SV_2024_PDF), document_id(SV_2025_PDF)))
    bridged = links_between(result, document_id(SV_2024_PDF), document_id(FI_2025_TXT), "consecutive")
    assert changes_of(bridged) == swedish
    linked = [link for link in bridged if link.from_goal_id and link.to_goal_id]
    assert all(link.method.startswith("bridge:") and link.via_document_id == document_id(SV_2025_PDF)
               for link in linked)
    raised = next(link for link in bridged if link.from_goal_id == "g5.2.1")
    assert (raised.old_target, raised.new_target) == ("≥ 75 %", "≥ 80 %")


def test_direct_cross_language_links_without_bridge_are_never_false() -> None:
    """Without the Swedish 2025 edition the 2024 Swedish and 2025 Finnish goals are linked on structure, numbers
    and offices only: where the structure moved (a goal dropped, one added) nothing is linked."""
    catalog = catalog_of([sample_path(SV_2024_PDF), sample_path(FI_2025_TXT)])
    result = compare_catalog(catalog)
    links = links_between(result, document_id(SV_2024_PDF), document_id(FI_2025_TXT))
    linked = {(link.from_goal_id, link.to_goal_id) for link in links if link.from_goal_id and link.to_goal_id}
    assert linked <= TRUE_PAIRS
    assert len(linked) >= 15
    assert Counter(link.from_goal_id for link in links if link.from_goal_id) == Counter(goal_ids(SV_2024_PDF))
    assert Counter(link.to_goal_id for link in links if link.to_goal_id) == Counter(goal_ids(FI_2025_TXT))


# --- unit links and finance series -------------------------------------------------------------------------

def test_units_of_both_editions_are_linked_with_language_neutral_keys() -> None:
    result = samples_comparison()
    units = [u for u in result.unit_links if u.organisation_key == ORGANISATION]
    consecutive = [u for u in units if u.from_document_id == document_id(SV_2024_PDF)
                   and u.to_document_id == document_id(SV_2025_PDF)]
    assert {u.change for u in consecutive} == {"same"}
    assert {u.unit_key for u in consecutive} == {
        "central", "administrative_director", "ict_manager", "finance_director"}
    translation = [u for u in units if u.comparison == "translation"]
    assert {(u.from_unit_name, u.to_unit_name, u.change) for u in translation} >= {
        ("Stadskanslicentralen", "Kaupunginkansliakeskus", "translated"),
        ("Ekonomi- och personaltjänster", "Talous- ja henkilöstöpalvelut", "translated")}
    assert all(u.from_unit_id and u.to_unit_id for u in units)


def _renamed(catalog: Catalog, document: str, old: str, new: str, responsible: str | None = None) -> Catalog:
    def rename(record):
        if record.document_id != document:
            return record
        update = {}
        if getattr(record, "unit_name", None) == old:
            update["unit_name"] = new
        if getattr(record, "name", None) == old and hasattr(record, "level"):
            update["name"] = new
            if responsible is not None:
                update["responsible_role_key"] = responsible
        return record.model_copy(update=update)

    return Catalog(**{name: [rename(r) for r in getattr(catalog, name)] for name in
                      ("documents", "units", "sections", "goals", "targets", "finance")})


def test_renamed_area_is_recognised() -> None:
    catalog = catalog_of([sample_path(SV_2024_PDF), sample_path(SV_2025_PDF)])
    renamed = _renamed(catalog, document_id(SV_2025_PDF), "Stadskanslitjänster", "Förvaltningstjänster")
    units = compare_catalog(renamed).unit_links
    link = next(u for u in units if u.from_unit_name == "Stadskanslitjänster")
    assert (link.to_unit_name, link.change, link.method) == ("Förvaltningstjänster", "renamed", "evidence")
    assert set(link.evidence) == {"content", "position", "responsible"}
    assert link.unit_key == "administrative_director"
    # Renamed and with another responsible office: position and content still carry it.
    other = _renamed(catalog, document_id(SV_2025_PDF), "Stadskanslitjänster", "Förvaltningstjänster", "hr_manager")
    link = next(u for u in compare_catalog(other).unit_links if u.from_unit_name == "Stadskanslitjänster")
    assert (link.to_unit_name, link.change) == ("Förvaltningstjänster", "renamed")


def test_unrelated_new_area_is_not_linked() -> None:
    catalog = catalog_of([sample_path(SV_2024_PDF), sample_path(SV_2025_PDF)])
    target = document_id(SV_2025_PDF)
    stripped = Catalog(**{name: [r for r in getattr(catalog, name) if not (
        r.document_id == target and (getattr(r, "unit_name", None) == "Stadskanslitjänster"
                                     or getattr(r, "name", None) == "Stadskanslitjänster"))]
        for name in ("documents", "units", "sections", "goals", "targets", "finance")})
    units = compare_catalog(stripped).unit_links
    assert next(u for u in units if u.from_unit_name == "Stadskanslitjänster").change == "dropped"
    assert all(u.to_unit_name != "Stadskanslitjänster" for u in units)


def test_every_finance_figure_appears_in_the_finance_series() -> None:
    result = samples_comparison()
    series = result.finance_series
    keys = Counter((p.organisation_key, p.unit_key, p.line_key, p.year, p.figure_kind, p.edition) for p in series)
    assert max(keys.values()) == 1
    printed = {(p.document_id, p.unit_name, p.line_label, p.year, p.figure_kind, p.amount) for p in series}
    also = {(d, p.line_label, p.year, p.figure_kind, p.amount) for p in series for d in p.also_printed_in}
    per_document = Counter()
    for path in sample_files():
        records = records_of(path)
        for figure in records.finance:
            key = (figure.document_id, figure.unit_name, figure.line_label, figure.year, figure.figure_kind,
                   figure.amount)
            found = key in printed or any(
                d == figure.document_id and y == figure.year and k == figure.figure_kind and a == figure.amount
                for d, _label, y, k, a in also)
            assert found, key
            per_document[path.name] += 1
    assert per_document[SV_2024_PDF] == per_document[SV_2025_PDF] == 108
    assert not [p for p in series if p.differs_in]


def test_finance_series_shows_every_vintage_of_a_year() -> None:
    series = [p for p in samples_comparison().finance_series
              if p.organisation_key == ORGANISATION and p.unit_key == "central" and p.line_key == "operating_margin"]
    year_2024 = {(p.figure_kind, p.edition): p.amount for p in series if p.year == 2024}
    assert year_2024 == {("budget", 2024): -3897095, ("budget_amended", 2025): -3942834}
    year_2026 = {(p.figure_kind, p.edition, p.latest): p.amount for p in series if p.year == 2026}
    assert year_2026 == {("plan", 2024, False): -4167150, ("plan", 2025, True): -4222400}
    assert {p.years_from_edition for p in series if p.year == 2026} == {2, 1}
    budget_2025 = next(p for p in series if p.year == 2025 and p.figure_kind == "budget")
    assert set(budget_2025.also_printed_in) == {document_id(SV_2025_TXT), document_id(FI_2025_TXT)}


def test_lapua_committees_form_their_own_organisation_with_a_series() -> None:
    result = samples_comparison()
    lapua = {e.organisation_key: e for e in result.editions if e.document_id == document_id(LAPUA_PDF)}
    assert set(lapua) == LAPUA_ORGANISATIONS
    assert lapua["lapua.sivistyslautakunta"].central_name == "SIVISTYSLAUTAKUNTA"
    assert lapua["lapua.city"].central_name is None
    assert not [link for link in result.goal_links if link.organisation_key in lapua]
    figures = records_of(sample_path(LAPUA_PDF)).finance
    series = [p for p in result.finance_series if p.organisation_key in lapua]
    assert len(series) == len(figures)
    board = {(p.line_key, p.year, p.figure_kind): p.amount for p in series
             if p.organisation_key == "lapua.sivistyslautakunta"}
    # page 3, SIVISTYSLAUTAKUNTA: Toimintakate TA 2024 -22 085 150, TA 2025 -22 638 575
    assert board[("operating_margin", 2024, "budget")] == -22085150
    assert board[("operating_margin", 2025, "budget")] == -22638575


def test_memberships_split_by_central() -> None:
    catalog = catalog_of([sample_path(SV_2025_PDF), sample_path(LAPUA_PDF)])
    found = organisations(memberships(catalog.documents, catalog.units))
    assert set(found) == {ORGANISATION} | LAPUA_ORGANISATIONS


# --- golden ----------------------------------------------------------------------------------------------

def test_comparison_of_the_samples_matches_golden() -> None:
    names = {records_of(path).document.document_id: path.name for path in sample_files()}
    check_comparison_golden("comparison-samples", samples_comparison(), names)
