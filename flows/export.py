"""Flow `export_package`: the catalog's finance data as an open-standard package (today the OpenSpending
Fiscal Data Package of extractors.export.fdp) in OUT/export/<format>/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from extractors.export.fdp import package_rows, write_package
from extractors.writers import read_table

EXPORT_DIR = "export"


def export_dir(out_dir: Path | str, package_format: str) -> Path:
    return Path(out_dir) / EXPORT_DIR / package_format


def export_run_name() -> str:
    """The run's name: the format and the output folder ('export fdp: output')."""
    parameters = flow_run.parameters
    return f"export {parameters.get('package_format', 'fdp')}: {Path(str(parameters.get('out_dir', ''))).name}"


@flow(name="export_package", log_prints=False, flow_run_name=export_run_name)
def export_package(out_dir: str, package_format: str = "fdp") -> dict[str, Any]:
    """Write OUT/export/fdp/finance.csv and datapackage.json from the datasets documents, units and finance.

    Returns the descriptor's path, the number of figures and the measure columns.
    """
    if package_format != "fdp":
        raise ValueError(f"unknown package format {package_format!r}; known: fdp")
    out = Path(out_dir)
    rows, measures = package_rows(read_table(out, "documents").to_pylist(), read_table(out, "units").to_pylist(),
                                  read_table(out, "finance").to_pylist())
    path = write_package(export_dir(out, package_format), rows, measures)
    return {"descriptor": str(path), "rows": len(rows), "measures": measures}
