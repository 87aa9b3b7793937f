"""A table that ends with room left on its page does not go on with the next page's text.

Seinäjoki p. 132 (printed 128): the key-figure table 'Tunnusluku (euroa) | TP 2023 | TA 2024 | TP 2024 |
MUUTOS TP2023/2024' of Kiinteistö Oy Seinäjoen Ruokatalo ends two thirds down the page; p. 133 opens with
the next company's 'Tytäryhteisö | Lakeuden Vesi Oy' block. Page 15, a full page of text, is kept in the
cut so that the document's full-page bottom is known as in the whole report. Values read from the pages.
"""

from __future__ import annotations

from pathlib import Path


from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"


records = page_records


def test_table_ending_mid_page_stays_on_its_page() -> None:
    rec = records(SEINAJOKI, (15, 132, 133))  # cut pages 1, 2, 3
    invest = [f for f in rec.finance if f.line_label == "Nettoinvestoinnit" and f.column_label == "TP 2023"]
    assert sorted(f.amount for f in invest) == [330000, 850290]  # Ruokatalo p. 132, Lakeuden Vesi p. 133
    first = next(f for f in invest if f.amount == 330000)
    quality = next(q for q in rec.table_quality if q.table_id == first.table_id)
    assert quality.pages == [2] and not quality.continued
    texts = {c.text for c in rec.tables if c.table_id == first.table_id}
    assert "Lakeuden Vesi Oy" not in texts and "Tytäryhteisö" not in texts


def test_table_reaching_the_page_end_goes_on() -> None:
    """Kauhava p. 128 (printed 127/157): the financing statement ends at the page's foot and goes on on p. 129
    with 'Rahavarojen muutos' (Rahavarat 31.12. 18 895 179,29 in 2024); a full page (p. 127) before it."""
    rec = records(KAUHAVA, (127, 128, 129))
    found = [f for f in rec.finance if f.line_label == "Rahavarat 31.12." and f.year == 2024]
    assert [f.amount for f in found] == [18895179.29]
    vuosikate = next(f for f in rec.finance if f.line_label == "Vuosikate" and f.year == 2024 and f.page == 2)
    assert vuosikate.table_id == found[0].table_id and vuosikate.amount == 9551587.40
