"""Command line `plandata`: argument parsing and the commands around the flows (their display: flows.console; Ctrl-C
and the stop signals: flows.interrupts)."""

from __future__ import annotations

from flows.signals import early_handlers as _early_handlers

_EARLY = _early_handlers()

import argparse  # noqa: E402 (the imports below run with _early_exit installed)
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from contextlib import nullcontext  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from extractors.source import display_text, source_text  # noqa: E402
from flows.console import (  # noqa: E402
    batch_progress,
    consoles,
    dropped_without_server,
    failure_line,
    made_output_folder,
    note_line,
    print_report,
    progress_bar,
    start_prefect,
    status_counts,
    usage_error,
)
from flows.compare_cli import add_compare_commands, run_compare, run_report  # noqa: E402
from flows.defaults import (  # noqa: E402
    DEFAULT_INTERVAL_SECONDS,
    DEFAULT_MEMORY_BUDGET_MB,
    DEFAULT_MIN_AGE_SECONDS,
    DEFAULT_SETTLE_SECONDS,
    DEFAULT_TIME_BUDGET_SECONDS,
    DEFAULT_TIME_PER_PAGE_SECONDS,
    DEFAULT_WORKERS,
)
from flows.export_cli import add_export_command, run_export  # noqa: E402
from flows.inspect import add_inspect_command, run_inspect  # noqa: E402
from flows.interrupts import (  # noqa: E402
    EXIT_INTERRUPTED,
    INTERRUPTIBLE,
    Interrupt,
    end_interrupted,
    interruptible,
    main_thread,
    work_finished,
)
from flows.server_lost import drop_unsent, lost_server  # noqa: E402
from flows.server_start import ServerStartError  # noqa: E402

for _number, _handler in _EARLY.items():  # the imports are done: the command installs its own handling
    signal.signal(_number, _handler)  # type: ignore[arg-type]

DEFAULT_OUT = Path("output")

EXIT_OK = 0
EXIT_ALL_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_SERVER = 3  # Prefect's server could not be started or reached, or stopped answering
# EXIT_INTERRUPTED and 128 + any other stop signal's number: flows.interrupts


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {text}")
    return value


def _path(text: str) -> Path:
    """A path argument; an empty one is refused (`--out "$OUT"` with OUT unset would write into the current folder,
    `archive ""` read it): the current folder is `.`."""
    if not text:
        raise argparse.ArgumentTypeError("must not be empty (the current folder is .)")
    return Path(text)


def _add_out(parser: argparse.ArgumentParser, holds: str = "the datasets (DIR/datasets, DIR/plandata.duckdb)") -> None:
    """--out DIR; `holds` says what the command reads or writes there (the help text states only that)."""
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=_path,
        default=DEFAULT_OUT,
        help=f"output folder: {holds} (default: {DEFAULT_OUT})",
    )


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


BATCH_GOES_ON = "a document past its budget is failed and the other documents go on"


def _add_budget(parser: argparse.ArgumentParser, past_budget: str = BATCH_GOES_ON) -> None:
    """--time-budget, --time-per-page, --memory-budget; `past_budget` says what the command does with a document
    that breaks its budget."""
    parser.add_argument(
        "--time-budget", metavar="SECONDS", type=_positive_seconds, default=DEFAULT_TIME_BUDGET_SECONDS,
        help="wall-clock seconds one document may take to extract, at least (default: "
        f"{DEFAULT_TIME_BUDGET_SECONDS:g}); {past_budget}",
    )
    parser.add_argument(
        "--time-per-page", metavar="SECONDS", type=_seconds, default=DEFAULT_TIME_PER_PAGE_SECONDS,
        help=f"... or this many seconds per page of a longer document (default: {DEFAULT_TIME_PER_PAGE_SECONDS:g})",
    )
    parser.add_argument(
        "--memory-budget", metavar="MB", type=_positive_int, default=DEFAULT_MEMORY_BUDGET_MB,
        help=f"memory one document's extraction may use, in MB (default: {DEFAULT_MEMORY_BUDGET_MB})",
    )


def budget_of(args: argparse.Namespace) -> dict[str, Any]:
    """The budget options as flows.budget.Budget's fields."""
    return {"seconds": args.time_budget, "seconds_per_page": args.time_per_page, "memory_mb": args.memory_budget}


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
        "its rows. Writes a run report to OUT/reports/run-<UTC time>.json and .md (each document's "
        "status, figures and seconds). Exit status: 0 when at least one input succeeded (ok or partial), "
        "1 when every input failed, 2 for usage errors (such as no input files found), 130 when interrupted "
        "(Ctrl-C: the documents committed before stay, the same command again does the rest), 143 and 129 when "
        "stopped by SIGTERM and SIGHUP (handled as Ctrl-C is).",
    )
    ingest.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        type=_path,
        help="a PDF or text file (taken whatever its suffix), or a folder searched recursively "
        "for .pdf and .txt files (symbolic links in it are not followed)",
    )
    _add_out(ingest, "the datasets and the run reports (DIR/reports/run-*.json, .md)")
    _add_budget(ingest)

    archive = commands.add_parser(
        "archive",
        help="ingest a whole folder of plans concurrently on Dask, skipping unchanged files",
        description="Ingest every .pdf and .txt under FOLDER (recursively) with the Prefect flow "
        "`archive_batch`: files already ingested with the same content (sha256) and pipeline version "
        "are skipped, the rest are extracted concurrently by Dask workers and each document is "
        "committed as soon as it is done, so an interrupted run loses nothing and re-running it only "
        "does what is left. Writes a run report to OUT/reports/run-<UTC time>.json and .md. "
        "Exit status: 0 when at least one file is ok or partial, 1 when every file failed, 2 for "
        "usage errors (such as no input files, or no scheduler at --dask-address), 130 when interrupted (Ctrl-C), "
        "143 and 129 when stopped by SIGTERM and SIGHUP.",
    )
    archive.add_argument("folder", metavar="FOLDER", type=_path,
                         help="folder searched recursively for .pdf and .txt (symbolic links are not followed)")
    _add_out(archive, "the datasets and the run reports (DIR/reports/run-*.json, .md)")
    _add_budget(archive)
    archive.add_argument(
        "--workers",
        metavar="N",
        type=_positive_int,
        default=DEFAULT_WORKERS,
        help=f"worker processes of the local Dask cluster (default: the number of CPUs, {DEFAULT_WORKERS})",
    )
    archive.add_argument(
        "--dask-address",
        metavar="tcp://host:port",
        default=None,
        help="use the existing Dask scheduler at this address instead of a local cluster; its workers "
        "need plandata installed, the input and output paths, and a reachable Prefect API (PREFECT_API_URL)",
    )

    watch = commands.add_parser(
        "watch",
        help="ingest new files dropped into an inbox folder, on a schedule",
        description="Serve the Prefect flow `watch_inbox` as a deployment that scans INBOX on a schedule "
        "(every minute unless --cron or --interval says otherwise). Each pass ingests the files directly "
        "in INBOX whose size and modification time have stopped changing, moves each to INBOX/processed/, "
        "or to INBOX/failed/ with <name>.error.txt beside it, and writes a run report to OUT/reports/ "
        "(unless the inbox was empty). "
        "Runs until interrupted (Ctrl-C); uses the Prefect server at PREFECT_API_URL when set, otherwise "
        "starts a local one for as long as it runs. --once runs a single pass and exits.",
    )
    watch.add_argument("inbox", metavar="INBOX", type=_path, help="the folder to watch (not searched recursively)")
    _add_out(watch, "the datasets and the run reports (DIR/reports/run-*.json, .md)")
    _add_budget(watch)
    schedule = watch.add_mutually_exclusive_group()
    schedule.add_argument("--cron", metavar="EXPR", help='cron schedule of the passes, e.g. "*/15 * * * *"')
    schedule.add_argument(
        "--interval",
        metavar="SECONDS",
        type=_seconds,
        help=f"seconds between passes (default: {DEFAULT_INTERVAL_SECONDS})",
    )
    watch.add_argument("--once", action="store_true", help="run one pass now and exit, without serving a deployment")
    watch.add_argument(
        "--settle",
        metavar="SECONDS",
        type=_seconds,
        default=DEFAULT_SETTLE_SECONDS,
        help="a file must keep its size and modification time over this many seconds "
        f"(default: {DEFAULT_SETTLE_SECONDS:g})",
    )
    watch.add_argument(
        "--min-age",
        metavar="SECONDS",
        type=_seconds,
        default=DEFAULT_MIN_AGE_SECONDS,
        help=f"and must have been modified at least this long ago (default: {DEFAULT_MIN_AGE_SECONDS:g})",
    )
    add_compare_commands(commands, _add_out)
    add_export_command(commands, _add_out)
    add_inspect_command(commands, _add_out, _add_budget)
    return parser


def quiet_library_warnings() -> None:
    """Python warnings of the libraries under a command (Dask, Prefect) are not for its terminal: ignored here
    and in the processes it starts (the extraction process collects its own into `issues`)."""
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    warnings.simplefilter("ignore")


def main(argv: Sequence[str] | None = None) -> int:
    early = _early_handlers() if main_thread() else {}  # until the command's own handling: one line, 128 + signal
    try:
        quiet_library_warnings()
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and usage errors: return the code instead of exiting
            return exc.code if isinstance(exc.code, int) else EXIT_USAGE
        from extractors.pipeline import fewer_collections  # an import: under the early handlers too
    finally:
        for number, handler in early.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
    handling = args.command in INTERRUPTIBLE and main_thread()
    code = EXIT_INTERRUPTED
    # the command's own process: Prefect's, Dask's and the writers' objects, hundreds of collections at Python's
    # threshold (816, 6 over the whole heap: 0.8 of the 3.3 CPU s of an archive of the corpus)
    try:
        with interruptible() if handling else nullcontext() as interrupt, fewer_collections():
            try:
                code = _ran(parser, args, interrupt)
            except KeyboardInterrupt:  # also one raised while an error's line was printed
                if not handling:
                    raise
            if interrupt is not None and interrupt.seen:  # also when a library swallowed the KeyboardInterrupt
                code = end_interrupted(args.command, interrupt)
            work_finished(code)  # a stop signal from here on, while the handlers are restored, ends it with code
    finally:
        work_finished(None)  # from main()'s return on, `plandata` has the status itself (flows.entry)
    return code


def _ran(parser: argparse.ArgumentParser, args: argparse.Namespace, interrupt: Interrupt | None) -> int:
    """The command's exit status; a failed server start or a server lost on the way ends in one line and
    EXIT_NO_SERVER, any error after Ctrl-C (interrupt.seen) in EXIT_INTERRUPTED (main then says its line)."""
    try:
        return run_command(parser, args)
    except Exception as exc:
        if interrupt is not None and interrupt.seen:
            # a library re-raised the handler's KeyboardInterrupt as its own error (pydantic-core's serializers:
            # "Error calling function ...: KeyboardInterrupt"), or the interrupt broke what came after
            return EXIT_INTERRUPTED
        if isinstance(exc, ServerStartError):  # one line saying what to try, not a traceback
            usage_error(consoles()[1], args.command, str(exc))
            return EXIT_NO_SERVER
        lost = lost_server(exc)  # the server stopped while the command ran
        if lost is None:
            raise
        return _ended_by_lost_server(args.command, lost)


def _ended_by_lost_server(command: str, lost: str) -> int:
    """EXIT_NO_SERVER, after one line saying lost (flows.cli's lost_server: the server stopped while the command ran),
    not httpx's traceback."""
    logging.raiseExceptions = False  # no "--- Error logging to API ---" from Prefect's last log shipment
    drop_unsent()  # Prefect's events and logs for the gone server: not tried one by one at exit
    usage_error(consoles()[1], command, lost)
    return EXIT_NO_SERVER


def run_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "ingest":
        return run_ingest(args.paths, args.out, budget_of(args))
    if args.command == "archive":
        return run_archive(args.folder, args.out, args.workers, args.dask_address, budget_of(args))
    if args.command == "watch":
        if args.once:
            return run_watch_once(args.inbox, args.out, args.settle, args.min_age, budget_of(args))
        return run_watch_serve(args.inbox, args.out, args.cron, args.interval, args.settle, args.min_age,
                               budget_of(args))
    if args.command == "compare":
        return run_compare(args)
    if args.command == "report":
        return run_report(args)
    if args.command == "export":
        return run_export(args)
    if args.command == "inspect":
        return run_inspect(args)
    parser.print_help()
    return EXIT_USAGE


def exit_code(summaries: list[dict[str, Any]]) -> int:
    counts = status_counts(summaries)
    return EXIT_OK if counts["ok"] + counts["partial"] else EXIT_ALL_FAILED


def run_ingest(paths: list[Path], out_dir: Path, budget: dict[str, Any] | None = None) -> int:
    console, errors = consoles()
    # Imported here so `plandata --help` answers without loading Prefect.
    from flows.budget import Budget, prefetch_first, read_pages_in_parallel
    from flows.budget import stop as stop_extraction
    from flows.inputs import discover, expand_paths
    from flows.report import build_report, utc_now, write_run_report

    started = utc_now()

    try:
        files = expand_paths(paths)
    except FileNotFoundError as exc:
        usage_error(errors, "ingest", str(exc))
        return EXIT_USAGE
    if not files:
        shown = ", ".join(display_text(source_text(path)) for path in paths)
        usage_error(errors, "ingest", f"no input files (.pdf, .txt) found in: {shown}")
        return EXIT_USAGE

    left_out = [item for folder in paths if folder.is_dir() for item in discover(folder)[1]]  # in the report
    output = made_output_folder(errors, "ingest", out_dir)
    if output is None:
        return EXIT_USAGE
    read_pages_in_parallel()  # one document at a time: a long one's pages are read on two cores
    prefetch_first(files, out_dir, Budget(**(budget or {})))  # the first file is read while Prefect starts
    with dropped_without_server(output, stop_extraction):  # nothing ran: the early extraction goes too
        start_prefect(console)
    from flows.ingest import ingest_paths

    with progress_bar(console) as progress:
        bar = progress.add_task("Ingesting", total=len(files))

        def on_start(path: Path) -> None:
            progress.update(bar, description=f"Ingesting {display_text(source_text(path.name))}")

        def on_done(path: Path, summary: dict[str, Any]) -> None:
            if summary["status"] == "failed":
                progress.console.print(failure_line(path, summary["message"]), soft_wrap=True)
            progress.advance(bar)

        summaries = ingest_paths(files, out_dir, on_start=on_start, on_done=on_done, budget=Budget(**(budget or {})))

    report = build_report("ingest", ", ".join(source_text(path) for path in paths), source_text(out_dir), summaries,
                          started, utc_now(), task_runner=None, left_out=left_out)
    report["report_paths"] = write_run_report(out_dir, report)
    print_report(console, report, out_dir, "plandata ingest")
    return exit_code(summaries)


def run_archive(folder: Path, out_dir: Path, workers: int, dask_address: str | None,
                budget: dict[str, Any] | None = None) -> int:
    console, errors = consoles()
    from flows.inputs import expand_paths, new_output_folder

    if not folder.is_dir():
        usage_error(errors, "archive", f"no such folder: {display_text(source_text(folder))}")
        return EXIT_USAGE
    files = expand_paths([folder])
    if not files:
        usage_error(errors, "archive", f"no input files (.pdf, .txt) found in: {display_text(source_text(folder))}")
        return EXIT_USAGE
    if dask_address:
        from flows.archive import check_scheduler

        try:
            check_scheduler(dask_address)
        except OSError as exc:
            usage_error(errors, "archive", str(exc))
            return EXIT_USAGE
    output = made_output_folder(errors, "archive", out_dir)  # once the command is known to run
    if output is None:
        return EXIT_USAGE
    if not dask_address and new_output_folder(out_dir):
        from flows.budget import prestart_unbound

        prestart_unbound(workers)  # every file will be extracted: loading overlaps Prefect's and Dask's imports
    from flows.archive import archive

    with dropped_without_server(output), batch_progress(console, "Archiving", len(files)):
        report = archive(source_text(folder), source_text(out_dir), workers, dask_address, budget)
    print_report(console, report, out_dir, "plandata archive")
    return exit_code(report["files"])


def run_watch_once(inbox: Path, out_dir: Path, settle: float, min_age: float,
                   budget: dict[str, Any] | None = None) -> int:
    console, errors = consoles()
    from flows.watch import watch_inbox

    if not inbox.is_dir():
        usage_error(errors, "watch", f"no such folder: {display_text(source_text(inbox))}")
        return EXIT_USAGE
    output = made_output_folder(errors, "watch", out_dir)
    if output is None:
        return EXIT_USAGE
    with dropped_without_server(output):
        start_prefect(console)
    with batch_progress(console, "Ingesting"):
        report = watch_inbox(source_text(inbox), source_text(out_dir), settle, min_age, budget)
    for waiting in report["waiting"]:
        console.print(note_line("waiting", waiting["path"], waiting["reason"]), markup=False, soft_wrap=True)
    if not report["files"]:
        for item in report.get("left_out") or []:
            console.print(note_line("left out", item["path"], item["reason"]), markup=False, soft_wrap=True)
        console.print(f"no complete files in {display_text(source_text(inbox))}", markup=False, soft_wrap=True)
        return EXIT_OK
    print_report(console, report, out_dir, "plandata watch")
    return exit_code(report["files"])


def run_watch_serve(
    inbox: Path, out_dir: Path, cron: str | None, interval: float | None, settle: float, min_age: float,
    budget: dict[str, Any] | None = None,
) -> int:
    _, errors = consoles()
    from flows.watch import serve_watch

    if not inbox.is_dir():
        usage_error(errors, "watch", f"no such folder: {display_text(source_text(inbox))}")
        return EXIT_USAGE
    if made_output_folder(errors, "watch", out_dir) is None:
        return EXIT_USAGE
    try:
        serve_watch(inbox, out_dir, cron=cron, interval=interval, settle_seconds=settle, min_age_seconds=min_age,
                    budget=budget)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


if __name__ == "__main__":
    from flows.entry import command

    command()
