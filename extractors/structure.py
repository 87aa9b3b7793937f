"""Segment stage: walk a PlanDocument's items and attach units, sections, themes and tables to context."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from extractors.layout import is_theme_heading
from extractors.lexicon import classify_any, match_prefixed, normalize_label
from extractors.patterns import BULLET, THEME_HEADING
from models import Block, PlanDocument, Section, Table, Unit


ABOVE_BLOCKS = 3  # blocks above a table searched for its caption


@dataclass
class TableContext:
    table: Table
    unit_name: str | None
    theme_number: int | None
    theme_title: str | None
    title: str | None
    """The short title block right before the table, if any."""
    above: list[str] = field(default_factory=list)
    """The texts of the blocks right before the table (since the previous table), nearest first:
    where a caption such as 'Käyttötalous, 1 000 euroa' names the table's scale."""


@dataclass
class Structure:
    units: list[Unit] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[TableContext] = field(default_factory=list)
    period_texts: list[str] = field(default_factory=list)
    item_units: dict[int, str | None] = field(default_factory=dict)
    """Index in `PlanDocument.items` -> the name of the unit that item stands in."""

    def unit(self, name: str | None) -> Unit | None:
        if not name:
            return None
        key = normalize_label(name)
        return next((u for u in self.units if normalize_label(u.name) == key), None)

    def parent_of(self, unit: Unit) -> Unit | None:
        return next((u for u in self.units if u.unit_id == unit.parent_unit_id), None)

    def add_unit(self, document_id: str, name: str, level: str, parent: Unit | None, *,
                 page: int | None = None, line: int | None = None) -> Unit:
        """The unit of that name, added first when it is new."""
        existing = self.unit(name)
        if existing:
            return existing
        unit = Unit(document_id=document_id, unit_id=unit_id(document_id, name), name=name, level=level,
                    parent_unit_id=parent.unit_id if parent else None, page=page, line=line)
        self.units.append(unit)
        return unit


def unit_id(document_id: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalize_label(name).encode("ascii", "ignore").decode()).strip("-")
    digest = hashlib.sha1(normalize_label(name).encode()).hexdigest()[:6]
    return f"{slug[:40] or 'unit'}-{digest}"


def unit_level(name: str, language: str | None, default: str) -> str:
    return classify_any("units", name, language) or default


class _Walker:
    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.out = Structure()
        self.central: Unit | None = None
        self.area: Unit | None = None
        self.pending_area: Unit | None = None
        self.theme: tuple[int, str] | None = None
        self.section: Section | None = None
        self.section_lines: list[str] = []
        self.previous: Block | None = None
        self.since_table: list[Block] = []

    # -- units -------------------------------------------------------------------------------
    def add_unit(self, name: str, level: str, block: Block, parent: Unit | None) -> Unit:
        return self.out.add_unit(self.doc.document_id, name, level, parent, page=block.prov.page,
                                 line=block.prov.line)

    def current_unit(self) -> Unit | None:
        return self.area or self.central

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
    def block(self, block: Block) -> None:
        lang = self.doc.language
        text = block.text
        area_name = match_prefixed("units", "area_prefix", text, lang)
        if area_name:
            self.close_section()
            parent = self.central
            self.area = self.add_unit(area_name, "area", block, parent)
            self.pending_area = self.area
            self.theme = None
            self.out.period_texts.append(text)
            return
        responsible = match_prefixed("units", "responsible_prefix", text, lang)
        if responsible:
            self.close_section()
            if self.pending_area is not None:
                self.pending_area.responsible_title = responsible
                self.pending_area = None
            elif self.previous is not None and self.previous.kind in ("heading", "title"):
                name = self.previous.text
                self.central = self.add_unit(name, unit_level(name, lang, "central"), self.previous, None)
                self.central.responsible_title = responsible
                self.area = None
            return
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
        if self.out.unit(text):
            return  # a unit's name repeated as a table title
        if self.section is not None:
            if block.kind == "list_item":
                found = BULLET.match(text)
                self.section.items.append(found.group("text") if found else text)
            else:
                self.section_lines.append(text)

    def table(self, table: Table) -> None:
        self.close_section()
        title = self.previous.text if self.previous is not None and self.previous.kind in ("heading", "title") \
            else None
        unit = self.current_unit()
        self.out.tables.append(TableContext(table=table, unit_name=unit.name if unit else None,
                                            theme_number=self.theme[0] if self.theme else None,
                                            theme_title=self.theme[1] if self.theme else None, title=title,
                                            above=[b.text for b in reversed(self.since_table[-ABOVE_BLOCKS:])]))

    def run(self) -> Structure:
        for index, item in enumerate(self.doc.items):
            if isinstance(item, Table):
                self.table(item)
                self.previous = None
                self.since_table = []
            else:
                self.block(item)
                self.previous = item
                self.since_table.append(item)
            unit = self.current_unit()
            self.out.item_units[index] = unit.name if unit else None
        self.close_section()
        return self.out


def segment(doc: PlanDocument) -> Structure:
    return _Walker(doc).run()
