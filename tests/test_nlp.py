"""NLP stage on the real samples: responsible roles, measurable targets, text repair, and their lexicons."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from extractors.lexicon import LANGUAGES, load
from extractors.nlp import (
    canonical_role,
    document_vocabulary,
    find_targets,
    lemma,
    repair_text,
    role_key,
    split_roles,
    vocabulary,
)
from extractors.nlp.repair import line_break_pairs
from extractors.pipeline import process_file
from extractors.goals.legacy import legacy_columns
from models import PlanDocument, RecordSet

SAMPLES = Path(__file__).parent.parent / "samples"
SV_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
SV_TXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
FI_TXT = "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
TARGET_FIELDS = ("strategic_goal", "central_goal", "area_goal")


@cache
def records(name: str) -> tuple[str, RecordSet]:
    doc, recs = process_file(SAMPLES / name)
    assert doc.language in LANGUAGES
    return doc.language, recs


# --- responsible roles -------------------------------------------------------------------------------------

ISSUE_ROLES = [
    ("Stadsdirektören, ekonomidirektören och upphandlingschefen", "sv",
     ["stadsdirektör", "ekonomidirektör", "upphandlingschef"]),
    ("Stadsdirektören och centralens ledningsgrupp", "sv", ["stadsdirektör", "centralens ledningsgrupp"]),
    ("Centralens chefer", "sv", ["centralens chefer"]),
    ("Kommunikationsteamet tillsammans med de övriga centralerna", "sv", ["kommunikationsteam", "övriga centraler"]),
    ("den kommunikations- och marknadsföringssakkun niga", "sv", ["kommunikations- och marknadsföringssakkunnig"]),
    ("Stadsdirektören ja centralens chefer", "sv", ["stadsdirektör", "centralens chefer"]),
    ("Kaupunginjohtaja ja keskuksen esihenkilöt", "fi", ["kaupunginjohtaja", "keskuksen esihenkilöt"]),
    ("Viestintätiimi yhdessä muiden keskusten kanssa", "fi", ["viestintätiimi", "muut keskukset"]),
    ("Kaupunginjohtaja, talousjohtaja ja hankintapäällikkö", "fi",
     ["kaupunginjohtaja", "talousjohtaja", "hankintapäällikkö"]),
    ("viestintä- ja markkinointiasiantun tija", "fi", ["viestintä- ja markkinointiasiantuntija"]),
]

SV_COMMS = "kommunikations- och marknadsföringssakkunnig"
FI_COMMS = "viestintä- ja markkinointiasiantuntija"
SV_EXPECTED_ROLES = {
    "g1.1.1": ["stadsdirektör", "personalchef", SV_COMMS],
    "g1.2.1": ["kommunikationsteam", "övriga centraler"],
    "g1.3.1": ["stadsdirektör", "ekonomidirektör", "upphandlingschef"],
    "g2.1.1": [SV_COMMS],
    "g2.1.2": ["stadsdirektör"],
    "g4.1.1": ["stadsdirektör", "centralens ledningsgrupp"],
    "g4.1.2": ["stadsdirektör", "centralens ledningsgrupp"],
    "g4.2.1": ["förvaltningsdirektör", SV_COMMS],
    "g4.2.2": ["ekonomidirektör"],
    "g4.2.3": ["förvaltningsdirektör", SV_COMMS],
    "g4.4.1": ["stadsdirektör", "centralens chefer"],
    "g4.4.2": ["stadsdirektör", "centralens chefer"],
    "g4.4.3": ["stadsdirektör", "centralens chefer"],
}
FI_EXPECTED_ROLES = {
    "g1.1.1": ["kaupunginjohtaja", "henkilöstöpäällikkö", FI_COMMS],
    "g1.2.1": ["viestintätiimi", "muut keskukset"],
    "g1.3.1": ["kaupunginjohtaja", "talousjohtaja", "hankintapäällikkö"],
    "g2.1.1": [FI_COMMS],
    "g2.1.2": ["kaupunginjohtaja"],
    "g4.1.1": ["kaupunginjohtaja", "keskuksen johtoryhmä"],
    "g4.1.2": ["kaupunginjohtaja", "keskuksen johtoryhmä"],
    "g4.2.1": ["hallintojohtaja", FI_COMMS],
    "g4.2.2": ["talousjohtaja"],
    "g4.2.3": ["hallintojohtaja", FI_COMMS],
    "g4.4.1": ["kaupunginjohtaja", "keskuksen esihenkilöt"],
    "g4.4.2": ["kaupunginjohtaja", "keskuksen esihenkilöt"],
    "g4.4.3": ["kaupunginjohtaja", "keskuksen esihenkilöt"],
}


@pytest.mark.parametrize(("text", "lang", "expected"), ISSUE_ROLES)
def test_issue_role_examples(text: str, lang: str, expected: list[str]) -> None:
    assert split_roles(text, lang) == expected


@pytest.mark.parametrize(("name", "expected", "default"), [
    (SV_PDF, SV_EXPECTED_ROLES, ["centralens chefer"]),
    (SV_TXT, SV_EXPECTED_ROLES, ["centralens chefer"]),
    (FI_TXT, FI_EXPECTED_ROLES, ["keskuksen esihenkilöt"]),
])
def test_sample_roles_23_of_23(name: str, expected: dict[str, list[str]], default: list[str]) -> None:
    lang, recs = records(name)
    assert len(recs.goals) == 23
    for goal in recs.goals:
        assert split_roles(goal.responsible_raw, lang) == expected.get(goal.goal_id, default), goal.goal_id


@pytest.mark.parametrize("name", [SV_PDF, SV_TXT, FI_TXT])
def test_every_sample_role_has_a_key(name: str) -> None:
    lang, recs = records(name)
    for goal in recs.goals:
        for role in split_roles(goal.responsible_raw, lang):
            assert role_key(role, lang), role
    unit = recs.units[0]
    assert unit.responsible_title
    assert [role_key(r, lang) for r in split_roles(unit.responsible_title, lang)] == ["city_manager"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_role_lexicon_examples_split_to_one_role_of_their_key(lang: str) -> None:
    for entry in load("roles", lang).entries:
        assert canonical_role(entry.key, lang), entry.key
        assert role_key(canonical_role(entry.key, lang) or "", lang) == entry.key
        for example in entry.examples:
            roles = split_roles(example, lang)
            assert len(roles) == 1, (example, roles)
            assert role_key(roles[0], lang) == entry.key, (example, roles)


def test_role_keys_are_language_neutral() -> None:
    assert role_key("stadsdirektör", "sv") == role_key("kaupunginjohtaja", "fi") == "city_manager"
    assert role_key("övriga centraler", "sv") == role_key("muut keskukset", "fi") == "other_centrals"
    assert role_key("stadsjurist", "sv") is None


# --- measurable targets ------------------------------------------------------------------------------------

def sample_targets(name: str) -> list[tuple]:
    """Targets over the goal fields; a strategic goal repeated on several goal rows counts once."""
    lang, recs = records(name)
    found: list[tuple] = []
    strategic_seen: set[str] = set()
    for goal in recs.goals:
        for field in TARGET_FIELDS:
            text = getattr(goal, field)
            if field == "strategic_goal":
                if text in strategic_seen:
                    continue
                strategic_seen.add(text)
            for t in find_targets(text, lang):
                found.append((goal.goal_id, field, t.comparator, t.value, t.unit, t.deadline_year, t.key))
    return found


def _survey(unit: str) -> list[tuple]:
    return [
        ("g5.2.1", "central_goal", ">=", 80, unit, None, "percent"),
        ("g5.2.1", "area_goal", ">=", 80, unit, None, "percent"),
        ("g5.2.2", "central_goal", ">=", 90, unit, None, "percent"),
        ("g5.2.2", "area_goal", ">=", 95, unit, None, "percent"),
        ("g5.3.1", "central_goal", ">=", 80, unit, None, "percent"),
        ("g5.3.1", "area_goal", ">=", 85, unit, None, "percent"),
    ]


SV_TARGETS = [("g1.1.1", "strategic_goal", ">", 15000, "invånare", 2025, "inhabitants"),
              ("g4.4.1", "strategic_goal", None, None, None, 2035, "carbon_neutrality"), *_survey("procent")]
FI_TARGETS = [("g1.1.1", "strategic_goal", ">", 15000, "asukas", 2025, "inhabitants"),
              ("g4.4.1", "strategic_goal", None, None, None, 2035, "carbon_neutrality"), *_survey("prosentti")]


@pytest.mark.parametrize(("name", "expected"), [(SV_PDF, SV_TARGETS), (SV_TXT, SV_TARGETS), (FI_TXT, FI_TARGETS)])
def test_sample_targets_8_of_8_and_no_false_ones(name: str, expected: list[tuple]) -> None:
    assert sample_targets(name) == expected


@pytest.mark.parametrize("name", [SV_PDF, SV_TXT, FI_TXT])
def test_no_targets_in_actions_responsibles_or_sections(name: str) -> None:
    lang, recs = records(name)
    texts = [t for g in recs.goals for t in (g.actions, g.responsible_raw)]
    texts += [t for s in recs.sections for t in (s.heading, s.text, *s.items)]
    assert [(text, find_targets(text, lang)) for text in texts if find_targets(text, lang)] == []


@pytest.mark.parametrize(("text", "lang", "metric", "comparator", "value", "unit", "year"), [
    ("I staden finns över 15 000 invånare i slutet av 2025.", "sv", "invånare", ">", 15000, "invånare", 2025),
    ("vi är en kolneutral stad år 2035", "sv", "kolneutral stad", None, None, None, 2035),
    ("Kaupungissa on yli 15\u00a0000 asukasta vuoden 2025 lopussa.", "fi", "asukas", ">", 15000, "asukas", 2025),
    ("olemme hiilineutraali kaupunki vuonna 2035", "fi", "hiilineutraali kaupunki", None, None, None, 2035),
    ("Vi ordnar minst tre evenemang senast 2026.", "sv", "evenemang", ">=", 3, "evenemang", 2026),
    ("Järjestämme vähintään kolme tapahtumaa viimeistään 2026.", "fi", "tapahtuma", ">=", 3, "tapahtuma", 2026),
    ("Kostnaderna är högst 1,2 miljoner euro.", "sv", "Kostnaderna är", "<=", 1_200_000, "euro", None),
    ("Sairauspoissaolot ovat alle 4 prosenttia vuoteen 2027 mennessä.", "fi", "Sairauspoissaolot ovat", "<", 4,
     "prosentti", 2027),
    ("Vi har färre än 20 platser i kön.", "sv", "plats", "<", 20, "plats", None),
    ("Under 2025 genomförs tre utbildningar.", "sv", "utbildning", "=", 3, "utbildning", 2025),
    ("Vuonna 2025 järjestetään kolme koulutusta", "fi", "koulutus", "=", 3, "koulutus", 2025),
])
def test_target_examples(text: str, lang: str, metric: str, comparator: str | None, value: float | None,
                         unit: str | None, year: int | None) -> None:
    [target] = find_targets(text, lang)
    assert (target.metric, target.comparator, target.value, target.unit, target.deadline_year) == (
        metric, comparator, value, unit, year)
    assert text[target.start:target.end] == target.text


def test_ranges_and_strong_deadlines() -> None:
    [share] = find_targets("Andelen nöjda kunder är 70–80 procent.", "sv")
    assert (share.comparator, share.value, share.value_max, share.unit) == (">=", 70, 80, "procent")
    [spaced] = find_targets("Osuus on 70 – 80 prosenttia.", "fi")
    assert (spaced.value, spaced.value_max, spaced.unit) == (70, 80, "prosentti")
    [dated] = find_targets("Senast 2026 har vi förnyat webbplatsen.", "sv")
    assert (dated.value, dated.deadline_year, dated.metric) == (None, 2026, "har vi förnyat webbplatsen")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_years_alone_are_no_targets(lang: str) -> None:
    lexicon = load("targets", lang)
    phrases = [*lexicon.words("non_targets"), "2025", "2025–2027", "Vi har tre mål.", "Meillä on kolme tavoitetta."]
    for phrase in phrases:
        assert find_targets(phrase, lang) == [], phrase


@pytest.mark.parametrize("lang", LANGUAGES)
def test_target_lexicon_examples_find_a_target_of_their_key(lang: str) -> None:
    for entry in load("targets", lang).entries:
        for example in entry.examples:
            assert entry.key in [t.key for t in find_targets(example, lang)], (entry.key, example)
        for counter in entry.counterexamples:
            assert entry.key not in [t.key for t in find_targets(counter, lang)], (entry.key, counter)


@pytest.mark.parametrize("name", ["number_word", "value_verb"])
def test_inflected_number_words_and_stated_values(name: str) -> None:
    """The targets lexicon's illative number words ('kolmeen miljoonaan euroon', Kauhava 2024 p. 79) and values
    stated by a verb with a strong deadline ('arvo on 1,5 vuoteen 2026 mennessä', p. 71): each example gives one
    target of its value; a counterexample (a bare number with no strong deadline, a year, 'yhteen') none."""
    extra = load("targets", "fi").extra
    for example, value in zip(extra[f"{name}_examples"], extra[f"{name}_values"], strict=True):
        assert [t.value for t in find_targets(example, "fi") if t.value is not None] == [value], example
    for counter in extra[f"{name}_counterexamples"]:
        assert [t for t in find_targets(counter, "fi") if t.value is not None] == [], counter
    [quick] = find_targets("Quick ratio – tunnusluvun arvo on 1,5 vuoteen 2026 mennessä.", "fi")
    assert (quick.metric, quick.comparator, quick.value, quick.unit, quick.deadline_year, quick.text) == (
        "Quick ratio – tunnusluvun arvo", "=", 1.5, None, 2026, "on 1,5 vuoteen 2026 mennessä")
    [level] = find_targets("investointien vuositaso lasketaan pysyvästi kolmeen miljoonaan euroon vuodessa", "fi")
    assert (level.comparator, level.value, level.unit, level.text) == (
        "=", 3_000_000, "euro", "kolmeen miljoonaan euroon")


# --- text repair -------------------------------------------------------------------------------------------

SUSPENDED = re.compile(r"\w- (?:och|eller|samt|ja|tai|sekä)\b")
REPAIRS = {
    SV_PDF: {"marknadsföringssakkun niga": "marknadsföringssakkunniga",
             "marknadsföringskampa nj er": "marknadsföringskampanjer",
             "kommunikationsåtgärd er": "kommunikationsåtgärder",
             "konsekvensbedömninga r": "konsekvensbedömningar",
             "energieffektivitetsåtgär der": "energieffektivitetsåtgärder",
             "konsekvensbedömnings mallarna": "konsekvensbedömningsmallarna",
             "marknadsförings-sakkunniga": "marknadsföringssakkunniga"},
    SV_TXT: {"marknadsföringssakkun niga": "marknadsföringssakkunniga",
             "marknadsföringskampanj er": "marknadsföringskampanjer",
             "marknadsförings-sakkunniga": "marknadsföringssakkunniga"},
    FI_TXT: {"markkinointiasiantun tija": "markkinointiasiantuntija",
             "markkinointikampan jat": "markkinointikampanjat",
             "markkinointi-asiantuntija": "markkinointiasiantuntija"},
}


def _document_texts(recs: RecordSet, doc: PlanDocument) -> list[str]:
    """The texts as extracted: the goal texts the records keep beside the repaired ones, the goal tables'
    responsible cells as the document stage read them (`responsible_raw` is the text as printed, a word
    the layout broke at a line end rejoined), and the sections."""
    texts = [t for g in recs.goals for t in (g.strategic_goal_raw, g.central_goal_raw, g.area_goal_raw, g.actions_raw)]
    for table in doc.tables():
        columns = legacy_columns(table, doc.language)
        texts += [row.text(col) for row in table.rows for col, key in columns.items() if key == "responsible"]
    texts += [t for s in recs.sections for t in (s.heading, s.text_raw, *s.items_raw)]
    return [t for t in texts if t]


@pytest.mark.parametrize("name", [SV_PDF, SV_TXT, FI_TXT])
def test_records_carry_repaired_text_and_raw_text_beside(name: str) -> None:
    _, recs = records(name)
    repaired = " ".join(t for g in recs.goals for t in (g.strategic_goal, g.central_goal, g.area_goal, g.actions)
                        if t).lower()
    raw = " ".join(t for g in recs.goals
                   for t in (g.strategic_goal_raw, g.central_goal_raw, g.area_goal_raw, g.actions_raw) if t).lower()
    for broken, fixed in REPAIRS[name].items():
        assert broken not in repaired
        if broken in raw and " " in broken:
            assert fixed in repaired
    assert len(SUSPENDED.findall(repaired)) == len(SUSPENDED.findall(raw))


def _words(text: str) -> set[str]:
    return {w.strip(".,;:()").lower() for w in text.split()}


@pytest.mark.parametrize("name", [SV_PDF, SV_TXT, FI_TXT])
def test_repair_joins_every_broken_word_and_nothing_else(name: str) -> None:
    doc, recs = process_file(SAMPLES / name)
    lang = doc.language or "sv"
    texts = _document_texts(recs, doc)
    doc_vocab = document_vocabulary(texts)
    broken_seen: set[str] = set()
    new_words: set[str] = set()
    for text in texts:
        repaired, _ = repair_text(text, lang, doc_vocab)
        for broken in REPAIRS[name]:
            if broken in text.lower():
                broken_seen.add(broken)
            assert broken not in repaired.lower(), (broken, repaired)
        assert len(SUSPENDED.findall(repaired)) == len(SUSPENDED.findall(text)), repaired
        new_words |= _words(repaired) - _words(text)
    assert broken_seen == set(REPAIRS[name])
    assert new_words == set(REPAIRS[name].values())


@pytest.mark.parametrize(("text", "lang"), [
    ("Den kommunikations- och marknadsföringssakkunniga", "sv"),
    ("Informations- och kommunikationsteknologitjänster", "sv"),
    ("ordna kommunal- och välfärdsområdesval", "sv"),
    ("viestintä- ja markkinointiasiantuntija", "fi"),
    ("Tuemme elinkeino- ja infrastruktuurikeskusta", "fi"),
    ("Käydyt kehityskeskustelut kirjataan Populus-järjestelmään", "fi"),
    ("Hyödynnämme Asuntomessujen tuomaa näkyvyyttä", "fi"),
    ("främja stadens välkändhet och Lovisas bild", "sv"),
    ("ärende- och möteshanterings elektroniska processer", "sv"),
    ("Kalevan Navetan MUU-strategian mukaisten tuotantokonseptien määrä", "fi"),
    ("EU-projektens antal", "sv"),
    # Seinäjoki p. 93: 'tehoste|tun' + 'tuen' is no 'tuntuen'; the right piece is a word, the left gives 3 letters
    ("Lapset pääsääntöisesti yleisen tuen piirissä. Tehostetun tuen piirissä 274 lasta.", "fi"),
    # Simrishamn kfn årsbokslut 2025 pp. 25 and 32: a pronoun after a verb is a word, no ending
    ("I verksamheterna finns det inga administrativa tjänster", "sv"),
    ("en samverkansgrupp för lovaktiviteter bildats för att samordna de aktiviteter som erbjuds", "sv"),
])
def test_repair_leaves_good_text_alone(text: str, lang: str) -> None:
    assert repair_text(text, lang, document_vocabulary([text]))[0] == text


def test_repair_line_end_hyphen_and_findings() -> None:
    assert repair_text("den kommunikations- och marknadsförings- sakkunniga", "sv")[0] == (
        "den kommunikations- och marknadsföringssakkunniga")
    text, findings = repair_text("stadens marknadsföringssakkun xqz", "sv")
    assert text == "stadens marknadsföringssakkun xqz"
    assert findings and "xqz" in findings[0]
    # The document's own vocabulary is evidence too.
    assert repair_text("vi följer kommunika tionsplanen", "sv", {"kommunikationsplanen"})[0] == (
        "vi följer kommunikationsplanen")


def test_repair_hyphen_at_a_line_end_before_a_word_fragment() -> None:
    """Kauhava tilinpäätös 2024 prints 'asuntoja al-' / 'kavista kohteista' (p. 64), 'Suori-' / 'tettuja' and
    'Yrittä-' / 'jyyden' (p. 69), 'terveys-' / 'perusteiset' (p. 61): the piece after the line end is no word,
    so the hyphen breaks one word. A hyphen before a word ('yo-' / 'tutkinnon', 'Populus-' / 'järjestelmään',
    'TE-' / 'palvelut'), between equal vowels ('osa-' / 'alueilla') or of a suspended compound stays."""
    pairs = line_break_pairs([["asuntoja al-", "kavista kohteista. Suori-", "tettuja tutkintoja Yrittä-",
                               "jyyden tutkinnoista, terveys-", "perusteiset vaatimukset yo-", "tutkinnon osa-",
                               "alueilla Populus-", "järjestelmään TE-", "palvelut kasvatus-", "ja opetus"]])
    text = ("asuntoja al-kavista kohteista. Suori-tettuja tutkintoja Yrittä-jyyden tutkinnoista, "
            "terveys-perusteiset vaatimukset yo-tutkinnon osa-alueilla Populus-järjestelmään TE-palvelut "
            "kasvatus- ja opetus")
    assert repair_text(text, "fi", document_vocabulary([text]), pairs)[0] == (
        "asuntoja alkavista kohteista. Suoritettuja tutkintoja Yrittäjyyden tutkinnoista, terveysperusteiset "
        "vaatimukset yo-tutkinnon osa-alueilla Populus-järjestelmään TE-palvelut kasvatus- ja opetus")
    inside = "asuntoja al-kavista kohteista"  # the same hyphen inside a line: as printed
    assert repair_text(inside, "fi", document_vocabulary([inside]), line_break_pairs([[inside]]))[0] == inside


def test_repair_keeps_a_hyphen_printed_inside_a_line_before_a_footnote_mark() -> None:
    """Seinäjoki p. 120 prints 'kaupungin Hinku-työtä* asiantuntijuudellamme' on one line: the asterisk (a footnote
    mark) is no part of the word, so the word is one the document prints with its hyphen inside a line."""
    line = "kaupungin Hinku-työtä* asiantuntijuudellamme"
    assert repair_text(line, "fi", document_vocabulary([line]), line_break_pairs([[line]]))[0] == line
    # a word broken by the layout still joins when the right piece is a word but most letters stand left of the break
    assert repair_text("stadens marknadsföringssakkun niga", "sv")[0] == "stadens marknadsföringssakkunniga"


# --- lemmas and vocabulary ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "lang", "expected"), [
    ("stadsdirektören", "sv", "stadsdirektör"),
    ("upphandlingschefen", "sv", "upphandlingschef"),
    ("centralerna", "sv", "central"),
    ("Marknadsföringssakkunniga", "sv", "marknadsföringssakkunnig"),
    ("keskusten", "fi", "keskus"),
    ("prosenttia", "fi", "prosentti"),
])
def test_lemma(word: str, lang: str, expected: str) -> None:
    assert lemma(word, lang) == expected


@pytest.mark.parametrize(("name", "lang"), [(SV_TXT, "sv"), (FI_TXT, "fi")])
def test_analysed_words_give_the_lemma_of_their_text(name: str, lang: str) -> None:
    """A word's lemma is looked up when read (issue 12: a book's texts have some 100 000 tokens and few lemmas are
    read): the tokens of a real sample carry `lemma` of their text, their lower case where that is empty."""
    from extractors.nlp.pipeline import analyse, nlp

    text = (SAMPLES / name).read_text(encoding="utf-8")[:4000]
    words = analyse(text, lang).words
    assert nlp(lang).pipe_names == ["sentencizer"]
    assert len(words) > 300
    assert all(w.lemma == (lemma(w.text, lang) or w.lower) and w.language == lang for w in words)
    assert {w.lemma for w in words if w.is_alpha} != {w.lower for w in words if w.is_alpha}  # inflected forms met


def test_vocabulary_knows_words_not_fragments() -> None:
    assert "sakkunniga" in vocabulary("sv") and "och" in vocabulary("sv")
    assert "sakkun" not in vocabulary("sv")
    assert "asiantuntija" in vocabulary("fi") and "tija" not in vocabulary("fi")


def test_only_the_pipeline_module_imports_spacy() -> None:
    root = Path(__file__).parent.parent / "extractors"
    importers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                       if re.search(r"^\s*(?:import spacy|from spacy)", p.read_text(encoding="utf-8"), re.M))
    assert importers == ["nlp/pipeline.py"]


def test_the_swedish_lemma_table_answers_as_a_dict_of_its_entries() -> None:
    """The blocked lookup (LemmaLookup) gives every form of spacy-lookups-data's sv table its lemma, first and
    last forms of a block included, and no lemma to a text that is not a form: a form's neighbours, a prefix,
    a form with the block separator, two forms joined by it."""
    from extractors.nlp.pipeline import LemmaLookup, _sv_tables

    table, _ = _sv_tables()
    forms = table.forms()
    entries = dict(zip(forms, table.values(), strict=True))
    assert len(entries) == len(table) > 100_000
    assert all(table.get(form) == lemma for form, lemma in entries.items())
    # the last form of the first block and the first of the second
    edges = forms[LemmaLookup.BLOCK - 1: LemmaLookup.BLOCK + 1]
    assert [table.get(form) for form in edges] == [entries[form] for form in edges]
    absent = [forms[0][:-1] + "\x00", forms[-1] + "ö", "kommunerna" + "\n", "\n".join(edges), "", "\n"]
    assert not any(text in entries for text in absent)
    assert [table.get(text) for text in absent] == [None] * len(absent)
    assert table.get("kommunerna") == "kommun" and "kommunerna" in table
    with pytest.raises(ValueError):
        LemmaLookup(["a", "b\nc"], ["a", "b"])
    small = LemmaLookup(["c", "a", "b"], ["C", "A", "B"])  # unordered input is sorted with its lemmas
    assert (small.get("a"), small.get("b"), small.get("c"), small.get("d")) == ("A", "B", "C", None)
    blocks = table._blocks
    assert LemmaLookup.from_blocks(blocks, table.values()).get(edges[1]) == entries[edges[1]]
    with pytest.raises(ValueError):  # a block short of forms would shift the lemmas of every later form
        LemmaLookup.from_blocks([blocks[0][blocks[0].index("\n", 1):]] + blocks[1:], table.values())
    with pytest.raises(ValueError):
        LemmaLookup.from_blocks(blocks[:-1], table.values())
