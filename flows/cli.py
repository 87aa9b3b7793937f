"""Command line `plandata`: argument parsing, progress and summary display around the ingest flow."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

DEFAULT_OUT = Path("output")
LOG_WIDTH = 160
STATUS_STYLES = {"ok": "green", "partial": "yellow", "failed": "bold red"}

EXIT_OK = 0
EXIT_ALL_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plandata",
        description="Turn Finnish municipal plan and budget documents (PDF or text export, Swedish or "
        "Finnish) into validated datasets (Parquet files and a DuckDB catalog).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    ingest = commands.add_parser(
        "ingest",
        help="ingest plan documents (files or folders) into the datasets",
        description="Ingest plan documents into OUT/datasets/*.parquet and OUT/plandata.duckdb. "
        "Each file runs through the Prefect flow `ingest_document`; re-ingesting a file replaces "
        "its rows. Exit status: 0 when at least one input succeeded (ok or partial), 1 when every "
        "input failed, 2 for usage errors (such as no input files found).",
    )
    ingest.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        type=Path,
        help="a PDF or text file (taken whatever its suffix), or a folder searched recursively "
        "for .pdf and .txt files",
    )
    ingest.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder for the datasets (default: {DEFAULT_OUT})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help and usage errors: return the code instead of exiting
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command == "ingest":
        return run_ingest(args.paths, args.out)
    parser.print_help()
    return EXIT_USAGE


def run_ingest(paths: list[Path], out_dir: Path) -> int:
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Logs and pipes get rich's 80 columns, too narrow for file names next to six more columns.
        console.width = LOG_WIDTH
    errors = Console(stderr=True, highlight=False)
    # Imported here so `plandata --help` answers without loading Prefect.
    from flows.ingest import expand_paths, ingest_paths

    try:
        files = expand_paths(paths)
    except FileNotFoundError as exc:
        errors.print(f"plandata ingest: error: {exc}", markup=False, soft_wrap=True)
        return EXIT_USAGE
    if not files:
        errors.print(
            f"plandata ingest: error: no input files (.pdf, .txt) found in: {', '.join(map(str, paths))}",
            markup=False,
            soft_wrap=True,
        )
        return EXIT_USAGE

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        bar = progress.add_task("Ingesting", total=len(files))

        def on_start(path: Path) -> None:
            progress.update(bar, description=f"Ingesting {path.name}")

        def on_done(path: Path, summary: dict[str, Any]) -> None:
            if summary["status"] == "failed":
                progress.console.print(failure_line(path, summary["message"]), soft_wrap=True)
            progress.advance(bar)

        summaries = ingest_paths(files, out_dir, on_start=on_start, on_done=on_done)

    console.print(summary_table(summaries))
    counts = {status: sum(s["status"] == status for s in summaries) for status in STATUS_STYLES}
    console.print(
        f"{len(summaries)} document(s): {counts['ok']} ok, {counts['partial']} partial, "
        f"{counts['failed']} failed; datasets in {out_dir}",
        markup=False,
        soft_wrap=True,
    )
    succeeded = counts["ok"] + counts["partial"]
    return EXIT_OK if succeeded else EXIT_ALL_FAILED


def failure_line(path: Path, message: str) -> Text:
    line = Text("FAILED", style=STATUS_STYLES["failed"])
    line.append(f" {path}: {message or 'unknown reason'}")
    return line


def summary_table(summaries: list[dict[str, Any]]) -> Table:
    table = Table(title="plandata ingest")
    table.add_column("document", overflow="fold")
    table.add_column("status", no_wrap=True)
    for heading in ("pages", "goals", "finance", "validation"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("message", overflow="fold")
    for summary in summaries:
        status = summary["status"]
        table.add_row(
            Path(summary["source_path"]).name,
            Text(status, style=STATUS_STYLES.get(status, "")),
            _count(summary["pages"]),
            _count(summary["goals"]),
            _count(summary["finance"]),
            _count(summary["findings"]),
            Text(summary["message"] or ""),
        )
    return table


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


if __name__ == "__main__":
    sys.exit(main())
