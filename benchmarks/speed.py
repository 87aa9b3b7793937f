"""Speed benchmark of the PDF stage (issue 12): three readers of the same files, in one run.

For each file, in a fresh process each (so that peak memory is each reader's own):
- pypdfium2 text floor: every page's text and every character's box through PDFium's raw API;
- naive pdfplumber: text, words and tables of every page (`extract_text`, `extract_words`,
  `extract_tables`), the baseline the issue measures against;
- plandata: `load_document` + `build_records` (the whole extraction of `plandata ingest` less the
  writers), imports done before the clock starts, spaCy's pipeline built inside it;
- plandata (warm process): the same with `warm_up` done before the clock starts (lexicons, spaCy's pipelines
  and vocabularies), as in the extraction process of a command or a Dask worker, which loads them once
  before its first document: the cost of one more document;
- `plandata ingest FILE` as a command (Python start-up, Prefect's temporary server, the writers), with the
  document's seconds from the command's run report (the figure the issue's extraction targets name); then
  once more with Prefect's shared server stopped first, which the command then starts (a cold start).

Then `plandata archive` over every file of the corpus (first run, fresh output, 2 workers), whose
run report gives each document's extraction seconds (the figure the issue's targets name).

Prints seconds, pages per second, CPU seconds and peak RSS per reader, and the speed ratio
plandata / naive pdfplumber (how many times faster plandata is); at the end, issue 12's targets per run
(--repeat 2 measures everything twice, as the issue asks) with each figure and whether it meets its target.
Wall time on a shared machine depends on the load, so CPU seconds are printed too (for a command: its whole
process tree and Dask workers, and the CPU Prefect's shared server (flows.shared_server) spent while the command
ran, whether the command started it or reused the one running; each command's line says which). Peak RSS of a
command is its largest process's (per worker).

    .venv/bin/python benchmarks/speed.py [PDF ...] [--big PAGES] [--corpus DIR] [--no-archive] [--repeat N]
        [--json out.json]

Without PDFs it reads Kauhava's financial statement (158 pages) from ../shared/corpus/real.
--big PAGES also builds one document of at least PAGES pages from the corpus PDFs (pages repeated
in turn) and measures plandata's peak memory on it (memory must not grow with pages), in one process and
through `plandata ingest` (the largest process of the command: the peak per worker process).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

MB = 1024 * 1024
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
    build_records(doc, keep=False)  # as flows.extraction does
    return len(doc.pages)


READERS = {"pypdfium2 text floor": _pdfium_text, "naive pdfplumber": _naive_pdfplumber, "plandata": _plandata,
           "plandata (warm process)": _plandata}


def _child(reader: str, path: str, queue: multiprocessing.Queue) -> None:
    if reader.startswith("plandata"):
        import extractors.pdf.reader  # noqa: F401  (imports outside the clock, as in a running worker)
        import extractors.records  # noqa: F401
    if reader == "plandata (warm process)":
        from extractors.pipeline import warm_up

        warm_up()
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


def _role(process: psutil.Process) -> str:
    """What a process of a plandata command is: the Prefect server, a Dask worker (or nanny), an extraction
    process (flows.worker and the child it forks per document), OCR (OCRmyPDF, Ghostscript, Tesseract) or the
    command's own process."""
    line = " ".join(process.cmdline())
    if "uvicorn" in line or "prefect server" in line or "flows.shared_server" in line:
        return "Prefect server"
    if "flows.worker" in line:
        return "extraction processes"
    if any(word in line for word in ("ocrmypdf", "tesseract", "gs ", "ghostscript", "pngquant", "unpaper")):
        return "OCR"
    if "spawn_main" in line or "dask" in line or "distributed" in line:
        return "Dask processes"
    return "command process"


def _sample_tree(process: psutil.Process, cpu: dict[int, tuple[str, float]]) -> tuple[int, int]:
    """(largest, total) RSS in bytes over a process and its descendants; their CPU seconds so far into `cpu`."""
    sizes = []
    for member in [process, *process.children(recursive=True)]:
        try:
            with member.oneshot():
                sizes.append(member.memory_info().rss)
                times = member.cpu_times()
                role = cpu[member.pid][0] if member.pid in cpu else _role(member)
                cpu[member.pid] = (role, times.user + times.system)
        except psutil.Error:  # exited between listing and reading
            pass
    return max(sizes, default=0), sum(sizes)


def _shared_server() -> tuple[int | None, float]:
    """The process id of PREFECT_HOME's shared Prefect server (flows.shared_server) and its CPU seconds so far;
    (None, 0.0) when none runs."""
    from flows.shared_state import read_state

    pid = (read_state(Path(os.environ["PREFECT_HOME"])) or {}).get("pid")
    try:
        times = psutil.Process(pid).cpu_times() if isinstance(pid, int) else None
    except psutil.Error:
        times = None
    return (pid, times.user + times.system) if times is not None else (None, 0.0)


def run_command(args: list[str]) -> dict[str, Any]:
    """Run a command to its end: wall and CPU seconds (its whole process tree, as waited for, and the shared
    Prefect server's CPU while it ran) and the peak RSS of its largest process and of the tree (sampled every
    0.1 s); `prefect_server` says whether the command "reused" the running shared server or "started" one."""
    server_before, server_cpu_before = _shared_server()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # Prefect's temporary server gets 20 s to answer by default, which a busy shared machine misses
    env = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120", **os.environ}
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = [0, 0]
    cpu_seen: dict[int, tuple[str, float]] = {}
    done = threading.Event()

    def sample() -> None:
        watched = psutil.Process(process.pid)
        while not done.wait(0.1):
            try:
                largest, total = _sample_tree(watched, cpu_seen)
            except psutil.Error:
                return
            peak[0], peak[1] = max(peak[0], largest), max(peak[1], total)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {process.returncode}: {errors.decode()[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    roles: dict[str, float] = {}
    for role, seconds_seen in cpu_seen.values():
        roles[role] = round(roles.get(role, 0.0) + seconds_seen, 1)
    # The shared server is no process of the command's tree once the command ends (nor waited for by it): its
    # CPU comes from its own process, unless it has already stopped (as last seen in the tree, then).
    server_after, server_cpu_after = _shared_server()
    reused = server_before is not None and server_after == server_before
    server_cpu = server_cpu_after - (server_cpu_before if reused else 0.0)
    if server_after is None:
        server_cpu = roles.get("Prefect server", 0.0)
    roles["Prefect server"] = round(server_cpu, 1)
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu + server_cpu, 2), "peak_rss_mb": round(peak[0] / MB),
            "peak_rss_tree_mb": round(peak[1] / MB), "cpu_seconds_by_process": roles,
            "prefect_server": "reused" if reused else "started"}


def set_up_prefect() -> None:
    """Create Prefect's database before measuring, as the set-up does (`make run`: `python -m flows.server`).

    The first start of Prefect's temporary server in a new PREFECT_HOME migrates its database (about 10 CPU s on
    this machine), once per installation; the commands measured here are those of an installed plandata. The
    server started here is shared by the commands measured (PLANDATA_SERVER_IDLE_SECONDS: an hour unless set,
    since the readers measured between the commands take minutes); `main` stops it at the end.
    """
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows.server"], cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL,
                   env={"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300", **os.environ})
    print(f"set-up: Prefect's database ready ({time.perf_counter() - started:.1f} s)", flush=True)


def plandata_command() -> str:
    return str(Path(sys.executable).with_name("plandata"))


def measure_ingest(path: Path, pages: int, cold: bool = False) -> dict[str, Any]:
    """`plandata ingest FILE` into a fresh output folder; with the document's seconds from its run report.
    cold: with Prefect's shared server stopped first, so that the command starts one."""
    from flows.shared_state import stop_server

    if cold:
        stop_server(Path(os.environ["PREFECT_HOME"]))
    with tempfile.TemporaryDirectory(prefix="plandata-speed-") as out:
        row = run_command([plandata_command(), "ingest", str(path), "--out", out])
        report = json.loads(sorted((Path(out) / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))
    reader = f"plandata ingest ({'cold server' if cold else 'command'})"
    row.update(reader=reader, pages=pages, pages_per_second=round(pages / row["seconds"], 1),
               document_seconds=report["files"][0]["seconds"])
    return row


def measure_archive(corpus: Path, workers: int) -> dict[str, Any]:
    """`plandata archive` over the corpus into a fresh output folder; figures and the run report's per-file
    extraction seconds."""
    with tempfile.TemporaryDirectory(prefix="plandata-speed-") as out:
        row = run_command([plandata_command(), "archive", str(corpus), "--out", out, "--workers", str(workers)])
        report = json.loads(sorted((Path(out) / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))
    pages = report["totals"]["extracted_pages"]
    row.update(workers=workers, files=report["totals"]["files"], pages=pages,
               pages_per_second=round(pages / row["seconds"], 1), report_seconds=report["seconds"],
               document_seconds={Path(entry["path"]).name: entry["seconds"] for entry in report["files"]})
    return row


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


def _print(row: dict[str, Any]) -> None:
    print(f"  {row['reader']:27} {row['pages']:5} pages {row['seconds']:7.2f} s "
          f"{row['pages_per_second']:7.1f} pages/s  CPU {row['cpu_seconds']:7.2f} s  "
          f"peak RSS {row['peak_rss_mb']:5} MB", flush=True)
    if "cpu_seconds_by_process" in row:
        print(f"    CPU s by process (last seen): {row['cpu_seconds_by_process']}; Prefect's shared server "
              f"{row['prefect_server']}", flush=True)


def _ratio(baseline: dict[str, Any], row: dict[str, Any], key: str) -> float:
    return round(baseline[key] / max(row[key], 1e-9), 2)


# Issue 12's targets
TARGET_PAGES_PER_SECOND = 50.0  # plandata archive over the corpus, first run, 2 workers
TARGET_EXTRACTION_SECONDS = 10.0  # one document's seconds in the ingest run report
TARGET_COMMAND_SECONDS = 15.0  # the whole ingest command
TARGET_SPEEDUP = 4.0  # naive pdfplumber seconds / the document's seconds in the ingest run report
TARGET_PEAK_MB = 500  # a 1 000-page document, per process


def measure_file(path: Path) -> dict[str, Any]:
    """The readers and the ingest command on one file, printed as they finish; the ratios against naive pdfplumber."""
    print(f"{path.name}", flush=True)
    rows = {}
    for reader in READERS:
        rows[reader] = measure(reader, path)
        _print(rows[reader])
    rows["command"] = measure_ingest(path, rows["plandata"]["pages"])
    _print(rows["command"])
    rows["cold command"] = measure_ingest(path, rows["plandata"]["pages"], cold=True)
    _print(rows["cold command"])
    naive, mine, command = rows["naive pdfplumber"], rows["plandata"], rows["command"]
    warm = rows["plandata (warm process)"]
    entry = {"file": path.name, "readers": list(rows.values()),
             "speedup_vs_naive": _ratio(naive, mine, "seconds"),
             "cpu_speedup_vs_naive": _ratio(naive, mine, "cpu_seconds"),
             "warm_cpu_speedup_vs_naive": _ratio(naive, warm, "cpu_seconds"),
             "report_speedup_vs_naive": round(naive["seconds"] / max(command["document_seconds"], 1e-9), 2),
             "command_seconds": command["seconds"], "report_seconds": command["document_seconds"],
             "command_speedup_vs_naive": _ratio(naive, command, "seconds"),
             "command_cpu_speedup_vs_naive": _ratio(naive, command, "cpu_seconds")}
    print(f"  the document's seconds in the ingest run report: {command['document_seconds']} s, "
          f"{entry['report_speedup_vs_naive']}x faster than naive pdfplumber", flush=True)
    print(f"  plandata / naive pdfplumber: extraction {entry['speedup_vs_naive']}x faster (wall), "
          f"{entry['cpu_speedup_vs_naive']}x (CPU), in a warm process {entry['warm_cpu_speedup_vs_naive']}x "
          f"(CPU); whole ingest command {entry['command_speedup_vs_naive']}x "
          f"(wall), {entry['command_cpu_speedup_vs_naive']}x (CPU)", flush=True)
    return entry


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def print_targets(runs: list[dict[str, Any]]) -> None:
    """One line per target of issue 12 and run: the figure measured and whether it meets the target."""
    print("issue 12 targets, per run:", flush=True)
    for number, run in enumerate(runs, 1):
        for entry in run["files"]:
            extraction = entry["report_seconds"]
            print(f"  run {number} {entry['file']}: run-report extraction {extraction} s "
                  f"(< {TARGET_EXTRACTION_SECONDS:g} s: {_verdict(extraction < TARGET_EXTRACTION_SECONDS)}), "
                  f"{entry['report_speedup_vs_naive']}x naive pdfplumber "
                  f"(>= {TARGET_SPEEDUP:g}x: {_verdict(entry['report_speedup_vs_naive'] >= TARGET_SPEEDUP)}), "
                  f"ingest command {entry['command_seconds']} s "
                  f"(< {TARGET_COMMAND_SECONDS:g} s: {_verdict(entry['command_seconds'] < TARGET_COMMAND_SECONDS)})",
                  flush=True)
        if run.get("archive"):
            rate = run["archive"]["pages_per_second"]
            print(f"  run {number} archive: {rate} pages/s (>= {TARGET_PAGES_PER_SECOND:g}: "
                  f"{_verdict(rate >= TARGET_PAGES_PER_SECOND)})", flush=True)
        if run.get("big"):
            big, command = run["big"], run["big_command"]
            print(f"  run {number} {big['pages']}-page document: peak RSS {big['peak_rss_mb']} MB in one process "
                  f"(< {TARGET_PEAK_MB} MB: {_verdict(big['peak_rss_mb'] < TARGET_PEAK_MB)}), "
                  f"{big['cpu_seconds']} CPU s; through plandata ingest, the largest process "
                  f"{command['peak_rss_mb']} MB (< {TARGET_PEAK_MB} MB: "
                  f"{_verdict(command['peak_rss_mb'] < TARGET_PEAK_MB)})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--big", type=int, default=0, help="also measure plandata on one document of this many pages")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder `plandata archive` reads")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers of the archive run")
    parser.add_argument("--no-archive", action="store_true", help="leave out the archive run")
    parser.add_argument("--repeat", type=int, default=1, help="measure everything this many times (the issue: twice)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    files = args.pdfs or DEFAULT_FILES
    os.environ.setdefault("PLANDATA_SERVER_IDLE_SECONDS", "3600")  # the commands measured share one server
    set_up_prefect()
    try:
        runs = measure_runs(args, files)
    finally:
        from flows.shared_state import stop_server

        stop_server(Path(os.environ["PREFECT_HOME"]))
    print_targets(runs)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    return 0


def measure_runs(args: argparse.Namespace, files: list[Path]) -> list[dict[str, Any]]:
    """Each run's measurements (--repeat runs): the files, the archive and the big document as asked."""
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        big = build_big(args.big, Path(folder)) if args.big else None
        for number in range(1, args.repeat + 1):
            load = " ".join(f"{value:.1f}" for value in psutil.getloadavg())
            print(f"run {number} of {args.repeat}; machine: {multiprocessing.cpu_count()} CPUs, load average {load}",
                  flush=True)
            run: dict[str, Any] = {"files": [measure_file(path) for path in files]}
            if not args.no_archive:
                row = measure_archive(args.corpus, args.workers)
                print(f"plandata archive {args.corpus.name}/ ({row['files']} files, {row['workers']} workers, "
                      f"first run)\n  {row['pages']} pages {row['seconds']:.2f} s {row['pages_per_second']} pages/s "
                      f"end to end (run report {row['report_seconds']} s)  CPU {row['cpu_seconds']} s  "
                      f"peak RSS {row['peak_rss_mb']} MB per process, {row['peak_rss_tree_mb']} MB all processes\n"
                      f"    CPU s by process (last seen): {row['cpu_seconds_by_process']}; Prefect's shared server "
                      f"{row['prefect_server']}", flush=True)
                for path in files:
                    if path.name in row["document_seconds"]:
                        print(f"  {path.name}: extraction {row['document_seconds'][path.name]} s in the run report",
                              flush=True)
                run["archive"] = row
            if big is not None:
                print(big.name, flush=True)
                run["big"] = measure("plandata", big)
                _print(run["big"])
                run["big_command"] = measure_ingest(big, run["big"]["pages"])
                _print(run["big_command"])
            runs.append(run)
    return runs


if __name__ == "__main__":
    raise SystemExit(main())
