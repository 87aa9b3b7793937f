"""Cost of committing one document as the output folder grows (issue: writes must not rewrite other documents).

    .venv/bin/python benchmarks/commits.py [--documents 1000] [--out DIR]

Commits synthetic documents (3 units, 2 sections, 4 goals, 30 finance figures, 2 issues each) one at a
time, as `archive` does, and prints the mean time of a commit around 10, 100, 1 000 (and 10 000, with
--documents 10000) documents already written, with the ratio to the first commits measured in the same
run; then the cost that does grow with the folder: a new process's first commit (it reads every
document's source path once), reading a whole dataset, and the catalog query of a dataset.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import duckdb  # noqa: E402

from extractors import writers  # noqa: E402
from models.records import (  # noqa: E402
    DocumentRecord,
    FinanceFigure,
    Goal,
    IssueRecord,
    RecordSet,
    Section,
    Unit,
)

MILESTONES = (10, 100, 1_000, 10_000)
WINDOW = 10


def record_set(number: int) -> RecordSet:
    document_id = f"{number:064x}"
    return RecordSet(
        document=DocumentRecord(document_id=document_id, source_path=f"archive/{number}.pdf", source_format="pdf",
                                title=f"Budget {number}", language="sv", pages=40, status="ok", pipeline_version="b"),
        units=[Unit(document_id=document_id, unit_id=f"{document_id}-u{i}", name=f"Enhet {i}", level="area")
               for i in range(3)],
        sections=[Section(document_id=document_id, unit_name="Enhet 0", kind="goals", heading="Mål",
                          text="Text " * 50, items=["a", "b"]) for _ in range(2)],
        goals=[Goal(document_id=document_id, unit_name="Enhet 0", goal_id=f"{document_id}-g{i}", theme_number=i,
                    theme_title="Tema", strategic_goal="Mål", central_goal=None, area_goal=None, actions="Åtgärd",
                    responsible_raw="Rektor") for i in range(4)],
        finance=[FinanceFigure(document_id=document_id, unit_name="Enhet 0", table_id="t1", line_label="Intäkter",
                               line_key="revenue", is_memo=False, column_label="Budget 2025", year=2025,
                               figure_kind="budget", amount=1000 + i, row_index=i) for i in range(30)],
        issues=[IssueRecord(document_id=document_id, stage="pdf", code="x", severity="info", message="m")
                for _ in range(2)],
    )


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary one, removed)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="plandata-commits-"))
    sets = [record_set(number) for number in range(args.documents)]
    seconds: list[float] = []
    for number, records in enumerate(sets, start=1):
        seconds.append(timed(lambda records=records: writers.write_record_sets([records], out)))
        if number % 1000 == 0:
            print(f"  {number} documents committed", flush=True)
    first = statistics.mean(seconds[1:WINDOW + 1])  # the very first commit also creates the folder and catalog
    print(f"commit of one document (mean of {WINDOW}), with N documents already committed:")
    print(f"  N = {1:>6}: {first * 1000:7.1f} ms (baseline)")
    for milestone in MILESTONES:
        if milestone + WINDOW <= len(seconds):
            mean = statistics.mean(seconds[milestone:milestone + WINDOW])
            print(f"  N = {milestone:>6}: {mean * 1000:7.1f} ms  ratio to baseline {mean / first:5.2f}")
    last = statistics.mean(seconds[-WINDOW:])
    print(f"  last {WINDOW} (N = {len(seconds) - WINDOW}): {last * 1000:7.1f} ms  ratio {last / first:5.2f}")

    writers.forget_process_state()  # as a new process
    fresh = timed(lambda: writers.write_record_sets([record_set(len(sets))], out))
    print(f"first commit of a new process with {len(sets)} documents: {fresh * 1000:.0f} ms "
          "(reads every document's source path once)")
    read = timed(lambda: writers.read_dataset(out, "finance"))
    print(f"read_dataset(finance) of {len(sets) + 1} documents: {read * 1000:.0f} ms")
    with duckdb.connect(str(out / "plandata.duckdb"), read_only=True) as connection:
        query = timed(lambda: connection.execute("SELECT count(*), sum(amount) FROM finance").fetchall())
    print(f"catalog query over finance: {query * 1000:.0f} ms")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
