"""Separate statements of the city's business units ('Eriytetyt laskelmat') are the segment's, not the city's.

Every expected value was read from the rendered page of the real document (page numbers are those of the
PDF, 1-based; each test cuts the document to the pages under test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import FinanceFigure, RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def figures(rec: RecordSet, label: str, year: int, page: int) -> list[FinanceFigure]:
    """The figures of a line and year on a page of the cut document (its pages numbered from 1)."""
    return [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.year == year and f.page == page]


# Seinäjoki pp. 183-184: chapter 'V ERIYTETYT LASKELMAT' / '13. Seinäjoen kaupungin eriytetyt laskelmat', one
# statement titled 'TULOSLASKELMA, Seinäjoen kaupunki' under each of '13.1 Ravintolapalvelu' ... '13.4
# Vuokraustoiminta'. Kauhava p. 154: '5 Muut eriytetyt laskelmat', the statement under a heading set in a
# narrow column ('Myytä-' / 'vät ta-' / 'loushal-' / 'lintopal-' / 'velut').
@pytest.mark.parametrize(("pdf", "pages", "page", "unit", "label", "year", "amount"), [
    (SEINAJOKI, (183, 184), 183, "Ravintolapalvelu", "Myyntituotot", 2024, 88022.34),
    (SEINAJOKI, (183, 184), 183, "Ravintolapalvelu", "TOIMINTAKATE", 2024, -78080.84),
    (SEINAJOKI, (183, 184), 183, "Tuotemyynti", "Maksutuotot", 2023, 38351.00),
    (SEINAJOKI, (183, 184), 184, "Tukipalvelut", "Myyntituotot", 2024, 779784.46),
    (SEINAJOKI, (183, 184), 184, "Tukipalvelut", "Palkat ja palkkiot", 2023, -299576.70),
    (SEINAJOKI, (183, 184), 184, "Vuokraustoiminta", "TILIKAUDEN YLIJÄÄMÄ/ALIJÄÄMÄ", 2023, -5513.95),
    (KAUHAVA, (154,), 154, "Myytävät taloushallintopalvelut", "Muut myyntituotot", 2024, 120366.63),
    (KAUHAVA, (154,), 154, "Myytävät taloushallintopalvelut", "Palvelujen ostot", 2024, -46355.43),
    (KAUHAVA, (154,), 154, "Myytävät taloushallintopalvelut", "TILIKAUDEN YLI-/ALIJÄÄMÄ", 2023, 359.28),
])
def test_segment_statement_figures_are_the_segment_s(pdf: Path, pages: tuple[int, ...], page: int, unit: str,
                                                     label: str, year: int, amount: float) -> None:
    found = [f for f in figures(page_records(pdf, pages), label, year, pages.index(page) + 1) if f.unit_name == unit]
    assert [(f.amount, f.entity_scope) for f in found] == [(amount, "segment")]


@pytest.mark.parametrize(("pdf", "pages"), [(SEINAJOKI, (183, 184)), (KAUHAVA, (154,))])
def test_no_segment_figure_is_the_city_s(pdf: Path, pages: tuple[int, ...]) -> None:
    rec = page_records(pdf, pages)
    assert rec.finance and {f.entity_scope for f in rec.finance} == {"segment"}
    segments = {u.name: u.level for u in rec.units if u.level == "segment"}
    expected = ["Ravintolapalvelu", "Tuotemyynti", "Tukipalvelut", "Vuokraustoiminta"] if pdf == SEINAJOKI \
        else ["Myytävät taloushallintopalvelut"]
    assert sorted(segments) == sorted(expected)


def test_numbered_heading_parts_the_statements_of_two_pages() -> None:
    """'13.3 Tukipalvelut' at the top of p. 184 begins a statement of its own: p. 183's does not go on."""
    rec = page_records(SEINAJOKI, (183, 184))
    on_183 = {f.table_id for f in rec.finance if f.page == 1}
    on_184 = {f.table_id for f in rec.finance if f.page == 2}
    assert len(on_183) == 2 and len(on_184) == 2 and not on_183 & on_184


# Seinäjoki p. 147 ('8.5 Yhteenveto valtuuston hyväksymien määrärahojen ja tuloarvioiden toteutumisesta', in
# 1000 €): labels wrapped over two lines keep their first line. A code printed on the name's last line goes
# first ('Sivistyksen ja hyvinvoinnin' / '400 toimialan hallinto'); a lone 0 printed on a label's first line
# stays on its own row there ('Arvopaperit ja muut  0' / '  pitk. sijoitukset  2 195 ...').
@pytest.mark.parametrize(("label", "column", "amount"), [
    ("400 Sivistyksen ja hyvinvoinnin toimialan hallinto", "Määrärahat 1000€ Alkup. talousarvio", 1688),
    ("400 Sivistyksen ja hyvinvoinnin toimialan hallinto", "Tuloarviot 1000€ Toteutuma", 1077),
    ("600 Kaupunkiympäristön toimialan hallinto", "Määrärahat 1000€ Toteutuma", 968),
    ("600 Kaupunkiympäristön toimialan hallinto", "Tuloarviot 1000€ Alkup. talousarvio", 241),
    ("Muut kiinteät rakenteet ja laitteet", "Määrärahat 1000€ TA:n muutokset", -532),
    ("Arvopaperit ja muut pitk. sijoitukset", "Määrärahat 1000€ Alkup. talousarvio", 2195),
    ("Arvopaperit ja muut pitk. sijoitukset", "Määrärahat 1000€ Poikkeama", 6),
    ("Arvopaperit ja muut pitk. sijoitukset", "Tuloarviot 1000€ Toteutuma", 179),
])
def test_wrapped_labels_keep_their_first_line(label: str, column: str, amount: float) -> None:
    rec = page_records(SEINAJOKI, (147,))
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.column_label == column]
    assert [(f.amount, f.value, f.entity_scope) for f in found] == [(amount, amount * 1000, "city")]


def test_no_label_is_a_wrapped_label_s_last_line_alone() -> None:
    labels = {" ".join(f.line_label.split()) for f in page_records(SEINAJOKI, (147,)).finance}
    assert not labels & {"400 toimialan hallinto", "600 hallinto", "ja laitteet", "pitk. sijoitukset",
                         "Sivistyksen ja hyvinvoinnin", "Kaupunkiympäristön toimialan"}
