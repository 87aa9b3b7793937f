"""NLP stage: goal texts -> responsible roles, measurable targets and repaired words (rule-based spaCy, sv/fi)."""

from extractors.nlp.pipeline import lemma, vocabulary
from extractors.nlp.repair import document_vocabulary, repair_text
from extractors.nlp.roles import canonical_role, responsible_raw, role_key, split_roles, title_phrases, unit_role
from extractors.nlp.targets import TargetMatch, find_targets

__all__ = [
    "TargetMatch",
    "canonical_role",
    "document_vocabulary",
    "find_targets",
    "lemma",
    "repair_text",
    "responsible_raw",
    "role_key",
    "split_roles",
    "title_phrases",
    "unit_role",
    "vocabulary",
]
