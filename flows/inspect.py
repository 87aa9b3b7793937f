"""Command `plandata inspect FILE [--pages 3,5-7] [--out DIR]`: page pictures of what the pipeline read.

What was read comes from the output folder when the file was ingested there (the saved intermediate
document OUT/ir/<document_id>.json and the document's rows in the datasets); otherwise the file is
extracted now (OCR results cached in OUT/ocr/) without writing any dataset, under the same per-document
time and memory budget as `ingest` (flows.budget: a forked child killed past its budget), so a hostile
file ends with one clear error line instead of a hang. The pictures and a text summary per page go to
OUT/inspect/<file name>/ (extractors.pdf.inspect draws them).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from flows.console import consoles, usage_error

EXIT_OK = 0
EXIT_USAGE = 2
INSPECT_DIR = "inspect"


def add_inspect_command(commands: Any, add_out: Any, add_budget: Any) -> None:
    inspect = commands.add_parser(
        "inspect",
        help="draw what the pipeline read on pictures of a PDF's pages",
        description="Write one PNG per page of FILE with what the pipeline found drawn on it: table outlines "
        "(blue) and cells, the label column (yellow), header cells with their column kind (green), goal rows "
        "(purple), page furniture struck out (grey) and every figure in a failed check (red); and a short "
        "text summary per page. Reads what `plandata ingest --out DIR` saved for the file, or extracts it "
        "(nothing is written to the datasets) under the per-document time and memory budget of `ingest`. "
        "Pictures go to DIR/inspect/<file name>/. Exit status: 0 on success, 2 for usage errors (no such file, "
        "not a PDF, pages outside the document) and for a file that cannot be read (the reason is printed, "
        "e.g. 'exceeded the time budget').",
    )
    inspect.add_argument("file", metavar="FILE", type=Path, help="a PDF file")
    inspect.add_argument("--pages", metavar="PAGES", default=None,
                         help="pages to draw, e.g. 3,5-7 (default: every page)")
    add_out(inspect, "what `plandata ingest` saved for FILE is read from it when there; the pictures go to "
            "DIR/inspect/")
    add_budget(inspect, "a document past its budget is not drawn: the reason is printed and the exit status is 2")


def what_was_read(path: Path, out_dir: Path, budget: Any = None) -> tuple[Any, Any, str]:
    """(intermediate document or None, record set, where they came from) for the file.

    A file not ingested in out_dir is extracted in the budgeted extraction process (budget: a
    flows.budget.Budget, default its defaults); a document that breaks its budget, or that the readers
    could not read, comes back failed with the reason and no intermediate document.
    """
    from extractors.pipeline import file_sha256
    from extractors.ir_store import ir_path, read_document_ir
    from extractors.writers import DATASETS, read_table
    from models import RecordSet

    document_id = file_sha256(path)
    saved_ir = ir_path(out_dir, document_id)
    documents = [row for row in read_table(out_dir, "documents").to_pylist() if row["document_id"] == document_id]
    if saved_ir.exists() and documents:
        rows: dict[str, list[Any]] = {}
        for name, model in DATASETS.items():
            if name != "documents":
                rows[name] = [model.model_validate(row) for row in read_table(out_dir, name).to_pylist()
                              if row["document_id"] == document_id]
        records = RecordSet(document=DATASETS["documents"].model_validate(documents[0]), **rows)
        return read_document_ir(saved_ir), records, f"saved in {out_dir}"
    from flows.budget import Budget, extract_with_budget
    from flows.extraction import job_for

    with tempfile.TemporaryDirectory(prefix="plandata-inspect-") as ir_dir:
        extraction = extract_with_budget(job_for(path, out_dir, document_id, ir_dir=ir_dir), budget or Budget(),
                                         "inspect")
        saved = ir_path(Path(ir_dir), document_id)
        doc = read_document_ir(saved) if saved.exists() else None
    return doc, extraction.records, "extracted now (not ingested)"


def run_inspect(args: argparse.Namespace) -> int:
    console, errors = consoles()
    path: Path = args.file
    if not path.is_file():
        usage_error(errors, "inspect", f"no such file: {path}")
        return EXIT_USAGE
    from extractors.pdf.inspect import draw_pages, parse_pages
    from extractors.pipeline import UnreadableInput, sniff_format

    try:
        if sniff_format(path) != "pdf":
            usage_error(errors, "inspect", f"{path} is not a PDF (pictures are drawn of PDF pages)")
            return EXIT_USAGE
    except UnreadableInput as exc:
        usage_error(errors, "inspect", f"{path}: {exc}")
        return EXIT_USAGE
    from flows.budget import Budget

    budget = Budget(seconds=args.time_budget, seconds_per_page=args.time_per_page, memory_mb=args.memory_budget)
    doc, records, origin = what_was_read(path, args.out, budget)
    if doc is None or (records.document.status == "failed" and not doc.pages):
        usage_error(errors, "inspect", f"{path}: {records.document.message}")
        return EXIT_USAGE
    try:
        pages = parse_pages(args.pages, len(doc.pages))
    except ValueError as exc:
        usage_error(errors, "inspect", f"--pages: {exc}")
        return EXIT_USAGE
    target = args.out / INSPECT_DIR / path.name
    pictures = draw_pages(path, doc, records, pages, target)
    console.print(f"{path.name}: {records.document.status}, read {origin}", markup=False, soft_wrap=True)
    for picture in pictures:
        console.print(picture.summary, markup=False, soft_wrap=True)
    console.print(f"{len(pictures)} picture(s) in {target}", markup=False, soft_wrap=True)
    return EXIT_OK
