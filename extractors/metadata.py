"""Document metadata: municipality, country, organisation, budget year and plan period of one document.

Contract: (PlanDocument, Structure, finance figures) -> dict of DocumentRecord fields; pure.

The municipality is read where a document prints its name ('Lapuan kaupunki', 'Simrishamns kommun'): the
page furniture and title first, then the body (names the municipalities lexicon knows only, so that a
neighbour mentioned in passing or a sentence-initial word never becomes one), then the file's name and
folder (known names only: an archive filed 'lapua/…' or 'fi_lapua_….pdf'). A file that is no plan (no finance
or goal table recognised: notes, a list of documents) is placed only by its furniture and title: the
municipalities its body mentions and the folder it lies in are not its own. The country comes from the
municipalities lexicon, else from the language (a Finnish-language document is Finnish), else from the
currency the document prints (€ / tkr).
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath

from extractors.lexicon import LANGUAGES, load
from extractors.municipalities import known_municipality, municipality_country
from extractors.patterns import WORD, ZERO_WIDTH
from extractors.scales import named_currency
from extractors.status import NOTHING_RECOGNISED
from extractors.structure import Structure
from models import FinanceFigure, PlanDocument

BUDGET_KINDS = ("budget", "budget_original", "proposal")
"""Figure kinds whose year is a budget year the document decides or proposes (not amended or past budgets)."""
GENITIVE_ENDINGS = {"fi": "n", "sv": "s"}
"""The ending a municipality's name takes before kaupunki/kommun when the lexicon does not know the name."""


def _order(language: str | None) -> list[str]:
    return ([language] if language in LANGUAGES else []) + [lang for lang in LANGUAGES if lang != language]


def _flat(text: str) -> str:
    return " ".join(ZERO_WIDTH.sub("", text).split())


def _as_name(word: str, lang: str, language: str | None) -> str:
    known = known_municipality(word, language)
    if known:
        return known[1]
    ending = GENITIVE_ENDINGS.get(lang, "")
    return word[:-len(ending)] if ending and word.endswith(ending) and len(word) > len(ending) + 2 else word


def _names(texts: list[str], language: str | None, known_only: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    for lang in _order(language):
        for pattern in load("document", lang).entry("municipality").patterns:
            for text in texts:
                for found in pattern.finditer(_flat(text)):
                    word = found.group("value")
                    # in the body a name counts when listed, or when a line starts with it (a heading)
                    if known_only and not pattern.pattern.startswith("^") \
                            and known_municipality(word, language) is None:
                        continue
                    counts[_as_name(word, lang, language)] += 1
        if counts:
            break
    return counts


def municipality(doc: PlanDocument, texts: list[str], plan: bool = True) -> str | None:
    """The municipality a document is from, as named in its language ('Lapua', 'Simrishamn'), or None.

    texts: the document's furniture and title, where it prints its own name. Only a plan (`plan`: a finance or
    goal table was recognised) is also placed by the municipalities its body names and by its file and folder
    name: a file that is no plan (notes, a list of documents) mentions municipalities without being theirs,
    and an archive's folder names whose plans it holds, not whose every file is."""
    for candidates, known_only in ((texts, False), ([b.text for b in doc.blocks()] if plan else [], True)):
        counts = _names(candidates, doc.language, known_only)
        if counts:
            return counts.most_common(1)[0][0]
    if not plan:
        return None
    path = PurePath(doc.source_path)
    for part in (path.stem, path.parent.name):
        for word in WORD.findall(part):
            known = known_municipality(word, doc.language)
            if known:
                return known[1]
    return None


def country(doc: PlanDocument, name: str | None) -> str | None:
    """FI or SE: the listed municipality's country, else FI for a Finnish-language document, else the
    currency the document names most (the scales lexicon's euro and krona evidence: '€', 'euroa' / 'tkr',
    'kronor'), else None."""
    listed = municipality_country(name, doc.language)
    if listed:
        return listed
    if doc.language == "fi":
        return "FI"
    texts = [b.text for b in doc.blocks()] + [c.text for t in doc.tables() for c in t.header]
    named = named_currency(texts)
    return {"EUR": "FI", "SEK": "SE"}.get(named) if named else None


def own_municipality(doc: PlanDocument) -> str | None:
    """The municipality the document is from, named in its furniture or title (as `document_metadata` reads it)."""
    furniture = [t for page in doc.pages for t in page.furniture]
    return municipality(doc, furniture + ([doc.title] if doc.title else []))


def document_country(doc: PlanDocument) -> str | None:
    """FI or SE for a document read so far (the municipality it names, its language, its currency); the
    default currency of figures whose table prints none follows it (EUR for FI, SEK for SE)."""
    furniture = [t for page in doc.pages for t in page.furniture]
    return country(doc, municipality(doc, furniture + ([doc.title] if doc.title else [])))


def _first_match(name: str, texts: list[str], language: str | None) -> dict[str, str] | None:
    for lang in _order(language):
        entry = load("document", lang).entry(name)
        for text in texts:
            for pattern in entry.patterns:
                flat = _flat(text)
                found = pattern.search(flat) or pattern.search(flat.lower())
                if found:
                    return found.groupdict()
    return None


def document_metadata(doc: PlanDocument, structure: Structure, figures: list[FinanceFigure]) -> dict:
    """municipality, country, organisation, budget_year, plan_start_year, plan_end_year of a document.

    Runs after the status stage (extractors.status): a document it found no plan in (its `nothing_recognised`
    issue) is placed only where it prints its own municipality (see `municipality`).

    The budget year and plan period are read from the furniture, title and unit headings, then from a
    budget item's subject ('Talousarvio 2025 sekä taloussuunnitelma 2026-2027'), then from the figures; a plan
    period that starts after the budget year starts at the budget year (the edition's first year).
    """
    furniture = [t for page in doc.pages for t in page.furniture]
    texts = furniture + ([doc.title] if doc.title else []) + structure.period_texts
    plan = not any(issue.code == NOTHING_RECOGNISED for issue in doc.issues)  # extractors.status decided it
    name = municipality(doc, furniture + ([doc.title] if doc.title else []), plan)
    meta: dict = {"municipality": name, "country": country(doc, name),
                  "organisation": structure.organisation.name if structure.organisation else None}
    budget = _first_match("budget_year", texts, doc.language) or \
        _first_match("budget_year", structure.subject_texts, doc.language)
    period = _first_match("plan_period", texts, doc.language) or \
        _first_match("plan_period", structure.subject_texts, doc.language)
    budget_years = sorted({f.year for f in figures if f.figure_kind in BUDGET_KINDS and f.year})
    plan_years = sorted({f.year for f in figures if f.figure_kind == "plan" and f.year})
    if budget:
        meta["budget_year"] = int(budget["value"])
    elif budget_years:
        meta["budget_year"] = budget_years[-1]
    if period:
        meta["plan_start_year"], meta["plan_end_year"] = int(period["start"]), int(period["end"])
        if meta.get("budget_year") and meta["budget_year"] < meta["plan_start_year"]:
            meta["plan_start_year"] = meta["budget_year"]
    elif meta.get("budget_year"):
        meta["plan_start_year"] = meta["budget_year"]
        meta["plan_end_year"] = max(plan_years + [meta["budget_year"]])
    return meta
