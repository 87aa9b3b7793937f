"""Speed of the table layer (issue 10/12): what the PDF stage spends after reading the characters.

For each PDF, in this process: `read_pages` (the character layer: PDFium characters, words, lines,
rules, shapes) is timed, then `lay_out` on its result (furniture, table finding, stitching, table
and block building), then `build_records` (the readers, validation and the tables datasets). Prints
seconds per stage, CPU seconds, pages, tables and cells, and the ratio table layer / character layer
of the same run (the layer must stay a fraction of reading the characters: linear in the page's
words, no scan over the whole document's lines per table).

    .venv/bin/python benchmarks/tables.py [PDF ...] [--json out.json]

Without PDFs it reads every PDF of ../shared/corpus/real.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from extractors.pdf.reader import lay_out, read_pages  # noqa: E402
from extractors.pipeline import build_records  # noqa: E402
from models import PlanDocument  # noqa: E402

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "real"


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def measure(path: Path) -> dict[str, Any]:
    doc = PlanDocument(document_id=path.stem, source_path=str(path), source_format="pdf")
    wall, cpu = _clock()
    pages = read_pages(path, doc)
    read_wall, read_cpu = _clock()
    lay_out(doc, pages)
    layout_wall, layout_cpu = _clock()
    records = build_records(doc)
    end_wall, end_cpu = _clock()
    return {
        "file": path.name, "pages": len(pages), "tables": len(doc.tables()), "cells": len(records.tables),
        "read_s": round(read_wall - wall, 2), "read_cpu_s": round(read_cpu - cpu, 2),
        "layout_s": round(layout_wall - read_wall, 2), "layout_cpu_s": round(layout_cpu - read_cpu, 2),
        "records_s": round(end_wall - layout_wall, 2), "records_cpu_s": round(end_cpu - layout_cpu, 2),
        "layout_per_page_ms": round(1000 * (layout_cpu - read_cpu) / max(1, len(pages)), 1),
        "layout_vs_read": round((layout_cpu - read_cpu) / max(read_cpu - cpu, 1e-6), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    pdfs = args.pdfs or sorted(CORPUS.glob("*.pdf"))
    if not pdfs:
        parser.error(f"no PDFs given and none in {CORPUS}")
    results = [measure(pdf) for pdf in pdfs]
    header = ("file", "pages", "tables", "cells", "read_cpu_s", "layout_cpu_s", "records_cpu_s",
              "layout_per_page_ms", "layout_vs_read")
    print(" | ".join(header))
    for row in results:
        print(" | ".join(str(row[h]) for h in header))
    pages = sum(r["pages"] for r in results)
    read = sum(r["read_cpu_s"] for r in results)
    layout = sum(r["layout_cpu_s"] for r in results)
    print(f"total: {pages} pages; character layer {read:.1f} CPU s, table layer {layout:.1f} CPU s "
          f"({1000 * layout / max(pages, 1):.1f} ms per page, {layout / max(read, 1e-6):.2f} of the character layer)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
