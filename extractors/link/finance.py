"""Link stage, finance series: every printed figure of an organisation as a point of a series across editions.

Contract: (organisation, its finance figures per document, unit keys) -> FinanceSeriesPoints, one per
(unit key, line key, year, figure kind, entity scope, edition). Pure. The group's figure of a line and year
('Konserni 2024') is a series of its own beside the city's ('Kaupunki 2024').

Within one edition the representative document in the primary language prints the point; the other
documents of that edition (the other language, another format) are listed in `also_printed_in` when they
print the same amount and in `differs_in` when not; a figure only they print becomes a point of its own.
So for one year the analyst sees the plan printed two years before, the budget, the amended budget and
the actual, each as printed by the edition that printed it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from extractors.link.organisations import Organisation
from extractors.link.text import normalise_text
from models.links import FinanceSeriesPoint
from models.records import FinanceFigure

SeriesKey = tuple[str, str, int | None, str, str]
KIND_ORDER = {"actual": 0, "budget": 1, "budget_amended": 2, "plan": 3, "frame": 4, "difference": 5, "other": 6}


def line_key_of(figure: FinanceFigure) -> str:
    """The series a figure belongs to: its line key, else its label as printed, else (a group total printed with no
    label of its own) its line path ('Verotulot … Muut rahoituskulut')."""
    return figure.line_key or f"label:{normalise_text(figure.line_label or figure.line_path or '')}"


def scope_of(figure: FinanceFigure | FinanceSeriesPoint) -> str:
    """Whose figure it is; rows written before entity_scope existed are the city's."""
    return figure.entity_scope or "city"


def finance_series(organisation: Organisation, figures: dict[str, list[FinanceFigure]],
                   unit_key: Callable[[str, str | None], str]) -> list[FinanceSeriesPoint]:
    """figures: document_id -> the figures of the organisation's units in that document."""
    points: list[FinanceSeriesPoint] = []
    for edition, languages in organisation.editions.items():
        members = [m for lang in organisation.languages(edition) for m in languages[lang][:1]]
        members += [m for lang in organisation.languages(edition) for m in languages[lang][1:]]
        by_key: dict[SeriesKey, FinanceSeriesPoint] = {}
        for member in members:
            document = member.document
            for figure in figures.get(document.document_id, []):
                key = (unit_key(document.document_id, figure.unit_name), line_key_of(figure), figure.year,
                       figure.figure_kind, scope_of(figure))
                point = by_key.get(key)
                if point is None:
                    by_key[key] = FinanceSeriesPoint(
                        organisation_key=organisation.key, unit_key=key[0], unit_name=figure.unit_name,
                        line_key=key[1], line_label=figure.line_label, year=figure.year,
                        figure_kind=figure.figure_kind, amount=figure.amount, edition=edition,
                        edition_budget_year=document.budget_year,
                        years_from_edition=(figure.year - document.budget_year
                                            if figure.year is not None and document.budget_year is not None else None),
                        latest=False, document_id=document.document_id, language=document.language,
                        column_label=figure.column_label, is_memo=figure.is_memo, page=figure.page, line=figure.line,
                        unit=figure.unit, multiplier=figure.multiplier, value=figure.value, entity_scope=key[4],
                        sign_convention=figure.sign_convention,
                    )
                elif point.document_id != document.document_id:
                    same = _comparable(point.value, point.amount) == _comparable(figure.value, figure.amount)
                    target = point.also_printed_in if same else point.differs_in
                    if document.document_id not in target:
                        target.append(document.document_id)
        points.extend(by_key.values())
    _mark_latest(points)
    return sorted(points, key=_order)


def _comparable(value: float | None, amount: float) -> float:
    """The figure in the base unit (value), else as printed (rows written before values existed)."""
    return value if value is not None else amount


def _mark_latest(points: Iterable[FinanceSeriesPoint]) -> None:
    latest: dict[SeriesKey, FinanceSeriesPoint] = {}
    for point in points:
        key = (point.unit_key, point.line_key, point.year, point.figure_kind, scope_of(point))
        current = latest.get(key)
        if current is None or (point.edition or 0) > (current.edition or 0):
            latest[key] = point
    for point in latest.values():
        point.latest = True


def _order(point: FinanceSeriesPoint) -> tuple:
    return (point.unit_key, point.line_key, point.year is None, point.year or 0,
            KIND_ORDER.get(point.figure_kind, 9), scope_of(point), point.edition is None, point.edition or 0,
            point.document_id)


def organisation_figures(organisation: Organisation, finance: Iterable[FinanceFigure],
                         unit_names: dict[str, set[str | None]]) -> dict[str, list[FinanceFigure]]:
    """document_id -> its figures that belong to the organisation (by unit name; unnamed units go with a
    document's only organisation)."""
    documents = {m.document.document_id for m in organisation.members}
    result: dict[str, list[FinanceFigure]] = {}
    for figure in finance:
        if figure.document_id in documents and figure.unit_name in unit_names.get(figure.document_id, set()):
            result.setdefault(figure.document_id, []).append(figure)
    return result

