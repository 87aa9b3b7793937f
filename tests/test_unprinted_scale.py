"""A table that prints no scale, read against the same lines printed elsewhere; a line of lone dashes in a
table's columns does not end the table; a table ending with room left on its page is not continued by the
next page's table under the same headings.

Kauhava's financial statement (PDF pages 116-117; expected values read from the rendered pages):
- p. 116 '2.3 Tuloslaskelmaosan toteutuminen': one table of 33 rows in euros and cents, from TOIMINTATUOTOT
  to 'Tilikauden yli-/alijäämä'; a line printing only '-' signs under 'Valmistus omaan käyttöön' split it in
  two before, and its lower 26 rows (130 figures) were read as no finance at all;
- p. 117: the tax revenue table under the same five headings, printed in thousands of euros with no scale on
  the page (Verotulot 31 902 = the 31 902 000,00 of p. 116), ending two thirds down p. 116 did not end
  that table before: p. 117's rows were read as its continuation, in euros.
"""

from __future__ import annotations

from pathlib import Path

from models import RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"


def _records() -> RecordSet:
    return page_records(KAUHAVA, (1, 116, 117))  # the title page makes it a financial statement


def _one(rec: RecordSet, page: int, label: str, column: str) -> tuple[str, int | None, float, float | None]:
    found = [f for f in rec.finance if f.page == page and " ".join(f.line_label.split()) == label
             and f.column_label == column]
    assert len(found) == 1, [(f.line_label, f.column_label, f.amount) for f in found]
    return found[0].table_id, found[0].multiplier, found[0].amount, found[0].value


def test_dash_line_does_not_split_the_table() -> None:
    rec = _records()
    first = _one(rec, 2, "TOIMINTATUOTOT", "Toteutuma")
    assert first[1:] == (1, 7725767.34, 7725767.34)
    assert _one(rec, 2, "Verotulot", "Toteutuma") == (first[0], 1, 33595351.41, 33595351.41)
    assert _one(rec, 2, "Tilikauden yli-/alijäämä", "Poikkeama") == (first[0], 1, 5082673.08, 5082673.08)
    assert not [i for i in rec.issues if i.code == "table_not_read" and i.page == 2]


def test_unprinted_scale_from_the_same_lines_elsewhere() -> None:
    rec = _records()
    tax = _one(rec, 3, "Kunnan tulovero", "Toteutuma")
    assert tax[1:] == (1000, 26441.0, 26441000.0)
    assert tax[0] != _one(rec, 2, "Verotulot", "Toteutuma")[0]  # another table than p. 116's
    assert _one(rec, 3, "Verotulot", "Alkuperäinen talousarvio")[1:] == (1000, 31902.0, 31902000.0)
    notes = [i for i in rec.issues if i.code == "scale_from_other_tables"]
    assert len(notes) == 1 and notes[0].page == 3 and "× 1000" in notes[0].message


def test_lines_of_other_units_are_no_evidence() -> None:
    # Committee pages (73, 75, 92, 95) print the same lines, years and kinds for many units, in euros with
    # no scale: compared across units, small area figures matched other units' figures at × 1 000 000 and
    # a whole area table was read a million times too large. Only the same unit's lines count.
    rec = page_records(KAUHAVA, (1, 73, 75, 92, 95, 116, 117))
    assert {f.multiplier for f in rec.finance if f.page != 7} == {1}
    assert {f.multiplier for f in rec.finance if f.page == 7} == {1000}
    assert [(i.code, i.page) for i in rec.issues if i.code.startswith("scale")] == [("scale_from_other_tables", 7)]
