"""Inspect stage: page pictures of what the pipeline read, after pdfplumber's visual debugger.

Each page is rendered (pypdfium2) and drawn on (Pillow) with what the intermediate document and the
records hold for it; a page read by OCR is turned by the angle OCR straightened it by, so that the boxes
fall on the words. The legend (colours are exact RGB values, so tests and scripts can find them):

| colour | what |
|---|---|
| blue outline, 3 px (TABLE) | a table's part on the page |
| light blue outline, 1 px (CELL) | a non-empty cell |
| yellow band (LABEL) | the label column (column 0) of a finance table |
| green outline (HEADER) + green text | a header cell, with the column kind (figure kind and year, or goal field) |
| purple outline (GOAL) | a goal row |
| grey box, struck through (FURNITURE) | running header, footer or page number, left out of the content |
| red box, filled (FAILED) | a figure that takes part in a failed check (sum mismatch or low OCR confidence) |
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from extractors.findings import figure_key, flagged_figures
from extractors.goals import goal_columns
from models import BBox, PlanDocument, RecordSet, Table

TABLE = (0, 0, 255)
CELL = (120, 170, 255)
LABEL = (255, 221, 87)
HEADER = (0, 140, 0)
GOAL = (160, 0, 160)
FURNITURE = (128, 128, 128)
FAILED = (255, 0, 0)
TABLE_WIDTH = 3
DEFAULT_RESOLUTION = 100  # pixels per inch of the pictures


@dataclass(frozen=True)
class PagePicture:
    """One written picture: its page, file, size in pixels and the text summary of the page."""

    page: int
    path: Path
    size: tuple[int, int]
    summary: str
    tables: int


def parse_pages(text: str | None, count: int) -> list[int]:
    """'3,5-7' -> [3, 5, 6, 7] (1-based, within 1..count); None or '' -> every page.

    Raises ValueError naming the part that is not a page or range of this document.
    """
    if not text:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        try:
            start, end = int(first), int(last or first)
        except ValueError:
            raise ValueError(f"not a page or a range of pages: {part.strip()!r}") from None
        if not 1 <= start <= end <= count:
            raise ValueError(f"pages {part.strip()} are outside 1-{count}")
        pages.extend(p for p in range(start, end + 1) if p not in pages)
    return pages


def _box(bbox: BBox | list[float] | None, scale: float) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    x0, top, x1, bottom = (bbox.x0, bbox.top, bbox.x1, bbox.bottom) if isinstance(bbox, BBox) else bbox
    return (x0 * scale, top * scale, x1 * scale, bottom * scale)


def _table_parts(table: Table) -> dict[int, list[BBox]]:
    """The boxes of a table's header and cells, by page."""
    parts: dict[int, list[BBox]] = defaultdict(list)
    for cell in table.header + [c for row in table.rows for c in row.cells]:
        page = cell.prov.page or table.prov.page
        if cell.prov.bbox is not None and page is not None:
            parts[page].append(cell.prov.bbox)
    for row in table.rows:
        if row.prov.bbox is not None and row.prov.page is not None:
            parts[row.prov.page].append(row.prov.bbox)
    return parts


def _column_kinds(doc: PlanDocument, records: RecordSet) -> dict[tuple[str, int], str]:
    """(table_id, column) -> the kind the pipeline gave the column: figure kind and year, or goal field."""
    kinds: dict[tuple[str, int], str] = {}
    for figure in records.finance:
        kinds.setdefault((figure.table_id, figure.col_index),
                         f"{figure.figure_kind} {figure.year}" if figure.year else figure.figure_kind)
    for table in doc.tables():
        for col, field in goal_columns(table, doc.language).items():
            kinds.setdefault((table.table_id, col), field)
    return kinds


def _render(pdf: pdfium.PdfDocument, number: int, scale: float, skew: float | None) -> Image.Image:
    page = pdf[number - 1]
    try:
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        page.close()
    if skew:  # OCR straightened the scan by this angle: turn the picture alike so the boxes fall on the words
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    return image


def draw_page(image: Image.Image, number: int, doc: PlanDocument, records: RecordSet, scale: float,
              flagged: set[tuple[str, int, int]], kinds: dict[tuple[str, int], str]) -> tuple[Image.Image, int]:
    """Draw what was read on one page's picture; returns the picture and the number of table outlines."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shade = ImageDraw.Draw(overlay)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(9, int(7 * scale)))
    outlines: list[tuple[float, float, float, float]] = []
    finance_tables = {f.table_id for f in records.finance}
    for table in doc.tables():
        parts = _table_parts(table).get(number)
        if not parts:
            continue
        outline = _box(BBox.around(parts), scale)
        assert outline is not None
        outlines.append(outline)
        if table.table_id in finance_tables:
            labels = [c.prov.bbox for r in table.rows for c in r.cells
                      if c.col == 0 and c.prov.bbox is not None and (c.prov.page or r.prov.page) == number]
            if labels:
                band = _box(BBox.around(labels), scale)
                assert band is not None
                shade.rectangle((band[0], outline[1], band[2], outline[3]), fill=(*LABEL, 90))
        for cell in (c for r in table.rows for c in r.cells):
            box = _box(cell.prov.bbox, scale)
            if box and cell.text.strip() and (cell.prov.page or table.prov.page) == number:
                draw.rectangle(box, outline=CELL, width=1)
        for cell in table.header:
            box = _box(cell.prov.bbox, scale)
            if box and (cell.prov.page or table.prov.page) == number:
                draw.rectangle(box, outline=HEADER, width=2)
                kind = kinds.get((table.table_id, cell.col))
                if kind:
                    draw.text((box[0], max(box[1] - 9 * scale, 0)), kind, fill=HEADER, font=font)
    for goal in records.goals:
        box = _box(goal.bbox, scale)
        if box and goal.page == number:
            draw.rectangle(box, outline=GOAL, width=2)
    info = next((p for p in doc.pages if p.number == number), None)
    for bbox in (info.furniture_boxes if info else []):
        box = _box(bbox, scale)
        if box:
            draw.rectangle(box, outline=FURNITURE, width=1)
            middle = (box[1] + box[3]) / 2
            draw.line((box[0], middle, box[2], middle), fill=FURNITURE, width=2)
    for figure in records.finance:
        box = _box(figure.bbox, scale)
        if box and figure.page == number and figure_key(figure) in flagged:
            shade.rectangle(box, fill=(*FAILED, 70))
            draw.rectangle(box, outline=FAILED, width=2)
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    for outline in outlines:  # last, so that no shading changes their colour
        draw.rectangle(outline, outline=TABLE, width=TABLE_WIDTH)
    return image, len(outlines)


def page_summary(number: int, doc: PlanDocument, records: RecordSet, flagged: dict[tuple[str, int, int], list[str]]
                 ) -> str:
    """A few lines saying what the pipeline read on the page."""
    info = next((p for p in doc.pages if p.number == number), None)
    lines = [f"page {number}" + (f" (read by OCR, mean word confidence {info.confidence}, straightened by "
                                 f"{info.skew_degrees or 0:.2f}°)" if info and info.source == "ocr" else "")]
    finance_tables = {f.table_id for f in records.finance}
    for table in doc.tables():
        if number in _table_parts(table):
            kind = "finance" if table.table_id in finance_tables else "goal" if goal_columns(table, doc.language) \
                else "other"
            lines.append(f"  table {table.table_id} ({kind}): {table.n_cols} columns, {len(table.rows)} rows on "
                         f"pages {', '.join(map(str, table.quality.pages))}; header: "
                         f"{' | '.join(c.text for c in table.header)}")
    figures = [f for f in records.finance if f.page == number]
    failed = [f for f in figures if figure_key(f) in flagged]
    goals = [g for g in records.goals if g.page == number]
    lines.append(f"  {len(figures)} figures, {len(failed)} in failed checks; {len(goals)} goal rows")
    for figure in failed:
        lines.append(f"  FAILED {figure.line_label!r} {figure.column_label!r} = {figure.printed or figure.amount} "
                     f"({', '.join(sorted(set(flagged[figure_key(figure)])))})")
    if info and info.furniture:
        lines.append(f"  furniture left out: {'; '.join(repr(t) for t in info.furniture)}")
    issues = [i for i in doc.issues if i.page == number and i.severity != "info"]
    lines += [f"  issue {i.code}: {i.message}" for i in issues]
    return "\n".join(lines)


def draw_pages(pdf_path: Path, doc: PlanDocument, records: RecordSet, pages: list[int], out_dir: Path,
               resolution: int = DEFAULT_RESOLUTION) -> list[PagePicture]:
    """Write out_dir/page-NNN.png and page-NNN.txt for the given 1-based pages; returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    scale = resolution / 72
    flagged = flagged_figures(records.finance, records.validation)
    kinds = _column_kinds(doc, records)
    pictures: list[PagePicture] = []
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        for number in pages:
            info = next((p for p in doc.pages if p.number == number), None)
            image = _render(pdf, number, scale, info.skew_degrees if info else None)
            image, tables = draw_page(image, number, doc, records, scale, set(flagged), kinds)
            path = out_dir / f"page-{number:03d}.png"
            image.save(path)
            summary = page_summary(number, doc, records, flagged)
            path.with_suffix(".txt").write_text(summary + "\n", encoding="utf-8")
            pictures.append(PagePicture(number, path, image.size, summary, tables))
    finally:
        pdf.close()
    return pictures
