"""Agent scorecard: one agent's figures against the team and the previous period.

The figures are ``metrics.agents.figures.FIGURES``. The comparison group is the agent's
*peers*: the other agents of the agent's team (the roster's team, else the team the agent's
contacts carry most often); the team value of a figure is the median of the peers'
per-agent values. Without a team, or without a peer with a value, there is no comparison
group and the figure says so (never a comparison of the agent with themself).

Whether a figure is worse than the team follows ``metrics.core.compare``: material (a
threshold in settings) and distinguishable from noise (the agent's 95% interval excludes
the team value). The judgement rests only on the settled part of the period
(``metrics.core.provisional``): days whose surveys, solves or replies are still arriving
are never the basis of a "weakest area".
"""

from __future__ import annotations

import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import polars as pl

from metrics.agents.figures import FIGURES, Calls, Figure, figures_of
from metrics.core.aggregate import wilson_interval
from metrics.core.availability import judge
from metrics.core.compare import CONTEXT, HIGHER, LOWER, Judgement, judge_against
from metrics.core.compare import mean_interval as mean_ci
from metrics.core.compare import median_interval as median_ci
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.inputs import data_facts
from metrics.core.metric import metric
from metrics.core.provisional import Settling, period_provisional, settled_filters, settling
from metrics.core.settings import Settings
from metrics.voice.csat import ATTRIBUTION, attribution_expr

__all__ = ["FIGURES", "HIGHER", "LOWER", "agent_scorecard", "gap", "team_of"]

SCHEMA: dict[str, Any] = {
    "figure": pl.String, "label": pl.String, "unit": pl.String, "direction": pl.String,
    "agent": pl.String, "team": pl.String, "value": pl.Float64, "n": pl.Int64,
    "ci_low": pl.Float64, "ci_high": pl.Float64, "team_median": pl.Float64,
    "team_agents": pl.Int64, "previous": pl.Float64, "previous_n": pl.Int64,
    "change": pl.Float64, "gap": pl.Float64, "verdict": pl.String, "verdict_reason": pl.String,
    "provisional": pl.String, "judged_through": pl.Date, "judged_value": pl.Float64,
    "judged_n": pl.Int64, "judged_team": pl.Float64, "availability": pl.String,
}  # fmt: skip
VERDICT_ORDER = {"worse": 0, "level": 1, "better": 2, "not_judged": 3}


def gap(value: float | None, team_median: float | None, direction: str) -> float | None:
    """How much worse than the team median the agent is, in [-1, 1] for non-negative figures.

    (agent - team) for lower-is-better, (team - agent) for higher-is-better, divided by the
    larger of the two magnitudes, so minutes, shares and scores sort on one scale: positive
    means worse than the team, 0 level, negative better. None when either side is missing
    or the figure is context (volume).
    """
    if value is None or team_median is None or direction not in (LOWER, HIGHER):
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


def _agent_values(frame: pl.DataFrame, agent: str, counts: bool) -> tuple[Any, int, Any]:
    mine = frame.filter(pl.col("agent") == agent)
    if mine.is_empty():
        return (0.0 if counts else None), 0, None
    value, n, hits = mine.row(0)[1:]
    return value, int(n or 0), hits


def _peer_median(frame: pl.DataFrame, peers: list[str]) -> tuple[float | None, int]:
    values = frame.filter(pl.col("agent").is_in(peers) & pl.col("value").is_not_null())["value"]
    return (statistics.median(values) if len(values) else None), len(values)


def _interval(
    figure: Figure, calls: Calls, filters: Filters, agent: str, hits: Any, n: int
) -> tuple[float | None, float | None]:
    if figure.interval == "wilson":
        return wilson_interval(int(hits or 0), n)
    if figure.interval == "quality":
        return mean_ci(calls.quality_scores(filters, agent))
    if figure.interval in ("median", "mean"):
        values = calls.samples(filters, agent)[figure.name].drop_nulls().to_list()
        return median_ci(values) if figure.interval == "median" else mean_ci(values)
    return None, None


def _judged(
    figure: Figure, calls: Calls, current: Filters, who: str, peers: list[str], state: Settling
) -> dict[str, Any]:
    """The verdict on one figure, over the settled part of the period only."""
    settings = calls.settings
    scope = settled_filters(current, state, figure.metric, settings)
    moving = period_provisional(current, state, figure.metric, settings)
    empty = {"judged_through": None, "judged_value": None, "judged_n": None, "judged_team": None}
    if scope is None:
        reason = "provisional: no day of the period has settled yet"
        return {"verdict": "not_judged", "verdict_reason": reason, "provisional": moving, **empty}
    frame = figure.per_agent(calls, scope)
    value, n, hits = _agent_values(frame, who, figure.counts)
    team, _ = _peer_median(frame, peers)
    interval = _interval(figure, calls, scope, who, hits, n)
    verdict: Judgement = judge_against(
        value, interval, team, figure.direction, figure.unit, n, settings
    )
    reason = verdict.reason
    if scope != current and not n and figure.direction != CONTEXT:
        reason = f"provisional: no settled contact yet (the settled part ends {scope.date_to})"
    elif moving and scope != current and verdict.verdict != "not_judged":
        reason += f" (judged on contacts up to {scope.date_to}; later ones are still moving)"
    return {
        "verdict": verdict.verdict, "verdict_reason": reason, "provisional": moving,
        "judged_through": scope.date_to if scope != current else current.date_to,
        "judged_value": value, "judged_n": n, "judged_team": team,
    }  # fmt: skip


def _unavailable(reasons: list[str]) -> dict[str, Any]:
    return {
        "value": None, "ci_low": None, "ci_high": None, "previous": None, "change": None,
        "gap": None, "verdict": "not_judged", "verdict_reason": "not available: "
        + "; ".join(reasons), "provisional": None, "judged_through": None,
        "judged_value": None, "judged_n": None, "judged_team": None,
        "availability": "not_available",
    }  # fmt: skip


def _shown(
    figure: Figure, frames: tuple[pl.DataFrame, pl.DataFrame | None], calls: Calls,
    current: Filters, who: str, peers: list[str],
) -> dict[str, Any]:  # fmt: skip
    """The figure over the whole period, its interval, team value and previous period."""
    value, n, hits = _agent_values(frames[0], who, figure.counts)
    team_median, team_agents = _peer_median(frames[0], peers)
    before, before_n = None, None
    if frames[1] is not None:
        before, before_n, _ = _agent_values(frames[1], who, figure.counts)
    low, high = _interval(figure, calls, current, who, hits, n) if n else (None, None)
    return {
        "figure": figure.name, "label": figure.label, "unit": figure.unit,
        "direction": figure.direction, "agent": who, "value": value, "n": n,
        "ci_low": low, "ci_high": high, "team_median": team_median, "team_agents": team_agents,
        "previous": before, "previous_n": before_n,
        "change": value - before if value is not None and before is not None else None,
        "gap": gap(value, team_median, figure.direction),
    }  # fmt: skip


def _the_agent(filters: Filters, agent: str | None) -> str:
    if agent:
        return agent
    if len(filters.agent) == 1:
        return filters.agent[0]
    raise ValueError("a scorecard is for one agent: pass agent= (or filter on exactly one agent)")


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    rank = pl.col("verdict").replace_strict(VERDICT_ORDER, return_dtype=pl.Int64)
    return (
        frame.with_columns(_rank=rank)
        .sort(["_rank", "gap"], descending=[False, True], nulls_last=True, maintain_order=True)
        .drop("_rank")
    )


@metric(
    "agent_scorecard",
    label="Agent scorecard",
    unit="mixed (see each row's unit)",
    family="scorecard",
    definition=(
        "For one agent and period: FRT (calendar and business) and first resolution medians, "
        "one-touch, reopen, FCR, CSAT and SLA rates, CSAT mean, the customers' negative-sentiment "
        "share, the negative share of the agent's own messages (tone), contacts handled, the "
        "automatic quality score and each scored rubric category's pass rate; each beside the "
        "team value (the median of the other agents of the team) and the agent's previous "
        "period of equal length, weakest areas first. A figure is worse (or better) than the "
        "team only when the difference is material (settings [scorecard]) and the agent's 95% "
        "interval excludes the team value, judged on the settled part of the period; contacts "
        "handled is context, never a weakness."
    ),
    variant=(
        "intervals: Wilson for rates, order statistics for medians, t for the mean score; "
        "gap = distance from the team value in the worse direction over the larger value"
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
    """One row per figure: worse first (by gap), then level, better, and not judged.

    Columns: figure, label, unit, direction, agent, team, value, n, ci_low, ci_high, team_median
    (median of the peers' values; null without a comparison group), team_agents (peers with a
    value), previous, previous_n, change, gap, verdict (worse / better / level / not_judged),
    verdict_reason, provisional (why the period holds figures still moving, else null),
    judged_through (last day the verdict rests on), judged_value, judged_n, judged_team,
    availability (the figure's inputs: available / partial / not_available; a figure that is
    not available has no value and no verdict, its reason says why).
    """
    if by is not None:
        raise ValueError("the agent scorecard has no breakdowns (it is one agent's figures)")
    who = _the_agent(filters, agent)
    attribution_expr(attribution)
    current = replace(filters, agent=())
    previous = current.previous_period() if filters.date_from and filters.date_to else None
    figures = figures_of(settings)
    calls = Calls(wh, settings, attribution)
    with ThreadPoolExecutor(max_workers=2) as pool:  # DuckDB runs queries beside each other
        settled = pool.submit(settling, wh, settings)
        counted = pool.submit(data_facts, wh, settings, current)
        team, members = team_of(wh, settings, who)
        peers = [m for m in members if m != who] if team else []
        state = settled.result()
        scopes = [settled_filters(current, state, fig.metric, settings) for fig in figures]
        periods = [current, *([previous] if previous else []), *filter(None, scopes)]
        calls.prefetch(periods, who, peers, pool.submit)
        facts = counted.result()
    rows = []
    for fig in figures:
        earlier = fig.per_agent(calls, previous) if previous is not None else None
        frames = (fig.per_agent(calls, current), earlier)
        shown = _shown(fig, frames, calls, current, who, peers)
        inputs = judge(facts, fig.metric)
        if not inputs.shown:  # its inputs are not in the warehouse: no value, no verdict
            rows.append(shown | _unavailable(inputs.reasons))
            continue
        rows.append(shown | _judged(fig, calls, current, who, peers, state) | {
            "availability": inputs.status})  # fmt: skip
    frame = pl.DataFrame(rows, schema={k: v for k, v in SCHEMA.items() if k != "team"})
    frame = frame.with_columns(team=pl.lit(team, pl.String)).select(list(SCHEMA))
    return _sorted(frame)
