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
from collections.abc import Sequence
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c
import pypdfium2_raw.bindings as _bindings

from extractors.pdf.icons import icon_colour, is_icon_size
from extractors.pdf.page import Frame, Rule, Shape

_MAX_DEPTH = 8  # nested form XObjects deeper than this are not followed (cycles in damaged files)
_STRAIGHT = 0.5  # points a segment may lean and still be a horizontal or vertical rule
_THIN = 2 * _STRAIGHT * 2  # a filled rectangle this thin or thinner is a rule, not a shape (nor shading)
_MOVETO, _BEZIERTO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO

def _plain(name: str, restype: object, *argtypes: object) -> object:
    """A PDFium function taking and giving handles as plain addresses (ints): ctypes builds no pointer object
    per call and converts no argument through a pointer type (the calls made for every object of a page)."""
    function = _bindings._libs["pdfium"][name]  # a new function object: pypdfium2's own is left as it is
    function.argtypes = argtypes
    function.restype = restype
    return function


_P, _INT = ctypes.c_void_p, ctypes.c_int
_page_object = _plain("FPDFPage_GetObject", _P, _P, _INT)
_page_count = _plain("FPDFPage_CountObjects", _INT, _P)
_form_object = _plain("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)
_form_count = _plain("FPDFFormObj_CountObjects", _INT, _P)
_object_type = _plain("FPDFPageObj_GetType", _INT, _P)
_draw_mode = _plain("FPDFPath_GetDrawMode", _INT, _P, _P, _P)
_get_matrix = _plain("FPDFPageObj_GetMatrix", _INT, _P, _P)
_get_bounds = _plain("FPDFPageObj_GetBounds", _INT, _P, _P, _P, _P, _P)
_fill_colour = _plain("FPDFPageObj_GetFillColor", _INT, _P, _P, _P, _P, _P)
_stroke_width = _plain("FPDFPageObj_GetStrokeWidth", _INT, _P, _P)
_count_segments = _plain("FPDFPath_CountSegments", _INT, _P)
_segment_address = _plain("FPDFPath_GetPathSegment", _P, _P, _INT)
"""FPDFPath_GetPathSegment giving the segment's address as an int."""
_TEXT, _PATH, _IMAGE, _FORM = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE,
                               pdfium_c.FPDF_PAGEOBJ_FORM)
_FILL_NONE = pdfium_c.FPDF_FILLMODE_NONE
_POINT = struct.Struct("=ffBB2x")
"""PDFium's path point (CFX_Path::Point, what a FPDF_PATHSEGMENT points to): x, y (float), type, close."""
_POINTS: dict[int, tuple[type[ctypes.Array], struct.Struct]] = {}
"""By number of points: a ctypes char array read in place over a path's point array (no copy, no call) and
the struct giving all its fields at once (x, y, type, close of each point in turn)."""
_KINDS: dict[tuple[int, ...], list[int]] = {}
"""A short path's point type bytes -> their FPDF_SEGMENT_* types (`_PointLayout.types`), by sequence (read-only
lists); kept for paths of at most _KEPT_KINDS points (rectangles, lines, marks), so that it stays small."""
_KEPT_KINDS = 16
_FLOATS4, _FLOATS6, _UINTS4, _INTS2 = (struct.Struct(f) for f in ("=4f", "=6f", "=4I", "=2i"))
_segment_type = _plain("FPDFPathSegment_GetType", _INT, _P)


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


def _segments_by_call(obj: pdfium_c.FPDF_PAGEOBJECT | int, count: int) -> tuple[list[tuple[float, float, int]], bool]:
    if isinstance(obj, int):
        obj = ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)
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


Points = tuple[Sequence[float], Sequence[float], list[int], bool]
"""A path's points as its xs, its ys and their FPDF_SEGMENT_* types, and whether its last segment closes it."""


def _by_call(obj: int, count: int) -> Points:
    out, closed = _segments_by_call(obj, count)
    return [p[0] for p in out], [p[1] for p in out], [p[2] for p in out], closed


def _points(obj: pdfium_c.FPDF_PAGEOBJECT | int) -> Points:
    """`path_segments` as three sequences (xs, ys, types) and the closing flag, the points read in one copy."""
    count = _count_segments(obj)
    if count <= 0:
        return (), (), [], False
    layout = _PointLayout
    base = _segment_address(obj, 0) if layout.checked is not False else None
    if not base or (count > 1 and _segment_address(obj, count - 1) != base + _POINT.size * (count - 1)):
        return _by_call(obj, count)
    known = _POINTS.get(count)
    if known is None:
        known = _POINTS[count] = (ctypes.c_char * (_POINT.size * count), struct.Struct("=" + "ffBB2x" * count))
    flat = known[1].unpack_from(known[0].from_address(base))
    raw = flat[2::4]
    kinds = _KINDS.get(raw)
    if kinds is None:
        types = layout.types
        for index, kind in enumerate(raw):
            if kind not in types:  # a type byte not seen before: mapped as the API gives it, at its first point
                types[kind] = _segment_type(_segment_address(obj, index))
        kinds = [types[kind] for kind in raw]
        if count <= _KEPT_KINDS:
            _KINDS[raw] = kinds
    xs, ys = flat[0::4], flat[1::4]
    closed = flat[-1] != 0
    if layout.checked is None:
        layout.checked = _segments_by_call(obj, count) == (list(zip(xs, ys, kinds, strict=True)), closed)
        if not layout.checked:
            return _by_call(obj, count)
    return xs, ys, kinds, closed


def path_segments(obj: pdfium_c.FPDF_PAGEOBJECT | int) -> tuple[list[tuple[float, float, int]], bool]:
    """A path object's points as (x, y, FPDF_SEGMENT_* type) in its own space, in order (segments PDFium cannot
    give are left out), and whether its last segment closes the figure."""
    xs, ys, kinds, closed = _points(obj)
    return list(zip(xs, ys, kinds, strict=True)), closed


@dataclass(slots=True)
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
    """One page's walk. PDFium's handles are plain addresses (ints) here, its results are read from scratch
    buffers by address, and each path's matrix is composed with the ones above it once per distinct matrix
    (the same arithmetic, in the same order, as for one path)."""

    def __init__(self, frame: Frame, page: pdfium_c.FPDF_PAGE | None = None,
                 document: pdfium_c.FPDF_DOCUMENT | None = None) -> None:
        self.frame = frame
        self._frame = (frame.a, frame.b, frame.c, frame.d, frame.e, frame.f)
        self.page = page
        self.document = document
        self.out = Graphics()
        self.z = 0
        self._matrix = (ctypes.c_float * 6)()
        self._bounds = (ctypes.c_float * 4)()
        self._rgba = (ctypes.c_uint * 4)()
        self._modes = (ctypes.c_int * 2)()
        self._width = ctypes.c_float()
        self._at_matrix, self._at_width = ctypes.addressof(self._matrix), ctypes.addressof(self._width)
        self._at_modes = ctypes.addressof(self._modes)
        self._at_bounds = tuple(ctypes.addressof(self._bounds) + 4 * i for i in range(4))
        self._at_rgba = tuple(ctypes.addressof(self._rgba) + 4 * i for i in range(4))

    def matrix(self, obj: int) -> tuple[float, float, float, float, float, float]:
        if not _get_matrix(obj, self._at_matrix):
            return _IDENTITY
        return _FLOATS6.unpack(self._matrix)  # type: ignore[return-value]

    def bounds(self, obj: int, outer: tuple[float, ...]) -> tuple[float, float, float, float] | None:
        l_at, b_at, r_at, t_at = self._at_bounds
        if not _get_bounds(obj, l_at, b_at, r_at, t_at):
            return None
        left, bottom, right, top = _FLOATS4.unpack(self._bounds)
        if outer is not _IDENTITY:
            corners = [_apply(outer, x, y) for x in (left, right) for y in (bottom, top)]
            left, right = min(p[0] for p in corners), max(p[0] for p in corners)
            bottom, top = min(p[1] for p in corners), max(p[1] for p in corners)
        a, b, c, d, e, f = self._frame  # Frame.box, inline
        xa, ya = a * left + c * bottom + e, b * left + d * bottom + f
        xb, yb = a * right + c * top + e, b * right + d * top + f
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)

    def fill(self, obj: int) -> tuple[int, int, int, int]:
        r_at, g_at, b_at, a_at = self._at_rgba
        if not _fill_colour(obj, r_at, g_at, b_at, a_at):
            return (0, 0, 0, 255)
        return _UINTS4.unpack(self._rgba)  # type: ignore[return-value]

    def walk(self, count: int, get: object, handle: int, outer: tuple[float, ...], depth: int) -> None:
        """The objects 0..count-1 of a page or form (`get(handle, index)` gives each), under `outer`."""
        out = self.out
        composed: dict[bytes | None, tuple[float, ...]] = {}
        for index in range(count):
            obj = get(handle, index)  # type: ignore[operator]
            if not obj:
                continue
            self.z += 1
            kind = _object_type(obj)
            if kind == _PATH:
                self.path(obj, outer, composed)
            elif kind == _TEXT:
                box = self.bounds(obj, outer)
                if box is not None:
                    out.text[obj] = TextObject(self.z, box, outer)  # type: ignore[arg-type]
            elif kind == _IMAGE:
                box = self.bounds(obj, outer)
                if box is not None:
                    out.images.append(box)
                    out.image_z.append(self.z)
                    self.icon(obj, box)
            elif kind == _FORM and depth < _MAX_DEPTH:
                self.walk(_form_count(obj), _form_object, obj, _compose(self.matrix(obj), outer), depth + 1)

    def icon(self, obj: int, box: tuple[float, float, float, float]) -> None:
        x0, top, x1, bottom = box
        if self.document is None or self.page is None or not is_icon_size(x1 - x0, bottom - top):
            return
        found = icon_colour(self.document, self.page, ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT),
                            x1 - x0, bottom - top)
        if found is not None:
            (r, g, b), share = found
            self.out.icons.append(Shape(x0=x0, top=top, x1=x1, bottom=bottom, fill=(r, g, b, 255), kind="image",
                                        z=self.z, share=share))

    def path(self, obj: int, outer: tuple[float, ...], composed: dict[bytes | None, tuple[float, ...]]) -> None:
        at = self._at_modes
        if not _draw_mode(obj, at, at + 4):
            return
        fill_mode, stroked = _INTS2.unpack(self._modes)
        filled = fill_mode != _FILL_NONE
        if not filled and not stroked:
            return  # a clipping path or an unpainted one
        key = bytes(self._matrix) if _get_matrix(obj, self._at_matrix) else None  # the matrix's own bits
        m = composed.get(key)
        if m is None:
            own = _IDENTITY if key is None else _FLOATS6.unpack(key)
            m = composed[key] = _compose(_compose(own, outer), self._frame)
        stroke_width = 0.0
        if stroked and _stroke_width(obj, self._at_width):
            stroke_width = self._width.value
        xs, ys, kinds, closed = _points(obj)
        if not kinds:
            return
        rest = kinds[1:]
        if _MOVETO in rest or _BEZIERTO in rest:
            self._subpaths(obj, m, xs, ys, kinds, closed, filled, stroked, stroke_width)
            return
        ma, mb, mc, md, me, mf = m
        if len(kinds) == 5 and self._box5(obj, m, xs, ys, closed, filled, stroked, stroke_width):
            return
        # one subpath of straight segments (a rectangle, a line): what _subpaths does with it, without its lists
        px = [ma * x + mc * y + me for x, y in zip(xs, ys, strict=True)]
        py = [mb * x + md * y + mf for x, y in zip(xs, ys, strict=True)]
        if closed and (px[0], py[0]) != (px[-1], py[-1]):
            px.append(px[0])
            py.append(py[0])
        rect = _rectangle_xy(px, py)
        if rect is not None:
            self._sides(*rect, stroke_width, filled and not stroked)
        else:
            edge = self._edge
            for k in range(len(px) - 1):
                edge(px[k], py[k], px[k + 1], py[k + 1], stroke_width)
        if filled:
            x0, x1, top, bottom = min(px), max(px), min(py), max(py)
            if min(x1 - x0, bottom - top) <= _THIN and rect is not None:
                return  # a thin filled rectangle is a rule, not a shape
            self.out.shapes.append(Shape(x0, top, x1, bottom, self.fill(obj), "rect" if rect is not None else "path",
                                         self.z))

    def _box5(self, obj: int, m: tuple[float, ...], xs: Sequence[float], ys: Sequence[float], closed: bool,
              filled: bool, stroked: int, stroke_width: float) -> bool:
        """A path of five points in one straight subpath (a rectangle drawn m l l l h) when it is one, read
        point by point as the lists above read it; False (nothing done) when it is not."""
        ma, mb, mc, md, me, mf = m
        (a0, a1, a2, a3, a4), (b0, b1, b2, b3, b4) = xs, ys
        x0, x4 = ma * a0 + mc * b0 + me, ma * a4 + mc * b4 + me
        y0, y4 = mb * a0 + md * b0 + mf, mb * a4 + md * b4 + mf
        if closed and (x0 != x4 or y0 != y4) or x0 - x4 > 0.01 or x0 - x4 < -0.01 or y0 - y4 > 0.01 or \
                y0 - y4 < -0.01:
            return False  # a sixth point closes it, or it does not end where it starts: no rectangle
        x1, x2, x3 = ma * a1 + mc * b1 + me, ma * a2 + mc * b2 + me, ma * a3 + mc * b3 + me
        y1, y2, y3 = mb * a1 + md * b1 + mf, mb * a2 + md * b2 + mf, mb * a3 + md * b3 + mf
        if not (-0.01 <= x0 - x1 <= 0.01 and -0.01 <= y1 - y2 <= 0.01 and -0.01 <= x2 - x3 <= 0.01 and
                -0.01 <= y3 - y0 <= 0.01 or -0.01 <= y0 - y1 <= 0.01 and -0.01 <= x1 - x2 <= 0.01 and
                -0.01 <= y2 - y3 <= 0.01 and -0.01 <= x3 - x0 <= 0.01):
            return False
        self._sides(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2), stroke_width, filled and not stroked)
        if filled:
            left, right = min(x0, x1, x2, x3, x4), max(x0, x1, x2, x3, x4)
            top, bottom = min(y0, y1, y2, y3, y4), max(y0, y1, y2, y3, y4)
            if not min(right - left, bottom - top) <= _THIN:  # a thin filled rectangle is a rule, not a shape
                self.out.shapes.append(Shape(left, top, right, bottom, self.fill(obj), "rect", self.z))
        return True

    def _sides(self, x0: float, top: float, x1: float, bottom: float, stroke_width: float,
               unstroked_fill: bool) -> None:
        """A rectangle's four sides as _edge takes them (x0 <= x1, top <= bottom), without the calls."""
        shading = unstroked_fill and min(x1 - x0, bottom - top) > _THIN
        if x1 - x0 > _STRAIGHT:
            self.out.rules_h += (Rule(x0, top, x1, top, stroke_width, shading),
                                 Rule(x0, bottom, x1, bottom, stroke_width, shading))
        if bottom - top > _STRAIGHT:
            self.out.rules_v += (Rule(x0, top, x0, bottom, stroke_width, shading),
                                 Rule(x1, top, x1, bottom, stroke_width, shading))

    def _subpaths(self, obj: int, m: tuple[float, ...], xs: Sequence[float], ys: Sequence[float], kinds: list[int],
                  closed: bool, filled: bool, stroked: int, stroke_width: float) -> None:
        """Any path: its subpaths (a filled subpath is closed), their edges or rectangles' sides, its shape."""
        ma, mb, mc, md, me, mf = m
        subpaths: list[list[tuple[float, float]]] = []
        curved = False
        point = (0.0, 0.0)
        for px, py, kind in zip(xs, ys, kinds, strict=True):
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
        unstroked_fill = filled and not stroked
        for sub, rect in zip(subpaths, rects, strict=True):
            if rect is not None:
                self._sides(*rect, stroke_width, unstroked_fill)
            elif not curved:
                for (xa, ya), (xb, yb) in zip(sub, sub[1:], strict=False):
                    self._edge(xa, ya, xb, yb, stroke_width)
        if filled:
            xs_ = [p[0] for sub in subpaths for p in sub]
            ys_ = [p[1] for sub in subpaths for p in sub]
            x0, x1, top, bottom = min(xs_), max(xs_), min(ys_), max(ys_)
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


def _rectangle_xy(xs: list[float], ys: list[float]) -> tuple[float, float, float, float] | None:
    """`_rectangle` of the points zip(xs, ys)."""
    count = len(xs)
    if count == 5:
        if abs(xs[0] - xs[4]) > 0.01 or abs(ys[0] - ys[4]) > 0.01:
            return None
    elif count != 4:
        return None
    x0, x1, x2, x3 = xs[:4]
    y0, y1, y2, y3 = ys[:4]
    if abs(x0 - x1) <= 0.01 and abs(y1 - y2) <= 0.01 and abs(x2 - x3) <= 0.01 and abs(y3 - y0) <= 0.01 or \
            abs(y0 - y1) <= 0.01 and abs(x1 - x2) <= 0.01 and abs(y2 - y3) <= 0.01 and abs(x3 - x0) <= 0.01:
        return min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2)
    return None


def read_graphics(page: pdfium_c.FPDF_PAGE, frame: Frame, document: pdfium_c.FPDF_DOCUMENT | None = None) -> Graphics:
    """Rules, filled shapes, image boxes and text-object order of one loaded page; with the document
    handle also the colours of its small images (icons)."""
    reader = _Reader(frame, page, document)
    handle = ctypes.cast(page, ctypes.c_void_p).value or 0
    reader.walk(_page_count(handle), _page_object, handle, _IDENTITY, 0)
    return reader.out
