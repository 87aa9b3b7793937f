"""Number parsing: amounts as printed in Finnish and Swedish documents."""

from __future__ import annotations

import pytest

from extractors.numbers import is_number, parse_amount, parse_int_amount


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("30 291", 30291),
        ("-1 887 887", -1887887),
        ("-1\u00a0887\u00a0887", -1887887),  # no-break space
        ("-1\u202f887\u202f887", -1887887),  # narrow no-break space
        ("\u22121 887 887", -1887887),  # U+2212 minus sign
        ("\u2013675", -675),  # en dash used as minus
        ("-\u200b22 085 150", -22085150),  # zero-width space inside the number (Lapua minutes)
        ("22\u200b 085 150", 22085150),
        ("0", 0),
        ("(1 234)", -1234),  # accounting parentheses
        ("+5", 5),
        ("3 668 003", 3668003),
    ],
)
def test_parse_printed_amounts(printed: str, value: int) -> None:
    assert parse_int_amount(printed) == value
    assert is_number(printed)


@pytest.mark.parametrize("blank", ["", " ", "\u00a0", "\u200b"])
def test_blank_cells_are_no_figure_not_zero(blank: str) -> None:
    assert parse_amount(blank) is None
    assert parse_int_amount(blank) is None


@pytest.mark.parametrize("text", ["abc", "2025–2027", "Stadsdirektören", "1 2 3 4", "12 34"])
def test_non_numbers(text: str) -> None:
    assert parse_amount(text) is None
    assert not is_number(text)


def test_decimals_are_read_and_rounded_to_integer() -> None:
    assert str(parse_amount("2,\u200b51 %")) == "2.51"
    assert parse_int_amount("1 234,5") == 1235
    assert parse_int_amount("-0,4") == 0
