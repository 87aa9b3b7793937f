"""Count what the goal readers get out of real documents: goal rows, and how many carry each field.

For each PDF (default: every PDF in ../shared/corpus/real) the pipeline runs in this process and the
goals (a goal with several indicators counts once; a row of goals sharing one indicator block counts each of
them), goal rows and targets (and those with a unit) are counted, then the rows with a level, an indicator, a
baseline, a target, an outcome, a status, a progress, a responsible and a unit, and the rows per level.

    .venv/bin/python benchmarks/goals.py [PDF ...] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from extractors.pipeline import process_file  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "real"
FIELDS = ("level", "indicator", "baseline", "target", "outcome", "status", "progress", "responsible", "unit_name")


def count_goals(pdf: Path) -> dict[str, Any]:
    _, records = process_file(pdf)
    goals = records.goals
    row: dict[str, Any] = {"document": pdf.name, "doc_status": records.document.status, "goal_rows": len(goals),
                           "goals": sum(g.indicator_shared_by or 1 for g in goals if (g.indicator_index or 1) == 1),
                           "targets": len(records.targets),
                           "targets_with_unit": sum(1 for t in records.targets if t.unit)}
    for field in FIELDS:
        row[field] = sum(1 for g in goals if getattr(g, field) not in (None, "", []))
    row["levels"] = dict(Counter(g.level or "-" for g in goals))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="also write the counts as JSON")
    args = parser.parse_args(argv)
    pdfs = args.pdfs or sorted(DEFAULT_CORPUS.glob("*.pdf"))
    if not pdfs:
        parser.error("no PDFs given and none in the corpus folder")
    rows = [count_goals(pdf) for pdf in pdfs]
    header = ("document", "doc_status", "goals", "goal_rows", "targets", "targets_with_unit", *FIELDS)
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(row[h]) for h in header) + f" | levels {row['levels']}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
