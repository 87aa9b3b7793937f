"""Golden tests: every sample's records are pinned (every figure, every goal row)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pipeline import process_file
from tests.golden_io import check_golden

SAMPLES = sorted(p.name for p in (Path(__file__).parent.parent / "samples").iterdir()
                 if p.suffix in {".pdf", ".txt"})


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_matches_golden(sample: str, samples_dir: Path) -> None:
    _, records = process_file(samples_dir / sample)
    check_golden(sample, records)
