"""Link stage, organisations: which documents are editions of the same organisation, and in what order.

Contract: (documents, units) -> EditionRecords and the comparisons to make; pure, no I/O.

The rule: an organisation is a municipality plus one of its top-level units: a central (keskus/central), a
board (lautakunta/nämnd, kaupunginhallitus), a department (toimiala/förvaltning) or a service centre
(palvelukeskus). The municipality is keyed through the bilingual municipalities lexicon (Lovisa and Loviisa
are one key); a central is keyed by the language-neutral role key of its responsible office (city_manager
for stadsdirektören and kaupunginjohtaja), which also survives a renaming of the central, else by its name;
a board, department or service centre by its name (several boards share one responsible office). So a
board's minutes and the board's table in a budget document of the whole city are editions of one
organisation. Units under no such unit (whole-city tables) form `<municipality>.city`. A document whose
municipality is unknown is an organisation of its own: nothing is linked to it without evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from extractors.lexicon import classify_any
from extractors.link.text import slug
from extractors.units import ROOT_LEVELS
from models.links import Comparison, EditionRecord
from models.records import DocumentRecord, Unit

CITY_PART = "city"
FORMAT_PREFERENCE = {"pdf": 0, "text": 1}
STATUS_PREFERENCE = {"ok": 0, "partial": 1}


def municipality_key(name: str | None, language: str | None = None) -> str | None:
    """'Lovisa' and 'Loviisa' -> 'loviisa'; a name the lexicon does not list keys as itself."""
    if not name or not name.strip():
        return None
    return classify_any("municipalities", name, language) or slug(name) or None


def unit_base_key(unit: Unit) -> str:
    """The language-neutral key of a unit within one document: its responsible office, else its name."""
    return unit.responsible_role_key or slug(unit.name)


def is_root(unit: Unit) -> bool:
    """A top-level unit that is an organisation of its own (a central, a board, a department, a service centre)."""
    return unit.parent_unit_id is None and unit.level in ROOT_LEVELS


def root_key(unit: Unit) -> str:
    """A central's responsible office (else its name); a board's, department's or service centre's name."""
    return unit_base_key(unit) if unit.level == "central" else slug(unit.name) or "unit"


@dataclass(frozen=True)
class Membership:
    """The part of one document that belongs to one organisation."""

    organisation_key: str
    document: DocumentRecord
    municipality_key: str | None
    central: Unit | None
    """The organisation's top-level unit in this document (a central, a board, ...); None for `.city`."""
    unit_ids: frozenset[str]
    display_name: str


def _descendants(root: Unit, children: dict[str | None, list[Unit]]) -> list[Unit]:
    found, stack = [], [root]
    while stack:
        unit = stack.pop()
        found.append(unit)
        stack.extend(children.get(unit.unit_id, []))
    return found


def memberships(documents: Iterable[DocumentRecord], units: Iterable[Unit],
                unplaced: Iterable[str] = ()) -> list[Membership]:
    """Split every readable document into its organisations (usually exactly one). `unplaced`: documents with
    records under no unit (a financial statement's whole-city tables); they always have a `.city` part."""
    unplaced = set(unplaced)
    units_of: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        units_of[unit.document_id].append(unit)
    found: list[Membership] = []
    for document in documents:
        if document.status == "failed":
            continue
        doc_units = units_of.get(document.document_id, [])
        m_key = municipality_key(document.municipality, document.language)
        if m_key is None:
            name = document.title or document.source_path
            found.append(Membership(f"document-{document.document_id[:12]}", document, None, None,
                                    frozenset(u.unit_id for u in doc_units), name))
            continue
        children: dict[str | None, list[Unit]] = defaultdict(list)
        for unit in doc_units:
            children[unit.parent_unit_id].append(unit)
        claimed: set[str] = set()
        for root in (u for u in doc_units if is_root(u)):
            members = _descendants(root, children)
            claimed |= {u.unit_id for u in members}
            found.append(Membership(f"{m_key}.{root_key(root)}", document, m_key, root,
                                    frozenset(u.unit_id for u in members), f"{document.municipality} · {root.name}"))
        rest = frozenset(u.unit_id for u in doc_units if u.unit_id not in claimed)
        if rest or not claimed or document.document_id in unplaced:
            found.append(Membership(f"{m_key}.{CITY_PART}", document, m_key, None, rest, f"{document.municipality}"))
    return found


def edition_of(document: DocumentRecord) -> int | None:
    return document.plan_start_year if document.plan_start_year is not None else document.budget_year


def _preference(member: Membership) -> tuple[int, int, int, str]:
    """The board's own document first (its minutes over the city's budget document that holds its table),
    then ok before partial, PDF before text export."""
    document = member.document
    own = member.central is not None and document.organisation is not None \
        and slug(document.organisation) == slug(member.central.name)
    return (0 if own else 1, STATUS_PREFERENCE.get(document.status, 9),
            FORMAT_PREFERENCE.get(document.source_format, 9), document.document_id)


@dataclass
class Organisation:
    """All editions of one organisation: documents grouped by edition and language."""

    key: str
    members: list[Membership]
    primary_language: str | None = None
    editions: dict[int | None, dict[str | None, list[Membership]]] = field(default_factory=dict)

    def representative(self, edition: int | None, language: str | None) -> Membership | None:
        candidates = self.editions.get(edition, {}).get(language, [])
        return candidates[0] if candidates else None

    def ordered_editions(self) -> list[int]:
        return sorted(edition for edition in self.editions if edition is not None)

    def languages(self, edition: int | None) -> list[str | None]:
        """The edition's languages, the organisation's primary language first."""
        present = self.editions.get(edition, {})
        return sorted(present, key=lambda lang: (lang != self.primary_language, lang or ""))

    @property
    def name(self) -> str:
        names: dict[str | None, str] = {}
        for member in sorted(self.members, key=lambda m: (m.document.language != self.primary_language,
                                                          -(edition_of(m.document) or 0))):
            names.setdefault(member.document.language, member.display_name)
        return " / ".join(dict.fromkeys(names.values()))


def organisations(members: Iterable[Membership]) -> dict[str, Organisation]:
    """Group memberships into organisations; pick one representative per (edition, language)."""
    grouped: dict[str, list[Membership]] = defaultdict(list)
    for member in members:
        grouped[member.organisation_key].append(member)
    result: dict[str, Organisation] = {}
    for key, group in sorted(grouped.items()):
        organisation = Organisation(key=key, members=group)
        for member in sorted(group, key=_preference):
            edition = edition_of(member.document)
            organisation.editions.setdefault(edition, {}).setdefault(member.document.language, []).append(member)
        editions_per_language = Counter(lang for langs in organisation.editions.values() for lang in langs)
        earliest = organisation.ordered_editions()[:1]
        first_language = organisation.languages(earliest[0])[0] if earliest else None
        organisation.primary_language = min(
            editions_per_language,
            key=lambda lang: (-editions_per_language[lang], lang != first_language, lang or ""),
            default=None,
        )
        result[key] = organisation
    return result


def edition_records(organisation: Organisation) -> list[EditionRecord]:
    records = []
    for edition, languages in organisation.editions.items():
        for members in languages.values():
            for rank, member in enumerate(members):
                document = member.document
                records.append(EditionRecord(
                    organisation_key=organisation.key, organisation_name=organisation.name,
                    municipality=document.municipality, municipality_key=member.municipality_key,
                    central_unit_id=member.central.unit_id if member.central else None,
                    central_name=member.central.name if member.central else None,
                    document_id=document.document_id, source_path=document.source_path,
                    source_format=document.source_format, language=document.language, edition=edition,
                    budget_year=document.budget_year, plan_end_year=document.plan_end_year,
                    primary_language=organisation.primary_language, representative=rank == 0,
                ))
    primary = organisation.primary_language
    return sorted(records, key=lambda r: (r.edition is None, r.edition or 0, r.language != primary, r.language or "",
                                          not r.representative, r.document_id))


@dataclass(frozen=True)
class PlannedComparison:
    """Two documents to compare; `via` is the same-language later edition a bridge link goes through."""

    organisation_key: str
    comparison: Comparison
    source: Membership
    target: Membership
    via: Membership | None = None


def planned_comparisons(organisation: Organisation) -> list[PlannedComparison]:
    """Consecutive editions in each language of the later edition, and the translations within an edition.

    When the earlier edition lacks the later one's language, the earlier edition in the primary language
    is compared with it, through the later edition's primary-language version when there is one.
    """
    plans: list[PlannedComparison] = []
    ordered = organisation.ordered_editions()
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        for language in organisation.languages(later):
            target = organisation.representative(later, language)
            source = organisation.representative(earlier, language)
            assert target is not None
            if source is not None:
                plans.append(PlannedComparison(organisation.key, "consecutive", source, target))
                continue
            source_language = organisation.languages(earlier)[0]
            source = organisation.representative(earlier, source_language)
            via = organisation.representative(later, source_language)
            assert source is not None
            plans.append(PlannedComparison(organisation.key, "consecutive", source, target, via))
    for edition in ordered:
        languages = organisation.languages(edition)
        primary = organisation.representative(edition, languages[0])
        assert primary is not None
        for language in languages[1:]:
            other = organisation.representative(edition, language)
            assert other is not None
            plans.append(PlannedComparison(organisation.key, "translation", primary, other))
    return plans
