"""Marks every chart shares: provisional buckets, log axes with 1-2-5 ticks, natural orders.

- A *provisional* bucket (``metrics.core.provisional``: still moving, or partly covered) is
  drawn pale and hatched (bars) or hollow on a dotted line (lines), so the eye does not read
  the last days' dip as a collapse.
- Durations spanning orders of magnitude go on a log axis whose ticks are 1, 2, 5, 10, 20,
  50 ... in one readable unit (minutes, hours or days), named in the axis title.
- Ordered categories (priorities, statuses) follow the order in settings, not the alphabet.
- Count axes tick in whole numbers: a handful of contacts reads "0, 1, 2", not "0, 0, 1, 1".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

PROVISIONAL_OPACITY = 0.45
HATCH = "/"
UNITS = (("minutes", 1.0), ("hours", 60.0), ("days", 1440.0))


def provisional_flags(frame: pl.DataFrame) -> list[bool]:
    """The ``provisional`` column as a list (all False when the frame has none)."""
    if "provisional" not in frame.columns:
        return [False] * frame.height
    return [bool(v) for v in frame["provisional"].fill_null(False)]


def bar_marks(frame: pl.DataFrame, colour: str) -> dict:
    """``marker`` settings of a bar trace: provisional bars pale and hatched."""
    flags = provisional_flags(frame)
    return {
        "color": colour,
        "opacity": [PROVISIONAL_OPACITY if f else 1.0 for f in flags],
        "pattern": {"shape": [HATCH if f else "" for f in flags], "fgcolor": colour},
    }


def settled_values(values: Sequence[float | None], flags: Sequence[bool]) -> list[float | None]:
    """``values`` with the provisional points blanked (the solid line stops before them)."""
    return [None if flag else value for value, flag in zip(values, flags, strict=True)]


def provisional_line(
    x: list, y: list, flags: list[bool], colour: str, name: str, **extra: object
) -> go.Scatter | None:
    """A dotted line with hollow markers through every point, drawn under the solid settled
    line: only the provisional stretch stays visible as dotted. None when nothing is
    provisional."""
    if not any(flags):
        return None
    symbols = ["circle-open" if f else "circle" for f in flags]
    return go.Scatter(
        x=x, y=y, mode="lines+markers", name=f"{name} (provisional)",
        line={"color": colour, "dash": "dot"}, marker={"symbol": symbols, "size": 8},
        **extra,
    )  # fmt: skip


def duration_unit(minutes: Sequence[float | None]) -> tuple[str, float]:
    """The readable unit for durations (in minutes): minutes below 2 h typical, hours below
    2 days, else days; returns (name, minutes per unit)."""
    values = sorted(v for v in minutes if v is not None and v > 0)
    if not values:
        return UNITS[0]
    typical = values[len(values) // 2]
    if typical >= 2 * 1440:
        return UNITS[2]
    if typical >= 120:
        return UNITS[1]
    return UNITS[0]


def ticks_125(low: float, high: float) -> list[float]:
    """1-2-5 ticks (…, 0.1, 0.2, 0.5, 1, 2, 5, 10, …) covering [low, high] (both > 0)."""
    if low <= 0 or high <= 0:
        return [1.0]
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for step in (1, 2, 5):
            value = step * 10.0**exponent
            if low / 2.5 <= value <= high * 2.5:
                ticks.append(float(f"{value:.6g}"))
    return ticks


def tick_text(value: float) -> str:
    """ "0.5", "2", "1,000"."""
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def log_axis(fig: go.Figure, scaled: Sequence[float | None], unit: str, axis: str = "y") -> None:
    """A log axis over ``scaled`` values (already in ``unit``) with 1-2-5 ticks and the unit
    in its title."""
    values = [v for v in scaled if v is not None and v > 0]
    ticks = ticks_125(min(values), max(values)) if values else [1.0]
    settings = {
        "type": "log", "tickvals": ticks, "ticktext": [tick_text(t) for t in ticks],
        "title_text": unit if "log scale" in unit else f"{unit} (log scale)",
    }  # fmt: skip
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**settings)


def ordered(values: Sequence[str | None], order: Sequence[str]) -> list[str | None]:
    """``values`` sorted in ``order`` (e.g. settings' priority order), unknown values after
    it alphabetically, missing values last."""
    rank = {value: i for i, value in enumerate(order)}
    return sorted(
        values, key=lambda v: (v is None, rank.get(v, len(rank)) if v is not None else 0, v or "")
    )


def count_axis(fig: go.Figure, title: str, counts: Sequence[float | None]) -> None:
    """The y axis of a count (contacts, tickets) from 0 with whole-number ticks: a step of 1
    when the largest count is under 5 (plotly would tick 0.2 apart and print them rounded)."""
    largest = max((c for c in counts if c is not None), default=0)
    fig.update_yaxes(
        title_text=title, rangemode="tozero", tickformat=",d", dtick=1 if largest < 5 else None
    )
