"""Organisation vocabulary: unit names, levels, boards and responsible statements, read with the units lexicon.

Pure functions over one line of text; the segment stage (extractors.structure) decides where they apply.
Every pattern lives in extractors/lexicons/{fi,sv}/units.yml; the document's language is tried first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from extractors.lexicon import LANGUAGES, Entry, classify_any, load, normalize_label
from extractors.patterns import DIGITS, ZERO_WIDTH

KIND = "units"
ROOT_LEVELS = ("central", "committee", "department", "service_centre")
"""Levels of a unit that is an organisation of its own (a central, a board, a department, a service centre)."""
SUBSIDIARY = "subsidiary"
"""Level of a company, joint municipal authority or foundation of the municipal group ('Kauhavan Vesi Oy')."""
SEGMENT = "segment"
"""Level and entity scope of a business unit of the city with separate statements of its own ('13.1
Ravintolapalvelu' under 'Eriytetyt laskelmat'; units lexicon `segment_section`)."""
NAMED_LEVELS = ("central", "committee", "department", "city", SUBSIDIARY)
"""Levels the lexicon recognises from a bare name ('Sivistyslautakunta', 'Kokonaistalous', 'Kauhavan Vesi Oy')."""
CODE_NAME = re.compile(r"^\d{2,5}\s+\S")
MAX_NAME_WORDS = 8
MAX_BOARD_WORDS = 4
"""Words of the part of a minutes item's subject that names its board ('hyvinvointilautakunnan alaiset toimijat')."""
_HYPHEN_BREAK = re.compile(r"(?<=\w)-\s+(?=(?P<next>[^\W\d_][\w-]*))")
_SENTENCE_END = re.compile(r"(?P<word>\S*)\.\s+(?=[A-ZÅÄÖ])")
ABBREVIATION_LETTERS = 3


def _order(language: str | None) -> list[str]:
    return ([language] if language in LANGUAGES else []) + [lang for lang in LANGUAGES if lang != language]


@lru_cache(maxsize=1 << 16)
def _flat(text: str) -> str:
    """NFKC, no zero-width characters, single spaces (cached: each line is read against many entries)."""
    return " ".join(ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text)).split())


@cache
def _joiners() -> frozenset[str]:
    return frozenset(w.lower() for lang in LANGUAGES for w in load("document", lang).words("joiners"))


def clean_unit_name(text: str, language: str | None = None) -> str:
    """A unit's name as printed, without what the layout added: zero-width characters, a hyphen that only
    broke a word over lines ('SIVISTYS- LAUTAKUNTA' -> 'SIVISTYSLAUTAKUNTA'; 'Kultur- och fritidsnämnden'
    keeps its hyphen), a continuation mark ('(jatkuu)', '(forts.)') and a trailing colon."""
    flat = _flat(text)

    def join(found: re.Match[str]) -> str:
        return "- " if found.group("next").lower() in _joiners() else ""

    flat = _HYPHEN_BREAK.sub(join, flat)
    for lang in _order(language):
        for pattern in load(KIND, lang).entry("continued").patterns:
            flat = pattern.sub("", flat, count=1) if pattern.search(flat.lower()) else flat
    return flat.strip(" :;")


@lru_cache(maxsize=1 << 14)
def unit_key(name: str | None) -> str:
    """The key two printings of one unit share: letters and digits, lower-case ('Kultur och
    fritidsnämnden' and 'Kultur- och fritidsnämnden', '130 YLEISHALLINTO' and '130 Yleishallinto').

    Cached: a function of the name and the units lexicons (read once per process); finding a unit by name
    compares its key with every unit's (StructureResult.unit)."""
    if not name:
        return ""
    cleaned = clean_unit_name(name)
    return "".join(ch for ch in unicodedata.normalize("NFKC", cleaned).lower() if ch.isalnum())


def unit_level(name: str, language: str | None) -> str | None:
    """The level the lexicon reads from a unit's bare name ('TEKNINEN LAUTAKUNTA' -> committee), or None."""
    return classify_any(KIND, clean_unit_name(name, language), language)


def level_heading(text: str, language: str | None) -> tuple[str, str] | None:
    """(name, level) of a heading that prints the level word first ('Tulosalue 130 Yleishallinto' ->
    ('130 Yleishallinto', 'result_area'), 'Palvelukeskus KONSERNIPALVELUT' -> service_centre), or None."""
    for lang in _order(language):
        for level, data in load(KIND, lang).extra.get("level_headings", {}).items():
            value = _value(_entry(lang, f"level_headings.{level}", data), text)
            if value:
                return clean_unit_name(value, language), level
    return None


def is_caption(text: str, language: str | None = None) -> bool:
    """A table title or first heading cell that says what a table holds ('Käyttötalous, euroa',
    'Driftsekonomi, euro', 'Tunnusluvut', 'Ekonomi (tkr)'), never whose it is."""
    return any(load(KIND, lang).entry("caption").matches(_flat(text)) for lang in _order(language))


def is_sentence(text: str) -> bool:
    """Running text rather than a name: a full stop or colon at its end after several words, or many words."""
    words = _flat(text).split()
    return len(words) > MAX_NAME_WORDS or (len(words) >= 4 and _flat(text).endswith((".", ":")))


def plausible_unit_name(text: str, language: str | None) -> bool:
    """A short heading that can name a unit of the body in context ('Hallinto ja talous', '130 Yleishallinto'):
    not a caption, section, column or finance-line heading, not a sentence, at most one capitalised word in
    each of its comma-separated parts unless it is all capitals ('Anläggning, Fritids- och föreningsutveckling',
    a unit named by the activities it joins, Simrishamn KFN årsbokslut 2025 p. 34), no figures except a
    leading code."""
    name = clean_unit_name(text, language)
    words = name.split()
    if not words or len(words) > 6 or is_sentence(name) or any(ch in name for ch in ":/%()€"):
        return False
    coded = bool(CODE_NAME.match(name))
    body = name.split(None, 1)[1] if coded else name
    if not body[:1].isalpha() or not body[:1].isupper() or DIGITS.search(body):
        return False
    if not body.isupper() and any(sum(1 for w in part.split() if w[:1].isupper()) > 1 for part in body.split(",")):
        return False
    if is_caption(name, language):
        return False
    return not any(classify_any(kind, name, language) for kind in ("sections", "columns", "goal_columns",
                                                                   "finance_lines"))


def subsidiary_named(text: str, language: str | None) -> str | None:
    """The company a labelled line names ('Tytäryhteisö Kiinteistö Oy Seinäjoen Animwest', 'Dotterbolag:
    Österlenhem AB' -> the name as printed), or None; a sentence after the label names none."""
    value = _prefixed("subsidiary_prefix", text, language)
    if not value or is_sentence(value):
        return None
    return clean_unit_name(value, language)


def first_subsidiary(lines: Iterable[str], language: str | None) -> str | None:
    """The company the first labelled line among `lines` names (a page header, rows a table took in)."""
    return next(filter(None, (subsidiary_named(line, language) for line in lines)), None)


def entity_scope(text: str | None, language: str | None) -> str | None:
    """The reporting entity a title, heading or column heading names: 'group' (the municipal group:
    'Konsernituloslaskelma', 'Konserni 2024', 'Koncernens balansräkning'), 'city' (the municipality itself,
    printed as a column beside the group's: 'Kaupunki 2024', 'Kommunen 2024'), else None. A text naming the
    parent city beside the group ('emokaupungin ja kaupunkikonsernin': units lexicon `parent_named`) names no
    single entity: None."""
    if not text:
        return None
    flat = normalize_label(_flat(text))
    if any(p.search(flat) for lang in _order(language) for p in load(KIND, lang).entry("parent_named").patterns):
        return None
    for scope in ("group", "city"):
        if any(p.search(flat) for lang in _order(language) for p in load(KIND, lang).entry(f"{scope}_scope").patterns):
            return scope
    return None


def names_segment_section(text: str | None, language: str | None) -> bool:
    """Whether a heading or running header names the separate statements of the city's business units
    ('V ERIYTETYT LASKELMAT', '5 Muut eriytetyt laskelmat', 'Särredovisning'; units lexicon
    `segment_section`): the statements under it are those units', not the city's."""
    if not text:
        return False
    flat = normalize_label(_flat(text))
    return any(p.search(flat) for lang in _order(language) for p in load(KIND, lang).entry("segment_section").patterns)


def names_peer_comparison(text: str | None, language: str | None) -> bool:
    """Whether a title, caption or heading names a comparison with other municipalities ('Seinäjoki ja
    verrokkikaupungit', 'Jämförelsekommuner'; units lexicon `peer_comparison`): see extractors.peers."""
    if not text:
        return False
    flat = normalize_label(_flat(text))
    return any(p.search(flat) for lang in _order(language) for p in load(KIND, lang).entry("peer_comparison").patterns)


def boards_named(text: str, language: str | None) -> list[str]:
    """Boards a sentence names, in base form and in order ('Kaupunginhallituksen päätöksessä ...
    sivistyslautakunnan talousarvioesitys' -> ['Kaupunginhallitus', 'Sivistyslautakunta'])."""
    names: list[str] = []
    flat = _flat(text)
    for lang in _order(language):
        data = load(KIND, lang).extra.get("board_forms", {})
        endings, adjectives = data.get("endings", {}), data.get("adjectives", {})
        for pattern in data.get("patterns", ()):
            for found in re.finditer(pattern, flat, flags=re.IGNORECASE):
                stem, ending = found.group("stem"), found.group("ending").lower()
                adjective = (found.groupdict().get("adjective") or "").lower()
                if ending not in endings:
                    continue
                if adjective and not stem:
                    base = adjectives.get(adjective, adjective)
                    name = f"{base[:1].upper()}{base[1:]} {endings[ending]}"
                elif len(stem) >= 3:
                    name = stem[:1].upper() + stem[1:].lower() + endings[ending]
                else:
                    continue
                if name not in names:
                    names.append(name)
        if names:
            break
    return names


def minutes_item(text: str, language: str | None) -> tuple[bool, str | None]:
    """Whether a heading is a minutes item's subject ('§ 7 Talousarvio 2025 sekä taloussuunnitelma 2026-2027,
    sivistyslautakunta'), and the board it names after its subject proper (after a comma or a slash:
    '..., tekninen lautakunta / Täytäntöönpano-ohjeet' -> 'Tekninen lautakunta'), if any."""
    flat = _flat(text)
    patterns = [p for lang in _order(language) for p in load("document", lang).entry("minutes_item").patterns]
    if not any(p.search(flat) for p in patterns):
        return False, None
    for segment in reversed(re.split(r"[,/]", flat)[1:]):
        names = boards_named(segment, language)
        if len(names) == 1 and len(segment.split()) <= MAX_BOARD_WORDS:
            return True, names[0]
    return True, None


def board_in_line(text: str, language: str | None) -> str | None:
    """The board a line such as a page header names ('Lapuan kaupunki Tekninen lautakunta 28.01.2025' ->
    'Tekninen lautakunta'), or None."""
    flat = _flat(text)
    for lang in _order(language):
        for pattern in load(KIND, lang).entry("board_in_text").patterns:
            for found in pattern.finditer(flat):
                name = clean_unit_name(found.group("value"), language)
                if unit_level(name, language) == "committee":
                    return name
    return None


def form_fields(text: str, language: str | None) -> bool:
    """Whether a line is a form's fields ('Status: Påbörjad Rapportperiod: 2027-12-31 Organisation: Kultur- och
    fritidsnämnden': units lexicon `form_fields`): its metadata, never a unit's name as a whole; one of its
    fields may name the body (`organisation_label`)."""
    return _prefixed_match("form_fields", text, language)


def _prefixed_match(name: str, text: str, language: str | None) -> bool:
    return any(next(_matches(load(KIND, lang).entry(name), text), None) is not None for lang in _order(language))


def organisation_label(text: str, language: str | None) -> str | None:
    """The body an 'Organisation: Kultur- och fritidsnämnden' / 'Toimielin: X' label names, or None."""
    value = _prefixed("organisation_prefix", text, language)
    if value:
        name = clean_unit_name(value, language)
        if unit_level(name, language) in ROOT_LEVELS:
            return name
    return None


@dataclass(frozen=True)
class ResponsibleText:
    """A responsible person printed in a line: `kind` is 'responsible' (a Vastuuhenkilö / Ansvarsperson label,
    a title label, the council-accountable officer's sentence), 'presenter' (Esittelijä) or 'preparer'
    (Valmistelija / lisätiedot); `raw` is as printed (name, e-mail and title), `title` the part that names the
    office when the label itself is the title ('Förvaltningschef: Gunilla Lewerentz'); an empty `raw` means the
    value is printed in the next block."""

    kind: str
    raw: str
    title: str | None = None


def responsible_text(text: str, language: str | None) -> ResponsibleText | None:
    """Read a responsible label or sentence; None when the line is neither."""
    value = _prefixed("responsible_prefix", text, language)
    if value:
        return ResponsibleText("responsible", value)
    for lang in _order(language):
        for pattern in load(KIND, lang).entry("title_label").patterns:
            found = pattern.search(_flat(text).lower())
            if found:
                return ResponsibleText("responsible", _flat(text), _original(text, found, "title"))
    value = _prefixed("responsible_sentence", text, language)
    if value:
        return ResponsibleText("responsible", _first_sentence(value))
    for name, kind in (("presenter_prefix", "presenter"), ("preparer_prefix", "preparer")):
        value = _prefixed(name, text, language, allow_empty=True)
        if value is not None:
            return ResponsibleText(kind, value)
    return None


def _first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence ('vs. Tekninen johtaja' keeps its abbreviation)."""
    for found in _SENTENCE_END.finditer(text):
        word = found.group("word")
        if len(word) > ABBREVIATION_LETTERS or word[:1].isupper():
            return text[:found.end("word")].strip()
    return text.strip().rstrip(".")


def _entry(lang: str, name: str, data: dict) -> Entry:
    return Entry(key=name, patterns=tuple(re.compile(p) for p in data.get("patterns", ())))


def _matches(entry: Entry, text: str) -> Iterator[re.Match[str]]:
    normalised = normalize_label(_flat(text))
    for pattern in entry.patterns:
        found = pattern.search(normalised)
        if found:
            yield found


def _value(entry: Entry, text: str, allow_empty: bool = False) -> str | None:
    for found in _matches(entry, text):
        value = found.groupdict().get("value")
        if value:
            return _original(text, found, "value")
        if allow_empty:
            return ""
    return None


@lru_cache(maxsize=1 << 14)
def _prefixed(name: str, text: str, language: str | None, allow_empty: bool = False) -> str | None:
    """The value after the prefix the units lexicon's block `name` matches, in the document's language
    first; '' for a bare prefix when allow_empty. Cached on all four arguments (the lexicons are read once
    per process): the segment stage reads each line against the same prefixes more than once."""
    for lang in _order(language):
        value = _value(load(KIND, lang).entry(name), text, allow_empty)
        if value is not None:
            return value
    return None


def _original(text: str, found: re.Match[str], group: str) -> str:
    """A matched group with its printed capitalisation (matching ran on normalised lower-case text)."""
    wanted = found.group(group)
    flat = _flat(text).strip(" :;.")
    index = flat.lower().find(wanted, max(0, found.start(group) - 2))
    if index < 0:
        index = flat.lower().rfind(wanted)
    return flat[index:index + len(wanted)] if index >= 0 else wanted
