"""Data files the stages read at start: the YAML lexicons.

`read_yaml` parses with libyaml's C loader (PyYAML's `CSafeLoader`) when the installed PyYAML has it: the same
data as the pure-Python `SafeLoader` (compared value for value and type for type on every lexicon file), about
eight times faster (0.06 against 0.48 CPU s for all of them); without libyaml it is the pure-Python loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it, else PyYAML's pure-Python one."""


def read_yaml(path: Path) -> Any:
    """The data of a YAML file (UTF-8), read with the safe loader (`SafeLoader` above)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SafeLoader)  # noqa: S506 - a safe loader
