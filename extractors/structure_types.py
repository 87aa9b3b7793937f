"""The segment stage's result (extractors.structure): the units, sections and tables of a document with
the context each table stands in (its unit, theme, title, caption lines, minutes subject, entity scope)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from extractors.lexicon import normalize_label
from extractors.patterns import NOT_SLUG
from extractors.units import CODE_NAME, unit_key
from models import Section, Table, Unit


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
    subject: str | None = None
    """The budget subject of the minutes item the table stands in ('§ 7 Talousarvio 2025 sekä
    taloussuunnitelma 2026-2027, sivistyslautakunta'), if any."""
    entity_scope: str | None = None
    """Whose figures the table prints: 'subsidiary' (a table of a company's pages), 'segment' (a table under
    'Eriytetyt laskelmat': a business unit's own statement), 'group' (a group
    statement: its title, caption or the heading above it names the group), else None (the city's)."""


@dataclass
class Structure:
    units: list[Unit] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[TableContext] = field(default_factory=list)
    period_texts: list[str] = field(default_factory=list)
    subject_texts: list[str] = field(default_factory=list)
    """Headings that state the budget year and plan period together (a budget item's subject in minutes)."""
    organisation: Unit | None = None
    """The board the whole document belongs to (board minutes, a committee's report), if any."""
    item_units: dict[int, str | None] = field(default_factory=dict)
    """Index in `PlanDocument.items` -> the name of the unit that item stands in."""

    def unit(self, name: str | None) -> Unit | None:
        """The unit of that name, or the only one with the same code ('490 KANSALAISIOPISTO' is the
        '490 Kansalaisopisto' its heading names)."""
        key = unit_key(name)
        if not key:
            return None
        found = next((u for u in self.units if unit_key(u.name) == key), None)
        if found is None and name and CODE_NAME.match(name.strip()):
            code = name.split()[0]
            coded = [u for u in self.units if u.name.split()[0] == code]
            found = coded[0] if len(coded) == 1 else None
        return found

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
    slug = NOT_SLUG.sub("-", normalize_label(name).encode("ascii", "ignore").decode()).strip("-")
    digest = hashlib.sha1(normalize_label(name).encode()).hexdigest()[:6]
    return f"{slug[:40] or 'unit'}-{digest}"
