"""Flows `compare_editions` and `report_editions`: the catalog -> comparison datasets -> HTML reports.

Thin orchestration: reading the datasets, calling extractors.link / extractors.report, writing. No parsing.
Importing this module imports the `flows` package first, which sets the embedded Prefect defaults.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from extractors.link import OVERRIDES_FILE, Catalog, ComparisonResult, compare_catalog, load_overrides, merge_results
from extractors.report import ReportInput, organisation_keys, organisation_report, render_report, report_file_name
from extractors.writers import DERIVED_DATASETS, read_records, temp_path_for, write_derived_datasets

CATALOG_DATASETS = ("documents", "units", "sections", "goals", "targets", "finance")
REPORTS_DIR = "reports"


def default_overrides_path() -> Path | None:
    """`links_overrides.yml` in the working directory, when there is one."""
    path = Path(OVERRIDES_FILE)
    return path if path.is_file() else None


@task(name="read_catalog", cache_policy=NO_CACHE)
def read_catalog(out_dir: str) -> Catalog:
    return Catalog(**{name: read_records(Path(out_dir), name) for name in CATALOG_DATASETS})  # type: ignore[arg-type]


@task(name="compare_catalog", cache_policy=NO_CACHE)
def compare_task(catalog: Catalog, overrides_path: str | None, municipality: str | None,
                 unit: str | None) -> ComparisonResult:
    overrides = load_overrides(Path(overrides_path) if overrides_path else None)
    return compare_catalog(catalog, overrides, municipality=municipality, unit=unit)


@task(name="write_derived_datasets", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def write_comparison(result: ComparisonResult, out_dir: str, filtered: bool) -> None:
    datasets = result.datasets()
    if filtered:
        existing = {name: read_records(Path(out_dir), name) for name in DERIVED_DATASETS}
        datasets = merge_results(existing, result)
    write_derived_datasets(datasets, Path(out_dir))


def comparison_summary(result: ComparisonResult) -> dict[str, Any]:
    comparisons: dict[tuple, Counter] = {}
    for link in result.goal_links:
        key = (link.organisation_key, link.comparison, link.from_edition, link.from_language, link.to_edition,
               link.to_language)
        comparisons.setdefault(key, Counter())[link.change] += 1
    return {
        "organisations": list(result.organisations),
        "comparisons": [
            {"organisation": key[0], "comparison": key[1], "from": f"{key[2]} {key[3]}", "to": f"{key[4]} {key[5]}",
             "changes": dict(counts)}
            for key, counts in comparisons.items()
        ],
        "unit_changes": dict(Counter(link.change for link in result.unit_links)),
        "finance_points": len(result.finance_series),
        "problems": list(result.problems),
    }


@flow(name="compare_editions", log_prints=False)
def compare_editions(out_dir: str, municipality: str | None = None, unit: str | None = None,
                     overrides_path: str | None = None) -> dict[str, Any]:
    """Link consecutive editions (and language versions) of every organisation in the catalog under out_dir
    and replace the datasets editions, goal_links, unit_links and finance_series."""
    catalog = read_catalog(out_dir)
    result = compare_task(quote(catalog), overrides_path, municipality, unit)
    write_comparison(quote(result), out_dir, bool(municipality or unit))
    return comparison_summary(result)


def select_organisations(keys: list[str], names: dict[str, str], wanted: list[str] | None) -> list[str]:
    """Keys matching any wanted value: the key itself, or a case-insensitive part of the organisation's name."""
    if not wanted:
        return keys
    lowered = [w.lower() for w in wanted]
    return [k for k in keys if k in wanted or any(w in names.get(k, "").lower() for w in lowered)]


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_for(path)
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


@task(name="render_report", cache_policy=NO_CACHE)
def render_task(data: ReportInput, organisation_key: str, out_dir: str) -> str:
    path = Path(out_dir) / REPORTS_DIR / report_file_name(organisation_key)
    _write_text(path, render_report(organisation_report(data, organisation_key)))
    return str(path)


@flow(name="report_editions", log_prints=False)
def report_editions(out_dir: str, organisations: list[str] | None = None) -> list[str]:
    """Write OUT/reports/<organisation>.html for the chosen organisations (all by default); returns the paths."""
    out = Path(out_dir)
    data = ReportInput(
        editions=read_records(out, "editions"),  # type: ignore[arg-type]
        goal_links=read_records(out, "goal_links"),  # type: ignore[arg-type]
        unit_links=read_records(out, "unit_links"),  # type: ignore[arg-type]
        finance_series=read_records(out, "finance_series"),  # type: ignore[arg-type]
        goals=read_records(out, "goals"),  # type: ignore[arg-type]
    )
    names = {e.organisation_key: e.organisation_name for e in data.editions}
    keys = select_organisations(organisation_keys(data), names, organisations)
    return [render_task(quote(data), key, out_dir) for key in keys]
