"""PDF character stage: PDFium's text page -> the visible characters of a page, each in its upright frame.

Read with pypdfium2's raw API, once per character only what changes per character (its text, its
loose box, its text object); everything else (size, font, colour, render mode, clip, painting
order, direction) once per text object (extractors/pdf/text_objects.py).

Rules (issue 9, the character layer):
- Text no reader can see is dropped: outside the crop box, clipped away, painted in the colour of
  what lies under it (white on white), or in an invisible render mode (3, 7). Invisible text over a
  raster image is an OCR text layer and is kept with `source="ocr"`.
- Every character is placed in the frame where its text reads left to right: a page's /Rotate and
  text set sideways on an upright page are turned upright (`direction` says from where).
- A character box follows pdfminer's convention: from the origin to the advance, from
  `baseline - descent - size` to `baseline - descent` (y down). The descent (a share of the size)
  is the one of the page's body font, as PDFium reads it, for every character of the page: a
  symbol font's odd metrics (a bullet) must not move the line it stands on.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from operator import attrgetter

import pypdfium2.raw as pdfium_c

from extractors.pdf import pdfium_calls as raw
from extractors.pdf.graphics import Graphics
from extractors.pdf.page import Frame
from extractors.pdf.text_objects import PageRuns, Run

SUSPENDING_HYPHENS = ("-", "\u2010", "\u2011")
"""Hyphens a suspended compound ends with ('Maa- ja', 'kultur- och')."""
HYPHEN_MARK = "\x02"  # PDFium's code for a hyphen it found at a line's end ('-' or U+00AD)
_MARKS = frozenset(("\xad", HYPHEN_MARK, "\ufffe"))
"""Characters read otherwise than as printed: a soft hyphen (no ink) and PDFium's line-end hyphens."""
_RUN_OF = attrgetter("run")
_SURROGATE = re.compile("[\ud800-\udfff]")

@dataclass(slots=True)
class Char:
    """One visible glyph: text, box in its upright frame (points), style and provenance."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    run: int
    """The text object that painted it (a run of characters set together)."""
    index: int
    """Its index in PDFium's text page (painting order within runs)."""
    font: str
    bold: bool
    italic: bool
    direction: int
    color: tuple[int, int, int, int] | None
    source: str = "text"
    line_end_hyphen: bool = False
    page_y: float = 0.0
    """The glyph's centre from the top of the displayed page (orders text of several directions)."""



def page_text(textpage: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    """All characters of a text page in one call, one str character per PDFium character."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: count * 2].decode("utf-16-le", "surrogatepass")
    if len(text) != count or _SURROGATE.search(text):
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    return text


def read_chars(textpage: pdfium_c.FPDF_TEXTPAGE, frame: Frame, graphics: Graphics) -> list[Char]:
    """The visible characters of a page, each placed in the upright frame of its direction.

    Coordinates of characters read left to right on the displayed page are display-frame
    coordinates; those of other directions are turned so that they read left to right, then
    shifted into the page's extent (see `to_upright`).

    Per character only its text page object, its box (and, off the upright path, its origin) are read
    from PDFium; what its run gives is taken into locals once per run (the characters of a run follow
    each other in the text page).
    """
    reader = PageRuns(textpage, frame, graphics)
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    text = page_text(textpage, count)
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.c_void_p(ctypes.addressof(rect))
    page_ref = reader.tp
    get_address = raw.object_address
    get_box = raw.loose_box
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    ox, oy = ctypes.c_double(), ctypes.c_double()
    a, e = frame.a, frame.e
    width, height = frame.width, frame.height
    runs = reader.runs
    chars: list[Char] = []
    append = chars.append
    segments: list[int] = []  # the run of each stretch of characters read from one text object in a row
    starts: list[int] = []  # where each stretch starts in chars
    last = 0
    run: Run | None = None
    # what the current run gives each character (set when the run changes)
    visible: bool | None = None
    upright = in_height = plain = False
    size = bottom = top = middle = 0.0
    font, bold, italic, direction, color, run_source = "", False, False, 0, None, "text"
    for index, ch in enumerate(text):
        address = get_address(page_ref, index)
        if address != last:
            if not address:
                if ch == " " and chars and chars[-1].text in SUSPENDING_HYPHENS and chars[-1].index == index - 1 \
                        and not chars[-1].line_end_hyphen:
                    # a space PDFium generated right after a hyphen: a suspended hyphen ('Maa- ja vesialueet')
                    # set with a narrow gap; kept as the word break it is (a hyphen inside a word gets none)
                    append(replace(chars[-1], text=" ", x0=chars[-1].x1, index=index, line_end_hyphen=False))
                continue  # a space or line break PDFium generated
            run = runs.get(address)
            if run is None:
                run = runs[address] = reader.run(address, index)
            last = address
            starts.append(len(chars))
            segments.append(address)
            visible, upright, size = run.visible, run.upright, run.size
            font, bold, italic, direction, color = run.font, run.bold, run.italic, run.direction, run.color
            run_source = run.source
            bottom = run.baseline
            top = bottom - size
            middle = bottom - run.descent - run.size / 2
            in_height = 0 <= middle <= height
            plain = upright and visible is True  # visible and placed by the run: no check per character
        if visible is False and ch != "\xad":
            continue
        get_box(page_ref, index, rect_ref)
        if upright:
            x0 = a * rect.left + e
            x1 = a * rect.right + e
            cx = (x0 + x1) / 2
            if not (in_height and 0 <= cx <= width):
                continue  # outside the crop box
            if plain and ch not in _MARKS:  # the common case, what the lines below give it
                append(Char(ch, x0, x1, top, bottom, size, address, index, font, bold, italic, direction, color,
                            run_source, False, middle))
                continue
            cy, char_top, char_bottom = middle, top, bottom
        else:
            assert run is not None
            get_origin(textpage, index, ox, oy)
            px, py = frame.point(ox.value, oy.value)
            advance = abs((rect.right - rect.left) * run.user_ux) + abs((rect.top - rect.bottom) * run.user_uy) \
                if direction % 90 == 0 else size / 2
            cx = px + run.ux * advance / 2 + run.uy * (size / 2 + run.descent)
            cy = py + run.uy * advance / 2 - run.ux * (size / 2 + run.descent)
            x0, char_bottom = to_upright(px, py, direction, frame)
            x1 = x0 + advance
            char_top = char_bottom - size
            if not (0 <= cx <= width and 0 <= cy <= height):
                continue  # outside the crop box
        if visible is None:
            assert run is not None
            seen = reader.seen(run, cx, cy)
            if seen is None and ch != "\xad":
                continue
            source = seen or run_source
        else:
            source = run_source
        if ch in _MARKS:
            if ch == "\xad":
                source = "text"  # a soft hyphen carries no ink, only the word's break
                hyphen = False
            else:
                hyphen = True
            append(Char("-" if hyphen else ch, x0, x1, char_top, char_bottom, size, address, index,
                        font, bold, italic, direction, color, source, hyphen, cy))
        else:
            append(Char(ch, x0, x1, char_top, char_bottom, size, address, index,
                        font, bold, italic, direction, color, source, False, cy))
    mark_overprinted_runs(chars, graphics, set(runs))
    _set_descent(chars, runs, segments, starts)
    return chars


def _set_descent(chars: list[Char], runs: dict[int, Run], segments: list[int], starts: list[int]) -> None:
    """Move every box from the baseline down by the body font's descent (the commonest among the
    page's characters, counted per run; the first run met wins a tie).

    `chars[starts[i]:starts[i + 1]]` are characters of run `segments[i]` (all of one size), so the
    counting and the shift go by stretch, not by character."""
    ends = [*starts[1:], len(chars)]
    per_run: dict[int, int] = {}
    for address, start, end in zip(segments, starts, ends, strict=True):
        if end > start:
            per_run[address] = per_run.get(address, 0) + end - start
    counts: Counter[float] = Counter()
    for address, number in per_run.items():
        run = runs[address]
        if run.size:
            counts[run.descent / run.size] += number
    if not counts:
        return
    share = -counts.most_common(1)[0][0]
    for address, start, end in zip(segments, starts, ends, strict=True):
        if end > start:
            shift = share * runs[address].size
            for char in chars[start:end]:
                char.top += shift
                char.bottom += shift


def to_upright(x: float, y: float, direction: int, frame: Frame) -> tuple[float, float]:
    """A display-frame point in the frame where text of `direction` reads left to right.

    The page is turned by -direction and shifted so that it keeps its extent: text set bottom to top
    (270) on an upright page lands in a frame `height` wide and `width` tall.
    """
    if direction == 0:
        return x, y
    if direction == 90:
        return y, frame.width - x
    if direction == 180:
        return frame.width - x, frame.height - y
    if direction == 270:
        return frame.height - y, x
    angle = math.radians(direction)
    cos, sin = math.cos(angle), math.sin(angle)
    return x * cos + y * sin, -x * sin + y * cos


def mark_overprinted_runs(chars: list[Char], graphics: Graphics, read: set[int]) -> None:
    """Text objects PDFium folded away because they repeat a read object at (almost) the same place
    (fake bold): the read object's characters are bold."""
    unread: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    for address, info in graphics.text.items():
        if address not in read:
            unread.setdefault((round(info.box[0]), round(info.box[1])), []).append(info.box)
    if not unread:
        return
    doubled: set[int] = set()
    for address in read:
        info = graphics.text.get(address)
        if info is None:
            continue
        x0, top, x1, bottom = info.box
        kx, ky = round(x0), round(top)
        near = [box for dx in (-1, 0, 1) for dy in (-1, 0, 1) for box in unread.get((kx + dx, ky + dy), ())]
        if any(abs(b[0] - x0) < 1.0 and abs(b[2] - x1) < 1.0 and abs(b[1] - top) < 1.0 and abs(b[3] - bottom) < 1.0
               for b in near):
            doubled.add(address)
    if doubled:
        for char in chars:
            if char.run in doubled:
                char.bold = True
