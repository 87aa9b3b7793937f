"""`plandata export --format fdp`: the samples' finance data as an OpenSpending Fiscal Data Package, validated
with the frictionless library (the data against its Table Schema, the descriptor against the Fiscal Data
Package rules) and checked against figures read from the reference PDF's pages."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, get_args

import pytest
from frictionless import Package, validate

from extractors.export.fdp import FIGURE_KIND_MEASURES, PRIMARY_KEY
from extractors.writers import read_table, write_record_sets
from flows.cli import main
from models.records import FigureKind
from tests.compare_io import records_of, sample_files

pytestmark = pytest.mark.usefixtures("prefect_harness")  # these tests run flows
PHASES = ["proposed", "approved", "adjusted", "executed"]
# The Fiscal Data Package rules of the descriptor's `model` and fiscal properties
# (https://specs.frictionlessdata.io/fiscal-data-package/), as a JSON Schema profile for frictionless:
# the published profile is fetched over the network, which the tests may not use.
FISCAL_PROFILE: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["name", "resources", "model"],
    "properties": {
        "granularity": {"enum": ["aggregated", "transactional"]},
        "fiscalPeriod": {"type": "object", "required": ["start"],
                         "properties": {"start": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                                        "end": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}}},
        "model": {
            "type": "object",
            "required": ["measures", "dimensions"],
            "properties": {
                "measures": {"type": "object", "minProperties": 1, "additionalProperties": {
                    "type": "object", "required": ["source", "currency"],
                    "properties": {"source": {"type": "string"},
                                   "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                                   "factor": {"type": "number"}, "phase": {"enum": PHASES},
                                   "direction": {"enum": ["expenditure", "revenue"]}}}},
                "dimensions": {"type": "object", "minProperties": 1, "additionalProperties": {
                    "type": "object", "required": ["attributes", "primaryKey"],
                    "properties": {
                        "attributes": {"type": "object", "minProperties": 1, "additionalProperties": {
                            "type": "object", "required": ["source"]}},
                        "primaryKey": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"},
                                                                       "minItems": 1}]},
                        "dimensionType": {"enum": ["datetime", "entity", "classification", "activity", "fact",
                                                   "location", "other"]},
                        "classificationType": {"enum": ["functional", "administrative", "economic"]}}}},
            },
        },
    },
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples written as by `plandata ingest`, then `plandata export --format fdp`."""
    out = tmp_path_factory.mktemp("export")
    write_record_sets([records_of(path) for path in sample_files()], out)
    assert main(["export", "--format", "fdp", "--out", str(out)]) == 0
    return out


def descriptor_of(out: Path) -> dict[str, Any]:
    return json.loads((out / "export" / "fdp" / "datapackage.json").read_text(encoding="utf-8"))


def rows_of(out: Path) -> list[dict[str, str]]:
    with (out / "export" / "fdp" / "finance.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_package_validates_with_frictionless(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data against its Table Schema and the descriptor against the Fiscal Data Package rules. The
    descriptor names the published profile ("fiscal-data-package"), which frictionless would fetch; a copy
    beside it names the same rules as a local profile (frictionless takes safe, relative profile paths from
    the working folder)."""
    folder = package / "export" / "fdp"
    descriptor = descriptor_of(package)
    assert descriptor["profile"] == "fiscal-data-package"
    monkeypatch.chdir(folder)
    Path("fiscal-profile.json").write_text(json.dumps(FISCAL_PROFILE), encoding="utf-8")
    Path("datapackage-local.json").write_text(json.dumps({**descriptor, "profile": "fiscal-profile.json"}),
                                              encoding="utf-8")
    report = validate("datapackage-local.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == len(read_table(package, "finance"))
    # the profile does judge the model: a measure without an ISO currency code is refused
    broken = {**descriptor, "profile": "fiscal-profile.json",
              "model": {**descriptor["model"], "measures": {"x": {"source": "executed_eur", "currency": "euro"}}}}
    errors = Package.validate_descriptor(broken).flatten(["note"])
    assert errors and all("euro" in note[0] for note in errors), errors


def test_the_model_refers_to_the_table(package: Path) -> None:
    descriptor = descriptor_of(package)
    fields = {field["name"] for field in descriptor["resources"][0]["schema"]["fields"]}
    for measure in descriptor["model"]["measures"].values():
        assert measure["source"] in fields and measure["factor"] == 1
    for dimension in descriptor["model"]["dimensions"].values():
        assert {a["source"] for a in dimension["attributes"].values()} <= fields
        keys = dimension["primaryKey"] if isinstance(dimension["primaryKey"], list) else [dimension["primaryKey"]]
        assert set(keys) <= set(dimension["attributes"])
    assert descriptor["resources"][0]["schema"]["primaryKey"] == PRIMARY_KEY


def test_phases_come_from_the_figure_kinds(package: Path) -> None:
    measures = descriptor_of(package)["model"]["measures"]
    assert measures["executed_eur"]["phase"] == "executed"  # BOKSLUT / TP: the financial statement
    assert measures["approved_eur"]["phase"] == "approved"  # BUDGET 2025 / TA 2025
    assert measures["adjusted_eur"]["phase"] == "adjusted"  # BUDGET 2024 inkl. ändringar
    assert "phase" not in measures["plan_eur"]  # EKONOMIPLAN 2026: indicative plan years
    assert all(m["currency"] == "EUR" for m in measures.values())


def test_every_figure_kind_is_mapped_in_one_place() -> None:
    assert set(get_args(FigureKind)) <= set(FIGURE_KIND_MEASURES)
    assert {phase for _, phase in FIGURE_KIND_MEASURES.values()} - {None} == set(PHASES)


def test_figures_read_from_the_reference_page_are_in_the_package(package: Path) -> None:
    # Stadskanslicentralen, page 2 of the reference PDF: "Personalkostnader -1 887 887 | -1 935 039 |
    # -2 094 694 | -2 130 000 | -2 172 600" under BOKSLUT 2023, BUDGET 2024 inkl. ändringar, BUDGET 2025,
    # EKONOMIPLAN 2026 and 2027.
    rows = [r for r in rows_of(package) if r["source_file"] == "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
            and r["unit_name"] == "Stadskanslicentralen" and r["line_label"] == "Personalkostnader"]
    by_year = {(r["fiscal_year"], r["phase"]): r for r in rows}
    assert by_year["2023", "executed"]["executed_eur"] == "-1887887"
    assert by_year["2024", "adjusted"]["adjusted_eur"] == "-1935039"
    assert by_year["2025", "approved"]["approved_eur"] == "-2094694"
    assert by_year["2026", ""]["plan_eur"] == "-2130000"
    assert by_year["2027", ""]["plan_eur"] == "-2172600"
    for row in rows:  # one measure per row: no figure is counted twice when a portal sums a measure
        assert sum(bool(row[column]) for column in row if column.endswith("_eur")) == 1
        assert row["line_key"] == "personnel_costs" and row["municipality"] == "Lovisa"


@pytest.mark.parametrize(("unit", "currency"), [
    ("EUR", "EUR"), ("SEK", "SEK"), (None, "EUR"),
    # three capital letters are no currency unless the scales lexicon marks them as money: days
    # ('Kassan riittävyys, pv', Kauhava TP 2024 p. 33), percentages and per-inhabitant amounts are no measure
    ("day", None), ("DAY", None), ("percent", None), ("EUR/inhabitant", None), ("count", None),
])
def test_only_money_has_a_currency(unit: str | None, currency: str | None) -> None:
    from extractors.export.fdp import _currency

    assert _currency({"unit": unit, "amount": 12}) == currency
