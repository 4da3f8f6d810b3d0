"""The scorecard's per-agent metric frames for several periods at once, in a few queries.

A scorecard needs each figure per agent over the current period, the previous one and the
settled part of the current one (which differs by figure): run one metric call per figure
and period, that was about fifty queries. The periods differ only in their dates, so each
query here reads the union of the periods once, numbers every contact by each period it
falls in (a contact of the settled part also belongs to the current period) and groups by
period and agent. The aggregates are those of the metric functions (the same conditions,
imported from their modules), so each frame equals ``fn(..., by="agent")`` of that period
for the columns the scorecard reads (tests/metrics/test_scorecard_periods.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from metrics.agents.tone import agent_tone, tone_contacts_table
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.quality.scope import quality_table
from metrics.quality.scores import scorecard_quality, scorecard_sums
from metrics.response import first_response as response
from metrics.response import resolution
from metrics.response.resolution import SOLVED
from metrics.voice.csat import SATISFIED, attribution_expr, csat
from metrics.voice.sentiment import sentiment_totals

# Durations (duration_summary: n, median) and rates (rate_summary: hit among eligible).
DURATIONS: dict[str, str] = {
    response.first_response_time.__name__: "frt_minutes",
    response.first_response_time_business.__name__: "frt_business_minutes",
    resolution.first_resolution_time.__name__: "first_resolution_minutes",
}
Agents = tuple[str, list[str]]  # the SQL of the agent a figure counts for, and the agents
RATES: dict[str, tuple[str, str]] = {  # prefix -> (eligible, hit), as in metrics.response
    "one_touch": (f"{SOLVED} AND c.one_touch IS NOT NULL", "c.one_touch"),
    "reopen": (f"{SOLVED} AND c.reopened IS NOT NULL", "c.reopened"),
    "fcr": (f"{SOLVED} AND c.fcr IS NOT NULL", "c.fcr"),
    "sla": ("c.sla_met IS NOT NULL", "c.sla_met"),
}


def contacts_handled(
    wh: Warehouse, settings: Settings, filters: Filters, by: str = "agent"
) -> pl.DataFrame:
    """Contacts per agent (the contact's agent) over ``filters``: agent, n."""
    if by != "agent":
        raise ValueError("contacts handled is counted per agent only")
    where, params = filters.where(settings.reporting_timezone)
    table = contacts_table(wh, settings)
    sql = (
        f"SELECT c.agent_id AS agent, count(*) AS n FROM {table} AS c"  # noqa: S608
        f" WHERE {where} AND c.agent_id IS NOT NULL GROUP BY ALL"
    )
    return wh.query(sql, params)


def _dates(periods: list[Filters]) -> Filters:
    """The filters of every period with the union of their dates (open when one is)."""
    base = replace(periods[0], date_from=None, date_to=None)
    if any(replace(p, date_from=None, date_to=None) != base for p in periods):
        raise ValueError("periods must differ in their dates only")
    starts: list[date | None] = [p.date_from for p in periods]
    ends: list[date | None] = [p.date_to for p in periods]
    return replace(
        base,
        date_from=None if None in starts else min(d for d in starts if d is not None),
        date_to=None if None in ends else max(d for d in ends if d is not None),
    )


def _membership(periods: list[Filters], timezone: str) -> tuple[str, str, dict[str, Any]]:
    """The periods each contact ``c`` falls in, as an equality join: the periods' bounds cut
    time into segments (segment k: from bound k-1 to bound k; -1: no creation time), each
    contact's segment is found by comparing its creation time with the bounds, and a
    segment lies in a period when the period's bounds enclose it. A hash join on the
    segment number then pairs each contact with its periods, where a join on the periods'
    ranges compared every contact with every period. Returns the segment expression, the
    (segment, period) VALUES rows and the bounds' parameters."""
    spans = [period.bounds(timezone) for period in periods]
    bounds = sorted({bound for span in spans for bound in span if bound is not None})
    params = {f"b{k}": bound for k, bound in enumerate(bounds)}
    tests = " ".join(f"WHEN c.created_at < $b{k} THEN {k}" for k in range(len(bounds)))
    segment = f"CASE WHEN c.created_at IS NULL THEN -1 {tests} ELSE {len(bounds)} END"
    edges = [None, *bounds, None]  # segment k runs from edges[k] to edges[k + 1]
    pairs = [(-1, i) for i, (start, end) in enumerate(spans) if start is None and end is None]
    for k in range(len(bounds) + 1):
        low, high = edges[k], edges[k + 1]
        for i, (start, end) in enumerate(spans):
            after_start = start is None or (low is not None and start <= low)
            before_end = end is None or (high is not None and high <= end)
            if after_start and before_end:
                pairs.append((k, i))
    rows = ", ".join(f"({k}, {i})" for k, i in pairs) or "(NULL, NULL)"
    return segment, rows, params


def _periods_sql(
    settings: Settings, periods: list[Filters], select: str, source: str,
    condition: str = "TRUE", grouped: bool = False,
) -> tuple[str, dict[str, Any]]:  # fmt: skip
    """``SELECT p.period, {select}`` over ``source`` (alias c) joined with the periods its
    contacts fall in, filtered by the periods' shared filters and ``condition``; grouped by
    every selected key when ``grouped``."""
    where, params = _dates(periods).where(settings.reporting_timezone)
    segment, pairs, bounds = _membership(periods, settings.reporting_timezone)
    sql = f"""
        SELECT p.period, {select}
        FROM {source} AS c JOIN (VALUES {pairs}) AS p(segment, period) ON p.segment = {segment}
        WHERE {where} AND {condition}{" GROUP BY ALL" if grouped else ""}
    """  # noqa: S608 (fixed expressions; the tables from fact_table and contacts_table)
    return sql, params | bounds


def _periods_query(
    wh: Warehouse, settings: Settings, periods: list[Filters], select: str, source: str,
    condition: str, agents: Agents,
) -> pl.DataFrame:  # fmt: skip
    """``_periods_sql`` grouped, over the contacts whose ``agents[0]`` (the SQL of the agent
    a figure counts for) is one of ``agents[1]`` (the scorecard's agent and peers)."""
    key, names = agents
    chosen = f"{condition} AND list_contains(CAST($agents AS VARCHAR[]), {key})"
    sql, params = _periods_sql(settings, periods, select, source, chosen, grouped=True)
    return wh.query(sql, params | {"agents": list(names)})


def _contact_aggregates() -> str:
    durations = "".join(
        f"count(c.{column}) AS {name}_n, quantile_cont(c.{column}, 0.5) AS {name}_median, "
        for name, column in DURATIONS.items()
    )
    rates = "".join(
        f"count(*) FILTER (WHERE {eligible}) AS {name}_n,"
        f" count(*) FILTER (WHERE ({eligible}) AND ({hit})) AS {name}_hits, "
        for name, (eligible, hit) in RATES.items()
    )
    sentiment = (
        "CAST(coalesce(sum(c.scored_messages), 0) AS BIGINT) AS sentiment_n,"
        " CAST(coalesce(sum(c.negative_messages), 0) AS BIGINT) AS sentiment_negative,"
        " CAST(coalesce(sum(c.customer_messages), 0) AS BIGINT) AS sentiment_customers"
    )
    return f"c.agent_id AS agent, {durations}{rates}count(*) AS handled, {sentiment}"


def _share(hits: str, n: str) -> pl.Expr:
    return pl.when(pl.col(n) > 0).then(pl.col(hits) / pl.col(n))


def _rate(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    return frame.select(
        "agent", n=f"{name}_n", hits=f"{name}_hits", value=_share(f"{name}_hits", f"{name}_n")
    )


def _contact_frames(
    wh: Warehouse, settings: Settings, periods: list[Filters], agents: list[str]
) -> dict[tuple[str, Filters], pl.DataFrame]:
    """Durations, rates, customer sentiment and contacts handled: one query."""
    table = contacts_table(wh, settings)
    frame = _periods_query(
        wh, settings, periods, _contact_aggregates(), table, "TRUE", ("c.agent_id", agents)
    )
    frames: dict[tuple[str, Filters], pl.DataFrame] = {}
    for i, period in enumerate(periods):
        part = frame.filter(pl.col("period") == i)
        for name in DURATIONS:
            frames[name, period] = part.select("agent", n=f"{name}_n", median=f"{name}_median")
        touch = _rate(part, "one_touch").select(
            "agent", one_touch_n="n", one_touch_hits="hits", one_touch_value="value"
        )
        frames[resolution.fcr_rate.__name__, period] = _rate(part, "fcr").join(
            touch, on="agent", how="left", nulls_equal=True, maintain_order="left"
        )
        frames[resolution.reopen_rate.__name__, period] = _rate(part, "reopen")
        frames[resolution.sla_attainment.__name__, period] = _rate(part, "sla")
        scored = part.filter(pl.col("sentiment_customers") > 0)  # as sentiment_totals' HAVING
        frames[sentiment_totals.__name__, period] = scored.select(
            "agent", n="sentiment_n", negative="sentiment_negative",
            negative_share=_share("sentiment_negative", "sentiment_n"),
        )  # fmt: skip
        frames[contacts_handled.__name__, period] = (
            part.filter(pl.col("agent").is_not_null())
            .select("agent", "handled")
            .rename({"handled": "n"})
        )
    return frames


def _csat_frames(
    wh: Warehouse, settings: Settings, periods: list[Filters], attribution: str,
    agents: list[str],
) -> dict[tuple[str, Filters], pl.DataFrame]:  # fmt: skip
    """CSAT per attributed agent (as ``csat(by="agent")``; the periods name no agent)."""
    select = (
        f"{attribution_expr(attribution)} AS agent, count(c.csat_score) AS n,"
        f" count(*) FILTER (WHERE {SATISFIED}) AS satisfied, avg(c.csat_score) AS mean"
    )
    table, key = contacts_table(wh, settings), attribution_expr(attribution)
    frame = _periods_query(wh, settings, periods, select, table, "TRUE", (key, agents))
    return {
        (csat.__name__, period): frame.filter(pl.col("period") == i).select(
            "agent", "n", "satisfied", "mean", value=_share("satisfied", "n")
        )
        for i, period in enumerate(periods)
    }


def _tone_frames(
    wh: Warehouse, settings: Settings, periods: list[Filters], agents: list[str]
) -> dict[tuple[str, Filters], pl.DataFrame]:
    """The tone of each agent's own messages (as ``agent_tone(by="agent")``), from the tone
    rows stored beside their contact's filter columns (no join per call)."""
    select = (
        "c.sender_id AS agent, CAST(sum(c.n) AS BIGINT) AS n,"
        " CAST(sum(c.negative) AS BIGINT) AS negative"
    )
    writer = "c.sender_type IN ('agent')"
    source = tone_contacts_table(wh, settings)
    frame = _periods_query(wh, settings, periods, select, source, writer, ("c.sender_id", agents))
    return {
        (agent_tone.__name__, period): frame.filter(pl.col("period") == i).select(
            "agent", "n", "negative", negative_share=_share("negative", "n")
        )
        for i, period in enumerate(periods)
    }


def _quality_frames(
    wh: Warehouse, settings: Settings, periods: list[Filters], agents: list[str]
) -> dict[tuple[str, Filters], pl.DataFrame]:
    """The automatic review per agent (as ``scorecard_quality(by="agent")``)."""
    codes = "".join(f"c.qa_{i}, " for i in range(len(settings.quality.names)))
    select = (
        f"c.agent_id AS grp, {codes}count(*) AS contacts, count(c.qa_score) AS scored,"
        " sum(c.qa_score) AS score_sum"
    )
    table = quality_table(wh, settings)
    chosen = ("c.agent_id", agents)
    frame = _periods_query(wh, settings, periods, select, table, "c.qa_reviewed", chosen)
    return {
        (scorecard_quality.__name__, period): scorecard_sums(
            frame.filter(pl.col("period") == i).drop("period"), settings
        ).rename({"grp": "agent"})
        for i, period in enumerate(periods)
    }


def agent_frames(
    wh: Warehouse, settings: Settings, periods: list[Filters], attribution: str,
    agents: list[str], run: Callable[[Callable[[], Any]], Any] = lambda build: build(),
) -> dict[tuple[str, Filters], pl.DataFrame]:  # fmt: skip
    """Per (metric function name, period) the per-agent frame the scorecard reads, for every
    period in ``periods`` (filters that differ only in their dates), with the rows of
    ``agents`` only (a scorecard reads its agent's and the peers'; each row counts that
    agent's contacts alone, so it equals the metric's row): four queries.

    ``run`` starts a query (e.g. on a thread pool: ``pool.submit``) and returns its result
    or a future (anything with ``result()``)."""
    periods = list(dict.fromkeys(periods))
    started = [
        run(lambda: _contact_frames(wh, settings, periods, agents)),
        run(lambda: _csat_frames(wh, settings, periods, attribution, agents)),
        run(lambda: _tone_frames(wh, settings, periods, agents)),
        run(lambda: _quality_frames(wh, settings, periods, agents)),
    ]
    frames: dict[tuple[str, Filters], pl.DataFrame] = {}
    for part in started:
        frames |= part.result() if hasattr(part, "result") else part
    return frames


SAMPLES_SELECT = """
    c.frt_minutes AS frt, c.frt_business_minutes AS frt_business,
    c.first_resolution_minutes AS first_resolution_time, NULL::DOUBLE AS csat_mean
"""
RATED_SELECT = "NULL, NULL, NULL, c.csat_score::DOUBLE"


def agent_samples(
    wh: Warehouse, settings: Settings, periods: list[Filters], agent: str, attribution: str
) -> dict[Filters, pl.DataFrame]:
    """Per period the agent's per-contact values (``metrics.agents.figures`` SAMPLES_SQL:
    frt, frt_business, first_resolution_time, csat_mean) in one query."""
    periods = list(dict.fromkeys(periods))
    table = contacts_table(wh, settings)
    rated = f"{attribution_expr(attribution)} = $agent AND c.csat_score IS NOT NULL"
    own, params = _periods_sql(settings, periods, SAMPLES_SELECT, table, "c.agent_id = $agent")
    ratings, _ = _periods_sql(settings, periods, RATED_SELECT, table, rated)
    both = wh.query(f"{own} UNION ALL {ratings}", params | {"agent": agent})
    return {
        period: both.filter(pl.col("period") == i).drop("period")
        for i, period in enumerate(periods)
    }


def agent_quality_samples(
    wh: Warehouse, settings: Settings, periods: list[Filters], agent: str
) -> dict[Filters, list[float]]:
    """Per period the automatic review score of each of ``agent``'s reviewed contacts (as
    ``metrics.quality.scores.agent_quality_scores``), in one query."""
    periods = list(dict.fromkeys(periods))
    sql, params = _periods_sql(
        settings, periods, "c.qa_score", quality_table(wh, settings),
        "c.qa_reviewed AND c.qa_score IS NOT NULL AND c.agent_id = $agent",
    )  # fmt: skip
    frame = wh.query(sql, params | {"agent": agent})
    return {
        period: frame.filter(pl.col("period") == i)["qa_score"].to_list()
        for i, period in enumerate(periods)
    }
