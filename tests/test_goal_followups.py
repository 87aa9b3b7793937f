"""Goal follow-ups of two financial statements, row by row against the rendered pages.

Kauhava tilinpäätös 2024, committee sections pp. 73-108: numbered goals, each with 'Mittarit ja tavoitetaso' lines
or bullets ('indicator: target') and a 'Toteutuminen:' paragraph, under the sentence 'Valtuustoon nähden
tilivelvollinen viranhaltija on ...' (the goals the council set; p. 80 also prints goals binding towards the board).
Simrishamn kultur- och fritidsnämnden årsbokslut 2025, Måluppföljning pp. 25-32: 'Verksamhetsmål | Bedömning',
'Nämndmål | Bedömning' and 'Aktivitet | Status | Färdiggrad' blocks with 'Kommentar:' paragraphs; every mark is
green. Expected values are read from the page images (page numbers are the PDF's, 1-based).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pipeline import process_file
from models import Goal, RecordSet

KAUHAVA = "fi_kauhava_tilinpaatos_2024.pdf"
SIMRISHAMN = "se_simrishamn_kfn_arsbokslut_2025.pdf"


@pytest.fixture(scope="module")
def kauhava(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / KAUHAVA)[1]


@pytest.fixture(scope="module")
def simrishamn(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / SIMRISHAMN)[1]


def _goal(records: RecordSet, page: int, start: str) -> list[Goal]:
    """The rows of the goal printed on `page` whose text starts with `start`, in indicator order."""
    rows = [g for g in records.goals if g.page == page and (g.goal or "").startswith(start)]
    assert rows, f"no goal row on p. {page} starting {start!r}"
    return rows


def _in_pages(records: RecordSet, first: int, last: int) -> list[Goal]:
    return [g for g in records.goals if g.page is not None and first <= g.page <= last]


# --- Kauhava pp. 73-108 -----------------------------------------------------------------------------------------

KAUHAVA_GOALS_PER_PAGE = {76: 6, 79: 8, 80: 5, 87: 3, 93: 3, 102: 8, 108: 10}
"""One row per printed indicator (a goal without indicators is one row): p. 76 Tarkastuslautakunta 3 + 2 + 1,
p. 79 Kaupunginhallitus 1 + 1 + 1 + 2 + 3, p. 80 its goal binding towards the board with 5 bullets, p. 87
Kasvatus- ja opetuslautakunta 3 goals without indicators, p. 93 Elämänlaatulautakunta 3 x 1, p. 102 Tekninen
lautakunta 2 + 3 + 3, p. 108 Ympäristölautakunta 4 + 4 + 2."""


def test_kauhava_every_goal_row_of_the_committee_sections(kauhava: RecordSet) -> None:
    rows = _in_pages(kauhava, 73, 108)
    per_page: dict[int, int] = {}
    for row in rows:
        per_page[row.page or 0] = per_page.get(row.page or 0, 0) + 1
    assert per_page == KAUHAVA_GOALS_PER_PAGE
    units = {(g.unit_name, tuple(g.responsible)) for g in rows}
    assert units == {("Tarkastuslautakunta", ("hallintojohtaja",)), ("Kaupunginhallitus", ("kaupunginjohtaja",)),
                     ("Kasvatus- ja opetuslautakunta", ("sivistysjohtaja",)),
                     ("Elämänlaatulautakunta", ("sivistysjohtaja",)), ("Tekninen lautakunta", ("tekninen johtaja",)),
                     ("Ympäristölautakunta", ("tekninen johtaja",))}
    assert all(g.responsible_raw is None for g in rows)  # no goal prints its own responsible
    assert {g.level for g in rows if g.page != 80} == {"council"}
    assert {(g.level, g.level_label) for g in rows if g.page == 80} == {
        ("board", "Kaupunginhallitukseen nähden sitova toiminnallinen tavoite")}


def test_kauhava_tarkastuslautakunta_goal_with_dash_paragraphs(kauhava: RecordSet) -> None:
    """p. 76: three bullets without a colon are indicators without a target; the outcome's dash items are
    paragraphs of their own, the first wrapped over the line and block after 'kokouksessaan'."""
    rows = _goal(kauhava, 76, "Jatkuvasti laadukas ja hyödyllinen arviointitoiminta (=arviointiprosessi)")
    assert [(g.indicator, g.target) for g in rows] == [
        ("Vuoden 2023 arviointikertomuksen laadinta ja tilintarkastuksen toteuttaminen sekä tilinpäätöksen "
         "hyväksymisen valmistelu kaupunginvaltuustolle kesäkuun 2024 kokoukseen", None),
        ("Arviointikertomus valmistuu 25.5. mennessä", None),
        ("”Puhdas” tilintarkastuskertomus", None)]
    assert {(g.status, g.status_raw) for g in rows} == {("partly", "Toteutui osittain")}
    assert rows[0].outcome == (
        "Toteutui osittain\n"
        "− Tarkastuslautakunta on allekirjoittanut ja käsitellyt arviointikertomuksen kokouksessaan 29.5.2024. "
        "Tilinpäätöksen hyväksymistä, tilintarkastuskertomusta sekä vastuuvapauden myöntämistä tilivelvollisille "
        "tarkastuslautakunta käsitteli 4.6.2024. Arviointikertomus, tilinpäätös ja vastuuvapauden myöntäminen on "
        "käsitelty valtuustossa 17.6.2024.\n"
        "− Kaupunki sai vuodelta 2023 \"puhtaan\" tilintarkastuskertomuksen.")
    ohjaaminen = _goal(kauhava, 76, "Tilintarkastustoiminnan ohjaaminen")
    assert [g.indicator for g in ohjaaminen] == [
        "Lakisääteisen tilintarkastuksen toteutuksen varmistaminen",
        "Vähintään 40 % tarkastuksesta on vastuunalaiseksi nimetyn tilintarkastajan suorittamaa"]
    assert (ohjaaminen[0].outcome or "").split("\n")[:2] == [
        "Ei toteutunut kaikilta osin.", "− Lakisääteinen tilintarkastuksen toteutuksen varmistaminen toteutui."]
    (sopimus,) = _goal(kauhava, 76, "Tilintarkastuspalvelua koskevan sopimuksen ehtojen toteutuminen")
    assert (sopimus.indicator, sopimus.status) == ("Sopimusehtojen toteutumisen tarkastelu vuosittain", None)


def test_kauhava_kaupunginhallitus_goals(kauhava: RecordSet) -> None:
    """p. 79: 'Mittarit ja tavoitetaso:' lines 'indicator: target'; p. 80 five bullets of the board's goal."""
    talous = _goal(kauhava, 79, "Kaupungin talous on tasapainossa suunnitelmakaudella")
    assert [(g.indicator, g.target, g.status) for g in talous] == [
        ("Tuloslaskelma", "tilikauden tulos ylijäämäinen suunnitelmakaudella", "achieved"),
        ("Tase", "tase säilyy ylijäämäisenä", "achieved")]
    investoinnit = _goal(kauhava, 79, "Investointien määrä pidetään hallitulla.")
    assert investoinnit[0].goal == ("Investointien määrä pidetään hallitulla. Investoinnit toteutetaan valtuuston "
                                    "hyväksymän hankinta-arvon mukaisesti.")
    assert [(g.indicator, g.target) for g in investoinnit][1:] == [
        ("Lainakanta", "Lainakanta laskee vuodesta 2026 alkaen."),
        ("Investointihankkeiden toteutuneista kustannuksista laaditaan selvitys, joka annetaan tiedoksi "
         "lautakunnalle ja kaupunginhallitukselle.", None)]
    assert {g.status for g in investoinnit} == {None}  # the outcome prints no status word
    board = _goal(kauhava, 80, "Hallintopalvelujen ja kehityskeskuksen toiminta ja palvelut ovat laadukkaita")
    assert [(g.indicator, g.target) for g in board][1:4] == [
        ("Digitalisaation edistäminen", "2024 laaditaan digitiekartta"),
        ("Asioiden käsittelyaika", "alle 3 kuukautta vireilletulosta."),
        ("Toimeenpano", "tiedoksianto enintään 10 päivää päätöksenteosta, toimeenpano enintään 10 työpäivää "
                        "päätöksen lainvoimaistumisesta")]
    assert {(g.status, g.unit_name) for g in board} == {("partly", "Kaupunginhallitus")}


def test_kauhava_council_goals_of_a_committee_without_indicators(kauhava: RecordSet) -> None:
    """p. 87: 'Valtuuston kasvatus- ja opetuslautakunnalle asettamat tavoitteet ovat toteutuneet seuraavasti:'."""
    rows = _in_pages(kauhava, 87, 87)
    assert [(g.goal, g.indicator, g.level) for g in rows] == [
        ("Kohtuulliset ryhmäkoot perusopetuksessa.", None, "council"),
        ("Perusopetuksen oppilaiden tuen oikea-aikaisuus ja resursointi.", None, "council"),
        ("Oppilaiden hyvinvoinnin edistäminen, koulupudokkaiden ennaltaehkäisy, koulunuorisotyön ja muun "
         "ammatillisen yhteistyön edistäminen.", None, "council")]
    assert (rows[0].outcome or "").startswith("Ryhmäkoot on kyetty pitämään Kauhavalla hyvin kohtuullisina")


def test_kauhava_technical_and_environment_goals(kauhava: RecordSet) -> None:
    """p. 102: one 'Toteutuminen' paragraph for all bullets, each bullet's status read from its own sentence;
    p. 108: each bullet with its own 'Toteutuminen:' line."""
    liikenne = _goal(kauhava, 102, "Palveleva liikenneverkko")
    assert [(g.indicator, g.target, g.status) for g in liikenne] == [
        ("Alempiasteisen liikenneverkon kunnon edistäminen", "avustettavia hankkeita 10 km/ vuosi", "not_achieved"),
        ("Kaavateiden kunnon parantaminen", "perusparannusta 0,5 km/ vuosi", "achieved")]
    assert {g.unit_name for g in liikenne} == {"Tekninen lautakunta"}
    rows = [g for g in _in_pages(kauhava, 108, 108)]
    assert [(g.indicator, g.target, g.outcome, g.status) for g in rows] == [
        ("Ennakkoneuvonta", "Riittävä neuvonta ennen lupahakemuksen jättämistä", "Toteutui suunnitellusti",
         "achieved"),
        ("Pätevä henkilöstö", "Säännöllinen koulutus >5 päivää/ vuosi / henkilö", "Toteutui suunnitellusti",
         "achieved"),
        ("Asuntotoimen palvelujen taloudellinen ja tehokas tuottaminen", "Energia-ja korjausavustusneuvontaa",
         "Toteutui suunnitellusti", "achieved"),
        ("Riittävä henkilöstömäärä", "Palvelut saadaan tuotettua ajantasaisesti ja lainmukaisesti",
         "Tavoitteet jäivät osin toteutumatta resurssipulan vuoksi", "partly"),
        ("Rakennuslupien kustannukset / lupa", "kustannus ei ylitä määriteltyä taksaa", "Totetutui suunnitellusti",
         "achieved"),
        ("Rakennuskannan dokumentointi ja rakennustietojen ajantasaistaminen", "vuoteen 2025 mennessä",
         "Ei toteutunut", "not_achieved"),
        ("Rakennuslupien käsittelyaika", "alle 30 vrk", "Toteutui suunnitellusti", "achieved"),
        ("Tiedottamisen lisääminen ajankohtaisissa asioissa sekä yleisesti että rajatuille asiakasryhmille",
         "2-4 tiedotetta / vuosi", "Toteutui suunnitellusti", "achieved"),
        ("Yhteistyön tiivistäminen kaupungin organisaation sisällä sekä konserniyhtiöiden kesken",
         "1-2 kokousta/vuosi", "ei toteutunut", "not_achieved"),
        ("Oman työn osuus kaavoituksessa", "asemakaavojen laadinnassa oman työn osuus vähintään 70 %.", "toteutui",
         "achieved")]
    assert [g.goal for g in rows][::4][:2] == [
        "Asiantuntevan ja lainmukaisen viranomaispalvelun saatavuus kaikilla osa-alueilla. Lupahakemukset "
        "johtavat lainmukaiseen päätökseen.",
        "Rakennusvalvonnan ja ympäristönsuojelun palvelut tuotetaan tehokkaasti, sähköistä asiointia hyödyntäen."]


# --- Simrishamn pp. 25-32 ---------------------------------------------------------------------------------------

def test_simrishamn_every_goal_row_of_the_follow_up(simrishamn: RecordSet) -> None:
    """2 Verksamhetsmål (p. 25), 9 Nämndmål and 22 Aktiviteter; the Nämndmål print no comment; no block prints
    an indicator, target or baseline; every mark is green; the unit's Förvaltningschef (p. 4) is responsible."""
    rows = _in_pages(simrishamn, 25, 32)
    assert len(rows) == 33 == len(simrishamn.goals)
    levels = [(g.level, g.level_label) for g in rows]
    assert (levels.count(("operational", "Verksamhetsmål")), levels.count(("committee", "Nämndmål")),
            levels.count(("activity", "Aktivitet"))) == (2, 9, 22)
    assert sum(g.outcome is not None for g in rows) == 24
    assert all(g.outcome is None for g in rows if g.level == "committee")
    assert {(g.indicator, g.target, g.baseline) for g in rows} == {(None, None, None)}
    assert {(g.status, g.status_raw) for g in rows} == {("achieved", "mark:green")}
    assert {(g.unit_name, tuple(g.responsible), g.responsible_raw) for g in rows} == {
        ("Kultur- och fritidsnämnden", ("förvaltningschef",), None)}


def test_simrishamn_goal_rows_read_from_the_pages(simrishamn: RecordSet) -> None:
    (karnverksamhet,) = _goal(simrishamn, 25, "Vid besparingar av budgetskäl")
    assert karnverksamhet.goal == ("Vid besparingar av budgetskäl ska kärnverksamhet prioriteras framför "
                                   "administration och ledning.")
    assert karnverksamhet.outcome == (
        "På kultur- och fritidsnämnden finns för närvarande två och ett halvt årsarbeten av administrativ karaktär. "
        "Det inkluderar en 100% förvaltningschef, en 100% administratör som även fungerar som nämndsekreterare, samt "
        "en tjänst på 50% som ekonom köps in från kommunstyrelseförvaltningen. I verksamheterna finns det inga "
        "administrativa tjänster, utan dessa arbetsuppgifter hanteras av enhetscheferna.")
    (samverkan,) = _goal(simrishamn, 32, "Söka och utveckla samverkansformer")
    (brott,) = _goal(simrishamn, 32, "Utveckla samverkan kring kommunens brottsförebyggande åtgärder")
    assert (brott.level, brott.parent_goal_id) == ("activity", samverkan.goal_id)
    assert brott.goal == "Utveckla samverkan kring kommunens brottsförebyggande åtgärder med fokus på barn och unga."
    assert (brott.outcome or "").endswith("Vidare har en samverkansgrupp för lovaktiviteter bildats för att "
                                          "samordna de aktiviteter som erbjuds under årets olika lov.")
    (forelasning,) = _goal(simrishamn, 32, "Erbjuda föreläsning och utbildning för föreningar")
    assert forelasning.outcome == ("Klimatrådgivare sjukskriven under hösten. Föreläsning har ej kunna "
                                   "genomföras.")
