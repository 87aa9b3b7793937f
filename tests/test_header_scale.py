"""A table's scale printed in a header cell, over a column of years headed 'Vuosi'.

Seinäjoki's financial statement 2024, PDF page 56 (printed page 53): under 'Taulukko. Verotulojen tasauksen
kehitys vuosina 2020–2024:' a boxed table titled 'Verotulojen tasaus valtionosuuksissa 2020-2024 /
Seinäjoen kaupunki', headed '1 000 000 € | Vuosi | €', one row per year: 2020 17,9; 2021 18,9; 2022 20,3;
2023 10,9; 2024 12,3 (millions of euros; the text above it says 12,3 milj. euroa for 2024). Expected
values read from the rendered page; the title page (1) is cut in so the document is read as a
financial statement.
"""

from __future__ import annotations

from pathlib import Path

from extractors.finance import names_year
from extractors.scales import Scale, column_scale
from extractors.tablegrid import header_title, year_label_column
from models import Cell, Provenance, Table, TableQuality, TableRow
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"
TITLE = "Verotulojen tasaus valtionosuuksissa 2020-2024 Seinäjoen kaupunki"


def test_equalisation_table_is_read_in_millions_by_year() -> None:
    rec = page_records(SEINAJOKI, (1, 56))
    table_ids = {c.table_id for c in rec.tables if c.page == 2 and c.text == "17,9"}
    assert len(table_ids) == 1
    figures = [f for f in rec.finance if f.table_id in table_ids]
    got = {(f.line_label, f.year, f.figure_kind, f.amount, f.unit, f.multiplier) for f in figures}
    assert got == {
        (TITLE, 2020, "actual", 17.9, "EUR", 1_000_000),
        (TITLE, 2021, "actual", 18.9, "EUR", 1_000_000),
        (TITLE, 2022, "actual", 20.3, "EUR", 1_000_000),
        (TITLE, 2023, "actual", 10.9, "EUR", 1_000_000),
        (TITLE, 2024, "actual", 12.3, "EUR", 1_000_000),
    }
    assert len(figures) == 5
    assert next(f.value for f in figures if f.year == 2024) == 12_300_000.0
    # the years are the rows' labels, never figures; the figures carry the table's scale in `tables`
    cells = [c for c in rec.tables if c.table_id in table_ids]
    assert {c.text for c in cells if c.is_label and c.text.strip()} == {"2020", "2021", "2022", "2023", "2024"}
    assert all(c.number is None for c in cells if c.is_label)
    assert {(c.text, c.unit, c.multiplier) for c in cells if not c.is_label} == {
        ("17,9", "EUR", 1_000_000), ("18,9", "EUR", 1_000_000), ("20,3", "EUR", 1_000_000),
        ("10,9", "EUR", 1_000_000), ("12,3", "EUR", 1_000_000)}
    table_id = next(iter(table_ids))
    assert not [i for i in rec.issues if i.code == "table_not_read" and f"table {table_id} " in i.message]


HEADER = Scale("EUR", 1_000_000, source="header", printed="1 000 000 €")


def test_bare_currency_heading_keeps_the_scale_of_a_header_cell_or_caption() -> None:
    assert column_scale("€", HEADER, "fi") is HEADER
    caption = Scale("EUR", 1000, source="caption", printed="Käyttötalous, 1 000 euroa")
    assert column_scale("(euroa)", caption, "fi") is caption
    # counterexamples: a heading naming more than the currency, another unit, or no printed table scale
    assert column_scale("Talousarvio €", HEADER, "fi").multiplier == 1
    assert column_scale("€/as", HEADER, "fi").unit == "EUR/inhabitant"
    assert column_scale("%", HEADER, "fi").unit == "percent"
    assert column_scale("€", Scale("EUR"), "fi").source == "column"
    assert column_scale("kr", HEADER, "sv").unit == "SEK"


def _table(rows: list[list[str]], header: list[list[str]]) -> Table:
    return Table(table_id="t", header=[Cell(col=i, text=" ".join(p), path=p) for i, p in enumerate(header)],
                 rows=[TableRow(cells=[Cell(col=i, text=t) for i, t in enumerate(r)]) for r in rows],
                 prov=Provenance(), quality=TableQuality(columns=len(header), rows=len(rows), fill_ratio=1.0))


def test_year_column_headed_by_year_after_an_empty_scale_column() -> None:
    rows = [["", "", "2020", "17,9"], ["", "", "2021", "18,9"], ["", "", "2022", "20,3"]]
    head = [[], ["T", "1 000 000 €"], ["T", "Vuosi"], ["T", "€"]]
    table = _table(rows, head)
    assert year_label_column(table, lambda t: names_year(t, "fi")) == 2
    assert year_label_column(table) is None  # no reading of headings: a headed column is a column of its own
    built = _table(rows, [[], ["T", "1 000 000 €"], ["T", "Valmistumisvuosi"], ["T", "€"]])
    assert year_label_column(built, lambda t: names_year(t, "fi")) is None
    assert names_year("År", "sv") and not names_year("Byggår", "sv") and not names_year("Vuosikate", "fi")
    assert header_title(table) == "T"
    assert header_title(_table(rows, [[], ["1 000 000 €"], ["Vuosi"], ["€"]])) is None
