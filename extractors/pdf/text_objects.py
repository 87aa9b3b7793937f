"""PDF text-object stage: what a text object (a run of characters set together) gives all its characters.

Read once per text object with pypdfium2's raw API: size, font and its descent, colour, render mode,
clip, direction in the page's display frame, and whether its characters can be seen at all (rules of
issue 9, see extractors/pdf/chars.py): invisible render modes, transparent colour, white on white,
text in the colour of a filled shape under it, clipped text; invisible text over an image is an OCR
text layer. What depends on where a character stands is left to `PageRuns.seen`.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from functools import lru_cache

import pypdfium2.raw as pdfium_c

from extractors.pdf import pdfium_calls as raw
from extractors.pdf.graphics import Graphics
from extractors.pdf.page import Frame, direction_of

WHITE = (255, 255, 255, 255)
_FAR = 1e9

@dataclass(slots=True)
class Run:
    """What a text object gives all its characters: size and descent (points, descent negative), lower-case base
    font name, style, reading direction (degrees), unit vectors of its text in the display frame and user space,
    baseline (display frame, points), colour (RGBA 0-255), visibility and what it is checked against."""

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


class PageRuns:
    """One text page's text objects as `Run`s (`run`, kept in `runs` by object address), with the caches of the
    page (fonts, colours against its filled shapes) and the per-character check of `seen`."""

    def __init__(self, textpage: pdfium_c.FPDF_TEXTPAGE, frame: Frame, graphics: Graphics) -> None:
        self.tp = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
        self.frame = frame
        self.graphics = graphics
        self.runs: dict[int, Run] = {}
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

    def run(self, address: int, index: int) -> Run:
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
        return Run(size, descent * size, name, bold or mode in (2, 6), italic, direction,
                    ux / length, uy / length, ma / user_length, mb / user_length,
                    upright, baseline, color, visible, source, clip, backgrounds, images)

    def seen(self, run: Run, cx: float, cy: float) -> str | None:
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
