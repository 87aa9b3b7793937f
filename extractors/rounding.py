"""Rounding rule of the arithmetic checks: which difference between a printed total and the sum of
its printed components rounding can explain.

Source of the rule (interval arithmetic of rounded numbers): a figure printed to a precision u (1 for
"1 234", 0.1 for "373,6"; in a table printed in thousands u is 1 000 in the base unit) is the true
value rounded to u, so it is off by at most u/2. The printed total and the printed components are
each rounded on their own (that is why published tables carry the note "totals may not add up due to
rounding"), so the difference between the printed total and the sum of the printed components is at
most the sum of those half units: two components and their total printed in euros may differ by
1.5 euros, never by 2. Differences are reported as `info` within that bound, else as a mismatch.

A difference that a misread digit makes is never taken for rounding, whatever the bound: one digit
read wrong changes a figure by d·10^k (d = 1..9), so a difference of 10, 20, ..., 90, 100, 900, ...
printed units (k ≥ 1), or of 9 units (a 0 read for a 9 and the like), is a mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from extractors.numbers import parse_number
from models import FinanceFigure, ValidationFinding


def as_decimal(value: float | int | None) -> Decimal:
    """A float as the decimal it prints as (373.6 -> Decimal('373.6')), exact for printed figures."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value or 0)


def printed_unit(figure: FinanceFigure) -> Decimal:
    """One unit of the figure's last printed digit, in the base unit: multiplier × 10^-decimals."""
    return _printed_unit(figure.printed, figure.amount, figure.multiplier)


@lru_cache(maxsize=1 << 14)
def _printed_unit(printed: str, amount: float, multiplier: int | None) -> Decimal:
    """printed_unit from the fields it reads, cached: the checks ask it of the same figures many times (a
    difference column tries every pair of columns). Equal amounts give one unit whatever their type or
    sign (int 12, float 12.0, -0.0): only the exponent of the normalised decimal is read."""
    parsed = parse_number(printed) if printed else None
    decimals = parsed.decimals if parsed else max(0, -as_decimal(amount).normalize().as_tuple().exponent)
    return Decimal(multiplier or 1).scaleb(-decimals)


def base_value(figure: FinanceFigure) -> Decimal:
    """The figure in the base unit (value, else amount for rows written before `value` existed)."""
    return as_decimal(figure.value if figure.value is not None else figure.amount)


def tolerance(figures: Iterable[FinanceFigure]) -> Decimal:
    """Half a unit of the printed precision of every figure of the check (total and components)."""
    return sum((printed_unit(f) / 2 for f in figures), Decimal(0))


def looks_like_misread_digit(difference: Decimal, unit: Decimal) -> bool:
    """|difference| is d·10^k printed units with k ≥ 1 (10, 90, 900, ...), or exactly 9 units."""
    units = abs(difference) / unit
    if units == 0 or units != units.to_integral_value():
        return False
    count, power = int(units), 0
    while count % 10 == 0:
        count, power = count // 10, power + 1
    return count < 10 and (power >= 1 or count == 9)


def within_rounding(difference: Decimal, total: FinanceFigure, figures: list[FinanceFigure]) -> bool:
    """Rounding explains the difference: within the bound, and not the mark of a misread digit."""
    if difference == 0:
        return True
    if looks_like_misread_digit(difference, printed_unit(total)):
        return False
    return abs(difference) <= tolerance(figures)


def fmt(value: Decimal) -> str:
    """A figure for messages: integral values without decimals ('185186'), others as printed ('373.6')."""
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def fmt_signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "") + fmt(value)


def mismatch_finding(total: FinanceFigure, involved: list[FinanceFigure], check: str, expected: Decimal,
                     message: str, unit_name: str | None = None, severity: str = "error") -> ValidationFinding | None:
    """A printed total against the value its check expects: None when equal; `info` when rounding explains
    the difference; else a mismatch of `severity`. `message` says what was compared; the kind and the
    difference are added ('mismatch: ... (difference +900)')."""
    actual = base_value(total)
    difference = actual - expected
    if difference == 0:
        return None
    rounding = within_rounding(difference, total, involved)
    kind = "rounding difference" if rounding else "mismatch"
    return ValidationFinding(
        document_id=total.document_id, unit_name=unit_name or total.unit_name, check=check,
        column_label=total.column_label, expected=float(expected), actual=float(actual),
        difference=float(difference), severity="info" if rounding else severity,  # type: ignore[arg-type]
        message=f"{kind}: {message} (difference {fmt_signed(difference)})", page=total.page,
        table_id=total.table_id, tolerance=float(tolerance(involved)))
