"""A row printing figures under no label names no line: its figures are not read as finance figures, and
the loss is said (an `unlabelled_figures` warning; the document is partial), never silent.

Values read from the rendered pages of Kauhava's financial statement 2024:
- 1-based PDF page 49 (printed 48/157, 'KONSERNIN RAHOITUSLASKELMA JA SEN TUNNUSLUVUT'): under the group
  'Rahavarojen muutos', 'Rahavarat 31.12.' 29 274 | 33 188 and 'Rahavarat 1.1.' 27 678 | 33 193, then a row
  '1 596 | -5' with no label.
- 1-based PDF page 133 (printed 132/157, '3.4.2 Konsernirahoituslaskelma'), counterexample: the same row
  prints its label 'Rahavarojen muutos' 1 595 997 | -4 742 and is read.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"


def test_a_row_of_figures_without_a_label_is_a_finding() -> None:
    rec = page_records(KAUHAVA, (49,))
    found = [i for i in rec.issues if i.code == "unlabelled_figures"]
    assert len(found) == 1
    assert "(1 596, -5)" in found[0].message and found[0].severity == "warning"
    assert rec.document.status == "partial"
    cash = sorted((f.line_label, f.column_label, f.amount) for f in rec.finance
                  if f.line_key in ("cash_end", "cash_start"))
    assert cash == [("Rahavarat 1.1.", "2023 1 000 €", 33193), ("Rahavarat 1.1.", "2024 1 000 €", 27678),
                    ("Rahavarat 31.12.", "2023 1 000 €", 33188), ("Rahavarat 31.12.", "2024 1 000 €", 29274)]
    assert not [f for f in rec.finance if f.printed == "1 596" and f.line_label != "Rahavarojen muutos"]


def test_the_same_row_with_its_label_is_read() -> None:
    rec = page_records(KAUHAVA, (133,))
    assert not [i for i in rec.issues if i.code == "unlabelled_figures"]
    change = [(f.column_label, f.amount) for f in rec.finance
              if f.line_path == "Rahavarojen muutos / Rahavarojen muutos"]
    assert change == [("2024", 1595997), ("2023", -4742)]
