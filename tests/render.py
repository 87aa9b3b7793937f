"""Render a plan text export to PDF with layout variations (font, orientation, ruling, size) for tests.

The plan text format: non-empty lines are paragraphs or headings, '- ' and '1. ' lines are list items,
TAB-separated lines are table rows (blank lines between rows are page breaks of the original; the table
continues), '<i>...</i>' marks italic cells. A table whose body cells are all amounts (past the label
column) is a finance table: amounts are right-aligned and never wrap. In other tables a row with only
its first cell filled is a merged row spanning all columns (a strategic goal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape as landscape_size
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BUILTIN_FAMILIES = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "Times-Roman": ("Times-Roman", "Times-Bold", "Times-Italic"),
    "Courier": ("Courier", "Courier-Bold", "Courier-Oblique"),
}
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
NUMBER = re.compile(r"^[-\u2212]?\d{1,3}(?: \d{3})*(?:,\d+)?$")
LIST_ITEM = re.compile(r"^(?:- |\d{1,2}\. )")
THEME = re.compile(r"^\d{1,2}\.\s+(?P<title>\S.*)$")
ITALIC = re.compile(r"</?i>")
CELL_PAD = 4


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str


def resolve_fonts(font: str) -> Fonts:
    """A built-in family, or a TrueType family found on this machine; Helvetica when neither exists."""
    if font in BUILTIN_FAMILIES:
        return Fonts(*BUILTIN_FAMILIES[font])
    files = []
    for suffix in ("", "-Bold", "-Oblique"):
        alternatives = [f"{font}{suffix}.ttf"] + ([f"{font}-Italic.ttf"] if suffix == "-Oblique" else [])
        found = next((p for d in FONT_DIRS if d.is_dir() for name in alternatives for p in d.rglob(name)), None)
        if found is None:
            return Fonts(*BUILTIN_FAMILIES["Helvetica"])
        files.append(found)
    names = (font, f"{font}-Bold", f"{font}-Oblique")
    for name, path in zip(names, files, strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    return Fonts(*names)


def is_theme_heading(text: str) -> bool:
    found = THEME.match(text)
    letters = [ch for ch in found.group("title") if ch.isalpha()] if found else []
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def read_plan_text(text: str) -> list[str | list[list[str]]]:
    """The text's items in order: a line (str) or a table (its rows as lists of raw cell texts)."""
    items: list[str | list[list[str]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if "\t" not in lines[index]:
            if lines[index].strip():
                items.append(" ".join(lines[index].split()))
            index += 1
            continue
        rows: list[list[str]] = []
        while index < len(lines):
            if "\t" in lines[index]:
                rows.append(lines[index].split("\t"))
            elif lines[index].strip() or "\t" not in next((ln for ln in lines[index:] if ln.strip()), ""):
                break  # a blank line inside a table is a page break of the original: the table goes on
            index += 1
        items.append(rows)
    return items


class Renderer:
    def __init__(self, fonts: Fonts, font_size: float, width: float) -> None:
        self.fonts, self.size, self.width = fonts, font_size, width
        # reportlab writes '•' in the built-in fonts as code 127, which has no Unicode mapping in pdfminer
        self.bullet = "\u2013" if fonts.regular in pdfmetrics.standardFonts else "\u2022"
        body = font_size + 1
        self.body = ParagraphStyle("body", fontName=fonts.regular, fontSize=body, leading=body * 1.25,
                                   spaceAfter=body * 0.6)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=fonts.bold, spaceBefore=body * 0.6)
        self.theme = ParagraphStyle("theme", parent=self.heading, fontSize=font_size + 4,
                                    leading=(font_size + 4) * 1.25, spaceBefore=body)
        self.title = ParagraphStyle("title", parent=self.theme, fontSize=font_size + 5, leading=(font_size + 5) * 1.25)
        self.item = ParagraphStyle("item", parent=self.body, leftIndent=body * 1.6, bulletIndent=0, spaceAfter=2,
                                   bulletFontName=fonts.regular)
        self.cell = ParagraphStyle("cell", fontName=fonts.regular, fontSize=font_size, leading=font_size * 1.2)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)

    def line(self, text: str, first: bool) -> list[Flowable]:
        """A paragraph, list item or heading; a heading starts a new page when few lines are left under it
        (keep-with-next as word processors do it: with the first lines of what follows, not all of it)."""
        if LIST_ITEM.match(text) and not is_theme_heading(text):
            marker, rest = text.split(" ", 1)
            return [Paragraph(escape(rest), self.item, bulletText=self.bullet if marker == "-" else marker)]
        if len(text) > 160 or text.endswith((".", "!", "?")):
            return [Paragraph(escape(text), self.body)]
        style = self.title if first else self.theme if is_theme_heading(text) else self.heading
        return [CondPageBreak(6 * self.body.leading), Paragraph(escape(text), style)]

    def table(self, rows: list[list[str]], ruled: bool, repeat_header: bool = True) -> Table:
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        values = [[ITALIC.sub("", c).strip() for c in r] for r in rows]
        numeric = all(not v or NUMBER.match(v) for r in values[1:] for v in r[1:]) and \
            any(v for r in values[1:] for v in r[1:])
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), self.size)]
        for side in ("LEFT", "RIGHT", "TOP", "BOTTOM"):
            style.append((f"{side}PADDING", (0, 0), (-1, -1), CELL_PAD if side in ("LEFT", "RIGHT") else 2))
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        data = []
        for r, (raw_row, row) in enumerate(zip(rows, values, strict=True)):
            spanning = not numeric and r > 0 and bool(row[0]) and not any(row[1:])
            out: list[object] = []
            for c, (raw, text) in enumerate(zip(raw_row, row, strict=True)):
                font = self.fonts.bold if r == 0 or spanning else \
                    self.fonts.italic if "<i>" in raw else self.fonts.regular
                if numeric and r > 0 and c > 0:
                    out.append(text)  # amounts never wrap
                    style += [("FONTNAME", (c, r), (c, r), font), ("ALIGN", (c, r), (c, r), "RIGHT")]
                else:
                    cell_style = self.cell_right if numeric and c > 0 else self.cell
                    out.append(Paragraph(f'<font name="{font}">{escape(text)}</font>', cell_style) if text else "")
            if spanning:
                style.append(("SPAN", (0, r), (-1, r)))
            data.append(out)
        return Table(data, colWidths=self.widths(values, numeric), repeatRows=int(repeat_header), splitByRow=0,
                     splitInRow=1,
                     style=TableStyle(style), hAlign="LEFT")

    def widths(self, values: list[list[str]], numeric: bool) -> list[float]:
        """Equal columns; in a finance table amounts always fit their column, and the heading words too
        as long as the labels keep a quarter of the width (else a heading word breaks, as in Word)."""
        count = len(values[0])
        if not numeric or count < 2:
            return [self.width / count] * count
        amounts = self.need([v for r in values[1:] for v in r[1:]])
        words = self.need([w for v in values[0][1:] for w in v.split()])
        share = max(amounts, min(words, 0.75 * self.width / (count - 1)), 0.6 * self.width / (count - 1))
        return [self.width - share * (count - 1)] + [share] * (count - 1)

    def need(self, texts: list[str]) -> float:
        widest = max((pdfmetrics.stringWidth(t, self.fonts.bold, self.size) for t in texts), default=0)
        return widest + 2 * CELL_PAD + 2


def render_plan_pdf(text_path: Path, pdf_path: Path, *, font: str = "DejaVuSans", landscape: bool = False,
                    ruled: bool = True, running_header: str | None = None, page_numbers: bool = True,
                    font_size: float = 9, repeat_header: bool = True) -> Path:
    """Render the plan text at text_path to an A4 PDF at pdf_path and return pdf_path.

    repeat_header=False leaves a table continued on the next page without its header row."""
    fonts = resolve_fonts(font)
    pagesize = landscape_size(A4) if landscape else A4
    doc = SimpleDocTemplate(str(pdf_path), pagesize=pagesize, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=22 * mm, bottomMargin=20 * mm, title=Path(text_path).stem)
    renderer = Renderer(fonts, font_size, doc.width - 12)  # the page frame pads its content by 6 pt each side
    story: list[Flowable] = []
    for item in read_plan_text(Path(text_path).read_text(encoding="utf-8-sig")):
        if isinstance(item, str):
            story += renderer.line(item, first=not story)
        else:
            story += [renderer.table(item, ruled, repeat_header), Spacer(1, font_size)]

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, font_size - 1)
        if running_header:
            canvas.drawString(document.leftMargin, pagesize[1] - 12 * mm, running_header)
        if page_numbers:
            canvas.drawCentredString(pagesize[0] / 2, 10 * mm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return Path(pdf_path)
