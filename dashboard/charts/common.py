"""Plotly chart builders: each takes a metric frame and returns a figure (no Streamlit here).

Colours come from the Okabe-Ito palette, which stays distinguishable with the common
colour-vision deficiencies; every axis names its unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.marks import (
    bar_marks,
    count_axis,
    duration_unit,
    log_axis,
    ordered,
    provisional_flags,
    provisional_line,
    settled_values,
)

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)

# Above the plot, right-aligned: clear of bar labels and of the title on the left.
TOP_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1}

BUCKET_WORDS = {"day": "Day", "week": "Week of", "month": "Month of"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WORSE, BETTER, NEUTRAL = "#D55E00", "#009E73", "#0072B2"


def styled(fig: go.Figure, height: int = 340) -> go.Figure:
    """The shared look: plain-word hover labels, room for the title, legend on top.

    Backgrounds stay transparent so Streamlit's light and dark themes both apply.
    """
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hoverlabel={"namelength": -1},
        legend=TOP_LEGEND,
        title={"x": 0, "xanchor": "left"},
    )
    return fig


def interval_band(x: list, high: list, low: list, color: str, name: str) -> go.Scatter:
    """A shaded band from ``low`` to ``high`` over ``x`` (a confidence or forecast interval)."""
    return go.Scatter(
        x=x + x[::-1],
        y=high + low[::-1],
        fill="toself",
        fillcolor=color,
        line={"width": 0},
        name=name,
        hoverinfo="skip",
    )


def _bucket_key(frame: pl.DataFrame, bucket: str) -> pl.DataFrame:
    """Bucket start as a date column ``bucket`` plus its ISO text ``key`` (the drill-down key)."""
    start = pl.col(bucket).cast(pl.Date)
    return frame.with_columns(start.alias(bucket), key=start.cast(pl.String))


BUCKET_DAYS = {"day": 1, "week": 7, "month": 31}


def readable_time_axis(fig: go.Figure, starts: Sequence[date], bucket: str) -> None:
    """One bucket alone: plotly zooms its time axis to fractions of a millisecond
    ("23:59:59.9996") and draws a bar as a hairline; the axis then spans a bucket either
    side, ticks once a bucket, and a bar is most of a bucket wide."""
    if len(set(starts)) != 1:
        return
    days = BUCKET_DAYS.get(bucket, 1)
    pad, step_ms = timedelta(days=days), days * 86_400_000
    fig.update_xaxes(range=[starts[0] - pad, starts[0] + pad], tickformat="%Y-%m-%d", dtick=step_ms)
    fig.update_traces(width=0.8 * step_ms, selector={"type": "bar"})


def volume_trend(volume: pl.DataFrame, bucket: str) -> go.Figure:
    """Bars of contacts per day/week/month (``metrics.operations.volume.contact_volume`` by
    ``bucket``); each bar carries its bucket start for drill-down."""
    frame = with_reason(_bucket_key(volume, bucket))
    fig = go.Figure(
        go.Bar(
            x=frame[bucket].to_list(),
            y=frame["contacts"].to_list(),
            marker=bar_marks(frame, OKABE_ITO[0]),
            customdata=frame.select("key", "tickets", "conversations", "note").rows(),
            hovertemplate=(
                f"{BUCKET_WORDS.get(bucket, bucket)} %{{customdata[0]}}: %{{y:,}} contacts"
                "<br>%{customdata[1]:,} tickets, %{customdata[2]:,} chats without a ticket"
                "%{customdata[3]}<extra></extra>"
            ),
        )
    )
    count_axis(fig, "contacts", frame["contacts"].to_list())
    fig.update_xaxes(title_text=f"creation {bucket}")
    readable_time_axis(fig, frame[bucket].to_list(), bucket)
    fig.update_layout(title_text=f"Contacts per {bucket} (click a bar for its contacts)")
    return styled(fig)


def with_reason(frame: pl.DataFrame) -> pl.DataFrame:
    """A ``note`` column for hover texts: "<br>provisional: …" on provisional buckets."""
    if "provisional_reason" not in frame.columns:
        return frame.with_columns(note=pl.lit(""))
    return frame.with_columns(
        note=pl.when(pl.col("provisional_reason").is_not_null())
        .then(pl.format("<br>◌ provisional: {}", "provisional_reason"))
        .otherwise(pl.lit(""))
    )


def duration_trend(durations: pl.DataFrame, bucket: str, label: str) -> go.Figure:
    """Median and p90 lines of a duration metric (n, median, p90 in minutes) per bucket, on a
    log axis with 1-2-5 ticks in one readable unit; provisional buckets dotted and hollow."""
    frame = with_reason(_bucket_key(durations, bucket))
    unit, per = duration_unit(frame["median"].to_list())
    flags, x = provisional_flags(frame), frame[bucket].to_list()
    fig, shown = go.Figure(), []
    # A log axis cannot show 0 (chats answered within the minute): such points sit on a floor
    # of 6 seconds, and the hover gives the true value.
    floor = 0.1 / per
    for column, dash, colour in (("median", "solid", OKABE_ITO[0]), ("p90", "dash", OKABE_ITO[1])):
        true = [None if v is None else v / per for v in frame[column].to_list()]
        y = [None if v is None else max(v, floor) for v in true]
        shown += y
        rows = frame.select("key", "n", "note").rows()
        hover = {
            "customdata": [(*row, t) for row, t in zip(rows, true, strict=True)],
            "hovertemplate": (
                f"{column} {label.lower()}, {BUCKET_WORDS.get(bucket, bucket).lower()} "
                f"%{{customdata[0]}}: %{{customdata[3]:,.1f}} {unit} (n = %{{customdata[1]:,}})"
                "%{customdata[2]}<extra></extra>"
            ),
        }
        under = provisional_line(x, y, flags, colour, column, **hover)
        if under is not None:
            fig.add_trace(under)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=settled_values(y, flags),
                name=column,
                mode="lines+markers",
                line={"dash": dash, "color": colour},
                **hover,
            )  # fmt: skip
        )
    # A log axis: the p90 is often ten times the median, which would flatten the median line.
    log_axis(fig, shown, unit)
    fig.update_xaxes(title_text=f"creation {bucket}")
    readable_time_axis(fig, x, bucket)
    fig.update_layout(title_text=f"{label}: median and p90 per {bucket}")
    return styled(fig)


def rate_by_group(
    rates: pl.DataFrame, group: str, label: str, what: str, order: Sequence[str] = ()
) -> go.Figure:
    """Bars of a rate (value, n, hits, ci_low, ci_high) per ``group`` value, with the Wilson 95%
    interval as error bars; groups without eligible items are left out. ``order`` is the
    natural order of an ordered category (priorities from settings): bars follow it."""
    frame = rates.filter(pl.col("n") > 0)
    if order:
        rank = {value: i for i, value in enumerate(ordered(frame[group].to_list(), order))}
        frame = (
            frame.with_columns(
                _rank=pl.col(group).replace_strict(rank, default=len(rank), return_dtype=pl.Int64)
            )
            .sort("_rank")
            .drop("_rank")
        )
    frame = frame.with_columns(pl.col(group).fill_null("(none)"))
    fig = go.Figure(
        go.Bar(
            x=frame[group].to_list(),
            y=(frame["value"] * 100).to_list(),
            marker_color=OKABE_ITO[2],
            text=[f"{v:.0%}" for v in frame["value"]],
            textposition="inside",
            insidetextanchor="start",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": ((frame["ci_high"] - frame["value"]) * 100).to_list(),
                "arrayminus": ((frame["value"] - frame["ci_low"]) * 100).to_list(),
                "color": "#999999",
            },
            customdata=frame.select(group, "n", "hits", "ci_low", "ci_high").rows(),
            hovertemplate=(
                f"{label} for %{{customdata[0]}}: %{{y:.1f}}% (%{{customdata[2]:,}} of "
                f"%{{customdata[1]:,}} {what}; 95% interval %{{customdata[3]:.1%}} to "
                "%{customdata[4]:.1%})<extra></extra>"
            ),
            cliponaxis=False,
        )
    )
    fig.update_yaxes(title_text=f"{label} (%)", range=[0, 105])
    fig.update_xaxes(title_text=group, type="category", categoryorder="array",
                     categoryarray=frame[group].to_list())  # fmt: skip
    fig.update_layout(title_text=f"{label} by {group}")
    return styled(fig)


def volume_vs_staffing(slots: pl.DataFrame, on_shift: bool = True) -> go.Figure:
    """Contacts a week (bars) against agents on shift (line, right axis) for the 168 hours
    of the week (``metrics.coverage.gaps.coverage_by_hour`` rows; weekday 0 = Monday).
    ``on_shift`` False (presence not available) draws the contacts alone: never a line of
    zeros for agents nobody recorded."""
    frame = slots.sort("hour_of_week").with_columns(
        slot=pl.format(
            "{} {}:00", pl.col("weekday").replace_strict(dict(enumerate(WEEKDAYS))), pl.col("hour")
        )
    )
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=frame["hour_of_week"].to_list(),
            y=frame["contacts_per_week"].to_list(),
            name="contacts a week",
            marker_color=OKABE_ITO[0],
            customdata=frame.select("slot", "n").rows(),
            hovertemplate="%{customdata[0]}: %{y:,.1f} contacts a week "
            "(%{customdata[1]:,} in the period)<extra></extra>",
        )
    )
    if on_shift:
        fig.add_trace(
            go.Scatter(
                x=frame["hour_of_week"].to_list(),
                y=frame["on_shift"].to_list(),
                name="agents on shift",
                mode="lines",
                line={"color": OKABE_ITO[1], "width": 2, "shape": "hv"},
                yaxis="y2",
                customdata=frame.select("slot").rows(),
                hovertemplate="%{customdata[0]}: %{y:,.1f} agents on shift<extra></extra>",
            )
        )
        # Its own nice ticks (0, 5, 10 ...): ticks synced to the contacts axis fall on values
        # like 7.45 and, rounded by ",.0f", read "1, 1, 1, 0, 0".
        fig.update_layout(
            yaxis2={"title": {"text": "agents on shift"}, "overlaying": "y", "side": "right",
                    "rangemode": "tozero", "showgrid": False, "tickmode": "auto",
                    "nticks": 6, "tickformat": "~g"},
        )  # fmt: skip
    fig.update_layout(
        title_text="Contacts against agents on shift by hour of week"
        if on_shift
        else "Contacts by hour of week",
        yaxis={"title": {"text": "contacts a week"}, "rangemode": "tozero"},
        bargap=0.05,
    )
    fig.update_xaxes(
        title_text="hour of week (each team's time zone)",
        tickvals=[24 * day + 12 for day in range(7)],
        ticktext=list(WEEKDAYS),
    )
    return styled(fig, 340)
