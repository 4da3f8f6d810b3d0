"""The growth curve as a small SVG: each figure against the data size, both on log scales.

Every series is divided by its value at the smallest size, so all start at 1 and a line's
steepness is its log-log slope; a dashed line of slope 1 marks growth in step with the data.
Hand-written SVG: plotly's static export needs a browser (kaleido), and no chart library
is worth a dependency for one chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 420, 70, 200, 30, 50
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def _scale(lo: float, hi: float, start: float, end: float):
    """Map log10(v) in [log lo, log hi] onto [start, end] (pixels)."""
    span = math.log10(hi) - math.log10(lo) or 1.0
    return lambda v: start + (math.log10(v) - math.log10(lo)) / span * (end - start)


def growth_svg(sizes: Sequence[float], series: dict[str, Sequence[float]], x_label: str) -> str:
    """SVG text: ``series`` (name -> one positive value per size) over ``sizes``."""
    ratios = {name: [v / values[0] for v in values] for name, values in series.items()}
    top = max(max(max(r) for r in ratios.values()), sizes[-1] / sizes[0]) * 1.5
    x = _scale(sizes[0], sizes[-1], LEFT, WIDTH - RIGHT)
    y = _scale(min(0.5, *(min(r) for r in ratios.values())), top, HEIGHT - BOTTOM, TOP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        ' font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        *_axes(sizes, x, y, top, x_label),
        _line([(x(s), y(s / sizes[0])) for s in sizes], "#999", 'stroke-dasharray="6 4"'),
    ]
    legend = [("in step with the data (slope 1)", "#999")]
    for (name, values), colour in zip(ratios.items(), COLOURS, strict=False):
        points = [(x(s), y(v)) for s, v in zip(sizes, values, strict=True)]
        parts.append(_line(points, colour, ""))
        parts += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>' for a, b in points]
        legend.append((name, colour))
    for i, (name, colour) in enumerate(legend):
        row = TOP + 16 * i
        parts.append(
            f'<line x1="{WIDTH - RIGHT + 12}" y1="{row}" x2="{WIDTH - RIGHT + 32}" y2="{row}"'
            f' stroke="{colour}" stroke-width="2"/><text x="{WIDTH - RIGHT + 36}" y="{row + 4}">'
            f"{escape(name)}</text>"
        )
    return "\n".join([*parts, "</svg>"]) + "\n"


def _line(points: list[tuple[float, float]], colour: str, extra: str) -> str:
    path = " ".join(f"{a:.1f},{b:.1f}" for a, b in points)
    return f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" {extra}/>'


def _axes(sizes: Sequence[float], x, y, top: float, x_label: str) -> list[str]:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="black"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="black"/>',
        f'<text x="{(LEFT + right) / 2}" y="{HEIGHT - 12}" text-anchor="middle">'
        f"{escape(x_label)} (log scale)</text>",
        f'<text x="16" y="{(TOP + bottom) / 2}" transform="rotate(-90 16 {(TOP + bottom) / 2})"'
        ' text-anchor="middle">× the smallest size (log scale)</text>',
    ]
    for size in sizes:
        parts.append(
            f'<text x="{x(size):.1f}" y="{bottom + 16}" text-anchor="middle">{size:,.0f}</text>'
        )
    tick = 1.0
    while tick <= top:
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>'
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}"'
            ' stroke="#eee"/>'
        )
        tick *= 10
    return parts
