"""A figure in parentheses: a negative in a table printing its negatives so (accounting style), a bracketed
'of which' amount in a column printing its negatives with a minus sign (decided per column: case B05 prints
each column's negatives its own way).

Values read from the rendered page of Seinäjoki's financial statement 2024, 1-based PDF page 144 (printed
140, '8.3 Investointien toteutuminen', the income table 'INVESTOINTIOSA / TULOT', column 'Toteutuma'):
under 'Maa-ja vesialueet 1 514 143' the rows 'Sisältää myyntivoittoa (1 012 468,60)' and 'Sisältää
myyntitappiota (108 371,77)', under 'Koneet ja kalusto 66 000' 'Sisältää myyntivoittoa (66 000)', under
'Arvopaperit ja muut pitkäaikaiset sijoitukset (osakkeet ja osuudet) -24 574' 'Sisältää myyntitappiota
(34151,02)'; the column's own negatives print a minus ('-24 574').
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extractors.numbers import prints_minus, prints_minus_signs, read_number, unbracketed
from extractors.pipeline import process_file
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


@pytest.mark.parametrize(("printed", "bracketed", "minus", "plain"), [
    ("(66 000)", True, False, Decimal("66000")),
    ("(34151,02)", True, False, Decimal("34151.02")),
    ("(5,2 %)", True, False, Decimal("5.2")),
    ("-24 574", False, True, Decimal("-24574")),
    ("1 234-", False, True, Decimal("-1234")),
    ("- 7 030 000", False, True, Decimal("-7030000")),
    ("66 000", False, False, Decimal("66000")),
])
def test_sign_forms(printed: str, bracketed: bool, minus: bool, plain: Decimal) -> None:
    parsed = read_number(printed)
    assert (parsed.bracketed, prints_minus(parsed)) == (bracketed, minus)
    assert parsed.value == (-plain if bracketed else plain)  # accounting parentheses: a negative by default
    read = unbracketed(parsed)
    assert (read.value, read.printed, read.bracketed) == (plain, printed, False)


def test_a_table_prints_minus_signs_only_when_a_figure_does() -> None:
    assert prints_minus_signs(["1 514 143", "(1 012 468,60)", "-24 574"])
    assert not prints_minus_signs(["404 800", "(2 887 200)", "(2 482 400)", "Poikkeama -yli / +alle", "-"])


def seinajoki_investments() -> list:
    rec = page_records(SEINAJOKI, (1, 144))
    return [f for f in rec.finance if f.page == 2 and f.column_label == "Toteutuma"]


def test_of_which_amounts_in_parentheses_are_positive_memo_figures() -> None:
    memo = [(f.line_label, f.amount, f.printed, f.is_memo, f.line_key) for f in seinajoki_investments()
            if f.line_label.startswith("Sisältää")]
    assert memo == [("Sisältää myyntivoittoa", 1012468.60, "(1 012 468,60)", True, None),
                    ("Sisältää myyntitappiota", 108371.77, "(108 371,77)", True, None),
                    ("Sisältää myyntivoittoa", 66000, "(66 000)", True, None),
                    ("Sisältää myyntitappiota", 34151.02, "(34151,02)", True, None)]


def test_the_tables_own_negatives_and_items_stay_as_printed() -> None:
    found = {(f.line_path, f.amount, f.is_memo) for f in seinajoki_investments()}
    assert {("Myyntitulot / Arvopaperit ja muut pitkäaikaiset sijoitukset (osakkeet ja osuudet)", -24574, False),
            ("Myyntitulot / Maa-ja vesialueet", 1514143, False), ("Myyntitulot / Koneet ja kalusto", 66000, False),
            ("Rahoitusosuudet / Koneet ja kalusto", 9000, False), ("Myyntitulot yhteensä", 1555569, False)} <= found


def test_memo_rows_are_counted_unknown_lines() -> None:
    """No line of the chart is 'of which the gain on sale': the rows stay unknown lines, said so."""
    rec = page_records(SEINAJOKI, (1, 144))
    unknown = [i.message for i in rec.issues if i.code == "unknown_finance_line" and "Sisältää" in i.message]
    assert len(unknown) == 4


def test_tables_dataset_reads_the_bracketed_amounts_alike() -> None:
    rec = page_records(SEINAJOKI, (1, 144))
    cells = {c.text: c.number for c in rec.tables if c.page == 2 and c.text.startswith("(") and not c.is_label}
    assert cells == {"(1 012 468,60)": 1012468.60, "(108 371,77)": 108371.77, "(66 000)": 66000,
                     "(34151,02)": 34151.02}


def _statement_pdf(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(60, 780, "Kaupungin tilinpäätös 2024")
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(60, 700, "Tuloslaskelma")
    for text, right in (("TP 2023", 380.0), ("TP 2024", 460.0)):
        canvas.drawRightString(right, 700, text)
    canvas.setFont("Helvetica", 9)
    for index, (label, *figures) in enumerate(rows):
        y = 686 - 14 * index
        canvas.drawString(60, y, label)
        for right, text in zip((380, 460), figures, strict=True):
            canvas.drawRightString(right, y, text)
    canvas.save()
    return path


def test_accounting_parentheses_stay_negative(tmp_path: Path) -> None:
    """Counterexample: a statement printing every negative in parentheses and none with a minus."""
    rows = [("Toimintatuotot", "404 800", "425 769"), ("Toimintakulut", "(2 887 200)", "(2 866 441)"),
            ("Toimintakate", "(2 482 400)", "(2 440 672)")]
    rec = process_file(_statement_pdf(tmp_path / "accounting.pdf", rows))[1]
    found = {(f.line_label, f.year, f.amount, f.is_memo) for f in rec.finance}
    assert found == {("Toimintatuotot", 2023, 404800, False), ("Toimintatuotot", 2024, 425769, False),
                     ("Toimintakulut", 2023, -2887200, False), ("Toimintakulut", 2024, -2866441, False),
                     ("Toimintakate", 2023, -2482400, False), ("Toimintakate", 2024, -2440672, False)}
    cells = {c.text: c.number for c in rec.tables if c.text.startswith("(")}
    assert cells["(2 866 441)"] == -2866441


def test_parentheses_beside_minus_signs_are_bracketed(tmp_path: Path) -> None:
    """The same statement printing its negatives with a minus sign: '(66 000)' is an amount of which."""
    rows = [("Toimintatuotot", "404 800", "425 769"), ("Sisältää myyntivoittoa", "(12 000)", "(66 000)"),
            ("Toimintakulut", "-2 887 200", "-2 866 441"), ("Toimintakate", "-2 482 400", "-2 440 672")]
    rec = process_file(_statement_pdf(tmp_path / "minus.pdf", rows))[1]
    found = {(f.line_label, f.year, f.amount, f.is_memo) for f in rec.finance}
    assert ("Sisältää myyntivoittoa", 2024, 66000, True) in found
    assert ("Sisältää myyntivoittoa", 2023, 12000, True) in found
    assert ("Toimintakulut", 2024, -2866441, False) in found


def test_each_column_keeps_its_own_sign_form(tmp_path: Path) -> None:
    """Counterexample: one column prints its negatives with a minus, the next in parentheses (as case B05
    does): the parentheses of the second column stay negative."""
    rows = [("Toimintatuotot", "404 800", "425 769"), ("Toimintakulut", "-2 887 200", "(2 866 441)"),
            ("Toimintakate", "-2 482 400", "(2 440 672)")]
    rec = process_file(_statement_pdf(tmp_path / "mixed.pdf", rows))[1]
    found = {(f.line_label, f.year, f.amount, f.is_memo) for f in rec.finance}
    assert {("Toimintakulut", 2023, -2887200, False), ("Toimintakulut", 2024, -2866441, False),
            ("Toimintakate", 2024, -2440672, False)} <= found
