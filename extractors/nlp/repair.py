"""Text repair stage: join words broken by PDF extraction only with vocabulary evidence; report doubtful cases."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import load
from extractors.nlp.pipeline import MIN_TAIL, Word, analyse, lemma, stop_words, vocabulary

MIN_STEM = 3  # shortest first part of a compound
MIN_WORD_BEFORE_ENDING = 6  # cell wrapping breaks long words; "stad en" is two words
MIN_TAIL_ACROSS_BREAK = 6  # "sakkunniga", "åtgärder", "kampanjat"; shorter tails ("kone") match by chance
MAX_DETACHED_ENDING = 3  # "er", "r", "jat": an inflection ending pushed to the next line
_STRIP = ".,;:!?()[]{}\"'«»”“’‘…/*"
"""Marks around a word that are no part of it (a footnote's asterisk: 'Hinku-työtä*', Seinäjoki p. 120)."""
_VOWELS = "aeiouyåäö"


@dataclass(frozen=True)
class _Orthography:
    """Spelling facts of a language that decide whether a hyphen or a space belongs inside a word."""

    linking: tuple[str, ...]  # compound linking letters: sv "marknadsförings|sakkunnig"
    definite_endings: tuple[str, ...]  # an indefinite genitive cannot govern these ("bedömnings mallarna")
    suspended_followers: tuple[str, ...]  # "kommunikations- och": the hyphen is a suspended one
    hyphen_only_on_vowel_clash: bool  # fi writes a hyphen in a compound only where equal vowels meet


_ORTHOGRAPHY = {
    "sv": _Orthography(linking=("s",), definite_endings=("na", "en", "et"),
                       suspended_followers=("och", "eller", "samt", "respektive", "resp", "till", "ja", "&"),
                       hyphen_only_on_vowel_clash=False),
    "fi": _Orthography(linking=(), definite_endings=(),
                       suspended_followers=("ja", "tai", "sekä", "eli", "och", "&"),
                       hyphen_only_on_vowel_clash=True),
}


class LineBreaks(set[tuple[str, str]]):
    """(left, right) word pairs broken at a line end, and `inline`: hyphenated words the document prints
    within a line ('toimintakate-kasvu'), whose hyphen a line break never removes."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: set[str] = set()


def line_break_pairs(line_groups: Iterable[list[str]]) -> LineBreaks:
    """(left, right) lower-case word pairs printed as 'left-' at the end of a line and 'right' at the start
    of the next, from texts kept line by line (a line ending in a soft hyphen or in ' -' gives none); with
    the hyphenated words printed inside lines."""
    pairs = LineBreaks()
    for lines in line_groups:
        for line in lines:
            pairs.inline.update(w.strip(_STRIP).lower() for w in line.split()
                                if "-" in w.strip("-") and not w.endswith("-"))
        for upper, lower in zip(lines, lines[1:], strict=False):
            upper = upper.rstrip()
            if not upper.endswith("-") or upper.endswith(" -") or not upper.split() or not lower.split():
                continue
            left = upper.split()[-1][:-1].split("-")[-1].strip(_STRIP).lower()
            right = lower.split()[0].strip(_STRIP).rstrip("-").lower()  # 'minta-,' of 'toi-' / 'minta-, teemapäivät'
            if left.isalpha() and right.isalpha():
                pairs.add((left, right))
    return pairs


def document_vocabulary(texts: Iterable[str | None]) -> set[str]:
    """Lower-case words as printed anywhere in a document's texts (the document's own evidence)."""
    words: set[str] = set()
    for text in texts:
        for raw in (text or "").split():
            word = raw.strip(_STRIP).lower()
            if word and any(c.isalpha() for c in word):
                words.add(word)
    return words


@lru_cache(maxsize=100_000)
def _compound_known(word: str, lang: str) -> bool:
    """A known tail after a known first part (itself possibly a compound, or one with a linking letter)."""
    vocab = vocabulary(lang)
    links = _ORTHOGRAPHY[lang].linking
    for i in range(MIN_STEM, len(word) - MIN_TAIL + 1):
        if word[i:] not in vocab:
            continue
        head = word[:i]
        if head in vocab or _compound_known(head, lang):
            return True
        for link in links:
            if head.endswith(link) and len(head) - len(link) >= MIN_STEM and head[: -len(link)] in vocab:
                return True
    return False


def known(word: str, lang: str) -> bool:
    """The lemmatizer knows the word, or it is a compound of words it knows."""
    word = word.lower()
    return word in vocabulary(lang) or _compound_known(word, lang)


def _is_base_form(word: str, lang: str) -> bool:
    return known(word, lang) and lemma(word, lang) == word


def _head_ok(head: str, lang: str) -> bool:
    """The part of a compound before a known tail: nothing, or a known word (possibly with a linking letter)."""
    if not head:
        return True
    if len(head) < MIN_STEM:
        return False
    if known(head, lang):
        return True
    stems = (head[: -len(link)] for link in _ORTHOGRAPHY[lang].linking if head.endswith(link))
    return any(len(stem) >= MIN_STEM and known(stem, lang) for stem in stems)


def _tail_across_break(joined: str, cut: int, lang: str) -> tuple[str, str] | None:
    """A word the lemmatizer knows that starts before the break and ends the joined form, with the part
    of it left of the break ("marknadsförings|sakkun niga" -> ("sakkunniga", "sakkun"))."""
    vocab = vocabulary(lang)
    for i in range(0, cut):
        tail = joined[i:]
        if len(tail) >= MIN_TAIL_ACROSS_BREAK and tail in vocab and _head_ok(joined[:i], lang):
            return tail, joined[i:cut]
    return None


def _detached_ending(a: str, b: str, lang: str) -> bool:
    """'kommunikationsåtgärd er': the joined tail is an inflected form of the left piece's tail."""
    vocab = vocabulary(lang)
    joined = a + b
    for i in range(0, len(a) - MIN_TAIL + 1):
        tail, left_tail = joined[i:], a[i:]
        if (tail in vocab and left_tail in vocab and _head_ok(a[:i], lang)
                and lemma(tail, lang) == lemma(left_tail, lang)):
            return True
    return False


@lru_cache(maxsize=4)
def _standalone_words(lang: str) -> frozenset[str]:
    """Words never joined to the word before as its ending (document lexicon `standalone_words`)."""
    return frozenset(load("document", lang).words("standalone_words"))


def _decide_space(left: str, right: str, lang: str, doc_vocab: Collection[str]) -> tuple[bool, str | None]:
    """Join 'left right' into one word? Returns (join, finding)."""
    a, b = left.lower(), right.lower()
    joined = a + b
    rules = _ORTHOGRAPHY[lang]
    if b in rules.suspended_followers:
        return False, None
    a_known, b_known = known(a, lang), known(b, lang)
    if a_known and b_known:
        across = None  # not read below: two words join only with grammatical evidence
    else:
        across = _tail_across_break(joined, len(a), lang)
    # Strong evidence: the break falls inside a word ("sakkun|niga"), not between two ("maa|näkyvyyttä"
    # in "tuomaa näkyvyyttä"), or the document prints the joined form elsewhere. When the right piece is a word
    # by itself, the known word across the break must take more letters from the left piece than the right one
    # has ("marknadsförings|sakkun niga", "palve luja"): a few letters glued to a word match by chance and make a
    # compound nobody printed ("Tehostetun tuen" -> "tehoste|tun" + "tuen" = "tuntuen", Seinäjoki p. 93).
    inside = across is not None and not known(across[1], lang) and (not b_known or len(across[1]) > len(b))
    strong = inside or joined in doc_vocab
    if not a_known and strong and b not in stop_words(lang):
        return True, None
    if a_known and not b_known and (across is not None or joined in doc_vocab):
        return True, None
    if a_known and b_known:
        # Both pieces are words: join only with grammatical evidence.
        if (len(b) <= MAX_DETACHED_ENDING and len(a) >= MIN_WORD_BEFORE_ENDING and a not in stop_words(lang)
                and b not in _standalone_words(lang) and _detached_ending(a, b, lang)):
            return True, None
        for link in rules.linking:
            stem = a[: -len(link)]
            if (a.endswith(link) and len(stem) >= MIN_STEM and _is_base_form(stem, lang)
                    and b in vocabulary(lang) and lemma(b, lang) != b and b.endswith(rules.definite_endings)
                    and b not in _standalone_words(lang)):
                return True, None  # "konsekvensbedömnings mallarna": no indefinite genitive governs a definite noun
        return False, None
    if not a_known and not b_known and len(a) >= MIN_STEM:
        # neither piece is a word the lemmatizer knows: worth a look, but no evidence to join
        return False, f"kept '{left} {right}': looks like a broken word but the evidence for '{joined}' is weak"
    return False, None


def _decide_hyphen(left: str, right: str, lang: str, doc_vocab: Collection[str],
                   line_breaks: Collection[tuple[str, str]] = frozenset()) -> tuple[bool, str | None]:
    """Drop the hyphen of 'left-right' (a line-break hyphen inside a compound)?

    `line_breaks` holds the (left, right) pairs printed as 'left-' at the end of a line and 'right' at
    the start of the next: there a compound the lemmatizer or the document knows ('samarbets-|modell',
    'skol-|kuratorerna') is one word broken by the layout, unless the document prints the word with its
    hyphen inside a line elsewhere ('toimintakate-kasvu').
    """
    a, b = left.lower(), right.lower()
    joined = a + b
    broken = (a, b) in line_breaks
    shortest = 2 if broken and not known(b, lang) else MIN_STEM  # 'vä-|hentämään', never 'yo-|tutkinnon'
    if not (left.isalpha() and right.isalpha() and right[:1].islower() and len(a) >= min(2, shortest)):
        return False, None
    if len(left) > 1 and left.isupper():
        return False, None  # "MUU-strategian", "EU-maat": an abbreviation in capitals keeps its hyphen
    if f"{a}-{b}" in getattr(line_breaks, "inline", ()):
        return False, None  # the document prints the word with its hyphen inside a line
    if _vowel_clash(a, b, lang):
        return False, None  # 'osa-|alueilla': Finnish writes this hyphen, and never breaks a long vowel
    if broken and left[1:].islower() and len(a) < MIN_STEM and b not in _ORTHOGRAPHY[lang].suspended_followers \
            and joined in vocabulary(lang) and (b not in vocabulary(lang) or len(b) <= MIN_TAIL_ACROSS_BREAK):
        # 'ai-|kana', 'yh-|teensä', 'Lu-|vuissa': a word the lemmatizer knows broken after two letters at a line
        # end; a tail that is a long word by itself follows an abbreviation ('yo-|tutkinnon')
        return True, None
    if broken and _syllable_break(left, right, lang):
        return True, None
    if len(a) < shortest:
        return False, None
    if broken and left.islower() and b not in _ORTHOGRAPHY[lang].suspended_followers \
            and (joined in doc_vocab or known(joined, lang)):
        return True, None
    if not (left.islower() or known(a, lang)) or len(a) < MIN_STEM:
        return False, None  # "Populus-järjestelmään": a name before the hyphen
    if joined in doc_vocab:
        return True, None
    if not known(joined, lang):
        if not known(a, lang) or not known(b, lang):
            return False, f"kept '{left}-{right}': '{joined}' is not a known word either"
        return False, None
    if not known(a, lang) or not known(b, lang):
        return True, None
    rules = _ORTHOGRAPHY[lang]
    for link in rules.linking:
        stem = a[: -len(link)]
        if a.endswith(link) and len(stem) >= MIN_STEM and known(stem, lang):
            return True, None  # "marknadsförings-sakkunniga": a linking s never ends a free word before a hyphen
    if rules.hyphen_only_on_vowel_clash and a[-1] != b[0]:
        return True, None  # "markkinointi-asiantuntija": no vowel clash, so the hyphen is not orthographic
    return False, None


def _syllable_break(left: str, right: str, lang: str) -> bool:
    """'al-|kavista', 'Suori-|tettuja', 'terveys-|perusteiset': a hyphen printed at a line end before a piece
    that is no word the lemmatizer knows ('kavista', 'tettuja') breaks one word. A hyphen that belongs in the
    word stands before a word (a compound's last part is a word: 'TE-|palvelut', 'yo-|tutkinnon',
    'Populus-|järjestelmään' keep theirs), or, in Finnish, where the same vowel ends and starts the parts
    ('osa-|alueilla', `_vowel_clash`, tested before). `left` is in lower case or capitalised (a sentence's first
    word), never in capitals."""
    a, b = left.lower(), right.lower()
    if not (left[1:].islower() and right.islower() and len(a) >= 2 and len(b) >= 2):
        return False
    if b in _ORTHOGRAPHY[lang].suspended_followers or known(b, lang):
        return False
    return True


def _vowel_clash(a: str, b: str, lang: str) -> bool:
    """The same vowel ends one part and starts the next: Finnish writes a hyphen there ('osa-alue')."""
    return _ORTHOGRAPHY[lang].hyphen_only_on_vowel_clash and a[-1:] == b[:1] and a[-1:] in tuple(_VOWELS)


def _join_broken_parts(word: str, lang: str, doc_vocab: Collection[str],
                       line_breaks: Collection[tuple[str, str]]) -> str:
    """A word of several hyphenated parts ('oikea-ai-kaisuutta'): the hyphen between two parts printed across a
    line end goes when `_decide_hyphen` says so; the other hyphens stay as printed ('oikea-aikaisuutta')."""
    parts = word.split("-")
    out = parts[0]
    for part in parts[1:]:
        last = out.rsplit("-", 1)[-1]
        if (last.lower(), part.lower()) in line_breaks and _decide_hyphen(last, part, lang, doc_vocab, line_breaks)[0]:
            out += part
        else:
            out += "-" + part
    return out


def _gap_is_one_space(text: str, left: Word, right: Word) -> bool:
    gap = text[left.end:right.start]
    return 0 < len(gap) <= 2 and not gap.strip() and gap.count("\n") <= 1


def _is_continuation(word: Word) -> bool:
    return word.is_alpha and word.text[:1].islower()


def _joins_three(current: str, words: list[Word], j: int, text: str, lang: str,
                 doc_vocab: Collection[str]) -> bool:
    """A word broken twice ('marknadsföringssak kun niga'): the three pieces make a known word, and
    none of them is a word by itself."""
    if j + 2 >= len(words) or not (_is_continuation(words[j + 2]) and _gap_is_one_space(text, words[j + 1],
                                                                                        words[j + 2])):
        return False
    middle, last = words[j + 1].text, words[j + 2].text
    if not (middle.isalpha() and last.isalpha()):
        return False
    if any(known(piece.lower(), lang) for piece in (current, middle, last)):
        return False  # a piece that is a word by itself ('och', 'stadens', 'skapar') is no fragment
    joined = (current + middle + last).lower()
    return known(joined, lang) or joined in doc_vocab or _compound_known(joined, lang)


def repair_text(text: str, lang: str, document_vocabulary: Collection[str] = frozenset(),
                line_breaks: Collection[tuple[str, str]] = frozenset()) -> tuple[str, list[str]]:
    """The text with broken words joined where the evidence is clear, and findings for doubtful cases.

    `line_breaks`: (left, right) word pairs the document printed as 'left-' ending a line and 'right'
    starting the next (see `line_break_pairs`); a hyphen between such a pair is joined when the joined
    word is known.
    """
    if not text or lang not in _ORTHOGRAPHY:
        return text, []
    rules = _ORTHOGRAPHY[lang]
    words = [w for w in analyse(text, lang).words if w.text.strip()]
    findings: list[str] = []
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        first = words[i]
        current, changed, j = first.text, False, i
        head, _, tail = first.text.partition("-")
        if head and tail.rstrip("-") and ("-" in tail.rstrip("-") or tail.endswith("-")):
            # 'oikea-ai-|kaisuutta', 'toi-|minta-': only the pair printed across a line end
            body = first.text.rstrip("-")
            current = _join_broken_parts(body, lang, document_vocabulary, line_breaks) + first.text[len(body):]
            changed = current != first.text
        elif tail and head and not first.text.endswith("-"):
            join, finding = _decide_hyphen(head, tail, lang, document_vocabulary, line_breaks)
            if join:
                current, changed = head + tail, True
            elif finding:
                findings.append(finding)
        elif first.text.endswith("-") and i + 1 < len(words) and _gap_is_one_space(text, first, words[i + 1]):
            follower = words[i + 1]
            if _is_continuation(follower) and follower.lower not in rules.suspended_followers:
                join, finding = _decide_hyphen(first.text[:-1], follower.text, lang, document_vocabulary,
                                               line_breaks)
                if join:
                    current, changed, j = first.text[:-1] + follower.text, True, i + 1
                elif finding:
                    findings.append(finding)
        while (current.isalpha() and j + 1 < len(words) and _is_continuation(words[j + 1])
               and _gap_is_one_space(text, words[j], words[j + 1])):
            if _joins_three(current, words, j, text, lang, document_vocabulary):
                current, changed, j = current + words[j + 1].text + words[j + 2].text, True, j + 2
                continue
            join, finding = _decide_space(current, words[j + 1].text, lang, document_vocabulary)
            if finding:
                findings.append(finding)
            if not join:
                break
            current, changed, j = current + words[j + 1].text, True, j + 1
        if changed:
            edits.append((first.start, words[j].end, current))
        i = j + 1
    repaired = text
    for start, end, replacement in reversed(edits):
        repaired = repaired[:start] + replacement + repaired[end:]
    return repaired, findings


def join_line_breaks(text: str | None, lang: str, document_vocabulary: Collection[str],
                     line_breaks: Collection[tuple[str, str]]) -> str | None:
    """Only the line-break repair: 'skol-kuratorerna' -> 'skolkuratorerna' where the document printed 'skol-'
    at a line end before 'kuratorerna' and the joined word is known; everything else as printed."""
    if not text or not line_breaks or lang not in _ORTHOGRAPHY:
        return text
    words = [w for w in analyse(text, lang).words if w.text.strip()]
    edits: list[tuple[int, int, str]] = []
    for word in words:
        head, _, tail = word.text.partition("-")
        if tail and "-" not in tail and (head.lower(), tail.lower()) in line_breaks:
            join, _finding = _decide_hyphen(head, tail, lang, document_vocabulary, line_breaks)
            if join:
                edits.append((word.start, word.end, head + tail))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def join_printed_lines(lines: list[str], lang: str | None) -> str:
    """A short text printed over lines (a heading set in a narrow column) as one line: a hyphen ending a
    line is dropped where `_decide_hyphen` reads a word broken there, judged on the whole word so far
    ('Myytä-' / 'vät ta-' / 'loushal-' / 'lintopal-' / 'velut' -> 'Myytävät taloushallintopalvelut', Kauhava
    p. 154); other lines are joined with a space, and a hyphen Finnish or Swedish writes ('linja-' / 'auto')
    stays. Lines: the block's printed lines (`Block.lines`); [] gives ''."""
    if not lines:
        return ""
    text = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        if not line:
            continue
        head = text.split()[-1] if text.split() else ""
        tail = line.split()[0].rstrip("-").split("-")[0]
        if lang in _ORTHOGRAPHY and head.endswith("-") and len(head) > 1 and head[-2].isalpha() and tail:
            left = head[:-1].split("-")[-1]
            breaks = LineBreaks()
            breaks.add((left.lower(), tail.lower()))
            if _decide_hyphen(left, tail, lang, frozenset(), breaks)[0]:
                text = f"{text[:-1]}{line}"
                continue
        suspended = lang in _ORTHOGRAPHY and tail.lower() in _ORTHOGRAPHY[lang].suspended_followers  # 'Kultur- och'
        glued = head.endswith("-") and len(head) > 1 and not suspended
        text = f"{text}{line}" if glued else f"{text} {line}"
    return text
