"""Seinäjoki's subsidiaries' goal tables (section 8.1, PDF pp. 128-141, printed 124-137): one page per company
('Tytäryhteisö | <company>'), a table 'Tavoite | Mittari | Lähtötaso/toteuma 2022 | Tavoitetaso 2024 |
Toteuma 2024' with a status dot and digit per indicator row.

Every expected value was read from the rendered page image (the document is cut to these pages, so the
tests name rows by their company and goal text, not by page number).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.goals.cells import glued_value, stacked_values
from models import RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"
PAGES = tuple(range(128, 142))


@pytest.fixture(scope="module")
def subsidiaries() -> RecordSet:
    return page_records(SEINAJOKI, PAGES)


def _rows(records: RecordSet, company: str, goal: str) -> list[tuple[str | None, ...]]:
    return [(g.indicator, g.baseline, g.target, g.outcome, g.status_raw, g.status) for g in records.goals
            if g.unit_name == company and g.goal == goal]


def _companies(records: RecordSet) -> list[tuple[str | None, int]]:
    counts: dict[str | None, int] = {}
    for goal in records.goals:
        counts[goal.unit_name] = counts.get(goal.unit_name, 0) + 1
    return list(counts.items())


def test_every_company_with_its_printed_goal_rows(subsidiaries: RecordSet) -> None:
    """One row per printed indicator row, under the company its page names, in page order (67 rows)."""
    assert _companies(subsidiaries) == [
        ("Etelä-Pohjanmaan Ravikatsomo Oy", 4), ("Into Seinäjoki Oy", 6), ("Kiinteistö Oy Seinäjoen Animwest", 4),
        ("Kiinteistö Oy Seinäjoen Palvelutalot", 4), ("Kiinteistö Oy Seinäjoen Ruokatalo", 4),
        ("Lakeuden Vesi Oy", 4), ("SeiLab Oy", 3), ("Seinäjoen Ammattikorkeakoulu", 7), ("Seinäjoen Energia", 4),
        ("Seinäjoen kaupunginteatteri Oy", 4), ("Seinäjoen Työterveys Oy", 6), ("Seinäjoki Areena Oy", 6),
        ("Seipark Oy", 5), ("Sevas Kodit Oy", 6)]
    assert {(g.level, g.level_label) for g in subsidiaries.goals} == {
        ("operational", "TOIMINNALLISET JA TALOUDELLISET TAVOITTEET")}


def test_two_value_lines_with_two_marks_are_two_rows(subsidiaries: RecordSet) -> None:
    """p. 135 (printed 131): one indicator cell over 740 / 139, 815 / 115, 922 / 176 and two green dots."""
    indicator = "Valmistuneiden lukumäärä (AMK ja YAMK tutkinnot)"
    assert _rows(subsidiaries, "Seinäjoen Ammattikorkeakoulu",
                 "Turvataan korkeakoulutetun työvoiman saatavuus alueella") == [
        (indicator, "740 (2022)", "815", "922", "1 mark:green", "achieved"),
        (indicator, "139 (2022)", "115", "176", "1 mark:green", "achieved")]
    assert _rows(subsidiaries, "Seinäjoen Ammattikorkeakoulu", "TKI-toimintaan panostaminen") == [
        ("TKI-toiminnan ulkoisen rahoituksen volyymi miljoonaa euroa", "6,5M€ (2022)",
         "5,5-6M€ (SoNET BOTNIA on poistunut)", "yli 5,5 M€", "1 mark:green", "achieved")]


def test_a_value_wrapped_inside_a_word(subsidiaries: RecordSet) -> None:
    """p. 129 (printed 125): the baseline cell prints '1.si' over 'ja'; target and outcome print '1.sija'."""
    assert _rows(subsidiaries, "Into Seinäjoki Oy", "Erinomainen yritysilmapiiri") == [
        ("Suomen yrittäjien kuntabarometrin sijoitus", "1.sija (2022)", "1.sija", "1.sija", "1 mark:green",
         "achieved"),
        ("Yritysten suositteluindeksi NPS", "+58 (2022)", "+50", "+91", "1 mark:green", "achieved")]
    assert _rows(subsidiaries, "Into Seinäjoki Oy", "Yritysten kasvu ja kansainvälistyminen") == [
        ("Kontaktoitujen yritysten määrä kpl", "…", "1 500", "1920", "1 mark:green", "achieved"),
        ("Neuvontapalvelujen määrä kpl", "1 249 (2022)", "1 300", "1208", "2 mark:yellow", "partly")]


def test_rows_read_off_the_pages(subsidiaries: RecordSet) -> None:
    """One or more rows per company, as the rendered pages print them."""
    assert _rows(subsidiaries, "Etelä-Pohjanmaan Ravikatsomo Oy", "Ravikeskuksen vetovoiman lisääminen") == [
        ("Vuosittain tapahtuva kehitystyö", "…", "…", "osittain", "2 mark:yellow", "partly")]
    assert _rows(subsidiaries, "Kiinteistö Oy Seinäjoen Animwest", "Tilojen käyttöaste on korkea") == [
        ("Käyttöaste, %", "85 (2022)", "100", "85", "2 mark:yellow", "partly")]
    assert _rows(subsidiaries, "Kiinteistö Oy Seinäjoen Palvelutalot", "Riittävä maksuvalmius") == [
        ("Tilikauden vastikerahoituslaskelma on ylijäämäinen", "1 479 720 (2022)", "1 400 000", "2 173 831",
         "1 mark:green", "achieved")]
    assert _rows(subsidiaries, "Kiinteistö Oy Seinäjoen Ruokatalo", "Vastiketason pysyminen tasaisena") == [
        ("Ylimääräisiä vastikkeita ei peritä tilikausilla", "0 kpl (2022)", "0 kpl", "0 kpl", "1 mark:green",
         "achieved")]
    assert _rows(subsidiaries, "Lakeuden Vesi Oy", "Talous, hävikki") == [
        ("Laskuttamaton vesimäärä", "1,3 % (2022)", "< 2 %", "1,5 %", "1 mark:green", "achieved")]
    assert _rows(subsidiaries, "SeiLab Oy", "Omalle pääomalle parempaa tuottoa") == [
        ("Oman pääoman tuotto-% (ROE)", "-15,66 % (2022)", "2,40 %", "- 152 %", "3 mark:red", "not_achieved")]
    assert _rows(subsidiaries, "Seinäjoen Energia", "Häiriötön jakelu") == [
        ("Sähkön jakelukeskeytykset", "8 min/ asiakas (2022)", "20 min/ asiakas", "5 min/ asiakas",
         "1 mark:green", "achieved")]
    assert _rows(subsidiaries, "Seinäjoen kaupunginteatteri Oy", "Strategian laadinta") == [
        ("Kyllä/Ei", "Ei", "Kyllä", "Ei", "3 mark:red", "not_achieved")]
    assert _rows(subsidiaries, "Seinäjoen Työterveys Oy", "KL1 55 %") == [
        ("Kl1 osuus toiminnasta", "…", "55 %", "53 %", "2 mark:yellow", "partly")]
    assert _rows(subsidiaries, "Seinäjoki Areena Oy", "Liikuntavuorot B-halli") == [
        ("Käyttötunnit", "4 125 (2022)", "3 800", "3349", "2 mark:yellow", "partly")]
    assert _rows(subsidiaries, "Seipark Oy", "Lyhytaikapysäköintien määrä keskustassa") == [
        ("kpl", "1 767 (2022)", "1 800", "1 674", "3 mark:red", "not_achieved")]
    assert _rows(subsidiaries, "Sevas Kodit Oy", "Strategian päivitys") == [
        ("strategia vuosiksi 23–28", "n/a", "k/e", "k", "1 mark:green", "achieved")]


def test_stacked_value_lines_need_one_mark_per_line() -> None:
    """Examples from Seinäjoki p. 135 (two marks) and counterexamples from pp. 131 and 136 (one mark)."""
    lines = {"baseline": ["740", "139"], "target": ["815", "115"], "outcome": ["922", "176"]}
    assert stacked_values(lines, ["1", "1"], 2) == [
        {"baseline": "740", "target": "815", "outcome": "922", "status": "1"},
        {"baseline": "139", "target": "115", "outcome": "176", "status": "1"}]
    assert stacked_values(lines, [], 1) == []  # one mark: a value wrapped over two lines
    assert stacked_values(lines, ["1"], 2) == []  # one digit for two marks
    assert stacked_values({"baseline": ["8 min/", "asiakas"], "target": ["20 min/", "asiakas"]}, [], 2) == []
    assert stacked_values({"outcome": ["2 173", "831"]}, ["1"], 2) == []  # one value cell only


def test_glued_value_needs_a_sibling_printing_it_whole() -> None:
    assert glued_value(["1.si", "ja"], ["1.sija", "1.sija"]) == "1.sija"
    assert glued_value(["2 173", "831"], ["1 479 720", "1 400 000"]) is None
    assert glued_value(["8 min/", "asiakas"], ["20 min/ asiakas", "5 min/ asiakas"]) is None
    assert glued_value(["1.sija"], ["1.sija"]) is None
