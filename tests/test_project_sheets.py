"""Project sheets of a Swedish investment budget (Simrishamn, Kultur- och fritidsnämnden, 'Budgetskrivelse för
investeringar 2027-2031', pp. 5-26): one shaded, unruled two-column table per project ('Projekt (2) -
Valfisken | Projektbeskrivning'), whose amounts are printed in words of a text cell ('1450 tkr 2027, 750 tkr
2028. Projektets totala kalkylerade utgifter uppgår till 2 200 tkr.').

Every expected value was read from the rendered page of the real document (pages are those of the PDF).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from extractors.scaled_amounts import scaled_amounts
from models import RecordSet
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
BUDGET = REAL / "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"


@cache
def records(pages: tuple[int, ...]) -> RecordSet:
    if not BUDGET.exists():
        pytest.fail(f"missing input {BUDGET}")
    return process_file(cut_pages(BUDGET, pages, Path("/tmp") / "plandata-test-pages"))[1]


def _read(text: str) -> list[tuple[float, str, int, int | None, bool, bool, bool]]:
    return [(a.amount, a.unit, a.multiplier, a.year, a.yearly, a.total, a.example) for a in scaled_amounts(text, "sv")]


@pytest.mark.parametrize(("text", "expected"), [
    # p. 6, Valfisken: the year after the amount, the whole in its own sentence
    ("1450 tkr 2027, 750 tkr 2028. Projektets totala kalkylerade utgifter uppgår till 2 200 tkr.",
     [(1450, "SEK", 1000, 2027, False, False, False), (750, "SEK", 1000, 2028, False, False, False),
      (2200, "SEK", 1000, None, False, True, False)]),
    # p. 7, Hafreborg: the year before the amount ('2027 400 tkr' is no number 2 027 400)
    ("2027 400 tkr. 2028 100 tkr. Projektets totala kalkylerade utgifter uppgår till 4 024 tkr.",
     [(400, "SEK", 1000, 2027, False, False, False), (100, "SEK", 1000, 2028, False, False, False),
      (4024, "SEK", 1000, None, False, True, False)]),
    # p. 5, Korsavad: '2027 1 000 tkr' is 1 000 in 2027
    ("2027 1 000 tkr. 2028 500 tkr.", [(1000, "SEK", 1000, 2027, False, False, False),
                                       (500, "SEK", 1000, 2028, False, False, False)]),
    ("Årligen 150 tkr.", [(150, "SEK", 1000, None, True, False, False)]),  # p. 10
    ("50 tkr/år", [(50, "SEK", 1000, None, True, False, False)]),  # p. 19
    ("2027: 22 000 tkr", [(22000, "SEK", 1000, 2027, False, False, False)]),  # p. 11
    # p. 25, the form's guidance: example amounts, a span of years gives no single year
    ("T.ex.: År 2027: 3 000 tkr. År 2028–2031: 2 000 tkr respektive år.",
     [(3000, "SEK", 1000, 2027, False, False, True), (2000, "SEK", 1000, None, True, False, True)]),
    ("Överskottet blev 2,5 mnkr.", [(2.5, "SEK", 1000000, None, False, False, False)]),
    # no scale word: a bare currency, a question naming the unit
    ("Bidraget är 5 000 kr.", []),
    ("Vilken driftseffekt, exkl. kapitalkostnader, får projektet i tkr?", []),
])
def test_scaled_amounts(text: str, expected: list[tuple]) -> None:
    assert _read(text) == expected


def test_unread_project_amounts_make_the_document_partial() -> None:
    """pp. 1, 6, 12 (Valfisken, Ny konstgräsplan Korsavad): no table read there, so each page's amounts are
    named in an `amounts_not_read` warning and the document is partial, never silently ok."""
    rec = records((1, 6, 12))
    unread = {i.page: i.message for i in rec.issues if i.code == "amounts_not_read"}
    assert set(unread) == {2, 3}
    assert "'1450 tkr', '750 tkr', '2 200 tkr'" in unread[2]
    assert "'10 000 tkr', '50 tkr'" in unread[3]
    assert rec.document.status == "partial"
