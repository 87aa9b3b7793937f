"""A group whose rows are indented under its heading ends at the first row printed back at the heading's
indent, bold heading or not (`extractors.pdf.rows._group`); a group whose rows stand at the heading's indent
is told by the heading's bold type, as before.

Values read from the rendered pages:
- Kauhava financial statement 2024, 1-based PDF page 33 (printed 32/157, 'RAHOITUSLASKELMA JA SEN
  TUNNUSLUVUT', 1 000 €): bold 'Investointien rahavirta', its indented lines, then 'Toiminnan ja
  investointien rahavirta' -1 298 | -612 in plain type back at the heading's indent: a line of its own.
- Kauhava p. 49 (group cash flow): 'Toiminnan ja investointien rahavirta' -2 753 | 1 623, likewise.
- Seinäjoki financial statement 2024, 1-based PDF page 73 (printed 70, group balance sheet): bold
  'Sijoitukset' and its indented lines, then bold 'TOIMEKSIANTOJEN VARAT' 3 502 | 3 322 at the heading's indent.
- Counterexample, Kauhava p. 33: 'Antolainasaamisten lisäykset' 4 052 | 1 096 stays under the bold
  'Rahoituksen rahavirta', whose first row 'Antolainauksen muutokset' stands at its indent in plain type.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdf_pages import page_records

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
KAUHAVA = REAL / "fi_kauhava_tilinpaatos_2024.pdf"
SEINAJOKI = REAL / "fi_seinajoki_tilinpaatos_2024.pdf"


def paths(pdf: Path, page: int, label: str) -> list[tuple[str, str, float]]:
    rec = page_records(pdf, (page,))
    return [(f.line_path, f.column_label, f.amount) for f in rec.finance if f.line_label == label]


def test_a_total_back_at_the_headings_indent_closes_the_indented_group() -> None:
    assert paths(KAUHAVA, 33, "Toiminnan ja investointien rahavirta") == [
        ("Toiminnan ja investointien rahavirta", "2024 1 000 €", -1298),
        ("Toiminnan ja investointien rahavirta", "2023 1 000 €", -612)]
    assert paths(KAUHAVA, 49, "Toiminnan ja investointien rahavirta") == [
        ("Toiminnan ja investointien rahavirta", "2024 1 000 €", -2753),
        ("Toiminnan ja investointien rahavirta", "2023 1 000 €", 1623)]
    assert paths(KAUHAVA, 33, "Investointimenot") == [
        ("Investointien rahavirta / Investointimenot", "2024 1 000 €", 12332),
        ("Investointien rahavirta / Investointimenot", "2023 1 000 €", 16882)]


def test_a_top_level_balance_sheet_line_after_an_indented_group() -> None:
    assert paths(SEINAJOKI, 73, "TOIMEKSIANTOJEN VARAT") == [
        ("TOIMEKSIANTOJEN VARAT", "2024 1 000 €", 3502), ("TOIMEKSIANTOJEN VARAT", "2023 1 000 €", 3322)]
    assert paths(SEINAJOKI, 73, "Muut saamiset") == [
        ("Sijoitukset / Muut saamiset", "2024 1 000 €", 178), ("Sijoitukset / Muut saamiset", "2023 1 000 €", 179)]


def test_rows_at_a_bold_headings_indent_stay_in_its_group() -> None:
    assert paths(KAUHAVA, 33, "Antolainasaamisten lisäykset") == [
        ("Rahoituksen rahavirta / Antolainasaamisten lisäykset", "2024 1 000 €", 4052),
        ("Rahoituksen rahavirta / Antolainasaamisten lisäykset", "2023 1 000 €", 1096)]
