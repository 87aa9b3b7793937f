"""Shared inputs of the comparison tests: the samples (and corpus text editions) as catalogs, built once per
process, and the canonical JSON of the comparison datasets for the golden files."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from extractors.link import Catalog, ComparisonResult, compare_catalog
from extractors.pipeline import process_file
from models import RecordSet
from tests.golden_io import GOLDEN_DIR, UPDATE, integral_as_int

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "samples"
CORPUS = REPO_ROOT.parent / "shared" / "corpus"
SV_2024_TEXT = CORPUS / "editions" / "lovisa-stadskanslicentralen-2024-2026-sv.txt"
SV_2025_TEXT = CORPUS / "reference" / "lovisa-stadskanslicentralen-2025-2027-sv.txt"
SV_2024_PDF = "lovisa-stadskanslicentralen-2024-2026-sv.pdf"
SV_2025_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
SV_2025_TXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
FI_2025_TXT = "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"
LAPUA_PDF = "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"
CATALOG_FIELDS = ("documents", "units", "sections", "goals", "targets", "finance")


@lru_cache(maxsize=16)
def records_of(path: Path) -> RecordSet:
    return process_file(path)[1]


def sample_path(name: str) -> Path:
    return SAMPLES / name


def catalog_of(paths: list[Path]) -> Catalog:
    data: dict[str, list] = {name: [] for name in CATALOG_FIELDS}
    for path in paths:
        datasets = records_of(path).datasets()
        for name in CATALOG_FIELDS:
            data[name] += datasets[name]
    return Catalog(**data)


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in {".pdf", ".txt"})


@lru_cache(maxsize=1)
def samples_comparison() -> ComparisonResult:
    return compare_catalog(catalog_of(sample_files()))


def document_id(name: str) -> str:
    return records_of(sample_path(name)).document.document_id


def canonical_comparison(result: ComparisonResult) -> dict:
    data: dict = {}
    for name, rows in result.datasets().items():
        dumped = []
        for row in rows:
            item = integral_as_int(name, row.model_dump(mode="json"))
            if "source_path" in item:
                item["source_path"] = Path(item["source_path"]).name
            dumped.append(item)
        data[name] = dumped
    return data


def comparison_summary(result: ComparisonResult, names: dict[str, str]) -> str:
    """A readable digest: per comparison the change counts and every non-`same` decision."""
    lines = ["# Comparison of the samples", ""]
    for edition in result.editions:
        lines.append(f"- {edition.organisation_key}: {edition.edition} {edition.language} "
                     f"{Path(edition.source_path).name}{'' if edition.representative else ' (duplicate)'}")
    seen: dict[tuple, list] = {}
    for link in result.goal_links:
        seen.setdefault((link.organisation_key, link.comparison, link.from_document_id, link.to_document_id),
                        []).append(link)
    for (organisation, comparison, source, target), links in seen.items():
        title = f"{names.get(source, source)} → {names.get(target, target)} ({comparison})"
        lines += ["", f"## {organisation}: {title}", ""]
        counts: dict[str, int] = {}
        for link in links:
            counts[link.change] = counts.get(link.change, 0) + 1
        lines.append("- " + ", ".join(f"{change} {n}" for change, n in sorted(counts.items())))
        for link in links:
            if link.change not in ("same", "translated"):
                target_text = f"; {link.old_target} → {link.new_target}" if link.target_field else ""
                lines.append(f"- {link.from_goal_id} → {link.to_goal_id}: {link.change} by {link.method} "
                             f"({link.score:.2f}){target_text}")
    lines += ["", "## Units", ""]
    lines += [f"- {u.from_edition} → {u.to_edition} {u.comparison}: {u.from_unit_name} → {u.to_unit_name} "
              f"[{u.unit_key}] {u.change} by {u.method}" for u in result.unit_links]
    lines += ["", f"finance series points: {len(result.finance_series)}"]
    return "\n".join(lines) + "\n"


def check_comparison_golden(name: str, result: ComparisonResult, names: dict[str, str]) -> None:
    """Like golden_io.check_golden: regenerate only with PLANDATA_UPDATE_GOLDENS=1; a missing file fails."""
    path = GOLDEN_DIR / f"{name}.json"
    summary_path = GOLDEN_DIR / f"{name}.summary.md"
    data = canonical_comparison(result)
    if UPDATE:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        summary_path.write_text(comparison_summary(result, names), encoding="utf-8")
        return
    assert path.exists(), f"golden file {path.name} is missing: run with PLANDATA_UPDATE_GOLDENS=1 and review it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert data.keys() == expected.keys()
    for dataset in expected:
        assert data[dataset] == expected[dataset], f"{name}: dataset {dataset} differs from its golden file"
    assert summary_path.read_text(encoding="utf-8") == comparison_summary(result, names)
