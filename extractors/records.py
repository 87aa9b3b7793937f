"""Records stage: PlanDocument -> RecordSet (units, sections, goals, finance, validation, metadata)."""

from __future__ import annotations

from collections import Counter

from extractors.completeness import record_stray_rows
from extractors.finance import extract_finance
from extractors.goals import extract_goals
from extractors.lexicon import LANGUAGES, load
from extractors.ocr_checks import confidence_findings, mark_ocr_records, record_unconfirmed
from extractors.pipeline import document_record, issue_records
from extractors.structure import segment
from extractors.status import decide_status
from extractors.understand import understand
from extractors.validate import run_checks
from models import FinanceFigure, PlanDocument, RecordSet


def _first_match(name: str, texts: list[str], language: str | None) -> dict[str, str] | None:
    order = [language] if language in LANGUAGES else []
    order += [lang for lang in LANGUAGES if lang not in order]
    for lang in order:
        entry = load("document", lang).entry(name)
        for text in texts:
            for pattern in entry.patterns:
                found = pattern.search(" ".join(text.split()))
                if found is None:
                    found = pattern.search(" ".join(text.split()).lower())
                if found:
                    return found.groupdict()
    return None


def _municipality(texts: list[str], language: str | None) -> str | None:
    counts: Counter[str] = Counter()
    order = [language] if language in LANGUAGES else list(LANGUAGES)
    for lang in order:
        for pattern in load("document", lang).entry("municipality").patterns:
            for text in texts:
                for found in pattern.finditer(" ".join(text.split())):
                    counts[found.group("value")] += 1
    return counts.most_common(1)[0][0] if counts else None


def document_metadata(doc: PlanDocument, period_texts: list[str], figures: list[FinanceFigure]) -> dict:
    furniture = [t for page in doc.pages for t in page.furniture]
    texts = furniture + ([doc.title] if doc.title else []) + period_texts
    all_texts = texts + [b.text for b in doc.blocks()]
    meta: dict = {"municipality": _municipality(furniture or all_texts, doc.language)}
    budget = _first_match("budget_year", texts, doc.language)
    period = _first_match("plan_period", texts, doc.language)
    budget_years = sorted({f.year for f in figures if f.figure_kind == "budget" and f.year})
    plan_years = sorted({f.year for f in figures if f.figure_kind == "plan" and f.year})
    if budget:
        meta["budget_year"] = int(budget["value"])
    elif budget_years:
        meta["budget_year"] = budget_years[-1]
    if period:
        meta["plan_start_year"], meta["plan_end_year"] = int(period["start"]), int(period["end"])
    elif meta.get("budget_year"):
        meta["plan_start_year"] = meta["budget_year"]
        meta["plan_end_year"] = max(plan_years + [meta["budget_year"]])
    return meta


def extract_records(doc: PlanDocument) -> RecordSet:
    structure = segment(doc)
    finance = extract_finance(doc, structure)
    record_stray_rows(doc)
    goals = extract_goals(doc, structure)
    validation = run_checks(finance, structure.units)
    mark_ocr_records(doc, finance, goals)
    ocr_findings = confidence_findings(finance, validation.checked, validation.failed)
    record_unconfirmed(doc, ocr_findings)
    responsibles, targets = understand(doc, structure.units, structure.sections, goals)
    decide_status(doc, finance, goals, validation.findings)
    validation.findings += ocr_findings
    checked, passed, share = validation.coverage(finance)
    record = document_record(doc, **document_metadata(doc, structure.period_texts, finance),
                             figures_checked=checked, figures_passed=passed, checked_share=share)
    return RecordSet(document=record, units=structure.units, sections=structure.sections, goals=goals,
                     finance=finance, validation=validation.findings, responsibles=responsibles, targets=targets,
                     issues=issue_records(doc))
