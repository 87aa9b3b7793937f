"""Link stage, curated overrides: `links_overrides.yml` read and matched against the comparisons.

Contract: a YAML file -> validated Overrides; `goal_overrides` / `unit_overrides` pick the ones that apply
to one pair of documents. An override always wins over the computed evidence, on the next run.

File format (every key but `goal`/`unit` optional; an end given as null forces new/dropped):

    goal_links:
      - organisation: loviisa.city_manager
        from: {edition: 2024, language: sv, goal: g4.2.3}
        to: {edition: 2025, language: sv, goal: null}      # g4.2.3 of 2024 is dropped, whatever the scores
        note: "the web site project ended"
    unit_links:
      - from: {edition: 2024, language: sv, unit: Stadskanslitjänster}
        to: {edition: 2025, language: sv, unit: Förvaltningstjänster}

A side may name `document_id` (a full id or a prefix of at least 8 characters) instead of edition/language.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from models.records import DocumentRecord

OVERRIDES_FILE = "links_overrides.yml"
MIN_ID_PREFIX = 8


class OverrideSide(BaseModel):
    model_config = ConfigDict(extra="forbid")

    edition: int | None = None
    language: str | None = None
    document_id: str | None = None
    goal: str | None = None
    unit: str | None = None

    def matches(self, document: DocumentRecord, edition: int | None) -> bool:
        if self.document_id is not None:
            return len(self.document_id) >= MIN_ID_PREFIX and document.document_id.startswith(self.document_id)
        if self.edition is not None and self.edition != edition:
            return False
        return self.language is None or self.language == document.language


class LinkOverride(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    organisation: str | None = None
    source: OverrideSide = Field(alias="from")
    target: OverrideSide = Field(alias="to")
    note: str = ""

    def applies(self, organisation_key: str, source: DocumentRecord, source_edition: int | None,
                target: DocumentRecord, target_edition: int | None) -> bool:
        if self.organisation is not None and self.organisation != organisation_key:
            return False
        return self.source.matches(source, source_edition) and self.target.matches(target, target_edition)


class Overrides(BaseModel):
    model_config = ConfigDict(extra="forbid")

    goal_links: list[LinkOverride] = Field(default_factory=list)
    unit_links: list[LinkOverride] = Field(default_factory=list)


def load_overrides(path: Path | None) -> Overrides:
    """The overrides in the file; none when no file is given or it does not exist."""
    if path is None or not Path(path).is_file():
        return Overrides()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return Overrides.model_validate(data)


def applicable(overrides: list[LinkOverride], organisation_key: str, source: DocumentRecord,
               source_edition: int | None, target: DocumentRecord, target_edition: int | None) -> list[LinkOverride]:
    return [o for o in overrides if o.applies(organisation_key, source, source_edition, target, target_edition)]
