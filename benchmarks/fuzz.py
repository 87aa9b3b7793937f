"""Fuzz run: at least 1 000 mutated and hostile files through `plandata ingest` and `plandata archive`.

    .venv/bin/python benchmarks/fuzz.py [--count 1000] [--seed 1] [--batch 50] [--time-budget 30]
                                        [--memory-budget 1024] [--work DIR] [--json results.json]
                                        [--stop-after SECONDS] [--start INDEX] [--only 9,13]

The files come from tests/fuzz_files.py (deterministic by seed); every batch holds a good document beside
them and runs in a fresh `plandata` process (ingest and archive alternately, archive with 2 workers). It
prints per batch and in total: crashes, tracebacks, hangs past the budget, memory blow-ups past the
budget, lost good documents, fuzz files without a documents row, lines of terminal noise, the statuses,
how many documents broke their time or memory budget, and the internal errors and reader crashes found
(for the readers' owners). With --stop-after, no batch starts past that many seconds and the totals say how
many files ran (on a shared machine the whole run may not fit the time there is); --start runs the files
from that index on (the same files: all are generated), so that two processes can share a run, and --only
runs the batches of those numbers alone (say, again after a batch could not start). Exit status 1 when
any of the first six counts is not 0.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.fuzz_files import generate  # noqa: E402
from tests.fuzz_runner import Counts, good_copy, plandata_command, run_command, run_fuzz_batch  # noqa: E402

FAILURES = ("crashes", "tracebacks", "hangs", "memory_blowups", "lost_good", "unexplained")


def baseline(work: Path, corpus: Path, budget: float, memory_mb: int) -> dict[str, object]:
    """The good document alone: its status and finance figures are what every batch must keep."""
    folder, out_dir = work / "baseline-in", work / "baseline-out"
    folder.mkdir(parents=True)
    good = good_copy(corpus, folder, "baseline")
    code, output, _, _ = run_command(plandata_command("ingest", folder, out_dir, budget, memory_mb, 1), 900)
    if code != 0:
        raise SystemExit(f"the good document alone failed ({code}):\n{output[-3000:]}")
    from extractors.writers import read_dataset

    documents = read_dataset(out_dir, "documents")
    finance = read_dataset(out_dir, "finance")
    document_id = documents["document_id"].iloc[0]
    assert documents["source_path"].iloc[0].endswith(good.name)
    return {"status": documents["status"].iloc[0], "finance": int((finance["document_id"] == document_id).sum())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--time-budget", type=float, default=30.0)
    parser.add_argument("--memory-budget", type=int, default=1024)
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT.parent / "shared" / "corpus")
    parser.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one, removed)")
    parser.add_argument("--json", type=Path, default=None, help="also write the counts here")
    parser.add_argument("--stop-after", type=float, default=None,
                        help="start no batch past this many seconds of the run (the totals count the files run)")
    parser.add_argument("--start", type=int, default=0, help="run the files from this index on")
    parser.add_argument("--only", default=None, help="run only the batches of these numbers (e.g. 9,13)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="plandata-fuzz-"))
    started = time.monotonic()
    files = generate(work / "files", args.corpus, args.seed, args.count)
    print(f"{len(files)} fuzz files (seed {args.seed}) in {time.monotonic() - started:.0f} s", flush=True)
    expected = baseline(work, args.corpus, args.time_budget, args.memory_budget)
    print(f"good document alone: {expected}", flush=True)

    total = Counts()
    only = None if args.only is None else {int(number) for number in args.only.split(",")}
    for number, start in enumerate(range(args.start, len(files), args.batch), start=args.start // args.batch):
        if only is not None and number not in only:
            continue
        if args.stop_after is not None and time.monotonic() - started > args.stop_after:
            print(f"stopped after {total.files} of {len(files)} files (--stop-after {args.stop_after:.0f} s)")
            break
        batch = [fuzz.path for fuzz in files[start:start + args.batch]]
        kind = "archive" if number % 2 else "ingest"
        counts = run_fuzz_batch(kind, batch, work, args.corpus, f"batch-{number:03d}", expected, args.time_budget,
                                args.memory_budget)
        total.add(counts)
        failures = ", ".join(f"{name} {getattr(counts, name)}" for name in FAILURES)
        print(f"batch {number:3d} {kind:7} {len(batch):3d} files {counts.seconds:6.0f} s"
              f"  peak {counts.peak_process_mb} MB"
              f"  {failures}  noise {counts.noise_lines}  time-budget {counts.budget_time}"
              f"  memory-budget {counts.budget_memory}  {dict(counts.statuses)}", flush=True)
        for finding in counts.findings[:10]:
            print(f"    {finding}", flush=True)

    print()
    print(f"fuzz files run: {total.files} of {len(files)} in {total.batches} batches, "
          f"{time.monotonic() - started:.0f} s in all")
    for name in (*FAILURES, "noise_lines", "internal_errors", "reader_crashes", "budget_time", "budget_memory"):
        print(f"{name.replace('_', ' ')}: {getattr(total, name)}")
    print(f"statuses: {dict(total.statuses)}; largest process: {total.peak_process_mb} MB")
    if args.json:
        data = {name: value for name, value in vars(total).items() if name != "statuses"}
        args.json.write_text(json.dumps({**data, "statuses": dict(total.statuses)}, indent=1), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if any(getattr(total, name) for name in FAILURES) else 0


if __name__ == "__main__":
    sys.exit(main())
