"""Figures printed as a table row outside every table make a document partial, never silently short."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.completeness import misplaced_cells, record_misplaced_cells, stray_rows
from extractors.pipeline import load_document, process_file
from tests.pdf_pages import page_records
from models import BBox, Block, Cell, PlanDocument, Provenance, Table, TableQuality, TableRow


def _doc(*texts: str) -> PlanDocument:
    return PlanDocument(document_id="x", source_path="x.pdf", source_format="pdf", language="fi",
                        items=[Block(kind="paragraph", text=t, prov=Provenance(page=2)) for t in texts])


@pytest.mark.parametrize("text", [
    "Toimintakulut -45 232 597 -46 047 100 -45 812 900 -47 272 600 -46815500",
    "Henkilöstökulut 21 408 939- (21 012 800) −20 587 600 –20 680 600 - 21 532 800",
    "Muut toimintatuotot 127 396 133 400 139 400 – -",
    "Toimintakate -\u200b22.638.575",  # one figure after a line the finance lexicon knows
    "Nettoinvesteringar 2 329 5 403",
    "Toimintatuotot 1.305.950 1.480.000 +174.050",
    "Toimintakulut -\u200b4 509 080 -\u200b4 641 000 -\u200b4 592 543 1,\u200b85 % -\u200b48 457",
    "Inventarier, löpande 0,800 0,617 0,183",
])
def test_table_rows_outside_tables_are_found(text: str) -> None:
    assert [b.text for b in stray_rows(_doc(text))] == [text]


@pytest.mark.parametrize("text", [
    "Henkilötyövuosia on talousarviossa 412.",
    "Sivistyslautakunta TALOUSARVIO 2025",
    "TP 2023 TA 2024 TA 2025 TS 2026 TS 2027",
    "Puhelinnumero: 06 438 4111",
    "Hyvinvointilautakunta, § 7, 22.01.2025",
    "1.1.1 Kaupunginjohtajan katsaus vuoteen 2024 ........................ 5",
    "Investointiosan hankkeet esitetään investointiohjelmassa sivulla 58",
    "Lautakunnan talousarvio on laadittu kaupunginhallituksen antaman raamin mukaisesti ja se on 1 234 567 "
    "euroa pienempi kuin vuonna 2024 ja 2025",
    "Ekonomiplan 2025 2026 2027",
])
def test_running_text_with_numbers_is_not_a_row(text: str) -> None:
    assert stray_rows(_doc(text)) == []


EXPORT = """Tekninen lautakunta

Vastuuhenkilö: tekninen johtaja

Käyttötalous, euroa

\tTA 2024\tTA 2025
Toimintatuotot\t2 855 800\t2 889 800
Toimintakulut\t-46 047 100\t-45 812 900
Toimintakate -43 191 300 -42 923 100
"""


def test_a_total_row_that_fell_out_of_its_table_makes_the_document_partial(tmp_path: Path) -> None:
    path = tmp_path / "tekninen.txt"
    path.write_text(EXPORT, encoding="utf-8")
    _, records = process_file(path)
    assert records.document.status == "partial"
    assert "'Toimintakate -43 191 300 -42 923 100' prints figures outside every table" in records.document.message
    assert [i.code for i in records.issues if i.severity == "error"] == ["figures_outside_table"]
    whole = tmp_path / "whole.txt"
    whole.write_text(EXPORT.replace("Toimintakate -43 191 300 -42 923 100", "Toimintakate\t-43 191 300\t-42 923 100"),
                     encoding="utf-8")
    _, records = process_file(whole)
    assert records.document.status == "ok", records.document.message
    assert records.document.checked_share == 1.0


def test_the_samples_print_no_row_outside_their_tables() -> None:
    for path in sorted((Path(__file__).resolve().parent.parent / "samples").iterdir()):
        if path.suffix in (".pdf", ".txt"):
            assert stray_rows(load_document(path)) == [], path.name


def _table(rows: list[list[tuple[str, float] | None]]) -> Table:
    """Right-aligned figures: each cell (text, right edge); None is a blank cell."""
    body = []
    for index, cells in enumerate(rows):
        top = 100 + 12 * index
        row_cells = [Cell(text=f"Rivi {index}", col=0, prov=Provenance(page=1, bbox=BBox(x0=40, top=top, x1=90,
                                                                                           bottom=top + 9)))]
        for col, cell in enumerate(cells, start=1):
            if cell is None:
                row_cells.append(Cell(text="", col=col))
                continue
            text, right = cell
            row_cells.append(Cell(text=text, col=col, prov=Provenance(
                page=1, bbox=BBox(x0=right - 5 * len(text), top=top, x1=right, bottom=top + 9))))
        body.append(TableRow(cells=row_cells, prov=Provenance(page=1)))
    header = [Cell(text="", col=0)] + [Cell(text=f"TA {2023 + c}", col=c) for c in range(1, 4)]
    return Table(table_id="t1", header=header, rows=body,
                 quality=TableQuality(columns=4, rows=len(body), fill_ratio=1.0))


def test_figures_shifted_into_another_column_are_found() -> None:
    full = [("1 000", 150.0), ("2 000", 220.0), ("3 000", 290.0)]
    table = _table([full, full, full, [("40 000", 220.0), ("50 000", 290.0), None]])  # a blank lost: shifted left
    found = [(row.text(0), cell.text, cell.col, col) for row, cell, col in misplaced_cells(table)]
    assert found == [("Rivi 3", "40 000", 1, 2), ("Rivi 3", "50 000", 2, 3)]
    doc = _doc()
    record_misplaced_cells(doc, table, {1: "TA 2024", 2: "TA 2025", 3: "TA 2026"})
    assert [i.severity for i in doc.issues] == ["error", "error"]
    assert "'40 000' was read as TA 2024 but stands under TA 2025" in doc.issues[0].message


def test_blank_cells_in_place_are_not_shifts() -> None:
    full = [("1 000", 150.0), ("2 000", 220.0), ("3 000", 290.0)]
    table = _table([full, full, full, [None, ("50 000", 220.0), ("600", 290.0)], [("7", 150.0), None, None]])
    assert misplaced_cells(table) == []



def test_a_column_without_a_heading_is_named_by_its_index() -> None:
    full = [("1 000", 150.0), ("2 000", 220.0), ("3 000", 290.0)]
    table = _table([full, full, full, [("40 000", 220.0), ("50 000", 290.0), None]])
    doc = _doc()
    record_misplaced_cells(doc, table, {1: "TA 2024", 2: "", 3: "TA 2026"})
    assert [i.message.split(": ", 1)[1] for i in doc.issues] == [
        "'40 000' was read as TA 2024 but stands under column 2 (a cell may have been lost)",
        "'50 000' was read as column 2 but stands under TA 2026 (a cell may have been lost)"]


def test_three_figures_two_of_one_width_are_judged_by_their_right_edges() -> None:
    """Seinäjoki TP 2024 p. 143 (VALTIONOSUUKSIEN ERITTELY), read from the rendered page: under
    'Alkuperäinen talousarvio', 'Talousarvio-muutokset', 'Talousarvio muutosten jälkeen' the rows print
    '25 000 000 | -1 500 000 | 23 500 000', '0 | 0 | 0' and '25 000 000 | -1 500 000 | 23 500 000', each right-
    aligned in its column: the zeros stand in place (the left edges of three figures, two of one width, tie
    with the right edges on the median deviation)."""
    table = _table([[("25 000 000", 150.0), ("-1 500 000", 220.0), ("23 500 000", 290.0)],
                    [("0", 150.0), ("0", 220.0), ("0", 290.0)],
                    [("25 000 000", 150.0), ("-1 500 000", 220.0), ("23 500 000", 290.0)]])
    assert misplaced_cells(table) == []


def test_seinajoki_state_subsidy_zeros_read_in_place() -> None:
    pdf = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real" / \
        "fi_seinajoki_tilinpaatos_2024.pdf"
    rec = page_records(pdf, (143,))
    assert not [i for i in rec.issues if i.code == "cell_outside_column"]
    zeros = [(f.column_label, f.amount) for f in rec.finance
             if f.line_label == "Opetus-ja kulttuuritoimen muut valtionosuudet"]
    assert zeros == [("Alkuperäinen talousarvio", 0), ("Talousarviomuutokset", 0),
                     ("Talousarvio muutosten jälkeen", 0), ("Toteutuma", -2659356),
                     ("Poikkeama + yli / -alle", -2659356)]
