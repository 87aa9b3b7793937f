"""Value-table rows in the IR: one cell per column, in column order, the blank ones without a place.

extractors.pdf.tables builds each row's cells by column and gives every blank cell one shared provenance
(`tables.NOWHERE`): the IR must read as if each had its own empty one. Inputs are the project's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pdf.tables import NOWHERE
from extractors.pipeline import load_document
from models import Cell, Table

CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "cases"


def _tables(name: str) -> list[Table]:
    pdf = next(CASES.glob(f"{name}-*.pdf"), None)
    if pdf is None:
        pytest.fail(f"missing case {name}")
    return [item for item in load_document(pdf, ocr=None).items if isinstance(item, Table)]


def test_b06_sparse_rows_have_a_cell_for_every_column_and_blank_cells_have_no_place() -> None:
    tables = [t for t in _tables("B06") if t.rows and t.label_columns]
    assert tables
    blank = 0
    for table in tables:
        width = len(table.header)
        for row in table.rows:
            assert [c.col for c in row.cells] == list(range(width))
            for cell in row.cells:
                if cell.text:
                    assert cell.prov.page is not None and cell.prov.bbox is not None
                elif cell.prov is NOWHERE:
                    blank += 1
                    assert cell.model_dump() == Cell(text="", col=cell.col).model_dump()
    assert blank > 0  # the case leaves cells of its budget rows blank ('Avgiftsintäkter' prints one figure)
