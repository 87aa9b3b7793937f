"""Goal status: printed assessments and drawn marks -> status, status_raw and progress.

- Words: the start of a status cell or of an outcome paragraph is classified with the goal-status
  lexicon ('Toteutui osittain' -> partly, 'Ej uppfyllt' -> not_achieved); a status word printed with a
  letter or two dropped or one added ('Ei toteunut') is read as the lexicon's word (`status_key`).
- Marks: a dot, icon or symbol glyph drawn in the goal's row (`PageInfo.marks`) is named from its fill
  colour's hue (green, yellow, orange, red, grey, black; blue and the like have no status meaning) and
  mapped to a status by the lexicon's `mark_colours`.
- Progress: a printed percentage, or the filled share of a bar drawn in the row.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import LANGUAGES, classify_any, load, normalize_label
from extractors.nlp.repair import known
from extractors.patterns import BREAK_HYPHEN, CLAUSE_END, PERCENT, SENTENCE_END
from models import BBox, Mark, PlanDocument

STATUS_WORDS = 6
"""An assessment's status is read from its first clause, at most this many words."""
INDICATOR_LEAD_WORDS = 2
"""A follow-up sentence names an indicator when it starts with the indicator's first this many words."""
_BAR_RATIO = 3.0  # a mark three times wider than high is a bar, not a dot
_MARK_SLACK = 3.0  # points a mark may stand outside a row's box and still belong to it
_WORD_STRIP = ".,;:!?()\"'–-"


def colour_name(colour: str) -> str | None:
    """'#00b050' -> 'green'. Grey for unsaturated mid tones, black for unsaturated dark ones; None for
    white and hues without a status meaning (blue, purple)."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.2 or max(r, g, b) - min(r, g, b) < 0.15:
        if lightness < 0.25:
            return "black"
        return "grey" if lightness <= 0.9 else None
    degrees = hue * 360
    if degrees < 15 or degrees >= 330:
        return "red"
    if degrees < 40:
        return "orange"
    if degrees < 70:
        return "yellow"
    if degrees < 170:
        return "green"
    return None


def _mark_colours(language: str | None) -> dict[str, str]:
    order = [language] if language in LANGUAGES else []
    order += [lang for lang in LANGUAGES if lang not in order]
    return {str(k): str(v) for k, v in load("goal_status", order[0]).extra.get("mark_colours", {}).items()}


def _misspellings(language: str) -> dict:
    return dict(load("goal_status", language).extra.get("misspellings", {}))


@lru_cache(maxsize=4)
def _status_words(language: str) -> frozenset[str]:
    """The words of the lexicon's printed statuses (its entries' examples) long enough to be corrected to."""
    shortest = int(_misspellings(language).get("min_length", 0)) or 10**6
    words = (w.strip(_WORD_STRIP) for e in load("goal_status", language).entries for x in e.examples
             for w in normalize_label(x).split())
    return frozenset(w for w in words if len(w) >= shortest and w.isalpha())


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def is_misspelling(word: str, status_word: str, language: str) -> bool:
    """`word` is `status_word` printed with at most `max_letters` letters dropped (or one letter added, then
    at most one), both at least `min_length` letters long, the same first and last two letters (a Finnish or
    Swedish inflection changes the ending, a dropped letter inside the word does not: 'toteutus' is no
    'toteutui', 'genomföra' no 'genomförda'), and `word` no word the lemmatizer knows ('toteuttanut').
    Thresholds are the goal-status lexicon's `misspellings` data."""
    data = _misspellings(language)
    shortest, most = int(data.get("min_length", 0)), int(data.get("max_letters", 0))
    short, long = sorted((word, status_word), key=len)
    dropped = len(long) - len(short)
    if not shortest or len(short) < shortest or not 1 <= dropped <= (most if long == status_word else 1):
        return False
    if short[:2] != long[:2] or short[-2:] != long[-2:] or not _is_subsequence(short, long):
        return False
    return not known(word, language)


def corrected(phrase: str, language: str) -> str | None:
    """The phrase with each unknown word replaced by the one status word it misspells ('Ei toteunut' -> 'Ei
    toteutunut'); None when no word is."""
    vocabulary = _status_words(language)
    words, changed = phrase.split(), False
    for i, printed in enumerate(words):
        word = printed.lower().strip(_WORD_STRIP)
        if not word.isalpha() or word in vocabulary:
            continue
        found = {v for v in vocabulary if is_misspelling(word, v, language)}
        if len(found) == 1:
            words[i], changed = found.pop(), True
    return " ".join(words) if changed else None


@lru_cache(maxsize=1 << 14)
def status_key(phrase: str, language: str | None) -> str | None:
    """The goal-status key of a printed phrase, in the document's language first: that of the phrase with its
    misspelt status words corrected (`is_misspelling`: 'Ei toteunut' -> not_achieved) when a word is and the
    lexicon reads the corrected phrase, else the lexicon's for the phrase as printed."""
    if not phrase:
        return None
    for lang in ([language] if language in LANGUAGES else []) + [x for x in LANGUAGES if x != language]:
        fixed = corrected(phrase, lang)
        key = load("goal_status", lang).classify(fixed) if fixed else None
        if key:
            return key
    return classify_any("goal_status", phrase, language)


def status_of_words(text: str | None, language: str | None) -> tuple[str, str] | None:
    """(status, the words it was read from) from the start of an assessment, or None."""
    if not text or not text.strip():
        return None
    clause = next((part for part in CLAUSE_END.split(text.strip().split("\n")[0]) if part.strip()), "")
    words = clause.split()[:STATUS_WORDS]
    phrase = " ".join(words).strip(" :–-")
    key = status_key(phrase, language) if phrase else None
    return (key, phrase) if key else None


def dash_after_status(lines: list[str], language: str | None) -> str | None:
    """The text of an assessment cell printed as a status phrase ending its first line in a hyphen and a next
    line that starts with a capital ('Toteutuu-' / 'Quick ratio  2,6', Kauhava tilinpäätös 2024 p. 60): the
    hyphen is a dash closing the status, no word broken over the line end (a compound's second half goes on in
    lower case; a name's, 'Etelä-|Pohjanmaan', after no status phrase), so the lines stay apart as printed
    ('Toteutuu-\nQuick ratio 2,6'); None for any other cell (its text is joined as wrapped)."""
    printed = [" ".join(line.split()) for line in lines if line.strip()]
    if len(printed) < 2 or not printed[0].endswith("-") or printed[0].endswith(" -") or not printed[1][:1].isupper():
        return None
    if status_key(printed[0].rstrip("-").strip(), language) is None:
        return None
    return "\n".join(printed)


def status_of_indicator(paragraph: str | None, indicator: str | None, language: str | None) -> tuple[str, str] | None:
    """(status, the words it was read from) from the sentence of a goal's follow-up paragraph that starts
    with the indicator's first words and ends in a status phrase ('Kaavateiden kunnon parantaminen on
    toteutunut.' for the indicator 'Kaavateiden kunnon parantaminen: ...'); None when no sentence does.
    The phrase is the longest ending of the sentence (at most STATUS_WORDS words) the lexicon knows."""
    if not paragraph or not indicator:
        return None
    leads = {tuple(w.lower().strip(",:") for w in text.split()[:INDICATOR_LEAD_WORDS])
             for text in (indicator, BREAK_HYPHEN.sub("", indicator))}
    if any(len(lead) < INDICATOR_LEAD_WORDS for lead in leads):
        return None
    for sentence in SENTENCE_END.split(" ".join(paragraph.split())):
        words = sentence.rstrip(".!? ").split()
        joined = BREAK_HYPHEN.sub("", sentence).rstrip(".!? ").split()  # 'avus- tusten' read as 'avustusten'
        if not any(tuple(w.lower().strip(",:") for w in ws[:INDICATOR_LEAD_WORDS]) in leads for ws in (words, joined)):
            continue
        for size in range(min(STATUS_WORDS, len(joined) - INDICATOR_LEAD_WORDS), 0, -1):
            phrase = " ".join(joined[-size:])
            key = status_key(phrase, language)
            if key:
                return key, phrase
    return None


def is_bar(mark: Mark) -> bool:
    box = mark.bbox
    return box.x1 - box.x0 >= _BAR_RATIO * (box.bottom - box.top)


def marks_in(doc: PlanDocument, page: int | None, box: BBox | None, x_range: tuple[float, float] | None = None
             ) -> list[Mark]:
    """The marks whose centre lies in the box's vertical extent (and in x_range, when given)."""
    if page is None or box is None or not 1 <= page <= len(doc.pages):
        return []
    found = []
    for mark in doc.pages[page - 1].marks:
        cx, cy = (mark.bbox.x0 + mark.bbox.x1) / 2, (mark.bbox.top + mark.bbox.bottom) / 2
        if not box.top - _MARK_SLACK <= cy <= box.bottom + _MARK_SLACK:
            continue
        if x_range is not None and not x_range[0] - _MARK_SLACK <= cx <= x_range[1] + _MARK_SLACK:
            continue
        found.append(mark)
    return found


@dataclass
class Assessment:
    status: str | None = None
    status_raw: str | None = None
    progress: float | None = None
    state: str | None = None
    """A status cell printing the state of the work ('Valmis'), as printed (`is_work_state`)."""


def is_work_state(text: str, language: str | None) -> bool:
    """The words of a status cell name the state of the work ('Tila: Valmis'), not an assessment: the
    goal-status lexicon's `work_states` of the document's language."""
    lexicon = load("goal_status", language) if language in LANGUAGES else None
    if lexicon is None or "work_states" not in lexicon.extra:
        return False
    return lexicon.entry("work_states").matches(" ".join(text.split()))


def assess(status_text: str | None, outcome_text: str | None, progress_text: str | None, marks: list[Mark],
           language: str | None, indicator: str | None = None) -> Assessment:
    """Status from a status cell's words, else from a mark's colour, else from the outcome's sentence that
    names the indicator (`status_of_indicator`), else from the outcome's first words;
    status_raw names what was read (words and 'mark:<colour>'); progress from a printed percentage or a bar.
    A status cell naming the state of the work ('Valmis' under 'Tila' beside the assessment 'Toteutui', Kauhava
    p. 60: `is_work_state`) is no status: it is kept as `state`, and the assessment alone sets status and
    status_raw."""
    result = Assessment()
    raw: list[str] = []
    colours = _mark_colours(language)
    dots = [m for m in marks if not is_bar(m)]
    bars = [m for m in marks if is_bar(m)]
    if status_text and status_text.strip() and is_work_state(status_text, language):
        result.state, status_text = " ".join(status_text.split()), None
    if status_text and status_text.strip():
        raw.append(" ".join(status_text.split()))
        found = status_of_words(status_text, language)
        if found:
            result.status = found[0]
    for mark in dots:
        name = colour_name(mark.colour)
        if name is None:
            continue
        raw.append(f"mark:{name}")
        if result.status is None and name in colours:
            result.status = colours[name]
    if result.status is None:
        found = status_of_indicator(outcome_text, indicator, language) or status_of_words(outcome_text, language)
        if found:
            result.status = found[0]
            raw.append(found[1])
    result.status_raw = " ".join(raw) or None
    if progress_text:
        percent = PERCENT.match(progress_text)
        if percent:
            result.progress = float(percent.group("value").replace(",", "."))
    if result.progress is None:
        for bar in bars:
            if bar.share is not None and colour_name(bar.colour) is not None:
                result.progress = round(100 * bar.share)
                break
    return result
