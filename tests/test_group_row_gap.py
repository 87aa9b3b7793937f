"""A group heading row set a blank line above the column headings is the outer level of the table's header
(`extractors.pdf.headers.group_row_above`).

Values read from the rendered page of Kauhava's financial statement 2024, 1-based PDF page 144 (printed
143), note 'Pysyvien vastaavien sijoitukset': 'Osakkeet ja osuudet' stands over the first five figure
columns and 'JVK-, muut laina- ja muut saamiset' over the last five, a blank line above the column headings;
each group ends in a column headed 'Yhteensä', which only the group tells apart.
"""

from __future__ import annotations

from pathlib import Path

from extractors.pdf.grid import Column
from extractors.pdf.headers import group_row_above
from extractors.pdf.lines import Line, Word
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"

SHARES = "Osakkeet ja osuudet"
LOANS = "JVK-, muut laina- ja muut saamiset"


def test_both_totals_carry_their_group() -> None:
    rec = page_records(KAUHAVA, (144,))
    got = {(f.line_label, f.column_label): f.amount for f in rec.finance}
    assert got[("Hankintameno 1.1.", f"{SHARES} Yhteensä")] == 10_376_012.93
    assert got[("Hankintameno 1.1.", f"{LOANS} Yhteensä")] == 2_672_774.61
    assert got[("Lisäykset", f"{LOANS} Yhteensä")] == 4_162_297.37
    assert got[("Vähennykset", f"{SHARES} Yhteensä")] == 307_942.61
    assert got[("Hankintameno 31.12.", f"{SHARES} Osakkeet konserniyhtiöt")] == 6_755_919.89
    assert got[("Kirjanpitoarvo 31.12", f"{SHARES} Yhteensä")] == 10_100_802.63
    assert got[("Kirjanpitoarvo 31.12", f"{LOANS} Saamiset konserniyhteisöiltä")] == 3_072_739.49
    assert got[("Kirjanpitoarvo 31.12", f"{LOANS} Yhteensä")] == 3_576_571.98
    assert not any(label == "Yhteensä" for _, label in got)
    # each group's 'Yhteensä' is still a total column (the sum of the four columns left of it, checked)
    kinds = {f.column_label: f.figure_kind for f in rec.finance}
    assert kinds[f"{SHARES} Yhteensä"] == kinds[f"{LOANS} Yhteensä"] == "total"
    assert kinds[f"{SHARES} Kuntayhtymä osuudet"] == "actual"
    assert not [v for v in rec.validation if v.severity in ("warning", "error")]


def test_the_group_heads_the_header_path_of_each_column_under_it() -> None:
    rec = page_records(KAUHAVA, (144,))
    paths = {c.column: c.header_path for c in rec.tables if c.row == 0 and c.number == 2_627_417.76}
    assert paths == {3: [SHARES, "Kuntayhtymä osuudet"]}
    paths = {c.column: c.header_path for c in rec.tables if c.row == 1 and c.number == 4_162_297.37}
    assert paths == {10: [LOANS, "Yhteensä"]}
    paths = {c.column: c.header_path for c in rec.tables if c.row == 1 and c.number == 32_732.31}
    assert paths == {3: [SHARES, "Kuntayhtymä osuudet"], 5: [SHARES, "Yhteensä"]}


def _line(*runs: tuple[str, float, float], top: float) -> Line:
    return Line(words=[Word(text=t, x0=a, x1=b, top=top, bottom=top + 7, size=7) for t, a, b in runs], page=0)


COLUMNS = [Column(x0=198, x1=239), Column(x0=258, x1=293), Column(x0=427, x1=472),
           Column(x0=519, x1=533), Column(x0=744, x1=785)]
HEADINGS = _line(("Osakkeet", 194, 239), ("Omis", 245, 293), ("Yhteensä", 442, 472), ("JVK", 482, 533),
                 ("Yhteensä", 755, 785), top=147)


def test_two_groups_a_blank_line_above_are_a_group_row() -> None:
    lines = [_line(("Osakkeet", 190, 227), ("JVK-,", 476, 530), top=116),
             _line(("osuudet", 190, 215), ("saamiset", 476, 529), top=124), HEADINGS]
    assert group_row_above(lines, 1, HEADINGS, COLUMNS, labels_right=122, pitch=8.7) == lines[:2]


def test_a_caption_in_the_label_column_is_no_group_row() -> None:
    lines = [_line(("Pysyvien vastaavien", 55, 160), ("JVK-,", 476, 530), top=124), HEADINGS]
    assert group_row_above(lines, 0, HEADINGS, COLUMNS, labels_right=122, pitch=8.7) == []


def test_one_heading_over_all_columns_is_no_group_row() -> None:
    lines = [_line(("Euroa", 190, 215), top=124), HEADINGS]
    assert group_row_above(lines, 0, HEADINGS, COLUMNS, labels_right=122, pitch=8.7) == []


def test_a_group_row_farther_than_the_gap_is_left_out() -> None:
    lines = [_line(("Osakkeet", 190, 227), ("JVK-,", 476, 530), top=100), HEADINGS]
    assert group_row_above(lines, 0, HEADINGS, COLUMNS, labels_right=122, pitch=8.7) == []


def test_a_heading_over_one_column_alone_is_no_group() -> None:
    """Counterexample: the second heading owns only the last column (a heading of its own, not a group)."""
    lines = [_line(("Osakkeet", 190, 227), ("Muu", 744, 785), top=124), HEADINGS]
    assert group_row_above(lines, 0, HEADINGS, COLUMNS, labels_right=122, pitch=8.7) == []
