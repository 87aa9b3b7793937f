"""Defaults of the batch flows, in a module without Prefect so `plandata --help` can show them quickly."""

from __future__ import annotations

import os

DEFAULT_WORKERS = max(1, os.cpu_count() or 1)  # local Dask cluster: one single-threaded process per CPU
DEFAULT_SETTLE_SECONDS = 2.0  # an inbox file must keep its size and mtime this long ...
DEFAULT_MIN_AGE_SECONDS = 10.0  # ... and have been modified at least this long ago
DEFAULT_INTERVAL_SECONDS = 60  # between inbox passes when no schedule is given
DEFAULT_TIME_BUDGET_SECONDS = 120.0  # wall-clock seconds one document may take to extract, at least ...
DEFAULT_TIME_PER_PAGE_SECONDS = 1.0  # ... or this much per page of a longer document
DEFAULT_TIME_PER_OCR_PAGE_SECONDS = 60.0  # ... plus this much per page read by OCR (Tesseract on a busy 2-core machine)
DEFAULT_MEMORY_BUDGET_MB = 2048  # resident memory of the process extracting one document
