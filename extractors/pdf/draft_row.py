"""PDF value-table rows in the making: the pieces of a body line in one cell, and a draft row of them.

A draft row holds its lines, its pieces by grid column (label columns first) and the group rows it stands
under; `extractors.pdf.rows` joins lines into draft rows and `extractors.pdf.tables` makes table rows of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.pdf.lines import Line, Segment


@dataclass
class Piece:
    line: Line
    segment: Segment


@dataclass
class DraftRow:
    lines: list[Line]
    cells: dict[int, list[Piece]] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)

    def has_values(self, labels: int) -> bool:
        return any(col >= labels for col in self.cells)

    def label_pieces(self, labels: int) -> list[Piece]:
        return [p for col in sorted(self.cells) if col < labels for p in self.cells[col]]

    def label_text(self, labels: int) -> str:
        return " ".join(p.segment.text for p in self.label_pieces(labels))

    def indent(self, labels: int) -> float:
        """Where the label starts (its leftmost piece's x0), far right when the row prints no label."""
        pieces = self.label_pieces(labels)
        return min(p.segment.x0 for p in pieces) if pieces else 1e9

    def merge(self, other: DraftRow) -> None:
        self.lines += other.lines
        for col, pieces in other.cells.items():
            self.cells.setdefault(col, []).extend(pieces)

    @property
    def bold(self) -> bool:
        return all(ln.bold for ln in self.lines)
