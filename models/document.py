"""The intermediate document (IR): one typed model for every source format, provenance on every item."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from models.base import Model

SCHEMA_VERSION = 1


class BBox(Model):
    """A box in PDF points, origin top-left (pdfplumber's convention)."""

    model_config = ConfigDict(frozen=True)

    x0: float
    top: float
    x1: float
    bottom: float

    @classmethod
    def around(cls, boxes: list[BBox]) -> BBox:
        return cls(
            x0=min(b.x0 for b in boxes),
            top=min(b.top for b in boxes),
            x1=max(b.x1 for b in boxes),
            bottom=max(b.bottom for b in boxes),
        )

    def rounded(self, ndigits: int = 1) -> BBox:
        return BBox(
            x0=round(self.x0, ndigits),
            top=round(self.top, ndigits),
            x1=round(self.x1, ndigits),
            bottom=round(self.bottom, ndigits),
        )


class Provenance(Model):
    """Where an item came from: a PDF page (1-based) and box, or a text line (1-based)."""

    model_config = ConfigDict(frozen=True)

    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None


class DocumentStatus(StrEnum):
    ok = "ok"
    partial = "partial"
    failed = "failed"


class Issue(Model):
    """Something a stage could not understand; stages record issues instead of raising."""

    code: str
    stage: str
    message: str
    severity: Literal["info", "warning", "error"] = "warning"
    page: int | None = None


TextSource = Literal["text", "ocr"]
"""Where text came from: the PDF's text layer (or a text export), or optical character recognition."""


class Cell(Model):
    text: str
    col: int
    prov: Provenance = Field(default_factory=Provenance)
    italic: bool = False
    bold: bool = False
    span_cols: int = 1
    """Grid columns the cell covers from `col` (a merged cell of a ruled grid covers several)."""
    span_rows: int = 1
    """Rows the cell covers from its own (a ruled cell beside several rows, such as one status mark shared
    by two indicators)."""
    fill: str | None = None
    """The cell's background colour ('#rrggbb') when it is shaded (heading cells often are)."""
    lines: list[str] = Field(default_factory=list)
    """The text line by line as printed, when it wrapped over lines (readers re-join it with evidence)."""
    paragraph_starts: list[int] = Field(default_factory=list)
    """Indices into `lines` of the lines that open a new paragraph after a blank line, or a new item after a
    line ended by hand (a ruled cell holding several paragraphs or items, such as several goals in one goal
    cell); [] for a cell of one paragraph."""
    source: TextSource = "text"
    confidence: float | None = None
    """OCR only: the lowest word confidence of the cell (Tesseract, 0-100); None when unknown."""
    path: list[str] = Field(default_factory=list)
    """Header cells: the headings over this column, outer to inner ('Period', 'Utfall'); text joins them."""


class TableRow(Model):
    cells: list[Cell]
    prov: Provenance = Field(default_factory=Provenance)
    italic: bool = False
    bold: bool = False
    spanning: bool = False
    """The row's text spans the whole table (a merged row such as a strategic goal)."""
    path: list[str] = Field(default_factory=list)
    """The group rows and outer label cells this row stands under, outer to inner ('Toimintatulot');
    the row's own label cells are not in it."""

    def text(self, col: int) -> str:
        for cell in self.cells:
            if cell.col == col:
                return cell.text
        return ""


class TableQuality(Model):
    """Per-table quality record (after camelot's parsing report)."""

    columns: int
    rows: int
    fill_ratio: float
    """Share of non-empty body cells."""
    ruled: bool = False
    pages: list[int] = Field(default_factory=list)
    continued: bool = False
    """The table was stitched from parts on several pages."""
    header_rows: int = 0
    """Heading rows over the columns: a grouped heading adds a row, a heading wrapped over lines is one."""
    unparsed_cells: int = 0
    """Cells of value columns (columns holding numbers) whose text is not a number ('Ej aktuellt')."""
    arithmetic_ok: bool | None = None
    """Whether the table's arithmetic checks passed; None when no check applied (validation fills it)."""


TableKind = Literal["finance", "goals", "other"]
SignConvention = Literal["costs_negative", "costs_positive", "mixed"]


class Table(Model):
    """A grid of cells: header cells per column (with their heading path) and body rows.

    The PDF and text stages find tables from layout alone; readers (finance, goals) decide what a table
    holds and set `kind`; a table no reader claims stays `other`.
    """

    type: Literal["table"] = "table"
    table_id: str
    header: list[Cell]
    rows: list[TableRow]
    prov: Provenance = Field(default_factory=Provenance)
    quality: TableQuality
    label_columns: int = 1
    """How many leading columns hold row labels (codes, group labels, labels); the rest hold values."""
    attribute_columns: list[int] = Field(default_factory=list)
    """Label columns that hold an attribute of the row, not its label (a priority, status, project or
    cost-centre code, a binding-level flag): set by the finance reader, kept out of the line label."""
    row_type_columns: list[int] = Field(default_factory=list)
    """Label columns that hold the row's type ('menot' / 'tulot' / 'netto'): set by the finance reader;
    the type follows the label in the line path ('97001 Yläkoulu / menot')."""
    note_rows: int = 0
    """Rows at the table's end that are notes under it, not rows of its columns ('Säästötavoite -1 759 900'
    under a budget table): set by the finance reader; their cells stand under no column heading."""
    kind: TableKind = "other"
    sign_convention: SignConvention | None = None
    """Finance tables: how costs are printed, judged from the lines the lexicon knows."""

    @property
    def n_cols(self) -> int:
        return len(self.header)


BlockKind = Literal["heading", "paragraph", "list_item", "title"]


class Block(Model):
    type: Literal["block"] = "block"
    kind: BlockKind
    text: str
    prov: Provenance = Field(default_factory=Provenance)
    bold: bool = False
    italic: bool = False
    font_size: float | None = None
    lines: list[str] = Field(default_factory=list)
    """The text line by line as printed, when it wrapped over lines (readers that need the printed lines,
    such as 'indicator: target' lists, split on them); empty for a one-line block."""
    source: TextSource = "text"
    confidence: float | None = None
    """OCR only: the mean word confidence of the block (Tesseract, 0-100); None when unknown."""


Item = Annotated[Block | Table, Field(discriminator="type")]


class Mark(Model):
    """A small coloured mark drawn on a page with no text over it: a dot, an icon or a bar (status marks).

    `colour` is the fill ('#rrggbb'): for an image, its most common strongly coloured pixel colour, else its
    most common opaque one. `kind` is how it is drawn: round, rect, path (vector), image, or glyph (a
    symbol font's character set as a mark, such as Wingdings 'l'). `share` is,
    for an image drawn as a bar (three times wider than high), the share of its length painted in
    `colour` (0-1); null otherwise.
    """

    model_config = ConfigDict(frozen=True)

    bbox: BBox
    colour: str
    kind: Literal["round", "rect", "path", "image", "glyph"]
    share: float | None = None


class PageInfo(Model):
    number: int
    width: float | None = None
    height: float | None = None
    furniture: list[str] = Field(default_factory=list)
    """Running headers, footers and page numbers recognised on this page."""
    has_text: bool = True
    marks: list[Mark] = Field(default_factory=list)
    """Small coloured marks (dots, icons, bars) in reading order, where status marks are."""
    source: TextSource = "text"
    """'ocr' when the page's words were read by OCR (or come from an invisible OCR layer over a scan)."""
    confidence: float | None = None
    """OCR only: the mean word confidence of the page (Tesseract, 0-100)."""
    skew_degrees: float | None = None
    """OCR only: the scan was straightened by turning it this many degrees counter-clockwise (as Pillow's
    Image.rotate does); boxes on the page are in that straightened frame."""
    furniture_boxes: list[BBox] = Field(default_factory=list)
    """Boxes of the furniture lines, in the order of `furniture`."""


class PlanDocument(Model):
    """One source document as an ordered list of blocks and tables, with provenance and status."""

    schema_version: int = SCHEMA_VERSION
    document_id: str
    source_path: str
    source_format: Literal["pdf", "text"]
    title: str | None = None
    language: Literal["sv", "fi"] | None = None
    pages: list[PageInfo] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    status: DocumentStatus = DocumentStatus.ok
    message: str = ""

    def blocks(self) -> list[Block]:
        return [i for i in self.items if isinstance(i, Block)]

    def tables(self) -> list[Table]:
        return [i for i in self.items if isinstance(i, Table)]

    def add_issue(self, code: str, stage: str, message: str, *, severity: str = "warning",
                  page: int | None = None) -> None:
        self.issues.append(Issue(code=code, stage=stage, message=message, severity=severity, page=page))
