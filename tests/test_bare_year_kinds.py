"""Columns headed by a bare year ('2025 | 2026 | 2027') in board minutes: their kind from the table's
caption or the minutes item's budget subject, 'other' without such evidence.

Every expected value was read from the rendered page of the real document (pages are those of the PDF).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.finance_columns import bare_year_kinds
from extractors.pipeline import process_file
from models import RecordSet

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
HYVINVOINTI_1_2025 = REAL / "fi_lapua_hyvinvointilautakunta_poytakirja_2025-01-22.pdf"
SIVISTYS_1_2025 = REAL / "fi_lapua_sivistyslautakunta_poytakirja_2025-01-15.pdf"
SIVISTYS_10_2025 = REAL / "fi_lapua_sivistyslautakunta_poytakirja_2025-10-08.pdf"


@cache
def records(pdf: Path) -> RecordSet:
    if not pdf.exists():
        pytest.fail(f"missing input {pdf}")
    return process_file(pdf)[1]


def kind_year_amount(rec: RecordSet, page: int, path: str, column: str) -> tuple[str, int | None, float]:
    found = [f for f in rec.finance if f.page == page and f.line_path == path and f.column_label == column]
    assert len(found) == 1, f"{path} / {column}: {sorted({f.line_path for f in rec.finance if f.page == page})}"
    return found[0].figure_kind, found[0].year, found[0].amount


# § 7 'Talousarvio 2025 sekä taloussuunnitelma 2026-2027': the council's approved investments
# 'Investoinnit yhteensä netto | 2025 | 2026 | 2027 | Yhteensä' (hyvinvointi p. 16, sivistys p. 23).
@pytest.mark.parametrize(("pdf", "page", "path", "column", "expected"), [
    (HYVINVOINTI_1_2025, 16, "97101 Kansalaisopisto", "2025", ("budget", 2025, -10000)),
    (HYVINVOINTI_1_2025, 16, "97050 Liikuntatoimi", "2027", ("plan", 2027, -20000)),
    (HYVINVOINTI_1_2025, 16, "Koneet ja kalusto / Hyvinvointilautakunta yhteensä", "2026", ("plan", 2026, -60000)),
    (HYVINVOINTI_1_2025, 16, "97005 Kirjasto", "Yhteensä", ("total", None, -20000)),
    (SIVISTYS_1_2025, 23, "97001 Yläkoulu", "2025", ("budget", 2025, -10000)),
    (SIVISTYS_1_2025, 23, "97001 Yläkoulu", "2026", ("plan", 2026, -75000)),
    (SIVISTYS_1_2025, 23, "Koneet ja kalusto / Sivistyslautakunta yhteensä", "2027", ("plan", 2027, -70000)),
    # § 126 'Sivistyslautakunnan investointiesitys vuosille 2026-2028', the table's caption
    # 'Sivistyslautakunnan kalustoinvestointiesitys vuosille 2026-2028': a proposal, later years plan
    (SIVISTYS_10_2025, 11, "97001 Yläkoulu / menot", "2026", ("proposal", 2026, -28000)),
    (SIVISTYS_10_2025, 11, "97003 Alakoulut / menot", "2027", ("plan", 2027, -20000)),
    (SIVISTYS_10_2025, 11, "Yhteensä / menot", "2028", ("plan", 2028, -85000)),
])
def test_bare_year_columns_in_minutes(pdf: Path, page: int, path: str, column: str,
                                      expected: tuple[str, int | None, float]) -> None:
    assert kind_year_amount(records(pdf), page, path, column) == expected


LABELS = ["2025", "2026", "2027", "Yhteensä"]
KINDS = ["other", "other", "other", "total"]
YEARS: list[int | None] = [2025, 2026, 2027, None]
SUBJECT = "§ 7 Talousarvio 2025 sekä taloussuunnitelma 2026-2027, sivistyslautakunta"


def test_subject_gives_budget_and_plan() -> None:
    assert bare_year_kinds(LABELS, KINDS, YEARS, None, SUBJECT, "fi") == ["budget", "plan", "plan", "total"]


@pytest.mark.parametrize(("caption", "subject", "years"), [
    (None, None, YEARS),  # no evidence: left 'other'
    (None, "§ 7 Talousarvio 2026 sekä taloussuunnitelma 2027-2028", YEARS),  # other years than the subject's
    (None, SUBJECT, [2024, 2025, 2026, None]),  # a year before the budget year
    (("proposal", "Investointiesitys vuosille 2027-2029"), None, YEARS),  # the caption names other years
    (("difference", "Muutos 2025-2027"), None, YEARS),  # a caption of no budget kind
])
def test_no_clear_evidence_leaves_other(caption: tuple[str, str] | None, subject: str | None,
                                        years: list[int | None]) -> None:
    labels = [str(y) if y else "Yhteensä" for y in years]
    assert bare_year_kinds(labels, KINDS, years, caption, subject, "fi")[:3] == ["other"] * 3


def test_headings_naming_a_kind_keep_it() -> None:
    kinds = ["budget", "plan", "plan", "total"]
    assert bare_year_kinds(["TA 2025", "TS 2026", "TS 2027", "Yhteensä"], kinds, YEARS, None, SUBJECT, "fi") == kinds
