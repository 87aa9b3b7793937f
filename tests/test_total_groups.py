"""A block of rows set apart by blank lines, headed by a label line without figures and closed by a total of
that heading, is a group (`extractors.pdf.total_groups`).

Values read from the rendered pages of Kauhava's financial statement 2024: 1-based PDF page 146 (printed
145), note '23) Saamisten erittely', where 'Saamiset tytäryhteisöiltä' heads 'Myyntisaamiset',
'Lainasaamiset*', 'Muut saamiset' and 'Yhteensä' in the rows' own type and indent; and page 148 (printed
147), note '27) Pitkäaikaiset velat ...', where 'Joukkovelkakirjalainat' is an item printed empty and
'Pitkäaikaiset velat yhteensä' sums the loans: no group.
"""

from __future__ import annotations

from pathlib import Path

from extractors.pdf.total_groups import _closes
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SUBSIDIARIES = "Saamiset tytäryhteisöiltä"


def _figures(page: int) -> dict[tuple[str, str], float]:
    rec = page_records(KAUHAVA, (146, 148))
    return {(f.line_path, f.column_label): f.amount for f in rec.finance if f.page == page}


def test_rows_under_a_plain_heading_closed_by_yhteensa_carry_it() -> None:
    got = _figures(1)
    assert got[(f"{SUBSIDIARIES} / Myyntisaamiset", "2024 Lyhytaikaiset")] == 109_964.88
    assert got[(f"{SUBSIDIARIES} / Myyntisaamiset", "2023 Lyhytaikaiset")] == 793.53
    assert got[(f"{SUBSIDIARIES} / Lainasaamiset*", "2024 Pitkäaikaiset")] == 2_595_323.42
    assert got[(f"{SUBSIDIARIES} / Lainasaamiset*", "2023 Lyhytaikaiset")] == 2_450_000.00
    assert got[(f"{SUBSIDIARIES} / Yhteensä", "2024 Lyhytaikaiset")] == 2_849_964.88
    assert got[(f"{SUBSIDIARIES} / Yhteensä", "2023 Lyhytaikaiset")] == 2_450_793.53
    # note 23's columns (note 24 below it, in 'Konserni' / 'Kunta' columns, has a 'Yhteensä' of its own)
    assert not any(path in ("Myyntisaamiset", "Lainasaamiset*", "Yhteensä") for path, column in got
                   if column.endswith("aikaiset"))


def test_an_item_printed_empty_over_a_named_total_heads_no_group() -> None:
    got = _figures(2)
    assert got[("Lainat rahoitus- ja vakuutuslaitoksilta", "2024")] == 42_808_280.13
    assert got[("Pitkäaikaiset velat yhteensä", "2023")] == 43_812_369.90


def test_a_total_closes_a_group_bare_or_under_its_heading_name() -> None:
    assert _closes("Yhteensä", "Saamiset tytäryhteisöiltä")
    assert _closes("Muut velat yhteensä", "Muut velat")
    assert not _closes("Pitkäaikaiset velat yhteensä", "Joukkovelkakirjalainat")
