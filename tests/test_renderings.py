"""The PDF pipeline on renderings that are not in the corpus: other fonts, landscape pages, tables
without ruling lines, smaller type (tables break elsewhere) and the Finnish text as a PDF.

Every expectation comes from the pipeline's own reading of the text export the PDF was rendered from,
so a difference is a defect of the PDF front end, not of the expectation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from models import PlanDocument, RecordSet
from tests.render import render_plan_pdf

SOURCES = {
    "sv": ("lovisa-stadskanslicentralen-2025-2027-sv.txt", "Lovisa stad · Budget 2025 och ekonomiplan 2025–2027"),
    "fi": ("loviisa-kaupunginkansliakeskus-2025-2027-fi.txt",
           "Loviisan kaupunki · Talousarvio 2025 ja taloussuunnitelma 2025–2027"),
}
VARIANTS = {
    "helvetica-portrait-ruled": {"font": "Helvetica"},
    "times-landscape-ruled": {"font": "Times-Roman", "landscape": True},
    "helvetica-portrait-unruled": {"font": "Helvetica", "ruled": False},
    "courier-landscape-unruled": {"font": "Courier", "landscape": True, "ruled": False},
    "dejavu-8pt-portrait-ruled": {"font": "DejaVuSans", "font_size": 8},
    # two more layouts that a scan over fonts, sizes and orientations showed to be hard:
    # short strategic goals that fit in the first column, right under the header row
    "times-8pt-landscape-unruled": {"font": "Times-Roman", "landscape": True, "ruled": False, "font_size": 8},
    # bigger type in narrow columns: labels and cells wrap, words break, cell texts nearly touch
    "dejavu-10pt-portrait-ruled": {"font": "DejaVuSans", "font_size": 10},
    # tables continued on the next page without a repeated header row
    "helvetica-portrait-unruled-no-repeated-header": {"font": "Helvetica", "ruled": False, "repeat_header": False},
    "times-landscape-ruled-no-repeated-header": {"font": "Times-Roman", "landscape": True, "repeat_header": False},
}
CASES = [pytest.param(lang, variant, id=f"{lang}-{variant}") for lang in SOURCES for variant in VARIANTS]
# The renderer draws the running header 12 mm below the top edge and the page number 10 mm above the
# bottom edge; the body frame starts 22 mm from the top and ends 20 mm from the bottom.
HEADER_BAND = 16 * 72 / 25.4
FOOTER_BAND = 14 * 72 / 25.4

Result = tuple[PlanDocument, RecordSet]


def squeeze(text: str | None) -> str:
    """Text without whitespace and hyphens: PDF wrapping splits words differently from the export."""
    return re.sub(r"[\s\-\u00ad]", "", text or "")


@pytest.fixture(scope="module")
def from_text(samples_dir: Path) -> Callable[[str], Result]:
    cache: dict[str, Result] = {}

    def get(lang: str) -> Result:
        if lang not in cache:
            cache[lang] = process_file(samples_dir / SOURCES[lang][0])
            assert cache[lang][1].finance and cache[lang][1].goals, "the text export gives no expectation"
        return cache[lang]

    return get


@pytest.fixture(scope="module")
def from_pdf(samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Result]:
    cache: dict[tuple[str, str], Result] = {}
    folder = tmp_path_factory.mktemp("renderings")

    def get(lang: str, variant: str) -> Result:
        if (lang, variant) not in cache:
            name, header = SOURCES[lang]
            pdf = render_plan_pdf(samples_dir / name, folder / f"{lang}-{variant}.pdf", running_header=header,
                                  **VARIANTS[variant])
            cache[lang, variant] = process_file(pdf)
        return cache[lang, variant]

    return get


def figure_keys(records: RecordSet) -> Counter[tuple]:
    return Counter((f.line_key, f.year, f.figure_kind, f.amount) for f in records.finance)


def goal_rows(records: RecordSet) -> list[tuple]:
    return [(g.theme_number, squeeze(g.strategic_goal), squeeze(g.central_goal), squeeze(g.area_goal),
             squeeze(g.actions), squeeze(g.responsible_raw)) for g in records.goals]


def strategic_goals(records: RecordSet) -> list[tuple]:
    return list(dict.fromkeys((g.theme_number, squeeze(g.strategic_goal)) for g in records.goals))


@pytest.mark.parametrize(("lang", "variant"), CASES)
def test_finance_figures_match_text_export(lang: str, variant: str, from_text, from_pdf) -> None:
    _, expected = from_text(lang)
    _, records = from_pdf(lang, variant)
    want, got = figure_keys(expected), figure_keys(records)
    assert len(records.finance) == len(expected.finance), "number of finance figures"
    missing, extra = sorted((want - got).elements(), key=str), sorted((got - want).elements(), key=str)
    assert not missing and not extra, f"missing {missing}; extra {extra}"


@pytest.mark.parametrize(("lang", "variant"), CASES)
def test_goals_match_text_export(lang: str, variant: str, from_text, from_pdf) -> None:
    _, expected = from_text(lang)
    _, records = from_pdf(lang, variant)
    assert len(records.goals) == len(expected.goals), "number of goal rows"
    assert len(strategic_goals(records)) == len(strategic_goals(expected)), "number of strategic goals"
    assert [g.theme_number for g in records.goals] == [g.theme_number for g in expected.goals], "theme numbers"
    for index, (got, want) in enumerate(zip(goal_rows(records), goal_rows(expected), strict=True)):
        assert got == want, f"goal row {index} (page {records.goals[index].page}) differs"


@pytest.mark.parametrize(("lang", "variant"), CASES)
def test_units_match_text_export(lang: str, variant: str, from_text, from_pdf) -> None:
    _, expected = from_text(lang)
    _, records = from_pdf(lang, variant)
    assert [(u.name, u.level, u.responsible_title) for u in records.units] == \
        [(u.name, u.level, u.responsible_title) for u in expected.units]


@pytest.mark.parametrize(("lang", "variant"), CASES)
def test_no_figures_from_running_header_or_page_numbers(lang: str, variant: str, from_pdf) -> None:
    doc, records = from_pdf(lang, variant)
    header = SOURCES[lang][1]
    heights = {page.number: page.height for page in doc.pages}
    for figure in records.finance:
        assert figure.bbox is not None and figure.page is not None
        assert HEADER_BAND < figure.bbox[1] and figure.bbox[3] < heights[figure.page] - FOOTER_BAND, \
            f"figure {figure.amount} ({figure.line_label!r}) lies in the page header or footer"
        assert header not in figure.line_label and not figure.line_label.strip().isdigit()
    for page in doc.pages:
        assert header in page.furniture, f"page {page.number}: running header not set aside ({page.furniture})"
