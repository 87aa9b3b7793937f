"""PDF character stage: PDFium's text page -> the visible characters of a page, each in its upright frame.

Read with pypdfium2's raw API, once per character only what changes per character (its text, its
loose box, its text object); everything else (size, font, colour, render mode, clip, painting
order, direction) once per text object.

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
from functools import lru_cache
from operator import attrgetter

import pypdfium2.raw as pdfium_c

from extractors.pdf.graphics import Graphics
from extractors.pdf import pdfium_calls as raw
from extractors.pdf.page import Frame, direction_of

WHITE = (255, 255, 255, 255)
SUSPENDING_HYPHENS = ("-", "\u2010", "\u2011")
"""Hyphens a suspended compound ends with ('Maa- ja', 'kultur- och')."""
HYPHEN_MARK = "\x02"  # PDFium's code for a hyphen it found at a line's end ('-' or U+00AD)
_FAR = 1e9
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


@dataclass(slots=True)
class _Run:
    """What a text object gives all its characters."""

    size: float
    descent: float
    font: str
    bold: bool
    italic: bool
    direction: int
    ux: float
    uy: float
    user_ux: float
    user_uy: float
    upright: bool
    baseline: float
    color: tuple[int, int, int, int] | None
    visible: bool | None
    """True/False for the whole run; None when each character must be checked (clip, background)."""
    source: str
    clip: tuple[float, float, float, float] | None
    backgrounds: list
    images: list


_BOLD_NAMES = ("bold", "black", "heavy", "semibold")
_ITALIC_NAMES = ("italic", "oblique")


@lru_cache(maxsize=1024)
def _font_style(name: str) -> tuple[bool, bool]:
    """(bold, italic) as a base font's name says (lower case: 'arial-boldmt', 'calibri-italic')."""
    return any(w in name for w in _BOLD_NAMES), any(w in name for w in _ITALIC_NAMES)


class _PageChars:
    def __init__(self, textpage: pdfium_c.FPDF_TEXTPAGE, frame: Frame, graphics: Graphics) -> None:
        self.tp = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
        self.frame = frame
        self.graphics = graphics
        self.runs: dict[int, _Run] = {}
        self.fills = {shape.fill for shape in graphics.shapes if shape.fill[3] > 0}
        self.fonts: dict[int, tuple[str, float]] = {}
        self.shades: dict[tuple[int, int, int, int], tuple[bool, bool]] = {}
        self._m = pdfium_c.FS_MATRIX()
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._f = ctypes.c_float()
        self._rgba = [ctypes.c_uint() for _ in range(4)]
        self._cx, self._cy = ctypes.c_float(), ctypes.c_float()
        self._m_ref, self._x_ref, self._y_ref = ctypes.byref(self._m), ctypes.byref(self._x), ctypes.byref(self._y)
        self._f_ref = ctypes.byref(self._f)
        self._rgba_refs = [ctypes.byref(value) for value in self._rgba]
        self._cx_ref, self._cy_ref = ctypes.byref(self._cx), ctypes.byref(self._cy)

    def font(self, obj: ctypes.c_void_p) -> tuple[str, float]:
        """Base font name (lower case) and descent per point of size (negative below the baseline)."""
        address = raw.text_font(obj) or 0
        known = self.fonts.get(address)
        if known is None:
            name = ""
            handle = ctypes.cast(address, pdfium_c.FPDF_FONT)
            if address:
                length = pdfium_c.FPDFFont_GetBaseFontName(handle, None, 0)
                if length > 0:
                    buffer = ctypes.create_string_buffer(length)
                    pdfium_c.FPDFFont_GetBaseFontName(handle, buffer, length)
                    name = buffer.value.decode("utf-8", "replace")
            descent = 0.0
            if address and pdfium_c.FPDFFont_GetDescent(handle, ctypes.c_float(1000.0), self._f):
                descent = self._f.value / 1000.0
            known = (name.lower(), descent if -1.0 < descent <= 0.0 else 0.0)
            self.fonts[address] = known
        return known

    def color(self, obj: ctypes.c_void_p, mode: int) -> tuple[int, int, int, int] | None:
        getter = raw.stroke_color if mode in (1, 5) else raw.fill_color
        if not getter(obj, *self._rgba_refs):
            return None
        r, g, b, a = self._rgba
        return (r.value, g.value, b.value, a.value)

    def shade(self, color: tuple[int, int, int, int]) -> tuple[bool, bool]:
        """(white, the colour of a filled shape of the page) for a text colour, once per colour and page."""
        known = self.shades.get(color)
        if known is None:
            known = self.shades[color] = (_same_color(color, WHITE), any(_same_color(color, f) for f in self.fills))
        return known

    def clip(self, obj: ctypes.c_void_p) -> tuple[float, float, float, float] | None:
        """The box of the object's clipping path (display frame), or None when it is not clipped."""
        address = raw.clip_path(obj)
        if not address:
            return None
        clip = ctypes.c_void_p(address)
        box = [-_FAR, -_FAR, _FAR, _FAR]
        fa, fb, fc, fd, fe, ff = self.frame.a, self.frame.b, self.frame.c, self.frame.d, self.frame.e, self.frame.f
        x, y, x_ref, y_ref = self._cx, self._cy, self._cx_ref, self._cy_ref
        for path in range(raw.clip_paths(clip)):
            xs: list[float] = []
            ys: list[float] = []
            for index in range(raw.clip_segments(clip, path)):
                segment = raw.clip_segment(clip, path, index)
                if segment and raw.segment_point(ctypes.c_void_p(segment), x_ref, y_ref):
                    ux, uy = x.value, y.value
                    xs.append(fa * ux + fc * uy + fe)
                    ys.append(fb * ux + fd * uy + ff)
            if xs:
                box = [max(box[0], min(xs)), max(box[1], min(ys)), min(box[2], max(xs)), min(box[3], max(ys))]
        return (box[0], box[1], box[2], box[3]) if box[0] > -_FAR else None

    def run(self, address: int, index: int) -> _Run:
        """What the text object at `address` (painting character `index`) gives its characters."""
        obj = ctypes.c_void_p(address)
        m = self._m
        raw.char_matrix(self.tp, index, self._m_ref)
        raw.font_size(obj, self._f_ref)
        font_size = abs(self._f.value) or 1.0
        frame = self.frame
        ma, mb, mc, md = m.a, m.b, m.c, m.d
        fa, fb, fc, fd = frame.a, frame.b, frame.c, frame.d
        ux, uy = fa * ma + fc * mb, fb * ma + fd * mb  # frame.vector(m.a, m.b)
        vx, vy = fa * mc + fc * md, fb * mc + fd * md  # frame.vector(m.c, m.d)
        length = math.hypot(ux, uy) or 1.0
        size = font_size * (math.hypot(vx, vy) or length)
        direction = direction_of(ux, uy)
        user_length = math.hypot(ma, mb) or 1.0
        upright = frame.rotation == 0 and abs(mb) < 1e-6 and abs(mc) < 1e-6 and ma > 0 and md > 0
        raw.char_origin(self.tp, index, self._x_ref, self._y_ref)
        baseline = fb * self._x.value + fd * self._y.value + frame.f  # frame.point(x, y)[1]
        name, descent = self.font(obj)
        mode = raw.render_mode(obj)
        color = self.color(obj, mode)
        graphics = self.graphics
        info = graphics.text.get(address)
        z = info.z if info else 0
        box = info.box if info else (0.0, 0.0, frame.width, frame.height)
        images = [b for b, iz in zip(graphics.images, graphics.image_z, strict=True)
                  if iz < z and _overlaps(b, box)] if graphics.images else []
        source = "text"
        visible: bool | None = True
        if mode in (pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP):
            visible = None if images else False  # over an image: an OCR layer, checked per character
            source = "ocr"
        elif color is not None and color[3] == 0:
            visible = False
        white, filled = self.shade(color) if color is not None else (False, False)
        backgrounds = []
        if visible and (white or filled):
            # only a shape of the text's own colour (or under white text) can hide it
            backgrounds = [s for s in graphics.shapes
                           if s.z < z and _overlaps((s.x0, s.top, s.x1, s.bottom), box)]
        if visible and backgrounds:
            visible = None
        elif visible and white and not images:
            visible = False  # white on the white page
        clip = self.clip(obj)
        if visible and clip is not None:
            visible = None
        bold, italic = _font_style(name)
        return _Run(size, descent * size, name, bold or mode in (2, 6), italic, direction,
                    ux / length, uy / length, ma / user_length, mb / user_length,
                    upright, baseline, color, visible, source, clip, backgrounds, images)

    def seen(self, run: _Run, cx: float, cy: float) -> str | None:
        """The source of a character at (cx, cy) of a run needing a per-character check, or None when
        no reader can see it."""
        if run.clip is not None:
            x0, top, x1, bottom = run.clip
            if not (x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5):
                return None
        if run.source == "ocr":
            return "ocr" if any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in run.images) else None
        under = next((s for s in reversed(run.backgrounds) if s.contains(cx, cy) and s.fill[3] > 0), None)
        if under is not None:
            return None if run.color is not None and _same_color(run.color, under.fill) else "text"
        if any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in run.images):
            return "text"
        if run.color is not None and _same_color(run.color, WHITE):
            return None
        return "text"


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _same_color(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]), abs(a[2] - b[2])) <= 12


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
    reader = _PageChars(textpage, frame, graphics)
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
    run: _Run | None = None
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


def _set_descent(chars: list[Char], runs: dict[int, _Run], segments: list[int], starts: list[int]) -> None:
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
