"""Number stage: parse amounts as printed (thousands spaces, U+2212 minus, zero-width spaces)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from extractors.patterns import NUMBER, ZERO_WIDTH

_MINUS = {"\u2212": "-", "\u2013": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"}
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}


def clean_number_text(text: str) -> str:
    text = ZERO_WIDTH.sub("", text)
    for src, dst in {**_MINUS, **_SPACES}.items():
        text = text.replace(src, dst)
    return " ".join(text.split())


def is_number(text: str) -> bool:
    cleaned = clean_number_text(text)
    return bool(cleaned) and bool(NUMBER.match(cleaned))


def parse_amount(text: str) -> Decimal | None:
    """The value of a printed amount, or None for an empty or non-numeric cell.

    '1 887 887', '-1\u00a0887\u00a0887', '\u22121\u202f887', '-\u200b22 085 150', '(1 234)' and
    '2,5' are understood; blank cells give None (never zero).
    """
    cleaned = clean_number_text(text)
    if not cleaned or not NUMBER.match(cleaned):
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()%").strip()
    if cleaned.startswith("-"):
        negative = not negative if negative else True
        cleaned = cleaned[1:]
    cleaned = cleaned.lstrip("+").replace(" ", "")
    if "," in cleaned or ("." in cleaned and len(cleaned.rsplit(".", 1)[1]) != 3):
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(".", "")  # a dot as thousands separator: 1.234.567
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return -value if negative else value


def parse_int_amount(text: str) -> int | None:
    """An amount as an integer (rounded half away from zero when decimals are printed)."""
    value = parse_amount(text)
    if value is None:
        return None
    return int(value.to_integral_value(rounding="ROUND_HALF_UP"))
