"""A difference column whose heading says what it compares is checked on every row, even when the
arithmetic holds on only some of them.

Seinäjoki's financial statement p. 56 (PDF page, printed 53): 'Verotulojen erittely | Kaupunki 2024 |
2023 | € | %'. The '€' column after two year columns is the change 2024 − 2023 (its heading fixes the two
columns). Read from the rendered page:

    Kunnan tulovero               120 464 075,54  120 070 191,36     393 884,18   0,3
    Osuus yhteisöveron tuotosta    15 375 879,42   17 582 013,25  13 467 274,63 -12,5
    Kiinteistövero                 31 049 287,88   30 126 416,10 -14 750 536,68   3,1
    Yhteensä                      166 889 242,84  167 778 620,71    -889 377,87  -0,5

15 375 879,42 − 17 582 013,25 = −2 206 133,83 and 31 049 287,88 − 30 126 416,10 = 922 871,78: two of
the four rows print a wrong difference (the two wrong ones still add up to the right total), so the
majority rule alone never established the column. The 'Valtionosuuksien erittely' table below it holds
on every row. The title page (1) is cut in so the document is read as a financial statement; p. 56 is
page 2 of the cut document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.derived import difference_columns
from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"
PAGE = 2  # p. 56 in the cut (1, 56)


@pytest.fixture(scope="module")
def rec() -> RecordSet:
    return page_records(SEINAJOKI, (1, 56))


def _table_of(rec: RecordSet, line_label: str) -> str:
    return next(f.table_id for f in rec.finance if f.page == PAGE and f.line_label == line_label)


def test_wrong_differences_are_findings(rec: RecordSet) -> None:
    taxes = _table_of(rec, "Kiinteistövero")
    got = {(v.page, v.row_index, v.severity, v.actual, round(v.expected, 2)) for v in rec.validation
           if v.table_id == taxes and v.check == "difference_column"}
    assert got == {
        (PAGE, 1, "error", 13467274.63, -2206133.83),  # Osuus yhteisöveron tuotosta
        (PAGE, 2, "error", -14750536.68, 922871.78),  # Kiinteistövero
    }
    messages = [v.message for v in rec.validation if v.table_id == taxes and v.check == "difference_column"]
    assert any("Osuus yhteisöveron tuotosta" in m and "13467274.63" in m for m in messages)
    assert any("Kiinteistövero" in m and "922871.78" in m for m in messages)


def test_table_with_wrong_differences_is_not_arithmetic_ok(rec: RecordSet) -> None:
    quality = {q.table_id: q for q in rec.table_quality}
    assert quality[_table_of(rec, "Kiinteistövero")].arithmetic_ok is False
    # the state-aid table below holds on every row: 16 817 028,00 − 23 762 689,00 = −6 945 661,00, ...
    state_aid = _table_of(rec, "Verotulomenetysten kompensaatio")
    assert quality[state_aid].arithmetic_ok is True
    assert not [v for v in rec.validation if v.table_id == state_aid and v.severity != "info"]


def test_finance_table_without_checks_is_not_arithmetic_ok(rec: RecordSet) -> None:
    # 'Verotulojen tasaus valtionosuuksissa 2020-2024 | Vuosi | €' (17,9 ... 12,3): no check applies to it
    on_page = [q for q in rec.table_quality if q.page == PAGE]
    checked = {_table_of(rec, "Kiinteistövero"), _table_of(rec, "Verotulomenetysten kompensaatio")}
    unchecked = [q for q in on_page if q.table_id not in checked]
    assert unchecked and all(q.arithmetic_ok is None for q in unchecked)


def _fig(row: int, col: int, kind: str, amount: str, label: str) -> FinanceFigure:
    return FinanceFigure(document_id="d", unit_name=None, table_id="t", line_label=f"rivi {row}", line_key=None,
                         is_memo=False, column_label=label,
                         figure_kind=kind, amount=float(amount), page=1, row_index=row, col_index=col,
                         unit="EUR", multiplier=1, value=float(amount), year=2024)


def _table(columns: list[tuple[str, str]], rows: list[list[str]]) -> list[FinanceFigure]:
    return [_fig(r, c + 1, kind, amount, label) for r, amounts in enumerate(rows)
            for c, ((kind, label), amount) in enumerate(zip(columns, amounts, strict=True))]


def test_heading_fixes_pair_only_between_two_level_columns() -> None:
    # 'TP 2023 | TA 2024 | TP 2024 | Poikkeama': three level columns before the difference, one row of four
    # explained -> the heading does not say which two it compares: nothing checked
    three = _table([("actual", "TP 2023"), ("budget", "TA 2024"), ("actual", "TP 2024"), ("difference", "Poikkeama")],
                   [["50", "100", "110", "10"], ["60", "200", "150", "7"], ["70", "300", "290", "3"],
                    ["80", "400", "420", "1"]])
    outcomes, derived = difference_columns(three)
    assert outcomes == [] and derived == set()
    # 'TA 2024 | TP 2024 | Poikkeama': two level columns -> every row checked, the two wrong ones found
    two = _table([("budget", "TA 2024"), ("actual", "TP 2024"), ("difference", "Poikkeama")],
                 [["100", "110", "10"], ["200", "150", "7"], ["300", "290", "3"], ["400", "420", "20"]])
    outcomes, derived = difference_columns(two)
    assert derived == {3}
    wrong = {(f.row_index, f.actual, f.expected) for _, f in outcomes if f is not None}
    assert wrong == {(1, 7.0, -50.0), (2, 3.0, -10.0)}


def test_difference_against_something_unprinted_is_not_checked() -> None:
    # 'TA 2024 | TP 2024 | Ero raamiin': no row is the difference of the two printed columns -> not checked
    frame = _table([("budget", "TA 2024"), ("actual", "TP 2024"), ("difference", "Ero raamiin")],
                   [["100", "110", "4"], ["200", "150", "7"], ["300", "290", "3"]])
    assert difference_columns(frame) == ([], set())


def test_column_of_unknown_heading_fixes_no_pair() -> None:
    # '(blank) | TP 2024 | Poikkeama': the blank column is of no known level -> the heading fixes nothing
    blank = _table([("other", ""), ("actual", "TP 2024"), ("difference", "Poikkeama")],
                   [["100", "110", "10"], ["200", "150", "7"], ["300", "290", "3"], ["400", "420", "20"]])
    assert difference_columns(blank) == ([], set())
