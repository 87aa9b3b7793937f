"""Goal blocks and status marks read as printed: expected values read from the rendered pages.

Seinäjoki's section 8.1 prints several budget goals in one 'Talousarviotavoite' cell (one paragraph each)
over one 'Mittari/mittarit' block: the block belongs to every goal of the group (one row per indicator, the
goals one a line in `goal`), or, when it lists one indicator per goal in the goals' order, one to each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.goals.columns import printed_header
from extractors.goals.status import colour_name
from extractors.goals.cells import pairs_in_order
from extractors.nlp import repair_text
from extractors.nlp.targets import find_targets
from extractors.pipeline import process_file
from models import Goal, RecordSet
from tests.render_goals import render_glyph_marks


@pytest.fixture(scope="module")
def seinajoki(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / "fi_seinajoki_tilinpaatos_2024.pdf")[1]


def _rows(records: RecordSet, page: int, start: str) -> list[Goal]:
    ids = {g.goal_id.split(".")[0] for g in records.goals
           if g.page == page and any(line.startswith(start) for line in (g.goal or "").split("\n"))}
    assert len(ids) == 1, f"{len(ids)} goals starting {start!r} on page {page}"
    return [g for g in records.goals if g.goal_id.split(".")[0] in ids]


def test_four_goals_share_one_placeholder_indicator_row(seinajoki: RecordSet) -> None:
    """p. 82 (printed 78): four goals, one '…' indicator row with a green dot and '1'."""
    starts = ["Päätösvalmistelun tavoitteena ovat laadukkaat palvelut", "Omistajaohjauksen toteuttaminen",
              "Monistus-, postitus ja puhelinpalveluiden", "Maaseutupalveluiden tuottaminen lainsäädännön"]
    (row,) = _rows(seinajoki, 82, starts[0])  # one printed indicator row: one row naming the four goals
    assert [_rows(seinajoki, 82, start) for start in starts[1:]] == [[row]] * 3
    assert (row.indicator, row.baseline, row.target, row.outcome) == ("…", "…", "…", "…")
    assert row.status == "achieved" and row.status_raw == "1 mark:green" and row.indicator_shared_by == 4
    assert (row.level, row.level_label) == ("council", "Talousarviotavoite")
    assert (row.goal or "").split("\n")[0] == \
        "Päätösvalmistelun tavoitteena ovat laadukkaat palvelut ja asianhallinnan korkea taso."
    # each goal's own situation paragraph ('Tilannekuvaus ja riskiarvio'), one a line, in the goals' order
    assert [c[:20] for c in (row.comment or "").split("\n")] == [
        "Uusia ohjelmia ja jä", "Konsernin sisäistä y", "Palvelut on tuotettu", "Maaseutupalvelut on "]


def test_three_goals_of_one_cell_share_two_indicators(seinajoki: RecordSet) -> None:
    """p. 106 (printed 102): three paragraphs in one goal cell, two indicator rows under them."""
    expected = [("Avustuksiin varattu rahamäärä", "44 000", "52 000", "45 000", "partly"),
                ("Avustusta saaneiden toimintaryhmien määrä.", "30", "35", "22", "not_achieved")]
    goals = ["Nuorisojärjestöjen ja toimintaryhmien avustuksiin selkeä tasokorotus.",
             "Avustusta hakevien toimintaryhmien määrä kasvaa.",
             "Yhdistyksien kanssa tehtävä hankeyhteistyö tiivistyy."]
    rows = _rows(seinajoki, 106, goals[0])
    assert [r.goal for r in rows] == ["\n".join(goals)] * 2 and {r.indicator_shared_by for r in rows} == {3}
    assert [(r.indicator, r.baseline, r.target, r.outcome, r.status) for r in rows] == expected


def test_one_indicator_per_goal_in_the_goals_order(seinajoki: RecordSet) -> None:
    """p. 107 (printed 103): 'Harrastuspassin käyttöönotto.' (p. 106) and 'Kansainvälisyys osana
    perustoimintaa.' over 'Harrastuspassin käyttömäärät' and 'Nuorisopalveluiden kansainväliseen vaihtoon
    ...'; then three goals in one cell over three indicators, one each."""
    (harrastus,) = _rows(seinajoki, 106, "Harrastuspassin käyttöönotto.")  # its indicator atop p. 107
    assert harrastus.indicator_page == 107
    assert (harrastus.indicator, harrastus.baseline, harrastus.target, harrastus.outcome) == (
        "Harrastuspassin käyttömäärät", "0", "1 000", "820")
    (kv,) = _rows(seinajoki, 107, "Kansainvälisyys osana perustoimintaa.")
    assert (kv.indicator, kv.baseline, kv.target, kv.outcome, kv.status) == (
        "Nuorisopalveluiden kansainväliseen vaihtoon osallistuneiden kokonaismäärä", "55", "55", "55", "achieved")
    expected = [("Tolkkupajan toiminta kohdentuu nuoriin", "Tolkkupajan toimintaan osallistuneiden määrä.", "70", "68"),
                ("Koulujen kanssa tehtävä yhteisöllinen työ", "Koulunuorisotyön resurssi htv / vuosi", "2", "2"),
                ("Etsivän nuorisotyön palveluohjaus", "Etsivän nuorisotyön tavoitetut nuoret", "320", "358")]
    for start, indicator, target, outcome in expected:
        (row,) = _rows(seinajoki, 107, start)
        assert (row.indicator, row.target, row.outcome, row.status) == (indicator, target, outcome, "achieved")
    (etsiva,) = _rows(seinajoki, 107, "Etsivän")
    assert etsiva.goal == "Etsivän nuorisotyön palveluohjaus on tuloksellista ja työ nuorten keskuudessa tunnettua."


def test_two_goals_share_five_indicators(seinajoki: RecordSet) -> None:
    """p. 87 (printed 83): two goals over five indicator rows (the first two in one ruled row)."""
    rows = _rows(seinajoki, 87, "Digitalisaation hyödyntäminen hallinnossa")
    assert _rows(seinajoki, 87, "Digitalisaatiota tukevan palvelualustan") == rows  # five rows naming both goals
    assert [(r.baseline, r.outcome, r.status) for r in rows] == [
        ("Kyllä", "Kyllä", "achieved"), ("Kyllä", "Kyllä", "achieved"), ("99 %", "96 %", "achieved"),
        ("86 %", "86 %", "achieved"), ("Kyllä", "Osittain", "partly")]
    assert rows[2].indicator == "Asiakastyytyväisyys: asiakaspalaute"
    assert {r.indicator_shared_by for r in rows} == {2}


def test_pairs_in_order_needs_each_goal_closest_to_its_own_indicator() -> None:
    assert pairs_in_order(["Harrastuspassin käyttöönotto.", "Kansainvälisyys osana perustoimintaa."],
                           ["Harrastuspassin käyttömäärät", "kansainväliseen vaihtoon osallistuneet"])
    assert not pairs_in_order(["Kansainvälisyys osana perustoimintaa.", "Harrastuspassin käyttöönotto."],
                               ["Harrastuspassin käyttömäärät", "kansainväliseen vaihtoon osallistuneet"])
    assert not pairs_in_order(["Harrastuspassin käyttöönotto."], ["Harrastuspassin käyttömäärät", "Muu"])


def test_status_marks_set_as_symbol_glyphs(tmp_path: Path) -> None:
    """A rendered page whose status marks are ZapfDingbats glyphs in green, red and black beside the digits
    1, 3 and 4 (Seinäjoki's scale; black 4 for an indicator not measured), and two list bullets set in the same
    glyph: the marks are read by font and glyph (lexicon `mark_glyphs`), the bullets stay text."""
    doc, records = process_file(render_glyph_marks(tmp_path / "merkit.pdf"))
    assert [(m.kind, m.colour) for m in doc.pages[0].marks] == [
        ("glyph", "#00b050"), ("glyph", "#ff0000"), ("glyph", "#000000")]
    assert [(g.indicator, g.baseline, g.target, g.outcome, g.status, g.status_raw) for g in records.goals] == [
        ("Fyysiset käynnit kirjastossa asukasta kohden vuodessa", "6,1", "7", "7,4", "achieved", "1 mark:green"),
        ("Lainat asukasta kohden vuodessa kaikista toimipisteistä", "5,2", "6", "4,9", "not_achieved",
         "3 mark:red"),
        ("Asiakaskyselyn tulos, tyytyväisten asiakkaiden osuus", "…", "1", "ei mitattu", "not_assessed",
         "4 mark:black"),
    ]
    texts = " ".join(b.text for b in doc.blocks())
    assert "Aukioloajat pidettiin ennallaan." in texts and texts.count("■") == 2  # the bullets, as printed


def test_black_status_dots_of_seinajoki(seinajoki: RecordSet) -> None:
    """p. 84 (printed 80): a black dot and '4' beside an outcome printed '…'; p. 125 (printed 121): beside
    'ei mitattu'."""
    (row,) = [g for g in seinajoki.goals if g.page == 84 and (g.indicator or "").startswith("Työkyvyttömyys")]
    assert (row.outcome, row.status, row.status_raw) == ("…", "not_assessed", "4 mark:black")
    rows = [g for g in seinajoki.goals if g.page == 125 and (g.indicator or "").startswith("Muuttoliike")]
    assert {(g.baseline, g.target, g.outcome, g.status, g.status_raw) for g in rows} == {
        ("95", "100", "ei mitattu", "not_assessed", "4 mark:black")}


def test_colour_names() -> None:
    assert [colour_name(c) for c in ("#000000", "#202020", "#a6a6a6", "#ffffff", "#00b050", "#0070c0")] == [
        "black", "black", "grey", None, "green", None]


@pytest.fixture(scope="module")
def kauhava(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / "fi_kauhava_tilinpaatos_2024.pdf")[1]


def _targets(records: RecordSet, goal: Goal) -> list[tuple[str | None, float | None, float | None, str | None]]:
    return [(t.comparator, t.value, t.value_max, t.unit) for t in records.targets
            if t.goal_id == goal.goal_id and t.field == "target"]


def test_target_level_printed_in_the_indicator_cell(kauhava: RecordSet) -> None:
    """Kauhava pp. 58-72: 'Tavoite | Toimenpide/mittari' blocks print the target level in the indicator cell."""
    (vakavaraisuus,) = _rows(kauhava, 58, "Yhtiön vakavaraisuus vahvistuu")
    assert vakavaraisuus.indicator == "Omavaraisuusaste vähintään 22 % vuonna 2025."
    assert vakavaraisuus.target == "vähintään 22 % vuonna 2025"
    assert _targets(kauhava, vakavaraisuus) == [(">=", 22.0, None, "prosentti")]
    (target,) = [t for t in kauhava.targets if t.goal_id == vakavaraisuus.goal_id]
    assert (target.metric, target.deadline_year) == ("Omavaraisuusaste", 2025)
    (energia,) = _rows(kauhava, 72, "Lämmöntuotanto on tehokasta")  # printed with 'on', never 'Lämmöntuotantoon'
    assert energia.target == "14.000 MWh vuoteen 2026"
    assert _targets(kauhava, energia) == [("=", 14000.0, None, "mwh")]  # '14.000' is fourteen thousand
    (tuotanto,) = _rows(kauhava, 72, "Tuotanto on ympäristöystävällistä ja CO2-vapaata")
    assert (tuotanto.target, _targets(kauhava, tuotanto)) == ("vähintään 70 %", [(">=", 70.0, None, "prosentti")])
    (quick,) = _rows(kauhava, 59, "Yhtiön maksuvalmius on hyvä")
    assert (quick.target, _targets(kauhava, quick)) == ("vähintään 0,5", [(">=", 0.5, None, None)])


def test_counts_in_target_cells(kauhava: RecordSet, seinajoki: RecordSet) -> None:
    """Target cells printing a number before a counted noun: Kauhava p. 93 '11 ryhmää viikossa ja
    liikuntatapahtumia 12 vuodessa', Seinäjoki p. 118 '25 pv', p. 88 '3 työpäivän kuluessa', p. 91 '6 500 tuntia'
    and '2 hlöä'."""
    (liikunta,) = _rows(kauhava, 93, "Kuntalaisten omaehtoisen liikunnan")
    assert liikunta.indicator == "Matalan kynnyksen liikuntaryhmiä"
    assert _targets(kauhava, liikunta) == [("=", 11.0, None, "ryhmä/viikko"),
                                           ("=", 12.0, None, "liikuntatapahtuma/vuosi")]
    (lupa,) = [g for g in seinajoki.goals if g.page == 118 and g.target == "25 pv"]
    assert (lupa.baseline, _targets(seinajoki, lupa)) == ("27 pv", [("=", 25.0, None, "päivä")])
    (kuluessa,) = [g for g in seinajoki.goals if g.page == 88 and g.target == "3 työpäivän kuluessa"]
    assert _targets(seinajoki, kuluessa) == [("<=", 3.0, None, "työpäivä")]
    rows = [g for g in seinajoki.goals if g.page == 91 and g.target in ("6 500 tuntia", "2 hlöä")]
    assert [_targets(seinajoki, g) for g in rows] == [[("=", 6500.0, None, "tunti")], [("=", 2.0, None, "henkilö")]]


def test_target_cell_rules() -> None:
    def read(text: str, lang: str = "fi", cell: bool = True) -> list[tuple]:
        return [(m.comparator, m.value, m.unit, m.text) for m in find_targets(text, lang, counted_alone=cell)]

    assert read("11 ryhmää viikossa ja liikuntatapahtumia 12 vuodessa") == [
        ("=", 11.0, "ryhmä/viikko", "11 ryhmää viikossa"),
        ("=", 12.0, "liikuntatapahtuma/vuosi", "liikuntatapahtumia 12 vuodessa")]  # the noun before the number
    assert read("liikuntatapahtumia 12 vuodessa", cell=False) == []  # in running text, no count by itself
    assert read("11 ryhmää viikossa", cell=False) == []  # in running text a bare count is no target
    assert read("3 työpäivän kuluessa") == [("<=", 3.0, "työpäivä", "3 työpäivän kuluessa")]
    assert read("minst 11 grupper i veckan", "sv", cell=False) == [
        (">=", 11.0, "grupp/vecka", "minst 11 grupper i veckan")]
    assert read("14.000 MWh vuoteen 2026", cell=False)[0][1] == 14000.0
    assert read("vähintään 2,5 %", cell=False) == [(">=", 2.5, "prosentti", "vähintään 2,5 %")]
    assert read("100 hlö") == [("=", 100.0, "henkilö", "100 hlö")]


def test_repair_keeps_a_standalone_verb() -> None:
    assert repair_text("Tuotanto on ympäristöystävällistä", "fi")[0] == "Tuotanto on ympäristöystävällistä"
    assert repair_text("kommunikationsåtgärd er", "sv")[0] == "kommunikationsåtgärder"


def test_heading_row_printed_as_lines_over_the_table(seinajoki: RecordSet) -> None:
    """p. 139 (printed 135): the heading row 'Tavoite | Mittari | Lähtötaso/ toteuma 2022 | Tavoite-taso 2024 |
    Toteuma 2024' came out as a heading block over a table without one: its labels head the columns, and the
    year line under them ('2022 2024 2024') dates the baseline."""
    rows = [g for g in seinajoki.goals if g.page == 139]
    assert [(g.goal, g.indicator, g.baseline, g.target, g.outcome, g.status) for g in rows] == [
        ("Isot tapahtumat", "Määrä kpl", "35 (2022)", "45", "39", "partly"),
        ("Pienet tapahtumat", "Määrä kpl", "150 (2022)", "220", "253", "achieved"),
        ("Liikuntavuorot A-halli", "Käyttötunnit", "1 161 (2022)", "1 100", "1039", "partly"),
        ("Liikuntavuorot B-halli", "Käyttötunnit", "4 125 (2022)", "3 800", "3349", "partly"),
        ("Käyttötalous", "Käyttökate", "+14 746 (2022)", "+1 000 (ilman kaupungin ylimääräistä vastiketta)",
         "+40601", "achieved"),
        ("Asiakastyytyväisyys", "Kyselyt ja palautteet", "Hyvä", "Hyvä", "Hyvä", "achieved"),
    ]
    assert {g.level for g in rows} == {"operational"}
    (kaytto,) = [g for g in seinajoki.goals if g.page == 141 and g.goal == "Käyttöaste on korkea"]
    assert (kaytto.baseline, kaytto.target, kaytto.outcome) == ("96,32 (2022)", "96,5", "96,52")
    (henkilosto,) = [g for g in seinajoki.goals if g.page == 141 and g.goal == "Henkilöstötyytyväisyys"]
    assert henkilosto.baseline == "n/a"  # no figure: as printed


def test_printed_header_completes_a_label_cut_at_a_hyphen() -> None:
    parts = printed_header(["Tavoite Mittari Lähtötaso/ Tavoite- Toteuma", "toteuma taso", "2022 2024 2024"], "fi")
    assert [(p.key, p.label) for p in parts] == [
        ("goal", "Tavoite"), ("indicator", "Mittari"), ("baseline", "Lähtötaso/"), ("target", "Tavoite-taso"),
        ("outcome", "Toteuma")]
    assert printed_header(["Tavoitteiden toteutuminen ja toiminta"], "fi") == ()


def test_seinajoki_rows_checked_against_their_pages(seinajoki: RecordSet) -> None:
    """Rows read off the rendered pages (printed page numbers 79-109)."""
    rows = _rows(seinajoki, 83, "Henkilöstön kouluttautumista tuetaan vahvasti")
    assert [(r.indicator, r.baseline, r.target, r.outcome, r.status) for r in rows] == [
        ("Ka. 3 koulutuspäivää/työntekijä", "alle 1", "3", "2,84", "partly"),
        ("Hyödynnetään sidosryhmien tarjoamia koulutuksia aktiivisesti", "kyllä", "kyllä", "kyllä", "achieved")]
    rows = _rows(seinajoki, 86, "Kaupunki on haluttu sopimuskumppani")
    assert [(r.baseline, r.target, r.outcome, r.status) for r in rows] == [
        ("Kyllä", "Kyllä", "kyllä", "achieved"), ("2", "3", "7", "achieved"),
        ("Kyllä, ei mitattu", "80 %", "66 %", "partly")]
    assert rows[0].strategic_goal == "Yrittäjyyskaupunki 2.0"
    rows = _rows(seinajoki, 90, "Kansainvälisyyden edistäminen")
    assert [(r.indicator, r.status) for r in rows] == [
        ("Kansainvälistymisen strategian toteutus", "partly"), ("Kansainvälistymisen passi", "not_achieved"),
        ("Kansainvälisten liikkuvuuksien toteuttaminen", "achieved")]
    assert rows[1].target == "Passin käyttöönotto jokaisella koululla."
    (lukio,) = _rows(seinajoki, 95, "Kaikki halukkaat, joilla keskiarvo on yli 7,2")
    assert lukio.goal == "Kaikki halukkaat, joilla keskiarvo on yli 7,2, pääsevät lukioon myös kaupunkialueella"
    (yo,) = _rows(seinajoki, 95, "Yo-tutkinto suoritetaan kolmessa vuodessa.")
    assert (yo.indicator, yo.baseline, yo.target, yo.status) == (
        "Opiskelijatilastot", "88 %", "yli 90 %", "not_achieved")
    assert _targets(seinajoki, yo) == [(">", 90.0, None, "prosentti")]
    (keskeytys,) = _rows(seinajoki, 95, "Lukio-opinnot keskeyttävät")
    assert _targets(seinajoki, keskeytys) == [("<", 1.0, None, "prosentti")]
    (hinta,) = [g for g in _rows(seinajoki, 93, "Toiminnan tehokkuus ja pysyvä palvelurakenne")
                if g.indicator_index == 2]
    assert (hinta.target, _targets(seinajoki, hinta)) == ("5 % max. kasvu", [("<=", 5.0, None, "prosentti")])


def test_value_column_merged_into_the_indicator_column(seinajoki: RecordSet) -> None:
    """p. 113 (printed 109): atop the page the table layer merged 'Nykyarvo' into 'Mittari/mittarit'
    ('Mittari/mittarit Nykyarvo' over 'AO-erillispientalotontit/lkm 46'): the last number is the baseline. The goal
    is printed at the foot of p. 112."""
    rows = _rows(seinajoki, 112, "Tonttien myynti ja vuokraus asumiseen")
    assert {r.indicator_page for r in rows} == {113}
    assert [(r.indicator, r.baseline, r.target, r.outcome, r.status) for r in rows] == [
        ("AO-erillispientalotontit/lkm", "46", "50", "26", "partly"),
        ("AK/AR - asuinkerrostalo- ja rivitalotontit/ lkm", "8", "8", "6", "partly")]


def test_repair_joins_a_two_letter_piece_only_where_the_layout_broke_a_word() -> None:
    """Kauhava p. 62 prints 'vä-' at a line end and 'hentämään' below; Seinäjoki p. 95 'yo-' over 'tutkinnon' (an
    abbreviation before a word: its hyphen stays)."""
    assert repair_text("pyritään vä-hentämään", "fi", set(), {("vä", "hentämään")})[0] == "pyritään vähentämään"
    assert repair_text("pyritään vä-hentämään", "fi")[0] == "pyritään vä-hentämään"  # no line break seen there
    assert repair_text("suoritti yo-tutkinnon", "fi", set(), {("yo", "tutkinnon")})[0] == "suoritti yo-tutkinnon"


def test_kauhava_goal_blocks_whose_heading_row_is_on_the_page_before(kauhava: RecordSet) -> None:
    """pp. 60-61 and 64-65: 'Tavoite | Toimenpide/mittari' ends one page, the goal row starts the next."""
    (investoinnit,) = _rows(kauhava, 61, "Investoinnit")
    assert investoinnit.level == "financial"
    assert (investoinnit.indicator or "").startswith("Tavanomaiset, vuotuiset investoinnit rahoitetaan "
                                                     "tulorahoituksella. Merkittävät toiminnan laajennus-, laitos- "
                                                     "yms. investoinnit voidaan rahoittaa lainalla.")
    assert investoinnit.status == "achieved" and (investoinnit.outcome or "").startswith("Toteutuu.")
    (vakavaraisuus,) = _rows(kauhava, 65, "Yhtiön vakavaraisuus paranee")
    assert (vakavaraisuus.indicator or "").startswith("Omavaraisuusaste yli 3 % vuoteen 2025 mennessä")
    assert (vakavaraisuus.target, vakavaraisuus.outcome, vakavaraisuus.status) == (
        "yli 3 % vuoteen 2025 mennessä", "Toteutui, nyt 6,9 %", "achieved")
    assert _targets(kauhava, vakavaraisuus) == [(">", 3.0, None, "prosentti")]
    (vuoto,) = _rows(kauhava, 62, "Vuotovesien määrää pyritään vähentämään")  # printed 'vä-' / 'hentämään'
    assert vuoto.status == "partly"
    assert (vuoto.indicator or "").endswith("Mittari vuotovesikerroin, tavoitearvo 2.")
    assert vuoto.target == "2"  # 'tavoitearvo 2' inside the indicator cell
    assert [(t.metric, t.comparator, t.value) for t in kauhava.targets if t.goal_id == vuoto.goal_id] == [
        ("vuotovesikerroin", "=", 2.0)]
