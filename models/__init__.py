"""Typed data model of plandata: the intermediate document (IR) and the output records."""

from models.document import (
    BBox,
    Block,
    Cell,
    DocumentStatus,
    Issue,
    PageInfo,
    PlanDocument,
    Provenance,
    Table,
    TableQuality,
    TableRow,
)
from models.records import (
    DocumentRecord,
    FinanceFigure,
    Goal,
    RecordSet,
    Responsible,
    Section,
    Target,
    Unit,
    ValidationFinding,
)

__all__ = [
    "BBox",
    "Block",
    "Cell",
    "DocumentRecord",
    "DocumentStatus",
    "FinanceFigure",
    "Goal",
    "Issue",
    "PageInfo",
    "PlanDocument",
    "Provenance",
    "RecordSet",
    "Responsible",
    "Section",
    "Table",
    "TableQuality",
    "TableRow",
    "Target",
    "Unit",
    "ValidationFinding",
]
