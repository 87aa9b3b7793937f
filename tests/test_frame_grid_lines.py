"""The rules and shapes standing at each grid line of a ruled frame (issue 12): found by bisection over their
sorted positions, they are the ones testing every rule against every line gives, in the same order, on the
ruled pages of a real budget book and on positions at the edge of SNAP or not finite."""

from __future__ import annotations

import math
from operator import attrgetter
from pathlib import Path

import pypdfium2 as pdfium

from extractors.pdf.frame_grid import SNAP, at_lines, snap
from extractors.pdf.frames import _merge
from extractors.pdf.page import Rule
from extractors.pdf.pages import read_page

KAUHAVA = "fi_kauhava_tilinpaatos_2024.pdf"  # in the shared corpus (corpus_dir: its absence fails, never skips)


def _every(lines: list[float], items: list, position) -> dict[float, list]:
    return {line: [item for item in items if abs(position(item) - line) <= SNAP] for line in lines}


def test_grid_lines_of_real_pages(corpus_dir: Path) -> None:
    pdf = pdfium.PdfDocument(corpus_dir / "real" / KAUHAVA)
    tried = 0
    for index in range(0, len(pdf), 8):
        page = read_page(pdf, index)
        vs = _merge([r for r in page.rules_v if not r.fill_edge], horizontal=False)
        hs = _merge([r for r in page.rules_h if not r.fill_edge], horizontal=True)
        xs, ys = snap([r.x0 for r in vs]), snap([r.top for r in hs])
        for lines, items, position in ((xs, vs, attrgetter("x0")), (ys, hs, attrgetter("top")),
                                       (xs, page.shapes, attrgetter("x1")), (xs, page.shapes, attrgetter("x0"))):
            found = at_lines(lines, items, position)
            assert found == _every(lines, items, position)
            assert all(a is b for line in lines for a, b in zip(found[line], _every(lines, items, position)[line],
                                                                strict=True))
            tried += sum(len(v) for v in found.values())
    assert tried > 200  # the book has ruled tables


def test_grid_lines_at_the_edge_and_not_finite() -> None:
    rules = [Rule(x, 0.0, x, 10.0) for x in (100.0, 100.0 + SNAP, 100.0 - SNAP, 102.0000001, 97.9999999, 50.0,
                                             100.5, 99.5)]
    lines = [100.0, 50.0 + SNAP, 300.0]
    assert at_lines(lines, rules, attrgetter("x0")) == _every(lines, rules, attrgetter("x0"))
    odd = [*rules, Rule(math.nan, 0.0, math.nan, 10.0), Rule(math.inf, 0.0, math.inf, 10.0)]
    assert at_lines([*lines, math.inf], odd, attrgetter("x0")) == _every([*lines, math.inf], odd, attrgetter("x0"))
