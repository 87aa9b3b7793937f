"""Link stage settings: the thresholds of the evidence ladders, one validated object with defaults.

Contract: read-only values; every link below its threshold is not made (the record is new or dropped).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkSettings:
    position_lemma_min: float = 0.5
    """Same position in the same strategic goal: Dice of the rows' content lemmas at least this."""
    fuzzy_min: float = 0.85
    """Anywhere in the document: difflib ratio of the normalised row texts at least this."""
    cross_language_min: float = 0.75
    """Different languages: weighted agreement of position, numbers and role keys at least this."""
    unit_min: float = 0.6
    """Units: weighted agreement of responsible office, hierarchy position and content at least this."""
    margin: float = 0.05
    """A candidate within this much of a rival's score is ambiguous and is not linked."""

    def __post_init__(self) -> None:
        for name in ("position_lemma_min", "fuzzy_min", "cross_language_min", "unit_min", "margin"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], not {value}")


DEFAULT_SETTINGS = LinkSettings()
