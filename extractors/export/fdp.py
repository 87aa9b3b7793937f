"""Export stage: the finance dataset -> an OpenSpending Fiscal Data Package (CSV + datapackage.json).

A Fiscal Data Package (https://specs.frictionlessdata.io/fiscal-data-package/) is a Tabular Data Package
whose descriptor adds a `model`: *measures* (the amount columns, each with its currency, factor and budget
phase) and *dimensions* (groups of columns that say what an amount is about). Here:

- one CSV row per figure (`finance.csv`, UTF-8, comma separated), keyed by document, table, row and column;
- one measure column per figure kind and currency (`executed_eur`, `approved_eur`, ...), filled only on
  the rows of that kind, so that no figure is aggregated away; the phase comes from the figure kind
  (FIGURE_KIND_MEASURES, the one place every kind is mapped);
- dimensions: `organisation` (municipality and unit: administrative classification), `line` (the
  language-neutral line key with the label as printed: economic classification), `fiscal_year`,
  `document` (the source document), `column` (the column as printed and its figure kind) and
  `provenance` (table, row, column, page, and whether OCR read the figure).

Amounts: the finance columns `value` (in currency units), `unit` (currency) and `multiplier` are used
when the dataset has them; otherwise the amount as printed, in EUR with factor 1.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from extractors.patterns import CURRENCY_CODE
from extractors.scales import is_money

PACKAGE_NAME = "plandata-finance"
RESOURCE_NAME = "finance"
CSV_NAME = "finance.csv"
DESCRIPTOR_NAME = "datapackage.json"
DEFAULT_CURRENCY = "EUR"

# Every figure kind -> (measure, FDP budget phase or None). Phases: proposed (a budget proposal), approved
# (an approved budget), adjusted (a budget after amendments), executed (what happened: financial statement).
FIGURE_KIND_MEASURES: dict[str, tuple[str, str | None]] = {
    "actual": ("executed", "executed"),
    "budget": ("approved", "approved"),
    "budget_original": ("approved", "approved"),
    "budget_amended": ("adjusted", "adjusted"),
    "proposal": ("proposed", "proposed"),
    # not a budget level of one phase: kept as measures of their own, without a phase
    "budget_change": ("budget_change", None),  # the amendment itself (the amount added or removed)
    "plan": ("plan", None),  # economic-plan years after the budget year: indicative, not appropriations
    "forecast": ("forecast", None),  # an estimate of the year's outturn
    "frame": ("frame", None),  # the spending limit set before the budget was drawn up
    "difference": ("difference", None),  # a difference column ("Ero raamiin")
    "total": ("total", None),  # a total across columns (the plan period's sum)
    "cumulative": ("cumulative", None),  # a running total (year to date)
    # not money: their unit is percent or count, so no row reaches a measure (see _currency)
    "percent_change": ("percent_change", None),
    "realisation_percent": ("realisation_percent", None),
    "share": ("share", None),
    "count": ("count", None),
    "other": ("other", None),
}

# (column, Table Schema type, description); the measure columns are added after these.
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("document_id", "string", "SHA-256 of the source file (plandata documents.document_id)"),
    ("source_file", "string", "file name of the source document"),
    ("document_title", "string", "title of the source document"),
    ("municipality", "string", "municipality as printed"),
    ("language", "string", "language of the document (sv, fi)"),
    ("budget_year", "integer", "the budget year the document decides"),
    ("unit_id", "string", "the organisation unit within the document (plandata units.unit_id)"),
    ("unit_name", "string", "the organisation unit as printed"),
    ("unit_level", "string", "central, area, committee or city"),
    ("line_key", "string", "language-neutral key of the finance line (empty when the lexicon does not know it)"),
    ("line_label", "string", "the line's label as printed"),
    ("is_memo", "boolean", "a memo row (of which ...), not part of the table's sums"),
    ("fiscal_year", "integer", "the year the amount is for"),
    ("column_label", "string", "the column heading as printed"),
    ("figure_kind", "string", "plandata figure kind of the column"),
    ("phase", "string", "FDP budget phase of the figure kind (proposed, approved, adjusted, executed; empty: none)"),
    ("currency", "string", "ISO 4217 currency of the amount"),
    ("amount", "number", "the figure as printed (sign applied), in the table's scale"),
    ("multiplier", "integer", "the table's printed scale: 1, 1000 or 1000000"),
    ("printed", "string", "the cell's text as printed"),
    ("table_id", "string", "the table within the document"),
    ("row_index", "integer", "0-based row of the figure in its table"),
    ("col_index", "integer", "0-based column of the figure in its table"),
    ("page", "integer", "PDF page of the figure"),
    ("source", "string", "text (text layer) or ocr (read by OCR)"),
    ("confidence", "number", "OCR word confidence of the figure (0-100); empty for text"),
)
PRIMARY_KEY = ["document_id", "table_id", "row_index", "col_index"]


def measure_for(kind: str) -> tuple[str, str | None]:
    """(measure, phase) of a figure kind; a kind not mapped (yet) counts as 'other', without a phase."""
    return FIGURE_KIND_MEASURES.get(kind, FIGURE_KIND_MEASURES["other"])


def measure_column(measure: str, currency: str) -> str:
    return f"{measure}_{currency.lower()}"


def _currency(figure: Mapping[str, Any]) -> str | None:
    """The figure's currency: its `unit` when the scales lexicon marks it as money (an ISO 4217 code: EUR,
    SEK), EUR when the dataset has no unit column (or none for the figure); None for an amount that is not money
    (a percentage, a count, days: 'Kassan riittävyys, pv', Kauhava p. 33, has unit 'day', not a currency)."""
    unit = figure.get("unit")
    if not unit:
        return DEFAULT_CURRENCY
    unit = str(unit).strip().upper()
    return unit if CURRENCY_CODE.fullmatch(unit) and is_money(unit) else None


def _value(figure: Mapping[str, Any]) -> int | float:
    """The amount in currency units: `value` when present, else amount x multiplier, else the amount."""
    if figure.get("value") is not None:
        return figure["value"]
    multiplier = figure.get("multiplier")
    return figure["amount"] * multiplier if multiplier not in (None, 1) else figure["amount"]


def package_rows(documents: Iterable[Mapping[str, Any]], units: Iterable[Mapping[str, Any]],
                 finance: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """(CSV rows, measure columns) from the rows of the datasets documents, units and finance.

    Figures that are not money (a unit that is no currency code) are left out; failed documents have none.
    """
    by_document = {row["document_id"]: row for row in documents}
    by_unit = {(row["document_id"], row["name"]): row for row in units}
    rows: list[dict[str, Any]] = []
    measures: set[str] = set()
    for figure in finance:
        currency = _currency(figure)
        if currency is None:
            continue
        document = by_document.get(figure["document_id"], {})
        unit = by_unit.get((figure["document_id"], figure["unit_name"]), {})
        measure, phase = measure_for(figure["figure_kind"])
        column = measure_column(measure, currency)
        measures.add(column)
        rows.append({
            "document_id": figure["document_id"],
            "source_file": Path(str(document.get("source_path") or "")).name,
            "document_title": document.get("title"),
            "municipality": document.get("municipality"),
            "language": document.get("language"),
            "budget_year": document.get("budget_year"),
            "unit_id": unit.get("unit_id"),
            "unit_name": figure["unit_name"],
            "unit_level": unit.get("level"),
            "line_key": figure["line_key"],
            "line_label": figure["line_label"],
            "is_memo": figure["is_memo"],
            "fiscal_year": figure["year"],
            "column_label": figure["column_label"],
            "figure_kind": figure["figure_kind"],
            "phase": phase,
            "currency": currency,
            "amount": figure["amount"],
            "multiplier": figure.get("multiplier") or 1,
            "printed": figure.get("printed") or "",
            "table_id": figure["table_id"],
            "row_index": figure["row_index"],
            "col_index": figure["col_index"],
            "page": figure.get("page"),
            "source": figure.get("source") or "text",
            "confidence": figure.get("confidence"),
            column: _value(figure),
        })
    return rows, sorted(measures)


def _measure_parts(column: str) -> tuple[str, str]:
    measure, currency = column.rsplit("_", 1)
    return measure, currency.upper()


def descriptor(rows: list[dict[str, Any]], measures: list[str]) -> dict[str, Any]:
    """The datapackage.json of the package: Table Schema of finance.csv and the fiscal model."""
    fields = [{"name": name, "type": kind, "description": text} for name, kind, text in FIELDS]
    phases = {measure: phase for measure, phase in FIGURE_KIND_MEASURES.values()}
    model_measures: dict[str, dict[str, Any]] = {}
    for column in measures:
        measure, currency = _measure_parts(column)
        fields.append({"name": column, "type": "number",
                       "description": f"{measure} amount in {currency} (only on rows of this kind)"})
        model_measures[column] = {"source": column, "currency": currency, "factor": 1}
        if phases.get(measure):
            model_measures[column]["phase"] = phases[measure]
    years = sorted({row["fiscal_year"] for row in rows if row["fiscal_year"]})
    package: dict[str, Any] = {
        "profile": "fiscal-data-package",
        "name": PACKAGE_NAME,
        "title": "Finance figures of municipal plan and budget documents (plandata)",
        "description": "Every figure of every finance table, one row per figure, as extracted and validated by "
                       "plandata; measures are split by figure kind (budget phase) and currency.",
        "granularity": "aggregated",
        "resources": [{
            "name": RESOURCE_NAME,
            "path": CSV_NAME,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": PRIMARY_KEY, "missingValues": [""]},
        }],
        "model": {"measures": model_measures, "dimensions": DIMENSIONS},
    }
    if years:
        package["fiscalPeriod"] = {"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"}
    return package


DIMENSIONS: dict[str, dict[str, Any]] = {
    "organisation": {
        "dimensionType": "classification", "classificationType": "administrative",
        "attributes": {"municipality": {"source": "municipality"}, "unit_id": {"source": "unit_id"},
                       "unit_name": {"source": "unit_name", "labelfor": "unit_id"},
                       "unit_level": {"source": "unit_level"}},
        "primaryKey": ["municipality", "unit_id"],
    },
    "line": {
        "dimensionType": "classification", "classificationType": "economic",
        "attributes": {"line_key": {"source": "line_key"}, "line_label": {"source": "line_label"},
                       "is_memo": {"source": "is_memo"}},
        "primaryKey": ["line_key", "line_label"],
    },
    "fiscal_year": {
        "dimensionType": "datetime",
        "attributes": {"fiscal_year": {"source": "fiscal_year"}},
        "primaryKey": "fiscal_year",
    },
    "document": {
        "dimensionType": "other",
        "attributes": {"document_id": {"source": "document_id"},
                       "document_title": {"source": "document_title", "labelfor": "document_id"},
                       "source_file": {"source": "source_file"}, "language": {"source": "language"},
                       "budget_year": {"source": "budget_year"}},
        "primaryKey": "document_id",
    },
    "column": {
        "dimensionType": "other",
        "attributes": {"column_label": {"source": "column_label"}, "figure_kind": {"source": "figure_kind"},
                       "phase": {"source": "phase"}, "currency": {"source": "currency"},
                       "amount": {"source": "amount"}, "multiplier": {"source": "multiplier"},
                       "printed": {"source": "printed"}},
        "primaryKey": ["column_label", "figure_kind"],
    },
    "provenance": {
        "dimensionType": "fact",
        "attributes": {"table_id": {"source": "table_id"}, "row_index": {"source": "row_index"},
                       "col_index": {"source": "col_index"}, "page": {"source": "page"},
                       "source": {"source": "source"}, "confidence": {"source": "confidence"}},
        "primaryKey": ["table_id", "row_index", "col_index"],
    },
}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 1887887, not 1887887.0
    return value


def write_package(target: Path, rows: list[dict[str, Any]], measures: list[str]) -> Path:
    """Write finance.csv and datapackage.json into target (created; files replaced atomically).

    Returns the descriptor's path.
    """
    target.mkdir(parents=True, exist_ok=True)
    package = descriptor(rows, measures)
    columns = [field["name"] for field in package["resources"][0]["schema"]["fields"]]
    csv_path, descriptor_path = target / CSV_NAME, target / DESCRIPTOR_NAME
    temp_csv = csv_path.with_name(f".{CSV_NAME}.{os.getpid()}.tmp")
    temp_descriptor = descriptor_path.with_name(f".{DESCRIPTOR_NAME}.{os.getpid()}.tmp")
    try:
        with temp_csv.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(column)) for column in columns])
        temp_descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(temp_csv, csv_path)
        os.replace(temp_descriptor, descriptor_path)
    finally:
        temp_csv.unlink(missing_ok=True)
        temp_descriptor.unlink(missing_ok=True)
    return descriptor_path
