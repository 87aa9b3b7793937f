"""Data files read at start: the YAML lexicons through libyaml's loader give exactly the pure-Python loader's
data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from extractors import datafiles
from extractors.lexicon import LEXICON_DIR

YAML_FILES = sorted(LEXICON_DIR.rglob("*.yml"))


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, dict keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_the_installed_pyyaml_has_libyaml() -> None:
    assert yaml.__with_libyaml__
    assert datafiles.SafeLoader is yaml.CSafeLoader


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(LEXICON_DIR)))
def test_every_lexicon_file_reads_as_with_the_pure_python_loader(path: Path) -> None:
    expected = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)  # noqa: S506
    assert _same(datafiles.read_yaml(path), expected)


def test_the_types_of_yaml_scalars_are_the_pure_python_loaders(tmp_path: Path) -> None:
    text = "a: 1\nb: 1.5\nc: '01'\nd: yes\ne: null\nf: 2024-01-02\ng: [x, 'y', 3]\nh: -0.0\ni: 1_000\nj: ~\n"
    path = tmp_path / "scalars.yml"
    path.write_text(text, encoding="utf-8")
    expected = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506
    assert _same(datafiles.read_yaml(path), expected)
    assert datafiles.read_yaml(path)["c"] == "01" and datafiles.read_yaml(path)["i"] == 1000
