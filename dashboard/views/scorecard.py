"""The agent scorecard's presentation: the figures as a readable table, and weekly trends of
one figure for the agent and the agent's team, each from the metric function that defines it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access, data, drilldown
from dashboard.tiles import format_change, format_value
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.response import first_response as response
from metrics.response import resolution
from metrics.voice import csat, sentiment


def scorecard_table(card: pl.DataFrame, small_sample: int) -> pl.DataFrame:
    """``metrics.agents.scorecard.agent_scorecard`` rows as text, weakest first: figure, agent,
    team median, previous period, change, n, 95% interval, note (small sample / worse)."""
    rows = []
    for row in card.iter_rows(named=True):
        unit = "share" if row["unit"] == "share" else row["unit"]
        unit = "score" if unit.startswith("score") else unit
        ci = f"{row['ci_low']:.0%} to {row['ci_high']:.0%}" if row["ci_low"] is not None else ""
        notes = []
        if row["gap"] is not None and row["gap"] > 0:
            notes.append("worse than team")
        if row["n"] < small_sample:
            notes.append(f"small sample (n < {small_sample})")
        rows.append({
            "figure": row["figure"],
            "label": row["label"],
            "value_text": format_value(row["value"], unit),
            "team_text": format_value(row["team_median"], unit),
            "previous_text": format_value(row["previous"], unit),
            "change_text": format_change(row["value"], row["previous"], unit) or "—",
            "n": row["n"],
            "ci": ci,
            "note": ", ".join(notes),
            "gap": row["gap"],
        })  # fmt: skip
    return pl.DataFrame(rows, schema=TABLE_SCHEMA)


TABLE_SCHEMA: dict[str, Any] = {
    "figure": pl.String, "label": pl.String, "value_text": pl.String, "team_text": pl.String,
    "previous_text": pl.String, "change_text": pl.String, "n": pl.Int64, "ci": pl.String,
    "note": pl.String, "gap": pl.Float64,
}  # fmt: skip


@dataclass(frozen=True)
class TrendFigure:
    """A figure that can be trended per week: its metric, the column holding its value."""

    label: str
    unit: str
    metric: str
    compute: Callable[..., pl.DataFrame]
    column: str


def _negative(wh: Any, settings: Settings, filters: Filters, by: str) -> pl.DataFrame:
    return sentiment.sentiment(wh, settings, filters, by=by, per_method=False)


TREND_FIGURES: dict[str, TrendFigure] = {
    "frt": TrendFigure("First response time (median)", "minutes", "frt",
                       response.first_response_time, "median"),
    "fcr_rate": TrendFigure("First-contact resolution", "share", "fcr_rate",
                            resolution.fcr_rate, "value"),
    "csat": TrendFigure("CSAT (share of 4-5)", "share", "csat", csat.csat, "value"),
    "negative": TrendFigure("Negative customer messages", "share", "sentiment", _negative,
                            "negative_share"),
    "sla_attainment": TrendFigure("SLA attainment", "share", "sla_attainment",
                                  resolution.sla_attainment, "value"),
}  # fmt: skip


def trend_series(
    settings: Settings, filters: Filters, agent: str, agent_label: str, team: str | None, name: str
) -> pl.DataFrame:
    """Per week: the figure ``name`` over the agent's contacts and over the team's (all its
    agents' contacts). Columns: week, who, value, n."""
    figure = TREND_FIGURES[name]
    scopes = {agent_label: replace(filters, agent=(agent,))}
    if team:
        scopes[f"team {team}"] = replace(filters, agent=(), team=(team,))
    parts = []
    for who, scoped in scopes.items():
        frame = data.cached(figure.compute, settings, scoped, by="week")
        parts.append(
            frame.select(
                pl.col("week").cast(pl.Date),
                who=pl.lit(who),
                value=pl.col(figure.column).cast(pl.Float64),
                n=pl.col("n").cast(pl.Int64),
            )
        )
    return pl.concat(parts).filter(pl.col("n") > 0)


TREND_DAYS = 182  # half a year of weeks: enough to see before and after a course

TABLE_CONFIG: dict[str, Any] = {
    "label": "Figure",
    "value_text": "Agent",
    "team_text": "Team median",
    "previous_text": "Previous period",
    "change_text": "Change",
    "n": st.column_config.NumberColumn("n", format="localized"),
    "ci": "95% interval",
    "note": "Note",
}

REASONS = {"lowest_csat": "Low CSAT", "most_negative": "Ended negative"}


def example_title(row: dict[str, Any]) -> str:
    """An expander title for a coaching example: why it was picked, when, score or sentiment."""
    parts = [REASONS.get(row["reason"], row["reason"]), f"{row['created_at']:%Y-%m-%d}"]
    parts.append(f"{row['source']}:{row['contact_id']}")
    if row.get("score") is not None:
        parts.append(f"CSAT {row['score']}")
    if row.get("sentiment_last") is not None:
        parts.append(f"last message sentiment {row['sentiment_last']:+.2f}")
    return " · ".join(parts)


def show_example(row: dict[str, Any]) -> None:
    """A coaching example's survey comment and transcript, or the note for a role without
    access to conversation text."""
    if not access.can_see_text():
        st.info(access.HIDDEN_NOTE, icon=":material/lock:")
        return
    if row["comment"]:
        st.markdown(f"> {row['comment']}")
    drilldown.messages(row["transcript"])


def weakest(table: pl.DataFrame, count: int = 3) -> list[str]:
    """Labels of up to ``count`` figures worse than the team median, weakest first."""
    return table.filter(pl.col("gap") > 0)["label"].head(count).to_list()


def table_height(table: pl.DataFrame) -> int:
    """Pixels that show every row of ``table`` without a scroll bar (35 px a row + header)."""
    return 38 + 35 * max(table.height, 1)
