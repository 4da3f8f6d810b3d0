"""Agent scorecard: one agent's figures against the team median and the previous period.

Every figure is computed by the metric function that defines it (FRT in
``metrics.response.first_response``, resolution rates in ``metrics.response.resolution``, CSAT,
sentiment), broken down by agent; the team median is the median of those
per-agent values across the team's agents, so one definition serves both.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from metrics.agents.tone import agent_tone
from metrics.core.aggregate import wilson_interval
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.response import first_response as response
from metrics.response import resolution
from metrics.voice.csat import ATTRIBUTION, attribution_expr, csat
from metrics.voice.sentiment import sentiment_totals

LOWER = "lower-is-better"
HIGHER = "higher-is-better"

# Per-agent frame: columns agent, value, n, hits (hits null for figures that are not rates).
PerAgent = Callable[["Calls", Filters], pl.DataFrame]


@dataclass
class Calls:
    """The metric calls of one scorecard, by agent: each metric frame is computed once per
    call and period (CSAT share and mean come from one csat() frame; one-touch from the
    fcr_rate() frame, which carries the one_touch_rate figures beside FCR)."""

    wh: Warehouse
    settings: Settings
    attribution: str
    frames: dict[tuple[str, Filters], pl.DataFrame] = field(default_factory=dict)

    def by_agent(self, fn: Callable[..., pl.DataFrame], filters: Filters) -> pl.DataFrame:
        """``fn(..., by="agent")`` over ``filters``, computed on first use in this call."""
        key = (fn.__name__, filters)
        if key not in self.frames:
            options = {"attribution": self.attribution} if fn is csat else {}
            self.frames[key] = fn(self.wh, self.settings, filters, by="agent", **options)
        return self.frames[key]


@dataclass(frozen=True)
class Figure:
    """One scorecard row: what it is, which way is better, and how to get it per agent."""

    name: str
    label: str
    unit: str
    direction: str
    per_agent: PerAgent
    is_rate: bool
    counts: bool = False  # a count: an agent without rows has 0, not "no value"


def _duration(fn: Callable[..., pl.DataFrame]) -> PerAgent:
    def per_agent(calls: Calls, filters: Filters) -> pl.DataFrame:
        frame = calls.by_agent(fn, filters)
        return frame.select("agent", value="median", n="n", hits=pl.lit(None, pl.Int64))

    return per_agent


def _rate(fn: Callable[..., pl.DataFrame]) -> PerAgent:
    def per_agent(calls: Calls, filters: Filters) -> pl.DataFrame:
        return calls.by_agent(fn, filters).select("agent", "value", "n", "hits")

    return per_agent


def _one_touch(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(resolution.fcr_rate, filters)
    return frame.select("agent", value="one_touch_value", n="one_touch_n", hits="one_touch_hits")


def _csat_share(calls: Calls, filters: Filters) -> pl.DataFrame:
    return calls.by_agent(csat, filters).select("agent", "value", "n", hits="satisfied")


def _csat_mean(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(csat, filters)
    return frame.select("agent", value="mean", n="n", hits=pl.lit(None, pl.Int64))


def _negative_share(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(sentiment_totals, filters)
    return frame.select("agent", value="negative_share", n="n", hits="negative")


def _negative_tone(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(agent_tone, filters)
    return frame.select("agent", value="negative_share", n="n", hits="negative")


def _handled(calls: Calls, filters: Filters) -> pl.DataFrame:
    where, params = filters.where(calls.settings.reporting_timezone)
    table = contacts_table(calls.wh, calls.settings)
    sql = (
        f"SELECT c.agent_id AS agent, count(*) AS n FROM {table} AS c"  # noqa: S608
        f" WHERE {where} AND c.agent_id IS NOT NULL GROUP BY ALL"
    )
    frame = calls.wh.query(sql, params)
    return frame.select(
        "agent", value=pl.col("n").cast(pl.Float64), n="n", hits=pl.lit(None, pl.Int64)
    )


FIGURES: tuple[Figure, ...] = (
    Figure("frt", "First response time (median)", "minutes", LOWER,
           _duration(response.first_response_time), False),
    Figure("frt_business", "First response time, business hours (median)", "minutes", LOWER,
           _duration(response.first_response_time_business), False),
    Figure("first_resolution_time", "First resolution time (median)", "minutes", LOWER,
           _duration(resolution.first_resolution_time), False),
    Figure("one_touch_rate", "One-touch resolution rate", "share", HIGHER, _one_touch, True),
    Figure("reopen_rate", "Reopen rate", "share", LOWER, _rate(resolution.reopen_rate), True),
    Figure("fcr_rate", "First-contact resolution rate", "share", HIGHER,
           _rate(resolution.fcr_rate), True),
    Figure("csat", "CSAT (share of 4-5)", "share", HIGHER, _csat_share, True),
    Figure("csat_mean", "CSAT mean score", "score 1-5", HIGHER, _csat_mean, False),
    Figure("negative_sentiment_share", "Negative customer messages", "share", LOWER,
           _negative_share, True),
    Figure("negative_tone_share", "Negative tone in own messages", "share", LOWER,
           _negative_tone, True),
    Figure("sla_attainment", "SLA attainment", "share", HIGHER,
           _rate(resolution.sla_attainment), True),
    Figure("tickets_handled", "Contacts handled", "contacts", HIGHER, _handled, False, True),
)  # fmt: skip

SCHEMA: dict[str, Any] = {
    "figure": pl.String, "label": pl.String, "unit": pl.String, "direction": pl.String,
    "agent": pl.String, "team": pl.String, "value": pl.Float64, "n": pl.Int64,
    "ci_low": pl.Float64, "ci_high": pl.Float64, "team_median": pl.Float64,
    "team_agents": pl.Int64, "previous": pl.Float64, "previous_n": pl.Int64,
    "change": pl.Float64, "gap": pl.Float64,
}  # fmt: skip


def gap(value: float | None, team_median: float | None, direction: str) -> float | None:
    """How much worse than the team median the agent is, in [-1, 1] for non-negative figures.

    (agent - team) for lower-is-better, (team - agent) for higher-is-better, divided by the
    larger of the two magnitudes, so minutes, shares and scores sort on one scale: positive
    means worse than the team, 0 level, negative better. None when either side is missing.
    """
    if value is None or team_median is None:
        return None
    scale = max(abs(value), abs(team_median))
    if scale == 0:
        return 0.0
    diff = value - team_median if direction == LOWER else team_median - value
    return diff / scale


def team_of(wh: Warehouse, settings: Settings, agent: str) -> tuple[str | None, list[str]]:
    """The agent's team and its agents: from the agents table, else the team the agent's
    contacts carry most often (for agents missing from the roster)."""
    table = contacts_table(wh, settings)
    sql = f"""
        WITH listed AS (SELECT agent_id, team FROM agents WHERE team IS NOT NULL),
        roster AS (
            SELECT agent_id, team FROM listed
            UNION ALL
            SELECT c.agent_id, mode(c.team) FROM {table} AS c
            WHERE c.agent_id IS NOT NULL AND c.team IS NOT NULL
                AND c.agent_id NOT IN (SELECT agent_id FROM listed)
            GROUP BY c.agent_id
        )
        SELECT r.team, list(DISTINCT r.agent_id ORDER BY r.agent_id) AS members
        FROM roster AS r WHERE r.team = (SELECT team FROM roster WHERE agent_id = $agent)
        GROUP BY r.team
    """  # noqa: S608
    rows = wh.query(sql, {"agent": agent}).rows()
    return (rows[0][0], list(rows[0][1])) if rows else (None, [agent])


def _agent_values(
    frame: pl.DataFrame, agent: str, counts: bool
) -> tuple[float | None, int, int | None]:
    mine = frame.filter(pl.col("agent") == agent)
    if mine.is_empty():
        return (0.0 if counts else None), 0, None
    value, n, hits = mine.row(0)[1:]
    return value, int(n or 0), hits


def _period_frames(calls: Calls, filters: Filters) -> dict[str, pl.DataFrame]:
    """Every figure's per-agent frame over one period."""
    return {figure.name: figure.per_agent(calls, filters) for figure in FIGURES}


def _figure_row(
    figure: Figure, frames: tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame] | None],
    agent: str, members: list[str],
) -> dict[str, Any]:  # fmt: skip
    frame = frames[0][figure.name]
    value, n, hits = _agent_values(frame, agent, figure.counts)
    team_values = frame.filter(pl.col("agent").is_in(members) & pl.col("value").is_not_null())
    team_median = statistics.median(team_values["value"]) if team_values.height else None
    ci = wilson_interval(int(hits or 0), n) if figure.is_rate else (None, None)
    before, before_n = None, None
    if frames[1] is not None:
        before, before_n, _ = _agent_values(frames[1][figure.name], agent, figure.counts)
    return {
        "figure": figure.name, "label": figure.label, "unit": figure.unit,
        "direction": figure.direction, "agent": agent, "value": value, "n": n,
        "ci_low": ci[0], "ci_high": ci[1], "team_median": team_median,
        "team_agents": team_values.height, "previous": before, "previous_n": before_n,
        "change": value - before if value is not None and before is not None else None,
        "gap": gap(value, team_median, figure.direction),
    }  # fmt: skip


def _the_agent(filters: Filters, agent: str | None) -> str:
    if agent:
        return agent
    if len(filters.agent) == 1:
        return filters.agent[0]
    raise ValueError("a scorecard is for one agent: pass agent= (or filter on exactly one agent)")


@metric(
    "agent_scorecard",
    label="Agent scorecard",
    unit="mixed (see each row's unit)",
    family="scorecard",
    definition=(
        "For one agent and period: FRT (calendar and business) and first resolution medians, "
        "one-touch, reopen, FCR, CSAT and SLA rates, CSAT mean, the customers' negative-sentiment "
        "share, the negative share of the agent's own messages (tone) and contacts handled; "
        "each beside the team median (median of the team's per-agent values) "
        "and the agent's previous period of equal length, weakest areas first."
    ),
    variant=(
        "gap = distance from the team median in the worse direction, divided by the larger of "
        "the two values (positive = worse); rates carry a Wilson 95% interval"
    ),
    exclusions="as for each figure's own metric; the previous period needs a from and to date",
    options={"attribution": tuple(ATTRIBUTION)},
)
def agent_scorecard(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    agent: str | None = None,
    attribution: str = "assignee",
) -> pl.DataFrame:
    """One row per figure, sorted by gap (weakest first, figures without a gap last).

    Columns: figure, label, unit, direction, agent, team, value, n, ci_low, ci_high (rates
    only), team_median, team_agents (agents with a value), previous, previous_n, change
    (value - previous), gap. ``previous`` is null when the filters have no date range.
    """
    if by is not None:
        raise ValueError("the agent scorecard has no breakdowns (it is one agent's figures)")
    who = _the_agent(filters, agent)
    attribution_expr(attribution)
    current = replace(filters, agent=())
    previous = current.previous_period() if filters.date_from and filters.date_to else None
    team, members = team_of(wh, settings, who)
    # The previous period's queries run on their own cursors beside the current period's
    # (the contact fact they read is built by team_of above).
    with ThreadPoolExecutor(max_workers=1) as pool:
        earlier = None
        if previous is not None:
            earlier = pool.submit(_period_frames, Calls(wh, settings, attribution), previous)
        frames = (
            _period_frames(Calls(wh, settings, attribution), current),
            earlier.result() if earlier is not None else None,
        )
    rows = [_figure_row(fig, frames, who, members) for fig in FIGURES]
    frame = pl.DataFrame(rows, schema={k: v for k, v in SCHEMA.items() if k != "team"})
    frame = frame.with_columns(team=pl.lit(team, pl.String)).select(list(SCHEMA))
    return frame.sort("gap", descending=True, nulls_last=True, maintain_order=True)
