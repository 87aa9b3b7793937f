"""Label columns that are no part of a finance line label (attribute, flag and row-type columns), and
words that a narrow label column broke without a hyphen.

Every expected value was read from the rendered page of the real document (pages are those of the PDF).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.labels import join_broken_words
from extractors.pipeline import process_file
from extractors.row_attributes import is_flag_column, names_attribute
from models import RecordSet
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SIMRISHAMN = REAL / "se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf"
LAPUA_SIV_10_2025 = REAL / "fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf"
LAPUA_TEKN = REAL / "fi_lapua_tekninen_lautakunta_poytakirja_2025-01-28.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


@cache
def records(pdf: Path, pages: tuple[int, ...] | None = None) -> RecordSet:
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    path = cut_pages(pdf, pages, Path("/tmp") / "plandata-test-pages") if pages else pdf
    return process_file(path)[1]


def figure(rec: RecordSet, path: str, column: str) -> tuple[str, str | None, int | None, float, str | None, int]:
    found = [f for f in rec.finance if f.line_path == path and f.column_label == column]
    assert len(found) == 1, f"{path} / {column}: {sorted({f.line_path for f in rec.finance})}"
    f = found[0]
    return f.line_label, f.figure_kind, f.year, f.amount, f.unit, f.multiplier


# Simrishamn's investment letter p. 4 (printed 'SID 3 (25)'): 'Prio | Status | Proj Nr | Investeringar (tkr)
# | Budget 2027 | Plan 2028 ... | Total utgift'; the project names wrap in a narrow column, two of them
# broken inside a word ('tillgängliggöran' / 'de', 'digitalise' / 'ring').
@pytest.mark.parametrize(("path", "column", "kind", "year", "amount"), [
    ("Utrustning uppstart Korsavadsanläggningen", "Budget 2027", "budget", 2027, 1000),
    ("Ombyggnad/tillgängliggörande Hafreborg", "Budget 2027", "budget", 2027, 400),
    ("Ombyggnad/tillgängliggörande Hafreborg", "Total utgift", "total", None, 4024),
    ("Tillgängliggörande/digitalisering magasinet Garvaren", "Plan 2028", "plan", 2028, 100),
    ("Tillgängliggörande/digitalisering magasinet Garvaren", "Total utgift", "total", None, 2975),
    ("Konstinköp till kommunens konstsamling", "Plan 2031", "plan", 2031, 125),
    ("Sorteringsanläggning Biblioteket", "Plan 2030", "plan", 2030, 1500),
    ("Bokbuss", "Plan 2029", "plan", 2029, 4500),
    ("Reinvesteringar", "Budget 2027", "budget", 2027, 1200),  # p. 5, Proj Nr 6016 in its own column
])
def test_simrishamn_project_labels_without_prio_status_and_number(path: str, column: str, kind: str,
                                                                  year: int | None, amount: float) -> None:
    rec = records(SIMRISHAMN, (4, 5))
    assert figure(rec, path, column) == (path, kind, year, amount, "SEK", 1000)


def test_simrishamn_attribute_cells_stay_in_tables() -> None:
    rec = records(SIMRISHAMN, (4, 5))
    labels = {f.line_label for f in rec.finance}
    assert not any(label[:1].isdigit() for label in labels), sorted(labels)  # no '3 P 6012 ...'
    row = [c for c in rec.tables if any("Hafreborg" in p for p in c.row_path)]
    texts = {c.column: c.text for c in row}
    assert (texts[0], texts[1], texts[2]) == ("3", "P", "6012")  # Prio, Status, Proj Nr as printed
    assert all(c.is_label for c in row if c.column < 4)  # the table's label columns, as the layout found them


# Lapua sivistyslautakunta 10/2025 p. 11: 'Koneet ja kalusto / Sivistyslautakunta | Talous | 2026 | 2027 |
# 2028 | Yhteensä', the 'Talous' column printing 'menot' on every row.
@pytest.mark.parametrize(("path", "label", "column", "amount"), [
    ("97001 Yläkoulu / menot", "97001 Yläkoulu", "2026", -28000),
    ("97012 Hallinto / menot", "97012 Hallinto", "2028", -10000),
    ("97051 Varhaiskasvatus / menot", "97051 Varhaiskasvatus", "Yhteensä", -40000),
    ("Yhteensä / menot", "Yhteensä", "Yhteensä", -229000),
])
def test_lapua_row_type_column_follows_the_label(path: str, label: str, column: str, amount: float) -> None:
    found = figure(records(LAPUA_SIV_10_2025, (11,)), path, column)
    assert (found[0], found[3], found[4], found[5]) == (label, amount, "EUR", 1)


def test_lapua_cost_centre_code_in_the_only_label_column_stays() -> None:
    """Tekninen lautakunta 1/2025 p. 20: the only label column is headed 'Kustannuspaikka' and prints the
    code with the name ('092234 Ritavuoren koulun kenttä'): it is the label, code included."""
    rec = records(LAPUA_TEKN, (20, 21))
    labels = {f.line_label for f in rec.finance}
    assert "092234 Ritavuoren koulun kenttä" in labels, sorted(labels)


# Seinäjoki p. 147 (printed 143), section 8.5: a binding-level column '*) B' printing 'B' beside each line.
@pytest.mark.parametrize(("path", "column", "amount"), [
    ("KÄYTTÖTALOUSOSA / 130 Yleishallinto", "Määrärahat 1000€ Toteutuma", 5446),
    ("KÄYTTÖTALOUSOSA / 130 Yleishallinto", "Tuloarviot 1000€ TA:n muutokset", 3722),
    ("KÄYTTÖTALOUSOSA / 610 Toimitilat", "Tuloarviot 1000€ Toteutuma", 49823),
    ("TULOSLASKELMAOSA / Verotulot", "Tuloarviot 1000€ Alkup. talousarvio", 171000),
    ("INVESTOINTIOSA / Koneet ja kalusto", "Määrärahat 1000€ Poikkeama", 1622),
])
def test_seinajoki_binding_level_flag_is_not_in_the_label(path: str, column: str, amount: float) -> None:
    found = figure(records(SEINAJOKI, (1, 147)), path, column)
    assert (found[3], found[4], found[5]) == (amount, "EUR", 1000)


def test_seinajoki_known_lines_once_the_flag_is_gone() -> None:
    rec = records(SEINAJOKI, (1, 147))
    keys = {f.line_path: f.line_key for f in rec.finance}
    assert keys["TULOSLASKELMAOSA / Verotulot"] == "tax_revenue"
    assert keys["INVESTOINTIOSA / Koneet ja kalusto"] == "machinery_and_equipment"


@pytest.mark.parametrize(("heading", "expected"), [
    ("Prio", True), ("Pri o", True), ("Stat us", True), ("Proj Nr", True), ("Kustannuspaikka", True),
    ("Investeringar (tkr)", False), ("Talous", False), ("Koneet ja kalusto / Sivistyslautakunta", False),
    ("Projekti", False),
])
def test_attribute_headings(heading: str, expected: bool) -> None:
    assert names_attribute(heading, None) is expected


def test_flag_column_is_one_repeated_mark() -> None:
    assert is_flag_column(["B", "B", "B", "B"])
    assert not is_flag_column(["B", "B"])  # too few rows to tell
    assert not is_flag_column(["P", "N", "P"])  # a status column: its heading decides
    assert not is_flag_column(["1", "1", "1"])  # numbers are no flags


@pytest.mark.parametrize(("pieces", "words", "expected"), [
    (["Ombyggnad/tillgängliggöran", "de Hafreborg"], {"tillgängliggörande"},
     ["Ombyggnad/tillgängliggörande Hafreborg"]),
    (["Tillgängliggörande/digitalise", "ring magasinet"], {"digitalisering"},
     ["Tillgängliggörande/digitalisering magasinet"]),
    # counterexamples: a whole word wrapped; a capital goes on; a line of two words
    (["Toimintatuotot", "yhteensä"], {"toimintatuotot", "yhteensä"}, ["Toimintatuotot", "yhteensä"]),
    (["Sorteringsanläggning", "Biblioteket"], {"sorteringsanläggningbiblioteket"},
     ["Sorteringsanläggning", "Biblioteket"]),
    (["Hittbarhet och tillgänglighet", "i museum"], {"tillgängligheti"}, ["Hittbarhet och tillgänglighet", "i museum"]),
])
def test_join_broken_words(pieces: list[str], words: set[str], expected: list[str]) -> None:
    assert join_broken_words(pieces, words) == expected
