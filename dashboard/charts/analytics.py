"""Plotly builders for Training impact, Customer voice and Retention: each takes a metric frame
and returns a figure (no Streamlit here); the shared look comes from ``dashboard.charts.common``.

Shares are drawn in percent, scores and minutes in their unit, each axis says which;
hover text is a plain sentence. A point's ``customdata[0]`` is its drill-down key where
the page offers one (a bucket start, a language).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.common import BETTER, OKABE_ITO, WORSE, interval_band, styled
from dashboard.views.analytics import TRAINING_KPIS, language_name

GREY = "#999999"
TONE_COLOURS = {"better": BETTER, "worse": WORSE, "unclear": GREY}


def _tone(low: float, high: float, better: str) -> str:
    if low <= 0 <= high:
        return "unclear"
    return "better" if (low > 0) == (better == "higher") else "worse"


def training_effects(rows: pl.DataFrame) -> go.Figure:
    """Forest plot of one course's effects in % of the counterfactual, with 95% intervals;
    a KPI with too few contacts is written "not enough data" instead of a point."""
    fig = go.Figure()
    for row in rows.iter_rows(named=True):
        kpi = TRAINING_KPIS[row["kpi"]]
        if row["status"] != "ok" or row["relative_pct"] is None:
            fig.add_annotation(
                x=0, y=kpi.label, text="not enough data", showarrow=False, xanchor="left",
                font={"color": GREY},
            )  # fmt: skip
            fig.add_trace(go.Scatter(x=[None], y=[kpi.label], showlegend=False))
            continue
        low, high = row["relative_ci_low"], row["relative_ci_high"]
        tone = _tone(row["absolute_ci_low"], row["absolute_ci_high"], kpi.better)
        fig.add_trace(
            go.Scatter(
                x=[row["relative_pct"]],
                y=[kpi.label],
                mode="markers",
                marker={"size": 12, "color": TONE_COLOURS[tone]},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "color": TONE_COLOURS[tone],
                    "array": [high - row["relative_pct"]],
                    "arrayminus": [row["relative_pct"] - low],
                },  # fmt: skip
                showlegend=False,
                hovertemplate=(
                    f"{kpi.label}: %{{x:+.1f}}% against the untrained agents' trend "
                    f"(95% interval {low:+.1f}% to {high:+.1f}%; {kpi.better} is better)"
                    "<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=0, line_color=GREY, line_dash="dot")
    fig.update_xaxes(title_text="effect of the course (% of the level expected without it)")
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_layout(title_text="Difference-in-differences per KPI, with 95% intervals")
    return styled(fig, 120 + 55 * max(rows.height, 1))


def agent_before_after(table: pl.DataFrame, kpi: str) -> go.Figure:
    """Dumbbells: each trained agent's KPI before and after their course (hollow: small sample).

    ``table`` is ``dashboard.views.analytics.agent_table`` (shares already in %)."""
    info = TRAINING_KPIS[kpi]
    unit = "%" if info.unit == "share" else "min" if info.unit == "minutes" else ""
    frame = table.filter(pl.col("before").is_not_null() | pl.col("after").is_not_null())
    fig = go.Figure()
    for x0, x1, agent in frame.select("before", "after", "agent").rows():
        if x0 is not None and x1 is not None:
            fig.add_trace(
                go.Scatter(
                    x=[x0, x1],
                    y=[agent, agent],
                    mode="lines",
                    showlegend=False,
                    line={"color": GREY},
                    hoverinfo="skip",
                )  # fmt: skip
            )
    symbols = [("circle-open" if note else "circle") for note in frame["note"]]
    for side, colour in (("before", OKABE_ITO[4]), ("after", OKABE_ITO[0])):
        fig.add_trace(
            go.Scatter(
                x=frame[side].to_list(),
                y=frame["agent"].to_list(),
                mode="markers",
                name=side,
                marker={"size": 11, "color": colour, "symbol": symbols},
                customdata=frame.select(f"n_{side}", "note").rows(),
                hovertemplate=(
                    f"%{{y}} {side} the course: %{{x:,.2f}} {unit} over %{{customdata[0]:,}} "
                    "contacts %{customdata[1]}<extra></extra>"
                ),
            )
        )
    axis = f"{info.label} (%)" if info.unit == "share" else f"{info.label} ({unit or 'score'})"
    fig.update_xaxes(title_text=axis)
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_layout(title_text=f"{info.label}: each trained agent before and after")
    return styled(fig, 140 + 26 * max(frame.height, 1))


def rate_trend(
    rates: pl.DataFrame, bucket: str, label: str, what: str, hits: str = "hits"
) -> go.Figure:
    """A rate (value, n, ``hits``, ci_low, ci_high per ``bucket``) as a line in % with its
    Wilson 95% band; each point carries its bucket start (ISO) for drill-down."""
    frame = rates.filter(pl.col("n") > 0).with_columns(
        pl.col(bucket).cast(pl.Date).alias(bucket), key=pl.col(bucket).cast(pl.Date).cast(pl.String)
    )
    x = frame[bucket].to_list()
    fig = go.Figure()
    high, low = (frame["ci_high"] * 100).to_list(), (frame["ci_low"] * 100).to_list()
    fig.add_trace(interval_band(x, high, low, "rgba(0, 114, 178, 0.15)", "95% interval"))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=(frame["value"] * 100).to_list(),
            mode="lines+markers",
            name=label,
            line={"color": OKABE_ITO[0]},
            customdata=frame.select("key", hits, "n").rows(),
            hovertemplate=(
                f"{label}, {bucket} of %{{customdata[0]}}: %{{y:.1f}}% "
                f"(%{{customdata[1]:,}} of %{{customdata[2]:,}} {what})<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(title_text=f"{label} (%)", range=[0, 100])
    fig.update_xaxes(title_text=f"creation {bucket}")
    fig.update_layout(title_text=f"{label} per {bucket} (click a point for its contacts)")
    return styled(fig)


def sentiment_coverage(by_language: pl.DataFrame) -> go.Figure:
    """Bars of the share of customer messages scored per language; unscored languages say so."""
    frame = by_language.filter(pl.col("customer_messages") > 0).with_columns(
        pl.col("coverage").fill_null(0.0),
        pl.col("method").fill_null("no scorer"),
        pl.col("language").map_elements(language_name, return_dtype=pl.String).alias("name"),
    )
    fig = go.Figure(
        go.Bar(
            x=(frame["coverage"] * 100).to_list(),
            y=frame["name"].to_list(),
            orientation="h",
            marker_color=[OKABE_ITO[2] if c > 0 else GREY for c in frame["coverage"]],
            text=[f"{c:.0%} · {m}" for c, m in frame.select("coverage", "method").rows()],
            textposition="auto",
            customdata=frame.select("language", "n", "customer_messages", "method").rows(),
            hovertemplate=(
                "%{y}: %{customdata[1]:,} of %{customdata[2]:,} customer messages scored "
                "(%{x:.1f}%; method: %{customdata[3]})<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title_text="customer messages scored (%)", range=[0, 100])
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_layout(title_text="Sentiment coverage per language (click a bar for its contacts)")
    return styled(fig, 120 + 34 * max(frame.height, 1))


def sentiment_change(change: dict[str, int | float | None]) -> go.Figure:
    """One 100% bar: conversations that ended better, the same, or worse than they started."""
    fig = go.Figure()
    parts = (("improved", BETTER), ("same", GREY), ("worsened", WORSE))
    for name, colour in parts:
        share = (change.get(f"{name}_share") or 0.0) * 100
        fig.add_trace(
            go.Bar(
                x=[share],
                y=["conversations"],
                orientation="h",
                name=name,
                marker_color=colour,
                text=[f"{name} {share:.0f}%"],
                textposition="inside",
                hovertemplate=(
                    f"{change.get(name) or 0:,} conversations {name} ({share:.1f}%) from the "
                    "first to the last scored customer message<extra></extra>"
                ),
            )  # fmt: skip
        )
    fig.update_layout(barmode="stack", title_text="Did conversations end better than they started?")
    fig.update_xaxes(title_text="share of conversations (%)", range=[0, 100])
    fig.update_yaxes(showticklabels=False)
    return styled(fig, 180)


def topic_sizes(table: pl.DataFrame) -> go.Figure:
    """Bars of negative texts per topic (``dashboard.views.voice.topic_table``), labelled by
    terms; rising topics (more texts in the second half of the period) in vermillion."""
    labels = [
        f"{t}: {', '.join(terms.split(', ')[:4])}"
        for t, terms in table.select("topic", "terms").rows()
    ]
    colours = [WORSE if (c or 0) > 10 else OKABE_ITO[0] for c in table["change"]]
    fig = go.Figure(
        go.Bar(
            x=table["size"].to_list(),
            y=labels,
            orientation="h",
            marker_color=colours,
            text=[f"{s:.0f}%" for s in table["share"]],
            textposition="outside",
            cliponaxis=False,
            customdata=table.select("terms", "first_half", "second_half", "change").rows(),
            hovertemplate=(
                "%{customdata[0]}<br>%{x:,} negative texts (%{text} of the language's); "
                "%{customdata[1]:,} in the first half of the period, %{customdata[2]:,} in the "
                "second (%{customdata[3]:+.0f}%)<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title_text="negative texts (messages and 1-2 survey comments)")
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_layout(title_text="Topics of negative feedback (vermillion: rising)")
    return styled(fig, 120 + 34 * max(table.height, 1))


def topic_trend(weekly: pl.DataFrame) -> go.Figure:
    """Lines of negative texts per week for each topic of one language."""
    fig = go.Figure()
    for index, ((topic,), part) in enumerate(weekly.group_by("topic", maintain_order=True)):
        fig.add_trace(
            go.Scatter(
                x=part["week"].to_list(),
                y=part["texts"].to_list(),
                mode="lines",
                name=f"topic {topic}",
                line={"color": OKABE_ITO[index % len(OKABE_ITO)]},
                hovertemplate=(
                    f"topic {topic}, week of %{{x|%Y-%m-%d}}: %{{y:,}} negative texts"
                    "<extra></extra>"
                ),
            )  # fmt: skip
        )
    fig.update_yaxes(title_text="negative texts per week", rangemode="tozero")
    fig.update_xaxes(title_text="week (reporting time zone)")
    fig.update_layout(title_text="Topic trend per week")
    return styled(fig, 320)


def retention_curves(frame: pl.DataFrame) -> go.Figure:
    """Share of contacts followed by activity per window, one line per experience (Wilson 95%)."""
    fig = go.Figure()
    for index, ((experience,), part) in enumerate(
        frame.group_by("experience", maintain_order=True)
    ):
        colour = OKABE_ITO[0] if index == 0 else WORSE
        values = part.with_columns(pl.col("value", "ci_low", "ci_high") * 100)
        fig.add_trace(
            go.Scatter(
                x=values["days_after"].to_list(),
                y=values["value"].to_list(),
                mode="lines+markers",
                name=str(experience),
                line={"color": colour, "dash": "solid" if index == 0 else "dash"},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "color": colour,
                    "array": (values["ci_high"] - values["value"]).to_list(),
                    "arrayminus": (values["value"] - values["ci_low"]).to_list(),
                },  # fmt: skip
                customdata=values.select("active", "n", "customers").rows(),
                hovertemplate=(
                    f"{experience}, days %{{x}} after the contact: %{{y:.1f}}% active "
                    "(%{customdata[0]:,} of %{customdata[1]:,} contacts, "
                    "%{customdata[2]:,} customers)<extra></extra>"
                ),
            )
        )
    fig.update_yaxes(title_text="contacts followed by activity (%)", range=[0, 105])
    fig.update_xaxes(title_text="days after the contact", type="category")
    fig.update_layout(title_text="Retention after a support contact, by experience")
    return styled(fig)


def retention_cohorts(cohorts: pl.DataFrame) -> go.Figure:
    """Heatmap of retention (%) per contact month and window; blank = not yet observable."""
    windows = (("d1_30", "1-30"), ("d31_60", "31-60"), ("d61_90", "61-90"))
    months = [d.strftime("%Y-%m") for d in cohorts["cohort"]]
    z = [[None if v is None else v * 100 for v in cohorts[w]] for w, _ in windows]
    counts = [cohorts[f"{w}_n"].to_list() for w, _ in windows]
    text = [["" if v is None else f"{v:.0f}%" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=list(map(list, zip(*z, strict=True))),
            x=[label for _, label in windows],
            y=months,
            text=list(map(list, zip(*text, strict=True))),
            texttemplate="%{text}",
            customdata=list(map(list, zip(*counts, strict=True))),
            colorscale="Cividis",
            colorbar={"title": {"text": "active (%)"}},
            hovertemplate=(
                "contacts of %{y}, days %{x} after: %{z:.1f}% followed by activity "
                "(n = %{customdata:,} contacts)<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title_text="days after the contact", type="category")
    fig.update_yaxes(title_text="contact month", autorange="reversed", type="category")
    fig.update_layout(title_text="Retention cohorts by contact month")
    return styled(fig, 120 + 36 * max(len(months), 1))
