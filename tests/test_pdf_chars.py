"""The PDF character layer (issue 9): what a reader sees, read once, in reading order.

PDFs are made here with reportlab, each with one trick; expectations are what the page shows.
The real cases in ../shared/cases (B01, B10, B12) are read too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from extractors.layout import join_wrapped
from extractors.pdf.chars import Char
from extractors.pdf.page import PageContent
from extractors.pdf.pages import open_pdf, read_page
from extractors.pdf.words import drop_overprinted
from extractors.pipeline import load_document, process_file
from tests.render import resolve_fonts

WIDTH, HEIGHT = A4


def make_pdf(tmp_path: Path, draw: Callable[[Canvas], None], name: str = "t.pdf") -> Path:
    path = tmp_path / name
    canvas = Canvas(str(path), pagesize=A4)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return path


def page(path: Path, index: int = 0) -> PageContent:
    pdf = open_pdf(path)
    try:
        return read_page(pdf, index)
    finally:
        pdf.close()


def texts(content: PageContent) -> list[str]:
    return [line.text for line in content.lines]


def words(content: PageContent) -> list[str]:
    return [w.text for line in content.lines for w in line.words]


def test_overprinted_text_counts_once_and_is_bold(tmp_path: Path) -> None:
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, "Plain line 12")
        for dx in (0, 0.4):  # fake bold: the same run painted twice, slightly offset
            c.drawString(72 + dx, 680, "Toimintakulut")
            c.drawRightString(400 + dx, 680, "-43 905 847")
        for dx in (0, 0.3):  # one glyph at a time, twice
            c.drawString(72 + dx, 660, "S")
            c.drawString(78.7 + dx, 660, "1")

    content = page(make_pdf(tmp_path, draw))
    assert texts(content) == ["Plain line 12", "Toimintakulut -43 905 847", "S1"]
    assert [line.bold for line in content.lines] == [False, True, True]


def test_letter_spaced_text_forms_words(tmp_path: Path) -> None:
    def draw(c: Canvas) -> None:
        text = c.beginText(72, 700)
        text.setFont("Helvetica-Bold", 9)
        text.setCharSpace(4)
        text.textOut("BUDGET 2025")
        text.setCharSpace(0)  # character spacing is graphics state: it outlives the text object
        c.drawText(text)
        c.setFont("Helvetica", 9)
        c.drawString(72, 680, "B U D G E T   2 0 2 5")  # tracking faked with spaces
        label = c.beginText(72, 660)
        label.setFont("Helvetica", 9)
        label.setCharSpace(2.5)
        label.textOut("Försäljningsintäkter")
        label.setCharSpace(0)
        c.drawText(label)
        c.drawRightString(400, 660, "501 800")
        c.drawString(72, 640, "Antal 1 2 3")  # ordinary short words stay as they are
        wide = c.beginText(72, 620)
        wide.setFont("Helvetica", 9)
        wide.setCharSpace(3)
        wide.textOut("T A L O U S A R V I O  2 0 2 5")  # spaces and tracking
        wide.setCharSpace(0)
        c.drawText(wide)

    content = page(make_pdf(tmp_path, draw))
    assert texts(content) == ["BUDGET 2025", "BUDGET 2025", "Försäljningsintäkter 501 800", "Antal 1 2 3",
                              "TALOUSARVIO 2025"]
    assert [w.text for w in content.lines[2].words] == ["Försäljningsintäkter", "501 800"]


def test_text_no_reader_can_see_is_dropped(tmp_path: Path) -> None:
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 760, "Visible heading")
        hidden = c.beginText(72, 740)
        hidden.setFont("Helvetica", 10)
        hidden.setTextRenderMode(3)
        hidden.textOut("invisible 999 999")
        hidden.setTextRenderMode(0)  # the render mode is graphics state: it outlives the text object
        c.drawText(hidden)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(72, 720, "white 888 888")
        c.setFillColorRGB(0, 0, 0)
        c.rect(70, 695, 200, 16, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(72, 700, "white on black")
        c.setFillColorRGB(0.2, 0.2, 0.2)
        c.rect(300, 695, 200, 16, stroke=0, fill=1)
        c.drawString(302, 700, "grey on grey 777")
        c.setFillColorRGB(0, 0, 0)
        c.saveState()
        path = c.beginPath()
        path.rect(72, 660, 100, 20)
        c.clipPath(path, stroke=0, fill=0)
        c.drawString(72, 665, "kept")
        c.drawString(300, 665, "clipped 666 666")
        c.restoreState()
        c.drawString(72, 640, "Last line")
        c.drawString(-300, 620, "left of the page 555")
        c.drawString(72, HEIGHT + 40, "above the page 444")

    content = page(make_pdf(tmp_path, draw))
    assert texts(content) == ["Visible heading", "white on black", "kept", "Last line"]


def test_invisible_text_over_an_image_is_an_ocr_layer(tmp_path: Path) -> None:
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (200, 40), (240, 240, 240)).save(image, format="PNG")

    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 760, "Printed text")
        c.drawImage(ImageReader(io.BytesIO(image.getvalue())), 72, 690, width=200, height=40)
        layer = c.beginText(80, 705)
        layer.setFont("Helvetica", 10)
        layer.setTextRenderMode(3)
        layer.textOut("Scanned 123 456")
        layer.setTextRenderMode(0)
        c.drawText(layer)
        hidden = c.beginText(80, 600)
        hidden.setFont("Helvetica", 10)
        hidden.setTextRenderMode(3)
        hidden.textOut("not over the image")
        hidden.setTextRenderMode(0)
        c.drawText(hidden)

    content = page(make_pdf(tmp_path, draw))
    assert texts(content) == ["Printed text", "Scanned 123 456"]
    assert [w.source for w in content.lines[0].words] == ["text", "text"]
    assert {w.source for w in content.lines[1].words} == {"ocr"}
    assert content.ocr_words == 2  # 'Scanned', '123 456'


def test_crop_box_away_from_origin(tmp_path: Path) -> None:
    def draw(c: Canvas) -> None:
        c.setCropBox((50, 100, 545, 742))
        c.setFont("Helvetica", 10)
        c.drawString(100, 700, "Inside the crop box")
        c.drawString(100, 60, "below the crop box 321")

    content = page(make_pdf(tmp_path, draw))
    assert (round(content.width), round(content.height)) == (495, 642)
    assert texts(content) == ["Inside the crop box"]
    line = content.lines[0]
    assert line.x0 == pytest.approx(50, abs=0.01)  # 100 - crop box left
    assert 30 < line.top < 42  # 742 - 700 minus the ascent


def _table(c: Canvas) -> None:
    c.setFont("Helvetica-Bold", 9)
    c.drawString(0, 0, "Driftsekonomi")
    c.drawRightString(260, 0, "BUDGET 2025")
    c.setFont("Helvetica", 9)
    for row, (label, amount) in enumerate([("Försäljningsintäkter", "209 700"), ("Avgiftsintäkter", "1 298 100")]):
        c.drawString(0, -14 * (row + 1), label)
        c.drawRightString(260, -14 * (row + 1), amount)


@pytest.mark.parametrize("rotation", [90, 270])
def test_page_rotation_and_sideways_text_read_in_reading_order(tmp_path: Path, rotation: int) -> None:
    def rotated_page(c: Canvas) -> None:
        # /Rotate: the content is drawn turned the other way, so that it reads upright when shown
        c.setPageRotation(rotation)
        c.saveState()
        c.translate(*((80, 80) if rotation == 90 else (80, WIDTH - 80)))  # reportlab lays the box landscape
        c.rotate(rotation)
        _table(c)
        c.restoreState()

    def sideways(c: Canvas) -> None:
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, HEIGHT - 60, "Upright heading")
        c.saveState()
        c.translate(*((150, 150) if rotation == 90 else (400, 700)))
        c.rotate(rotation)
        _table(c)
        c.restoreState()

    expected = ["Driftsekonomi BUDGET 2025", "Försäljningsintäkter 209 700", "Avgiftsintäkter 1 298 100"]
    assert texts(page(make_pdf(tmp_path, rotated_page, "rotate.pdf"))) == expected
    assert texts(page(make_pdf(tmp_path, sideways, "sideways.pdf"))) == ["Upright heading", *expected]


def test_ligatures_soft_hyphens_and_zero_width_characters(tmp_path: Path) -> None:
    fonts = resolve_fonts("DejaVuSans")
    assert fonts.regular == "DejaVuSans", "DejaVu Sans is needed to print ligature code points"

    def draw(c: Canvas) -> None:
        c.setFont(fonts.regular, 9)
        c.drawString(72, 700, "e\ufb00ektiv \ufb02exibla o\ufb03ciell \ufb01nans")
        c.drawString(72, 686, "kommu\u200bnen sam\u00adarbetet social-\u00ad")
        c.drawString(72, 672, "och hälsovård utbild\u00ad")
        c.drawString(72, 658, "ningen")

    content = page(make_pdf(tmp_path, draw))
    assert texts(content)[0] == "effektiv flexibla officiell finans"
    # a soft hyphen inside a line is dropped; one after a real hyphen at a line's end says the word goes on
    assert texts(content)[1] == "kommunen samarbetet social-\u00ad"
    assert join_wrapped(texts(content)[1:3]) == "kommunen samarbetet social- och hälsovård utbild-"
    # PDFium reports a soft hyphen that ends a line after a letter as a line-end hyphen, as it does a
    # hyphen-minus: the text keeps it and the evidence-based repair decides (extractors/nlp/repair.py)
    assert texts(content)[2:] == ["och hälsovård utbild-", "ningen"]


def test_figures_of_separate_runs_stay_separate_and_a_sign_stays_with_its_figure(tmp_path: Path) -> None:
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 9)
        c.drawString(72, 700, "Poistot")
        c.drawString(300, 700, "138")
        c.drawString(300 + c.stringWidth("138", "Helvetica", 9) + 1.2, 700, "-45")  # closer than a space
        c.drawString(400, 700, "-")
        c.drawString(400 + c.stringWidth("-", "Helvetica", 9) + 0.6, 700, "7 030")  # a sign set apart a little

    content = page(make_pdf(tmp_path, draw))
    assert words(content) == ["Poistot", "138", "-45", "-7 030"]


def test_a_dash_before_a_letter_of_another_run_is_no_sign(tmp_path: Path) -> None:
    # Kauhava's financial statements p. 71 (read from the page image): an assessment cell's line ends 'vuo-'
    # 2 pt before the status cell's 'Valmis', and 'ratio –' is set a space before 'tunnusluvun', each a run
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "ennakoida vuo-")
        c.drawString(72 + c.stringWidth("ennakoida vuo-", "Helvetica", 11) + 1.9, 700, "Valmis")
        c.drawString(72, 680, "Quick ratio \u2013")
        c.drawString(72 + c.stringWidth("Quick ratio \u2013", "Helvetica", 11) + 2.2, 680, "tunnusluvun")

    content = page(make_pdf(tmp_path, draw))
    assert words(content) == ["ennakoida", "vuo-", "Valmis", "Quick", "ratio", "\u2013", "tunnusluvun"]


def test_unusable_page_box_is_an_issue_and_the_text_is_read(tmp_path: Path) -> None:
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, "Text on a page with a broken box")

    path = make_pdf(tmp_path, draw)
    data = path.read_bytes()
    broken = data.replace(b"/MediaBox [ 0 0 595.2756 841.8898 ]", b"/MediaBox [ 0 0 9000000 841.8898 ]")
    assert broken != data
    path.write_bytes(broken)
    doc = load_document(path)
    assert [b.text for b in doc.blocks()] == ["Text on a page with a broken box"]
    assert [i.code for i in doc.issues] == ["page_box_unusable"]
    assert doc.pages[0].width is not None and doc.pages[0].width < 1000


CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "cases"


def test_case_b01_overprinted_headings_and_totals_read_once_and_bold() -> None:
    content = page(CASES / "B01-overprinted-bold.pdf")
    lines = {line.text: line for line in content.lines}
    # read from the page image: the heading, the total rows and their figures painted twice
    assert lines["Sivistyslautakunta"].bold
    assert lines["Toimintatuotot 2 308 541 2 351 300 2 361 500 2 350 200 2 330 200"].bold
    assert lines["Toimintakulut -43 905 847 -44 855 800 -45 227 500 -44 530 500 -45 002 000"].bold
    assert lines["Toimintakate -41 597 306 -42 504 500 -42 866 000 -42 180 300 -42 671 800"].bold
    assert not lines["Myyntituotot 454 691 471 900 492 000 498 500 497 800"].bold


@pytest.mark.parametrize("index", [0, 1])
def test_case_b10_rotated_page_and_sideways_table(index: int) -> None:
    content = page(CASES / "B10-rotated-pages.pdf", index)
    lines = texts(content)
    # read from the page images: page 1 has /Rotate 90, page 2 is an upright page set sideways
    assert lines[0] == ("Bildningsnämnden" if index == 0 else "Stadsstyrelsen")
    assert lines[2] == "Driftsekonomi, euro"
    assert lines[3] == "BOKSLUT BUDGET BUDGET EKONOMIPLAN EKONOMIPLAN FÖRÄNDRING %"
    assert lines[4] == "2023 2024 2025 2026 2027 BU25/BU24"
    if index == 1:
        assert lines[5] == "Försäljningsintäkter 209 087 203 200 209 700 213 200 211 800 3,2"
    assert content.rules, "the table's rules are turned with its text"


def test_case_b12_ligatures_and_hyphens() -> None:
    lines = texts(page(CASES / "B12-goal-table-hyphens-ligatures.pdf"))
    joined = "\n".join(lines)
    # read from the page image
    for printed in ("effektiv", "flexibla", "officiell", "Tillvägagångssätt"):
        assert printed in joined
    assert not any(ch in joined for ch in "\ufb00\ufb01\ufb02\ufb03\ufb04\u200b")
    words = [w for line in lines for w in line.split()]
    assert "IKT-\u00ad" in words  # the real hyphen, then the soft one: the cell's word goes on
    assert "småbarns-" in words and "utbild-" in words  # line-end hyphens: the repair decides


REAL = CASES.parent / "corpus" / "real"


def test_signed_figures_set_one_space_apart_are_separate_cells() -> None:
    # Lapua's education board minutes, p. 19 (read from the page image): a three-column table set with one
    # word space between signed figures, and the first column's heading one word space after the label's
    _, records = process_file(REAL / "fi_lapua_sivistyslautakunta_poytakirja_2025-01-15.pdf")
    got = {(f.line_label, f.column_label): (f.amount, f.figure_kind, f.year)
           for f in records.finance if f.page == 19}
    assert got == {
        ("Toimintatuotot", "TA 2024"): (1305950, "budget", 2024),
        ("Toimintatuotot", "TA 2025"): (1480000, "budget", 2025),
        ("Toimintatuotot", "Ero"): (174050, "difference", 2025),
        ("Toimintakulut", "TA 2024"): (-23391100, "budget", 2024),
        ("Toimintakulut", "TA 2025"): (-24400000, "budget", 2025),
        ("Toimintakulut", "Ero"): (-1008900, "difference", 2025),
        ("Toimintakate", "TA 2024"): (-22085150, "budget", 2024),
        ("Toimintakate", "TA 2025"): (-22920000, "budget", 2025),
        ("Toimintakate", "Ero"): (-834850, "difference", 2025),
    }
    assert {f.unit for f in records.finance if f.page == 19} == {"EUR"}


def _char(text: str, x0: float, top: float, run: int, index: int) -> Char:
    return Char(text, x0, x0 + 5.0, top, top + 10.0, 10.0, run, index, "helvetica", False, False, 0, None)


@pytest.mark.parametrize("stray_top", [500.0, float("nan")])
def test_a_doubled_figure_is_found_in_a_column_of_the_same_figure(stray_top: float) -> None:
    """A column of '1's at one x0 (a table's figures) holds one glyph painted twice, 0.4 pt across and 0.2 pt
    down: that one is dropped and its twin is bold, the column's other '1's stay; so is a doubled text of two
    characters. A character whose top is not a number (a damaged text object) changes nothing."""
    column = [_char("1", 100.0, 12.0 * row, run=row, index=row) for row in range(20)]
    twin = _char("1", 100.4, 12.0 * 7 + 0.2, run=99, index=99)
    pair = [_char("ff", 200.0, 0.0, run=50, index=50), _char("ff", 200.3, 0.1, run=51, index=51)]
    stray = _char("x", 300.0, stray_top, run=60, index=60)
    kept = drop_overprinted([*column, twin, *pair, stray])
    assert twin not in kept and pair[1] not in kept
    assert [c for c in kept if c.bold] == [column[7], pair[0]]
    assert len(kept) == len(column) + 2


def test_an_empty_text_beside_a_two_character_text_keeps_the_doubles_found() -> None:
    """Texts whose lengths add up to their count are not all single characters when one is empty: a doubled '1'
    is still found beside an empty text and a two-character one."""
    pair = [_char("1", 100.0, 50.0, run=1, index=1), _char("1", 100.3, 50.1, run=2, index=2)]
    others = [_char("", 10.0, 10.0, run=3, index=3), _char("ab", 100.2, 50.0, run=4, index=4)]
    kept = drop_overprinted([others[0], *pair, others[1]])
    assert pair[1] not in kept and pair[0] in kept and pair[0].bold
    assert all(c in kept for c in others)
