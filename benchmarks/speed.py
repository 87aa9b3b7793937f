"""Speed benchmark of the PDF stage (issue 12): three readers of the same files, in one run.

For each file, in a fresh process each (so that peak memory is each reader's own):
- pypdfium2 text floor: every page's text and every character's box through PDFium's raw API;
- naive pdfplumber: text, words and tables of every page (`extract_text`, `extract_words`,
  `extract_tables`), the baseline the issue measures against;
- plandata: `load_document` + `build_records` (the whole extraction of `plandata ingest` less the
  writers), imports done before the clock starts, spaCy's pipeline built inside it.

Prints seconds, pages per second, CPU seconds and peak RSS per reader, and the speed ratio
plandata / naive pdfplumber (how many times faster plandata is). Wall time on a shared machine
depends on the load, so CPU seconds are printed too.

    .venv/bin/python benchmarks/speed.py [PDF ...] [--big PAGES] [--json out.json]

Without PDFs it reads Kauhava's financial statement (158 pages) from ../shared/corpus/real.
--big PAGES also builds one document of at least PAGES pages from the corpus PDFs (pages repeated
in turn) and measures plandata's peak memory on it (memory must not grow with pages).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_FILES = [CORPUS / "real" / "fi_kauhava_tilinpaatos_2024.pdf"]


def _pdfium_text(path: str) -> int:
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(path)
    rect = pdfium_c.FS_RECTF()
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        count = pdfium_c.FPDFText_CountChars(textpage)
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        for char in range(count):
            pdfium_c.FPDFText_GetLooseCharBox(textpage, char, rect)
        pdfium_c.FPDFText_ClosePage(textpage)
        page.close()
    pages = len(pdf)
    pdf.close()
    return pages


def _naive_pdfplumber(path: str) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_words()
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def _plandata(path: str) -> int:
    from extractors.pipeline import build_records, load_document

    doc = load_document(Path(path))
    build_records(doc)
    return len(doc.pages)


READERS = {"pypdfium2 text floor": _pdfium_text, "naive pdfplumber": _naive_pdfplumber, "plandata": _plandata}


def _child(reader: str, path: str, queue: multiprocessing.Queue) -> None:
    if reader == "plandata":
        import extractors.pdf.reader  # noqa: F401  (imports outside the clock, as in a running worker)
        import extractors.records  # noqa: F401
    start, cpu = time.perf_counter(), time.process_time()
    pages = READERS[reader](path)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"reader": reader, "pages": pages, "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
               "pages_per_second": round(pages / seconds, 1), "peak_rss_mb": round(peak_mb)})


def measure(reader: str, path: Path) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(reader, str(path), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def build_big(pages: int, folder: Path) -> Path:
    """One PDF of at least `pages` pages made of the corpus PDFs' pages, in turn."""
    import pypdfium2 as pdfium

    sources = sorted(CORPUS.rglob("*.pdf"))
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for source in sources:
            out.import_pages(pdfium.PdfDocument(str(source)))
            if len(out) >= pages:
                break
    path = folder / f"big-{len(out)}.pdf"
    out.save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--big", type=int, default=0, help="also measure plandata on one document of this many pages")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    for path in args.pdfs or DEFAULT_FILES:
        print(f"{path.name}")
        rows = {reader: measure(reader, path) for reader in READERS}
        for row in rows.values():
            print(f"  {row['reader']:22} {row['pages']:5} pages {row['seconds']:7.2f} s {row['pages_per_second']:7.1f} "
                  f"pages/s  CPU {row['cpu_seconds']:7.2f} s  peak RSS {row['peak_rss_mb']:5} MB")
        ratio = rows["naive pdfplumber"]["seconds"] / max(rows["plandata"]["seconds"], 1e-9)
        cpu_ratio = rows["naive pdfplumber"]["cpu_seconds"] / max(rows["plandata"]["cpu_seconds"], 1e-9)
        print(f"  plandata / naive pdfplumber: {ratio:.1f}x faster (wall), {cpu_ratio:.1f}x (CPU)")
        results.append({"file": path.name, "readers": list(rows.values()), "speedup_vs_naive": round(ratio, 2),
                        "cpu_speedup_vs_naive": round(cpu_ratio, 2)})
    if args.big:
        with tempfile.TemporaryDirectory() as folder:
            big = build_big(args.big, Path(folder))
            row = measure("plandata", big)
            print(f"{big.name}\n  plandata {row['pages']} pages {row['seconds']:.2f} s "
                  f"{row['pages_per_second']} pages/s peak RSS {row['peak_rss_mb']} MB")
            results.append({"file": big.name, "readers": [row]})
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
