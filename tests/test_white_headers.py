"""Statistics tables with a heading row printed white on a blue fill and words in figure cells.

Simrishamn KFN annual report 2025, PDF page 35 (printed 'SID 34 (36)'). Every expected value was read
from the rendered page: three tables, each under a blue heading row 'Statistik | Bokslut 2023 | ...'
printed in white, with pale-blue group rows ('Antal besökare') and figure cells that hold words
('Stängt') or a qualified figure ('ung 116 000').
"""

from __future__ import annotations

from tests.test_tables import REAL, cell, fold, records

ANNUAL = REAL / "se_simrishamn_kfn_arsbokslut_2025.pdf"


def test_library_visitors_keep_their_heading_row_and_first_figure() -> None:
    rec = records(ANNUAL, (35,))
    visitors = cell(rec, ["Antal besökare", "Bibliotek och buss"], ["Bokslut 2023"])
    assert (fold(visitors.text), visitors.number) == ("117 271", 117271)
    label = cell(rec, ["Antal besökare", "Bibliotek och buss"], ["Statistik"])
    assert label.is_label and fold(label.text) == "Bibliotek och buss"
    # 'ung 116 000' (about 116 000) stands in its own column and is not read as an exact figure
    about = cell(rec, ["Antal besökare", "Bibliotek och buss"], ["Bokslut 2024"])
    assert fold(about.text) == "ung 116 000" and about.number is None
    budget = cell(rec, ["Antal besökare", "Bibliotek och buss"], ["Budget 2025"])
    assert budget.number == 110000
    loans = cell(rec, ["Antal bibliotekslån", "Bibliotekslån"], ["Bokslut 2025"])
    assert loans.number == 93666 and loans.table_id == visitors.table_id


def test_bath_visitors_keep_the_closed_rows_and_the_group_heading() -> None:
    rec = records(ANNUAL, (35,))
    closed = cell(rec, ["Antal besökare", "Korsavads simhall"], ["Budget 2025"])
    assert closed.text == "Stängt" and closed.number is None
    first = cell(rec, ["Antal besökare", "Tobisviksbadet"], ["Bokslut 2023"])
    assert first.text == "Stängt"
    assert cell(rec, ["Antal besökare", "Tobisviksbadet"], ["Bokslut 2024"]).number == 22898
    assert cell(rec, ["Antal besökare", "Sankt Olofsbadet"], ["Bokslut 2023"]).number == 11526
    assert closed.table_id == first.table_id


def test_swimming_school_table_reads_stangt_as_a_cell_not_the_label() -> None:
    rec = records(ANNUAL, (35,))
    closed = cell(rec, ["Tobisviksbadet"], ["Bokslut 2023"])
    assert closed.text == "Stängt"
    assert cell(rec, ["Tobisviksbadet"], ["Bokslut 2025"]).number == 1310
    assert cell(rec, ["Hammenhögsbadet"], ["Bokslut 2023"]).number == 1576
    # the label column's heading is the two lines of the blue heading cell
    label = cell(rec, ["Tobisviksbadet"], ["Statistik simskola deltagartillfällen"])
    assert label.is_label


def test_statistics_tables_are_key_figures_not_unread_money() -> None:
    rec = records(ANNUAL)
    on_page = [(i.code, i.severity) for i in rec.issues if i.page == 35]
    assert on_page == [("no_money_table", "info")] * 3
    assert not [f for f in rec.finance if f.page == 35]
    # the page's tables no longer leave figures unread: the report is no longer partial for them
    assert rec.document.status == "ok"


# -- the same rules on other pages ----------------------------------------------------------------------

SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def test_two_line_heading_cell_on_blue_is_one_heading() -> None:
    # Seinäjoki p. 181 (printed 175): the blue heading cell '42) Henkilöstön lukumäärä 31.12. ml. /
    # sijaiset ja määräaikaiset' (two lines, white) over 'Konsernipalvelut | 97 | 98'
    rec = records(SEINAJOKI, (181,))
    staff = cell(rec, ["Konsernipalvelut"], ["2024"])
    assert staff.number == 97
    label = cell(rec, ["Konsernipalvelut"], ["42) Henkilöstön lukumäärä 31.12. ml. sijaiset ja määräaikaiset"])
    assert label.is_label


def test_words_in_figure_cells_keep_the_goal_table_headings() -> None:
    # Seinäjoki p. 137 (printed 133): 'Strategian laadinta | Kyllä/Ei | Ei | Kyllä | Ei' among rows of figures
    rec = records(SEINAJOKI, (137,))
    assert cell(rec, ["Strategian laadinta Kyllä/Ei"], ["Tavoite-taso", "2024"]).text == "Kyllä"
    turnover = cell(rec, ["Liikevaihdon nostaminen Liikevaihto"], ["Toteuma", "2024"])
    assert fold(turnover.text) == "1 593 990"
    assert fold(cell(rec, ["Katsojamäärän nostaminen Katsojamäärätilasto"], ["Lähtötaso/ toteuma", "2022"]).text) \
        == "37 544"
