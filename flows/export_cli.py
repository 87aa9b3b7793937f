"""Command line `plandata export`: arguments and the summary line around the flow `export_package`.

Prefect is imported only when the command runs, so `plandata --help` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from flows.console import consoles, start_prefect, usage_error

EXIT_OK = 0
EXIT_USAGE = 2
FORMATS = ("fdp",)


def add_export_command(commands: Any, add_out: Any) -> None:
    """Add the `export` subcommand to the `plandata` parser's subparsers."""
    export = commands.add_parser(
        "export",
        help="write the finance data as an open-standard package (Fiscal Data Package)",
        description="Run the Prefect flow `export_package` on the catalog in OUT and write the finance data "
        "as an OpenSpending Fiscal Data Package: OUT/export/fdp/finance.csv (one row per figure) and "
        "OUT/export/fdp/datapackage.json (Table Schema and fiscal model: measures by budget phase and "
        "currency; dimensions organisation, line, fiscal year, document, column, provenance). Exit status: "
        "0 on success, 2 for usage errors (no catalog in OUT), 3 when no Prefect server could be started.",
    )
    export.add_argument("--format", choices=FORMATS, default="fdp", dest="package_format",
                        help="fdp: OpenSpending Fiscal Data Package (the default and only format)")
    add_out(export, "the catalog to export; the package goes to DIR/export/fdp/")


def run_export(args: argparse.Namespace) -> int:
    console, errors = consoles()
    out_dir: Path = args.out
    if not (out_dir / "datasets").is_dir():
        usage_error(errors, "export", f"no catalog in {out_dir}: run `plandata ingest ... --out {out_dir}` first")
        return EXIT_USAGE
    from flows.export import export_package

    start_prefect(console)
    result = export_package(str(out_dir), args.package_format)
    console.print(f"Fiscal Data Package: {result['descriptor']} ({result['rows']} figures; measures: "
                  f"{', '.join(result['measures']) or 'none'})", markup=False, soft_wrap=True)
    return EXIT_OK
