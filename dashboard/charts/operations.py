"""Plotly builders for the Response, Channels and backlog, and Bot and security pages. No
Streamlit here; the shared look comes from ``dashboard.charts.common``."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.common import OKABE_ITO, WORSE, styled
from dashboard.charts.marks import bar_marks, count_axis, duration_unit, log_axis

GREY = "#999999"


def wait_split(status: dict[str, float | None]) -> go.Figure:
    """Median and p90 of requester wait, agent wait and on-hold per ticket (``status_time``'s
    overall row), on a log axis in one readable unit."""
    groups = (("requester_wait", "customer waits for support"),
              ("agent_wait", "support waits for the customer"), ("on_hold", "on hold"))  # fmt: skip
    medians = [status.get(f"{g}_median") for g, _ in groups]
    p90s = [status.get(f"{g}_p90") for g, _ in groups]
    unit, per = duration_unit([*medians, *p90s])
    labels = [label for _, label in groups]
    fig = go.Figure()
    for name, values, colour in (("median", medians, OKABE_ITO[0]), ("p90", p90s, OKABE_ITO[1])):
        scaled = [None if v is None or v <= 0 else v / per for v in values]
        fig.add_trace(
            go.Bar(x=scaled, y=labels, orientation="h", name=name, marker_color=colour,
                   hovertemplate=f"%{{y}}: {name} %{{x:,.1f}} {unit} per ticket<extra></extra>")
        )  # fmt: skip
    scaled_all = [None if v is None or v <= 0 else v / per for v in (*medians, *p90s)]
    log_axis(fig, scaled_all, f"{unit} per ticket", axis="x")
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_layout(barmode="group", title_text="Who is waiting: time in each status per ticket")
    return styled(fig, 260)


def queue_by_hour(queue: pl.DataFrame) -> go.Figure:
    """Mean conversations waiting per hour of day (bars) and the longest queue (line)."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(x=queue["hour"].to_list(), y=queue["mean_waiting"].to_list(),
               name="waiting on average", marker_color=OKABE_ITO[0],
               customdata=queue.select("n", "unanswered").rows(),
               hovertemplate="%{x}:00-%{x}:59: %{y:,.1f} conversations waiting on average "
               "(%{customdata[0]:,} waits; %{customdata[1]:,} never answered)<extra></extra>")
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=queue["hour"].to_list(), y=queue["max_waiting"].to_list(), mode="lines",
                   name="longest queue", line={"color": OKABE_ITO[1], "shape": "hv"},
                   hovertemplate="%{x}:00-%{x}:59: at most %{y:,} waiting<extra></extra>")
    )  # fmt: skip
    fig.update_xaxes(title_text="hour of day (reporting time zone)", dtick=2)
    fig.update_yaxes(title_text="conversations waiting", rangemode="tozero")
    fig.update_layout(title_text="Chat queue by hour of day")
    return styled(fig)


def backlog_trend(backlog: pl.DataFrame, bucket: str) -> go.Figure:
    """Open tickets at the end of each bucket (bars; provisional pale), opened and closed
    (lines); each bar carries its bucket start for drill-down."""
    frame = backlog.with_columns(key=pl.col(bucket).cast(pl.String))
    fig = go.Figure()
    fig.add_trace(
        go.Bar(x=frame[bucket].to_list(), y=frame["open"].to_list(), name="open at the end",
               marker=bar_marks(frame, OKABE_ITO[0]), customdata=frame.select("key").rows(),
               hovertemplate="%{customdata[0]}: %{y:,} tickets open at the end<extra></extra>")
    )  # fmt: skip
    for column, colour in (("opened", OKABE_ITO[2]), ("closed", OKABE_ITO[1])):
        fig.add_trace(
            go.Scatter(x=frame[bucket].to_list(), y=frame[column].to_list(), mode="lines",
                       name=column, line={"color": colour},
                       hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:,}} {column}<extra></extra>")
        )  # fmt: skip
    count_axis(fig, "tickets", [*frame["open"], *frame["opened"], *frame["closed"]])
    fig.update_xaxes(title_text=bucket)
    fig.update_layout(title_text=f"Open tickets per {bucket} (click a bar for the tickets opened)")
    return styled(fig)


def backlog_ages(ages: pl.DataFrame) -> go.Figure:
    """Open tickets per age band, youngest first (the bands' natural order)."""
    frame = ages.sort("band_order")
    colours = [WORSE if hours >= 168 else OKABE_ITO[0] for hours in frame["from_hours"]]
    fig = go.Figure(
        go.Bar(x=frame["band"].to_list(), y=frame["n"].to_list(), marker_color=colours,
               customdata=frame.select("band").rows(),
               hovertemplate="%{x}: %{y:,} open tickets<extra></extra>")
    )  # fmt: skip
    fig.update_xaxes(title_text="age (time since creation)", type="category",
                     categoryorder="array", categoryarray=frame["band"].to_list())  # fmt: skip
    count_axis(fig, "open tickets", frame["n"].to_list())
    fig.update_layout(title_text="Open tickets by age (vermillion: a week or older)")
    return styled(fig, 300)


def channel_volume(breakdown: pl.DataFrame) -> go.Figure:
    """Contacts per channel (bars, largest first) with their median first response as text;
    each bar's key is the channel for drill-down."""
    frame = breakdown.with_columns(pl.col("channel").fill_null("(none)"))
    fig = go.Figure(
        go.Bar(x=frame["channel"].to_list(), y=frame["contacts"].to_list(),
               marker_color=OKABE_ITO[0], customdata=frame.select("channel", "share").rows(),
               hovertemplate="%{customdata[0]}: %{y:,} contacts (%{customdata[1]:.1%})"
               "<extra></extra>")
    )  # fmt: skip
    fig.update_xaxes(title_text="channel", type="category")
    count_axis(fig, "contacts", frame["contacts"].to_list())
    fig.update_layout(title_text="Contacts per channel (click a bar for its contacts)")
    return styled(fig, 300)
