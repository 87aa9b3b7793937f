"""Outline pre-pass of the segment stage: what a document's layout says before it is walked.

Running headers the furniture stage missed, the body text size and numbered chapter headings, headings that
are a unit's bare name and own a table or a responsible statement (a unit's section, not a name in a list
of bodies), and the board a whole document belongs to (from its page header block or an 'Organisation:'
label). Pure functions of a PlanDocument; the lexicons decide what a name or a label is.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from extractors.layout import is_theme_heading
from extractors.lexicon import LANGUAGES, classify_any, load, match_prefixed, normalize_label
from extractors.numbers import is_number
from extractors.units import (
    NAMED_LEVELS,
    board_in_line,
    clean_unit_name,
    form_fields,
    is_caption,
    is_sentence,
    level_heading,
    organisation_label,
    responsible_text,
    unit_key,
)
from extractors.units import unit_level as lexicon_level
from models import Block, PlanDocument, Table
from models.document import Item

CHAPTER_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S|^\d{1,2}\.?\s+[A-ZÅÄÖ]")
SUBCHAPTER_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S")
CHAPTER_FONT_STEP = 2.0
"""A single-level numbered heading is a chapter when its font is this much larger than the body text."""
OWNERSHIP_LOOKAHEAD = 200
NOT_IN_NAMES = ("§", "/")
RUNNING_PAGES = 5
RUNNING_SHARE = 0.2
"""A heading printed on at least this many pages and this share of them is a running header, not a title."""
ORGANISATION_PAGE_SHARE = 0.5
"""A board named in the page header of at least this share of the pages is the document's organisation."""
LABEL_PAGES = 3
LABEL_BLOCKS = 60
"""An 'Organisation:' label counts on the first pages (text exports: blocks) only."""


def style_of(block: Block) -> tuple[bool, float]:
    return block.bold, round(block.font_size or 0.0)


def is_heading(item: Item) -> bool:
    return isinstance(item, Block) and item.kind in ("heading", "title")


def bare_unit_name(block: Block, language: str | None) -> str | None:
    """A heading that is only a board's, central's or department's name ('Tarkastuslautakunta'), not a
    minutes item's subject ('§ 13 Viranhaltijapäätökset / Tekninen toimiala') or a caption. A label or a line of
    form fields is no name as a whole: its 'Organisation: X' / 'Toimielin: X' field names the body, if any."""
    if not is_heading(block):
        return None
    labelled = organisation_label(block.text, language)
    if labelled or form_fields(block.text, language):
        return labelled
    if block.text.rstrip().endswith(":") or is_sentence(block.text) \
            or any(mark in block.text for mark in NOT_IN_NAMES) or is_caption(block.text, language):
        return None
    name = clean_unit_name(block.text, language)
    return name if lexicon_level(name, language) in NAMED_LEVELS else None


def section_like(text: str, language: str | None) -> bool:
    return is_caption(text, language) or bool(classify_any("sections", text, language))


def has_figures(table: Table) -> bool:
    return any(is_number(cell.text) for row in table.rows for cell in row.cells[1:])


def is_chapter(block: Block, body_size: float | None) -> bool:
    """A numbered chapter heading ('2.3 Tuloslaskelmaosan toteutuminen', a large '9. Tuloslaskelma'); a
    numbered theme in capitals ('1. LIVSKRAFTIG STAD') or a numbered goal is none."""
    text = block.text.strip()
    if block.kind not in ("heading", "title", "list_item") or not CHAPTER_NUMBER.match(text) \
            or is_theme_heading(text):
        return False
    if SUBCHAPTER_NUMBER.match(text):
        return True
    return body_size is not None and (block.font_size or 0) >= body_size + CHAPTER_FONT_STEP


def is_budget_subject(text: str) -> bool:
    flat = normalize_label(text)
    return any(p.search(flat) for lang in LANGUAGES for p in load("document", lang).entry("budget_subject").patterns)


def body_font_size(doc: PlanDocument) -> float | None:
    sizes = [b.font_size for b in doc.blocks() if b.kind == "paragraph" and b.font_size]
    return statistics.median(sizes) if sizes else None


def running_headings(doc: PlanDocument) -> set[str]:
    """Headings printed on many pages (a running header the page-furniture stage did not catch); numbered
    themes are left out (each area repeats them)."""
    pages: dict[str, set[int]] = {}
    for block in doc.blocks():
        if is_heading(block) and block.prov.page is not None and not is_theme_heading(block.text):
            pages.setdefault(normalize_label(block.text), set()).add(block.prov.page)
    wanted = max(RUNNING_PAGES, RUNNING_SHARE * len(doc.pages))
    return {text for text, seen in pages.items() if len(seen) >= wanted and not is_statement(text, doc.language)}


def is_statement(text: str, language: str | None) -> bool:
    return responsible_text(text, language) is not None \
        or match_prefixed("units", "responsible_prefix", text, language) is not None


def owning_headings(doc: PlanDocument) -> set[int]:
    """Indices of bare-name unit headings that own a table or a responsible statement before the next
    heading of their own style, unit heading or chapter: a unit's section, not a name in a list of bodies."""
    lang = doc.language
    owned: set[int] = set()
    items = doc.items
    for index, item in enumerate(items):
        if not isinstance(item, Block) or bare_unit_name(item, lang) is None:
            continue
        for following in items[index + 1:index + 1 + OWNERSHIP_LOOKAHEAD]:
            if isinstance(following, Table) or is_statement(following.text, lang):
                owned.add(index)
                break
            if bare_unit_name(following, lang) or level_heading(following.text, lang) \
                    or SUBCHAPTER_NUMBER.match(following.text.strip()):
                break
            if is_heading(following) and style_of(following) == style_of(item) \
                    and not section_like(following.text, lang):
                break
    return owned


def document_organisation(doc: PlanDocument) -> tuple[str, int | None] | None:
    """(name, first page) of the board a whole document belongs to: the board its page header names on most
    pages (board minutes: 'Lapuan kaupunki / Sivistyslautakunta / Pöytäkirja'), else the body an
    'Organisation:' label names on its first pages ('Organisation: Kultur- och fritidsnämnden')."""
    lang = doc.language
    per_page: Counter[str] = Counter()
    printed: dict[str, str] = {}
    first_page: dict[str, int] = {}
    for page in doc.pages:
        seen: set[str] = set()
        for line in page.furniture:
            name = board_in_line(line, lang)
            if name and unit_key(name) not in seen:
                seen.add(unit_key(name))
                per_page[unit_key(name)] += 1
                printed.setdefault(unit_key(name), name)
                first_page.setdefault(unit_key(name), page.number)
    if per_page:
        key, count = per_page.most_common(1)[0]
        if count >= max(1.0, ORGANISATION_PAGE_SHARE * len(doc.pages)):
            return printed[key], first_page[key]
    for number, block in enumerate(doc.blocks()):
        if (block.prov.page or 0) > LABEL_PAGES or number >= LABEL_BLOCKS:
            break
        name = organisation_label(block.text, lang)
        if name:
            return name, block.prov.page
    return None
