"""A finance table whose first page holds only its heading and one row goes on over the page break as one table.

Issue 10 ('Continuation ... also when its first page holds only one row'): a plan edition lost an area's whole table
this way. The PDF is drawn here the way such a page is laid out: a running header, an area's text filling the page,
a caption 'Driftsekonomi, 1 000 euro', the column headings and one row at the foot of page 1, the other rows at
the top of page 2 with no repeated heading.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extractors.pipeline import process_file

TEXT = "Verksamheten fortsätter enligt planen och målen för perioden. Centralen ansvarar för stadens förvaltning."
COLUMNS = (370, 450, 530)  # right edges of the value columns


def draw(path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4

    def furniture(number: int) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(60, height - 30, "Lovisa stad - Budget 2026 och ekonomiplan 2026-2028")
        canvas.drawRightString(width - 60, 30, str(number))

    def row(y: float, label: str, values: tuple[str, ...]) -> None:
        canvas.drawString(60, y, label)
        for right, value in zip(COLUMNS, values, strict=True):
            canvas.drawRightString(right, y, value)

    furniture(1)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(60, height - 70, "Stadskanslicentralen")
    canvas.setFont("Helvetica", 10)
    for line in range(42):  # down to 168 pt, above the caption
        canvas.drawString(60, height - 100 - 14 * line, TEXT)
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(60, 128, "Driftsekonomi, 1 000 euro")
    canvas.setFont("Helvetica-Bold", 9)
    row(108, "", ("BOKSLUT 2024", "BUDGET 2025", "BUDGET 2026"))
    canvas.setFont("Helvetica", 9)
    row(92, "Verksamhetens intäkter", ("1 200", "1 250", "1 300"))
    canvas.showPage()
    furniture(2)
    canvas.setFont("Helvetica", 9)
    row(height - 70, "Verksamhetens kostnader", ("-5 400", "-5 500", "-5 650"))
    row(height - 84, "Verksamhetsbidrag", ("-4 200", "-4 250", "-4 350"))
    canvas.setFont("Helvetica", 10)
    for line in range(30):
        canvas.drawString(60, height - 130 - 14 * line, TEXT)
    canvas.save()
    return path


def test_a_table_with_one_row_on_its_first_page_goes_on(tmp_path: Path) -> None:
    records = process_file(draw(tmp_path / "one-row.pdf"))[1]
    assert records.document.status == "ok"
    got = {(f.page, f.line_key, f.column_label): (f.amount, f.multiplier, f.figure_kind, f.year)
           for f in records.finance}
    assert len(got) == 9 and len({f.table_id for f in records.finance}) == 1
    assert got[(1, "operating_income", "BOKSLUT 2024")] == (1200, 1000, "actual", 2024)
    assert got[(2, "operating_costs", "BUDGET 2025")] == (-5500, 1000, "budget", 2025)
    assert got[(2, "operating_margin", "BUDGET 2026")] == (-4350, 1000, "budget", 2026)
    # the margin is checked against the rows of both pages: 1 300 - 5 650 = -4 350
    assert not [v for v in records.validation if v.severity in ("warning", "error")]
    assert {f.unit_name for f in records.finance} == {"Stadskanslicentralen"}
