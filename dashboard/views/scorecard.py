"""The agent scorecard's presentation: the figures as a readable table, and weekly trends of
one figure for the agent and the agent's team, each from the metric function that defines it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access, availability, data, drilldown, periods
from dashboard.tiles import format_change, format_value
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.quality.scores import qa_auto_score
from metrics.response import first_response as response
from metrics.response import resolution
from metrics.voice import csat, sentiment

VERDICT_WORDS = {
    "worse": "worse than team",
    "better": "better than team",
    "level": "no real difference",
    "not_judged": "not compared",
}
MINUTE_UNITS = (("d", 1440.0), ("h", 60.0), ("min", 1.0))


def row_unit(unit: str, values: list[float | None]) -> tuple[str, float]:
    """One display unit for a whole row: for minutes, days / hours / minutes chosen by the
    largest of the row's values (so "21.1 h" is never beside "119.0 min")."""
    if unit != "minutes":
        return unit, 1.0
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    for name, per in MINUTE_UNITS:
        if largest >= 2 * per or per == 1.0:
            return name, per
    return "min", 1.0


def in_unit(value: float | None, unit: str, per: float, signed: bool = False) -> str:
    """``value`` in the row's unit: "85.5%", "3.90", "1,234", "21.1 h"."""
    if value is None:
        return "—"
    if unit in ("d", "h", "min"):
        return f"{value / per:{'+' if signed else ''},.1f} {unit}"
    if signed:
        return format_change(value, 0.0, unit) or "—"
    return format_value(value, unit)


def _interval(row: dict[str, Any], unit: str, per: float) -> str:
    low, high = row["ci_low"], row["ci_high"]
    if low is None or high is None:
        return ""
    if unit == "share":
        return f"{low:.0%} to {high:.0%}"
    return f"{in_unit(low, unit, per)} to {in_unit(high, unit, per)}"


def _texts(row: dict[str, Any], missing: dict[str, str]) -> dict[str, str]:
    """The row's value, team, previous and change texts in one unit ("not available" /
    "no data" for a figure without inputs / without items)."""
    unit = "score" if row["unit"].startswith("score") else row["unit"]
    unit, per = row_unit(unit, [row["value"], row["team_median"], row["previous"]])
    if row["figure"] in missing:
        value = "not available"
    elif not row["n"] and row["direction"] != "context":
        value = "no data"
    else:
        value = in_unit(row["value"], unit, per)
    change = row["change"]
    return {
        "value_text": value,
        "team_text": in_unit(row["team_median"], unit, per)
        if row["team_median"] is not None
        else "no comparison group",
        "previous_text": in_unit(row["previous"], unit, per),
        "change_text": "—" if change is None else in_unit(change, unit, per, signed=True),
        "ci": _interval(row, unit, per),
    }


def _n_text(row: dict[str, Any], missing: dict[str, str]) -> str:
    """The row's n in words: "not available" (no inputs), "no data" (none in the period),
    else the count; never a bare null the grid would print as "None"."""
    if row["figure"] in missing:
        return "not available"
    return f"{row['n']:,}" if row["n"] else "no data"


def scorecard_table(
    card: pl.DataFrame, small_sample: int, missing: dict[str, str] | None = None
) -> pl.DataFrame:
    """``metrics.agents.scorecard.agent_scorecard`` rows as text, weakest first: figure, value,
    team, previous period, change (one unit per row), n, 95% interval, verdict and note.

    ``missing`` maps a figure to why its inputs are not in the warehouse: it shows "not
    available" and is never compared."""
    missing = dict(missing or {})
    rows = []
    for row in card.iter_rows(named=True):
        if row.get("availability") == "not_available" and row["figure"] not in missing:
            missing[row["figure"]] = row["verdict_reason"]  # the metric's own "not available: …"
        verdict = "not_judged" if row["figure"] in missing else row["verdict"]
        reason = missing.get(row["figure"], row["verdict_reason"])
        notes = [reason] if verdict == "not_judged" or verdict == "level" else []
        if 0 < row["n"] < small_sample:
            notes.append(f"small sample (n = {row['n']} < {small_sample})")
        if row["provisional"] and row["figure"] not in missing:
            notes.append(f"◌ provisional: {row['provisional']}")
        rows.append({
            "figure": row["figure"], "label": row["label"], **_texts(row, missing),
            "n": row["n"] or None, "n_text": _n_text(row, missing), "verdict": verdict, "verdict_text": VERDICT_WORDS[verdict],
            "note": "; ".join(n for n in notes if n), "gap": row["gap"],
        })  # fmt: skip
    return pl.DataFrame(rows, schema=TABLE_SCHEMA)


TABLE_SCHEMA: dict[str, Any] = {
    "figure": pl.String, "label": pl.String, "value_text": pl.String, "team_text": pl.String,
    "previous_text": pl.String, "change_text": pl.String, "ci": pl.String, "n": pl.Int64,
    "n_text": pl.String, "verdict": pl.String, "verdict_text": pl.String, "note": pl.String, "gap": pl.Float64,
}  # fmt: skip


def missing_figures(settings: Settings, filters: Filters) -> dict[str, str]:
    """Scorecard figures whose inputs are not in the warehouse, with why (for every agent:
    ``filters`` without the agent)."""
    from metrics.agents.figures import figures_of

    missing = {}
    for figure in figures_of(settings):
        item = availability.state(figure.metric, settings, filters)
        if not item.shown:
            missing[figure.name] = "not available: " + "; ".join(item.reasons)
    return missing


def comparison_words(card: pl.DataFrame) -> tuple[str, str]:
    """What the page says above the table: ("worse", "weakest areas: …"), ("none", why no
    figure can be compared), or ("level", "no figure is materially worse …")."""
    worse = card.filter(pl.col("verdict") == "worse")["label"].to_list()
    if worse:
        return "worse", "**Weakest areas** (material, and outside the agent's 95% interval): " + (
            "; ".join(worse[:3])
        )
    judged = card.filter(pl.col("verdict").is_in(["level", "better"]))
    if card["team_median"].null_count() == card.height:
        return "none", (
            "No comparison group: no team is known for this agent, or no other agent of the "
            "team has figures in this period. The figures are shown without a verdict."
        )
    if judged.is_empty():
        return "none", "No figure can be compared yet (no data, or the period is still moving)."
    return "level", (
        f"No figure is materially worse than the team's ({judged.height} compared; a "
        "difference counts only when it is material and outside the agent's 95% interval)."
    )


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
    "qa_score": TrendFigure("Quality score (automatic review)", "share", "qa_auto_score",
                            qa_auto_score, "score"),
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
    series = pl.concat(parts).filter(pl.col("n") > 0)
    return periods.marked(series, "week", figure.metric, settings, filters)


def trend_gap(series: pl.DataFrame, agent_label: str, label: str) -> str:
    """Why the weekly trend is not drawn ("" when it is): no week with the figure ("no
    data"), or one week at most on every line (a single point is not a trend)."""
    if series.is_empty():
        return f"No data: no week of the period has {label} for {agent_label} or their team."
    if series.group_by("who").len()["len"].max() < 2:
        return (
            f"Not enough data for a trend: {label} has a value in only one week; a trend "
            "needs two or more weeks (a longer period or more contacts would give them)."
        )
    return ""


def trend_figures(settings: Settings, filters: Filters) -> list[str]:
    """The trend figures whose inputs the warehouse has (for every agent: no agent filter)."""
    return [
        name
        for name, figure in TREND_FIGURES.items()
        if availability.state(figure.metric, settings, filters).shown
    ]


TREND_DAYS = 182  # half a year of weeks: enough to see before and after a course

TABLE_CONFIG: dict[str, Any] = {
    "label": "Figure",
    "value_text": "Agent",
    "team_text": "Team (other agents' median)",
    "previous_text": "Previous period",
    "change_text": "Change",
    "n": None,  # shown as n_text: a missing n reads "not available" or "no data", not "None"
    "n_text": "n",
    "ci": "95% interval",
    "verdict": None,
    "verdict_text": "Against the team",
    "note": "Why / note",
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
    """Labels of up to ``count`` figures judged worse than the team, weakest first."""
    return table.filter(pl.col("verdict") == "worse")["label"].head(count).to_list()


def table_height(table: pl.DataFrame) -> int:
    """Pixels that show every row of ``table`` without a scroll bar (35 px a row + header)."""
    return 38 + 35 * max(table.height, 1)
