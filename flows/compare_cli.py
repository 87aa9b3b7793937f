"""Command line `plandata compare` and `plandata report`: arguments, checks and the summary display.

Prefect is imported only when a command runs, so `plandata --help` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.table import Table

from flows.console import consoles, start_prefect, usage_error

EXIT_OK = 0
EXIT_USAGE = 2
CHANGES = ("same", "reworded", "target_changed", "responsible_changed", "translated", "new", "dropped")


def add_compare_commands(commands: Any, add_out: Any) -> None:
    """Add the `compare` and `report` subcommands to the `plandata` parser's subparsers."""
    compare = commands.add_parser(
        "compare",
        help="link goals, units and finance lines across the editions in the catalog",
        description="Run the Prefect flow `compare_editions` on the catalog in OUT: documents of the same "
        "organisation (municipality + central, Swedish and Finnish alike) are ordered by plan period, every "
        "pair of consecutive editions and the language versions of each edition are linked, and the datasets "
        "editions, goal_links, unit_links and finance_series are replaced in OUT/datasets and OUT/plandata.duckdb. "
        f"Curated links in ./{'links_overrides.yml'} (or --overrides FILE) win over computed ones. "
        "Exit status: 0 on success, 2 for usage errors (no catalog in OUT, no organisation matches), 130 when "
        "interrupted (Ctrl-C: the datasets are as before or all replaced), 143 and 129 when stopped by SIGTERM and "
        "SIGHUP.",
    )
    compare.add_argument("--municipality", metavar="M", help="only this municipality (any language: Lovisa or Loviisa)")
    compare.add_argument("--unit", metavar="U", help="only the organisation holding a unit of this name "
                         "(e.g. Stadskanslicentralen) or with this key part (city_manager)")
    compare.add_argument("--overrides", metavar="FILE", type=Path, default=None,
                         help="curated links (default: links_overrides.yml in the working directory, if any)")
    add_out(compare, "the catalog to compare; the comparison datasets are written to DIR/datasets")
    report = commands.add_parser(
        "report",
        help="write the HTML comparison report of each organisation",
        description="Run the Prefect flow `report_editions`: one self-contained HTML file per organisation, "
        "OUT/reports/<organisation>.html (inline CSS and SVG charts; no network needed to view it), from the "
        "datasets `plandata compare` wrote. Exit status: 0 on success, 2 for usage errors (compare not run, "
        "no organisation matches), 130 when interrupted (Ctrl-C), 143 and 129 when stopped by SIGTERM and SIGHUP.",
    )
    report.add_argument("--organisation", metavar="ORG", action="append", default=None,
                        help="an organisation key (loviisa.city_manager) or part of its name; repeatable "
                        "(default: every organisation)")
    add_out(report, "the comparison datasets are read from it; the HTML reports go to DIR/reports/")


def _summary_table(summary: dict[str, Any]) -> Table:
    table = Table(title="plandata compare")
    table.add_column("organisation", overflow="fold")
    table.add_column("comparison", no_wrap=True)
    for change in CHANGES:
        table.add_column(change, justify="right", no_wrap=True)
    for row in summary["comparisons"]:
        table.add_row(row["organisation"], f"{row['from']} → {row['to']} ({row['comparison']})",
                      *[str(row["changes"].get(change, "") or "") for change in CHANGES])
    return table


def run_compare(args: argparse.Namespace) -> int:
    console, errors = consoles()
    out_dir: Path = args.out
    from extractors.datasets import dataset_exists

    if not dataset_exists(out_dir, "documents"):
        usage_error(errors, "compare", f"no catalog in {out_dir}: run `plandata ingest ... --out {out_dir}` first")
        return EXIT_USAGE
    overrides = args.overrides
    if overrides is not None and not overrides.is_file():
        usage_error(errors, "compare", f"no such overrides file: {overrides}")
        return EXIT_USAGE
    from flows.compare import compare_editions, default_overrides_path

    overrides = overrides or default_overrides_path()
    start_prefect(console)
    summary = compare_editions(str(out_dir), args.municipality, args.unit, str(overrides) if overrides else None)
    if not summary["organisations"]:
        usage_error(errors, "compare", "no organisation in the catalog matches the filters")
        return EXIT_USAGE
    console.print(_summary_table(summary))
    units = ", ".join(f"{n} {change}" for change, n in sorted(summary["unit_changes"].items()))
    console.print(f"{len(summary['organisations'])} organisation(s); unit links: {units or 'none'}; "
                  f"finance series points: {summary['finance_points']}; datasets in {out_dir}", markup=False,
                  soft_wrap=True)
    for problem in summary["problems"]:
        console.print(f"override not applied: {problem}", markup=False, soft_wrap=True)
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    console, errors = consoles()
    out_dir: Path = args.out
    from extractors.datasets import dataset_exists

    if not dataset_exists(out_dir, "editions"):
        usage_error(errors, "report", f"no comparison in {out_dir}: run `plandata compare --out {out_dir}` first")
        return EXIT_USAGE
    from flows.compare import report_editions

    start_prefect(console)
    paths = report_editions(str(out_dir), args.organisation)
    if not paths:
        usage_error(errors, "report", f"no organisation matches: {', '.join(args.organisation or [])}")
        return EXIT_USAGE
    for path in paths:
        console.print(f"report: {path}", markup=False, soft_wrap=True)
    return EXIT_OK
