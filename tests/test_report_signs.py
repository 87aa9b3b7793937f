"""The report's charts put costs on one sign whatever convention each edition's table printed them in.

Input: Lapua's ympäristölautakunta minutes of 25.1.2022 p. 7 ('Talousarvio 2021 | Toteutuma 2021 | Tot-%', costs
printed positive: 'Toimintakulut 353 162 343 944') and the city's budget proposal of 4.11.2024 (the board's table
'YMPÄRISTÖLAUTAKUNTA', TP 2023 | TA 2024 | Raami 2025 | TA 2025, costs printed negative): two editions of the board.
"""

from __future__ import annotations

from pathlib import Path

from extractors.link import Catalog, compare_catalog
from extractors.report import ReportInput, organisation_report
from tests.pdf_pages import page_records

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
CATALOG_FIELDS = ("documents", "units", "sections", "goals", "targets", "finance")


def test_costs_printed_positive_chart_as_costs() -> None:
    minutes = page_records(CORPUS / "fi_lapua_ymparistolautakunta_poytakirja_2022-01-25.pdf", (1, 7))
    budget = page_records(CORPUS / "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf", (1, 2, 3, 4))
    assert {f.sign_convention for f in minutes.finance if f.line_key == "operating_costs"} == {"costs_positive"}
    assert {f.sign_convention for f in budget.finance
            if f.line_key == "operating_costs" and f.unit_name == "YMPÄRISTÖLAUTAKUNTA"} == {"costs_negative"}
    parts = minutes.datasets(), budget.datasets()
    result = compare_catalog(Catalog(**{name: parts[0][name] + parts[1][name] for name in CATALOG_FIELDS}))
    data = ReportInput(result.editions, result.goal_links, result.unit_links, result.finance_series,
                       minutes.goals + budget.goals)
    charts = {chart.title: chart for chart in organisation_report(data, "lapua.ymparistolautakunta").charts}
    costs = charts["YMPÄRISTÖLAUTAKUNTA — Toimintakulut"]
    assert costs.years == [2021, 2023, 2024, 2025]
    # 2021 from the minutes (printed 343 944 and 353 162), 2023-2025 from the budget proposal (printed negative)
    assert costs.table == [("actual", ["−343\u202f944", "−280\u202f308", "", ""]),
                           ("budget", ["−353\u202f162", "", "−391\u202f650", "−394\u202f023"]),
                           ("frame", ["", "", "", "−403\u202f000"])]
    # the series keeps the figures as printed, with their table's convention
    points = [p for p in result.finance_series if p.line_key == "operating_costs" and p.year == 2021
              and p.organisation_key == "lapua.ymparistolautakunta"]
    assert sorted((p.figure_kind, p.amount, p.sign_convention) for p in points) == [
        ("actual", 343944.0, "costs_positive"), ("budget", 353162.0, "costs_positive"),
        ("realisation_percent", 97.4, "costs_positive")]
