"""PDF page stage: what one page holds after reading (lines, rules, filled shapes, images, issues).

Coordinates everywhere in this package are PDF points in the page's *display frame*: origin at the
top-left corner of the crop box (intersected with the media box) after the page's /Rotate, y
growing downwards (pdfplumber's convention). Text set in another direction is read in its own
upright frame (see `extractors/pdf/chars.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from extractors.pdf.lines import Line

RULE_MIN_SHARE = 0.15
"""A horizontal rule wider than this share of the page width separates table rows (pdfplumber's
`horizontal_edges` were filtered the same way)."""


@dataclass(slots=True)
class Rule:
    """A straight ruling segment: a stroked line or one side of a rectangle (points, display frame).

    Horizontal rules have `top == bottom`, vertical ones `x0 == x1`; `width` is the stroke width;
    `fill_edge` marks a side of a filled, unstroked rectangle wider than a line (a cell's shading, a box
    behind text), which draws no border of its own.
    """

    x0: float
    top: float
    x1: float
    bottom: float
    width: float = 0.0
    fill_edge: bool = False

    @property
    def horizontal(self) -> bool:
        return abs(self.bottom - self.top) <= abs(self.x1 - self.x0)


@dataclass(slots=True)
class Shape:
    """A filled path: its box (display frame), fill colour as (r, g, b, a) 0-255, and its kind.

    `kind` is "rect" (an axis-aligned rectangle), "round" (a closed path of curves whose box is
    about square: a circle or a dot, as status marks are drawn), "path" (anything else) or "image"
    (a small image, `fill` its dominant colour; see `extractors/pdf/icons.py`).
    """

    x0: float
    top: float
    x1: float
    bottom: float
    fill: tuple[int, int, int, int]
    kind: str
    z: int = 0
    """Painting order on the page (later shapes and text cover earlier ones)."""
    share: float | None = None
    """For an image drawn as a bar: the share of its length painted in `fill` (0-1)."""

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom


@dataclass
class PageContent:
    """One page as read: its text lines, ruling lines, filled shapes, image boxes and issues.

    - `number`: 1-based page number; `width`, `height`: the display frame in points (crop box
      after /Rotate).
    - `lines`: text lines in reading order (top to bottom; text set sideways follows the upright
      text, read in its own upright frame).
    - `rules_h`, `rules_v`: horizontal and vertical ruling segments.
    - `shapes`: filled paths with their fill colour (status marks: green/yellow/red/grey dots).
    - `icons`: small images with their colour (status icons and bars drawn as pictures).
    - `images`: boxes of raster images; `image_coverage` the share of the page they cover (0-1).
    - `issues`: (code, message) pairs the reader noticed (damaged content, unusable page box);
      the document stage records them with `PlanDocument.add_issue`.
    """

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    rules_h: list[Rule] = field(default_factory=list)
    rules_v: list[Rule] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    icons: list[Shape] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    issues: list[tuple[str, str]] = field(default_factory=list)
    ocr_words: int = 0
    """Words taken from an invisible text layer over an image (an OCR layer)."""

    @property
    def rules(self) -> list[float]:
        """Tops of the horizontal rules wider than RULE_MIN_SHARE of the page (rounded to 0.1 pt)."""
        return sorted({round(r.top, 1) for r in self.rules_h if r.x1 - r.x0 > RULE_MIN_SHARE * self.width})

    @property
    def image_coverage(self) -> float:
        area = self.width * self.height
        if area <= 0:
            return 0.0
        covered = sum(max(0.0, min(x1, self.width) - max(x0, 0.0)) * max(0.0, min(b, self.height) - max(t, 0.0))
                      for x0, t, x1, b in self.images)
        return min(1.0, covered / area)


@dataclass(frozen=True, slots=True)
class Frame:
    """The affine map from PDF user space (y up) to the display frame (y down, top-left origin).

    `a, b, c, d, e, f` map (x, y) to (a*x + c*y + e, b*x + d*y + f); `rotation` is the page's
    /Rotate (0, 90, 180, 270, clockwise as shown).
    """

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float
    width: float
    height: float
    rotation: int

    @classmethod
    def for_page(cls, left: float, bottom: float, right: float, top: float, rotation: int) -> Frame:
        w, h = right - left, top - bottom
        # unrotated: X = x - left, Y = top - y; then turn clockwise by `rotation`
        if rotation == 90:
            return cls(0.0, 1.0, 1.0, 0.0, -bottom, -left, h, w, 90)
        if rotation == 180:
            return cls(-1.0, 0.0, 0.0, 1.0, right, -bottom, w, h, 180)
        if rotation == 270:
            return cls(0.0, -1.0, -1.0, 0.0, top, right, h, w, 270)
        return cls(1.0, 0.0, 0.0, -1.0, -left, top, w, h, 0)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    def vector(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y, self.b * x + self.d * y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space rectangle as (x0, top, x1, bottom) in the display frame."""
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def direction_of(dx: float, dy: float) -> int:
    """The reading direction of a baseline vector in the display frame, in degrees clockwise
    (0 left to right, 90 top to bottom, 180 upside down, 270 bottom to top), snapped to the
    nearest multiple of 90 when within 10 degrees, else rounded to a whole degree."""
    angle = math.degrees(math.atan2(dy, dx)) % 360
    snapped = round(angle / 90) * 90 % 360
    if abs((angle - snapped + 180) % 360 - 180) <= 10:
        return snapped
    return round(angle) % 360
