"""Conversation waits: reply time, requester wait and the chat queue by hour.

A *run* is a stretch of consecutive customer messages (bot and system messages
neither break nor end it). Its wait runs from the run's first message to the
next human agent message. Messages belong to a contact through source +
``conversation_id`` = ``contact_id``; the contact's filters and breakdowns apply.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from metrics.contacts import Warehouse, contacts_table
from metrics.filters import Filters
from metrics.grouping import group_expr
from metrics.registry import metric
from metrics.settings import Settings

RUN_DEFINITION = (
    "For every run of consecutive customer messages, the wait from the run's first message to "
    "the next human agent message. Bot and system messages neither end the wait nor start a "
    "new run; an agent's opener is not a reply. Messages are ordered by time; at the same "
    "instant a customer message comes before an agent's (as first response time counts a "
    "reply at the same instant), then by message id."
)
RUN_EXCLUSIONS = (
    "runs with no later agent reply (unanswered), runs of bot-only conversations (bot_only), "
    "contacts with no customer message or no transcript (without_runs), contacts with an "
    "untimed message (untimed), merged duplicates"
)


def bind(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The named parameters ``sql`` uses (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", sql)}


def runs_sql(table: str, where: str, group: str | None) -> str:
    """CTEs ``scoped`` (filtered contacts), ``timed`` and ``runs`` (one row per customer run).

    ``runs``: source, contact_id, grp, channel, bot_resolved, waiting_from, reply_at and
    wait_minutes (NULL when no agent replied later).
    """
    return f"""
    WITH scoped AS (
        SELECT c.source, c.contact_id, c.channel, c.bot_resolved, {group or "NULL"} AS grp
        FROM {table} AS c WHERE {where}
    ),
    timed AS (
        SELECT m.source, m.conversation_id AS contact_id, bool_and(m.sent_at IS NOT NULL) AS ok
        FROM messages AS m
        JOIN scoped AS s ON s.source = m.source AND s.contact_id = m.conversation_id
        GROUP BY m.source, m.conversation_id
    ),
    human AS (
        SELECT m.source, m.conversation_id AS contact_id, m.sent_at, m.sender_type,
            lag(m.sender_type) OVER w AS previous_type,
            min(CASE WHEN m.sender_type = 'agent' THEN m.sent_at END)
                OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS reply_at
        FROM messages AS m
        JOIN timed AS t ON t.source = m.source AND t.contact_id = m.conversation_id AND t.ok
        WHERE m.sender_type IN ('customer', 'agent')
        WINDOW w AS (
            PARTITION BY m.source, m.conversation_id
            ORDER BY m.sent_at, m.sender_type = 'agent', m.message_id
        )
    ),
    runs AS (
        SELECT s.source, s.contact_id, s.grp, s.channel, s.bot_resolved,
            h.sent_at AS waiting_from, h.reply_at,
            (epoch(h.reply_at) - epoch(h.sent_at)) / 60.0 AS wait_minutes
        FROM human AS h JOIN scoped AS s USING (source, contact_id)
        WHERE h.sender_type = 'customer' AND coalesce(h.previous_type, 'agent') = 'agent'
    ),
    contact_runs AS (
        -- One row per run, or one empty row for a contact without runs.
        SELECT s.source, s.contact_id, s.grp, s.bot_resolved, coalesce(t.ok, true) AS is_timed,
            r.waiting_from, r.reply_at, r.wait_minutes
        FROM scoped AS s
        LEFT JOIN timed AS t USING (source, contact_id)
        LEFT JOIN runs AS r USING (source, contact_id)
    )
    """  # noqa: S608 - table and where come from contacts_table() and Filters.where()


_WAIT_ROWS = """
    SELECT source, contact_id, waiting_from, reply_at, wait_minutes, bot_resolved AS bot_only
    FROM runs ORDER BY source, contact_id, waiting_from
"""


def conversation_waits(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """The rows behind reply time: one per customer run of the filtered contacts.

    Columns: source, contact_id, waiting_from, reply_at (NULL: unanswered), wait_minutes,
    bot_only (the contact is a bot-only conversation).
    """
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    sql = runs_sql(table, where, None) + _WAIT_ROWS
    return wh.query(sql, bind(sql, params))


# Counts shared by every run-based summary, over `contact_runs` (or per-contact rows).
_RUN_COUNTS = """
    count(waiting_from) FILTER (WHERE reply_at IS NULL AND NOT bot_resolved) AS unanswered,
    count(waiting_from) FILTER (WHERE bot_resolved) AS bot_only,
    count(*) FILTER (WHERE waiting_from IS NULL AND is_timed) AS without_runs,
    count(*) FILTER (WHERE NOT is_timed) AS untimed"""


def _run_query(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None, select: str
) -> pl.DataFrame:
    """Run ``runs_sql`` for ``filters`` and then ``select``: one row overall, or one per group."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    grouped = {"key": "grp", "group_by": "GROUP BY grp ORDER BY grp NULLS LAST"}
    overall = {"key": "NULL AS grp", "group_by": ""}
    sql = runs_sql(table, where, group_expr(by)) + select.format(**(grouped if by else overall))
    frame = wh.query(sql, bind(sql, {**params, "timezone": settings.reporting_timezone}))
    return frame.rename({"grp": by}) if by else frame.drop("grp")


_PER_RUN = f"""
    SELECT {{key}},
        count(wait_minutes) FILTER (WHERE NOT bot_resolved) AS n,{_RUN_COUNTS},
        quantile_cont(wait_minutes, 0.5) FILTER (WHERE NOT bot_resolved) AS median,
        quantile_cont(wait_minutes, 0.9) FILTER (WHERE NOT bot_resolved) AS p90
    FROM contact_runs {{group_by}}
"""  # noqa: S608 - constant fragments only

_PER_CONTACT = """
    , per_contact AS (
        SELECT grp, source, contact_id,
            bool_or(NOT is_timed) AS untimed,
            bool_or(bot_resolved) AS bot_only,
            count(waiting_from) AS runs,
            count(waiting_from) FILTER (WHERE reply_at IS NULL) AS open_runs,
            sum(wait_minutes) AS wait_minutes,
            quantile_cont(wait_minutes, 0.5) AS median_wait,
            arg_max(reply_at IS NULL, waiting_from) AS last_run_open
        FROM contact_runs GROUP BY grp, source, contact_id
    )
"""

_PER_CONVERSATION = f"""{_PER_CONTACT}
    SELECT {{key}}, count(median_wait) FILTER (WHERE NOT bot_only) AS n,
        coalesce(sum(open_runs) FILTER (WHERE NOT bot_only), 0)::BIGINT AS unanswered,
        coalesce(sum(runs) FILTER (WHERE bot_only), 0)::BIGINT AS bot_only,
        count(*) FILTER (WHERE runs = 0 AND NOT untimed) AS without_runs,
        count(*) FILTER (WHERE untimed) AS untimed,
        quantile_cont(median_wait, 0.5) AS median, quantile_cont(median_wait, 0.9) AS p90
    FROM per_contact {{group_by}}
"""  # noqa: S608 - constant fragments only


@metric(
    "reply_time",
    label="Reply time",
    unit="minutes",
    family="conversation",
    definition=RUN_DEFINITION,
    variant=(
        "calendar time; per='run' (default): median and p90 over all answered runs; "
        "per='conversation': each conversation's median wait, then median and p90 of those"
    ),
    exclusions=RUN_EXCLUSIONS,
    options={"per": ("run", "conversation")},
)
def reply_time(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None, per: str = "run"
) -> pl.DataFrame:
    """Minutes from a customer run's first message to the next human agent message.

    ``per="run"``: n = answered runs; ``per="conversation"``: n = contacts with an answered
    run, summarising each contact's median wait. Both report unanswered and bot_only runs
    and the contacts without_runs / untimed.
    """
    if per not in ("run", "conversation"):
        raise ValueError(f"per must be 'run' or 'conversation', got {per!r}")
    select = _PER_RUN if per == "run" else _PER_CONVERSATION
    return _run_query(wh, settings, filters, by, select)


_REQUESTER_WAIT = f"""{_PER_CONTACT}
    SELECT {{key}}, count(wait_minutes) FILTER (WHERE NOT bot_only) AS n,
        count(*) FILTER (WHERE wait_minutes IS NULL AND runs > 0 AND NOT bot_only) AS unanswered,
        count(*) FILTER (WHERE runs > 0 AND bot_only) AS bot_only,
        count(*) FILTER (WHERE runs = 0 AND NOT untimed) AS without_runs,
        count(*) FILTER (WHERE untimed) AS untimed,
        count(wait_minutes) FILTER (WHERE last_run_open AND NOT bot_only) AS still_waiting,
        quantile_cont(wait_minutes, 0.5) FILTER (WHERE NOT bot_only) AS median,
        quantile_cont(wait_minutes, 0.9) FILTER (WHERE NOT bot_only) AS p90
    FROM per_contact {{group_by}}
"""  # noqa: S608 - constant fragments only


@metric(
    "requester_wait",
    label="Requester wait time",
    unit="minutes",
    family="conversation",
    definition=(
        "Per contact, the total time the customer spent waiting for a human agent: the sum of "
        "its reply-time waits. " + RUN_DEFINITION
    ),
    variant="calendar time, sum of answered waits per contact; median and p90 over contacts",
    exclusions=(
        "contacts whose runs were never answered (unanswered), bot-only conversations, contacts "
        "without runs or with untimed messages, merged duplicates; still_waiting counts the "
        "contacts in n whose last run is unanswered (only their answered waits are summed)"
    ),
)
def requester_wait(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Sum of a contact's answered reply-time waits (minutes): n contacts, median, p90."""
    return _run_query(wh, settings, filters, by, _REQUESTER_WAIT)


QUEUE_SQL = """
    , waits AS (
        SELECT grp, waiting_from, reply_at FROM runs
        WHERE channel = 'chat' AND NOT bot_resolved
            AND waiting_from < $w_end AND coalesce(reply_at, waiting_from) >= $w_start
    ),
    queue_groups AS ({groups}),
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
        SELECT grp, instant, sum(delta) AS delta, sum(starts) AS starts,
            sum(open_starts) AS open_starts
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
    table = contacts_table(wh, settings)
    tz = settings.reporting_timezone
    where, params = replace(filters, date_from=None, date_to=None).where(tz)
    start, end = queue_window(wh, runs_sql(table, where, None), params, filters, tz)
    sql = runs_sql(table, where, group_expr(by)) + QUEUE_SQL.format(
        groups="SELECT DISTINCT grp FROM waits" if by else "SELECT NULL AS grp"
    )
    all_params = {**params, "timezone": tz, "w_start": start, "w_end": end}
    frame = wh.query(sql, bind(sql, all_params), frames={"queue_slots": hour_slots(start, end, tz)})
    return frame.rename({"grp": by}) if by else frame.drop("grp")
