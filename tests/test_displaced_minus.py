"""A minus sign wrapped onto the line above its figure belongs to that figure (extractors.pdf.sign_lines).

Kauhava's financial statement 2024, p. 116 '2.3 Tuloslaskelmaosan toteutuminen' (expected values read from
the rendered page): a lone '-' stands over the right edge of 'TOIMINTAKULUT' in the original budget, the
amended budget and the actual column (not over '0,00' of the changes nor over the variance 308 971,94),
and over the actual figure of 'Toimintakate/Jäämä'. The page's own sum proves the sign: 6 228 970 +
105 990 - 46 525 690 = -40 190 730, the printed operating margin. Before, TOIMINTAKULUT was stored as
+46 525 690 / +46 216 718,06 and validation blamed the document (a variance mismatch, mixed cost signs).
"""

from __future__ import annotations

from pathlib import Path

from models import RecordSet
from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
COLUMNS = ("Alkuperäinen talousarvio", "Talousarviomuutokset", "Talousarvio muutosten jälkeen", "Toteutuma",
           "Poikkeama")


def _records() -> RecordSet:
    return page_records(KAUHAVA, (1, 116))  # the title page makes it a financial statement; p. 116 is page 2


def _row(rec: RecordSet, label: str) -> tuple[float, ...]:
    by_column = {f.column_label: f.amount for f in rec.finance
                 if f.page == 2 and " ".join(f.line_label.split()) == label}
    return tuple(by_column.get(column) for column in COLUMNS)


def test_wrapped_minus_goes_on_the_figure_below() -> None:
    rec = _records()
    assert _row(rec, "TOIMINTAKULUT") == (-46525690.0, 0.0, -46525690.0, -46216718.06, 308971.94)
    assert _row(rec, "Toimintakate/Jäämä") == (-40190730.0, 0.0, -40190730.0, -38396165.19, 1794564.81)


def test_the_row_above_the_signs_keeps_its_own() -> None:
    rec = _records()
    assert _row(rec, "Valmistus omaan käyttöön") == (105990.0, 0.0, 105990.0, 94785.53, -11204.47)
    assert _row(rec, "Muut toimintakulut") == (-1638280.0, 0.0, -1638280.0, -1442373.18, 195906.82)


def test_the_table_adds_up_with_one_cost_sign() -> None:
    rec = _records()
    found = [(v.check, v.severity, v.message) for v in rec.validation if v.page == 2]
    assert not [f for f in found if f[0] == "sign_convention"], found
    assert not [f for f in found if "TOIMINTAKULUT" in (f[2] or "")], found
