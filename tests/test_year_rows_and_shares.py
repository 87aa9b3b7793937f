"""Tables whose rows are years, and the finance reading of statement tables headed only by a scale.

Seinäjoki's financial statement 2024, PDF page 75: 'Lainamääränkehitys vuosina 2015-2024', columns
'1 000 €' and '€/as' (euros per inhabitant), one row per year 2015-2024 and a 'Muutos' row in per cent.
Kauhava's financial statement 2024, PDF page 38: 'KOKONAISTULOT JA -MENOT', two tables side by side
headed 'TULOT | 1 000 € | %' and 'MENOT | 1 000 € | %', each a blank line away from its heading row and
its total row. Expected values read from the rendered pages; the title page (1) is cut in (and Kauhava's
page 37, whose running head 'Tilinpäätös 2024' names the statement's year) so the document is read as a
financial statement.
Ownership lists of the statements' notes: Kauhava p. 145 ('20-22) Omistukset muissa yhteisöissä': Nimi |
Y-tunnus | Kaupungin omistusosuus | Konsernin omistusosuus | Kuntakonsernin osuus (1000 €) ...) and
Seinäjoki pp. 167-168 ('Kaupungin omistusosuus % | Konsernin omistusosuus % | Kaupunkikonsernin osuus
1 000 € ...'): no year nor figure kind heads their columns, so no finance reader claims them; the
`tables` dataset keeps each share as a number in per cent and each amount in thousands of euros.
"""

from __future__ import annotations

from pathlib import Path

from extractors.tablegrid import year_label_column
from models import Cell, Provenance, Table, TableQuality, TableRow
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
LOANS = "Lainamääränkehitys vuosina 2015-2024"


def test_loan_table_figures_take_the_year_of_their_row() -> None:
    rec = page_records(SEINAJOKI, (1, 75))
    loans = [f for f in rec.finance if f.page == 2]
    got = {(f.line_label, f.column_label, f.year, f.figure_kind, f.amount, f.unit, f.multiplier) for f in loans
           if f.year in (2015, 2019, 2024)}
    assert got == {
        (LOANS, "1 000 €", 2015, "actual", 435059.0, "EUR", 1000),
        (LOANS, "€/as", 2015, "actual", 7070.0, "EUR/inhabitant", 1),
        (LOANS, "1 000 €", 2019, "actual", 633143.0, "EUR", 1000),
        (LOANS, "€/as", 2019, "actual", 9923.0, "EUR/inhabitant", 1),
        (LOANS, "1 000 €", 2024, "actual", 611411.0, "EUR", 1000),
        (LOANS, "€/as", 2024, "actual", 9179.0, "EUR/inhabitant", 1),
        ("Muutos", "1 000 €", 2024, "percent_change", 6.31, "percent", 1),
        ("Muutos", "€/as", 2024, "percent_change", 5.58, "percent", 1),
    }
    # ten years, two columns, and the change row: no year printed as a label became a figure
    assert len(loans) == 22
    assert sorted({f.year for f in loans}) == list(range(2015, 2025))
    assert not [f for f in loans if 2015 <= f.amount <= 2024 and f.unit == "EUR" and f.multiplier == 1]
    assert next(f.value for f in loans if f.year == 2016 and f.unit == "EUR") == 482_770_000.0
    # 'Taulukko. Lainamäärän kehitys vuodesta 2015, Seinäjoen kaupunkikonserni:' introduces the table
    assert {f.entity_scope for f in loans} == {"group"}
    cells = [c for c in rec.tables if c.page == 2 and c.text in ("2015", "2020")]
    assert cells and all(c.is_label and c.number is None for c in cells)


def _table(rows: list[list[str]], header: list[str]) -> Table:
    return Table(table_id="t", header=[Cell(col=i, text=t) for i, t in enumerate(header)],
                 rows=[TableRow(cells=[Cell(col=i, text=t) for i, t in enumerate(r)]) for r in rows],
                 prov=Provenance(), quality=TableQuality(columns=len(header), rows=len(rows), fill_ratio=1.0))


def test_year_label_column_needs_years_in_order_and_no_heading() -> None:
    years = [["", "2021", "10"], ["", "2022", "11"], ["", "2023", "12"]]
    assert year_label_column(_table(years, ["", "", "1 000 €"])) == 1
    # a heading over it: a column of its own ('Valmistumisvuosi')
    assert year_label_column(_table(years, ["", "Vuosi", "1 000 €"])) is None
    # years out of order, or two only, are figures
    shuffled = [["", "2022", "10"], ["", "2021", "11"], ["", "2023", "12"]]
    assert year_label_column(_table(shuffled, ["", "", "1 000 €"])) is None
    assert year_label_column(_table(years[:2], ["", "", "1 000 €"])) is None
    # an amount among them: not a column of years
    mixed = [["", "2021", "10"], ["", "2 500", "11"], ["", "2023", "12"]]
    assert year_label_column(_table(mixed, ["", "", "1 000 €"])) is None


def test_total_income_and_expenditure_are_the_statement_years_figures() -> None:
    rec = page_records(KAUHAVA, (1, 37, 38))
    got = {(f.line_label, f.column_label, f.year, f.figure_kind, f.amount, f.unit, f.multiplier) for f in rec.finance
           if f.page == 3 and f.line_label in ("Verotulot", "Kokonaistulot yhteensä", "Toimintakulut",
                                               "Käyttöomaisuusinvestoinnit", "Kokonaismenot yhteensä")}
    assert got == {
        ("Verotulot", "1 000 €", 2024, "actual", 33595.0, "EUR", 1000),
        ("Verotulot", "%", 2024, "share", 43.6, "percent", 1),
        ("Kokonaistulot yhteensä", "1 000 €", 2024, "actual", 77097.0, "EUR", 1000),
        ("Kokonaistulot yhteensä", "%", 2024, "share", 100.0, "percent", 1),
        ("Toimintakulut", "1 000 €", 2024, "actual", 46217.0, "EUR", 1000),
        ("Toimintakulut", "%", 2024, "share", 63.6, "percent", 1),
        ("Käyttöomaisuusinvestoinnit", "1 000 €", 2024, "actual", 12332.0, "EUR", 1000),
        ("Käyttöomaisuusinvestoinnit", "%", 2024, "share", 17.0, "percent", 1),
        ("Kokonaismenot yhteensä", "1 000 €", 2024, "actual", 72687.0, "EUR", 1000),
        ("Kokonaismenot yhteensä", "%", 2024, "share", 100.0, "percent", 1),
    }
    # the income side's money figures add up to its printed total (77 097)
    income = [f for f in rec.finance if f.page == 3 and f.column_label == "1 000 €" and f.table_id ==
              next(g.table_id for g in rec.finance if g.line_label == "Verotulot")]
    assert sum(f.amount for f in income if f.line_label != "Kokonaistulot yhteensä") == 77097.0
    assert not [i for i in rec.issues if i.code == "figures_outside_table" and i.page == 3]


COMPANIES = ("Suomen Yrittäjäopisto Oy", "KOY Kauhavan Säästökeskus", "Kuntayhtymä Kymppi", "Into Seinäjoki Oy",
             "Visit Lakeus Oy", "Lakeuden Etappi Oy")


def _company(label: str) -> str:
    """The company a row names (its label cells joined: 'Into Seinäjoki Oy Seinäjoki' with its domicile)."""
    return next((name for name in COMPANIES if label == name or label.startswith(name + " ")), label)


def _shares(rec, page: int) -> dict[tuple[str, str], tuple[str, float | None, str | None]]:  # type: ignore[no-untyped-def]
    """(company, heading over the column) -> (text, number, unit) of the share columns on the page."""
    return {(_company(c.row_path[-1]), " ".join(" ".join(c.header_path).split())): (c.text, c.number, c.unit)
            for c in rec.tables if c.page == page and not c.is_label and c.row_path
            and "omistus" in " ".join(c.header_path)}


def test_kauhava_ownership_shares_are_per_cent_beside_the_business_id() -> None:
    rec = page_records(KAUHAVA, (1, 145))
    shares = _shares(rec, 2)
    city, group = "Kaupungin omistus- osuus", "Konsernin omistus- osuus"
    assert shares[("Suomen Yrittäjäopisto Oy", city)] == ("75%", 75.0, "percent")
    assert shares[("Suomen Yrittäjäopisto Oy", group)] == ("75%", 75.0, "percent")
    assert shares[("KOY Kauhavan Säästökeskus", city)] == ("78,40%", 78.4, "percent")
    assert shares[("Kuntayhtymä Kymppi", group)] == ("21,82%", 21.82, "percent")
    # the business ID is a label cell of its own, never read into the share beside it
    ids = {c.text for c in rec.tables if c.page == 2 and c.is_label and c.header_path == ["Y-tunnus"]}
    assert {"0208850-1", "0178923-4", "3432985-9"} <= ids


def test_seinajoki_ownership_shares_are_per_cent_and_amounts_thousands() -> None:
    rec = page_records(SEINAJOKI, (1, 167, 168))
    subsidiaries, joint = _shares(rec, 2), _shares(rec, 3)
    got = {(company, "Kaupungin" in heading, number, unit) for shares in (subsidiaries, joint)
           for (company, heading), (_, number, unit) in shares.items()
           if company in ("Into Seinäjoki Oy", "Visit Lakeus Oy", "Lakeuden Etappi Oy")}
    assert got == {
        ("Into Seinäjoki Oy", True, 89.2, "percent"), ("Into Seinäjoki Oy", False, 96.3, "percent"),
        ("Visit Lakeus Oy", True, 36.0, "percent"), ("Visit Lakeus Oy", False, 72.5, "percent"),
        ("Lakeuden Etappi Oy", True, 39.6, "percent"), ("Lakeuden Etappi Oy", False, 39.6, "percent"),
    }
    equity = {(_company(c.row_path[-1]), c.page): (c.number, c.unit, c.multiplier) for c in rec.tables
              if c.header_path and c.header_path[-1].startswith("omasta")}
    assert equity[("Into Seinäjoki Oy", 2)] == (8374.0, "EUR", 1000)
    assert equity[("Lakeuden Etappi Oy", 3)] == (11924.0, "EUR", 1000)


def test_a_percent_heading_over_amounts_names_no_unit() -> None:
    # Seinäjoki p. 180 'KORKOHERKKYYS': 'Muutos korkotasossa (%-yksikköä)' heads the scenarios -1 % | 0 % | 1 %,
    # whose cells print euros ('-3 567 672,17' under '0 %'): the heading names no per cent for them
    rec = page_records(SEINAJOKI, (1, 180))
    cells = {c.text: c for c in rec.tables if c.page == 2}
    assert cells["-3 567 672,17"].unit != "percent"
    assert not [c for c in rec.tables if c.unit == "percent" and c.number is not None and abs(c.number) > 1000]
