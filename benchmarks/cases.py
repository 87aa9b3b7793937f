"""Score the pipeline on the failure reproductions in ../shared/cases against their expected values.

For each case PDF the pipeline runs in this process (no Prefect) and its records are compared with
`<case>.expected.json`:

- figures: an expected figure is *exact* when a produced money figure has the same unit, line label,
  column label, figure kind, year and amount (labels compared with whitespace folded); *amount only*
  when the same amount comes out under the same unit and line label but with another column, kind
  or year; the rest are missing. Produced money figures matched by nothing are *extra*; an extra
  whose amount equals a `not_figures` string is counted as a not-figure violation.
- units: expected unit names found, and their responsible role; produced units the case does not expect
  (a caption or a sentence taken for a unit) are counted as extra units.
- goals: expected goal rows whose every printed field comes out equal.
- status: the document status (a case with missing or extra figures should not say `ok`).

    .venv/bin/python benchmarks/cases.py [--cases ../shared/cases] [--json out.json] [--verbose]

Percent figures (a `unit` of `percent` where the records carry one) are neither extra nor missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from extractors.pipeline import process_file  # noqa: E402

DEFAULT_CASES = REPO_ROOT.parent / "shared" / "cases"


def _fold(text: Any) -> str:
    return " ".join(str(text or "").split())


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _printed_value(text: str) -> Decimal | None:
    cleaned = "".join(ch for ch in text if ch.isdigit() or ch in ",.-")
    cleaned = cleaned.replace(",", ".")
    return _number(cleaned) if cleaned.strip("-.") else None


def _is_percent(figure: Any) -> bool:
    return getattr(figure, "unit", None) == "percent" or "%" in _fold(getattr(figure, "column_label", ""))


def score_case(pdf: Path, verbose: bool = False) -> dict[str, Any]:
    expected = json.loads(pdf.with_suffix("").with_suffix(".expected.json").read_text(encoding="utf-8"))
    _, records = process_file(pdf)
    produced = [f for f in records.finance if not _is_percent(f)]
    pool = Counter((_fold(f.unit_name), _fold(f.line_label), _fold(f.column_label), f.figure_kind, f.year,
                    _number(f.amount)) for f in produced)
    loose = Counter((_fold(f.unit_name), _fold(f.line_label), _number(f.amount)) for f in produced)
    exact, amount_only, missing = 0, 0, []
    for item in expected.get("finance", []):
        key = (_fold(item["unit"]), _fold(item["line_label"]), _fold(item["column_label"]), item["figure_kind"],
               item["year"], _number(item["amount"]))
        if pool[key] > 0:
            pool[key] -= 1
            loose[(key[0], key[1], key[5])] -= 1
            exact += 1
            continue
        missing.append(item)
    for item in missing:
        lkey = (_fold(item["unit"]), _fold(item["line_label"]), _number(item["amount"]))
        if loose[lkey] > 0:
            loose[lkey] -= 1
            amount_only += 1
    extras = [key for key, n in pool.items() for _ in range(n)]
    not_values = {v for v in (_printed_value(s) for s in expected.get("not_figures", [])) if v is not None}
    violations = [key for key in extras if key[5] in not_values]
    units = {_fold(u.name): u for u in records.units}
    units_found = sum(1 for u in expected.get("units", []) if _fold(u["name"]) in units)
    roles_found = sum(1 for u in expected.get("units", []) if _fold(u["name"]) in units
                      and _fold(units[_fold(u["name"])].responsible_role) == _fold(u.get("responsible")))
    extra_units = sorted(set(units) - {_fold(u["name"]) for u in expected.get("units", [])})
    goals_exact = 0
    for goal in expected.get("goals", []):
        fields = [k for k in ("strategic_goal", "central_goal", "area_goal", "actions", "responsible_raw")
                  if k in goal]
        if any(all(_fold(getattr(g, k, None)) == _fold(goal[k]) for k in fields) for g in records.goals):
            goals_exact += 1
    result = {
        "case": pdf.stem,
        "status": records.document.status,
        "figures_expected": len(expected.get("finance", [])),
        "exact": exact,
        "amount_only": amount_only,
        "extra": len(extras),
        "not_figure_violations": len(violations),
        "units": f"{units_found}/{len(expected.get('units', []))}",
        "roles": f"{roles_found}/{len(expected.get('units', []))}",
        "extra_units": len(extra_units),
        "goals": f"{goals_exact}/{len(expected.get('goals', []))}",
    }
    if verbose:
        result["missing_sample"] = [{k: item[k] for k in ("line_label", "column_label", "amount", "printed")}
                                    for item in missing[:8]]
        result["extra_sample"] = [list(map(str, key)) for key in extras[:8]]
        result["extra_unit_sample"] = extra_units[:8]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--json", type=Path, help="also write the scores as JSON")
    parser.add_argument("--verbose", action="store_true", help="show samples of missing and extra figures")
    args = parser.parse_args(argv)
    pdfs = sorted(args.cases.glob("*.pdf"))
    if not pdfs:
        parser.error(f"no case PDFs in {args.cases}")
    results = [score_case(pdf, args.verbose) for pdf in pdfs]
    header = ("case", "status", "figures_expected", "exact", "amount_only", "extra", "not_figure_violations",
              "units", "extra_units", "roles", "goals")
    print(" | ".join(header))
    for row in results:
        print(" | ".join(str(row[h]) for h in header))
        if args.verbose:
            for key in ("missing_sample", "extra_sample", "extra_unit_sample"):
                for item in row.get(key, []):
                    print(f"    {key[:-7]}: {item}")
    total = sum(r["figures_expected"] for r in results)
    exact = sum(r["exact"] for r in results)
    print(f"total: {exact} of {total} expected figures exact ({100 * exact / max(total, 1):.0f} %), "
          f"{sum(r['extra'] for r in results)} extra, "
          f"{sum(r['not_figure_violations'] for r in results)} not-figure violations")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
