"""PDF marks stage: a page's filled shapes and icons -> the small coloured marks of the IR (status marks).

A mark is a small filled shape or image shaped like a dot (both sides at most DOT_SIDE, about
square) or a bar (BAR_HEIGHT high at most, three times as wide), with no text painted over it and not
part of a larger shape of its colour: a shape with text over it, or a piece of a larger one, is a
cell's or a heading's background. Layout and colour only; what a colour means is lexicon data
(`extractors/lexicons/*/goal_status.yml`).

A glyph of a symbol font set as a mark (Wingdings 'l', a dot, coloured) is a mark too, and no text
(`glyph_marks`): the fonts and glyphs are lexicon data (`mark_glyphs`); a glyph with a letter right after
it on its row is a list bullet and stays text.
"""

from __future__ import annotations

from functools import cache, lru_cache

from extractors.lexicon import LANGUAGES, load
from extractors.pdf.chars import Char
from extractors.pdf.icons import is_icon_size
from extractors.pdf.lines import Line
from extractors.pdf.page import PageContent, Shape
from extractors.patterns import FONT_SUBSET_TAG
from models import BBox, Mark

DOT_SIDE = 20.0
MIN_SIDE = 4.0
BAR_HEIGHT = 16.0
BAR_RATIO = 3.0
_WHITE = 235  # every channel at least this: paper white, no mark
_SAME_BOX = 1.0  # points within which two boxes of one colour are one mark painted twice
BULLET_GAP = 2.5
"""Font sizes within which a letter after a symbol glyph on its row makes the glyph a list bullet."""


def _hex(fill: tuple[int, int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*fill[:3])


def _under_text(shape: Shape, lines: list[Line]) -> bool:
    for line in lines:
        if line.bottom < shape.top or line.top > shape.bottom:
            continue
        for word in line.words:
            cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            if shape.contains(cx, cy):
                return True
    return False


def _mark_shaped(width: float, height: float) -> bool:
    if not is_icon_size(width, height) or min(width, height) < MIN_SIDE:
        return False
    dot = max(width, height) <= DOT_SIDE and max(width, height) <= 2 * min(width, height)
    return dot or (height <= BAR_HEIGHT and width >= BAR_RATIO * height)


def _piece_of_larger(shape: Shape, shapes: list[Shape]) -> bool:
    """Inside (or edge to edge with) a larger shape of the same colour: a piece of a background."""
    area = (shape.x1 - shape.x0) * (shape.bottom - shape.top)
    for other in shapes:
        if other is shape or other.fill != shape.fill or (other.x1 - other.x0) * (other.bottom - other.top) <= area:
            continue
        if other.x0 - _SAME_BOX <= shape.x0 and shape.x1 <= other.x1 + _SAME_BOX and \
                other.top - _SAME_BOX <= shape.top and shape.bottom <= other.bottom + _SAME_BOX:
            return True
    return False


@cache
def _mark_glyphs() -> tuple[tuple[str, frozenset[str]], ...]:
    """(font key without spaces, glyphs) from every language's goal-status lexicon, the longest key first."""
    found: dict[str, set[str]] = {}
    for language in LANGUAGES:
        for font, glyphs in load("goal_status", language).extra.get("mark_glyphs", {}).items():
            found.setdefault(str(font).replace(" ", "").lower(), set()).update(str(g) for g in glyphs)
    return tuple(sorted(((k, frozenset(v)) for k, v in found.items()), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=4096)
def _font_mark_glyphs(font_name: str) -> frozenset[str] | None:
    """The mark glyphs of a font (by its name, subset tag and spaces ignored), None for a font without any;
    cached per name: a page asks for every character."""
    font = FONT_SUBSET_TAG.sub("", font_name).replace(" ", "").replace("-", "").lower()
    return next((g for key, g in _mark_glyphs() if font.startswith(key)), None)


def _is_mark_glyph(char: Char) -> bool:
    glyphs = _font_mark_glyphs(char.font)
    return glyphs is not None and char.text in glyphs


def _is_bullet(char: Char, chars: list[Char]) -> bool:
    centre = (char.top + char.bottom) / 2
    reach = char.x1 + BULLET_GAP * char.size
    return any(other.direction == char.direction and other.text.isalpha() and char.x1 <= other.x0 <= reach
               and abs((other.top + other.bottom) / 2 - centre) <= char.size / 2 and not _is_mark_glyph(other)
               for other in chars)


def glyph_marks(chars: list[Char]) -> tuple[list[Char], list[Shape]]:
    """The page's characters without the symbol glyphs set as marks, and those glyphs as shapes of kind
    'glyph' filled in the glyph's colour (a black glyph when its colour is unknown)."""
    # each font's mark glyphs looked up once (most pages set no symbol font: no character is tested)
    fonts = {font: own for font in {c.font for c in chars} if (own := _font_mark_glyphs(font)) is not None}
    if not fonts:
        return chars, []
    glyphs = [c for c in chars if c.font in fonts and c.text in fonts[c.font] and not _is_bullet(c, chars)]
    if not glyphs:
        return chars, []
    taken = {id(c) for c in glyphs}
    shapes = [Shape(x0=c.x0, top=c.top, x1=c.x1, bottom=c.bottom, fill=c.color or (0, 0, 0, 255), kind="glyph")
              for c in glyphs]
    return [c for c in chars if id(c) not in taken], shapes


def page_marks(page: PageContent) -> list[Mark]:
    """The page's marks in reading order (top to bottom, left to right)."""
    marks: list[Mark] = []
    for shape in [*page.shapes, *page.icons]:
        width, height = shape.x1 - shape.x0, shape.bottom - shape.top
        if not _mark_shaped(width, height) or shape.fill[3] == 0 or all(c >= _WHITE for c in shape.fill[:3]):
            continue
        if _piece_of_larger(shape, page.shapes) or _under_text(shape, page.lines):
            continue
        colour = _hex(shape.fill)
        box = BBox(x0=shape.x0, top=shape.top, x1=shape.x1, bottom=shape.bottom).rounded()
        if any(m.colour == colour and abs(m.bbox.x0 - box.x0) <= _SAME_BOX and abs(m.bbox.top - box.top) <= _SAME_BOX
               and abs(m.bbox.x1 - box.x1) <= _SAME_BOX for m in marks):
            continue
        marks.append(Mark(bbox=box, colour=colour, kind=shape.kind,  # type: ignore[arg-type]
                          share=shape.share))
    return sorted(marks, key=lambda m: (round(m.bbox.top), m.bbox.x0))
