"""A '%' column beside one column of figures: each line's share of the table's total (figure_kind share).

Seinäjoki's financial statement p. 54 (PDF page): 'Tuloslaskelman tuottojen jakaantuminen | 1 000 € | %'
and 'Toimintakulujen jakaantuminen | 1 000 € | %' under 'jakaantuivat vuonna 2024'. Expected values read
from the rendered page; the title page (1) is cut in so the document is read as a financial statement.
"""

from __future__ import annotations

from pathlib import Path

from extractors.finance_columns import comparison_columns
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def test_composition_table_shares() -> None:
    rec = page_records(SEINAJOKI, (1, 54))
    got = {(f.line_label, f.figure_kind, f.year, f.unit, f.multiplier, f.amount) for f in rec.finance
           if f.line_label in ("Verotulot", "Henkilöstökulut", "Yhteensä")}
    assert got == {
        ("Verotulot", "actual", 2024, "EUR", 1000, 166889.0), ("Verotulot", "share", 2024, "percent", 1, 66.0),
        ("Henkilöstökulut", "actual", 2024, "EUR", 1000, 141554.0),
        ("Henkilöstökulut", "share", 2024, "percent", 1, 64.0),
        ("Yhteensä", "actual", 2024, "EUR", 1000, 251054.0), ("Yhteensä", "share", 2024, "percent", 1, 100.0),
        ("Yhteensä", "actual", 2024, "EUR", 1000, 221748.0),
    }
    assert not [f for f in rec.finance if f.figure_kind == "other"]


def test_percent_beside_two_columns_is_no_share() -> None:
    # 'TA 2024 | TP 2024 | %': two columns of figures before it -> the share rule does not apply
    kinds, years = comparison_columns(["TA 2024", "TP 2024", "%"], ["budget", "actual", "other"],
                                      [2024, 2024, None], "fi")
    assert (kinds[2], years[2]) == ("other", None)
    # '2024 | 2023 | € | %': a change, not a share
    kinds, years = comparison_columns(["2024", "2023", "€", "%"], ["actual", "actual", "other", "other"],
                                      [2024, 2023, None, None], "fi")
    assert kinds[2:] == ["difference", "percent_change"] and years[2:] == [2024, 2024]
    kinds, years = comparison_columns(["1 000 €", "%"], ["actual", "other"], [2024, None], "fi")
    assert (kinds[1], years[1]) == ("share", 2024)
