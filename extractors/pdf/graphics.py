"""PDF graphics stage: a page's path, image and text objects -> ruling lines, filled shapes, images.

One pass over the page's objects (descending into form XObjects) with pypdfium2's raw API:
- stroked or filled paths give straight edges; horizontal and vertical ones are ruling lines
  (a rectangle gives its four sides, as pdfplumber's `edges` did);
- filled paths are shapes with their fill colour (status marks, cell shading, backgrounds);
- images give boxes (a text layer in invisible mode over an image is an OCR layer); small ones
  (icons, bars) also give their colour, read from their rendered pixels (`extractors/pdf/icons.py`);
- text objects get their painting order and bounds, so that the character stage can tell a
  glyph's background and find text painted twice (fake bold) that PDFium's text page folds away.
"""

from __future__ import annotations

import ctypes
import struct
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c
import pypdfium2_raw.bindings as _bindings

from extractors.pdf.icons import icon_colour, is_icon_size
from extractors.pdf.page import Frame, Rule, Shape

_MAX_DEPTH = 8  # nested form XObjects deeper than this are not followed (cycles in damaged files)
_STRAIGHT = 0.5  # points a segment may lean and still be a horizontal or vertical rule
_THIN = 2 * _STRAIGHT * 2  # a filled rectangle this thin or thinner is a rule, not a shape (nor shading)
_MOVETO, _BEZIERTO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO

# FPDFPath_GetPathSegment returning the segment's address as an int (no pointer object per call)
_segment_address = _bindings._libs["pdfium"]["FPDFPath_GetPathSegment"]
_segment_address.argtypes = (pdfium_c.FPDF_PAGEOBJECT, ctypes.c_int)
_segment_address.restype = ctypes.c_void_p
_POINT = struct.Struct("=ffBB2x")
"""PDFium's path point (CFX_Path::Point, what a FPDF_PATHSEGMENT points to): x, y (float), type, close."""
_ARRAYS: dict[int, type[ctypes.Array]] = {}
"""ctypes char arrays by number of points, read in place over a path's point array (no copy, no call)."""


class _PointLayout:
    """Whether a path's points can be read from PDFium's point array in one copy.

    A FPDF_PATHSEGMENT is the address of a point in the path's contiguous array. The array is read whole only
    when the last segment's address is where `_POINT`'s size puts it, and once the first path read both ways
    (a copy and the API's calls per segment) gave the same points; a point's type byte is mapped to the API's
    segment type as the API gave it the first time that byte was seen. Otherwise every segment is read with
    the API's calls.
    """

    checked: bool | None = None
    types: dict[int, int] = {}


def _segments_by_call(obj: pdfium_c.FPDF_PAGEOBJECT, count: int) -> tuple[list[tuple[float, float, int]], bool]:
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[float, float, int]] = []
    closed = False
    for index in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        out.append((x.value, y.value, pdfium_c.FPDFPathSegment_GetType(segment)))
        closed = index == count - 1 and bool(pdfium_c.FPDFPathSegment_GetClose(segment))
    return out, closed


def path_segments(obj: pdfium_c.FPDF_PAGEOBJECT) -> tuple[list[tuple[float, float, int]], bool]:
    """A path object's points as (x, y, FPDF_SEGMENT_* type) in its own space, in order (segments PDFium cannot
    give are left out), and whether its last segment closes the figure."""
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count <= 0:
        return [], False
    layout = _PointLayout
    base = _segment_address(obj, 0) if layout.checked is not False else None
    if not base or (count > 1 and _segment_address(obj, count - 1) != base + _POINT.size * (count - 1)):
        return _segments_by_call(obj, count)
    array = _ARRAYS.get(count)
    if array is None:
        array = _ARRAYS[count] = ctypes.c_char * (_POINT.size * count)
    raw = list(_POINT.iter_unpack(array.from_address(base)))
    types = layout.types
    try:
        out = [(x, y, types[kind]) for x, y, kind, _ in raw]
    except KeyError:  # a type byte not seen before: mapped as the API gives it, at its first point
        for index, (_, _, kind, _) in enumerate(raw):
            if kind not in types:
                segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
                types[kind] = pdfium_c.FPDFPathSegment_GetType(segment)
        out = [(x, y, types[kind]) for x, y, kind, _ in raw]
    closed = raw[-1][3] != 0
    if layout.checked is None:
        layout.checked = _segments_by_call(obj, count) == (out, closed)
        if not layout.checked:
            return _segments_by_call(obj, count)
    return out, closed


@dataclass
class TextObject:
    """A text object's painting order and box (display frame)."""

    z: int
    box: tuple[float, float, float, float]
    matrix: tuple[float, float, float, float, float, float]
    """Form matrices above the object (user space), for objects inside form XObjects."""


@dataclass
class Graphics:
    rules_h: list[Rule] = field(default_factory=list)
    rules_v: list[Rule] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    image_z: list[int] = field(default_factory=list)
    icons: list[Shape] = field(default_factory=list)
    """Small images with their colour (kind "image"; `share` set for a bar)."""
    text: dict[int, TextObject] = field(default_factory=dict)
    """Text objects by handle address."""


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, float, float, float, float, float]:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _Reader:
    def __init__(self, frame: Frame, page: pdfium_c.FPDF_PAGE | None = None,
                 document: pdfium_c.FPDF_DOCUMENT | None = None) -> None:
        self.frame = frame
        self.page = page
        self.document = document
        self.out = Graphics()
        self.z = 0
        self._matrix = pdfium_c.FS_MATRIX()
        self._l, self._b, self._r, self._t = (ctypes.c_float() for _ in range(4))
        self._rgba = [ctypes.c_uint() for _ in range(4)]
        self._fill_mode, self._stroke = ctypes.c_int(), pdfium_c.FPDF_BOOL()
        self._width = ctypes.c_float()

    def matrix(self, obj: pdfium_c.FPDF_PAGEOBJECT) -> tuple[float, float, float, float, float, float]:
        m = self._matrix
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
            return _IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def bounds(self, obj: pdfium_c.FPDF_PAGEOBJECT,
               outer: tuple[float, ...]) -> tuple[float, float, float, float] | None:
        if not pdfium_c.FPDFPageObj_GetBounds(obj, self._l, self._b, self._r, self._t):
            return None
        left, bottom, right, top = self._l.value, self._b.value, self._r.value, self._t.value
        if outer is not _IDENTITY:
            corners = [_apply(outer, x, y) for x in (left, right) for y in (bottom, top)]
            left, right = min(p[0] for p in corners), max(p[0] for p in corners)
            bottom, top = min(p[1] for p in corners), max(p[1] for p in corners)
        return self.frame.box(left, bottom, right, top)

    def fill(self, obj: pdfium_c.FPDF_PAGEOBJECT) -> tuple[int, int, int, int]:
        r, g, b, a = self._rgba
        if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a):
            return (0, 0, 0, 255)
        return (r.value, g.value, b.value, a.value)

    def walk(self, count: int, get: object, outer: tuple[float, ...], depth: int) -> None:
        for index in range(count):
            obj = get(index)  # type: ignore[operator]
            if not obj:
                continue
            self.z += 1
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                box = self.bounds(obj, outer)
                if box is not None:
                    address = ctypes.cast(obj, ctypes.c_void_p).value or 0
                    self.out.text[address] = TextObject(z=self.z, box=box, matrix=tuple(outer))  # type: ignore[arg-type]
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                self.path(obj, outer)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                box = self.bounds(obj, outer)
                if box is not None:
                    self.out.images.append(box)
                    self.out.image_z.append(self.z)
                    self.icon(obj, box)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_DEPTH:
                inner = _compose(self.matrix(obj), outer)
                self.walk(pdfium_c.FPDFFormObj_CountObjects(obj),
                          lambda i, form=obj: pdfium_c.FPDFFormObj_GetObject(form, i), inner, depth + 1)

    def icon(self, obj: pdfium_c.FPDF_PAGEOBJECT, box: tuple[float, float, float, float]) -> None:
        x0, top, x1, bottom = box
        if self.document is None or self.page is None or not is_icon_size(x1 - x0, bottom - top):
            return
        found = icon_colour(self.document, self.page, obj, x1 - x0, bottom - top)
        if found is not None:
            (r, g, b), share = found
            self.out.icons.append(Shape(x0=x0, top=top, x1=x1, bottom=bottom, fill=(r, g, b, 255), kind="image",
                                        z=self.z, share=share))

    def path(self, obj: pdfium_c.FPDF_PAGEOBJECT, outer: tuple[float, ...]) -> None:
        fill_mode, stroke = self._fill_mode, self._stroke
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            return
        filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE
        stroked = stroke.value
        if not filled and not stroked:
            return  # a clipping path or an unpainted one
        frame = self.frame
        ma, mb, mc, md, me, mf = _compose(_compose(self.matrix(obj), outer),
                                          (frame.a, frame.b, frame.c, frame.d, frame.e, frame.f))
        stroke_width = 0.0
        if stroked and pdfium_c.FPDFPageObj_GetStrokeWidth(obj, self._width):
            stroke_width = self._width.value
        subpaths: list[list[tuple[float, float]]] = []
        curved = False
        segments, closed = path_segments(obj)
        point = (0.0, 0.0)
        for px, py, kind in segments:
            point = (ma * px + mc * py + me, mb * px + md * py + mf)
            if not subpaths:  # the first point starts a subpath, whatever its segment's type
                subpaths.append([point])
            elif kind == _MOVETO:
                if filled and len(subpaths[-1]) > 2 and subpaths[-1][0] != subpaths[-1][-1]:
                    subpaths[-1].append(subpaths[-1][0])  # a filled subpath is closed
                subpaths.append([point])
            else:
                curved = curved or kind == _BEZIERTO
                subpaths[-1].append(point)
        if closed and subpaths and subpaths[-1][0] != point:
            subpaths[-1].append(subpaths[-1][0])
        if not subpaths:
            return
        rects = [_rectangle(sub) for sub in subpaths]
        rules_h, rules_v = self.out.rules_h, self.out.rules_v
        unstroked_fill = filled and not stroked
        for sub, rect in zip(subpaths, rects, strict=True):
            if rect is not None:  # its four sides as _edge takes them (x0 <= x1, top <= bottom), without the calls
                x0, top, x1, bottom = rect
                shading = unstroked_fill and min(x1 - x0, bottom - top) > _THIN
                if x1 - x0 > _STRAIGHT:
                    rules_h.append(Rule(x0, top, x1, top, stroke_width, shading))
                    rules_h.append(Rule(x0, bottom, x1, bottom, stroke_width, shading))
                if bottom - top > _STRAIGHT:
                    rules_v.append(Rule(x0, top, x0, bottom, stroke_width, shading))
                    rules_v.append(Rule(x1, top, x1, bottom, stroke_width, shading))
            elif not curved:
                for (xa, ya), (xb, yb) in zip(sub, sub[1:], strict=False):
                    self._edge(xa, ya, xb, yb, stroke_width)
        if filled:
            xs = [p[0] for sub in subpaths for p in sub]
            ys = [p[1] for sub in subpaths for p in sub]
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            if min(x1 - x0, bottom - top) <= _THIN and rects[0] is not None:
                return  # a thin filled rectangle is a rule, not a shape
            if len(subpaths) == 1 and rects[0] is not None:
                kind_name = "rect"
            elif curved and 0.75 <= (x1 - x0) / max(bottom - top, 1e-6) <= 1.33:
                kind_name = "round"
            else:
                kind_name = "path"
            self.out.shapes.append(Shape(x0=x0, top=top, x1=x1, bottom=bottom, fill=self.fill(obj),
                                         kind=kind_name, z=self.z))

    def _edge(self, xa: float, ya: float, xb: float, yb: float, width: float, fill_edge: bool = False) -> None:
        if abs(ya - yb) <= _STRAIGHT and abs(xb - xa) > _STRAIGHT:
            y = min(ya, yb)
            self.out.rules_h.append(Rule(x0=min(xa, xb), top=y, x1=max(xa, xb), bottom=y, width=width,
                                         fill_edge=fill_edge))
        elif abs(xa - xb) <= _STRAIGHT and abs(yb - ya) > _STRAIGHT:
            x = min(xa, xb)
            self.out.rules_v.append(Rule(x0=x, top=min(ya, yb), x1=x, bottom=max(ya, yb), width=width,
                                         fill_edge=fill_edge))


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _rectangle(points: list[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """An axis-aligned rectangle (4 corners, closed or not) as (x0, top, x1, bottom)."""
    count = len(points)
    if count == 5:
        (xa, ya), (xe, ye) = points[0], points[4]
        if abs(xa - xe) > 0.01 or abs(ya - ye) > 0.01:
            return None
    elif count != 4:
        return None
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    if abs(x0 - x1) <= 0.01 and abs(y1 - y2) <= 0.01 and abs(x2 - x3) <= 0.01 and abs(y3 - y0) <= 0.01 or \
            abs(y0 - y1) <= 0.01 and abs(x1 - x2) <= 0.01 and abs(y2 - y3) <= 0.01 and abs(x3 - x0) <= 0.01:
        return min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2)
    return None


def read_graphics(page: pdfium_c.FPDF_PAGE, frame: Frame, document: pdfium_c.FPDF_DOCUMENT | None = None) -> Graphics:
    """Rules, filled shapes, image boxes and text-object order of one loaded page; with the document
    handle also the colours of its small images (icons)."""
    reader = _Reader(frame, page, document)
    reader.walk(pdfium_c.FPDFPage_CountObjects(page), lambda i: pdfium_c.FPDFPage_GetObject(page, i),
                _IDENTITY, 0)
    return reader.out
