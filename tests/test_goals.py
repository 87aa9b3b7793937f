"""Goal readers on real documents and rendered pages: expected values read from the rendered pages.

Seinäjoki's section 8.1 (ruled goal tables laid out as stacked blocks, status dots), Kauhava's
subsidiary goal tables and committee goal lists, Simrishamn's goal follow-up (block tables with drawn
status icons and progress bars), a rendered Swedish page (stacked frame, two indicators sharing one
dot, placeholders, an assignment table) and case B12.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.link.changes import classify, goal_targets
from extractors.link.goals import goal_views, link_same_language
from extractors.link.settings import DEFAULT_SETTINGS
from extractors.pipeline import process_file
from models import Goal, RecordSet
from tests.render_goals import render_goal_follow_up


@pytest.fixture(scope="module")
def real(corpus_dir: Path) -> dict[str, RecordSet]:
    names = {"seinajoki": "fi_seinajoki_tilinpaatos_2024.pdf", "kauhava": "fi_kauhava_tilinpaatos_2024.pdf",
             "simrishamn": "se_simrishamn_kfn_arsbokslut_2025.pdf"}
    return {key: process_file(corpus_dir / "real" / name)[1] for key, name in names.items()}


def _goal(records: RecordSet, page: int, start: str) -> list[Goal]:
    """The rows of the goal whose text starts with `start` and that has a row on `page`, in indicator order."""
    ids = {g.goal_id.split(".")[0] for g in records.goals if g.page == page and g.goal and g.goal.startswith(start)}
    assert len(ids) == 1, f"{len(ids)} goals starting {start!r} on page {page}"
    return [g for g in records.goals if g.goal_id.split(".")[0] in ids]


def test_seinajoki_stacked_goal_table_with_status_dot(real: dict[str, RecordSet]) -> None:
    (row,) = _goal(real["seinajoki"], 80, "Sisäisen tarkastuksen vaikuttavuus.")
    assert row.goal == ("Sisäisen tarkastuksen vaikuttavuus. Sisäisen tarkastuksen raportoinnissa esitetyt "
                        "merkittävät havainnot johtavat sisäistä valvontaa kehittäviin toimenpiteisiin vuoden "
                        "sisällä raportoinnista.")
    assert (row.level, row.level_label) == ("council", "Talousarviotavoite")
    assert row.theme_title == "Hyvän johtamisen ja tasapainoisen talouden Seinäjoki"
    assert row.strategic_goal == "Kaupunkikonsernin palvelut tukevat koko kaupungin onnistumista"
    assert row.indicator == ("Suhteellinen osuus niistä sisäisen tarkastuksen raportoimista havainnoista, jotka "
                             "ovat johtaneet kehitystoimenpiteisiin.")
    assert (row.baseline, row.target, row.outcome) == ("…", "70–100 %", "50 %")
    assert row.status == "not_achieved" and row.status_raw is not None
    assert "3" in row.status_raw.split() and "mark:red" in row.status_raw
    assert row.comment is not None and row.comment.startswith("Tilikauden 2023 aikana raportoiduista")


def test_seinajoki_indicators_sharing_one_status_mark(real: dict[str, RecordSet]) -> None:
    rows = _goal(real["seinajoki"], 81, "Velkaantumisen ja toimintakatteen kasvun taittaminen.")
    assert [r.indicator_index for r in rows] == [1, 2, 3]
    assert rows[0].theme_title is None and rows[0].strategic_goal is None  # left blank on the page
    assert rows[0].indicator == "Toimintakate, muutos %"
    assert rows[0].target == "Enint. 2,0 %:n vuotuinen toimintakate-kasvu"
    assert rows[0].status == "achieved"
    assert [(r.indicator, r.baseline, r.target, r.outcome) for r in rows[1:]] == [
        ("Emokaupungin velkamäärä euroa/asukas", "4 970 (TP2022)", "4 900", "5 529"),
        ("Konsernin velkamäärä euroa/ asukas", "9 335 (TP2022)", "9 900", "9179"),
    ]
    assert [r.status for r in rows[1:]] == ["partly", "partly"]  # one amber dot beside both
    assert rows[1].goal_id.split(".")[0] == rows[2].goal_id.split(".")[0]
    targets = [t for t in real["seinajoki"].targets if t.goal_id == rows[1].goal_id and t.field == "target"]
    assert [(t.value, t.comparator, t.metric) for t in targets] == [(4900.0, "=", rows[1].indicator)]


def test_seinajoki_placeholders_kept_as_printed(real: dict[str, RecordSet]) -> None:
    (row,) = _goal(real["seinajoki"], 79, "Vuoden 2024 Presidentinvaalien")
    assert (row.indicator, row.baseline, row.target, row.outcome) == ("…", "…", "…", "…")
    assert row.status == "achieved"


def test_seinajoki_goal_table_continued_over_a_page(real: dict[str, RecordSet]) -> None:
    rows = _goal(real["seinajoki"], 98, "Erinomaiset kirjastopalvelut")  # printed on p. 98, indicators atop p. 99
    assert {r.indicator_page for r in rows} == {99}
    assert [(r.indicator, r.target, r.outcome, r.status) for r in rows] == [
        ("Kirjastopalvelujen saavutettavuus, matkaa kirjastoon enintään 3 km (% asukkaista)", "61", "57", "partly"),
        ("Aukiolotunnit", "22 000", "25 506", "achieved"),
        ("Fyysiset käynnit / asukas", "7", "7,7", "achieved"),
    ]
    comment = rows[0].comment or ""  # the situation report goes on at the top of the next page
    assert "hyvin kirjastoverkkoa. Omatoimikirjastot Nurmossa" in comment
    assert comment.endswith("vaikuttaneet palvelujen käyttöön.")


def test_seinajoki_subsidiary_goals_two_indicators_in_one_cell(real: dict[str, RecordSet]) -> None:
    rows = _goal(real["seinajoki"], 129, "Yritysten kasvu ja kansainvälistyminen")
    assert [(r.indicator, r.baseline, r.target, r.outcome, r.status) for r in rows] == [
        ("Kontaktoitujen yritysten määrä kpl", "…", "1 500", "1920", "achieved"),
        ("Neuvontapalvelujen määrä kpl", "1 249 (2022)", "1 300", "1208", "partly"),  # '2022' under 'Lähtötaso'
    ]
    (sijoittuminen,) = _goal(real["seinajoki"], 129, "Uusien yritysten sijoittuminen")
    assert (sijoittuminen.target, sijoittuminen.outcome, sijoittuminen.status) == ("25", "11", "not_achieved")


def test_seinajoki_indicator_block_atop_the_next_page(real: dict[str, RecordSet]) -> None:
    """The 'Mittari/mittarit' block of a goal printed at the top of the next page, with no goal row (a goal's
    rows stand on the page of its text, `indicator_page` on that of their indicators)."""
    eepos = _goal(real["seinajoki"], 99, "Eepos-kirjastojen yhteistyön kehittäminen")
    assert [(r.indicator_page, r.indicator, r.baseline, r.target, r.outcome, r.status) for r in eepos] == [
        (100, "Eepos-strategia päivitetty", "menossa", "valmis", "valmis", "achieved"),
        (100, "Yhteiset uudet kehittämishankkeet", "1", "1", "1", "achieved"),
        (100, "Kuntien yhteiseen e-kirjastoon liittyminen", "menossa", "valmis", "valmis", "achieved"),
    ]
    # the same, under headings the table layer grids one column off (status digits beside the dots)
    navetta = _goal(real["seinajoki"], 100, "Taide-")  # printed "Taide- ja", read "Taide-ja" by the table layer
    assert [(r.baseline, r.target, r.outcome, r.status) for r in navetta] == [
        ("7", "9", "9", "achieved"), ("100", "120", "95", "partly"), ("14 700", "20 000", "14 100", "not_achieved")]
    assert navetta[0].indicator == "Kalevan Navetan MUU-strategian mukaisten tuotantokonseptien määrä"
    assert navetta[2].indicator == "Taidehallin kävijämäärä"
    # printed 'tilavuokra-' / 'asiakkaiden määrä': the table layer's cell text drops that hyphen (see the report)
    assert (navetta[1].indicator or "").startswith("Kalevan Navetan tilavuokra")
    assert [r.status_raw for r in navetta] == ["1 mark:green", "2 mark:yellow", "3 mark:red"]
    taide = _goal(real["seinajoki"], 101, "Seinäjoki tuottaa ja edistää julkista taidetta")
    assert [(r.indicator_page, r.target, r.outcome, r.status) for r in taide] == [
        (102, "7", "7", "achieved"), (102, "2", "1", "not_achieved"), (102, "1", "1", "achieved")]
    # baselines printed '6', '1', '…': the table layer leaves the third cell empty (see the report)
    assert [r.baseline for r in taide[:2]] == ["6", "1"]


def test_seinajoki_value_columns_ruled_in_pieces(real: dict[str, RecordSet]) -> None:
    """p. 116 prints 'Nykyarvo | Tavoitearvo | Toteuma-arvo' as 'Ei | Kyllä | Ei' and '18 kpl/v | 0 kpl | 6 kpl'.
    The rule between Tavoitearvo and Toteuma-arvo is drawn in short pieces next to the rule of the table below
    (about 1 pt to the left): it divides the columns, so no cell 'Kyllä Ei' is made and each value is read."""
    rows = _goal(real["seinajoki"], 116, "Suunnittelun, rakentamisen, kunnossapidon")
    assert [(r.indicator, r.baseline, r.target, r.outcome, r.status, r.status_raw) for r in rows] == [
        ("Toteutuneen investointihankkeen asukastyytyväisyyskysely", "Ei", "Kyllä", "Ei", "not_achieved", "3 mark:red"),
        ("WPro-työtapaturmailmoitusten lukumäärä", "18 kpl/v", "0 kpl", "6 kpl", "partly", "2 mark:yellow"),
    ]


def test_seinajoki_target_units_printed_in_the_indicator(real: dict[str, RecordSet]) -> None:
    records = real["seinajoki"]
    by_metric = {t.metric: t for t in records.targets if t.field == "target"}
    assert (by_metric["Emokaupungin velkamäärä euroa/asukas"].value,
            by_metric["Emokaupungin velkamäärä euroa/asukas"].unit) == (4900.0, "euroa/asukas")
    assert by_metric["Konsernin velkamäärä euroa/ asukas"].unit == "euroa/asukas"
    library = by_metric["Kirjastopalvelujen saavutettavuus, matkaa kirjastoon enintään 3 km (% asukkaista)"]
    assert (library.value, library.unit) == (61.0, "prosentti")
    assert (by_metric["Fyysiset käynnit / asukas"].value, by_metric["Fyysiset käynnit / asukas"].unit) == (
        7.0, "käynnit/asukas")
    assert by_metric["Aukiolotunnit"].unit is None  # no unit printed: none made up


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_indicator_unit_lexicon(lang: str) -> None:
    from extractors.lexicon import load
    from extractors.nlp.targets import indicator_unit, measure_unit

    rules = load("targets", lang).extra["indicator_unit"]
    expected = [measure_unit("percent", lang) if u == "%" else u for u in rules["example_units"]]
    assert [indicator_unit(e, lang) for e in rules["examples"]] == expected
    assert [indicator_unit(c, lang) for c in rules["counterexamples"]] == [None] * len(rules["counterexamples"])


def test_kauhava_status_from_the_sentence_naming_each_indicator(real: dict[str, RecordSet]) -> None:
    """'Toteutuminen:' one paragraph for all indicators of a goal, one sentence per indicator (pp. 102-103)."""
    statuses = [[r.status for r in _goal(real["kauhava"], 102, start)] for start in (
        "Palveleva liikenneverkko", "Kasvatus-", "Vahva kuntatalous")]
    assert statuses == [["not_achieved", "achieved"], ["achieved", "achieved", "achieved"],
                        ["not_achieved", "achieved", "achieved"]]
    (row,) = [r for r in _goal(real["kauhava"], 102, "Palveleva liikenneverkko") if r.indicator_index == 1]
    assert row.status_raw == "ei ole toteutunut"


def test_status_of_indicator_needs_the_indicator_named() -> None:
    from extractors.goals.status import status_of_indicator

    text = "Kaavateiden kunnon parantaminen on toteutunut. Kaavateiden perusparannusta on tehty 1,5 km."
    assert status_of_indicator(text, "Kaavateiden kunnon parantaminen: 0,5 km/ vuosi", "fi") == (
        "achieved", "on toteutunut")
    assert status_of_indicator(text, "Kaavateiden perusparannus", "fi") is None  # named, but no status phrase
    assert status_of_indicator(text, "Tase", "fi") is None  # one word names no sentence


def test_kauhava_indicator_bullets_each_with_its_outcome(real: dict[str, RecordSet]) -> None:
    first = _goal(real["kauhava"], 108, "Asiantuntevan ja lainmukaisen viranomaispalvelun saatavuus")
    assert [(r.indicator, r.target, r.status) for r in first] == [
        ("Ennakkoneuvonta", "Riittävä neuvonta ennen lupahakemuksen jättämistä", "achieved"),
        ("Pätevä henkilöstö", "Säännöllinen koulutus >5 päivää/ vuosi / henkilö", "achieved"),
        ("Asuntotoimen palvelujen taloudellinen ja tehokas tuottaminen", "Energia-ja korjausavustusneuvontaa",
         "achieved"),
        ("Riittävä henkilöstömäärä", "Palvelut saadaan tuotettua ajantasaisesti ja lainmukaisesti", "partly"),
    ]
    assert first[3].outcome == "Tavoitteet jäivät osin toteutumatta resurssipulan vuoksi"
    second = _goal(real["kauhava"], 108, "Rakennusvalvonnan ja ympäristönsuojelun palvelut")
    assert [(r.outcome, r.status) for r in second] == [
        ("Totetutui suunnitellusti", "achieved"), ("Ei toteutunut", "not_achieved"),
        ("Toteutui suunnitellusti", "achieved"), ("Toteutui suunnitellusti", "achieved")]
    assert second[3].target == "2-4 tiedotetta / vuosi"
    targets = {t.goal_id: t for t in real["kauhava"].targets if t.field == "target"}
    range_target, training = targets[second[3].goal_id], targets[first[1].goal_id]
    assert (range_target.comparator, range_target.value, range_target.value_max, range_target.unit) == (
        ">=", 2.0, 4.0, "tiedotetta/vuosi")
    assert (training.comparator, training.value, training.unit) == (">", 5.0, "päivää/vuosi/henkilö")
    assert targets[second[2].goal_id].unit == "vuorokausi"  # 'alle 30 vrk'
    kaavoitus = _goal(real["kauhava"], 108, "Kaavoitus")
    assert [(r.target, r.status) for r in kaavoitus] == [
        ("1-2 kokousta/vuosi", "not_achieved"),
        ("asemakaavojen laadinnassa oman työn osuus vähintään 70 %.", "achieved")]
    assert {tuple(r.responsible) for r in first + second + kaavoitus} == {("tekninen johtaja",)}
    assert {r.unit_name for r in first} == {"Ympäristölautakunta"}


def test_kauhava_subsidiary_goal_blocks(real: dict[str, RecordSet]) -> None:
    (row,) = _goal(real["kauhava"], 58, "Taloudellinen tulos")
    assert (row.indicator, row.outcome) == ("Vähintään nollatulos", "Ei toteutunut, tappio 8.941 €")
    # 'Valmis' under 'Tila' is the state of the work (the schedule), the assessment 'Ei toteutunut' the status
    assert (row.status, row.status_raw, row.schedule) == ("not_achieved", "Ei toteutunut", "Valmis")


def test_kauhava_numbered_goals_with_indicator_lines(real: dict[str, RecordSet]) -> None:
    rows = _goal(real["kauhava"], 79, "Kaupungin talous on tasapainossa suunnitelmakaudella")
    assert [(r.indicator, r.target) for r in rows] == [
        ("Tuloslaskelma", "tilikauden tulos ylijäämäinen suunnitelmakaudella"),
        ("Tase", "tase säilyy ylijäämäisenä"),
    ]
    assert all(r.status == "achieved" and r.outcome and r.outcome.startswith("Toteutui.") for r in rows)
    # no level label over them: the section's 'Valtuustoon nähden tilivelvollinen viranhaltija on kaupunginjohtaja'
    # makes them the council's goals, as p. 80 sets the board's apart ('Kaupunginhallitukseen nähden sitova')
    assert rows[0].unit_name == "Kaupunginhallitus" and rows[0].level == "council"


def test_kauhava_binding_goal_to_the_board(real: dict[str, RecordSet]) -> None:
    rows = _goal(real["kauhava"], 80, "Hallintopalvelujen ja kehityskeskuksen toiminta")
    assert {(r.level, r.level_label) for r in rows} == {
        ("board", "Kaupunginhallitukseen nähden sitova toiminnallinen tavoite")}
    assert len(rows) == 5
    assert (rows[2].indicator, rows[2].target) == ("Asioiden käsittelyaika", "alle 3 kuukautta vireilletulosta.")
    assert {r.status for r in rows} == {"partly"}  # 'Toteutuminen: Pääsääntöisesti toteutunut'


def test_kauhava_goals_under_a_lead_in_sentence(real: dict[str, RecordSet]) -> None:
    """p. 87: 'Valtuuston kasvatus- ja opetuslautakunnalle asettamat tavoitteet ovat toteutuneet seuraavasti:' is a
    sentence in the body's type leading into the numbered goals, no heading; it says the council set them: the
    goals are council goals, with the sentence as their level label."""
    (row,) = _goal(real["kauhava"], 87, "Kohtuulliset ryhmäkoot perusopetuksessa.")
    assert (row.level, row.level_label) == (
        "council", "Valtuuston kasvatus- ja opetuslautakunnalle asettamat tavoitteet ovat toteutuneet seuraavasti")
    assert row.section[-1] == "Tavoitteiden toteutuminen ja toiminta"
    assert row.unit_name == "Kasvatus- ja opetuslautakunta" and row.responsible == ["sivistysjohtaja"]
    (third,) = _goal(real["kauhava"], 87, "Oppilaiden hyvinvoinnin edistäminen")
    assert third.goal == ("Oppilaiden hyvinvoinnin edistäminen, koulupudokkaiden ennaltaehkäisy, koulunuorisotyön ja "
                          "muun ammatillisen yhteistyön edistäminen.")
    assert row.outcome is not None and row.outcome.startswith("Ryhmäkoot on kyetty pitämään Kauhavalla")


def test_simrishamn_goal_follow_up(real: dict[str, RecordSet]) -> None:
    records = real["simrishamn"]
    (verksamhetsmal,) = _goal(records, 25, "Kommunen ska skapa förutsättningar")
    assert (verksamhetsmal.level, verksamhetsmal.level_label, verksamhetsmal.status) == (
        "operational", "Verksamhetsmål", "achieved")
    assert verksamhetsmal.outcome is not None and verksamhetsmal.outcome.startswith(
        "Nämnden har under året påbörjat en bredare samverkan")
    (nämndmål,) = _goal(records, 25, "Verka för kunskapsspridning och beteendeförändring")
    assert (nämndmål.level, nämndmål.theme_number, nämndmål.theme_title) == ("committee", 4,
                                                                             "Hav och marina resurser")
    (aktivitet,) = _goal(records, 26, "Föreläsningar för medborgare och medarbetare.")
    assert aktivitet.goal == ("Föreläsningar för medborgare och medarbetare. Använda biblioteket som plattform för "
                              "att nå ut med sakkunskap och forskning, både internt och externt, om havsmiljöfrågor, "
                              "bland annat via föreläsningar kring hav och marina resurser i samarbete med exempelvis "
                              "Marint centrum.")
    assert (aktivitet.level, aktivitet.parent_goal_id, aktivitet.status, aktivitet.progress) == (
        "activity", nämndmål.goal_id, "achieved", 100)
    (last,) = _goal(records, 32, "Erbjuda föreläsning och utbildning för föreningar")
    assert last.progress is not None and 77 <= last.progress <= 83  # the bar is filled to about four fifths
    assert last.outcome == "Klimatrådgivare sjukskriven under hösten. Föreläsning har ej kunna genomföras."
    assert last.theme_title == "Partnerskap och samverkan"
    levels = [g.level for g in records.goals if 25 <= (g.page or 0) <= 32]
    assert (levels.count("operational"), levels.count("committee"), levels.count("activity")) == (2, 9, 22)


def test_marks_read_from_shapes_and_icons(real: dict[str, RecordSet], corpus_dir: Path) -> None:
    from extractors.pipeline import load_document

    doc = load_document(corpus_dir / "real" / "se_simrishamn_kfn_arsbokslut_2025.pdf")
    bars = [m for m in doc.pages[31].marks if m.share is not None]
    assert len(bars) == 4 and sorted(round(b.share, 1) for b in bars) == [0.8, 1.0, 1.0, 1.0]  # type: ignore[arg-type]


def test_rendered_swedish_goal_follow_up(tmp_path: Path) -> None:
    _, records = process_file(render_goal_follow_up(tmp_path / "mal.pdf"))
    rows = [g for g in records.goals if g.level == "committee"]
    assert {g.goal for g in rows} == {"Fler invånare besöker biblioteket."}
    assert [(g.indicator, g.baseline, g.target, g.outcome, g.status) for g in rows] == [
        ("Besök per invånare", "6,1 (2023)", "minst 7", "7,4", "achieved"),
        ("Lån per invånare", "5,2", "6", "4,9", "not_achieved"),
        ("E-lån per invånare", "0,8", "1", "0,7", "not_achieved"),  # beside the one red dot of both
        ("Antal evenemang för unga", "–", "–", "–", "not_assessed"),
    ]
    assert rows[0].comment == "Besöken ökade under året tack vare längre öppettider."
    assert rows[0].section == ["Kultur- och fritidsnämnden", "Måluppföljning 2025"]
    assignments = [g for g in records.goals if g.level == "assignment"]
    assert [(g.level_label, g.goal, g.status) for g in assignments] == [
        ("Uppdrag", "Utreda längre öppettider på biblioteket.", None),
        ("Uppdrag", "Ta fram en plan för fritidsgårdarna.", "partly"),
    ]
    minst = [t for t in records.targets if t.goal_id == rows[0].goal_id and t.field == "target"]
    assert [(t.comparator, t.value, t.metric) for t in minst] == [(">=", 7.0, "Besök per invånare")]


def test_case_b12_goals_and_hyphens(repo_root: Path) -> None:
    case = repo_root.parent / "shared" / "cases" / "B12-goal-table-hyphens-ligatures"
    expected = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    _, records = process_file(case.with_suffix(".pdf"))
    fields = ("strategic_goal", "central_goal", "area_goal", "actions", "responsible_raw")
    got = [{k: getattr(g, k) for k in fields} for g in records.goals]
    assert got == [{k: goal[k] for k in fields} for goal in expected["goals"]]
    assert "samarbetsmodell" in got[0]["actions"] and "social- och" in got[0]["actions"]
    assert "IKT-stödet" in got[0]["actions"]


def test_editions_of_a_goal_table_link_by_goal_and_indicator_and_see_the_target_change(tmp_path: Path) -> None:
    old = process_file(render_goal_follow_up(tmp_path / "2025.pdf"))[1]
    new = process_file(render_goal_follow_up(tmp_path / "2026.pdf", target="minst 8", outcome="7,9"))[1]
    old_views, new_views = goal_views(old.goals, "sv"), goal_views(new.goals, "sv")
    decisions, _ = link_same_language(old_views, new_views, DEFAULT_SETTINGS)
    pairs = {(d.source.goal.indicator or d.source.goal.goal, d.method) for d in decisions if d.source and d.target}
    assert len(pairs) == len(old.goals) == len(new.goals)
    assert ("Besök per invånare", "exact") in pairs and ("E-lån per invånare", "exact") in pairs
    first = next(d for d in decisions if d.source and d.source.goal.indicator == "Besök per invånare")
    assert first.target is not None
    detail = classify(first.source, first.target, goal_targets(old.targets, old_views)[first.source.goal_id],
                      goal_targets(new.targets, new_views)[first.target.goal_id])
    assert detail.change == "target_changed" and detail.target_field == "target"
    assert (detail.old_target.value, detail.new_target.value) == (7.0, 8.0)  # type: ignore[union-attr]


def test_report_shows_indicator_values_and_status(tmp_path: Path) -> None:
    from extractors.report import render_report
    from extractors.report.data import Column, OrganisationReport, Row, Theme, _cell

    records = process_file(render_goal_follow_up(tmp_path / "mal.pdf"))[1]
    cells = [_cell(goal, None, None, True) for goal in records.goals]
    column = Column(records.document.document_id, 2025, "sv", "2025 · sv", "mal.pdf", True)
    html = render_report(OrganisationReport(key="k", name="Kultur- och fritidsnämnden", editions=[], columns=[column],
                                            summaries=[], themes=[Theme(None, "Mål", [Row([c]) for c in cells])],
                                            units=[], charts=[]))
    assert "baseline 6,1 (2023) → target minst 7 → outcome 7,4" in html
    assert '<div class="status status-not_achieved">not_achieved · mark:red</div>' in html
    assert '<div class="area">E-lån per invånare</div>' in html
