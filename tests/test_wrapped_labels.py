"""A label wrapped over two lines whose first line prints no figures is one row (Finnish financial
statements, real PDFs): the continuation goes on in lower case, under the label's start or in a hanging
indent, and neither a value column shaded line by line nor a cell grid drawn under every line parts it;
and lines of one figure each under one sum's underline stay rows of their own.

Every expected value was read from the rendered page (page numbers are those of the PDF; each test cuts
the document to the pages under test, with the cover when the pages alone do not say what it is).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.layout import join_wrapped
from extractors.pdf.grid import ends_open, join_pieces
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


@pytest.mark.parametrize(("pdf", "pages", "label", "column", "amount", "stray"), [
    # p. 72 'Konsernin rahoituslaskelma': the 2024 column is shaded box by box
    (SEINAJOKI, (1, 72), "Pysyvien vastaavien hyödykkeiden luovutustulot", "2024 1 000 €", 1258, "luovutustulot"),
    (SEINAJOKI, (1, 72), "Pysyvien vastaavien hyödykkeiden luovutustulot", "2023 1 000 €", -5530, "luovutustulot"),
    # p. 33: a white cell grid under every line; the continuation starts in lower case
    (KAUHAVA, (33,), "Toiminnan ja investointien rahavirran kertymä viideltä (5) vuodelta, 1000 €", "2024 1 000 €",
     -10626, "viideltä (5) vuodelta, 1000 €"),
    # p. 147 'Talousarvion toteutumisvertailu': 'ja laitteet' in a hanging indent under 'Muut kiinteät rakenteet'
    (SEINAJOKI, (1, 147), "Muut kiinteät rakenteet ja laitteet", "Määrärahat 1000€ Toteutuma", 403, "ja laitteet"),
    (SEINAJOKI, (1, 147), "Muut kiinteät rakenteet ja laitteet", "Määrärahat 1000€ Alkup. talousarvio", 1075,
     "ja laitteet"),
    # p. 120 'Investointien toteutuminen': a project name in two lines of one ruled cell, 11 pt apart in 15 pt rows
    (KAUHAVA, (120,), "Osakkeet ja osuudet, KY Kymppi", "Alkuper. määräraha", 33000, "Kymppi"),
])
def test_wrapped_label_is_one_row(pdf: Path, pages: tuple[int, ...], label: str, column: str, amount: float,
                                  stray: str) -> None:
    rec = page_records(pdf, pages)
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label and f.column_label == column]
    assert [f.amount for f in found] == [amount]
    assert not [f for f in rec.finance if f.line_label == stray]  # no fragment carries the figures
    first_line = label.split(" luovutustulot")[0] if "luovutustulot" in label else None
    if first_line:  # and the first line is no group over the rows below it
        assert not [f for f in rec.finance if f.line_path and f"{first_line} /" in f.line_path]


def test_seinajoki_p72_key() -> None:
    """Joined, the line is the financing statement's disposal proceeds (the lexicon knows it)."""
    rec = page_records(SEINAJOKI, (1, 72))
    found = [f for f in rec.finance if f.line_label == "Pysyvien vastaavien hyödykkeiden luovutustulot"]
    assert {f.line_key for f in found} == {"disposal_proceeds"}


@pytest.mark.parametrize(("text", "is_open"), [
    ("Muut pitkävaikutteiset menot (aineettomat", True),
    ("Tuet ja avustukset,", True),
    ("Maksut jäsenkunnille (ulkoiset)", False),
    ("Muut kiinteät rakenteet", False),
])
def test_ends_open(text: str, is_open: bool) -> None:
    assert ends_open(text) is is_open


@pytest.mark.parametrize(("label", "amount"), [
    ("Erotus", 2727), ("Muut maksuvalmiuden muutokset", -5946), ("Kassavarojen muutos", -3220), ("Yhteensä", 2727),
])
def test_rows_under_one_underline_stay_rows(label: str, amount: float) -> None:
    """Seinäjoki p. 67 'KOKONAISTULOT JA -MENOT VUODELTA 2024': the rule under '336 523' and the one under
    '-3 220' close a band holding four lines, three of them with a figure of their own: four rows, not one
    row printing '2 727 -5 946 -3 220'."""
    rec = page_records(SEINAJOKI, (1, 67))
    found = [f for f in rec.finance if f.line_label == label and f.column_label == "1 000 €"]
    assert [f.amount for f in found] == [amount]
    assert not [i for i in rec.issues if i.code == "not_a_number"]


def test_a_label_line_ending_in_a_bracketed_sign_stays_in_the_label() -> None:
    """Kauhava p. 142, note 16: the label's first line ends 'erotus (-' right at the ruled value cell, its
    figures stand on the second line ('tai +) Poistoeron muutokset yhteensä'); '(-' was read into the 2024
    cell, '(- 129 112,04' not a number, and the label joined as '(-tai +)'."""
    rec = page_records(KAUHAVA, (142,))
    label = "Suunnitelman mukaisten poistojen ja verotuksessa tehtyjen poistojen erotus (- tai +) " \
            "Poistoeron muutokset yhteensä"
    found = [f for f in rec.finance if " ".join(f.line_label.split()) == label]
    assert sorted((f.column_label, f.amount, f.unit) for f in found) == [
        ("2023", 144386.28, "EUR"), ("2024", 129112.04, "EUR")]
    assert not [i for i in rec.issues if i.code == "not_a_number"]


@pytest.mark.parametrize(("lines", "joined"), [
    (["erotus (-", "tai +) yhteensä"], "erotus (- tai +) yhteensä"),
    (["marknadsförings-", "sakkunniga"], "marknadsförings-sakkunniga"),
])
def test_a_line_break_hyphen_is_a_word_hyphen_only_after_a_letter(lines: list[str], joined: str) -> None:
    assert join_pieces(lines) == joined
    assert join_wrapped(lines) == joined
