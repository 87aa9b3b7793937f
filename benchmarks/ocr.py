"""OCR accuracy and speed on scanned renderings of a text PDF (by default the Swedish reference document).

The PDF's pages are rendered to grey images at each resolution, turned by a slight skew, given sensor
noise and specks, and wrapped as an image-only PDF (tests/scans.py); the pipeline then reads that scan with
OCR (a fresh cache, so every page is read) and its records are compared with the text PDF's:

- words: share of the text layer's words OCR read exactly, page by page (reading order, difflib);
- figures: finance figures read right (unit, label, column, kind, year and amount agree), missed, and
  read wrong, with how many of the wrong ones a failed check flags (sum mismatch or low OCR confidence);
- goal rows: rows whose texts all agree exactly, and the lowest text similarity of any row;
- time: OCR wall and CPU seconds per page (OCRmyPDF and Tesseract processes, the language probe page
  included when the document has no text page) and the whole pipeline's wall time per page. On a shared
  machine the wall time depends on the load; the CPU time does not.

    .venv/bin/python benchmarks/ocr.py [--pdf PATH] [--dpi 300 200] [--pages 2,7] [--json out.json] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from extractors.findings import figure_key as position, flagged_figures  # noqa: E402
from extractors.layout import detect_language  # noqa: E402
from extractors.pdf.lines import Word, group_lines  # noqa: E402
from extractors.pdf.ocr import OcrSettings, read_by_ocr  # noqa: E402
from extractors.pdf.reader import read_pages  # noqa: E402
from extractors.pipeline import file_sha256, process_file  # noqa: E402
from models import PlanDocument  # noqa: E402
from tests.scans import compare_figures, goal_similarity, scan_pdf, word_accuracy  # noqa: E402

DEFAULT_PDF = REPO_ROOT.parent / "shared" / "corpus" / "reference" / "lovisa-stadskanslicentralen-2025-2027-sv.pdf"


def text_tokens(pdf: Path) -> list[list[str]]:
    doc = PlanDocument(document_id="truth", source_path=str(pdf), source_format="pdf")
    return [[w.text for line in page.lines for w in line.words] for page in read_pages(pdf, doc)]


def ocr_tokens(scan: Path, cache: Path, pages: list[int], sizes: dict[int, tuple[float, float]]) -> list[list[str]]:
    result = read_by_ocr(scan, file_sha256(scan), pages, sizes, OcrSettings(cache_dir=cache), detect_language)
    tokens = []
    for number in pages:
        words = [Word(text=w.text, x0=w.x0, x1=w.x1, top=w.top, bottom=w.bottom, size=w.size)
                 for w in result.pages[number].words]
        tokens.append([w.text for line in group_lines(words, number) for w in line.words])
    return tokens


def measure(pdf: Path, dpi: int, pages: list[int] | None, work: Path, cache_root: Path | None) -> dict[str, Any]:
    truth_doc, truth = process_file(pdf)
    numbers = pages or [p.number for p in truth_doc.pages]
    scan = scan_pdf(pdf, work / f"scan-{dpi}.pdf", dpi, pages=pages)
    cache = cache_root or work / f"ocr-{dpi}"
    started = time.perf_counter()
    doc, read = process_file(scan, ocr=OcrSettings(cache_dir=cache))
    seconds = time.perf_counter() - started
    ocr_issue = next((i.message for i in doc.issues if i.code == "ocr"), "")
    entry = cache / f"{OcrSettings().key(file_sha256(scan), list(range(1, len(numbers) + 1)))}.json"
    cached = json.loads(entry.read_text(encoding="utf-8"))  # times as measured when the pages were read
    ocr_seconds, ocr_cpu = cached["seconds"], cached.get("cpu_seconds")
    # a scan of some pages renumbers them 1..n; compare with the same pages of the text PDF
    renumber = {number: index for index, number in enumerate(numbers, start=1)}
    truth_figures = [f.model_copy(update={"page": renumber[f.page]}) for f in truth.finance if f.page in renumber]
    right, missed, wrong = compare_figures(truth_figures, read.finance)
    flagged = flagged_figures(read.finance, read.validation)
    sizes = {p.number: (p.width or 595.0, p.height or 842.0) for p in doc.pages}
    all_truth = text_tokens(pdf)
    read_tokens = ocr_tokens(scan, cache, list(range(1, len(numbers) + 1)), sizes)
    words = [word_accuracy(all_truth[number - 1], read_tokens[index]) for index, number in enumerate(numbers)]
    truth_goals = [g for g in truth.goals if g.page in renumber]
    similarities = [max((goal_similarity(g, r) for r in read.goals), default=0.0) for g in truth_goals]
    return {
        "dpi": dpi,
        "pages": len(numbers),
        "status": read.document.status,
        "ocr_seconds_per_page": round(ocr_seconds / len(numbers), 2),
        "ocr_cpu_seconds_per_page": round(ocr_cpu / len(numbers), 2) if ocr_cpu is not None else None,
        "pipeline_seconds_per_page": round(seconds / len(numbers), 2),
        "word_accuracy": round(sum(words) / len(words), 4),
        "word_accuracy_worst_page": round(min(words), 4),
        "figures": len(truth_figures),
        "figures_right": len(right),
        "figure_accuracy": round(len(right) / max(len(truth_figures), 1), 4),
        "figures_missed": [f"{f.line_label} / {f.column_label} = {f.amount}" for f in missed],
        "figures_wrong": [f"{f.line_label} / {f.column_label} = {f.amount} (confidence {f.confidence}, "
                          f"{'flagged' if position(f) in flagged else 'NOT flagged'})" for f in wrong],
        "goal_rows": len(truth_goals),
        "goal_rows_exact": sum(s == 1.0 for s in similarities),
        "goal_rows_lowest_similarity": round(min(similarities, default=1.0), 4),
        "ocr": ocr_issue,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 200])
    parser.add_argument("--pages", default=None, help="e.g. 2,7 (default: every page)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=None,
                        help="an OCR cache to use (the OCR time reported is the one measured when its pages were "
                        "read); default: a fresh one, so every page is read now")
    args = parser.parse_args(argv)
    pages = [int(p) for p in args.pages.split(",")] if args.pages else None
    results = []
    with tempfile.TemporaryDirectory(prefix="plandata-ocr-bench-") as folder:
        for dpi in args.dpi:
            result = measure(args.pdf, dpi, pages, Path(folder), args.cache)
            results.append(result)
            print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
