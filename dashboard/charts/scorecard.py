"""Plotly builders of the agent scorecard: the gap to the team per figure (coloured by the
verdict) and a figure's weekly trend for the agent and the team, with training dates."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.common import BETTER, OKABE_ITO, WORSE, styled, with_reason
from dashboard.charts.marks import (
    duration_unit,
    log_axis,
    provisional_flags,
    provisional_line,
    settled_values,
)

VERDICT_COLOURS = {"worse": WORSE, "better": BETTER, "level": "#999999"}


def scorecard_gaps(card: pl.DataFrame) -> go.Figure:
    """Horizontal bars of each judged scorecard figure's gap to the team value, weakest on
    top: vermillion = worse (material and outside the agent's interval), green = better,
    grey = level (small or within noise). Figures without a comparison are left out."""
    frame = card.filter(pl.col("gap").is_not_null() & (pl.col("verdict") != "not_judged"))
    colours = [VERDICT_COLOURS.get(v, "#999999") for v in frame["verdict"]]
    fig = go.Figure(
        go.Bar(
            x=(frame["gap"] * 100).to_list(),
            y=frame["label"].to_list(),
            orientation="h",
            marker_color=colours,
            customdata=frame.select("value_text", "team_text", "n", "verdict_text").rows(),
            hovertemplate=(
                "%{y}: agent %{customdata[0]} vs team %{customdata[1]} "
                "(n = %{customdata[2]:,})<br>%{x:+.0f}% of the larger value · "
                "%{customdata[3]}<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_xaxes(title_text="gap to the team (% of the larger value; right = worse)")
    fig.update_layout(
        title_text="Where this agent differs from the team (grey: not a real difference)"
    )
    return styled(fig, 120 + 30 * max(frame.height, 1))


def agent_trend(series: pl.DataFrame, label: str, unit: str, trainings: pl.DataFrame) -> go.Figure:
    """Lines of a figure per week for the agent and the team (columns week, who, value, n),
    with each training day (course, completed_day) as a dotted vertical line. Durations go
    on a log axis in one readable unit (1-2-5 ticks); shares in %."""
    fig = go.Figure()
    shown = unit
    if unit == "minutes":
        shown, per = duration_unit(series["value"].to_list())
        scale = 1 / per
    else:
        scale = 100 if unit == "share" else 1
    axis = f"{label} (%)" if unit == "share" else f"{label} ({shown})"
    drawn: list[float | None] = []
    for index, (who, part) in enumerate(series.sort("week").group_by("who", maintain_order=True)):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        x, y = part["week"].cast(pl.Date).to_list(), (part["value"] * scale).to_list()
        drawn += y
        flags = provisional_flags(part)
        hover = {
            "customdata": with_reason(part).select("n", "note").rows(),
            "hovertemplate": f"{who[0]}, week of %{{x|%Y-%m-%d}}: %{{y:,.1f}} "
            "(n = %{customdata[0]:,})%{customdata[1]}<extra></extra>",
        }
        under = provisional_line(x, y, flags, colour, str(who[0]), **hover)
        if under is not None:
            fig.add_trace(under)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=settled_values(y, flags),
                name=str(who[0]),
                mode="lines+markers",
                line={"color": colour, "dash": "solid" if index == 0 else "dash"},
                **hover,
            )  # fmt: skip
        )
    for course, day in trainings.select("course", "completed_day").rows():
        fig.add_vline(x=day, line_dash="dot", line_color=OKABE_ITO[5])
        fig.add_annotation(
            x=day, y=1, yref="paper", text=f"trained: {course}", showarrow=False,
            xanchor="left", yanchor="top", font={"size": 11, "color": OKABE_ITO[5]},
        )  # fmt: skip
    if unit == "minutes":
        log_axis(fig, drawn, f"{label} ({shown})")
    else:
        fig.update_yaxes(title_text=axis, rangemode="tozero")
    fig.update_xaxes(title_text="week (creation)")
    fig.update_layout(title_text=f"{label} per week, agent vs team")
    return styled(fig)
