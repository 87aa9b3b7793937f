"""PDF table continuation: a table that goes on over pages is one table.

At the top of a page, lines that fit the columns of the table the previous page ended with go on with
it (no repeated heading row), up to a numbered heading printed larger than its rows; a table under a
repeated heading row right after it is joined to it, also when a short title stands between them
('Tekninen lautakunta (jatkuu)'), which is set aside.
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.headings import is_theme_heading
from extractors.pdf.grid import Column, Graphics, Region, amount_segments, ends_open, overlap, starts_continuation
from extractors.patterns import HEADING_NUMBER, YEAR
from extractors.pdf.lines import Line
from extractors.pdf.textgrid import continue_text_body, continue_text_header, find_text_header
from extractors.pdf.values import fits
from models import Block

TITLE_BLOCKS = 2  # short blocks that may stand between a table and its continuation under a repeated heading
HEADING_STEP = 1.1  # a numbered line this much larger than the table's rows is a heading, in font sizes


def _continues_values(lines: list[Line], region: Region, previous: Line) -> int:
    columns = region.columns_for(previous.page)
    size = previous.size
    count = 0
    while count < len(lines):
        line = lines[count]
        if abs(line.size - size) > 0.25 * size or is_theme_heading(line.text):
            break
        if amount_segments(line) is None and HEADING_NUMBER.match(line.text) and line.size >= HEADING_STEP * size:
            break  # a numbered heading ('13.3 Tukipalvelut' at the top of Seinäjoki p. 184): what follows is its own
        if count and line.top - lines[count - 1].bottom > 1.6 * 1.25 * size and \
                not region.graphics_for(line.page).same_frame(lines[count - 1], line):
            break
        amounts = amount_segments(line)
        if amounts is not None:
            if not all(any(overlap(a, c) > 0 for c in columns) for a in amounts):
                break
        elif not fits(line, region.value_left, columns, region.right_aligned):
            break
        elif sum(1 for s in line.segments() if s.x0 >= region.value_left) >= 2 and \
                not any(s.is_number for s in line.segments()):
            break  # text over several value columns at a page's top: the headings of a new table
        elif _year_headings(line, region.value_left):
            break  # '2024 2023' over the value columns: the heading row of a new table
        count += 1
    # lines without figures at the end go on with the table only when they finish a label
    while count and amount_segments(lines[count - 1]) is None:
        before = lines[count - 2] if count > 1 else previous
        if starts_continuation(lines[count - 1].text) or ends_open(before.text):
            break
        count -= 1
    return count


def _year_headings(line: Line, value_left: float) -> bool:
    """A line whose runs over the value columns are all bare years ('2024 2023'): a heading row, never a
    row of figures (Kauhava's consolidated financing statement under the income statement's page)."""
    values = [s for s in line.segments() if s.x1 > value_left]
    return bool(values) and all(YEAR.fullmatch(s.text.strip()) for s in values)


def _repeats_header(line: Line, region: Region) -> bool:
    """A line without figures whose words all stand in the table's headings (a repeated heading row)."""
    if amount_segments(line) is not None or not region.header_lines:
        return False
    words = {w.text.lower() for ln in region.header_lines for w in ln.words}
    return all(w.text.lower() in words for w in line.words)


def continue_region(lines: list[Line], region: Region, graphics: Graphics) -> tuple[int, int]:
    """(heading lines, body lines) at the top of a page that go on with the table the previous page
    ended with. A text table's repeated heading row is not taken here (it starts a table that
    stitching joins); a value table's is passed over."""
    if not lines:
        return 0, 0
    region.graphics.setdefault(lines[0].page, graphics)
    if region.kind == "values":
        head = 0
        while head < len(lines) and _repeats_header(lines[head], region):
            head += 1
        previous = region.body[-1] if region.body else region.header_lines[-1]
        body = _continues_values(lines[head:], region, previous)
        return (head, body) if body else (0, 0)
    header = continue_text_header(lines, region)
    rest = lines[header:]
    if not rest or find_text_header(rest, 0) is not None:
        return header, 0
    previous = region.body[-1] if region.body else region.header_lines[-1]
    if region.kind == "text":
        return header, continue_text_body(rest, region, previous)
    return header, _continues_values(rest, region, previous)


def repeated_columns(columns: list[Column], repeated: list[Line], right_aligned: bool) -> list[Column]:
    """The value columns of a continuation page whose repeated heading row stands elsewhere than the first
    page's (margins of facing pages differ): each column moved by as much as its own heading moved.

    A heading is matched by its text to the nearest run of the repeated rows; a column whose heading is not
    found there keeps its place. Columns stay in order and never overlap. Kauhava p. 131: the balance sheet's
    '31.12.2024' stands 19 pt right of p. 130's, and its '0,00' cells were read into the next column."""
    runs = [s for ln in repeated for s in ln.segments()]
    moved: list[Column] = []
    for column in columns:
        shifts = []
        for own in column.header:
            same = [r for r in runs if r.text.lower() == own.text.lower()]
            if same:
                nearest = min(same, key=lambda r: abs(r.x1 - own.x1))
                shifts.append(nearest.x1 - own.x1 if right_aligned else nearest.x0 - own.x0)
        shift = sorted(shifts)[len(shifts) // 2] if shifts else 0.0
        x0 = column.x0 + shift
        if moved and x0 < moved[-1].x1:
            x0 = moved[-1].x1
        moved.append(Column(x0=x0, x1=max(x0, column.x1 + shift), header=column.header, groups=column.groups))
    return moved


def _same_table(prev: Region, item: Region) -> bool:
    return prev.kind == item.kind and bool(item.body) and bool(prev.body) and \
        item.body[0].page == prev.body[-1].page + 1 and prev.header_key() == item.header_key()


def _is_title(block: Block, page: int, earlier: list[str]) -> bool:
    """A short heading on the continuation page that repeats a heading printed before the table
    ('Tekninen lautakunta' -> 'Tekninen lautakunta (jatkuu)')."""
    text = " ".join(block.text.lower().split())
    return block.prov.page == page and len(text) <= 120 and block.kind in ("heading", "title") and \
        any(text.startswith(h) and len(h) >= 3 for h in earlier)


def _headings_before(out: list, region: Region, limit: int = 200) -> list[str]:
    """Headings printed between the table before this one and this one."""
    index = next((i for i in range(len(out) - 1, -1, -1) if out[i] is region), len(out))
    headings: list[str] = []
    for item in reversed(out[max(0, index - limit):index]):
        if not isinstance(item, Block):
            break
        if item.kind in ("heading", "title"):
            headings.append(" ".join(item.text.lower().split()))
    return headings


class Stitcher:
    """Stitching as the pages go (what `stitch` does over a whole sequence): items are added in order, and
    `settled` hands back, in order, the items no later item can be joined to any more, so that a caller can
    build their tables and let the regions go page by page instead of holding every region to the end.

    An item can still change while it is one of the last TITLE_BLOCKS + 1 items (a later table may be joined
    to it, and blocks between them set aside); the heading look-back of `_headings_before` reads blocks only
    and stops at the first table or frame, so a settled table or frame is kept as a `None` in its place."""

    def __init__(self, set_aside: dict[int, list[str]], ends_at_foot: Callable[[Region], bool] | None = None) -> None:
        """`ends_at_foot`: whether a table ends where its page's body ends (it may go on under a repeated
        heading row on the next page); a table ending with room left for more rows ended there, whatever the
        next page repeats (Kauhava p. 116-117: the realisation table in euros, then the tax table under the
        same headings in thousands). None: every table may go on."""
        self.set_aside = set_aside
        self.ends_at_foot = ends_at_foot
        self.out: list = []
        self.handed = 0  # items of out handed back by settled

    def add(self, item: object) -> None:
        out = self.out
        if isinstance(item, Region):
            back = 0
            while back < TITLE_BLOCKS and len(out) > back and isinstance(out[-1 - back], Block):
                back += 1
            prev = out[-1 - back] if len(out) > back else None
            if back and isinstance(prev, Region):
                earlier = _headings_before(out, prev)
                titles = all(_is_title(b, item.body[0].page, earlier) for b in out[len(out) - back:]
                             ) if item.body else False
                if not titles:
                    prev = None
            if isinstance(prev, Region) and _same_table(prev, item) and \
                    (self.ends_at_foot is None or self.ends_at_foot(prev)):
                for block in out[len(out) - back:]:
                    self.set_aside.setdefault(block.prov.page or 0, []).append(block.text)
                del out[len(out) - back:]
                prev.body += item.body
                for line in item.body:
                    prev.page_columns.setdefault(line.page, item.columns)
                prev.graphics.update(item.graphics)
                prev.continued = True
                return
        out.append(item)

    def settled(self, upto: int | None = None) -> list:
        """The items not handed back yet that can no longer change, in order, up to the upto-th item of the
        sequence when given (a `settled_count` taken earlier); every item left once the sequence has ended
        (`upto=len(self.out)`)."""
        end = self.settled_count() if upto is None else max(self.handed, upto)
        items = self.out[self.handed:end]
        for index in range(self.handed, end):
            if not isinstance(self.out[index], Block):
                self.out[index] = None  # the table's lines and graphics go with the caller
        self.handed = end
        return items

    def settled_count(self) -> int:
        """How many items of the sequence so far can no longer change (see `settled`)."""
        return max(self.handed, len(self.out) - TITLE_BLOCKS - 1)


def stitch(sequence: list, set_aside: dict[int, list[str]]) -> list:
    """Join each table to the one before it that it continues under a repeated heading row; titles
    between them are set aside (set_aside: page -> texts). Other items (blocks, ruled frames) pass."""
    stitcher = Stitcher(set_aside)
    for item in sequence:
        stitcher.add(item)
    return stitcher.settled(len(stitcher.out))
