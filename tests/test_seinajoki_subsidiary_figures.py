"""Seinäjoki, Tilinpäätös 2024, section 8.1 continued: one page per subsidiary (PDF pages 128-141),
'Tytäryhteisö | <company>' over a key-figure table 'Tunnusluku (euroa) | TP 2023 | TA 2024 | TP 2024 |
MUUTOS TP2023/2024'.

Every expected value was read from the rendered page (pages are those of the PDF; each test cuts the
document to the pages listed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import RecordSet
from tests.pdf_pages import page_records

SEINAJOKI = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real" / \
    "fi_seinajoki_tilinpaatos_2024.pdf"
PAGES = (1, 131, 136, 137, 141)


def records() -> RecordSet:
    return page_records(SEINAJOKI, PAGES)


@pytest.mark.parametrize(("company", "label", "column", "kind", "year", "amount", "marker"), [
    # p. 131: figures with footnote stars; the printed change has the opposite sign of TP 2024 - TP 2023
    ("Kiinteistö Oy Seinäjoen Palvelutalot", "Nettoinvestoinnit", "TP 2023", "actual", 2023, 1600000, "*"),
    ("Kiinteistö Oy Seinäjoen Palvelutalot", "Nettoinvestoinnit", "TA 2024", "budget", 2024, 19000000, "**"),
    ("Kiinteistö Oy Seinäjoen Palvelutalot", "Liikevaihto", "MUUTOS TP2023/2024", "difference", 2024, -514506,
     None),
    # p. 136: a label wrapped over two lines, 'Nettoinvestoinnit (sis.' / 'keskeneräiset)'
    ("Seinäjoen Energia", "Nettoinvestoinnit (sis. keskeneräiset)", "TP 2023", "actual", 2023, 11122625, None),
    ("Seinäjoen Energia", "Nettoinvestoinnit (sis. keskeneräiset)", "TA 2024", "budget", 2024, 17000000, None),
    ("Seinäjoen Energia", "Nettoinvestoinnit (sis. keskeneräiset)", "MUUTOS TP2023/2024", "difference", 2024,
     4344201, None),
    ("Seinäjoen Energia", "Konsernin sisäiset lainat 31.12.", "TP 2024", "actual", 2024, 53526346, None),
    # p. 137: '- 565 051', a minus sign printed apart from its figure
    ("Seinäjoen kaupunginteatteri Oy", "Liikevoitto/-tappio", "TP 2023", "actual", 2023, -565051, None),
    ("Seinäjoen kaupunginteatteri Oy", "Tilikauden voitto/-tappio (ennen TP-siirtoja ja veroja)",
     "MUUTOS TP2023/2024", "difference", 2024, 458536, None),
    # p. 141
    ("Sevas Kodit Oy", "Ulkoiset lainat 31.12.", "TA 2024", "budget", 2024, 87000000, None),
    ("Sevas Kodit Oy", "Nettoinvestoinnit", "MUUTOS TP2023/2024", "difference", 2024, 9148642, None),
])
def test_subsidiary_key_figure(company: str, label: str, column: str, kind: str, year: int, amount: float,
                               marker: str | None) -> None:
    found = [f for f in records().finance if f.unit_name == company and f.line_path == label
             and f.column_label == column]
    assert len(found) == 1, [(f.unit_name, f.line_path, f.column_label) for f in records().finance]
    figure = found[0]
    assert (figure.figure_kind, figure.year, figure.amount, figure.unit, figure.multiplier, figure.note_marker,
            figure.entity_scope) == (kind, year, amount, "EUR", 1, marker, "subsidiary")


def test_net_investments_including_work_in_progress_are_net_investments() -> None:
    """p. 136 'Nettoinvestoinnit (sis. keskeneräiset)' is the line the other companies print as
    'Nettoinvestoinnit' (p. 141: 5 715 321 | … | 14 863 962 | +9 148 642; no TA 2024 figure)."""
    keys: dict[str, set[str | None]] = {}
    for f in records().finance:
        if f.line_path.startswith("Nettoinvestoinnit"):
            keys.setdefault(f.unit_name or "", set()).add(f.line_key)
    assert keys == {name: {"net_investments"} for name in (
        "Kiinteistö Oy Seinäjoen Palvelutalot", "Seinäjoen Energia", "Seinäjoen kaupunginteatteri Oy",
        "Sevas Kodit Oy")}
    sevas = {f.column_label for f in records().finance
             if f.unit_name == "Sevas Kodit Oy" and f.line_key == "net_investments"}
    assert sevas == {"TP 2023", "TP 2024", "MUUTOS TP2023/2024"}  # '…' under TA 2024 is no figure


def test_a_printed_change_that_does_not_add_up_is_an_error() -> None:
    """p. 131 prints Liikevaihto 3 540 990 (TP 2023) and 4 055 496 (TP 2024) with a change of -514 506:
    kept as printed, and the difference check says it is not TP 2024 - TP 2023 (+514 506)."""
    found = [v for v in records().validation if v.check == "difference_column" and v.severity == "error"]
    assert [(v.unit_name, v.actual, v.expected) for v in found] == \
        [("Kiinteistö Oy Seinäjoen Palvelutalot", -514506, 514506)]
