"""Seinäjoki tilinpäätös 2024, section 8.1: a chosen set of goal rows pinned whole.

Expected values are read from the rendered pages (1-based page numbers of the PDF), never from the pipeline's
output. Each page prints its goal tables as stacked blocks: 'Strateginen valinta | Strateginen tavoite', then
'Talousarviotavoite | Tilannekuvaus ja riskiarvio', then 'Mittari/mittarit | Nykyarvo | Tavoitearvo | Toteuma-arvo'
with a coloured dot and a digit (1 green, 2 yellow, 3 red, 4 black) after each indicator row. Every goal is a
budget goal the council sets; its unit is the 'Tulosalue' heading above the table.

- p. 80: two one-indicator goals of '120 Tarkastustoimi', one with '…' as its current value.
- p. 81: 'Emokaupungin velkamäärä' and 'Konsernin velkamäärä' share one dot and one digit 2.
- p. 87: 'Digiohjelmaan kirjattujen ...' prints 'Ositt' / 'ain' wrapped in a narrow cell.
- p. 90: a baseline wrapped inside a range: 'sekä 22–' / '23 tavoitteiden'.
- p. 93: an outcome printing 'Tehostetun tuen' (two words) on one line.
- pp. 106-107: a goal cell cut by the page break ('Harrastuspassin käyttöönotto.' on p. 106, 'Kansainvälisyys
  osana perustoimintaa.' atop p. 107) over two indicators that pair with the goals in order.
- p. 109: an outcome wrapped inside a range: 'Laskut' / 'lähtivät 6–' / '12/2024'.
- p. 120: a goal printing 'Hinku-työtä*' (hyphen and footnote mark) inside a line.
- pp. 122-123: the same cut as pp. 106-107 ('Järjestöyhteistyön kehittäminen ...' / 'Asukasbudjetin toimenpiteet
  toteutuvat.').
- p. 126: an outcome printed over two lines ('9,1' / 'heinäkuu24').
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pipeline import process_file
from models import Goal, RecordSet


@pytest.fixture(scope="module")
def seinajoki(corpus_dir: Path) -> RecordSet:
    return process_file(corpus_dir / "real" / "fi_seinajoki_tilinpaatos_2024.pdf")[1]


def _row(records: RecordSet, indicator: str) -> Goal:
    rows = [g for g in records.goals if g.indicator == indicator]
    assert len(rows) == 1, (indicator, len(rows))
    return rows[0]


# (page of the indicator row, unit, goal, indicator, baseline, target, outcome, status_raw)
ROWS = [
    (80, "120 Tarkastustoimi",
     "Arviointikertomuksen vaikuttavuus. Arviointikertomuksessa esitetyt havainnot johtavat toiminnan "
     "tuloksellisuutta kehittäviin toimenpiteisiin.",
     "Suhteellinen osuus arviointikertomuksen havainnoista, jotka ovat johtaneet kehitystoimenpiteisiin.",
     "77 %", "70–100 %", "77 %", "1 mark:green"),
    (80, "120 Tarkastustoimi",
     "Sisäisen tarkastuksen vaikuttavuus. Sisäisen tarkastuksen raportoinnissa esitetyt merkittävät havainnot "
     "johtavat sisäistä valvontaa kehittäviin toimenpiteisiin vuoden sisällä raportoinnista.",
     "Suhteellinen osuus niistä sisäisen tarkastuksen raportoimista havainnoista, jotka ovat johtaneet "
     "kehitystoimenpiteisiin.",
     "…", "70–100 %", "50 %", "3 mark:red"),
    (81, "130 Yleishallinto",
     "Velkaantumisen ja toimintakatteen kasvun taittaminen. Talous on kestävällä tasolla.",
     "Emokaupungin velkamäärä euroa/asukas", "4 970 (TP2022)", "4 900", "5 529", "2 mark:yellow"),
    (81, "130 Yleishallinto",
     "Velkaantumisen ja toimintakatteen kasvun taittaminen. Talous on kestävällä tasolla.",
     "Konsernin velkamäärä euroa/ asukas", "9 335 (TP2022)", "9 900", "9179", "2 mark:yellow"),
    (87, "160 Talouspalvelut",
     "Digitalisaation hyödyntäminen hallinnossa, johtamisessa ja palveluissa.\n"
     "Digitalisaatiota tukevan palvelualustan kehittäminen, digitalisaatio palveluprosesseissa ja vaikuttavuus.",
     "Digiohjelmaan kirjattujen toimenpiteiden toteuttaminen yhteistyössä toimialojen ja yksiköiden kanssa",
     "Kyllä", "Toimenpiteiden valmistuminen sovitun aikataulun mukaisesti.", "Osittain", "2 mark:yellow"),
    (90, "410 Perusopetus", "Kansainvälisyyden edistäminen", "Kansainvälisten liikkuvuuksien toteuttaminen",
     "Liikkuvuuksia toteutettu hankekausien 21–22 sekä 22–23 tavoitteiden mukaisesti.",
     "Liikkuvuuksien toteutuminen suunnitellusti.", "Suunnitellut liikkuvuudet on toteutettu suunnitelmien mukaan.",
     "1 mark:green"),
    (93, "430 Varhaiskasvatus",
     "Tasa-arvo ja yhdenvertaisuus lasten kehittymisen, kasvun ja oppimispotentiaalin maksimointi.",
     "eri tukitoimien piirissä ja tarpeessa olevat lapset",
     "Nykyisellä rakenteella toimitaan enemmänkin korjaavasti",
     "Varhainen puuttuminen. Toiminnan vaikuttavuus lapselle. Yhteistyö.",
     "Lapset pääsääntöisesti yleisen tuen piirissä. Tehostetun tuen piirissä 274 lasta. Erityisen tuen piirissä on "
     "75 lasta. Toimintatavat vaativat kuitenkin vielä selkiyttämistä.", "1 mark:green"),
    (107, "590 Nuorisopalvelut", "Harrastuspassin käyttöönotto.", "Harrastuspassin käyttömäärät",
     "0", "1 000", "820", "1 mark:green"),
    (107, "590 Nuorisopalvelut", "Kansainvälisyys osana perustoimintaa.",
     "Nuorisopalveluiden kansainväliseen vaihtoon osallistuneiden kokonaismäärä", "55", "55", "55", "1 mark:green"),
    (109, "600 Kaupunkiympäristön toimialan hallinto",
     "Hyvä tekeminen muodostuu Seinäjoella osaavan henkilöstön yhdessä tekemästä turvallisesta, terveellisestä "
     "ja tuottavasta työstä.",
     "HV-laskuaineisto valmistuu keväästä ja on eheää. Hulevesilaskut saadaan lähtemään viimeistään toukokuussa "
     "asiakkaille.", "Toteutui osin syksyllä", "Kaikki laskut lähtevät keväällä", "Laskut lähtivät 6–12/2024",
     "2 mark:yellow"),
    (120, "670 Ympäristönsuojelu",
     "Toimitaan ympäristönsuojelun edistäjänä ja kehittäjänä kaupungissamme sekä tuetaan kaupungin Hinku-työtä* "
     "asiantuntijuudellamme ja hanketyöllä. Tunnistetaan kestävän kehityksen työhön kohdistuvat kuntalaisten "
     "tarpeet ja toiveet.",
     "Kestävää kehitystä ja ympäristönsuojelua koskevien tiedotteiden tai juttujen määrä/vuosi",
     "20", "25", "30", "1 mark:green"),
    (123, "700 Elinvoima", "Järjestöyhteistyön kehittäminen strategisten kumppanuuksien kautta.",
     "Strategisten kumppanuussopimuksien määrä", "0", "3", "0", "3 mark:red"),
    (123, "700 Elinvoima", "Asukasbudjetin toimenpiteet toteutuvat.",
     "Toteutuneet Asukasbudjetin toimenpiteet", "…", "23", "13", "2 mark:yellow"),
    (126, "710 Työllisyys",
     "Seinäjoen kaupunki tukee kaikkien työikäisten työllisyyttä tehokkaalla työnvälityksellä ja työllistymistä "
     "ja työkykyisyyttä edistävillä palveluilla ja valmennuksella. Palvelut ovat asiakaslähtöisiä ja työnhakua "
     "tukee koko kaupunkikonserni yhteistyöverkostoineen.",
     "Laaja työttömyys (%-osuus työvoimasta)", "9,7 %", "<10 %", "9,1 heinäkuu24", "1 mark:green"),
]


@pytest.mark.parametrize("expected", ROWS, ids=[f"p{r[0]}-{r[3][:30]}" for r in ROWS])
def test_goal_row_as_printed(seinajoki: RecordSet, expected: tuple) -> None:
    page, unit, goal, indicator, baseline, target, outcome, status_raw = expected
    row = _row(seinajoki, indicator)
    assert (row.indicator_page, row.unit_name, row.level, row.level_label) == \
        (page, unit, "council", "Talousarviotavoite")
    assert (row.goal, row.baseline, row.target, row.outcome, row.status_raw) == \
        (goal, baseline, target, outcome, status_raw)


def test_every_goal_table_of_the_pages_gives_its_rows(seinajoki: RecordSet) -> None:
    """Pp. 79-127 print 96 goal tables with 219 indicator rows (a block shared by the goals of one cell counted
    once), counted on the pages' images."""
    rows = [g for g in seinajoki.goals if 79 <= (g.page or 0) <= 127]
    assert len(rows) == 219
    assert {g.level for g in rows} == {"council"}
