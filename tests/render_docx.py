"""Test utility: render a plan text export as a Word document (python-docx), for LibreOffice to turn
into PDF the way the reference PDF was made (python-docx + LibreOffice Writer).

Variants change the font, orientation, table borders and whether table headers repeat on each page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ITALIC = re.compile(r"</?i>")
THEME = re.compile(r"^\d+\. [A-ZÅÄÖ ]+$")


@dataclass(frozen=True)
class Variant:
    font: str = "DejaVu Sans"
    landscape: bool = False
    borders: bool = True
    repeat_header: bool = True
    size: float = 9


def _page_number(paragraph) -> None:  # noqa: ANN001 - python-docx paragraph
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.text = text
        run._r.append(element)


def _table_rows(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    index = start
    while index < len(lines):
        if "\t" in lines[index]:
            rows.append(lines[index].split("\t"))
        elif not (not lines[index].strip() and index + 1 < len(lines) and "\t" in lines[index + 1]):
            break
        index += 1
    return rows, index


def _add_table(document, rows: list[list[str]], variant: Variant) -> None:  # noqa: ANN001
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    if variant.borders:
        table.style = "Table Grid"
    finance = rows[0][0] == ""
    for r, cells in enumerate(rows):
        cells = cells + [""] * (width - len(cells))
        filled = [c for c in cells if c.strip()]
        if not finance and r > 0 and len(filled) == 1 and cells[0].strip():
            merged = table.rows[r].cells[0].merge(table.rows[r].cells[-1])
            merged.paragraphs[0].add_run(ITALIC.sub("", cells[0])).bold = True
            continue
        for c, text in enumerate(cells):
            paragraph = table.rows[r].cells[c].paragraphs[0]
            run = paragraph.add_run(ITALIC.sub("", text))
            run.bold = r == 0
            run.italic = "<i>" in text
            if finance and c > 0 and r > 0:
                paragraph.alignment = 2  # right
    if variant.repeat_header:
        header = table.rows[0]._tr.get_or_add_trPr()
        element = OxmlElement("w:tblHeader")
        element.set(qn("w:val"), "true")
        header.append(element)


def render_plan_docx(text_path: Path, docx_path: Path, variant: Variant, running_header: str) -> Path:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = variant.font, Pt(variant.size)
    section = document.sections[0]
    if variant.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.header.paragraphs[0].text = running_header
    _page_number(section.footer.paragraphs[0])
    lines = Path(text_path).read_text(encoding="utf-8-sig").splitlines()
    index, first = 0, True
    while index < len(lines):
        if "\t" in lines[index]:
            rows, index = _table_rows(lines, index)
            _add_table(document, rows, variant)
            document.add_paragraph()
            continue
        text = lines[index].strip()
        index += 1
        if not text:
            continue
        if text.startswith("- "):
            document.add_paragraph(text[2:], style="List Bullet")
        elif THEME.match(text) or (len(text) < 160 and not text.endswith(".")):
            run = document.add_paragraph().add_run(text)
            run.bold = True
            run.font.size = Pt(variant.size + (4 if THEME.match(text) else 3 if first else 1))
        else:
            document.add_paragraph(text)
        first = False
    document.save(docx_path)
    return Path(docx_path)
