"""The reproductions in ../shared/cases read end to end: every expected figure exactly once (unit, line label,
column label, figure kind, year, amount), its printed token kept, no other money figure, the empty cells
producing no figure, and the document `ok`.

The expected values are the cases' own `.expected.json` files (written by hand from the printed pages).
B09 (a table across pages with a key-figure table) is added when the table layer reads it.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.pipeline import process_file

CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "cases"
READ_EXACTLY = ["B01-overprinted-bold", "B03-separator-zoo", "B05-sign-and-marker-grammar",
                "B06-sparse-cells-two-column-intro", "B08-multiline-row-labels",
                "B09-table-across-pages", "B10-rotated-pages"]


def _fold(text: object) -> str:
    return " ".join(str(text or "").split())


@pytest.mark.parametrize("case", READ_EXACTLY)
def test_case_reads_exactly(case: str) -> None:
    pdf = CASES / f"{case}.pdf"
    if not pdf.is_file():
        pytest.fail(f"case {pdf} is missing: check out ../shared next to the repository")
    expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
    _, records = process_file(pdf)
    money = [f for f in records.finance if f.unit != "percent"]
    got = Counter((_fold(f.unit_name), _fold(f.line_label), _fold(f.column_label), f.figure_kind, f.year,
                   Decimal(str(f.amount))) for f in money)
    want = Counter((_fold(e["unit"]), _fold(e["line_label"]), _fold(e["column_label"]), e["figure_kind"], e["year"],
                    Decimal(str(e["amount"]))) for e in expected["finance"])
    assert got - want == Counter(), "figures read that the page does not print"
    assert want - got == Counter(), "printed figures not read (or read differently)"
    # the printed token is kept as printed; a raised footnote marker set after it ('1 141 900 1)') is the
    # figure's note marker and may follow the token the expectation gives
    printed = {(_fold(f.unit_name), _fold(f.line_label), _fold(f.column_label), Decimal(str(f.amount))): f
               for f in money}
    for e in expected["finance"]:
        key = (_fold(e["unit"]), _fold(e["line_label"]), _fold(e["column_label"]), Decimal(str(e["amount"])))
        figure = printed[key]
        assert _fold(figure.printed).startswith(_fold(e["printed"])), (figure.printed, e["printed"])
        rest = _fold(figure.printed)[len(_fold(e["printed"])):].strip()
        assert not rest or rest == figure.note_marker, (figure.printed, figure.note_marker)
    assert records.document.status == "ok"


def test_key_figure_table_is_no_money() -> None:
    # B09 p. 1: 'Tunnusluvut' (pupils, loans, person-years, €/inhabitant) precedes the budget table
    _, records = process_file(CASES / "B09-table-across-pages.pdf")
    assert not [f for f in records.finance if f.line_label == "Perusopetuksen oppilaat"]
    assert [i.code for i in records.issues if i.code == "no_money_table"] == ["no_money_table"]
    # the budget table goes on over the page break under a running header naming the unit
    labels = [f.line_label for f in records.finance if f.unit_name == "Sivistyslautakunta" and f.year == 2025
              and f.figure_kind == "budget"]
    assert labels[7:9] == ["Aineet, tarvikkeet ja tavarat", "Avustukset"]
