"""Golden files: canonical JSON of a document's records plus a readable summary.

Regenerate with `PLANDATA_UPDATE_GOLDENS=1 make test` (never silently); a missing golden file fails.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from models import RecordSet

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PLANDATA_UPDATE_GOLDENS") == "1"
VOLATILE = {"pipeline_version"}
# Finance figures are float64 (decimals stay decimals); integral ones are written as integers, as
# they are printed, so the golden files show 30291, not 30291.0.
INTEGRAL_FIELDS = {"finance": {"amount", "value"}, "finance_series": {"amount", "value"}}


def integral_as_int(dataset: str, item: dict) -> dict:
    fields = INTEGRAL_FIELDS.get(dataset, set())
    return {k: int(v) if k in fields and isinstance(v, float) and v.is_integer() else v for k, v in item.items()}


def canonical(records: RecordSet) -> dict:
    data: dict = {}
    for name, rows in records.datasets().items():
        dumped = []
        for row in rows:
            item = integral_as_int(name, {k: v for k, v in row.model_dump(mode="json").items() if k not in VOLATILE})
            if "source_path" in item:
                item["source_path"] = Path(item["source_path"]).name
            dumped.append(item)
        data[name] = dumped
    return data


def summary(records: RecordSet) -> str:
    doc = records.document
    lines = [f"# {Path(doc.source_path).name}", "",
             f"- status: {doc.status}; language: {doc.language}; municipality: {doc.municipality}",
             f"- budget year {doc.budget_year}, plan {doc.plan_start_year}–{doc.plan_end_year}, pages {doc.pages}",
             f"- units {len(records.units)}, sections {len(records.sections)}, goals {len(records.goals)}, "
             f"finance figures {len(records.finance)}, validation findings {len(records.validation)}", "",
             "## Units", ""]
    lines += [f"- {u.name} ({u.level}) — {u.responsible_title}" for u in records.units]
    lines += ["", "## Finance figures per unit and column", ""]
    per = Counter((f.unit_name, f.column_label, f.figure_kind) for f in records.finance)
    lines += [f"- {unit} · {col} ({kind}): {n}" for (unit, col, kind), n in per.items()]
    lines += ["", "## Goals per theme", ""]
    themes = Counter((g.theme_number, g.theme_title) for g in records.goals)
    strategic = Counter(g.theme_number for g in {(g.theme_number, g.strategic_goal): g for g in records.goals}.values())
    lines += [f"- {num}. {title}: {n} goal rows under {strategic[num]} strategic goals"
              for (num, title), n in themes.items()]
    lines += ["", "## Validation findings", ""]
    lines += [f"- {v.severity}: {v.unit_name} · {v.check} · {v.column_label}: {v.message}" for v in records.validation]
    return "\n".join(lines) + "\n"


def check_golden(name: str, records: RecordSet) -> None:
    path = GOLDEN_DIR / f"{name}.json"
    summary_path = GOLDEN_DIR / f"{name}.summary.md"
    data = canonical(records)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if UPDATE:
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        summary_path.write_text(summary(records), encoding="utf-8")
        return
    assert path.exists(), f"golden file {path.name} is missing: run with PLANDATA_UPDATE_GOLDENS=1 and review it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    for dataset in expected:
        assert data[dataset] == expected[dataset], f"{name}: dataset {dataset} differs from its golden file"
    assert data.keys() == expected.keys()
    assert summary_path.read_text(encoding="utf-8") == summary(records)
