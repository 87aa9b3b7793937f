"""A heading word standing over a column's figures is part of that column's heading, never a column
printed empty whose edge cuts the figures under it (`extractors.pdf.headers.hang_headings`).

Values read from the rendered page of Seinäjoki's financial statement 2024, 1-based PDF page 180 (printed
174, 'KORKOHERKKYYS'): the heading 'Muutos korkotasossa (%-yksikköä)' spans three columns, and its first
word 'Muutos' stands over the figures of the first of them ('-32 076 487,33', '1 685 062,00', ...). Taken
for an empty column, its right edge cut '-32 076 487,33' into '-32 076' and '487,33', and '1 685 062,00'
into '1' and '685 062,00'.
"""

from __future__ import annotations

from pathlib import Path

from extractors.pdf.grid import Column
from extractors.pdf.headers import hang_headings
from extractors.pdf.lines import Segment, Word
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def _seg(text: str, x0: float, x1: float) -> Segment:
    return Segment(words=[Word(text=text, x0=x0, x1=x1, top=100, bottom=110, size=10)])


def test_a_heading_word_over_a_columns_figures_joins_its_heading() -> None:
    figures = [Column(x0=207.6, x1=283.0), Column(x0=297.4, x1=371.8)]
    columns = hang_headings(figures, [_seg("Muutos", 288.7, 325.9), _seg("korkotasossa", 328.7, 371.0)],
                            [None, None], right=True)
    assert [(c.x0, c.x1, c.own_label()) for c in columns] == [(207.6, 283.0, ""),
                                                              (297.4, 371.8, "Muutos korkotasossa")]


def test_a_heading_beside_the_figures_is_still_an_empty_column() -> None:
    """Counterexample: a second heading in the column's cell (up to its rule at x 340) but right of its
    figures stays a column of its own, printed empty."""
    figures = [Column(x0=207.6, x1=283.0)]
    columns = hang_headings(figures, [_seg("2024", 260.0, 283.0), _seg("Muutos", 300.0, 336.0)],
                            [340.0], right=True)
    assert [(c.x0, c.own_label()) for c in columns] == [(207.6, "2024"), (300.0, "Muutos")]


def test_interest_rate_sensitivity_figures_stay_whole() -> None:
    rec = page_records(SEINAJOKI, (180,))
    # the '-1 % | 0 % | 1 %' line heads the columns (it is no body row): only the 16 amounts are numbers
    numbers = [(c.row, c.column, c.number) for c in rec.tables if c.page == 1 and c.number is not None]
    # rows: Osuuspankki, Nordea, Danske Bank, Yhteensä; columns: nimellispääoma, -1 %, 0 %, 1 %
    assert [n for _, _, n in numbers] == [
        235513733, -32076487.33, -3567672.17, 23228486.20,
        45000000.00, 1685062.00, 4932603.00, 8072692.00,
        35000000.00, -1695715.00, 212201.00, 1675626.00,
        315513733.00, -32087140.33, 1577131.83, 32976804.20]
    assert len({col for _, col, _ in numbers}) == 4
