"""Comparison records: editions of one organisation and the links between their goals, units and figures.

These are the rows of the derived datasets `editions`, `goal_links`, `unit_links` and `finance_series`
(see output/README.md). They are computed from the per-document datasets by extractors.link.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Comparison = Literal["consecutive", "translation"]
"""`consecutive`: an edition against the previous edition of the same organisation (in the later
edition's language, through a translation when the earlier edition lacks that language);
`translation`: two language versions of the same edition."""

GoalChange = Literal["same", "reworded", "target_changed", "responsible_changed", "translated", "new", "dropped"]
UnitChange = Literal["same", "renamed", "translated", "new", "dropped"]


class EditionRecord(BaseModel):
    """One document as an edition of one organisation (a document may hold several organisations)."""

    organisation_key: str
    organisation_name: str
    municipality: str | None
    municipality_key: str | None
    central_unit_id: str | None
    central_name: str | None
    document_id: str
    source_path: str
    source_format: str
    language: str | None
    edition: int | None
    """The first year of the plan period (plan_start_year), else the budget year: the edition's order key."""
    budget_year: int | None
    plan_end_year: int | None
    primary_language: str | None
    """The organisation's primary language: the one with the most editions (ties: the earliest edition's)."""
    representative: bool
    """True for the one document that stands for its (organisation, edition, language); duplicates of the
    same edition and language (a PDF and its text export) are False."""


class GoalLink(BaseModel):
    """One decision of the goal linking: a linked pair, or a goal marked new or dropped."""

    organisation_key: str
    comparison: Comparison
    from_document_id: str
    to_document_id: str
    from_edition: int | None
    to_edition: int | None
    from_language: str | None
    to_language: str | None
    from_goal_id: str | None
    """Null for a new goal."""
    to_goal_id: str | None
    """Null for a dropped goal."""
    change: GoalChange
    method: str
    """How the pair was linked: manual, exact, normalised, position+lemma, fuzzy, position+numbers+roles,
    bridge:<method>; `none` for new and dropped goals."""
    score: float
    """Evidence strength in [0, 1] of the method; for new/dropped goals the best rejected candidate's score."""
    candidate_goal_id: str | None = None
    """For new/dropped goals: the best candidate that stayed below the threshold (never linked)."""
    via_document_id: str | None = None
    """For bridge links: the document the link was composed through (the same-language later edition)."""
    changed_fields: list[str] = Field(default_factory=list)
    """Which parts differ: strategic_goal, central_goal, area_goal, actions, targets, responsible."""
    target_field: str | None = None
    old_value: float | None = None
    new_value: float | None = None
    old_deadline_year: int | None = None
    new_deadline_year: int | None = None
    old_target: str | None = None
    new_target: str | None = None
    old_responsible: list[str] = Field(default_factory=list)
    new_responsible: list[str] = Field(default_factory=list)
    note: str = ""


class UnitLink(BaseModel):
    """One decision of the unit linking: a linked pair of units, or a unit marked new or dropped."""

    organisation_key: str
    comparison: Comparison
    from_document_id: str
    to_document_id: str
    from_edition: int | None
    to_edition: int | None
    from_unit_id: str | None
    to_unit_id: str | None
    from_unit_name: str | None
    to_unit_name: str | None
    level: str
    unit_key: str
    """Language-neutral key of the unit across editions (also used by finance_series)."""
    change: UnitChange
    method: str
    """manual, name, organisation (the central or board itself), evidence (responsible/position/content),
    bridge:<method>; `none` for new and dropped units."""
    score: float
    evidence: list[str] = Field(default_factory=list)
    """The evidence that agreed: responsible, position, content, name."""
    from_responsible_role_key: str | None = None
    to_responsible_role_key: str | None = None
    note: str = ""


class FinanceSeriesPoint(BaseModel):
    """One printed figure of an organisation's finance line for one year and kind, in one edition."""

    organisation_key: str
    unit_key: str
    unit_name: str | None
    line_key: str
    """The finance-lines lexicon key; `label:<normalised label>` when the label is not in the lexicon."""
    line_label: str
    year: int | None
    figure_kind: str
    amount: float
    edition: int | None
    """The edition that printed the figure (its plan_start_year)."""
    edition_budget_year: int | None
    years_from_edition: int | None
    """year - edition_budget_year: negative for actuals and past budgets, 0 for the budget year, +2 for a
    plan year printed two years ahead."""
    latest: bool
    """True on the most recent edition's figure of this (organisation, unit, line, year, kind)."""
    document_id: str
    language: str | None
    column_label: str
    is_memo: bool
    page: int | None = None
    line: int | None = None
    entity_scope: str | None = None
    """Whose figure it is, as finance.entity_scope: 'city', 'group', 'subsidiary', 'segment' or 'peer'."""
    also_printed_in: list[str] = Field(default_factory=list)
    """Other documents of the same edition (language versions, other formats) printing the same amount."""
    differs_in: list[str] = Field(default_factory=list)
    """Other documents of the same edition printing a different amount for the same figure."""
    unit: str | None = None
    """As in `finance`: EUR, SEK, percent, ..."""
    multiplier: int | None = None
    value: float | None = None
    """amount × multiplier in the base unit: comparable across editions printed at different scales."""
    sign_convention: str | None = None
    """As in `finance`: how the printing table prints its costs (`costs_negative`, `costs_positive`, `mixed`)."""
