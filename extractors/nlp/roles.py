"""Roles stage: a goal's responsible text -> role titles in base form and their language-neutral keys."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from extractors.datafiles import read_yaml
from extractors.lexicon import LEXICON_DIR, load, normalize_label
from extractors.nlp.pipeline import PhraseRules, Word, analyse, lemma
from extractors.nlp.repair import repair_text
from extractors.patterns import EMAIL, ZERO_WIDTH

KIND = "roles"
NAME_WORDS = 3
"""Words a responsible label may print after the last title (a person's name) before it is other text."""
_PUNCTUATION = ",;.:()"


@lru_cache(maxsize=4)  # one entry per language
def _phrase_rules(lang: str) -> PhraseRules:
    lexicon = load(KIND, lang)
    rules = []
    for label, name in (("JOINER", "joiners"), ("DETERMINER", "determiners"), ("DROPPED", "dropped")):
        words = tuple(str(w) for w in lexicon.words(name))
        if words:
            rules.append((label, words))
    return tuple(rules)


@lru_cache(maxsize=4)  # one entry per language
def _forms(lang: str) -> dict[str, dict[str, str]]:
    """Per role key: its canonical title ("base") and how a printed role becomes a base form ("head")."""
    data = read_yaml(LEXICON_DIR / lang / f"{KIND}.yml")
    return {e["key"]: {k: str(e[k]) for k in ("base", "head") if k in e} for e in data.get("entries", ())}


def preload(lang: str) -> None:
    """Read the language's role forms now (see pipeline.warm_up)."""
    _forms(lang)


def canonical_role(key: str, lang: str) -> str | None:
    """The canonical title of a role key in a language ('city_manager' -> 'stadsdirektör' / 'kaupunginjohtaja')."""
    return _forms(lang).get(key, {}).get("base")


def role_key(role: str, lang: str) -> str | None:
    """The neutral key of a role title ('stadsdirektör' -> 'city_manager'), or None for an unknown office."""
    return load(KIND, lang).classify(role) if role and role.strip() else None


def _chunks(words: list[Word], joiners: set[int]) -> list[list[Word]]:
    chunks: list[list[Word]] = [[]]
    for word in words:
        if word.index in joiners:
            chunks.append([])
        else:
            chunks[-1].append(word)
    return [c for c in chunks if c]


def _base_form(text: str, words: list[Word], lang: str) -> str:
    surface = " ".join(text[words[0].start:words[-1].end].split()).lower()
    key = role_key(surface, lang)
    form = _forms(lang).get(key, {}) if key else {}
    if "head" not in form and "base" in form:
        return form["base"]
    head_mode = form.get("head", "lemma" if len(words) == 1 else "keep")
    if head_mode == "keep":
        return surface
    if head_mode == "all":
        return " ".join(lemma(word.text, lang) for word in words)
    head = words[-1]
    before = " ".join(text[words[0].start:head.start].split()).lower()
    return f"{before} {lemma(head.text, lang)}".strip() if before else lemma(head.text, lang)


def split_roles(text: str | None, lang: str, document_vocabulary: Collection[str] = frozenset()) -> list[str]:
    """Role titles named in a responsible text, each in base form, in order, without duplicates.

    'Stadsdirektören, ekonomidirektören och upphandlingschefen' -> ['stadsdirektör', 'ekonomidirektör',
    'upphandlingschef']; 'den kommunikations- och marknadsföringssakkun niga' -> ['kommunikations- och
    marknadsföringssakkunnig'] (a joiner after a suspended hyphen keeps the title whole).
    """
    if not text or not normalize_label(text):
        return []
    repaired, _ = repair_text(text, lang, document_vocabulary)
    analysis = analyse(repaired, lang, phrases=_phrase_rules(lang))
    words = [w for w in analysis.words if w.text.strip()]
    by_index = {w.index: w for w in words}
    joiners: set[int] = set()
    drop: set[int] = set()
    determiners: set[int] = set()
    for span in analysis.spans:
        indices = set(range(span.first, span.last))
        if span.label == "JOINER":
            before = by_index.get(span.first - 1)
            if before is not None and before.text.endswith("-"):
                continue  # "kommunikations- och marknadsförings...": a suspended hyphen, one title
            joiners |= indices
        elif span.label == "DROPPED":
            drop |= indices
        elif span.label == "DETERMINER":
            determiners |= indices
    roles: list[str] = []
    for chunk in _chunks(words, joiners):
        kept = [w for w in chunk if w.index not in drop and any(c.isalnum() for c in w.text)]
        while kept and kept[0].index in determiners:
            kept = kept[1:]
        if not kept:
            continue
        role = _base_form(repaired, kept, lang)
        if role and role not in roles:
            roles.append(role)
    return roles


def is_title_word(word: str, lang: str) -> bool:
    """An office's title word ('hyvinvointijohtaja', 'förvaltningschefen'), not a name or a body."""
    core = word.strip(_PUNCTUATION)
    return bool(core) and load(KIND, lang).entry("title_words").matches(core) is not None


def _label_words(text: str) -> list[str]:
    return EMAIL.sub(" ", ZERO_WIDTH.sub("", text)).split()


def title_phrases(text: str | None, lang: str) -> list[str]:
    """The office titles a responsible label or sentence prints, as printed and in order; a person's name and
    e-mail address are not part of them.

    'Mika Kamunen mika.kamunen@lapua.fi Sivistys- ja hyvinvointijohtaja' -> ['Sivistys- ja
    hyvinvointijohtaja']; 'Mirva Korpi, Tekninen johtaja' -> ['Tekninen johtaja'] (a capitalised word joins
    the title only when the roles lexicon knows the longer office); 'vs. tekninen johtaja ja tekninen johtaja'
    -> ['vs. tekninen johtaja', 'tekninen johtaja'].
    """
    if not text:
        return []
    words = _label_words(text)
    joiners = {str(w) for w in load(KIND, lang).words("joiners")}
    phrases: list[str] = []
    for index, word in enumerate(words):
        if not is_title_word(word, lang):
            continue
        start = index
        while start > 0:
            previous = words[start - 1]
            core = previous.strip(_PUNCTUATION)
            if previous.endswith((",", ";")) or not core or is_title_word(previous, lang):
                break
            if core.lower() in joiners:
                if start >= 2 and words[start - 2].endswith("-"):
                    start -= 2
                    continue
                break
            longer = " ".join([core, *words[start:index + 1]]).strip(_PUNCTUATION)
            if core[:1].islower() or role_key(longer, lang) not in (None, role_key(longer.split(None, 1)[1], lang)):
                start -= 1
                continue
            break
        phrases.append(" ".join(words[start:index + 1]).strip(_PUNCTUATION + " "))
    return phrases


def responsible_raw(text: str, lang: str) -> str:
    """A responsible label's value as printed, cut after its last title when other text follows (two columns
    read as one line: 'bildningsdirektören Tyngdpunkter 2025 Nämnden ansvarar ...' -> 'bildningsdirektören')."""
    words = ZERO_WIDTH.sub("", text).split()
    titles = [i for i, word in enumerate(words) if is_title_word(word, lang)]
    if not titles:
        return " ".join(words)
    end = titles[0]
    for index in titles[1:]:
        if index - end > NAME_WORDS + 2:  # a name and an e-mail address may stand between two titles
            break
        end = index
    if len(words) - end - 1 <= NAME_WORDS:
        return " ".join(words)
    return " ".join(words[:end + 1]).rstrip(_PUNCTUATION)


def unit_role(text: str | None, lang: str, document_vocabulary: Collection[str] = frozenset()) -> str | None:
    """The role (base form) of a unit's responsible as printed: its first office title, normalised like goal
    responsibles; a person's name never becomes the role."""
    if not text:
        return None
    phrases = title_phrases(text, lang)
    roles = split_roles(phrases[0] if phrases else " ".join(_label_words(text)), lang, document_vocabulary)
    return roles[0] if roles else None


def unit_title(text: str | None, lang: str) -> str | None:
    """A unit's responsible title as printed, without the person's name a label prints beside it ('Mika Kamunen,
    Sivistys- ja hyvinvointijohtaja, mika.kamunen@lapua.fi' -> 'Sivistys- ja hyvinvointijohtaja', Lapua
    sivistyslautakunta 2025-10-08 p. 7; 'Förvaltningschef: Gunilla Lewerentz' -> 'Förvaltningschef'): a name is
    never the title. The label's titles (`responsible_raw`, `title_phrases`), one after another as printed ('a, b'),
    when capitalised words outside them (a name) remain; otherwise the label as printed ('vs. tekninen johtaja ja
    tekninen johtaja', 'Rektorerna och skolkuratorerna': no title word the lexicon knows, nothing is dropped)."""
    printed = responsible_raw(text, lang) if text else None
    phrases = title_phrases(printed, lang)
    if not printed or not phrases:
        return printed
    inside = {w.strip(_PUNCTUATION) for phrase in phrases for w in phrase.split()}
    rest = [w.strip(_PUNCTUATION) for w in _label_words(printed) if w.strip(_PUNCTUATION) not in inside]
    if not any(w[:1].isupper() for w in rest):
        return printed
    return ", ".join(phrases)
