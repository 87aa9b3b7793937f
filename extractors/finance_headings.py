"""Finance headings and cells: a column heading's label and figure kind, the document's context (is it a
financial statement, which year it reports on: the year of a heading that prints none), and a cell's printed
number with the scale printed inside it. Pure functions used by extractors.finance."""

from __future__ import annotations

from extractors.lexicon import column_kind, load
from extractors.numbers import NotANumber, ParsedNumber, read_number, worked_result
from extractors.patterns import HEADING_BROKEN_WORD, WORDS_CELL, YEAR
from extractors.scales import Scale, read_scale
from models import PlanDocument


def column_label(text: str) -> str:
    """The heading as printed, with words that a renderer broke over lines joined: 'EKONOMI PLAN' and
    'TALOUSSU UNNITELM A' become one word when together they spell a known heading word, and a word the
    cell broke at a line end with a hyphen is whole ('Toteu- tuma' -> 'Toteutuma', patterns.HEADING_BROKEN_WORD)
    so that one heading reads the same in every edition whatever the column's width."""
    words = HEADING_BROKEN_WORD.sub("", text).split()
    compounds = {w for lang in ("sv", "fi") for w in load("columns", lang).words("compounds")}
    out: list[str] = []
    index = 0
    while index < len(words):
        joined, end = words[index], index + 1
        for stop in range(index + 2, len(words) + 1):
            candidate = "".join(words[index:stop])
            if not any(c.startswith(candidate.lower()) for c in compounds):
                break
            if candidate.lower() in compounds:
                joined, end = candidate, stop
        out.append(joined)
        index = end
    return " ".join(out)


def figure_kind(label: str, language: str | None, bare_year_kind: str = "other") -> str:
    """The kind a heading names (columns.yml); a heading naming none but a year ('2024', '31.12.2024')
    is `bare_year_kind`, anything else 'other'."""
    return column_kind(label, language) or (bare_year_kind if YEAR.search(label) else "other")


def grouped_kind(label: str, path: list[str], language: str | None, bare_year_kind: str = "other") -> str:
    """The kind of a column under a group heading ('Group Sub'): the whole label's, else, when that names none,
    the column's own heading's (the last of `path`): 'Osakkeet ja osuudet Yhteensä' over the five
    columns of a group is a total column like 'Yhteensä' (Kauhava TP 2024 p. 144)."""
    kind = figure_kind(label, language, bare_year_kind)
    if kind == "other" and len(path) > 1:
        kind = figure_kind(" ".join(path[-1].split()), language, bare_year_kind)
    return kind


def _opening_texts(doc: PlanDocument) -> list[str]:
    return [t for p in doc.pages[:3] for t in p.furniture] + ([doc.title] if doc.title else []) + \
        [b.text for b in doc.blocks()[:15]]


def is_financial_statement(doc: PlanDocument) -> bool:
    """The document reports what happened (a financial statement), judged from its title and first text."""
    entries = [load("document", lang).entry("financial_statement") for lang in ("sv", "fi")]
    return any(entry.matches(text) for entry in entries for text in _opening_texts(doc))


def document_year(doc: PlanDocument, statement: bool) -> int | None:
    """The year the document reports on (a statement's year, else its budget year), from its title and
    first text: the year of a column whose heading prints none ('Talousarvio €')."""
    names = ("statement_year", "budget_year") if statement else ("budget_year",)
    for name in names:
        for text in _opening_texts(doc):
            for lang in ("sv", "fi"):
                found = load("document", lang).entry(name).matches(text)
                if found:
                    return int(found.group("value"))
    return None


def read_figure(text: str, language: str | None) -> tuple[ParsedNumber, Scale | None]:
    """The printed number of a cell, and the scale printed inside it ('5 000 €', '12 kpl'), if any; of a
    cell printing its own calculation, the result (`extractors.numbers.worked_result`).

    Raises NotANumber when the cell holds no number (the caller checks `is_empty_figure` first)."""
    try:
        return read_number(text), None
    except NotANumber as error:
        words = text.split()
        for cut in range(len(words) - 1, 0, -1):
            scale = read_scale(" ".join(words[cut:]), language, "cell")
            if scale is not None:
                try:
                    return read_number(" ".join(words[:cut])), scale
                except NotANumber:
                    break
        worked = worked_result(text)  # '86 500 Myönnettävä avustus -90 000 = -3 500'
        if worked is not None:
            return worked, None
        raise error


def is_words(text: str) -> bool:
    """A cell of Finnish or Swedish words and no digit ('Ej aktuellt', 'årligen, löpande', 'ei sovellu'):
    every word of two or more letters of the two alphabets (patterns.WORDS_CELL); a single letter, a
    symbol or a letter of another alphabet (what a damaged font gives for digits) is not words."""
    return WORDS_CELL.fullmatch(text.strip()) is not None
