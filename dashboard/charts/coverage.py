"""Plotly builders for Coverage and staffing: hour-of-week heatmaps (contacts, agents on shift,
Erlang C gap), language gaps, peak days and the volume forecast. No Streamlit here; the
shared look comes from ``dashboard.charts.common``.

Coverage slots number weekdays from 0 (Monday) in each team's time zone.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.common import OKABE_ITO, WEEKDAYS, WORSE, interval_band, styled
from dashboard.charts.marks import count_axis
from dashboard.views.analytics import language_name

GREY = "#999999"


def _grid(slots: pl.DataFrame, column: str) -> list[list[float | None]]:
    """7 x 24 values of ``column`` by weekday (0 = Monday) and hour; None where no slot."""
    cells = {(w, h): v for w, h, v in slots.select("weekday", "hour", column).rows()}
    return [[cells.get((day, hour)) for hour in range(24)] for day in range(7)]


def slot_heatmap(
    slots: pl.DataFrame, column: str, title: str, unit: str, colours: str = "Cividis"
) -> go.Figure:
    """Heatmap of one per-slot figure (``coverage_by_hour`` or ``staffing_by_hour`` rows)."""
    fig = go.Figure(
        go.Heatmap(
            z=_grid(slots, column),
            x=list(range(24)),
            y=list(WEEKDAYS),
            colorscale=colours,
            colorbar={"title": {"text": unit}},
            hovertemplate=f"%{{y}} %{{x}}:00-%{{x}}:59: %{{z:,.1f}} {unit}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title_text="weekday")
    fig.update_xaxes(title_text="hour of day (team time zone)", dtick=2)
    fig.update_layout(title_text=title)
    return styled(fig, 320)


def staffing_gap(slots: pl.DataFrame, basis: list[str]) -> go.Figure:
    """Heatmap of rostered agents needed (Erlang C, with shrinkage) minus agents on shift:
    vermillion = short, blue = more on shift than needed; a slot without an arrival rate is
    blank. ``basis``: per row of ``slots``, what its rate rests on (in the hover text)."""
    gaps = _grid(slots, "gap")
    needed, on_shift = _grid(slots, "rostered_needed"), _grid(slots, "on_shift")
    waits = _grid(slots, "expected_wait_seconds")
    based = _grid(slots.with_columns(basis=pl.Series(basis, dtype=pl.String)), "basis")
    custom = [
        [[n, o, "cannot keep up" if w is None and n else f"{w or 0:,.0f} s", b]
         for n, o, w, b in zip(nr, orow, wr, br, strict=True)]
        for nr, orow, wr, br in zip(needed, on_shift, waits, based, strict=True)
    ]  # fmt: skip
    largest = max((abs(v) for row in gaps for v in row if v is not None), default=1.0) or 1.0
    fig = go.Figure(
        go.Heatmap(
            z=gaps,
            x=list(range(24)),
            y=list(WEEKDAYS),
            zmid=0,
            zmin=-largest,
            zmax=largest,
            colorscale=[[0, OKABE_ITO[0]], [0.5, "#f7f7f7"], [1, WORSE]],
            colorbar={"title": {"text": "agents short"}},
            customdata=custom,
            hoverongaps=False,  # a blank slot: too few contacts to judge, even pooled
            hovertemplate=(
                "%{y} %{x}:00-%{x}:59: %{customdata[0]} rostered agents needed, "
                "%{customdata[1]:.1f} on shift (%{z:+.1f}); expected wait with them: "
                "%{customdata[2]}; arrival rate from %{customdata[3]}<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(autorange="reversed", title_text="weekday")
    fig.update_xaxes(title_text="hour of day (team time zone)", dtick=2)
    fig.update_layout(title_text="Staffing gap per hour: rostered agents needed minus on shift")
    return styled(fig, 320)


def language_gaps(table: pl.DataFrame) -> go.Figure:
    """Bars of contacts in a language nobody on shift spoke, per language (``language_gaps``
    with slot='all'); the bar's key is the language code for drill-down."""
    fig = go.Figure(
        go.Bar(
            x=table["gap_contacts"].to_list(),
            y=[language_name(code) for code in table["language"]],
            orientation="h",
            marker_color=WORSE,
            text=[f"{s:.0%} of {n:,}" for s, n in table.select("gap_share", "n").rows()],
            textposition="outside",
            cliponaxis=False,
            customdata=table.select("language", "n", "frt_median_gap", "frt_median_covered").rows(),
            hovertemplate=(
                "%{y}: %{x:,} of %{customdata[1]:,} contacts arrived when no agent on shift "
                "spoke it; median first response %{customdata[2]:,.0f} min then, "
                "%{customdata[3]:,.0f} min otherwise<extra></extra>"
            ),
        )
    )
    largest = int(table["gap_contacts"].max() or 1)
    fig.update_xaxes(
        title_text="contacts with nobody on shift speaking the language", range=[0, largest * 1.35]
    )
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_layout(title_text="Language gaps (click a bar for its contacts)")
    return styled(fig, 120 + 40 * max(table.height, 1))


def peak_days(days: pl.DataFrame) -> go.Figure:
    """Bars of contacts per day (``peak_days`` view='days'), peaks in vermillion, with the
    baseline and the peak threshold as lines; each bar's key is its ISO day."""
    frame = days.with_columns(key=pl.col("day").cast(pl.String))
    fig = go.Figure(
        go.Bar(
            x=frame["day"].to_list(),
            y=frame["n"].to_list(),
            name="contacts",
            marker_color=[WORSE if p else OKABE_ITO[0] for p in frame["is_peak"]],
            customdata=frame.select("key", "status", "times_baseline").rows(),
            hovertemplate=(
                "%{customdata[0]}: %{y:,} contacts (%{customdata[1]}; "
                "%{customdata[2]:.1f} x the baseline)<extra></extra>"
            ),
        )
    )
    for column, name, dash in (("baseline", "baseline (28-day median)", "solid"),
                               ("threshold", "peak threshold", "dot")):  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=frame["day"].to_list(),
                y=frame[column].to_list(),
                mode="lines",
                name=name,
                line={"color": GREY if dash == "dot" else OKABE_ITO[1], "dash": dash},
                hovertemplate=f"%{{x|%Y-%m-%d}}: {name} %{{y:,.0f}} contacts<extra></extra>",
            )  # fmt: skip
        )
    count_axis(fig, "contacts per day", [*frame["n"], *frame["threshold"]])
    fig.update_xaxes(title_text="creation day")
    fig.update_layout(title_text="Contacts per day and peak days (click a bar for its contacts)")
    return styled(fig)


def forecast(history: pl.DataFrame, ahead: pl.DataFrame, since: date | None = None) -> go.Figure:
    """The last days of contacts (``history``: day, n), the model's forecast with its 80%
    interval and seasonal naive (``volume_forecast`` rows), in contacts per day."""
    past = history.filter(pl.col("day") >= since) if since else history
    days = ahead["day"].to_list()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=past["day"].to_list(),
            y=past["n"].to_list(),
            mode="lines",
            name="contacts",
            line={"color": OKABE_ITO[0]},
            hovertemplate="%{x|%Y-%m-%d}: %{y:,} contacts<extra></extra>",
        )  # fmt: skip
    )
    if ahead["forecast"].null_count() < ahead.height:
        high, low = ahead["high"].to_list(), ahead["low"].to_list()
        fig.add_trace(interval_band(days, high, low, "rgba(230, 159, 0, 0.2)", "80% interval"))
        fig.add_trace(
            go.Scatter(
                x=days,
                y=ahead["forecast"].to_list(),
                mode="lines+markers",
                name="forecast",
                line={"color": OKABE_ITO[1]},
                customdata=ahead.select("low", "high").rows(),
                hovertemplate=(
                    "%{x|%Y-%m-%d}: %{y:,.0f} contacts forecast (80% interval "
                    "%{customdata[0]:,.0f} to %{customdata[1]:,.0f})<extra></extra>"
                ),
            )  # fmt: skip
        )
    fig.add_trace(
        go.Scatter(
            x=days,
            y=ahead["seasonal_naive"].to_list(),
            mode="lines",
            name="seasonal naive",
            line={"color": GREY, "dash": "dash"},
            hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} contacts (same weekday last week)<extra></extra>",
        )  # fmt: skip
    )
    fig.update_yaxes(title_text="contacts per day", rangemode="tozero")
    fig.update_xaxes(title_text="day")
    fig.update_layout(title_text="Contacts per day: the next 14 days")
    return styled(fig)
