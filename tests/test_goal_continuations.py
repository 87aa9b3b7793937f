"""Goal blocks read across page breaks and assessment cells read as printed: expected values read from the
rendered pages of Kauhava's tilinpäätös 2024 (companies' goal blocks 'Tavoite | Toimenpide/mittari' over
'Arviointi | Tila', pp. 58-72)."""

from __future__ import annotations

from pathlib import Path

from extractors.goals.status import dash_after_status
from models import Goal, RecordSet
from tests.pdf_pages import page_records

KAUHAVA = "fi_kauhava_tilinpaatos_2024.pdf"


def _kauhava(corpus_dir: Path, pages: tuple[int, ...]) -> RecordSet:
    return page_records(corpus_dir / "real" / KAUHAVA, pages)


def _goal(records: RecordSet, page: int, text: str) -> Goal:
    (goal,) = [g for g in records.goals if g.page == page and g.goal == text]
    return goal


def test_assessment_block_atop_the_next_page_completes_the_goal(corpus_dir: Path) -> None:
    """p. 66 ends with the goal block 'Yhtiön tulorahoitus riittää lainoihin ja korvausinvestointeihin |
    Rahoitustulos vähintään nolla.'; its 'Arviointi | Tila' block, 'Toteutui | Valmis', stands atop p. 67."""
    records = _kauhava(corpus_dir, (66, 67))
    goal = _goal(records, 1, "Yhtiön tulorahoitus riittää lainoihin ja korvausinvestointeihin")
    assert (goal.indicator, goal.target) == ("Rahoitustulos vähintään nolla.", "vähintään nolla")
    assert (goal.outcome, goal.status) == ("Toteutui", "achieved")
    assert [(t.comparator, t.value, t.text) for t in records.targets if t.goal_id == goal.goal_id] == [
        (">=", 0.0, "vähintään nolla")]
    # the goals of p. 67 keep their own blocks; the continued assessment made no goal of its own
    first = _goal(records, 2, "Tilat ovat vuokrattuina täysimääräisesti.")
    assert (first.outcome, first.status) == ("Toteutui", "achieved")
    assert len([g for g in records.goals if g.page == 2]) == 5
    tappio = _goal(records, 2, "Taloudellinen tulos")
    assert tappio.outcome == "Ei toteutunut kaikilta osin. Tulos -7 797,57 € tappiollinen"
    assert tappio.status == "partly"


def test_dash_after_the_status_word_keeps_the_next_line_apart(corpus_dir: Path) -> None:
    """p. 60: the assessment cell of 'Yhtiön maksuvalmius on hyvä' prints 'Toteutuu-' and, on the next line,
    'Quick ratio  2,6': the hyphen closes the status word, it joins no word with 'Quick'."""
    records = _kauhava(corpus_dir, (60,))
    goal = _goal(records, 1, "Yhtiön maksuvalmius on hyvä")
    assert goal.indicator == "Quick ratio–tunnusluvun arvo on vähintään 1,0."
    assert goal.outcome == "Toteutuu-\nQuick ratio 2,6"
    assert goal.status == "achieved" and "Quick" not in (goal.status_raw or "")
    # the cell above it prints the status and the figure as two sentences: joined as wrapped
    vakavaraisuus = _goal(records, 1, "Yhtiön vakavaraisuus")
    assert vakavaraisuus.outcome == "Toteutuu. Omaraisuusaste n. 60 %"


def test_dash_after_status_rule() -> None:
    assert dash_after_status(["Toteutuu-", "Quick ratio  2,6"], "fi") == "Toteutuu-\nQuick ratio 2,6"
    assert dash_after_status(["Yhteistyö Etelä-", "Pohjanmaan kanssa"], "fi") is None  # a name goes on
    assert dash_after_status(["Toteutui osittain, ra-", "kennus valmistuu"], "fi") is None  # lower case: one word
    assert dash_after_status(["Toteutuu"], "fi") is None
