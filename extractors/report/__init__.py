"""Report stage: the comparison datasets -> one self-contained HTML file per organisation (Jinja2, inline
CSS, inline SVG charts; nothing fetched when the file is opened). Pure: render_report returns the HTML text.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from extractors.link.text import slug
from extractors.report.data import MISSING, OrganisationReport, ReportInput, organisation_report

TEMPLATE = "report.html.j2"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("extractors.report", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, finalize=_missing_as_dash)


def _missing_as_dash(value: object) -> object:
    """Every `{{ value }}` that is None prints as a dash: the report never shows the word 'None'."""
    return MISSING if value is None else value


def render_report(report: OrganisationReport) -> str:
    return _environment().get_template(TEMPLATE).render(report=report)


def report_file_name(organisation_key: str) -> str:
    """'loviisa.city_manager' -> 'loviisa.city_manager.html' (safe on every file system)."""
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in organisation_key)
    return f"{safe or slug(organisation_key) or 'organisation'}.html"


def organisation_keys(data: ReportInput) -> list[str]:
    return sorted({e.organisation_key for e in data.editions})


__all__ = ["OrganisationReport", "ReportInput", "organisation_keys", "organisation_report", "render_report",
           "report_file_name"]
