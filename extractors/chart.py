"""The chart of finance lines: extractors/lexicons/finance_chart.yml -> each line's parent, sign and charts.

The chart is language-neutral (the lexicons name its lines in Swedish and Finnish: `extractors.lexicon`);
it says which line adds into which total, with what sign, and the further sums a total decomposes into.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from extractors.datafiles import read_yaml

CHART_FILE = Path(__file__).parent / "lexicons" / "finance_chart.yml"


@dataclass(frozen=True)
class ChartLine:
    key: str
    parent: str | None
    sign: int
    """1: adds to its parent; -1: reduces it (the document may print it negative or positive)."""
    charts: tuple[str, ...]
    """National charts that have the line: 'fi' (Finland, in Finnish and Swedish), 'se' (Sweden)."""
    also_in: tuple[str, ...] = ()
    """Further totals the line adds into (always adding, sign 1): a line printed in two statements (the
    period's surplus ends the income statement and is a part of the balance sheet's equity; minority
    interests reduce the group's surplus and are a part of its equity and liabilities)."""
    printed_under: tuple[str, ...] = ()
    """Further totals a line is printed under in another statement, for the record only: a figure of a table of
    that statement takes the total as its parent_line_key (hierarchy.statement_parents), but the line is no
    part of the total in any sum (children, decompositions): the financing statement's operating cash flow
    prints the annual margin, extraordinary items and the period's taxes, and adds them with signs of its own
    (the chart's `sums`)."""


@dataclass(frozen=True)
class Chart:
    lines: dict[str, ChartLine]
    sums: dict[str, tuple[tuple[str, int], ...]]
    """Further decompositions of a total: (part key, sign) pairs."""

    def parent(self, key: str | None) -> str | None:
        line = self.lines.get(key) if key else None
        return line.parent if line else None

    def children(self, key: str) -> tuple[tuple[str, int], ...]:
        """The lines adding into `key` (as their parent, or through also_in), as (line key, sign) in chart
        order."""
        return self._children.get(key, ())

    @cached_property
    def _children(self) -> dict[str | None, tuple[tuple[str, int], ...]]:
        found: dict[str | None, list[tuple[str, int]]] = {}
        for line in self.lines.values():
            for key in dict.fromkeys((line.parent, *line.also_in)):
                found.setdefault(key, []).append((line.key, line.sign if line.parent == key else 1))
        return {key: tuple(parts) for key, parts in found.items()}


@cache
def finance_chart() -> Chart:
    """finance_chart.yml: key -> parent, sign, charts, also_in, printed_under; and the extra sums. Raises
    ValueError naming the file when a parent, an also_in or printed_under total or a sum part is not a line of
    the chart."""
    data = read_yaml(CHART_FILE)
    lines = {key: ChartLine(key=key, parent=spec.get("parent"), sign=int(spec.get("sign", 1)),
                            charts=tuple(spec.get("charts", ("fi", "se"))), also_in=tuple(spec.get("also_in", ())),
                            printed_under=tuple(spec.get("printed_under", ())))
             for key, spec in data["lines"].items()}
    sums = {total: tuple((p.lstrip("-"), -1 if p.startswith("-") else 1) for p in parts)
            for total, parts in data.get("sums", {}).items()}
    unknown = {ln.parent for ln in lines.values() if ln.parent and ln.parent not in lines}
    unknown |= {k for ln in lines.values() for k in (*ln.also_in, *ln.printed_under) if k not in lines}
    unknown |= {k for total, parts in sums.items() for k in (total, *(p for p, _ in parts)) if k not in lines}
    if unknown:
        raise ValueError(f"{CHART_FILE.name}: unknown line keys {sorted(unknown)}")
    return Chart(lines=lines, sums=sums)
