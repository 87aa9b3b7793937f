"""A form's fields are no unit's name: a line of 'Key: value' fields ('Status: Påbörjad Rapportperiod: 2027-12-31
Organisation: Kultur- och fritidsnämnden', Simrishamn's budgetskrivelse för investeringar 2027-2031, p. 2) names
at most the body its 'Organisation:' / 'Nämnd:' / 'Toimielin:' field names. Expected values read from the
rendered pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.outline import bare_unit_name
from extractors.units import form_fields, organisation_label
from models import Block
from tests.pdf_pages import page_records

SIMRISHAMN = "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"
FORM_LINE = "Status: Påbörjad Rapportperiod: 2027-12-31 Organisation: Kultur- och fritidsnämnden"


@pytest.mark.parametrize(("text", "language", "fields", "name"), [
    (FORM_LINE, "sv", True, "Kultur- och fritidsnämnden"),
    ("Tila: Aloitettu Raportointikausi: 2025-12-31 Organisaatio: Tekninen lautakunta", "fi", True,
     "Tekninen lautakunta"),
    ("Status: Påbörjad Rapportperiod: 2027-12-31", "sv", True, None),  # fields naming no body
    ("Nämnd: Bildningsnämnden", "sv", False, "Bildningsnämnden"),
    ("Toimielin: Sivistyslautakunta", "fi", False, "Sivistyslautakunta"),
    ("Kultur- och fritidsnämnden", "sv", False, None),
    ("Bildningsnämnden: mål och uppdrag", "sv", False, None),
])
def test_form_fields_and_the_body_a_field_names(text: str, language: str, fields: bool, name: str | None) -> None:
    assert form_fields(text, language) is fields
    assert organisation_label(text, language) == name


@pytest.mark.parametrize(("text", "language", "name"), [
    (FORM_LINE, "sv", "Kultur- och fritidsnämnden"),
    ("Toimielin: Sivistyslautakunta", "fi", "Sivistyslautakunta"),
    ("Status: Påbörjad Rapportperiod: 2027-12-31 Ansvarig: Tekniska nämnden", "sv", None),
    ("Kultur- och fritidsnämnden", "sv", "Kultur- och fritidsnämnden"),
])
def test_a_heading_of_fields_names_only_the_body_its_field_names(text: str, language: str, name: str | None) -> None:
    assert bare_unit_name(Block(kind="heading", text=text), language) == name


def test_project_sheets_are_the_boards_that_the_form_names(corpus_dir: Path) -> None:
    """p. 2 prints the form line under the title; p. 6 is the sheet 'Projekt (2) - Valfisken': 'Investeringsutgift
    1450 tkr 2027, 750 tkr 2028. Projektets totala kalkylerade utgifter uppgår till 2 200 tkr.'"""
    records = page_records(corpus_dir / "real" / SIMRISHAMN, tuple(range(1, 27)))
    assert [u.name for u in records.units if u.parent_unit_id is None] == ["Kultur- och fritidsnämnden"]
    assert not any(":" in u.name for u in records.units)
    valfisken = sorted((f.column_label, f.value) for f in records.finance if f.page == 6)
    assert valfisken == [("2027", 1_450_000.0), ("2028", 750_000.0), ("Totalt", 2_200_000.0)]
    assert {f.unit_name for f in records.finance if f.page == 6} == {"Kultur- och fritidsnämnden"}
    # p. 5: the investment table of p. 4 goes on (under the heading 'Investeringsäskande', the board's request,
    # no unit of its own), then the sheet 'Projekt (1) - Korsavadanl (6289)': 'Investeringsutgift 2027 1 000 tkr.
    # 2028 500 tkr. ... totala ... 5 000 tkr', '100 tkr årligen'
    korsavad = sorted((f.column_label, f.value, f.unit_name) for f in records.finance
                      if f.page == 5 and (f.line_path or "").startswith("Projekt (1)"))
    assert korsavad == [("2027", 1_000_000.0, "Kultur- och fritidsnämnden"),
                        ("2028", 500_000.0, "Kultur- och fritidsnämnden"),
                        ("Totalt", 5_000_000.0, "Kultur- och fritidsnämnden"),
                        ("Årligen", 100_000.0, "Kultur- och fritidsnämnden")]
    sheets = [f for f in records.finance if 6 <= f.page <= 26]
    assert sheets and {f.unit_name for f in sheets} == {"Kultur- och fritidsnämnden"}
    # pp. 4-5: the table 'Investeringsäskande' is the board's, row 'Bokbuss' prints 0 | 0 | 4 500 | 0 | 0 | 3 000
    table = [f for f in records.finance if f.page in (4, 5) and not (f.line_path or "").startswith("Projekt")]
    assert {f.unit_name for f in table} == {"Kultur- och fritidsnämnden"}
    assert not any(u.name == "Investeringsäskande" for u in records.units)
    bokbuss = sorted((f.column_label, f.value) for f in table if f.line_label == "Bokbuss")
    assert bokbuss == [("Budget 2027", 0.0), ("Plan 2028", 0.0), ("Plan 2029", 4_500_000.0), ("Plan 2030", 0.0),
                       ("Plan 2031", 0.0), ("Total utgift", 3_000_000.0)]


def test_a_field_naming_a_contractor_is_no_company_unit(corpus_dir: Path) -> None:
    """Lapua sivistyslautakunta 15.1.2025 p. 16 (§ 6, school transport): under 'Reitti klo 7.05.
    Yläkoulu-Ylikylä-Lapua' the minutes print 'Liikennöitsijä: Härmän Liikenne Oy', the contractor chosen, not
    a company whose part of the report follows: no unit, and no unit named with a field label."""
    records = page_records(corpus_dir / "real" / "fi_lapua_sivistyslautakunta_poytakirja_2025-01-15.pdf", (16,))
    assert not any(":" in u.name for u in records.units)
    assert not any("Härmän Liikenne" in u.name for u in records.units)
    assert bare_unit_name(Block(kind="heading", text="Kauhavan Jäähalli Oy"), "fi") == "Kauhavan Jäähalli Oy"
