"""Goals one per line in a goal cell, period columns of a group's targets, company headings, shared targets.

Expected values are read from the rendered pages (1-based page numbers of the PDF):
- Seinäjoki p. 85 prints three budget goals in one 'Talousarviotavoite' cell, each opening a new line with no
  blank line between them; p. 116 four; p. 114 two, whose indicator block stands atop p. 115.
- Seinäjoki p. 105 prints a status digit beside each coloured dot.
- Kauhava p. 58 prints the group's targets as 'Konsernille asetetut tavoitteet | TA2024 | TP2024 | TP2023 |
  TP2022'; pp. 58-72 print each subsidiary's goals under the company's name ('Kauhavan Vuokra-asunnot Oy',
  p. 62), its goal tables going on over the next page (p. 63).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.layout import join_wrapped
from extractors.pdf.linebreaks import item_starts
from extractors.pdf.lines import Word
from extractors.pipeline import process_file
from models import Goal, RecordSet


@pytest.fixture(scope="module")
def seinajoki(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / "fi_seinajoki_tilinpaatos_2024.pdf")[1]


@pytest.fixture(scope="module")
def kauhava(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / "fi_kauhava_tilinpaatos_2024.pdf")[1]


def _goals_on(records: RecordSet, page: int) -> list[str]:
    """The distinct goal texts with a row on `page`, in reading order."""
    out: list[str] = []
    for goal in records.goals:
        if goal.page == page and goal.goal and goal.goal not in out:
            out.append(goal.goal)
    return out


def _rows(records: RecordSet, text: str) -> list[Goal]:
    return [g for g in records.goals if g.goal == text]


SEINAJOKI_85 = [
    "Kaupungin käyttötalous on tasapainossa. (koko kaupungin tavoite)",
    "Lainasalkun rahoitus on kilpailukykyistä ja riittävästi suojattu. (koko kaupungin tavoite)",
    "Edistetään taloussuunnittelun ja -raportoinnin vaikuttavuutta ja siten tuloksellisuutta.",
]


def test_goals_one_per_line_in_one_cell(seinajoki: RecordSet) -> None:
    # the indicator block under the cell belongs to all three goals: one row per indicator, the goals one a line
    assert _goals_on(seinajoki, 85) == ["\n".join(SEINAJOKI_85)]
    if True:
        rows = [(r.indicator, r.baseline, r.status_raw) for r in _rows(seinajoki, "\n".join(SEINAJOKI_85))
                if r.indicator_page == 85]  # a fourth indicator goes on atop p. 86
        assert rows == [
            ("Vuosikate kattaa poistot ja tilikauden tulos",
             "TP 2023: Vuosikate kattoi poistot 36 %:sti, tulos alijäämäinen.", "2 mark:yellow"),
            ("Lainasalkun korkotaso ja lainojen suojausaste", "Toteutuma TP2023: ka. 2,47 %", "2 mark:yellow"),
            ("Toteutumaraportti vaikuttavuutta edistävistä toimenpiteistä", "Jatkuva kehittäminen", "1 mark:green"),
        ]
    assert _goals_on(seinajoki, 116)[0].split("\n") == [
        "Suunnittelun, rakentamisen, kunnossapidon, kone- ja kuljetuskeskuksen sekä puistotoimen tehtävien toteutus "
        "budjetin määrärahojen puitteissa kokonaistaloudellisesti edullisimmalla tavalla.",
        "Mahdollistaa turvallinen ja terveellinen työympäristö.",
        "Kehittyä ja mukautua digitalisaation sekä toimintaympäristön muutoksissa.",
        "Organisaation uudistaminen kustannustehokkaampaan toimintatapaan.",
    ]


def _line(text: str, x0: float = 0.0, size: float = 10.0) -> list[Word]:
    """Words of one printed line, each letter 5 pt wide and one space 3 pt, from x0."""
    words, x = [], x0
    for part in text.split():
        words.append(Word(text=part, x0=x, x1=x + 5 * len(part), top=0.0, bottom=size, size=size))
        x += 5 * len(part) + 3
    return words


def test_item_starts_from_lines_ended_by_hand() -> None:
    wrapped = [_line("Kaupunki tukee opiskelijoiden harjoittelua."), _line("Kaupunki lisää harjoittelijoiden"),
               _line("määrää kaupunkikonsernissa.")]
    assert item_starts(wrapped) == []  # the first line is full: 'Kaupunki' did not fit after it
    listed = [_line("Kaupungin käyttötalous on"), _line("tasapainossa. (koko kaupungin"), _line("tavoite)"),
              _line("Lainasalkun rahoitus on suojattu. (koko"), _line("kaupungin tavoite)"),
              _line("Edistetään raportoinnin"), _line("vaikuttavuutta.")]
    # 'tavoite)' ends early; the full line 'kaupungin tavoite)' ends its item the same way
    assert item_starts(listed) == [3, 5]
    assert item_starts([_line("Tulos on"), _line("parempi. Ja"), _line("Seinäjoki")]) == []


def test_suspended_hyphen_at_a_line_end_opens_the_next_word() -> None:
    assert join_wrapped(["taloussuunnittelun ja -", "raportoinnin vaikuttavuutta"]) == \
        "taloussuunnittelun ja -raportoinnin vaikuttavuutta"
    assert join_wrapped(["kone- ja", "kuljetuskeskuksen"]) == "kone- ja kuljetuskeskuksen"
    assert join_wrapped(["Tilaa Seinäjoki -", "Kampanja"]) == "Tilaa Seinäjoki - Kampanja"


def test_a_range_wrapped_at_its_dash_is_one_range() -> None:
    """Seinäjoki p. 109 prints 'Laskut' / 'lähtivät 6–' / '12/2024', p. 90 'sekä 22–' / '23 tavoitteiden'."""
    assert join_wrapped(["Laskut", "lähtivät 6–", "12/2024"]) == "Laskut lähtivät 6–12/2024"
    assert join_wrapped(["hankekausien 21–22 sekä 22–", "23 tavoitteiden"]) == \
        "hankekausien 21–22 sekä 22–23 tavoitteiden"
    assert join_wrapped(["erotus –", "12 000"]) == "erotus – 12 000"  # a dash after a space is no range's


def test_status_digits_beside_the_dots(seinajoki: RecordSet) -> None:
    """p. 105: the value columns' rules are drawn in pieces; the digit column beside the dots is read."""
    rows = {g.indicator: g.status_raw for g in seinajoki.goals if g.page == 105}
    assert rows["Liikuntatilojen kävijämäärät"] == "2 mark:yellow"
    assert rows["Liikuntapalveluiden ohjattujen ryhmien osallistujamäärät"] == "1 mark:green"
    assert rows["Liikuntatapahtumien määrät (ottelut)"] == "3 mark:red"
    assert rows["Terveystottumuskysely 1 kpl"] == "4 mark:black"


def test_indicator_block_atop_the_next_page_belongs_to_every_goal_of_the_cell(seinajoki: RecordSet) -> None:
    """p. 114 ends with a cell of two goals; their 'Mittari/mittarit' block of five indicators stands atop p. 115:
    five rows (not ten), each naming both goals, on the goals' page, with the indicator's page beside it."""
    text = ("Turvallisen, laadukkaan ja viihtyisän kaupunkiympäristön luominen ja ylläpito vallitsevien "
            "normien, standardien ja laatuluokitusten mukaisesti.\n"
            "Kehittää paikallisliikennettä ja edistää kevyen liikenteen käyttöä.")
    rows = _rows(seinajoki, text)
    assert [(r.page, r.indicator_page, r.indicator, r.baseline, r.target, r.outcome, r.status)
            for r in rows[:2]] == [
        (114, 115, "Kevyen liikenteen väylien pääyhteyksien (pyöräilystrategia 2012) parannustyöt", "Ei", "Kyllä",
         "Toteutunut osittain", "partly"),
        (114, 115, "Runkolukittavien pyörätelineiden lisääminen", "40 kpl", "50 kpl", "58", "achieved")]
    assert len(rows) == 5 and {r.indicator_shared_by for r in rows} == {2}


def test_four_goals_over_six_indicators_give_six_rows(seinajoki: RecordSet) -> None:
    """p. 115 (printed 111): one 'Talousarviotavoite' cell of four goals over one 'Mittari/mittarit' block of six
    indicators that pairs with none of them: six rows, each shared by the four goals (24 before)."""
    rows = [g for g in seinajoki.goals if g.page == 115 and (g.goal or "").startswith("Yhdyskuntatekniikan")]
    assert [g.indicator for g in rows] == [
        "Yhteistyökysely kaupungin henkilöstölle", "Palautepalvelun keskimääräinen vastausaika",
        "Jalankulku- ja pyöräilyväylien käyttäjämäärien mittaus", "Vuosittaisen asukasbudjetoinnin kohteiden toteutus",
        "Vuosittaisen kaupunkiliikenteen matkustajatyytyväisyyskyselyn toteuttaminen yhteistyössä liikennöitsijän "
        "kanssa", "Kaupunkiliikenteen pysäkkikatosten lisääminen"]
    assert (rows[0].goal or "").split("\n") == [
        "Yhdyskuntatekniikan palvelujen tuottaminen asiakaspalvelulähtöisesti.",
        "Kehittää asiakaspalvelua käyttäjäystävällisempään suuntaan.",
        "Mahdollistaa kuntalaisten osallistuminen tulevien investointihankkeiden valmisteluun.",
        "Luoda uusia toimintatapoja viestintään."]
    assert {g.indicator_shared_by for g in rows} == {4}
    assert [(g.baseline, g.target, g.outcome, g.status) for g in rows[:2]] == [
        ("1 kpl/v", "1kpl/v", "0 kpl/v", "not_achieved"), ("3 työpäivää", "2 työpäivää", "2 työpäivää", "achieved")]
    (first,) = [t for t in seinajoki.targets if t.goal_id == rows[0].goal_id and t.field == "target"]
    assert (first.comparator, first.value, first.unit, first.page) == ("=", 1.0, "kpl/v", 115)


def test_a_shared_target_cell_is_one_target(seinajoki: RecordSet) -> None:
    """p. 116: the 'Tavoitearvo' cell '0 kpl' belongs to four goals; it is one printed target."""
    found = [t for t in seinajoki.targets if t.page == 116 and t.text == "0 kpl"]
    assert len(found) == 1


KAUHAVA_GROUP = [  # goal, TA2024 (target), TP2024 (outcome), TP2023 (baseline, with the year its heading prints)
    ("Konsernin vuosikate poistoista, %:a", "yli 80", "142,8", "123,8 (TP2023)"),
    ("Konsernin omavaraisuusaste, %:a", "yli 25", "31,9", "32,2 (TP2023)"),
    ("Konsernin lainat ja vuokravastuut, €/asukas", "alle 12.000", "9.716", "9.228 (TP2023)"),
    ("Konsernin laskennallinen lainanhoitokate", "yli 0,8", "0,9", "1,0 (TP2023)"),
]


def test_group_targets_by_period_columns(kauhava: RecordSet) -> None:
    rows = [g for g in kauhava.goals if g.page == 58 and g.goal and g.goal.startswith("Konsernin")]
    assert [(g.goal, g.target, g.outcome, g.baseline) for g in rows] == KAUHAVA_GROUP
    assert all(g.status is None and g.status_raw is None for g in rows)  # TP2022 is no status
    assert {(g.level, g.level_label) for g in rows} == {("council", "Konsernille asetetut tavoitteet")}
    first = [t for t in kauhava.targets if t.goal_id == rows[0].goal_id and t.field == "target"]
    assert [(t.comparator, t.value) for t in first] == [(">", 80.0)]


def test_subsidiary_goals_take_the_company_heading_as_unit(kauhava: RecordSet) -> None:
    on_63 = [g for g in kauhava.goals if g.page == 63]
    assert len(on_63) == 7
    assert {g.unit_name for g in on_63} == {"Kauhavan Vuokra-asunnot Oy"}
    assert [g.level for g in on_63] == ["financial"] * 4 + ["operational"] * 3
    on_58 = [g for g in kauhava.goals if g.page == 58 and g.goal in ("Taloudellinen tulos", "Käyttötuntihinta")]
    assert {g.unit_name for g in on_58} == {"Kauhavan Jäähalli Oy"}


def test_baseline_words_broken_at_a_line_end_are_joined(seinajoki: RecordSet) -> None:
    """p. 91 prints the baseline 'Noin 23 % yksit. palveluntuot-' / 'tajilta' (a line-break hyphen) and the target
    'Nykytilan-teen säilyminen' with its hyphen inside the line (kept as printed)."""
    (row,) = [g for g in seinajoki.goals if g.page == 91 and g.indicator and g.indicator.startswith("Kaupungin oma")]
    assert (row.baseline, row.target, row.outcome, row.status_raw) == (
        "Noin 23 % yksit. palveluntuottajilta", "Nykytilan-teen säilyminen", "Toteutui suunnitellusti.", "1 mark:green")


def test_baseline_heading_cut_at_a_hyphen(seinajoki: RecordSet) -> None:
    """p. 132 heads its columns 'Tavoite | Mittari | Lähtö-taso/toteuma 2022 | Tavoite-taso 2024 | Toteuma 2024':
    'Lähtö-taso' names the baseline as 'Tavoite-taso' names the target (the values were one column off); the
    baseline carries the year its heading prints."""
    rows = [g for g in seinajoki.goals if g.page == 132]
    assert [(g.indicator, g.baseline, g.target, g.outcome, g.status_raw) for g in rows] == [
        ("Käyttöaste, %", "100 (2022)", "100", "100", "1 mark:green"),
        ("Ylläpitokorjauksia suoritetaan vuosittain suunnitelmallisesti", "…", "…", "on", "1 mark:green"),
        ("Tilikausien vastikerahoituslaskelma on ylijäämäinen", "994 275 (2022)", "794 275", "820 676", "1 mark:green"),
        ("Ylimääräisiä vastikkeita ei peritä tilikausilla", "0 kpl (2022)", "0 kpl", "0 kpl", "1 mark:green"),
    ]


def test_an_indicator_wrapped_before_its_colon_keeps_its_target(kauhava: RecordSet) -> None:
    # Kauhava p. 102, goal 3 'Vahva kuntatalous', third bullet under 'Mittarit ja tavoitetaso': '• Erilaisten
    # avustusten ja hankerahoitusmahdollisuuksien tehokas hyödyntäminen yhteis- / työssä 3. sektorin kanssa:
    # haetaan valtionavustuksia omiin hankkeisiin ja tuetaan 3. sektorin / hankkeita suunnitteluvaiheessa'
    rows = {(g.indicator, g.target) for g in kauhava.goals if g.page == 102 and g.goal == "Vahva kuntatalous"}
    assert ("Erilaisten avustusten ja hankerahoitusmahdollisuuksien tehokas hyödyntäminen yhteistyössä 3. sektorin "
            "kanssa", "haetaan valtionavustuksia omiin hankkeisiin ja tuetaan 3. sektorin hankkeita "
            "suunnitteluvaiheessa") in rows
    assert ("Käyttämättömistä kiinteistöistä luopuminen", "toimeenpannaan päätökset kiinteistöjen "
            "käyttötarkoitusmuutoksista, myynnistä ja purkamisesta") in rows
    assert len(rows) == 3


def test_a_shared_indicator_block_says_how_many_goals_share_it(seinajoki: RecordSet, kauhava: RecordSet) -> None:
    # Seinäjoki p. 85: one 'Talousarviotavoite' cell prints three goals ('Kaupungin käyttötalous on
    # tasapainossa. ...', 'Lainasalkun rahoitus on kilpailukykyistä ...', 'Edistetään taloussuunnittelun ja
    # -raportoinnin ...') over one 'Mittari/mittarit' block of three indicators ('Vuosikate kattaa poistot ja
    # tilikauden tulos', 'Lainasalkun korkotaso ja lainojen suojausaste', 'Toteutumaraportti vaikuttavuutta
    # edistävistä toimenpiteistä'): one row per indicator naming the three goals, each saying three goals share it
    rows = [g for g in seinajoki.goals if g.indicator_page == 85 and g.indicator]
    assert len(rows) == 3 and {len((g.goal or "").split("\n")) for g in rows} == {3}
    assert {g.indicator_shared_by for g in rows} == {3}
    assert len({(g.indicator_page, tuple(g.indicator_bbox or ())) for g in rows}) == 3
    # Kauhava p. 102: each numbered goal's 'Mittarit ja tavoitetaso' bullets are its own
    own = [g for g in kauhava.goals if g.page == 102 and g.indicator]
    assert own and {g.indicator_shared_by for g in own} == {1}
