"""The chat queue by hour of day: how many customers are waiting for an agent, and when.

Built on the customer runs of ``metrics.response.conversation`` (a run waits from its first message
to the next human agent message); the wait is integrated over each clock hour.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.response.conversation import bind, runs_sql, runs_table

WAITS_SQL = """
    WITH waits AS (
        -- The chat runs of the filtered contacts that end (answered) or start (unanswered)
        -- after the period began. Each branch reads the runs fact itself with plain range
        -- conditions, so they reach its scan and skip the row groups of earlier days (a shared
        -- CTE of all runs would be materialized first: a scan of every run).
        SELECT {group} AS grp, c.waiting_from, c.reply_at FROM {runs} AS c
        WHERE {where} AND c.channel = 'chat' AND NOT c.bot_resolved
            AND c.waiting_from < $w_end AND c.reply_at >= $w_start
        UNION ALL
        SELECT {group} AS grp, c.waiting_from, c.reply_at FROM {runs} AS c
        WHERE {where} AND c.channel = 'chat' AND NOT c.bot_resolved
            AND c.waiting_from < $w_end AND c.reply_at IS NULL AND c.waiting_from >= $w_start
    )
"""

QUEUE_SQL = """
    , queue_groups AS ({groups}),
    events AS (
        -- +1 when a wait starts, -1 when it is answered, 0 at every hour boundary.
        SELECT grp, waiting_from AS instant, 1 AS delta, 1 AS starts, 0 AS open_starts
        FROM waits WHERE reply_at IS NOT NULL
        UNION ALL SELECT grp, reply_at, -1, 0, 0 FROM waits WHERE reply_at IS NOT NULL
        UNION ALL SELECT grp, waiting_from, 0, 0, 1 FROM waits WHERE reply_at IS NULL
        UNION ALL SELECT g.grp, s.slot_start, 0, 0, 0
        FROM queue_groups AS g CROSS JOIN queue_slots AS s
        UNION ALL SELECT grp, $w_end, 0, 0, 0 FROM queue_groups
    ),
    instants AS (
        -- BIGINT, not the HUGEINT sum() gives: the running sum below is cheaper over it.
        SELECT grp, instant, sum(delta)::BIGINT AS delta, sum(starts)::BIGINT AS starts,
            sum(open_starts)::BIGINT AS open_starts
        FROM events GROUP BY grp, instant
    ),
    levels AS (
        -- Waits are half-open [start, reply): the level at an instant counts what starts there.
        SELECT grp, instant, starts, open_starts,
            sum(delta) OVER (PARTITION BY grp ORDER BY instant ROWS UNBOUNDED PRECEDING) AS level,
            epoch(lead(instant) OVER (PARTITION BY grp ORDER BY instant)) - epoch(instant) AS gap,
            floor((epoch(instant) - epoch($w_start)) / 3600)::BIGINT AS slot
        FROM instants
    ),
    per_slot AS (
        -- Hour boundaries are instants, so no segment between two instants crosses an hour.
        SELECT grp, slot, max(level) AS max_level, sum(level * gap) / 60.0 AS waiting_minutes,
            arg_min(level, instant) + sum(starts) - arg_min(starts, instant) AS active,
            sum(open_starts) AS unanswered
        FROM levels WHERE instant >= $w_start AND instant < $w_end GROUP BY grp, slot
    )
    SELECT p.grp, s.hour,
        sum(p.waiting_minutes) / (60.0 * count(*)) AS mean_waiting,
        max(p.max_level)::BIGINT AS max_waiting,
        sum(p.active)::BIGINT AS n,
        sum(p.unanswered)::BIGINT AS unanswered,
        count(*) AS hours
    FROM per_slot AS p JOIN queue_slots AS s USING (slot)
    GROUP BY p.grp, s.hour ORDER BY p.grp NULLS LAST, s.hour
"""


_SPAN_SQL = """
    SELECT min(waiting_from AT TIME ZONE $timezone)::DATE,
        max(coalesce(reply_at, waiting_from) AT TIME ZONE $timezone)::DATE
    FROM runs WHERE channel = 'chat' AND NOT bot_resolved
"""


def hour_slots(start: datetime, end: datetime, timezone: str) -> pl.DataFrame:
    """One row per clock hour from ``start`` to ``end``: slot index, its start (UTC), local hour."""
    zone = ZoneInfo(timezone)
    starts = [start + timedelta(hours=i) for i in range(int((end - start).total_seconds() // 3600))]
    return pl.DataFrame(
        {
            "slot": range(len(starts)),
            "slot_start": starts,
            "hour": [at.astimezone(zone).hour for at in starts],
        },
        schema={"slot": pl.Int64, "slot_start": pl.Datetime("us", "UTC"), "hour": pl.Int32},
    )


def queue_window(
    wh: Warehouse, runs: str, params: dict[str, Any], filters: Filters, timezone: str
) -> tuple[datetime, datetime]:
    """The period of the queue: the filters' local days, else the days the chat waits span."""
    if filters.date_from is None or filters.date_to is None:
        sql = runs + _SPAN_SQL
        first, last = wh.query(sql, bind(sql, {**params, "timezone": timezone})).row(0)
        if first is None:
            first = last = filters.date_from or filters.date_to
        filters = replace(
            filters, date_from=filters.date_from or first, date_to=filters.date_to or last
        )
    start, end = filters.bounds(timezone)
    if start is None or end is None or end < start:
        start = end = start or end or datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))
    return start, end


@metric(
    "chat_queue_by_hour",
    label="Chat queue by hour of day",
    unit="conversations",
    family="conversation",
    definition=(
        "For chat contacts, the number of conversations whose customer is waiting (inside a "
        "reply-time wait) at each hour of the day in the reporting time zone: mean = waiting "
        "time integrated over the hour divided by the hour (the time-averaged queue length), "
        "averaged over every day of the period; max = the longest queue at any instant."
    ),
    variant="integrated over each hour, not sampled; the period is the filters' date range",
    exclusions=(
        "unanswered runs (the end of their wait is unknown: counted per hour of their start), "
        "bot-only conversations, non-chat channels, merged duplicates"
    ),
)
def chat_queue_by_hour(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Per local hour of day: mean and max conversations waiting, n waits active, unanswered.

    The date range of ``filters`` is the period whose hours are counted (waits of contacts
    created earlier still count while they fall inside it); without one, the data's span.
    """
    tz = settings.reporting_timezone
    where, params = replace(filters, date_from=None, date_to=None).where(tz)
    runs = runs_table(wh, settings)
    start, end = queue_window(wh, runs_sql(runs, where, None), params, filters, tz)
    waits = WAITS_SQL.format(group=group_expr(by) or "NULL", runs=runs, where=where)
    sql = waits + QUEUE_SQL.format(
        groups="SELECT DISTINCT grp FROM waits" if by else "SELECT NULL AS grp"
    )
    all_params = {**params, "timezone": tz, "w_start": start, "w_end": end}
    frame = wh.query(sql, bind(sql, all_params), frames={"queue_slots": hour_slots(start, end, tz)})
    return frame.rename({"grp": by}) if by else frame.drop("grp")
