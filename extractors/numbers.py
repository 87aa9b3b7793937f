"""Number grammar: a printed cell text -> ParsedNumber (value as printed, sign, decimals, percent, marker).

The grammar's characters and the printed tokens it is held to are data (`lexicons/numbers.yml`;
tests are generated from it). Rules, in the order they apply:

- Invisible characters (zero-width spaces, soft hyphens) are dropped wherever they are; the minus
  forms (hyphen-minus, U+2212, en dash, ...) read as "-" and the space forms (no-break, narrow
  no-break, thin, ...) as a space.
- A cell that is blank or holds only a dash, en dash, em dash or ellipsis prints no figure
  (`is_empty_figure`); "0" is a zero figure.
- A footnote marker after the figure ("*", "**", "†", a superscript digit, "1)", "a)") is not part of
  the figure: it is returned as `note_marker`. A digit marker glued to the figure ("1 141 9001)") is
  split off only on evidence: a space before it, the thousands grouping it would otherwise break, or
  glyph sizes passed by the caller (a raised marker is printed smaller). Without evidence the cell is
  not read (never a figure with a marker digit in it).
- A trailing "%" makes a percentage. Signs: a leading "-" or "+" (a space may follow it), a trailing
  "-" ("1 234-"), or parentheses ("(1 234)", `bracketed`: negative unless the table says otherwise, see
  `unbracketed`); one sign form per figure. ":-" and ",-" after the
  figure print whole kronor/euros, not a minus.
- Decimal separator: a comma ("373,6"); when a figure prints both a dot and a comma, the last of them
  is the decimal separator and the other groups thousands ("169.155,61", "1,234.56"). A dot is a
  thousands separator when three digits follow it and a decimal point otherwise ("1.212.750" is
  1212750, "36.00" is 36.00, "1.5" is 1.5): Finnish and Swedish print decimals with a comma, so a dot
  before exactly three digits groups thousands (as in the Lapua minutes, "-4.592.543"); a figure
  printed as "1.500" thus reads 1500, never 1.5. Several commas group thousands.
- Thousands groups (space, dot, or both in one figure, "-10.730 000"): a first group of one to three
  digits, then groups of exactly three. An integer part without separators may have any length, but
  no leading zero ("092150" is a code).
- At most 15 significant digits (what float64 keeps exactly; no municipal table prints more).

Anything else is not a number (`NotANumber` with the reason): never an absurd value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from extractors.datafiles import read_yaml
from extractors.patterns import PLAIN_INTEGER, SIGNED_AMOUNT_IN_TEXT, YEAR_LIST

GRAMMAR_FILE = Path(__file__).parent / "lexicons" / "numbers.yml"


class NotANumber(ValueError):
    """The text is not a printed number; the message says why."""


@dataclass(frozen=True)
class ParsedNumber:
    """One printed number. `value` is exactly what is printed (sign applied, never rounded)."""

    value: Decimal
    printed: str
    """The text as given (with its spaces, marker and sign as printed)."""
    decimals: int = 0
    """Digits printed after the decimal separator (0 for '1 234', 1 for '373,6')."""
    is_percent: bool = False
    note_marker: str | None = None
    """The footnote marker printed next to the figure ('*', '1)'), or None."""
    assumption: str | None = None
    """How an ambiguous separator was read ('31.578': a dot before three digits read as a thousands
    separator; '1.5': a dot read as a decimal point; '1,234': a decimal comma), None when unambiguous."""
    bracketed: bool = False
    """The figure is printed inside parentheses that give its sign ('(1 234)'): accounting style, read as
    a negative. A column printing its negatives with a minus sign uses them for a bracketed amount instead
    (an 'of which' figure): see `unbracketed`."""

    @property
    def amount(self) -> float:
        """The value as a float (exact for every printed number of up to 15 significant digits)."""
        return float(self.value)

    @property
    def unit_of_precision(self) -> Decimal:
        """One unit of the last printed digit: 1 for '1 234', 0.1 for '373,6'."""
        return Decimal(1).scaleb(-self.decimals)


@dataclass(frozen=True)
class Grammar:
    minus: frozenset[str]
    spaces: frozenset[str]
    invisible: frozenset[str]
    empty: frozenset[str]
    marker_symbols: tuple[str, ...]
    superscripts: str
    max_significant_digits: int
    raised_size_ratio: float
    data: dict[str, Any]

    @cached_property
    def cleaning(self) -> dict[int, str | None]:
        """`str.translate` table of `clean_number_text`: an invisible character dropped, a minus form as '-', a
        space form as ' ', in that order of precedence (entries of more than one character match no character)."""
        table: dict[int, str | None] = {ord(ch): " " for ch in self.spaces if len(ch) == 1}
        table.update({ord(ch): "-" for ch in self.minus if len(ch) == 1})
        table.update(self.dropping)
        return table

    @cached_property
    def dropping(self) -> dict[int, str | None]:
        """`str.translate` table that drops the invisible characters."""
        return {ord(ch): None for ch in self.invisible if len(ch) == 1}


@cache
def grammar() -> Grammar:
    data = read_yaml(GRAMMAR_FILE)
    return Grammar(minus=frozenset(data["minus"]), spaces=frozenset(data["spaces"]),
                   invisible=frozenset(data["invisible"]), empty=frozenset(data["empty"]),
                   marker_symbols=tuple(data["marker_symbols"]), superscripts=data["superscripts"],
                   max_significant_digits=int(data["max_significant_digits"]),
                   raised_size_ratio=float(data["raised_size_ratio"]), data=data)


def clean_number_text(text: str) -> str:
    """Invisible characters dropped, minus forms as '-', space forms as ' ', runs of spaces as one."""
    return " ".join(text.translate(grammar().cleaning).split())


def is_empty_figure(text: str) -> bool:
    """The cell prints no figure: blank, or only a dash, en dash, em dash or ellipsis."""
    g = grammar()
    visible = " ".join(text.translate(g.dropping).split())
    return not visible or visible in g.empty


def leading_marker(text: str) -> str | None:
    """The footnote marker a text starts with ('1) Sisältää ...' -> '1)', '* Luku oikaistu' -> '*'),
    followed by a space and more text; None otherwise. A footnote line starts with its marker."""
    g = grammar()
    head, _, rest = clean_number_text(text).partition(" ")
    if not rest:
        return None
    if head and all(ch in g.superscripts for ch in head):
        return head
    if head and all(ch in g.marker_symbols for ch in head):
        return head
    inner = head[:-1]
    if head.endswith(")") and ((inner.isdigit() and len(inner) <= 2) or (len(inner) == 1 and inner.islower())):
        return head
    return None


def is_footnote(text: str) -> bool:
    """A footnote line: it starts with a footnote marker and reads as a sentence (the marker and four
    words or more, or a final full stop): '1) Sisältää valtionavustuksen 120 000 euroa.' A short
    label after a marker ('** Toimintakate', stars marking a subtotal's level) is a row, not a footnote."""
    if leading_marker(text) is None:
        return False
    words = text.split()
    return len(words) >= 5 or text.rstrip().endswith(".")


def parse_number(text: str, sizes: Sequence[float] | None = None) -> ParsedNumber | None:
    """The printed number, or None when the text is empty or not a number (see `read_number`)."""
    try:
        return read_number(text, sizes)
    except NotANumber:
        return None


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def parse_amount(text: str) -> Decimal | None:
    """The value of a printed amount ('1 887 887', '(1 234)', '2,5 %' -> 2.5), None when not a number."""
    parsed = parse_number(text)
    return parsed.value if parsed else None


def read_number(text: str, sizes: Sequence[float] | None = None) -> ParsedNumber:
    """Read one printed number; raise NotANumber (with the reason) when the text is not one.

    `sizes`, when given, holds the font size of each character of `text` (same length): trailing
    glyphs printed smaller than the figure's digits (a raised footnote marker) are the marker.
    """
    if sizes is None:
        reading = _read_cached(text)
        if isinstance(reading, str):
            raise NotANumber(reading)
        return reading
    return _read(text, sizes)


@lru_cache(maxsize=1 << 16)
def _read_cached(text: str) -> ParsedNumber | str:
    """read_number without glyph sizes, cached: the table layer asks about the same words many times.
    Returns the reason as a string when the text is not a number (exceptions are not cached)."""
    if not any(ch.isdigit() for ch in text):
        return "no digits"
    if PLAIN_INTEGER.match(text) and len(text) <= 19:  # at most 15 digits
        return ParsedNumber(value=Decimal(text.replace(" ", "")), printed=text)
    try:
        return _read(text, None)
    except NotANumber as error:
        return str(error)


def _read(text: str, sizes: Sequence[float] | None) -> ParsedNumber:
    g = grammar()
    if sizes is not None and len(sizes) != len(text):
        raise ValueError(f"sizes has {len(sizes)} entries for {len(text)} characters")
    if sizes is None:  # no raised marker to look for: the visible characters alone
        body = clean_number_text(text)  # which drops the invisible characters
        raised = None
    else:
        kept = [(ch, sizes[i]) for i, ch in enumerate(text) if ch not in g.invisible]
        raised = _raised_marker(kept, g)
        if raised is not None:
            kept = kept[:len(kept) - raised[1]]
        body = clean_number_text("".join(ch for ch, _ in kept))
    if not body or body in g.empty:
        raise NotANumber("no figure printed")
    marker = raised[0] if raised else None
    if marker is None:
        body, marker = _split_marker(body, g)
    if not body:
        raise NotANumber("a footnote marker without a figure")
    value, decimals, percent, assumption = _signed_value(body, g)
    return ParsedNumber(value=value, printed=text, decimals=decimals, is_percent=percent, note_marker=marker,
                        assumption=assumption, bracketed=body.startswith("(") and body.endswith(")"))


WORKED = "a worked calculation: the result after '=' read, the terms before it add up to it"


def worked_result(text: str) -> ParsedNumber | None:
    """The result of a cell that prints its own calculation: amounts with words naming them, '=' and the
    result ('86 500 Myönnettävä avustus -90 000 = -3 500': a supplementary appropriation less the grant
    awarded, Lapua tekninen lautakunta 28.1.2025 p. 20, whose column total counts -3 500). Read only when
    at least two printed terms add up exactly to the printed result; None otherwise (a calculation that
    does not add up, a single term, a percentage). The reading is recorded as the figure's `assumption`."""
    if "=" not in text:
        return None
    terms_text, sep, result_text = clean_number_text(text).rpartition("=")
    result = parse_number(result_text.strip()) if sep else None
    if result is None or result.is_percent or result.note_marker:
        return None
    terms = [parse_number(m.group()) for m in SIGNED_AMOUNT_IN_TEXT.finditer(terms_text)]
    rest = SIGNED_AMOUNT_IN_TEXT.sub(" ", terms_text)
    if len(terms) < 2 or any(t is None for t in terms) or any(ch.isdigit() or ch == "%" for ch in rest):
        return None
    if sum((t.value for t in terms if t is not None), Decimal(0)) != result.value:
        return None
    return replace(result, printed=text, assumption=WORKED)


def prints_minus(parsed: ParsedNumber) -> bool:
    """The figure prints a minus sign ('-24 574', '1 234-'): a negative that is not in parentheses."""
    return parsed.value < 0 and not parsed.bracketed


def prints_minus_signs(texts: Iterable[str]) -> bool:
    """Some figure among the texts (the cells of one table column) prints its sign with a minus: that column
    prints its negatives so, and a figure in parentheses there is a bracketed amount (`unbracketed`). Per
    column, not per table: one table may print each column's negatives its own way (a trailing minus in
    'TP 2023', parentheses in 'TA 2024', a leading minus in 'TA 2025'; case B05)."""
    return any((parsed := parse_number(text)) is not None and prints_minus(parsed) for text in texts)


def unbracketed(parsed: ParsedNumber) -> ParsedNumber:
    """The figure read as a bracketed amount: its parentheses mark it, they do not negate it ('(66 000)'
    -> 66000; `printed` unchanged). For a column whose own negatives print a minus sign ('-24 574'), where
    '(1 012 468,60)' under 'Sisältää myyntivoittoa' is the gain contained in the row above (Seinäjoki
    financial statement 2024, p. 144, '8.3 Investointien toteutuminen'). A figure not in parentheses is
    returned as it is. The caller decides by the figure's column (`prints_minus_signs`)."""
    if not parsed.bracketed:
        return parsed
    return replace(parsed, value=-parsed.value, bracketed=False)


def _raised_marker(kept: list[tuple[str, float | None]], g: Grammar) -> tuple[str, int] | None:
    """(marker, glyph count) of the trailing glyphs printed smaller than the figure's digits."""
    digit_sizes = [size for ch, size in kept if ch.isdigit() and size]
    if not digit_sizes:
        return None
    limit = g.raised_size_ratio * max(digit_sizes)
    allowed = set(g.marker_symbols) | set(g.superscripts) | set("()")
    count = 0
    while count < len(kept):
        ch, size = kept[-1 - count]
        if not (ch.isspace() or ((ch.isdigit() or ch.islower() or ch in allowed) and (size or 0) < limit)):
            break
        count += 1
    marker = "".join(ch for ch, _ in kept[len(kept) - count:]).strip()
    if not marker or count == len(kept):
        return None
    return marker, count


def _split_marker(body: str, g: Grammar) -> tuple[str, str | None]:
    """(figure text, marker) with a trailing footnote marker taken off when the evidence says so."""
    for symbol in g.marker_symbols:
        if body.endswith(symbol):
            figure = body.rstrip(symbol)
            return figure.rstrip(), body[len(figure):].strip()
    superscript = len(body) - len(body.rstrip(g.superscripts))
    if superscript:
        return body[:-superscript].rstrip(), body[-superscript:]
    if not body.endswith(")") or (body.startswith("(") and body.find(")") == len(body) - 1):
        return body, None  # no marker, or accounting parentheses around the whole figure
    inner = body[:-1]
    candidates = [inner[-n:] for n in (1, 2) if len(inner) > n and inner[-n:].isdigit()]
    if inner[-1:].isalpha() and inner[-1:].islower() and len(inner) > 1 and not inner[-2].isalpha():
        candidates.append(inner[-1])
    for mark in candidates:
        figure = inner[: -len(mark)]
        spaced = figure.endswith(" ")
        figure = figure.rstrip()
        if not figure or not figure[-1].isdigit() and figure[-1] not in "%)":
            continue
        try:
            _signed_value(figure, g)
        except NotANumber:
            continue
        # glued to the digits: only when the grouping shows where the figure ends
        if spaced or figure[-1] in "%)" or _grouped(figure):
            return figure, mark + ")"
        raise NotANumber(f"marker '{mark})' glued to an ungrouped figure: pass glyph sizes to tell them apart")
    return body, None


def _grouped(figure: str) -> bool:
    digits = figure.lstrip("+-( ")
    return " " in digits or "." in digits


def _signed_value(body: str, g: Grammar) -> tuple[Decimal, int, bool, str | None]:
    """(signed value, decimals, is_percent, assumption) of a figure without its marker."""
    text = body
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    negative = False
    signs = 0
    if text.startswith("(") or text.endswith(")"):
        if not (text.startswith("(") and text.endswith(")")):
            raise NotANumber("unbalanced parenthesis")
        text, negative, signs = text[1:-1].strip(), True, 1
        if not percent and text.endswith("%"):
            percent, text = True, text[:-1].rstrip()
    whole = text.endswith((":-", ",-"))  # '1 234:-' prints whole kronor/euros, not a minus
    if whole:
        text = text[:-2]
    if text and text[0] in "-+":
        negative = negative != (text[0] == "-")
        text, signs = text[1:].lstrip(" "), signs + 1
    if text.endswith("-"):
        if whole or percent:
            raise NotANumber("a trailing minus after ':-' or before '%'")
        text, negative, signs = text[:-1], True, signs + 1
    if signs > 1:
        raise NotANumber("more than one sign")
    value, decimals, assumption = _unsigned(text, g)
    return (-value if negative else value), decimals, percent, assumption


def _unsigned(text: str, g: Grammar) -> tuple[Decimal, int, str | None]:
    if not text or any(not (ch.isdigit() or ch in " .,") for ch in text):
        raise NotANumber("characters that are not digits or separators")
    if not all(ch.isascii() for ch in text):
        raise NotANumber("digits that are not ASCII")
    integer, decimals, assumption = _split_decimals(text)
    groups = integer.replace(".", " ").replace(",", " ").split(" ")
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(x) == 3 for x in groups[1:])):
        raise NotANumber("digit groups break the thousands grouping: two figures in one cell, or a code")
    digits = "".join(groups)
    if not digits or (len(digits) > 1 and digits[0] == "0"):
        raise NotANumber("no integer part" if not digits else "a leading zero (a code, not an amount)")
    if decimals is not None and (not decimals.isdigit()):
        raise NotANumber("a decimal separator without decimals")
    significant = (digits + (decimals or "")).lstrip("0")
    if len(significant) > g.max_significant_digits:
        raise NotANumber(f"more than {g.max_significant_digits} significant digits")
    return Decimal(f"{digits}.{decimals}" if decimals else digits), len(decimals or ""), assumption


AMBIGUOUS_DOT_THOUSANDS = "a dot before three digits read as a thousands separator"
AMBIGUOUS_DOT_DECIMAL = "a dot read as a decimal point"
AMBIGUOUS_COMMA_DECIMAL = "a comma before three digits read as a decimal comma"


def _split_decimals(text: str) -> tuple[str, str | None, str | None]:
    """(integer part with its thousands separators, decimals or None, the assumption made when the
    figure alone cannot tell a thousands separator from a decimal one) by the decimal-separator rules."""
    commas, dots = text.count(","), text.count(".")
    plain = " " not in text  # no space grouping to tell which separator is which
    if commas and dots:
        last = max(text.rfind(","), text.rfind("."))
        separator = text[last]
        if text.count(separator) > 1:
            raise NotANumber("a decimal separator printed twice")
        return text[:last], text[last + 1:], None
    if commas == 1:
        integer, decimals = text.split(",")
        if YEAR_LIST.match(integer) and YEAR_LIST.match(decimals) and int(decimals) > int(integer):
            # 'Projektets genomförandeperiod 2027,2028' (Simrishamn budgetskrivelse för investeringar, p. 13)
            raise NotANumber("a list of years")
        ambiguous = plain and len(decimals) == 3 and len(integer) <= 3 and integer != "0"
        return integer, decimals, AMBIGUOUS_COMMA_DECIMAL if ambiguous else None
    if dots == 1:
        integer, after = text.split(".")
        group = after.split(" ")[0]
        if len(group) == 3 and group.isdigit() and integer.strip() not in ("0", ""):
            # a dot before exactly three digits groups thousands
            return text, None, AMBIGUOUS_DOT_THOUSANDS if plain else None
        return integer, after, AMBIGUOUS_DOT_DECIMAL
    return text, None, None
