"""A bare total row after two or more groups: the table's grand total or its last group's total.

The real case was read from the rendered page (Lapua tekninen lautakunta 1/2025 pp. 20-21, PDF pages);
the counter-case is the same rule asked of rows built by hand, where the total adds its own group.
"""

from __future__ import annotations

from pathlib import Path

from extractors.finance_rows import grand_totals
from extractors.lexicon import classify_line
from models import Cell, TableRow
from tests.pdf_pages import page_records

TEKNINEN = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real" / \
    "fi_lapua_tekninen_lautakunta_poytakirja_2025-01-28.pdf"


def test_grand_total_is_no_group_s() -> None:
    """p. 21 'Yhteensä 691 500' (Lisämääräraha 2025 €) closes the table of pp. 20-21 after the groups
    Kunnallistekniikka, Kalusto and Rakennus- ja kiinteistöpalvelut (whose rows add up to 135 500)."""
    rec = page_records(TEKNINEN, (20, 21))
    total = [f for f in rec.finance if f.line_label == "Yhteensä"]
    assert [(f.amount, f.line_path) for f in total] == [(691500, "Yhteensä")]
    assert [c.row_path for c in rec.tables if c.text == "691 500"] == [["Yhteensä"]]
    ice_hall = [f for f in rec.finance if f.line_label == "90564 jäähalli" and f.column_label == "Lisämääräraha 2025 €"]
    assert [f.line_path for f in ice_hall] == ["Rakennus- ja kiinteistöpalvelut / 90564 jäähalli"]


def _row(label: str, amount: str, path: list[str]) -> TableRow:
    return TableRow(cells=[Cell(text=label, col=0), Cell(text=amount, col=1)], path=path)


def test_group_total_keeps_its_group() -> None:
    rows = [_row("Liikenneväylät", "13 000", ["Kalusto"]), _row("Mittaustoimi", "25 000", ["Kalusto"]),
            _row("Uimahalli", "76 000", ["Rakennukset"]), _row("Jäähalli", "8 500", ["Rakennukset"]),
            _row("Yhteensä", "84 500", ["Rakennukset"])]
    readings = [(r.cells[0].text, classify_line([*r.path, r.cells[0].text], "fi")) for r in rows]
    assert grand_totals(rows, readings, 1) == []
    rows[-1] = _row("Yhteensä", "122 500", ["Rakennukset"])
    readings[-1] = ("Yhteensä", classify_line(["Rakennukset", "Yhteensä"], "fi"))
    assert grand_totals(rows, readings, 1) == [4]
