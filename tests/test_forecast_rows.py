"""A row that names a forecast over a column's figures ('TP-ennuste'): the figures below it are forecasts.

Expected values read from the rendered page: Seinäjoki p. 20 (printed 17), 'Toimintakatevertailu', the
peer cities' 'TP-2024' figures stand under a row 'TP-ennuste' printed in that column (preliminary
statements), Seinäjoki's own row above it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.finance_columns import qualifier_kinds
from extractors.pipeline import process_file
from models import Cell, RecordSet, TableRow
from tests.pdf_pages import cut_pages

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


@cache
def records() -> RecordSet:
    if not SEINAJOKI.exists():
        pytest.fail(f"missing input {SEINAJOKI}")
    return process_file(cut_pages(SEINAJOKI, (1, 20), Path("/tmp") / "plandata-test-pages"))[1]


@pytest.mark.parametrize(("line", "column", "expected"), [
    ("Seinäjoki", "TP-2024", ("actual", 2024, 2684)),
    ("Hämeenlinna", "TP-2024", ("forecast", 2024, 2178)),
    ("Vaasa", "TP-2024", ("forecast", 2024, 2723)),
    ("Keskiarvo", "TP-2024", ("forecast", 2024, 2409)),
    ("Hämeenlinna", "TP-2023", ("actual", 2023, 2285)),
    ("Kuopio", "Muutos-% 2024/2023", ("percent_change", 2024, -1.0)),
])
def test_forecast_row_over_a_column(line: str, column: str, expected: tuple[str, int, float]) -> None:
    found = [f for f in records().finance if f.line_path == line and f.column_label == column]
    assert len(found) == 1, [(f.line_path, f.column_label) for f in records().finance][:20]
    assert (found[0].figure_kind, found[0].year, found[0].amount) == expected


def _row(*texts: str) -> TableRow:
    return TableRow(cells=[Cell(text=t, col=i) for i, t in enumerate(texts)])


def test_qualifier_rows_only() -> None:
    assert qualifier_kinds(_row("", "", "TP-ennuste", ""), "", 1, "fi") == {2: "forecast"}
    assert qualifier_kinds(_row("", "Prognos"), "", 1, "sv") == {1: "forecast"}
    assert qualifier_kinds(_row("Vaasa", "2 723"), "Vaasa", 1, "fi") == {}  # a row of figures
    assert qualifier_kinds(_row("", "Huom."), "", 1, "fi") == {}  # text that names no kind
    assert qualifier_kinds(_row("", "TP-ennuste", "selite"), "", 1, "fi") == {}  # not every cell qualifies
