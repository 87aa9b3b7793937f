"""Terminal display shared by the `plandata` commands: consoles, progress bars (a batch flow's too), failure lines,
summary table and the run report's summary."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from extractors.source import display_text, source_text
from flows.report import document_entries, is_copy, skipped_words

if TYPE_CHECKING:  # flows.batch imports Prefect, which `plandata --help` does without
    from flows.batch import PlannedFile

LOG_WIDTH = 160
STATUS_STYLES = {"ok": "green", "partial": "yellow", "failed": "bold red"}
REVIEW_BELOW = 0.9  # a document with fewer of its figures confirmed by an arithmetic check is highlighted
# Redraws of the progress bar per second in a terminal (rich's default: 10). The bar moves when a document is done
# and its clock shows whole seconds; each redraw costs the command's process about 1 ms of CPU (10 ms per second of
# a batch at 10, measured), that process being also the one that writes the datasets.
PROGRESS_REFRESH_PER_SECOND = 4
SHOWN_MESSAGE_CHARS = 500  # the summary table's message cell; documents.message and the run report keep it whole


def consoles() -> tuple[Console, Console]:
    """(stdout, stderr) consoles."""
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Logs and pipes get rich's 80 columns, too narrow for file names next to six more columns.
        console.width = LOG_WIDTH
    return console, Console(stderr=True, highlight=False)


def usage_error(errors: Console, command: str, message: str) -> None:
    errors.print(f"plandata {command}: error: {message}", markup=False, soft_wrap=True)


@dataclass(frozen=True)
class OutputFolder:
    """An output folder ready for a command (made_output_folder): its path, and whether this run made it."""

    path: Path
    created: bool


def made_output_folder(errors: Console, command: str, out_dir: Path) -> OutputFolder | None:
    """Make the output folder (and its parents) for a command known to run, so that a usage error makes none, and
    check that files can be written in it; when it cannot be made or written in (a file is in the way, no
    permission, a read-only disk, a name too long) say so in one line on errors and return None, rather than a
    traceback from the flow."""
    shown = display_text(source_text(out_dir))
    created = not os.path.lexists(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "a file of that name is in the way" if isinstance(exc, FileExistsError) else exc.strerror or exc
        usage_error(errors, command, f"cannot create the output folder {shown}: {reason}")
        return None
    try:  # a file in it, made and gone at once (a read-only disk, an immutable or a /proc folder refuse it)
        tempfile.TemporaryFile(dir=out_dir).close()
    except OSError as exc:
        usage_error(errors, command, f"cannot write in the output folder {shown}: {exc.strerror or exc}")
        return None
    return OutputFolder(out_dir, created)


@contextmanager
def dropped_without_server(folder: OutputFolder, stop: Callable[[], None] | None = None) -> Iterator[None]:
    """The block starts Prefect's server (flows.server_start); when it cannot (ServerStartError, re-raised) nothing
    ran: stop (the extraction started early) is called, and the output folder goes again when this run made it."""
    from flows.server_start import ServerStartError

    try:
        yield
    except ServerStartError:
        if stop is not None:
            stop()
        if folder.created:
            shutil.rmtree(folder.path, ignore_errors=True)
        raise


def start_prefect(console: Console) -> None:
    """Start or reach the Prefect server the flows report to (flows.server.ensure_api), with a spinner in a terminal.

    Raises flows.server_start.ServerStartError when it cannot.
    """
    from flows.server import ensure_api

    with console.status("Starting Prefect (a first start sets up its database, which can take a minute)"):
        ensure_api()


@contextmanager
def progress_bar(console: Console) -> Iterator[Progress]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        refresh_per_second=PROGRESS_REFRESH_PER_SECOND,
    ) as progress:
        yield progress


def failure_line(path: Path | str, message: str) -> Text:
    """`FAILED <path>: <reason>` on one line, whatever characters the file name or the reason hold."""
    line = Text("FAILED", style=STATUS_STYLES["failed"])
    shown = display_text(source_text(path) if isinstance(path, Path) else path)
    line.append(f" {shown}: {display_text(message or 'unknown reason')}")
    return line


def note_line(label: str, path: str, reason: str) -> str:
    """`<label> <path>: <reason>` on one line (files left waiting or left out)."""
    return f"{label} {display_text(path)}: {display_text(reason)}"


def summary_table(summaries: list[dict[str, Any]], title: str = "plandata ingest") -> Table:
    """One row per document; a `skipped` column appears when some documents were skipped as unchanged."""
    with_skipped = any(summary.get("skipped") for summary in summaries)
    table = Table(title=title)
    table.add_column("document", overflow="fold")
    table.add_column("status", no_wrap=True)
    if with_skipped:
        table.add_column("skipped", no_wrap=True)
    for heading in ("pages", "goals", "finance", "validation", "checked"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("message", overflow="fold")
    for summary in summaries:
        status = summary["status"]
        cells: list[str | Text] = [
            display_text(Path(summary.get("path") or summary["source_path"]).name),
            Text(status, style=STATUS_STYLES.get(status, "")),
        ]
        if with_skipped:
            cells.append("yes" if summary.get("skipped") else "")
        cells += [_count(summary[key]) for key in ("pages", "goals", "finance", "findings")]
        cells.append(checked_cell(summary.get("checked_share")))
        cells.append(Text(display_text(shown_message(_with_copy(summary)))))
        table.add_row(*cells)
    return table


def _with_copy(summary: dict[str, Any]) -> str:
    """The message of a copy of a document the catalog records under another path starts by naming that path."""
    message = summary["message"] or ""
    if summary.get("replaced"):
        removed = ", ".join(doc_id[:12] for doc_id in summary["replaced"])
        message = f"removed the previous version of this file ({removed})" + (f"; {message}" if message else "")
    if summary.get("moved_from"):
        return f"recorded at this file now: {summary['moved_from']} no longer holds it" + \
            (f"; {message}" if message else "")
    copy_of = summary.get("copy_of")
    if not copy_of or message.startswith("same content as"):
        return message
    return f"same content as {copy_of}, the document's source in the catalog" + (f"; {message}" if message else "")


def shown_message(message: str) -> str:
    """A document's message as the summary table shows it: whole up to SHOWN_MESSAGE_CHARS characters, else cut
    at a word with ' …' (the dataset `documents.message` and the run report hold it whole, `issues` every
    reason)."""
    if len(message) <= SHOWN_MESSAGE_CHARS:
        return message
    return message[:SHOWN_MESSAGE_CHARS - 1].rsplit(" ", 1)[0].rstrip(";,: ") + " …"


def checked_cell(share: float | None) -> Text:
    """The share of money figures that passed an arithmetic check, e.g. '98 %'; under 90 % in yellow
    (what the archivist reviews first); empty when the document has no money figures."""
    if share is None:
        return Text("")
    return Text(f"{share:.0%}".replace("%", " %"), style="" if share >= REVIEW_BELOW else "yellow")


def status_counts(summaries: list[dict[str, Any]]) -> dict[str, int]:
    return {status: sum(summary["status"] == status for summary in summaries) for status in STATUS_STYLES}


def totals_line(summaries: list[dict[str, Any]], out_dir: Path | str) -> str:
    """The batch's last line: documents by status (a file with the same content as another is no document of
    its own), files skipped, where the datasets are."""
    copies = [s for s in summaries if is_copy(s)]
    summaries = document_entries(summaries)  # as the run report's totals count them
    counts = status_counts(summaries)
    skipped = sum(bool(summary.get("skipped")) for summary in summaries)
    words = skipped_words(skipped, len(copies))  # as the run report words them
    skipped_note = f", {words}" if words else ""
    shown = display_text(source_text(Path(out_dir)))
    # a message names the first reason of each kind: where every reason of a partial document is
    reasons = f"; every reason of a partial document is in {shown}/datasets/issues" if counts["partial"] else ""
    return (
        f"{len(summaries)} document(s): {counts['ok']} ok, {counts['partial']} partial, "
        f"{counts['failed']} failed{skipped_note}; datasets in {shown}{reasons}"
    )


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


class BarListener:
    """Advances a progress bar as a batch flow finishes documents (flows.batch.BatchListener)."""

    def __init__(self, progress: Progress, bar: TaskID, verb: str) -> None:
        self.progress, self.bar, self.verb = progress, bar, verb

    def planned(self, plan: list[PlannedFile]) -> None:
        copies = sum(planned.skipped and planned.skip_reason.startswith("same content as") for planned in plan)
        words = skipped_words(sum(planned.skipped for planned in plan) - copies, copies)  # as the summary says
        note = f" ({words})" if words else ""
        self.progress.update(self.bar, total=len(plan), description=f"{self.verb} {len(plan)} file(s){note}")

    def finished(self, summary: dict[str, Any]) -> None:
        if summary["status"] == "failed" and not summary.get("skipped"):
            self.progress.console.print(failure_line(summary["path"], summary["message"]), soft_wrap=True)
        self.progress.advance(self.bar)


@contextmanager
def batch_progress(console: Console, verb: str, total: int | None = None) -> Iterator[None]:
    """A progress bar that the batch flows run inside this block advance as documents finish."""
    from flows.batch import listening

    with progress_bar(console) as progress:
        bar = progress.add_task(verb, total=total)
        with listening(BarListener(progress, bar, verb)):
            yield


def print_report(console: Console, report: dict[str, Any], out_dir: Path, title: str) -> None:
    for item in report.get("left_out") or []:
        console.print(note_line("left out", item["path"], item["reason"]), markup=False, soft_wrap=True)
    console.print(summary_table(report["files"], title=title))
    console.print(totals_line(report["files"], out_dir), markup=False, soft_wrap=True)
    console.print(f"{report['seconds']} s; report: {display_text(report['report_paths'][1])}", markup=False,
                  soft_wrap=True)
