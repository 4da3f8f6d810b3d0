"""Chart builders of the Quality page: category pass rates, and the score by a breakdown."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.common import NEUTRAL, WORSE, styled
from metrics.quality.scoring import FAILURES_KEPT, LANGUAGES, SCORED

# Categories whose failures are kept in the languages where the category is not scored:
# there their verdicts are only "no" or "not scored", so a pass rate over all languages
# would count those failures against the passes of the languages where it is scored.
_FAILURES_ONLY = sorted(c for c in FAILURES_KEPT if SCORED.get(c) != frozenset(LANGUAGES))
_KEPT_NOTE = {
    c: f"scored in {', '.join(sorted(SCORED[c]))} only" if SCORED.get(c) else "not scored"
    for c in _FAILURES_ONLY
}


def category_pass_rates(categories: pl.DataFrame) -> go.Figure:
    """Horizontal bars: each scored category's pass rate with its 95% interval; categories
    not scored are named on the axis with no bar (one whose found failures are kept says how
    many were found)."""
    failures_only = pl.col("category").is_in(_FAILURES_ONLY)
    rows = categories.with_columns(
        *(
            pl.when(failures_only).then(None).otherwise(pl.col(name)).alias(name)
            for name in ("value", "ci_low", "ci_high")
        ),
    ).with_columns(
        (pl.col("value") * 100).alias("pct"),
        ((pl.col("value") - pl.col("ci_low")) * 100).alias("minus"),
        ((pl.col("ci_high") - pl.col("value")) * 100).alias("plus"),
        pl.when(failures_only)
        .then(
            pl.format(
                "{} ({}; {} found)",
                pl.col("label"),
                pl.col("category").replace_strict(_KEPT_NOTE, default="not scored"),
                pl.when(pl.col("failed") == 1)
                .then(pl.lit("1 failure"))
                .otherwise(pl.format("{} failures", pl.col("failed"))),
            )
        )
        .when(pl.col("n") > 0)
        .then(pl.col("label"))
        .otherwise(pl.col("label") + " (not scored)")
        .alias("axis"),
    )
    colours = [WORSE if c else NEUTRAL for c in rows["critical"].to_list()]
    fig = go.Figure(
        go.Bar(
            x=rows["pct"].to_list(),
            y=rows["axis"].to_list(),
            orientation="h",
            marker_color=colours,
            error_x={
                "type": "data",
                "array": rows["plus"].to_list(),
                "arrayminus": rows["minus"].to_list(),
            },
            customdata=rows.select("category", "n", "failed").rows(),
            hovertemplate="%{y}: %{x:.1f}% passed (%{customdata[1]:,} judged, "
            "%{customdata[2]:,} failed)<extra></extra>",
        )  # fmt: skip
    )
    fig.update_layout(title="Pass rate per rubric category (95% interval)")
    fig.update_xaxes(title="% of conversations judged that passed", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return styled(fig, height=80 + 34 * rows.height)


def score_by(scores: pl.DataFrame, group: str, label: str) -> go.Figure:
    """The automatic quality score per group (bars, or a line for weeks)."""
    rows = scores.filter(pl.col("n") > 0).with_columns(
        (pl.col("score") * 100).alias("pct"), pl.col(group).cast(pl.String).alias("key")
    )
    if group in ("week", "day", "month"):
        trace = go.Scatter(x=rows["key"].to_list(), y=rows["pct"].to_list(), mode="lines+markers",
                           customdata=rows["n"].to_list(), line={"color": NEUTRAL},
                           hovertemplate="%{x}: %{y:.1f} (%{customdata:,} conversations)<extra></extra>")  # fmt: skip
    else:
        trace = go.Bar(x=rows["key"].to_list(), y=rows["pct"].to_list(), marker_color=NEUTRAL,
                       customdata=rows["n"].to_list(),
                       hovertemplate="%{x}: %{y:.1f} (%{customdata:,} conversations)<extra></extra>")  # fmt: skip
    fig = go.Figure(trace)
    fig.update_layout(title=f"Automatic quality score by {label}")
    fig.update_yaxes(title="review score (0-100)", range=[0, 100])
    fig.update_xaxes(title=label, type="category")
    return styled(fig)
