"""Link stage: which documents are editions of one organisation, and which goal, unit and figure of one
edition is the same thing as which of another (pure functions; flows.compare orchestrates them).

Modules: organisations (organisation keys, edition order, comparisons to make), text (normalised text,
lemmas, numbers, similarity), goals (the goal linking ladder), changes (change classification), units
(unit links and unit keys), finance (finance series), overrides (links_overrides.yml), records (rows and
bridge composition), compare (the whole comparison of a catalog).
"""

from extractors.link.compare import Catalog, ComparisonResult, compare_catalog, merge_results
from extractors.link.overrides import OVERRIDES_FILE, Overrides, load_overrides
from extractors.link.settings import DEFAULT_SETTINGS, LinkSettings

__all__ = [
    "DEFAULT_SETTINGS",
    "OVERRIDES_FILE",
    "Catalog",
    "ComparisonResult",
    "LinkSettings",
    "Overrides",
    "compare_catalog",
    "load_overrides",
    "merge_results",
]
