"""Charts of the Data health page: rows per table, load outcomes, quarantine reasons.

Plotly builders that take a ``metrics.reports.data_health`` frame and return a figure (no Streamlit
here); colours follow ``dashboard.charts.common``.
"""

from __future__ import annotations

import math

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from dashboard.charts.common import OKABE_ITO, TOP_LEGEND

OUTCOME_COLOURS: dict[str, str] = {
    "inserted": "#009E73",
    "updated": "#0072B2",
    "unchanged": "#999999",
    "quarantined": "#D55E00",
}

LABEL_CHARS = 70


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def _count_axis(fig: go.Figure, largest: int) -> None:
    """Whole-number ticks on a count axis (no "0.5 rows")."""
    fig.update_xaxes(rangemode="tozero", tickformat=",d", dtick=1 if largest <= 10 else None)


def _short(column: str, limit: int = LABEL_CHARS) -> pl.Expr:
    text = pl.col(column)
    cut = pl.concat_str(text.str.slice(0, limit - 1), pl.lit("…"))
    return pl.when(text.str.len_chars() > limit).then(cut).otherwise(text)


def rows_per_table(freshness: pl.DataFrame) -> go.Figure:
    """Horizontal bars of rows per canonical table, on a log axis (sizes span decades)."""
    frame = freshness.select("table", "rows").with_columns(pl.col("rows").fill_null(0))
    fig = px.bar(
        frame,
        x="rows",
        y="table",
        orientation="h",
        text="rows",
        log_x=True,
        color_discrete_sequence=[OKABE_ITO[0]],
        labels={"rows": "rows (log scale)", "table": "table"},
        title="Rows per table",
    )
    fig.update_traces(texttemplate="%{text:,}", textposition="outside", cliponaxis=False)
    # Bars start at 1 row and ticks fall on powers of ten; an empty table shows no bar.
    largest = max(int(frame["rows"].max() or 0), 10)
    fig.update_xaxes(range=[0, math.log10(largest) + 0.3], dtick=1)
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 60 + 32 * max(frame.height, 1))


def load_outcomes(runs: pl.DataFrame, limit: int = 30) -> go.Figure:
    """Stacked bars of what each of the newest ``limit`` runs did with its rows."""
    outcomes = list(OUTCOME_COLOURS)
    frame = (
        runs.head(limit)
        .with_columns(run=pl.format("#{} {}", pl.col("run_id"), pl.col("file_name")))
        .unpivot(index="run", on=outcomes, variable_name="outcome", value_name="rows")
    )
    fig = px.bar(
        frame,
        x="rows",
        y="run",
        color="outcome",
        orientation="h",
        category_orders={"outcome": outcomes},
        color_discrete_map=OUTCOME_COLOURS,
        labels={"rows": "rows", "run": "load run", "outcome": "outcome"},
        title="What each load did with its rows",
    )
    fig.update_yaxes(autorange="reversed")
    _count_axis(fig, int(runs.head(limit)["rows_read"].max() or 0))
    fig.update_layout(legend=TOP_LEGEND)
    return _layout(fig, 120 + 28 * max(runs.head(limit).height, 2))


def quarantine_reasons(reasons: pl.DataFrame, limit: int = 15) -> go.Figure:
    """Horizontal bars of quarantined rows per reason pattern (top ``limit``), coloured by kind."""
    frame = reasons.head(limit).with_columns(label=_short("reason"))
    fig = px.bar(
        frame,
        x="count",
        y="label",
        color="kind",
        orientation="h",
        text="count",
        color_discrete_sequence=OKABE_ITO,
        hover_data={"reason": True, "label": False},
        labels={"count": "quarantined rows", "label": "reason", "kind": "kind"},
        title="Quarantined rows by reason",
    )
    fig.update_traces(textposition="outside", cliponaxis=False)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=frame["label"])
    _count_axis(fig, int(frame["count"].max() or 0))
    fig.update_layout(legend=TOP_LEGEND)
    return _layout(fig, 120 + 30 * max(frame.height, 1))


# --- Shared look for the metric pages -------------------------------------------------------
