"""The HTML report of a real document never prints the word 'None' where a value is missing.

Input: Kauhava's 2024 financial statement cut to its cover (p. 1), the income statement (p. 30: 'Toimintatuotot
7 726 / 7 920', '1 000 €', figures of the whole city, printed under no unit) and the first page of the
subsidiaries' goals (p. 58: 'Taloudelliset tavoitteet' tables under no numbered theme).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from extractors.link import Catalog, compare_catalog
from extractors.report import ReportInput, organisation_keys, organisation_report, render_report
from extractors.report.data import NO_THEME, Column, edition_label, theme_heading
from models.links import EditionRecord
from tests.pdf_pages import page_records

CATALOG_FIELDS = ("documents", "units", "sections", "goals", "targets", "finance")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _kauhava_report(corpus_dir: Path):
    records = page_records(corpus_dir / "real" / "fi_kauhava_tilinpaatos_2024.pdf", (1, 30, 58))
    datasets = records.datasets()
    result = compare_catalog(Catalog(**{name: datasets[name] for name in CATALOG_FIELDS}))
    data = ReportInput(result.editions, result.goal_links, result.unit_links, result.finance_series, records.goals)
    assert organisation_keys(data) == ["kauhava.city"]
    return organisation_report(data, "kauhava.city")


def test_report_of_a_real_statement_prints_no_none(corpus_dir: Path) -> None:
    report = _kauhava_report(corpus_dir)
    html = render_report(report)
    parsed = _Text()
    parsed.feed(html)
    text = "".join(parsed.parts)
    assert not re.search(r"\bNone\b", html), re.findall(r".{40}\bNone\b.{20}", html)[:3]
    # The income statement's lines are the whole municipality's: the charts name Kauhava.
    titles = [chart.title for chart in report.charts]
    assert titles[:3] == ["Kauhava — Toimintatuotot", "Kauhava — Toimintakulut", "Kauhava — Toimintakate"]
    assert "Kauhava" in text and "Toimintatuotot" in text
    # The subsidiaries' goal tables of p. 58 stand under no numbered theme.
    assert [theme.heading for theme in report.themes] == [NO_THEME]
    assert f"<h3>{NO_THEME}</h3>" in html
    assert "None." not in text
    # An edition whose year was not found (a document without a plan period) prints dashes in its cells.
    report.editions = [e.model_copy(update={"edition": None, "budget_year": None}) for e in report.editions]
    undated = render_report(report)
    assert not re.search(r"\bNone\b", undated)
    assert "<tr><td>—</td><td>fi</td><td>—</td><td>" in undated


def test_missing_edition_year_and_language_print_as_a_dash() -> None:
    edition = EditionRecord(organisation_key="x", organisation_name="X", municipality=None, municipality_key=None,
                            central_unit_id=None, central_name=None, document_id="d", source_path="a/b.pdf",
                            source_format="pdf", language="sv", edition=None, budget_year=None, plan_end_year=None,
                            primary_language="sv", representative=True)
    assert edition_label(edition) == "— · sv"
    assert edition_label(edition.model_copy(update={"edition": 2025, "language": None})) == "2025 · —"
    assert theme_heading(None, "") == NO_THEME
    assert theme_heading(None, "Elinvoima") == "Elinvoima"
    assert theme_heading(3, "Elinvoima") == "3. Elinvoima"
    assert Column("d", None, "sv", edition_label(edition), "b.pdf", True).label == "— · sv"
