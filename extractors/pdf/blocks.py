"""PDF block stage: text lines outside tables -> paragraphs, list items and headings."""

from __future__ import annotations

from statistics import median

from extractors.layout import block_kind, is_theme_heading, join_wrapped
from extractors.patterns import BULLET
from extractors.pdf.lines import Line
from models import BBox, Block, Provenance


def _starts_item(line: Line) -> bool:
    return bool(BULLET.match(line.text))


def median_size(sizes: list[float]) -> float:
    """The body font size (points): the median size of the words, 10 when there are none."""
    return median(sizes) if sizes else 10.0


def lines_to_blocks(lines: list[Line], base_size: float) -> list[Block]:
    groups: list[list[Line]] = []
    for line in lines:
        if groups:
            prev = groups[-1][-1]
            pitch = line.top - prev.top
            same_style = prev.bold == line.bold and abs(prev.size - line.size) < 0.15 * line.size
            if (same_style and 0 < pitch <= 1.45 * line.size and not _starts_item(line)
                    and not is_theme_heading(prev.text) and not is_theme_heading(line.text)):
                groups[-1].append(line)
                continue
        groups.append([line])
    return [_block(group, base_size) for group in groups]


def _block(group: list[Line], base_size: float) -> Block:
    text = join_wrapped([ln.text for ln in group])
    bold = all(ln.bold for ln in group)
    size = median(ln.size for ln in group)
    kind = block_kind(text)
    if kind == "paragraph" and (bold or size > 1.15 * base_size) and len(text) < 200:
        kind = "heading"
    # BBox.around the lines' boxes, rounded, measured from the lines without a BBox per line
    bbox = BBox(x0=round(min(ln.x0 for ln in group), 1), top=round(min(ln.top for ln in group), 1),
                x1=round(max(ln.x1 for ln in group), 1), bottom=round(max(ln.bottom for ln in group), 1))
    return Block(kind=kind, text=text, prov=Provenance(page=group[0].page, bbox=bbox), bold=bold,
                 italic=all(ln.italic for ln in group), font_size=round(size, 1),
                 lines=[ln.text for ln in group] if len(group) > 1 else [])
