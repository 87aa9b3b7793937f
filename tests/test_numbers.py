"""The number grammar: every example of lexicons/numbers.yml, the cases' printed tokens, real minutes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from extractors.numbers import (
    NotANumber,
    clean_number_text,
    grammar,
    is_empty_figure,
    is_footnote,
    is_number,
    leading_marker,
    parse_amount,
    parse_number,
    read_number,
    worked_result,
)

DATA = grammar().data
CASES_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "cases"
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


@pytest.mark.parametrize("example", DATA["worked"], ids=lambda e: repr(e["printed"]))
def test_a_worked_calculation_gives_its_result(example: dict) -> None:
    parsed = worked_result(example["printed"])
    assert parsed is not None and parsed.value == Decimal(example["value"])
    assert parsed.printed == example["printed"] and parsed.assumption
    with pytest.raises(NotANumber):
        read_number(example["printed"])  # the cell as a whole is no number


@pytest.mark.parametrize("example", DATA["not_worked"], ids=lambda e: repr(e["printed"]))
def test_a_calculation_that_does_not_add_up_gives_nothing(example: dict) -> None:
    assert worked_result(example["printed"]) is None, example["reason"]


@pytest.mark.parametrize("example", DATA["examples"], ids=lambda e: repr(e["printed"]))
def test_printed_examples_read_as_written(example: dict) -> None:
    parsed = read_number(example["printed"])
    assert parsed.value == Decimal(example["value"])
    assert str(parsed.value) == example["value"]  # exactly as printed: trailing zeros kept, never rounded
    assert parsed.decimals == example.get("decimals", 0)
    assert parsed.is_percent == example.get("percent", False)
    assert parsed.note_marker == example.get("marker")
    assert parsed.printed == example["printed"]
    assert bool(parsed.assumption) == example.get("ambiguous", False), parsed.assumption
    assert is_number(example["printed"])
    assert parse_amount(example["printed"]) == Decimal(example["value"])


@pytest.mark.parametrize("example", DATA["counterexamples"], ids=lambda e: repr(e["printed"]))
def test_counterexamples_are_not_numbers(example: dict) -> None:
    with pytest.raises(NotANumber):
        read_number(example["printed"])
    assert parse_number(example["printed"]) is None
    assert not is_number(example["printed"])
    assert parse_amount(example["printed"]) is None


@pytest.mark.parametrize("text", DATA["empty_examples"], ids=repr)
def test_dashes_and_blanks_print_no_figure(text: str) -> None:
    assert is_empty_figure(text)
    assert parse_number(text) is None  # never zero


@pytest.mark.parametrize("example", DATA["footnotes"], ids=lambda e: e["marker"])
def test_footnote_lines_start_with_their_marker(example: dict) -> None:
    assert leading_marker(example["text"]) == example["marker"]
    assert is_footnote(example["text"])


@pytest.mark.parametrize("text", DATA["marked_rows"])
def test_short_marked_labels_are_rows(text: str) -> None:
    assert not is_footnote(text)


@pytest.mark.parametrize("text", DATA["not_footnotes"])
def test_rows_are_not_footnotes(text: str) -> None:
    assert leading_marker(text) is None


@pytest.mark.parametrize("text", ["0", "-5", "1 234", "–675", "- 7 030 000"])
def test_figures_are_not_empty(text: str) -> None:
    assert not is_empty_figure(text)


def test_zero_is_a_zero_figure() -> None:
    parsed = read_number("0")
    assert parsed.value == 0 and parsed.amount == 0.0


def test_decimals_are_never_rounded() -> None:
    assert read_number("373,6").amount == 373.6
    assert read_number("2,5 %").amount == 2.5
    assert read_number("-0,4").amount == -0.4
    assert read_number("1 234,5").unit_of_precision == Decimal("0.1")
    assert read_number("1 234").unit_of_precision == Decimal(1)


def test_float_keeps_fifteen_significant_digits() -> None:
    parsed = read_number("123 456 789 012,345")
    assert parsed.value == Decimal("123456789012.345")
    assert Decimal(repr(parsed.amount)) == parsed.value


def test_raised_marker_by_glyph_size() -> None:
    # '2001)' alone cannot say where the figure ends; the smaller glyphs of a raised '1)' do
    text = "2001)"
    with pytest.raises(NotANumber):
        read_number(text)
    parsed = read_number(text, sizes=[9.0, 9.0, 9.0, 6.0, 6.0])
    assert (parsed.value, parsed.note_marker) == (Decimal(200), "1)")
    same_size = read_number("1 234", sizes=[9.0] * 5)
    assert same_size.note_marker is None and same_size.value == 1234
    # a smaller percent sign is not a marker
    assert read_number("2,5 %", sizes=[9, 9, 9, 9, 6]).is_percent
    with pytest.raises(ValueError):
        read_number("12", sizes=[9.0])


def _cases() -> list[Path]:
    return sorted(CASES_DIR.glob("*.expected.json"))


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.name.split("-")[0])
def test_every_printed_token_of_the_cases_reads_as_its_amount(path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    for figure in expected["finance"]:
        parsed = read_number(figure["printed"])
        assert parsed.value == Decimal(str(figure["amount"])), figure
    for cell in expected.get("empty_cells", []):
        assert is_empty_figure(cell["printed"])


def test_case_markers_are_kept_apart_from_the_digits() -> None:
    assert read_number("228\u00a0437*").note_marker == "*"
    # B05 prints a raised '1)' right after one TA 2025 figure; the text layer gives it glued on
    parsed = read_number("1\u00a0141\u00a09001)")
    assert (parsed.value, parsed.note_marker) == (Decimal(1141900), "1)")
    for not_figure in ("1)", "*"):
        assert parse_number(not_figure) is None


def _tables(name: str, page: int) -> list[list[list[str | None]]]:
    with pdfplumber.open(REAL / name) as pdf:
        return pdf.pages[page - 1].extract_tables()


# Values read from the page images of the Lapua minutes (ruled tables; the text layer has a
# zero-width space after every minus and comma, dots as thousands separators, spaced minus signs).
LAPUA_TABLES = [
    ("fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf", 13, [
        ["1329950", "1252000", "-77950"],
        ["-4509080", "-4641000", "-131920"],
        ["-3179130", "-3389000", "-209870"],
    ]),
    ("fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf", 9, [
        ["1256478", "1256500", "1288078", "0.0%", "31578"],
        ["-23895053", "-24260900", "-24292478", "1.5%", "-31578"],
        ["-22638575", "-23004400", "-23004400", "1.5%", "0"],
    ]),
    ("fi_lapua_tekninen_lautakunta_poytakirja_2025-01-28.pdf", 7, [
        ["-1304000"], ["-1215000"], ["-326000"], ["-140000"], ["-565000"], ["-10730000"],
    ]),
    ("fi_lapua_tekninen_lautakunta_poytakirja_2025-01-28.pdf", 6, [
        ["4503000"], ["400000"], ["-15840300"], ["-10937300"],
    ]),
]


@pytest.mark.parametrize(("name", "page", "values"), LAPUA_TABLES, ids=lambda v: str(v)[:20])
def test_lapua_minutes_tables_read_as_printed(name: str, page: int, values: list[list[str]]) -> None:
    # body rows: their second cell is a figure (a heading row prints years, 'TA 2024')
    rows = [row for row in _tables(name, page)[0] if row[1] and parse_number(row[1])]
    assert len(rows) == len(values)
    for row, expected in zip(rows, values, strict=True):
        cells = [cell for cell in row[1:] if cell is not None]
        assert len(cells) == len(expected), row
        for cell, value in zip(cells, expected, strict=True):
            parsed = read_number(cell)
            assert parsed.value == Decimal(value.rstrip("%")), (cell, value)
            assert parsed.is_percent == value.endswith("%")


def test_lapua_minutes_percent_change_keeps_its_decimals() -> None:
    # the page prints "-8,81 %", "1,85 %", "6,31 %" (text layer: '-\u200b8,\u200b81 %')
    with pdfplumber.open(REAL / "fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf") as pdf:
        words = [w["text"] for w in pdf.pages[13].extract_words()]
    cells = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if b == "%"]
    assert [read_number(c).value for c in cells] == [Decimal("-8.81"), Decimal("1.85"), Decimal("6.31")]
    assert all(read_number(c).is_percent and read_number(c).decimals == 2 for c in cells)


def test_clean_number_text_drops_invisible_characters_and_reads_minus_and_space_forms() -> None:
    """Every form the grammar lists, in one text: an invisible character is dropped (a soft hyphen is no minus),
    a minus form reads '-', a space form ' ', runs of spaces one."""
    g = grammar()
    forms = zip(sorted(g.minus), sorted(g.spaces), sorted(g.invisible), strict=False)  # six of each
    text = "".join(f"{m}1{s}2{i}" for m, s, i in forms)
    assert clean_number_text(text) == "-1 2-1 2-1 2-1 2-1 2-1 2"
    assert clean_number_text("\u00ad\u2212\u00a0\u00a01\u200b 234\u202f,5\t") == "- 1 234 ,5"
    assert is_empty_figure("\u200b\u2013\u00ad") and is_empty_figure("\u00a0 \u200b")
    assert not is_empty_figure("\u2212\u200b0")
