"""Plotly chart builders: each takes a metric frame and returns a figure (no Streamlit here).

Colours come from the Okabe-Ito palette, which stays distinguishable with the common
colour-vision deficiencies; every axis names its unit.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

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


def volume_trend(volume: pl.DataFrame, bucket: str) -> go.Figure:
    """Bars of contacts per day/week/month (``metrics.operations.volume.contact_volume`` by
    ``bucket``); each bar carries its bucket start for drill-down."""
    frame = _bucket_key(volume, bucket)
    fig = go.Figure(
        go.Bar(
            x=frame[bucket].to_list(),
            y=frame["contacts"].to_list(),
            marker_color=OKABE_ITO[0],
            customdata=frame.select("key", "tickets", "conversations").rows(),
            hovertemplate=(
                f"{BUCKET_WORDS.get(bucket, bucket)} %{{customdata[0]}}: %{{y:,}} contacts"
                "<br>%{customdata[1]:,} tickets, %{customdata[2]:,} chats without a ticket"
                "<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(title_text="contacts", rangemode="tozero", tickformat=",d")
    fig.update_xaxes(title_text=f"creation {bucket}")
    fig.update_layout(title_text=f"Contacts per {bucket} (click a bar for its contacts)")
    return styled(fig)


def duration_trend(durations: pl.DataFrame, bucket: str, label: str) -> go.Figure:
    """Median and p90 lines of a duration metric (n, median, p90 in minutes) per bucket."""
    frame = _bucket_key(durations, bucket)
    fig = go.Figure()
    for column, dash, colour in (("median", "solid", OKABE_ITO[0]), ("p90", "dash", OKABE_ITO[1])):
        fig.add_trace(
            go.Scatter(
                x=frame[bucket].to_list(),
                y=frame[column].to_list(),
                name=column,
                mode="lines+markers",
                line={"dash": dash, "color": colour},
                customdata=frame.select("key", "n").rows(),
                hovertemplate=(
                    f"{column} {label.lower()}, {BUCKET_WORDS.get(bucket, bucket).lower()} "
                    "%{customdata[0]}: %{y:,.1f} minutes (n = %{customdata[1]:,})<extra></extra>"
                ),
            )
        )
    # A log axis: the p90 is often ten times the median, which would flatten the median line.
    fig.update_yaxes(title_text="minutes (log scale)", type="log")
    fig.update_xaxes(title_text=f"creation {bucket}")
    fig.update_layout(title_text=f"{label}: median and p90 per {bucket}")
    return styled(fig)


def rate_by_group(rates: pl.DataFrame, group: str, label: str, what: str) -> go.Figure:
    """Bars of a rate (value, n, hits, ci_low, ci_high) per ``group`` value, with the Wilson 95%
    interval as error bars; groups without eligible items are left out."""
    frame = rates.filter(pl.col("n") > 0).with_columns(pl.col(group).fill_null("(none)"))
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
    fig.update_xaxes(title_text=group)
    fig.update_layout(title_text=f"{label} by {group}")
    return styled(fig)


def volume_vs_staffing(slots: pl.DataFrame) -> go.Figure:
    """Contacts a week (bars) against agents on shift (line, right axis) for the 168 hours
    of the week (``metrics.coverage.gaps.coverage_by_hour`` rows; weekday 0 = Monday)."""
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
    fig.update_layout(
        title_text="Contacts against agents on shift by hour of week",
        yaxis={"title": {"text": "contacts a week"}, "rangemode": "tozero"},
        yaxis2={"title": {"text": "agents on shift"}, "overlaying": "y", "side": "right",
                "rangemode": "tozero", "showgrid": False, "tickformat": ",.0f"},
        bargap=0.05,
    )  # fmt: skip
    fig.update_xaxes(
        title_text="hour of week (each team's time zone)",
        tickvals=[24 * day + 12 for day in range(7)],
        ticktext=list(WEEKDAYS),
    )
    return styled(fig, 340)


def scorecard_gaps(card: pl.DataFrame) -> go.Figure:
    """Horizontal bars of each scorecard figure's gap to the team median, weakest on top:
    right of zero (vermillion) is worse than the team, left (green) better."""
    frame = card.filter(pl.col("gap").is_not_null())
    colours = [WORSE if g > 0 else BETTER for g in frame["gap"]]
    fig = go.Figure(
        go.Bar(
            x=(frame["gap"] * 100).to_list(),
            y=frame["label"].to_list(),
            orientation="h",
            marker_color=colours,
            customdata=frame.select("value_text", "team_text", "n").rows(),
            hovertemplate=(
                "%{y}: agent %{customdata[0]} vs team median %{customdata[1]} "
                "(n = %{customdata[2]:,})<br>%{x:+.0f}% of the larger value<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_xaxes(title_text="gap to team median (% of the larger value; right = worse)")
    fig.update_layout(title_text="Where this agent differs most from the team")
    return styled(fig, 120 + 30 * max(frame.height, 1))


def agent_trend(series: pl.DataFrame, label: str, unit: str, trainings: pl.DataFrame) -> go.Figure:
    """Lines of a figure per week for the agent and the team (columns week, who, value, n),
    with each training day (course, completed_day) as a dotted vertical line."""
    fig = go.Figure()
    scale = 100 if unit == "share" else 1
    axis = f"{label} (%)" if unit == "share" else f"{label} ({unit})"
    for index, (who, part) in enumerate(series.sort("week").group_by("who", maintain_order=True)):
        fig.add_trace(
            go.Scatter(
                x=part["week"].cast(pl.Date).to_list(),
                y=(part["value"] * scale).to_list(),
                name=str(who[0]),
                mode="lines+markers",
                line={
                    "color": OKABE_ITO[index % len(OKABE_ITO)],
                    "dash": "solid" if index == 0 else "dash",
                },
                customdata=part.select("n").rows(),
                hovertemplate=f"{who[0]}, week of %{{x|%Y-%m-%d}}: %{{y:,.1f}} (n = %{{customdata[0]:,}})<extra></extra>",
            )
        )
    for course, day in trainings.select("course", "completed_day").rows():
        fig.add_vline(x=day, line_dash="dot", line_color=OKABE_ITO[5])
        fig.add_annotation(
            x=day, y=1, yref="paper", text=f"trained: {course}", showarrow=False,
            xanchor="left", yanchor="top", font={"size": 11, "color": OKABE_ITO[5]},
        )  # fmt: skip
    fig.update_yaxes(title_text=axis, rangemode="tozero")
    fig.update_xaxes(title_text="week (creation)")
    fig.update_layout(title_text=f"{label} per week, agent vs team")
    return styled(fig)
