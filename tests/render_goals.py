"""Render goal follow-up pages as a municipality in Sweden prints them, for the goal-reader tests.

One page: a committee heading, a ruled goal table laid out as stacked blocks ('Nämndmål | Kommentar',
then 'Mätare | Utgångsläge | Målvärde | Utfall' with a drawn status dot per row; two indicators in one
ruled row, a blank line apart, sharing one dot; placeholders), and a ruled two-column assignment table
('Uppdrag | Kommentar') under a shaded heading row.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

GREEN, RED, GREY = colors.HexColor("#00b050"), colors.HexColor("#ff0000"), colors.HexColor("#a6a6a6")
SHADING = colors.HexColor("#8db3e2")


def _dot(colour: colors.Color) -> Drawing:
    drawing = Drawing(10, 10)
    drawing.add(Circle(5, 5, 4.5, fillColor=colour, strokeColor=colour))
    return drawing


def render_goal_follow_up(path: Path, *, target: str = "minst 7", outcome: str = "7,4") -> Path:
    """The page as PDF at `path`; `target` and `outcome` are the first indicator's (another edition)."""
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11)
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=16, leading=20)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=12, leading=15)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(text, style)

    goals = Table(
        [
            [p("Nämndmål", bold), "", p("Kommentar", bold), "", ""],
            [p("Fler invånare besöker biblioteket."), "",
             p("Besöken ökade under året tack vare längre öppettider."), "", ""],
            [p("Mätare", bold), p("Utgångsläge", bold), p("Målvärde", bold), p("Utfall", bold), ""],
            [p("Besök per invånare"), p("6,1 (2023)"), p(target), p(outcome), _dot(GREEN)],
            [p("Lån per invånare<br/><br/>E-lån per invånare"), p("5,2<br/><br/>0,8"), p("6<br/><br/>1"),
             p("4,9<br/><br/>0,7"), _dot(RED)],
            [p("Antal evenemang för unga"), p("–"), p("–"), p("–"), _dot(GREY)],
        ],
        colWidths=[190, 80, 80, 80, 24],
        style=TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (4, 0)),
            ("SPAN", (0, 1), (1, 1)), ("SPAN", (2, 1), (4, 1)),
            ("SPAN", (3, 2), (4, 2)),
            ("BACKGROUND", (0, 0), (-1, 0), SHADING), ("BACKGROUND", (0, 2), (-1, 2), SHADING),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]),
    )
    assignments = Table(
        [
            [p("Uppdrag", bold), p("Kommentar", bold)],
            [p("Utreda längre öppettider på biblioteket."), p("Utredningen är klar och presenterades i oktober.")],
            [p("Ta fram en plan för fritidsgårdarna."), p("Pågår, planen blir klar under våren 2026.")],
        ],
        colWidths=[227, 227],
        style=TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), SHADING),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]),
    )
    story = [p("Kultur- och fritidsnämnden", title), Spacer(1, 6), p("Måluppföljning 2025", heading), Spacer(1, 8),
             goals, Spacer(1, 18), p("Nämndens uppdrag", heading), Spacer(1, 8), assignments]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def render_glyph_marks(path: Path) -> Path:
    """A Finnish goal table whose status marks are glyphs of a symbol font (ZapfDingbats 'l', a dot) in green,
    red and black, each with its printed digit, and a list under it whose bullets are the same glyph."""
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11)
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=12, leading=15)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(text, style)

    def glyph(colour: str) -> Paragraph:
        return p(f'<font name="ZapfDingbats" color="{colour}">l</font>')

    goals = Table(
        [
            [p("Talousarviotavoite", bold), "", p("Tilannekuvaus ja riskiarvio", bold), "", "", ""],
            [p("Kirjaston käyttö kasvaa. Kirjastoverkko palvelee asukkaita lähellä kotia ja omatoimiaikoja "
               "lisätään."), "",
             p("Käynnit kasvoivat omatoimikirjastojen ansiosta, lainaus väheni hieman. Aineistoa hankittiin "
               "suunnitellusti ja tapahtumia järjestettiin kouluille sekä ikääntyneille."), "", "", ""],
            [p("Mittari/mittarit", bold), p("Nykyarvo", bold), p("Tavoitearvo", bold), p("Toteuma-arvo", bold),
             "", ""],
            [p("Fyysiset käynnit kirjastossa asukasta kohden vuodessa"), p("6,1"), p("7"), p("7,4"),
             glyph("#00b050"), p("1")],
            [p("Lainat asukasta kohden vuodessa kaikista toimipisteistä"), p("5,2"), p("6"), p("4,9"),
             glyph("#ff0000"), p("3")],
            [p("Asiakaskyselyn tulos, tyytyväisten asiakkaiden osuus"), p("…"), p("1"), p("ei mitattu"),
             glyph("#000000"), p("4")],
        ],
        colWidths=[170, 70, 70, 80, 20, 20],
        style=TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (5, 0)),
            ("SPAN", (0, 1), (1, 1)), ("SPAN", (2, 1), (5, 1)),
            ("SPAN", (3, 2), (5, 2)),
            ("BACKGROUND", (0, 0), (-1, 0), SHADING), ("BACKGROUND", (0, 2), (-1, 2), SHADING),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]),
    )
    bullets = [p('<font name="ZapfDingbats">l</font>&nbsp;&nbsp;Aukioloajat pidettiin ennallaan.'),
               p('<font name="ZapfDingbats">l</font>&nbsp;&nbsp;Omatoimikirjasto avattiin Nurmossa.')]
    story = [p("Kirjastopalvelut", heading), Spacer(1, 8), goals, Spacer(1, 14), *bullets]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path
