"""The organisation layer on the real documents (issues 10 and 11): municipality, country and organisation of
each document, the unit of chosen tables, and the units' responsible roles.

Every expected value below was read from the rendered page named beside it (pypdfium2, scale 1-2), not from
the pipeline's output. Tables are found by page and a figure printed in them, so that the expectations do
not depend on how the table layer numbers its tables.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from extractors.link import Catalog, compare_catalog
from extractors.nlp.roles import unit_title
from extractors.pipeline import process_file
from extractors.units import is_caption, minutes_item
from extractors.understand import understand
from models import DocumentRecord, FinanceFigure, Goal, PlanDocument, RecordSet, Unit

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KH = "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"
SIVLA_2025 = "fi_lapua_sivistyslautakunta_poytakirja_2025-01-15.pdf"
SIVLA_2026 = "fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf"
HYVLA = "fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf"
TEKLA = "fi_lapua_tekninen_lautakunta_poytakirja_2025-01-28.pdf"
YMPLA = "fi_lapua_ymparistolautakunta_poytakirja_2022-01-25.pdf"
KAUHAVA = "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = "fi_seinajoki_tilinpaatos_2024.pdf"
SIMRISHAMN = "se_simrishamn_kfn_arsbokslut_2025.pdf"
SIMRISHAMN_INVEST = "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"


@cache
def records(name: str) -> RecordSet:
    path = REAL / name
    if not path.is_file():
        pytest.fail(f"real document {path} is missing: check out ../shared next to the repository")
    return process_file(path)[1]


# --- municipality, country, organisation ---------------------------------------------------------------

DOCUMENTS = [
    # Lapua's budget tables print no municipality at all (p. 1-4); the file is filed under Lapua's name.
    (KH, "Lapua", "FI", None),
    # the minutes' page header block: "Lapuan kaupunki / <board> / Pöytäkirja" (p. 1, 7, 14, 19)
    (SIVLA_2025, "Lapua", "FI", "Sivistyslautakunta"),
    (SIVLA_2026, "Lapua", "FI", "Sivistyslautakunta"),
    (HYVLA, "Lapua", "FI", "Hyvinvointilautakunta"),
    (TEKLA, "Lapua", "FI", "Tekninen lautakunta"),
    (YMPLA, "Lapua", "FI", "Ympäristölautakunta"),
    # the whole city's financial statements ("Kauhavan kaupunki", "Seinäjoen kaupunki" in the text)
    (KAUHAVA, "Kauhava", "FI", None),
    (SEINAJOKI, "Seinäjoki", "FI", None),
    # p. 2: "Organisation: Kultur- och fritidsnämnden"; "Simrishamns kommun" in the text (p. 6, 8)
    (SIMRISHAMN, "Simrishamn", "SE", "Kultur- och fritidsnämnden"),
    (SIMRISHAMN_INVEST, "Simrishamn", "SE", "Kultur- och fritidsnämnden"),
]


@pytest.mark.parametrize(("name", "municipality", "country", "organisation"), DOCUMENTS,
                         ids=[d[0] for d in DOCUMENTS])
def test_municipality_country_and_organisation(name: str, municipality: str, country: str,
                                               organisation: str | None) -> None:
    document = records(name).document
    assert (document.municipality, document.country, document.organisation) == (municipality, country, organisation)


@pytest.mark.parametrize(("name", "years"), [
    # p. 19: "§ 7 Talousarvio 2025 sekä taloussuunnitelma 2026-2027, sivistyslautakunta"
    (SIVLA_2025, (2025, 2025, 2027)),
    # p. 7: "§ 125 Talousarvio 2026 sekä taloussuunnitelma 2027-2028, sivistyslautakunta"
    (SIVLA_2026, (2026, 2026, 2028)),
], ids=["2025", "2026"])
def test_a_budget_items_subject_gives_the_minutes_edition(name: str, years: tuple[int, int, int]) -> None:
    document = records(name).document
    assert (document.budget_year, document.plan_start_year, document.plan_end_year) == years


# --- the unit of a table ----------------------------------------------------------------------------------

TABLE_UNITS = [
    # (document, page, an amount printed in the table, its unit)
    (KH, 3, -22638575, "SIVISTYSLAUTAKUNTA"),  # first heading cell SIVISTYSLAUTAKUNTA, Toimintakate TA 2025
    (KH, 3, 4460444, "KAUPUNGINHALLITUS"),  # first heading cell KAUPUNGINHALLITUS, Toimintatuotot TP 2023
    (KH, 1, 11215840, "Kokonaistalous"),  # title "Kokonaistalous", Toimintatuotot TA 2025
    (KAUHAVA, 75, -42170, "Tarkastuslautakunta"),  # heading Tarkastuslautakunta, caption Talousarvion toteutuminen
    (KAUHAVA, 80, 397500, "Hallinto ja talous"),  # an area of Kaupunginhallitus: its title above the table
    (KAUHAVA, 101, 2256460, "Tekninen lautakunta"),
    (SEINAJOKI, 79, 420000, "100 Vaalit"),  # "Tulosalue 100 Vaalit"; first heading cell "Talous" is no unit
    (SEINAJOKI, 81, 2000400, "130 Yleishallinto"),  # "Tulosalue 130 Yleishallinto", Toimintatulot Alkuperäinen
    (SEINAJOKI, 84, 360600, "160 Talouspalvelut"),
    (SIMRISHAMN, 13, 10135, "Kultur- och fritidsnämnden"),  # "Ekonomi (tkr)" is a caption
]


@pytest.mark.parametrize(("name", "page", "amount", "unit"), TABLE_UNITS,
                         ids=[f"{n[:12]}-p{p}-{a}" for n, p, a, _ in TABLE_UNITS])
def test_a_table_belongs_to_its_unit(name: str, page: int, amount: int, unit: str) -> None:
    figures = [f for f in records(name).finance if f.page == page and f.amount == amount]
    assert figures, f"{name} p. {page}: no figure {amount}"
    assert {f.unit_name for f in figures} == {unit}


@pytest.mark.parametrize(("name", "page", "board"), [
    # p. 19: a table under the sentence "Kaupunginhallituksen päätöksessä ... sivistyslautakunnan
    # talousarvioesitys vuodelle 2025 tulee olla seuraava:"; the minutes are Sivistyslautakunta's
    (SIVLA_2025, 19, "Sivistyslautakunta"),
    (SIVLA_2026, 7, "Sivistyslautakunta"),
    (HYVLA, 14, "Hyvinvointilautakunta"),  # first heading cell "HYVINVOINTI- LAUTAKUNTA" over two lines
    (YMPLA, 7, "Ympäristölautakunta"),  # title "Ympäristölautakunnan talouden toteutuminen v. 2021"
], ids=["sivla-2025", "sivla-2026", "hyvla", "ympla"])
def test_tables_of_board_minutes_belong_to_the_board(name: str, page: int, board: str) -> None:
    figures = [f for f in records(name).finance if f.page == page]
    assert figures, f"{name} p. {page}: no figures"
    assert {f.unit_name for f in figures} == {board}


def test_the_whole_city_statements_after_the_committee_section_belong_to_no_committee() -> None:
    # Kauhava p. 116: "2.3 Tuloslaskelmaosan toteutuminen" ends the committee section of 2.2
    figures = [f for f in records(KAUHAVA).finance if f.page == 116]
    assert figures and {f.unit_name for f in figures} == {None}


@pytest.mark.parametrize("name", [d[0] for d in DOCUMENTS])
def test_no_unit_is_a_caption_a_column_word_or_a_sentence(name: str) -> None:
    for unit in records(name).units:
        assert not is_caption(unit.name), unit.name
        assert unit.name not in {"Talous", "Toteutumisvertailu"}
        assert len(unit.name.split()) <= 8 and not unit.name.endswith((":", ".")), unit.name


def test_seinajoki_result_areas_sit_in_their_service_centre() -> None:
    units = {u.name: u for u in records(SEINAJOKI).units}
    assert units["KONSERNIPALVELUT"].level == "service_centre"  # p. 79 "Palvelukeskus KONSERNIPALVELUT"
    for name in ("100 Vaalit", "120 Tarkastustoimi", "130 Yleishallinto"):
        assert units[name].level == "result_area"
        assert units[name].parent_unit_id == units["KONSERNIPALVELUT"].unit_id


# --- responsible roles ------------------------------------------------------------------------------------

ROLES = [
    # Kauhava: "Valtuustoon nähden tilivelvollinen viranhaltija on <title>." (p. 74, 75, 77, 79, 87, 93, 102, 108)
    (KAUHAVA, "Keskusvaalilautakunta", "henkilöstöjohtaja"),
    (KAUHAVA, "Tarkastuslautakunta", "hallintojohtaja"),
    (KAUHAVA, "Kaupunginvaltuusto", "hallintojohtaja"),
    (KAUHAVA, "Kaupunginhallitus", "kaupunginjohtaja"),
    (KAUHAVA, "Kasvatus- ja opetuslautakunta", "sivistysjohtaja"),
    (KAUHAVA, "Elämänlaatulautakunta", "sivistysjohtaja"),
    (KAUHAVA, "Tekninen lautakunta", "tekninen johtaja"),  # "vs. tekninen johtaja ja tekninen johtaja"
    (KAUHAVA, "Ympäristölautakunta", "tekninen johtaja"),
    # Lapua minutes: "Esittelijä: Mika Kamunen, Sivistys- ja hyvinvointijohtaja" (p. 19, 20; p. 7; p. 14)
    (SIVLA_2025, "Sivistyslautakunta", "sivistys- ja hyvinvointijohtaja"),
    (SIVLA_2026, "Sivistyslautakunta", "sivistys- ja hyvinvointijohtaja"),
    (HYVLA, "Hyvinvointilautakunta", "sivistys- ja hyvinvointijohtaja"),
    (TEKLA, "Tekninen lautakunta", "tekninen johtaja"),  # p. 4 "Esittelijä: Mirva Korpi, Tekninen johtaja"
    (YMPLA, "Ympäristölautakunta", "ympäristöinsinööri"),  # p. 7 "Esittelijä: Mirva Korpi, Ympäristöinsinööri"
    # Simrishamn p. 4: "Förvaltningschef: Gunilla Lewerentz"
    (SIMRISHAMN, "Kultur- och fritidsnämnden", "förvaltningschef"),
]


@pytest.mark.parametrize(("name", "unit", "role"), ROLES, ids=[f"{n[:10]}-{u}" for n, u, _ in ROLES])
def test_the_units_responsible_role(name: str, unit: str, role: str) -> None:
    found = {u.name: u for u in records(name).units}
    assert found[unit].responsible_role == role


@pytest.mark.parametrize(("name", "unit", "person", "title", "key"), [
    # p. 19 'Esittelijä: Mika Kamunen, Sivistys- ja hyvinvointijohtaja'; 2025-10-08 p. 7 'Valmistelijat /
    # lisätiedot: Mika Kamunen, Sivistys- ja hyvinvointijohtaja, mika.kamunen@lapua.fi' and 'Esittelijä: ...'
    (SIVLA_2025, "Sivistyslautakunta", "Mika Kamunen", "Sivistys- ja hyvinvointijohtaja", "education_director"),
    (SIVLA_2026, "Sivistyslautakunta", "Mika Kamunen", "Sivistys- ja hyvinvointijohtaja", "education_director"),
    (TEKLA, "Tekninen lautakunta", "Mirva Korpi", "Tekninen johtaja", "technical_director"),  # p. 4
    (SIMRISHAMN, "Kultur- och fritidsnämnden", "Gunilla Lewerentz", "Förvaltningschef",  # p. 4
     "administrative_director"),
], ids=["sivla", "sivla-10", "tekla", "kfn"])
def test_a_persons_name_is_never_the_units_title_or_role(name: str, unit: str, person: str, title: str,
                                                         key: str) -> None:
    """A label printing a name beside the title ('Mika Kamunen, Sivistys- ja hyvinvointijohtaja') gives the unit
    the title as printed; the name stays in the printed text only (`responsible_raw`, sections)."""
    found = next(u for u in records(name).units if u.name == unit)
    assert found.responsible_title == title
    assert person in (found.responsible_raw or "") and title in (found.responsible_raw or "")
    assert not set(person.lower().split()) & set((found.responsible_role or "").split())
    assert found.responsible_role_key == key


def test_a_responsible_sentence_gives_the_unit_its_printed_responsible() -> None:
    """Kauhava pp. 74-108: 'Valtuustoon nähden tilivelvollinen viranhaltija on sivistysjohtaja.' (p. 87), '... on
    vs. tekninen johtaja ja tekninen johtaja.' (p. 102); Simrishamn p. 4 'Förvaltningschef: Gunilla Lewerentz'."""
    kauhava = {u.name: u.responsible_raw for u in records(KAUHAVA).units if u.responsible_raw}
    assert kauhava == {"Keskusvaalilautakunta": "henkilöstöjohtaja", "Tarkastuslautakunta": "hallintojohtaja",
                       "Kaupunginvaltuusto": "hallintojohtaja", "Kaupunginhallitus": "kaupunginjohtaja",
                       "Kasvatus- ja opetuslautakunta": "sivistysjohtaja", "Elämänlaatulautakunta": "sivistysjohtaja",
                       "Tekninen lautakunta": "vs. tekninen johtaja ja tekninen johtaja",
                       "Ympäristölautakunta": "tekninen johtaja"}
    simrishamn = {u.name: u.responsible_raw for u in records(SIMRISHAMN).units if u.responsible_raw}
    assert simrishamn == {"Kultur- och fritidsnämnden": "Förvaltningschef: Gunilla Lewerentz"}


def test_unit_title_drops_only_a_name() -> None:
    assert unit_title("Mika Kamunen, Sivistys- ja hyvinvointijohtaja, mika.kamunen@lapua.fi", "fi") == \
        "Sivistys- ja hyvinvointijohtaja"
    assert unit_title("vs. tekninen johtaja ja tekninen johtaja", "fi") == "vs. tekninen johtaja ja tekninen johtaja"
    assert unit_title("Bildningsdirektören, småbarnspedagogikchefen", "sv") == \
        "Bildningsdirektören, småbarnspedagogikchefen"
    assert unit_title("Rektorerna och skolkuratorerna", "sv") == "Rektorerna och skolkuratorerna"


# --- editions of one board's budget (hand-made record sets; figures read from the rendered pages) -----------

def _document(document_id: str, name: str, organisation: str | None, budget_year: int, end: int) -> DocumentRecord:
    return DocumentRecord(document_id=document_id, source_path=name, source_format="pdf", municipality="Lapua",
                          country="FI", organisation=organisation, language="fi", budget_year=budget_year,
                          plan_start_year=budget_year, plan_end_year=end, status="partial")


def _unit(document_id: str, name: str) -> Unit:
    return Unit(document_id=document_id, unit_id=f"{document_id}-{name.lower()}", name=name, level="committee")


def _margin(document_id: str, unit: str, column: str, year: int, kind: str, amount: int, page: int) -> FinanceFigure:
    return FinanceFigure(document_id=document_id, unit_name=unit, table_id="t1", line_label="Toimintakate",
                         line_key="operating_margin", is_memo=False, column_label=column, year=year,
                         figure_kind=kind, amount=amount, page=page)


def _board_catalog() -> Catalog:
    """Lapua's budget tables (kh 4.11.2024, p. 3), Sivistyslautakunta's minutes of 15.1.2025 (p. 20: the board's
    budget proposal for 2025) and of 8.10.2025 (p. 7: TA 2025 as approved beside the proposal for 2026), and
    Hyvinvointilautakunta's minutes of 22.1.2025 (p. 14)."""
    kh, sivla25, sivla26, hyvla = "kh-2024-11-04", "sivla-2025-01-15", "sivla-2025-10-08", "hyvla-2025-01-22"
    documents = [_document(kh, KH, None, 2025, 2025),
                 _document(sivla25, SIVLA_2025, "Sivistyslautakunta", 2025, 2027),
                 _document(sivla26, SIVLA_2026, "Sivistyslautakunta", 2026, 2028),
                 _document(hyvla, HYVLA, "Hyvinvointilautakunta", 2025, 2027)]
    units = [_unit(kh, "SIVISTYSLAUTAKUNTA"), _unit(kh, "Hyvinvointilautakunta"), _unit(kh, "KAUPUNGINHALLITUS"),
             _unit(sivla25, "Sivistyslautakunta"), _unit(sivla26, "Sivistyslautakunta"),
             _unit(hyvla, "Hyvinvointilautakunta")]
    finance = [
        _margin(kh, "SIVISTYSLAUTAKUNTA", "TA 2024", 2024, "budget", -22085150, 3),
        _margin(kh, "SIVISTYSLAUTAKUNTA", "TA 2025", 2025, "budget", -22638575, 3),
        _margin(kh, "Hyvinvointilautakunta", "TA 2025", 2025, "budget", -3379793, 3),
        _margin(kh, "KAUPUNGINHALLITUS", "TA 2025", 2025, "budget", -2295400, 3),
        _margin(sivla25, "Sivistyslautakunta", "TA 2024", 2024, "budget", -22085150, 20),
        _margin(sivla25, "Sivistyslautakunta", "TA 2025", 2025, "budget", -22638575, 20),
        _margin(sivla26, "Sivistyslautakunta", "TA 2025", 2025, "budget", -22638575, 7),
        _margin(sivla26, "Sivistyslautakunta", "TA 2026", 2026, "budget", -23004400, 7),
        _margin(hyvla, "Hyvinvointilautakunta", "TA 2025", 2025, "budget", -3379793, 14),
    ]
    return Catalog(documents=documents, units=units, finance=finance)


def test_a_boards_minutes_and_the_citys_budget_tables_are_editions_of_one_organisation() -> None:
    result = compare_catalog(_board_catalog())
    editions = {(e.organisation_key, e.document_id): (e.edition, e.representative) for e in result.editions}
    assert editions == {
        ("lapua.sivistyslautakunta", "sivla-2025-01-15"): (2025, True),  # the board's own minutes stand first
        ("lapua.sivistyslautakunta", "kh-2024-11-04"): (2025, False),
        ("lapua.sivistyslautakunta", "sivla-2025-10-08"): (2026, True),
        ("lapua.hyvinvointilautakunta", "hyvla-2025-01-22"): (2025, True),
        ("lapua.hyvinvointilautakunta", "kh-2024-11-04"): (2025, False),
        ("lapua.kaupunginhallitus", "kh-2024-11-04"): (2025, True),
    }
    links = [u for u in result.unit_links if u.organisation_key == "lapua.sivistyslautakunta"]
    assert [(u.from_document_id, u.to_document_id, u.method, u.change) for u in links] == [
        ("sivla-2025-01-15", "sivla-2025-10-08", "organisation", "same")]


def test_finance_series_shows_a_years_budget_as_proposed_and_as_approved_under_the_boards_name() -> None:
    series = [p for p in compare_catalog(_board_catalog()).finance_series
              if p.organisation_key == "lapua.sivistyslautakunta" and p.year == 2025 and p.figure_kind == "budget"]
    assert [(p.edition, p.document_id, p.unit_name, p.amount, p.latest) for p in series] == [
        (2025, "sivla-2025-01-15", "Sivistyslautakunta", -22638575, False),  # proposed in the 2025 minutes
        (2026, "sivla-2025-10-08", "Sivistyslautakunta", -22638575, True),  # approved, printed a year later
    ]
    assert series[0].also_printed_in == ["kh-2024-11-04"]  # the city's budget tables print the same figure
    assert len({p.unit_key for p in series}) == 1


# --- the failure reproductions in ../shared/cases: exactly the expected units and roles -----------------------

CASES = REAL.parent.parent / "cases"
CASE_NAMES = sorted(p.name.removesuffix(".expected.json") for p in CASES.glob("*.expected.json"))


@pytest.mark.parametrize("case", CASE_NAMES)
def test_cases_give_exactly_their_units_with_their_responsible(case: str) -> None:
    expected = json.loads((CASES / f"{case}.expected.json").read_text(encoding="utf-8"))["units"]
    produced = process_file(CASES / f"{case}.pdf")[1]
    units = produced.units
    assert sorted(u.name for u in units) == sorted(u["name"] for u in expected)
    found = {u.name: u for u in units}
    for unit in expected:
        assert found[unit["name"]].responsible_title == unit["responsible_raw"]
        assert found[unit["name"]].responsible_role == unit["responsible"]
    assert {f.unit_name for f in produced.finance} <= {u["name"] for u in expected}  # no caption, no sentence


@pytest.mark.parametrize(("subject", "board"), [
    # the contents list of Tekninen lautakunta's minutes of 28.1.2025 (p. 1) and Hyvinvointilautakunta's (p. 1)
    ("§ 3 Talousarvio 2025 sekä taloussuunnitelma 2026-2027, tekninen lautakunta / Täytäntöönpano-ohjeet ja "
     "käyttösuunnitelma", "Tekninen lautakunta"),
    ("§ 9 Talousarvio 2024, investoinnit tekninen lautakunta / Lisämääräraha", "Tekninen lautakunta"),
    ("§ 8 Viranhaltijapäätökset / hyvinvointilautakunnan alaiset toimijat", "Hyvinvointilautakunta"),
    ("§ 13 Viranhaltijapäätökset / Tekninen toimiala", None),
    ("§ 6 Yksityisteiden kiviaineshankinnat 2025-2027", None),
])
def test_a_minutes_items_subject_names_whose_item_it_is(subject: str, board: str | None) -> None:
    assert minutes_item(subject, "fi") == (True, board)
    assert minutes_item("Sivistyslautakunta, 15.01.2025, § 7", "fi") == (False, None)


def test_goals_without_their_own_responsible_take_their_units_role() -> None:
    """Kauhava p. 87: Kasvatus- ja opetuslautakunta, "Valtuustoon nähden tilivelvollinen viranhaltija on
    sivistysjohtaja", then numbered goals that name no responsible ("1. Kohtuulliset ryhmäkoot perusopetuksessa")."""
    doc = PlanDocument(document_id="kauhava", source_path=KAUHAVA, source_format="pdf", language="fi")
    board = Unit(document_id="kauhava", unit_id="kaol", name="Kasvatus- ja opetuslautakunta", level="committee",
                 responsible_title="sivistysjohtaja")
    area = Unit(document_id="kauhava", unit_id="perusopetus", name="Perusopetus", level="area", parent_unit_id="kaol")

    def goal(goal_id: str, unit: str, responsible: str | None) -> Goal:
        return Goal(document_id="kauhava", unit_name=unit, goal_id=goal_id, theme_number=None, theme_title=None,
                    strategic_goal=None, central_goal=None, area_goal="Kohtuulliset ryhmäkoot perusopetuksessa.",
                    actions=None, responsible_raw=responsible)

    goals = [goal("g1", "Kasvatus- ja opetuslautakunta", None), goal("g2", "Perusopetus", None),
             goal("g3", "Kasvatus- ja opetuslautakunta", "rehtori")]
    understand(doc, [board, area], [], goals)
    assert [g.responsible for g in goals] == [["sivistysjohtaja"], ["sivistysjohtaja"], ["rehtori"]]
    assert [g.responsible_raw for g in goals] == [None, None, "rehtori"]  # nothing printed stays nothing


def test_a_financial_statements_whole_city_tables_are_the_citys_in_compare() -> None:
    """Kauhava: eight committees (p. 73-113) are organisations of their own; the tables after them (p. 116 on,
    "2.3 Tuloslaskelmaosan toteutuminen") belong to no committee and form `kauhava.city`."""
    kauhava = records(KAUHAVA)
    datasets = kauhava.datasets()
    result = compare_catalog(Catalog(**{name: datasets[name] for name in
                                        ("documents", "units", "sections", "goals", "targets", "finance")}))
    assert set(result.organisations) == {
        "kauhava.city", "kauhava.keskusvaalilautakunta", "kauhava.tarkastuslautakunta", "kauhava.kaupunginvaltuusto",
        "kauhava.kaupunginhallitus", "kauhava.kasvatus-ja-opetuslautakunta", "kauhava.elamanlaatulautakunta",
        "kauhava.tekninen-lautakunta", "kauhava.ymparistolautakunta"}
    city = [p for p in result.finance_series if p.organisation_key == "kauhava.city"]
    assert any(p.page == 116 for p in city)
    board = [p for p in result.finance_series if p.organisation_key == "kauhava.tarkastuslautakunta"]
    assert {p.unit_name for p in board} == {"Tarkastuslautakunta"} and any(p.amount == -42170 for p in board)
