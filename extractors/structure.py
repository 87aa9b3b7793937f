"""Segment stage: walk a PlanDocument's items and attach units, sections, themes and tables to context.

Units come from (strongest first): the board a whole document belongs to (a page header block naming the
board on most pages, or an 'Organisation:' label), headings that print the level word ('Palvelukeskus X',
'Tulosalue 130 Yleishallinto', 'Ansvarsområdets namn: X'), headings that are a board's or central's bare
name and own a table or a responsible statement, a table's first heading cell or title naming a unit, and
short titles of finance tables inside a unit (its areas). Captions, column headings and sentences never
become units. A chapter heading ('2.3 Tuloslaskelmaosan toteutuminen') ends the units of the previous one. Under a
heading or running header naming separate statements of business units ('Eriytetyt laskelmat': units lexicon
`segment_section`) each heading names a segment, and the tables under it are that segment's.
"""

from __future__ import annotations

from extractors.layout import is_theme_heading
from extractors.lexicon import classify_any, match_prefixed, normalize_label
from extractors.nlp.roles import responsible_raw, title_phrases, unit_title
from extractors.patterns import BULLET, CONTENTS_ENTRY, HEADING_NUMBER, THEME_HEADING, YEAR
from extractors.outline import (
    bare_unit_name,
    body_font_size,
    document_organisation,
    has_figures,
    is_budget_subject,
    is_chapter,
    owning_headings,
    running_headings,
    section_like,
    style_of,
)
from extractors.nlp.repair import join_printed_lines
from extractors.units import (
    NAMED_LEVELS,
    SEGMENT,
    SUBSIDIARY,
    ResponsibleText,
    boards_named,
    clean_unit_name,
    entity_scope,
    is_caption,
    is_sentence,
    level_heading,
    minutes_item,
    names_segment_section,
    plausible_unit_name,
    responsible_text,
    first_subsidiary,
    subsidiary_named,
    unit_key,
)
from extractors.units import CODE_NAME
from extractors.units import unit_level as lexicon_level
from extractors.structure_types import Structure, TableContext
from models import Block, PlanDocument, Section, Table, Unit

PRIORITY = {"responsible": 0, "presenter": 1, "preparer": 2}
ABOVE_BLOCKS = 3  # blocks above a table searched for its caption
CAPTION_WORDS = 12  # a caption naming the group ('Taulukko. Konsernituloslaskelma ja sen tunnusluvut.'), not prose


def unit_level(name: str, language: str | None, default: str) -> str:
    return lexicon_level(name, language) or default


class _Walker:
    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.lang = doc.language
        self.out = Structure()
        self.org: Unit | None = None
        self.root: Unit | None = None
        self.root_style: tuple[bool, float] | None = None
        self.area: Unit | None = None
        self.area_style: tuple[bool, float] | None = None
        self.area_from_title = False
        self.pending_area: Unit | None = None
        self.pending_preparer: Unit | None = None
        self.theme: tuple[int, str] | None = None
        self.section: Section | None = None
        self.section_lines: list[str] = []
        self.previous: Block | None = None
        self.heading: str | None = None  # the last heading or chapter heading: a group statement's name
        self.since_table: list[Block] = []
        self.subject: str | None = None  # the budget subject of the current minutes item
        # the separate statements of business units ('V ERIYTETYT LASKELMAT'): the number and font size of the
        # heading that opened them (None: not in them), the segment named by the last heading, the page's header
        self.segment_chapter: tuple[str, float] | None = None
        self.segment_unit: Unit | None = None
        self.segment_page = False
        self.candidates: dict[str, list[tuple[int, int, str]]] = {}
        self.body_size = body_font_size(doc)
        self.owned = owning_headings(doc)
        self.running = running_headings(doc)

    # -- units -------------------------------------------------------------------------------
    def add_unit(self, name: str, level: str, where: Block | Table, parent: Unit | None) -> Unit:
        return self.out.add_unit(self.doc.document_id, name, level, parent, page=where.prov.page,
                                 line=where.prov.line)

    def current_unit(self) -> Unit | None:
        return self.area or self.root or self.org

    def record_unit(self, index: int) -> None:
        """Remember the unit the item at `index` of `PlanDocument.items` stands in (the goal readers ask)."""
        unit = self.current_unit()
        self.out.item_units[index] = unit.name if unit else None

    def enter(self, unit: Unit, style: tuple[bool, float] | None = None) -> None:
        """Make a unit the context: a unit with a parent is an area of the root above it."""
        parent = self.out.parent_of(unit)
        self.area_from_title = False
        if parent is None:
            self.root, self.root_style, self.area, self.area_style = unit, style, None, None
        else:
            self.area, self.area_style = unit, style
            if self.root is None or self.root.unit_id != parent.unit_id:
                self.root, self.root_style = parent, None

    def leave(self) -> None:
        self.area_from_title = False
        self.root = self.area = None
        self.root_style = self.area_style = None
        self.pending_area = None

    def named(self, name: str, where: Block | Table) -> Unit | None:
        """The known unit of that name, or a new top-level unit when the lexicon reads a level from it. A name
        of parts joined by '/' names the known unit among its parts ('Koneet ja kalusto / Sivistyslautakunta'
        heads the board's investment table in its minutes: the board, not a new unit), else the new unit the
        lexicon reads from the last part it reads one from."""
        parts = [name, *reversed([p.strip() for p in name.split("/") if p.strip()])] if "/" in name else [name]
        for part in parts:
            org = self.org if self.org and unit_key(self.org.name) == unit_key(part) else None
            known = self.out.unit(part) or org
            if known:
                return known
        for part in parts[1:] or parts:
            level = lexicon_level(part, self.lang)
            if level in NAMED_LEVELS:
                return self.add_unit(clean_unit_name(part, self.lang), level, where, None)
        return None

    def propose(self, unit: Unit | None, statement: ResponsibleText, order: int) -> None:
        if unit is not None and statement.raw:
            text = responsible_raw(statement.raw, self.lang or "fi")
            self.candidates.setdefault(unit.unit_id, []).append((PRIORITY[statement.kind], order, text))

    def settle_responsibles(self) -> None:
        """Each unit without a responsible label gets a statement of the best kind: the title printed most
        often (minutes repeat the presenter on every item), the earliest on a tie, as it was first printed."""
        lang = self.lang or "fi"
        for unit in self.out.units:
            found = self.candidates.get(unit.unit_id)
            if unit.responsible_title or not found:
                continue
            best = min(priority for priority, _, _ in found)
            by_title: dict[str, list[tuple[int, str]]] = {}
            for priority, order, text in sorted(found):
                if priority == best:
                    title = normalize_label((title_phrases(text, lang) or [text])[0])
                    by_title.setdefault(title, []).append((order, text))
            chosen = max(by_title.values(), key=lambda texts: (len(texts), -texts[0][0]))
            unit.responsible_raw = chosen[0][1]
            unit.responsible_title = unit_title(chosen[0][1], lang)  # a person's name is never the title

    # -- sections ----------------------------------------------------------------------------
    def close_section(self) -> None:
        if self.section is not None:
            self.section.text = "\n\n".join(t for t in self.section_lines if t)
            self.out.sections.append(self.section)
        self.section = None
        self.section_lines = []

    def open_section(self, kind: str, block: Block) -> None:
        self.close_section()
        unit = self.current_unit()
        self.section = Section(document_id=self.doc.document_id, unit_name=unit.name if unit else None,
                               kind=kind, heading=block.text, text="", page=block.prov.page,
                               line=block.prov.line)

    # -- walk --------------------------------------------------------------------------------
    def statement(self, block: Block, order: int) -> bool:
        """Responsible labels and sentences; True when the block was one."""
        lang = self.lang
        responsible = match_prefixed("units", "responsible_prefix", block.text, lang)
        if responsible:
            self.close_section()
            if self.pending_area is not None:
                self.pending_area.responsible_raw = responsible_raw(responsible, lang or "fi")
                self.pending_area.responsible_title = unit_title(responsible, lang or "fi")
                self.pending_area = None
            elif self.previous is not None and self.previous.kind in ("heading", "title") \
                    and not section_like(self.previous.text, lang):
                name = clean_unit_name(self.previous.text, lang)
                unit = self.add_unit(name, unit_level(name, lang, "central"), self.previous, None)
                if not unit.responsible_title:
                    unit.responsible_raw = responsible_raw(responsible, lang or "fi")
                    unit.responsible_title = unit_title(responsible, lang or "fi")
                self.enter(unit)
            else:
                self.propose(self.current_unit(), ResponsibleText("responsible", responsible), order)
            return True
        found = responsible_text(block.text, lang)
        if found is None:
            return False
        if found.kind == "preparer" and not found.raw:
            self.pending_preparer = self.current_unit()
        elif found.kind == "responsible" and found.title is None:
            self.propose(self.root or self.org or self.area, found, order)  # accountable to the council
        else:
            self.propose(self.current_unit(), found, order)
        return True

    def unit_heading(self, block: Block, index: int) -> bool:
        """Headings that open a unit; True when the block was one."""
        lang = self.lang
        area_name = match_prefixed("units", "area_prefix", block.text, lang)
        if area_name:
            self.close_section()
            self.area = self.add_unit(clean_unit_name(area_name, lang), "area", block, self.root)
            self.area_style = None
            self.pending_area = self.area
            self.theme = None
            self.out.period_texts.append(block.text)
            return True
        if block.kind not in ("heading", "title"):
            return False
        prefixed = level_heading(block.text, lang)
        if prefixed:
            self.close_section()
            name, level = prefixed
            if level == "service_centre" or self.root is None:
                self.enter(self.add_unit(name, level, block, None), style_of(block))
            else:
                unit = self.add_unit(name, level, block, self.root)
                self.area, self.area_style = unit, style_of(block)
            return True
        name = bare_unit_name(block, lang)
        if name and (index in self.owned or lexicon_level(name, lang) == SUBSIDIARY):
            self.close_section()
            unit = self.named(name, block)
            if unit is not None:
                self.enter(unit, None)
                return True
        known = self.out.unit(block.text)
        if known is not None:
            self.enter(known, self.area_style if known.parent_unit_id else self.root_style)
            return True  # a unit's name repeated as a table title
        style = style_of(block)
        if not section_like(block.text, lang):
            if self.area_style is not None and style == self.area_style:
                self.area = self.area_style = None
                self.area_from_title = False
            if self.root_style is not None and style == self.root_style:
                self.leave()
        return False

    def block(self, block: Block, index: int) -> None:
        lang = self.lang
        text = block.text
        if self.pending_preparer is not None and not responsible_text(text, lang):
            self.propose(self.pending_preparer, ResponsibleText("preparer", text), index)
            self.pending_preparer = None
            return
        self.pending_preparer = None
        if self.statement(block, index):
            return
        if is_chapter(block, self.body_size) or block.kind in ("heading", "title"):
            self.heading = text
        if is_chapter(block, self.body_size):
            self.close_section()
            self.leave()
        if self.segment_heading(block):
            return
        company = subsidiary_named(text, lang)
        if company:  # 'Tytäryhteisö Kiinteistö Oy X': the company's pages
            self.close_section()
            self.enter(self.add_unit(company, SUBSIDIARY, block, None))
            return
        item, board = minutes_item(text, lang) if block.kind in ("heading", "title") else (False, None)
        if item:  # a minutes item is its board's: the board of the minutes unless its subject names another
            self.subject = None
            self.leave()
            unit = self.named(board, block) if board else None
            if unit is not None and unit is not self.org:
                self.enter(unit)
        if self.unit_heading(block, index):
            return
        if block.kind in ("heading", "title") and is_budget_subject(text):
            self.out.subject_texts.append(text)
            self.subject = text
        if block.kind == "heading" and is_theme_heading(text):
            self.close_section()
            found = THEME_HEADING.match(text)
            assert found is not None
            self.theme = (int(found.group("number")), found.group("title").strip())
            return
        kind = classify_any("sections", text, lang) if block.kind in ("heading", "title") else None
        if kind:
            self.open_section(kind, block)
            if kind == "goals":
                self.out.period_texts.append(text)
            return
        if self.section is not None:
            if block.kind == "list_item":
                found = BULLET.match(text)
                self.section.items.append(found.group("text") if found else text)
            else:
                self.section_lines.append(text)

    def in_segments(self) -> bool:
        return self.segment_chapter is not None or self.segment_page

    def segment_heading(self, block: Block) -> bool:
        """Open, follow and close the separate statements of business units; True when the block named a
        segment. Opened by a heading naming them ('13. Seinäjoen kaupungin eriytetyt laskelmat'); closed by
        a chapter heading not numbered under its number ('6 Allekirjoitukset' after '5 Muut eriytetyt
        laskelmat') or a heading printed as large as it (an unnumbered 'V ERIYTETYT LASKELMAT': only that).
        Between, a heading that can name a unit names the segment whose statements follow ('13.1
        Ravintolapalvelu' -> 'Ravintolapalvelu'; a heading wrapped in a narrow column, 'Myytä-/vät ta-/
        loushal-/lintopal-/velut', is joined as printed)."""
        heading = block.kind in ("heading", "title")
        chapter = is_chapter(block, self.body_size)
        if not (heading or chapter) or CONTENTS_ENTRY.search(block.text):
            return False  # a table of contents' line names the chapter without opening it
        size = block.font_size or 0.0
        found = HEADING_NUMBER.match(block.text.strip())
        number = found.group("number") if found and chapter else ""
        if names_segment_section(block.text, self.lang):
            if self.segment_chapter is None or number:  # a running header repeating the chapter's name opens none
                self.segment_chapter, self.segment_unit = (number, size), None
            return False
        if self.segment_chapter is not None:
            opened, opened_size = self.segment_chapter
            outside = bool(number) and bool(opened) and not number.startswith(f"{opened}.")
            if (chapter and outside) or (opened_size and size >= opened_size):
                self.segment_chapter, self.segment_unit = None, None
        if not self.in_segments():
            return False
        if chapter:
            self.segment_unit = None  # a numbered heading of its own names another segment, or none
        printed = join_printed_lines(block.lines or [block.text], self.lang).strip()
        numbered = HEADING_NUMBER.match(printed)
        name = clean_unit_name(printed[numbered.end("number"):].lstrip(". ") if numbered else printed, self.lang)
        if not plausible_unit_name(name, self.lang) or CODE_NAME.match(name):
            return False
        self.segment_unit = self.out.unit(name) or self.add_unit(name, SEGMENT, block, None)
        return True

    def table_unit(self, table: Table, title: str | None) -> Unit | None:
        """The unit a table belongs to: a unit named by its first heading cell, by its title (a sentence gives
        the boards it names), a new area named by a finance table's short title, else the context."""
        lang = self.lang
        first = table.header[0].text.strip() if table.header else ""
        heading_cells = table.header or (table.rows[0].cells if table.rows else [])
        company = subsidiary_named(" ".join(c.text for c in heading_cells), lang)
        if company:  # a heading row 'Tytäryhteisö | Kiinteistö Oy X'
            unit = self.add_unit(company, SUBSIDIARY, table, None)
            self.enter(unit)
            return unit
        if first and not YEAR.search(first) and not classify_any("columns", first, lang) \
                and not is_caption(first, lang):
            unit = self.named(first, table)
            if unit is not None:
                if unit is not self.org:
                    self.enter(unit)
                return unit
        if title and not section_like(title, lang):
            if is_sentence(title):
                names = boards_named(title, lang)
                known = [unit for unit in (self.out.unit(name) for name in names) if unit is not None]
                if known:
                    return known[-1]
                if self.current_unit() is None and names:
                    return self.add_unit(names[-1], "committee", table, None)
                return self.current_unit()
            unit = self.named(title, table)
            if unit is not None:
                if unit is not self.org:
                    self.enter(unit)
                return unit
            parent = self.root or self.org
            if parent is not None and parent.level != SUBSIDIARY and (self.area is None or self.area_from_title) \
                    and has_figures(table) and plausible_unit_name(title, lang):  # a company's titles name no areas
                area = self.add_unit(clean_unit_name(title, lang), "area", table, parent)
                # the area lasts until the next heading printed like its title
                self.area, self.area_style = area, style_of(self.previous) if self.previous else None
                self.area_from_title = True
                return area
        return self.current_unit()

    def table(self, table: Table) -> None:
        self.close_section()
        title = self.previous.text if self.previous is not None and self.previous.kind in ("heading", "title") \
            else None
        segment = self.in_segments()
        unit = self.segment_unit if segment else self.table_unit(table, title)
        above = [b.text for b in reversed(self.since_table[-ABOVE_BLOCKS:])]
        caption = above[0] if above and len(above[0].split()) <= CAPTION_WORDS else None
        # a short caption under the line that introduces the table ('Taulukko. Lainamäärän kehitys vuodesta
        # 2015, Seinäjoen kaupunkikonserni:' over 'Lainamääränkehitys vuosina 2015-2024', Seinäjoki p. 75)
        introduction = above[1] if caption and len(above) > 1 and above[1].rstrip().endswith(":") and \
            len(above[1].split()) <= CAPTION_WORDS else None
        group = any(entity_scope(text, self.lang) == "group"
                    for text in (title, caption, introduction, self.heading))
        scope = SEGMENT if segment else SUBSIDIARY if unit is not None and unit.level == SUBSIDIARY else \
            "group" if group else None
        self.out.tables.append(TableContext(table=table, unit_name=unit.name if unit else None,
                                            theme_number=self.theme[0] if self.theme else None,
                                            theme_title=self.theme[1] if self.theme else None, title=title,
                                            above=above, subject=self.subject, entity_scope=scope))
        rows = [" ".join(c.text for c in row.cells if c.text.strip()) for row in table.rows[1:]]
        if company := first_subsidiary(rows, self.lang):  # a company's label row taken in over a page break
            self.enter(self.add_unit(company, SUBSIDIARY, table, None))

    def run(self) -> Structure:
        organisation = document_organisation(self.doc)
        if organisation is not None:
            name, page = organisation
            self.org = self.out.add_unit(self.doc.document_id, name, unit_level(name, self.lang, "committee"),
                                         None, page=page)
            self.out.organisation = self.org
        furniture = {page.number: page.furniture for page in self.doc.pages}
        page = None
        for index, item in enumerate(self.doc.items):
            if item.prov.page != page:  # a company's label set as the page's header: the company's page
                page = item.prov.page
                self.segment_page = any(names_segment_section(line, self.lang) for line in furniture.get(page, ()))
                if company := first_subsidiary(furniture.get(page, ()), self.lang):
                    self.enter(self.add_unit(company, SUBSIDIARY, item, None))
            if isinstance(item, Table):
                self.table(item)
                self.previous = None
                self.since_table = []
                self.record_unit(index)
                continue
            self.since_table.append(item)
            if normalize_label(item.text) in self.running and not section_like(item.text, self.lang):
                self.previous = None  # a running header: neither a title nor a unit
            else:
                self.block(item, index)
                self.previous = item
            self.record_unit(index)
        self.close_section()
        self.settle_responsibles()
        return self.out


def segment(doc: PlanDocument) -> Structure:
    return _Walker(doc).run()
