"""PDF furniture stage: running headers, footers and page numbers are recognised and set aside."""

from __future__ import annotations

import re
from collections import Counter

from extractors.patterns import PAGE_NUMBER, YEAR
from extractors.pdf.lines import Line

MARGIN_SHARE = 0.1


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _margin_lines(lines: list[Line], height: float) -> list[Line]:
    return [ln for ln in lines if ln.bottom <= height * MARGIN_SHARE or ln.top >= height * (1 - MARGIN_SHARE)]


def _affixes(line: Line) -> set[tuple[str, int, str]]:
    """The first and the last two words of a margin line with its position: a running header whose
    chapter part changes ('Sivistyslautakunta TALOUSARVIO 2025', 'Tekninen lautakunta TALOUSARVIO 2025')
    repeats its fixed part at the same height on every page."""
    words = _shape(line.text).split()
    if len(words) < 3 or any(w.is_number and not YEAR.fullmatch(w.text) for w in line.words):
        return set()  # a line with amounts is a table row, whatever repeats in it
    found = set()
    for side, part in (("first", " ".join(words[:2])), ("last", " ".join(words[-2:]))):
        if len(part) >= 8:
            found.add((side, round(line.top / 2), part))
    return found


def _segment_keys(line: Line) -> set[tuple[str, int]]:
    return {(_shape(seg.text), round(seg.x0 / 5)) for seg in line.segments()}


def find_furniture(pages: list[tuple[list[Line], float]]) -> list[set[int]]:
    """For each page, the indexes of its lines that are page furniture: lines in the top or bottom tenth
    of the page that repeat on at least 40 % of the pages (digits ignored), or whose first or last two
    words repeat at the same height (a running header naming the current chapter), and never occur in the
    body, or one of whose runs repeats at the same place (a running header that names each page's
    section beside a fixed title); a page number on the first or last line."""
    counts: Counter[str] = Counter()
    affix_counts: Counter[tuple[str, int, str]] = Counter()
    run_counts: Counter[tuple[str, int]] = Counter()
    in_body: set[str] = set()
    for lines, height in pages:
        margin = _margin_lines(lines, height)
        counts.update({_shape(ln.text) for ln in margin})
        affix_counts.update({a for ln in margin for a in _affixes(ln)})
        run_counts.update({key for ln in margin for key in _segment_keys(ln)})
        margin_ids = {id(ln) for ln in margin}
        for ln in lines:
            if id(ln) not in margin_ids:
                in_body.add(_shape(ln.text))
                in_body.update(_shape(seg.text) for seg in ln.segments())
    repeated_min = max(2, int(0.4 * len(pages) + 0.5))
    result: list[set[int]] = []
    for lines, height in pages:
        margin = {id(ln) for ln in _margin_lines(lines, height)}
        edge = {id(lines[0]), id(lines[-1])} if lines else set()
        furniture = set()
        for index, line in enumerate(lines):
            if id(line) not in margin:
                continue
            # a repeated table header near the top of continuation pages also stands mid-page where
            # its table starts: text that occurs in the body is content, not furniture
            repeated = len(pages) > 1 and _shape(line.text) not in in_body and (
                counts[_shape(line.text)] >= repeated_min
                or any(affix_counts[a] >= repeated_min for a in _affixes(line)))
            running = len(pages) > 1 and len(line.segments()) > 1 and any(
                run_counts[key] >= repeated_min and key[0] not in in_body for key in _segment_keys(line))
            if repeated or running or (id(line) in edge and PAGE_NUMBER.match(line.text.strip())):
                furniture.add(index)
        result.append(furniture)
    return result
