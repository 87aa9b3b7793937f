"""Output records: the rows of the public datasets (see output/README.md for the data dictionary)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from models.base import Model

TextSource = Literal["text", "ocr"]
"""Where text came from: a text layer (or a text export), or optical character recognition."""
FigureKind = Literal[
    "actual", "budget", "budget_original", "budget_change", "budget_amended", "proposal", "plan", "frame",
    "forecast", "difference", "percent_change", "realisation_percent", "share", "total", "cumulative", "count", "other",
]
"""What a finance column holds (output/README.md, finance.figure_kind; extractors/lexicons/*/columns.yml)."""
UnitLevel = Literal["central", "area", "committee", "city", "department", "service_centre", "result_area",
                    "subsidiary", "segment"]
EntityScope = Literal["city", "group", "subsidiary", "segment", "peer"]
Severity = Literal["info", "warning", "error"]
GoalStatus = Literal["achieved", "partly", "not_achieved", "not_assessed"]
TargetField = Literal["strategic_goal", "central_goal", "area_goal", "goal", "target"]


class DocumentRecord(Model):
    document_id: str
    source_path: str
    source_format: str
    title: str | None = None
    municipality: str | None = None
    country: str | None = None
    """ISO 3166 country code of the municipality (FI, SE), null when nothing says."""
    organisation: str | None = None
    """The board the whole document belongs to (board minutes, a committee's report), as printed."""
    language: str | None = None
    budget_year: int | None = None
    plan_start_year: int | None = None
    plan_end_year: int | None = None
    pages: int | None = None
    status: Literal["ok", "partial", "failed"]
    message: str = ""
    pipeline_version: str = ""
    issues: int = 0
    figures_checked: int | None = None
    """Money figures that took part in at least one arithmetic check (as a total or a component)."""
    figures_passed: int | None = None
    """Money figures whose every arithmetic check held within rounding."""
    checked_share: float | None = None
    """figures_passed / money figures (percent and count figures are not money); None without money figures."""
    ocr_pages: int = 0
    """Pages whose words were read by OCR (or taken from an invisible OCR layer)."""


class Unit(Model):
    document_id: str
    unit_id: str
    name: str
    level: UnitLevel
    parent_unit_id: str | None = None
    responsible_title: str | None = None
    """The responsible person's title as printed ('stadsdirektören'), without a name printed beside it."""
    responsible_raw: str | None = None
    """Who is responsible, as printed, names and e-mail addresses included: a label's value ('Förvaltningschef:
    Gunilla Lewerentz') or a sentence's ('sivistysjohtaja' in 'Valtuustoon nähden tilivelvollinen viranhaltija on
    sivistysjohtaja'); the title and role are read from it."""
    responsible_role: str | None = None
    """The same title in its base form ('stadsdirektör'), normalised like goal responsibles."""
    responsible_role_key: str | None = None
    page: int | None = None
    line: int | None = None


class Section(Model):
    document_id: str
    unit_name: str | None
    kind: str
    heading: str
    text: str
    items: list[str] = Field(default_factory=list)
    text_raw: str = ""
    """The text as extracted, before broken words were repaired."""
    items_raw: list[str] = Field(default_factory=list)
    page: int | None = None
    line: int | None = None


class Goal(Model):
    document_id: str
    unit_name: str | None
    goal_id: str
    theme_number: int | None
    theme_title: str | None
    strategic_goal: str | None
    central_goal: str | None
    area_goal: str | None
    actions: str | None
    responsible_raw: str | None
    responsible: list[str] = Field(default_factory=list)
    """Role titles in base form, one per office or body named ('stadsdirektör', 'centralens chefer')."""
    strategic_goal_raw: str | None = None
    central_goal_raw: str | None = None
    area_goal_raw: str | None = None
    actions_raw: str | None = None
    page: int | None = None
    line: int | None = None
    bbox: list[float] | None = None
    row_index: int = 0
    level: str | None = None
    """Neutral key of the goal's level from the goal-levels lexicon: strategic, council, board, committee,
    operational, financial, unit, activity, assignment."""
    level_label: str | None = None
    """The level as printed ('Talousarviotavoite', 'Nämndmål', 'Aktivitet', 'sitova toiminnallinen tavoite')."""
    parent_goal_id: str | None = None
    """The goal row this one stands under (an activity under its committee goal), when it is a row of the
    same document."""
    goal: str | None = None
    """The goal's own text (repaired); for a four-column goal table its most specific goal cell."""
    goal_raw: str | None = None
    indicator: str | None = None
    """What is measured (mittari, mätare, nyckeltal, indikator) as printed; one row per indicator."""
    indicator_index: int | None = None
    """1-based position of the indicator among its goal's indicators. Rows of one goal share every goal
    field; their ids are `g<n>` for the first and `g<n>.<i>` for the i-th."""
    indicator_shared_by: int | None = None
    """How many goals the printed indicator row belongs to: 1 for a goal's own indicator; n when several
    goals (of one goal cell, or goal rows over one 'Mittari/mittarit' block) share one printed block whose
    indicators do not pair with them: then the row is one per printed indicator and `goal` holds the n
    goals, one line each, in printed order. Null for a goal row without indicator."""
    indicator_page: int | None = None
    """Page of the indicator's row (1-based) when it has one: the goal's `page` and `bbox` are where the goal
    text is printed, which may be the page before its indicator rows."""
    indicator_bbox: list[float] | None = None
    """Box of the indicator's row (x0, top, x1, bottom in points), when known."""
    baseline: str | None = None
    """The starting value as printed, with its year when printed ('4 970 (TP2022)')."""
    target: str | None = None
    """The target value or level as printed ('70–100 %', 'Enint. 2,0 %:n vuotuinen kasvu')."""
    outcome: str | None = None
    """What was achieved as printed: the indicator's outcome value (toteuma-arvo, utfall) or, without one,
    the follow-up paragraph (toteutuminen, kommentar)."""
    comment: str | None = None
    """The goal's other printed remarks: its follow-up paragraph (tilannekuvaus) when its indicator rows print
    outcome values of their own, and remarks such as risks (merkittävimmät riskit, risker)."""
    status: GoalStatus | None = None
    status_raw: str | None = None
    """The assessment as printed: a word or digit, and the colour of a mark drawn on the page
    ('mark:green'), space-separated."""
    progress: float | None = None
    """Degree of completion in percent (färdiggrad), printed or measured from a drawn bar."""
    schedule: str | None = None
    """The timetable as printed (aikataulu, tidplan)."""
    section: list[str] = Field(default_factory=list)
    """The headings above the goal, outer to inner."""
    source: TextSource = "text"
    """'ocr' when the row was read by OCR."""
    confidence: float | None = None
    """OCR only: the lowest confidence among the row's cells (Tesseract, 0-100)."""


class FinanceFigure(Model):
    document_id: str
    unit_name: str | None
    table_id: str
    line_label: str
    line_key: str | None
    parent_line_key: str | None = None
    """The line this line adds into in the chart (extractors/lexicons/finance_chart.yml): Palkat ja
    palkkiot (wages_and_salaries) -> personnel_costs -> operating_costs -> operating_margin."""
    is_memo: bool
    column_label: str
    year: int | None
    figure_kind: FigureKind
    amount: float
    """The number exactly as printed (sign applied, decimals kept, never rounded), in the table's unit."""
    page: int | None = None
    line: int | None = None
    bbox: list[float] | None = None
    row_index: int = 0
    col_index: int = 0
    unit: str | None = None
    """What the figure counts: 'EUR', 'SEK', 'percent', 'count', ... (see the scales lexicon)."""
    multiplier: int | None = 1
    """The table's printed scale: 1, 1000 ('1 000 €', 'tkr') or 1000000 ('milj. €', 'mnkr')."""
    value: float | None = None
    """amount × multiplier, in the base unit (euros, kronor); None for percentages."""
    printed: str = ""
    """The cell's text as printed (with its separators, sign form and marker)."""
    note_marker: str | None = None
    """A footnote marker printed next to the figure ('*', '1)'), not part of the number."""
    sign_convention: str | None = None
    """How the figure's table prints costs: costs_negative, costs_positive or mixed (null: unknown)."""
    source: TextSource = "text"
    """'ocr' when the figure was read by OCR."""
    confidence: float | None = None
    """OCR only: the lowest word confidence of the figure's cell (Tesseract, 0-100)."""
    line_path: str | None = None
    """The row's label under its group rows, outer to inner ('Toimintatulot / Alkuperäinen')."""
    entity_scope: EntityScope | None = None
    """Whose figure it is: 'city' (the municipality's own accounts), 'group' (the municipal group: a group
    statement, a 'Konserni 2024' column), 'subsidiary' (a company of the group, on its own pages), 'segment' (a
    business unit of the city with separate statements of its own, under 'Eriytetyt laskelmat') or 'peer' (another
    municipality's row, or their average, in a table comparing the municipality with others: extractors.peers)."""


class TableCell(Model):
    """One cell of a table the PDF or text stage found, whatever the table holds."""

    document_id: str
    table_id: str
    table_kind: Literal["finance", "goals", "other"]
    page: int | None
    row: int
    """0-based body row within the table (header cells are in header_path, not rows)."""
    column: int
    """0-based column; columns below `label_columns` of the table hold row labels."""
    is_label: bool
    header_path: list[str] = Field(default_factory=list)
    """The headings over the cell's column, outer to inner."""
    row_path: list[str] = Field(default_factory=list)
    """The group rows and label cells the cell stands under, outer to inner, ending with its row's label."""
    text: str
    number: float | None = None
    unit: str | None = None
    multiplier: float | None = None
    line: int | None = None
    bbox: list[float] | None = None


class TableQualityRecord(Model):
    """One table's parsing report (after camelot's): its size, emptiness, what could not be read."""

    document_id: str
    table_id: str
    table_kind: Literal["finance", "goals", "other"]
    unit_name: str | None = None
    page: int | None = None
    pages: list[int] = Field(default_factory=list)
    rows: int
    columns: int
    label_columns: int
    header_rows: int
    empty_share: float
    unparsed_cells: int
    continued: bool
    ruled: bool
    sign_convention: str | None = None
    arithmetic_ok: bool | None = None
    line: int | None = None


class Responsible(Model):
    document_id: str
    unit_name: str | None
    role: str
    role_key: str | None
    goal_count: int
    goal_ids: list[str] = Field(default_factory=list)


class Target(Model):
    document_id: str
    goal_id: str
    field: TargetField
    metric: str | None
    comparator: str | None
    value: float | None
    unit: str | None
    deadline_year: int | None
    text: str
    page: int | None = None
    line: int | None = None
    value_max: float | None = None
    """Upper end of a range ('70–100 %'); value is its lower end."""


class IssueRecord(Model):
    """Something a stage did not understand, with where it was found."""

    document_id: str
    stage: str
    code: str
    severity: Severity
    message: str
    page: int | None = None


class ValidationFinding(Model):
    document_id: str
    unit_name: str | None
    check: str
    column_label: str | None
    expected: float | None
    actual: float | None
    difference: float | None
    severity: Severity
    message: str
    page: int | None = None
    table_id: str | None = None
    """The table whose total was checked, or the table of the one figure the finding is about."""
    tolerance: float | None = None
    """The largest difference rounding can explain: half a unit of the printed precision per figure."""
    row_index: int | None = None
    """When the finding is about one figure (`ocr_confidence`): the figure's row and column in its table."""
    col_index: int | None = None


class RecordSet(Model):
    """All records one document contributes to the datasets."""

    document: DocumentRecord
    units: list[Unit] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    finance: list[FinanceFigure] = Field(default_factory=list)
    validation: list[ValidationFinding] = Field(default_factory=list)
    responsibles: list[Responsible] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    issues: list[IssueRecord] = Field(default_factory=list)
    tables: list[TableCell] = Field(default_factory=list)
    table_quality: list[TableQualityRecord] = Field(default_factory=list)

    def datasets(self) -> dict[str, list[BaseModel]]:
        return {
            "documents": [self.document],
            "units": list(self.units),
            "sections": list(self.sections),
            "goals": list(self.goals),
            "finance": list(self.finance),
            "validation": list(self.validation),
            "responsibles": list(self.responsibles),
            "targets": list(self.targets),
            "issues": list(self.issues),
            "tables": list(self.tables),
            "table_quality": list(self.table_quality),
        }
