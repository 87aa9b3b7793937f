"""Report stage, charts: finance series -> self-contained inline SVG line charts (no library, no network).

Contract: (title, series of (year, amount) points) -> Markup of one <svg>; pure and deterministic.
Actual, budget and amended budget are one line each; every edition's plan is its own dashed line, so the
plan printed two years before stands next to the budget and the actual of the same year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup, escape

KIND_STYLES = {
    "actual": ("#1b1b1b", ""),
    "budget": ("#1f6fb5", ""),
    "budget_amended": ("#d97b00", ""),
    "frame": ("#6b8e23", "2 3"),
}
PLAN_COLOURS = ("#2a9d8f", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085", "#d35400")
MARKERS = {"actual": "circle", "budget": "square", "budget_amended": "diamond", "frame": "square"}


@dataclass
class Series:
    label: str
    kind: str
    points: list[tuple[int, float]] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)
    """Per year: the tooltip (as printed: column label and edition)."""


def compact(value: float) -> str:
    """-4 222 400 -> '−4.22 M'; 150 500 -> '150.5 k'."""
    sign = "\u2212" if value < 0 else ""
    size = abs(value)
    if size >= 1_000_000:
        text = f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".") + " M"
    elif size >= 1_000:
        text = f"{size / 1_000:.1f}".rstrip("0").rstrip(".") + " k"
    else:
        text = f"{size:.0f}"
    return sign + text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.5:
        ticks.append(round(value, 6))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 6))
    return ticks


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} '
                f'{x - 4.5:.1f},{y:.1f}" fill="{colour}"/>')
    if shape == "ring":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="{colour}" stroke-width="2"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def style_of(series: Series, plan_index: int) -> tuple[str, str, str]:
    """(colour, dash pattern, marker shape)."""
    if series.kind == "plan":
        return PLAN_COLOURS[plan_index % len(PLAN_COLOURS)], "6 4", "ring"
    colour, dash = KIND_STYLES.get(series.kind, ("#555", ""))
    return colour, dash, MARKERS.get(series.kind, "circle")


def line_chart(title: str, series: list[Series], width: int = 600, height: int = 296) -> Markup:
    """One chart: years on x, amounts on y, a legend below; every point has a tooltip."""
    drawn = [s for s in series if s.points]
    years = sorted({year for s in drawn for year, _ in s.points})
    values = [value for s in drawn for _, value in s.points]
    left, right, top, bottom = 70, 16, 46, 40
    legend_rows = math.ceil(len(drawn) / 3) if drawn else 0
    total_height = height + legend_rows * 18
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_height}" '
             f'viewBox="0 0 {width} {total_height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    # "unit — line" titles on two lines: unit names are long.
    for number, text in enumerate(title.split(" — ", 1)):
        parts.append(f'<text x="{left}" y="{16 + 16 * number}" class="chart-title">{escape(text)}</text>')
    if not drawn:
        parts.append(f'<text x="{left}" y="{height / 2:.0f}" class="chart-empty">no figures</text></svg>')
        return Markup("".join(parts))
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(year: int) -> float:
        if len(years) == 1:
            return left + plot_w / 2
        return left + (years.index(year)) * plot_w / (len(years) - 1)

    def y_of(value: float) -> float:
        return top + (high - value) * plot_h / (high - low)

    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{compact(tick)}</text>')
    if low < 0 < high:
        parts.append(f'<line x1="{left}" y1="{y_of(0):.1f}" x2="{width - right}" y2="{y_of(0):.1f}" class="zero"/>')
    for year in years:
        parts.append(f'<text x="{x_of(year):.1f}" y="{top + plot_h + 18}" class="tick" text-anchor="middle">'
                     f"{year}</text>")
    plan_index = 0
    legend: list[tuple[str, str, str, str]] = []
    for item in drawn:
        colour, dash, marker = style_of(item, plan_index)
        plan_index += item.kind == "plan"
        points = sorted(item.points)
        coords = " ".join(f"{x_of(year):.1f},{y_of(value):.1f}" for year, value in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series series-{escape(item.kind)}">')
        if len(points) > 1:
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for year, value in points:
            note = item.notes.get(year, "")
            parts.append(f"<g>{_marker(marker, x_of(year), y_of(value), colour)}"
                         f"<title>{escape(item.label)} {year}: {escape(f'{value:,.0f}'.replace(',', ' '))}"
                         f"{escape(' — ' + note) if note else ''}</title></g>")
        parts.append("</g>")
        legend.append((item.label, colour, dash, marker))
    for index, (label, colour, dash, marker) in enumerate(legend):
        x = left + (index % 3) * 175
        y = height + (index // 3) * 18 - 4
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{x}" y1="{y}" x2="{x + 22}" y2="{y}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        parts.append(_marker(marker, x + 11, y, colour))
        parts.append(f'<text x="{x + 28}" y="{y + 4}" class="legend">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
