"""The chat queue by hour of day: how many customers are waiting for an agent, and when.

Built on the customer runs of ``metrics.response.conversation`` (a run waits from its first message
to the next human agent message); the wait is integrated over each clock hour.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
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
    -- Microseconds from the period's start, clipped to the period: a wait's level inside it
    -- does not depend on when before it the wait began or after it the reply came.
    SELECT grp,
        epoch_us(greatest(waiting_from, $w_start)) - epoch_us($w_start) AS wait_start,
        -- (least() skips a null: an unanswered wait keeps its null end)
        epoch_us(CASE WHEN reply_at < $w_end THEN reply_at WHEN reply_at >= $w_end THEN $w_end END)
            - epoch_us($w_start) AS wait_end
    FROM waits
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
    sql = WAITS_SQL.format(group=group_expr(by) or "NULL", runs=runs, where=where)
    all_params = {**params, "timezone": tz, "w_start": start, "w_end": end}
    waits = wh.query(sql, bind(sql, all_params))
    slot_hours = hour_slots(start, end, tz)["hour"].to_numpy()
    span = (end - start) // timedelta(microseconds=1)
    if by is None:
        groups: list[tuple[Any, pl.DataFrame]] = [(None, waits)]
    else:  # every group with a wait, in the order of its key (missing last)
        parts = waits.partition_by("grp", as_dict=True)
        keys = pl.Series("grp", [key for (key,) in parts], dtype=waits["grp"].dtype)
        groups = [(key, parts[(key,)]) for key in keys.sort(nulls_last=True)]
    dtype = waits["grp"].dtype
    frames = [
        _by_hour(hourly_queue(part["wait_start"], part["wait_end"], span), slot_hours).with_columns(
            pl.lit(key, dtype=dtype).alias("grp")
        )
        for key, part in groups
    ]
    if not frames:  # a breakdown with no wait: no group
        empty = np.zeros(0, np.int64)
        queue = SlotQueue(empty, empty, empty, empty)
        frames = [_by_hour(queue, slot_hours[:0]).with_columns(pl.lit(None, dtype).alias("grp"))]
    frame = pl.concat(frames)
    frame = frame.select("grp", *_COLUMNS)
    return frame.rename({"grp": by}) if by else frame.drop("grp")


HOUR_US = 3_600_000_000
_COLUMNS = ("hour", "mean_waiting", "max_waiting", "n", "unanswered", "hours")


class SlotQueue(NamedTuple):
    """Per clock hour of the period (slot): the longest queue at any instant, the waiting time
    integrated over it (microseconds), the waits active in it and the unanswered ones starting."""

    max_level: np.ndarray
    waiting_us: np.ndarray
    active: np.ndarray
    unanswered: np.ndarray


def hourly_queue(wait_start: pl.Series, wait_end: pl.Series, span: int) -> SlotQueue:
    """The queue per hour slot of a period ``span`` microseconds long, from its waits.

    ``wait_start`` / ``wait_end``: microseconds from the period's start, clipped to it
    (``wait_end`` null: unanswered, counted in the slot of its start but never waiting). A wait
    is half-open [start, end): the level at an instant counts what starts there, not what ends.
    A sweep over the instants in time order (hour boundaries are instants too, so no segment
    between two instants crosses an hour): the level is the running sum of +1 at a start and
    -1 at an answer, each instant's level held until the next instant.
    """
    slots = span // HOUR_US
    if slots <= 0:
        empty = np.zeros(0, np.int64)
        return SlotQueue(empty, empty, empty, empty)
    answered = wait_end.is_not_null()
    starts = wait_start.filter(answered).to_numpy()
    ends = wait_end.filter(answered).to_numpy()
    opened = wait_start.filter(~answered).to_numpy()
    hours = np.arange(slots, dtype=np.int64) * HOUR_US
    # One sort of every event, its kind in the two low bits (offsets are far below 2**61).
    events = np.concatenate(
        [starts << 2, (ends << 2) | 1, (opened << 2) | 2, (hours << 2) | 3, [(span << 2) | 3]]
    )
    events.sort()
    instants, kind = events >> 2, events & 3
    last = np.flatnonzero(np.r_[instants[1:] != instants[:-1], True])
    at = instants[last]  # the distinct instants, in time order

    def per_instant(counted: np.ndarray) -> np.ndarray:
        return np.diff(np.cumsum(counted, dtype=np.int64)[last], prepend=0)

    started, answered_at, unanswered = (per_instant(kind == k) for k in (0, 1, 2))
    level = np.cumsum(started - answered_at)
    cuts = np.searchsorted(at, hours)  # each slot's first instant (its hour boundary)
    inside = slice(0, int(np.searchsorted(at, slots * HOUR_US)))  # instants of whole slots
    held = level[inside] * np.diff(at)[inside]
    return SlotQueue(
        max_level=np.maximum.reduceat(level[inside], cuts),
        waiting_us=np.add.reduceat(held, cuts),
        # waiting at the hour's start, and every wait starting after it within the hour
        active=level[cuts] + np.add.reduceat(started[inside], cuts) - started[cuts],
        unanswered=np.add.reduceat(unanswered[inside], cuts),
    )


def _by_hour(queue: SlotQueue, slot_hours: np.ndarray) -> pl.DataFrame:
    """Per local hour of day: mean and max waiting, waits active, unanswered, hours counted."""
    per_slot = pl.DataFrame(
        {
            "hour": slot_hours,
            "waiting_minutes": queue.waiting_us / 1e6 / 60.0,
            "max_level": queue.max_level,
            "active": queue.active,
            "unanswered": queue.unanswered,
        },
        schema={
            "hour": pl.Int32,
            "waiting_minutes": pl.Float64,
            "max_level": pl.Int64,
            "active": pl.Int64,
            "unanswered": pl.Int64,
        },
    )
    return (
        per_slot.group_by("hour")
        .agg(
            (pl.col("waiting_minutes").sum() / (60.0 * pl.len())).alias("mean_waiting"),
            pl.col("max_level").max().alias("max_waiting"),
            pl.col("active").sum().alias("n"),
            pl.col("unanswered").sum().alias("unanswered"),
            pl.len().cast(pl.Int64).alias("hours"),
        )
        .sort("hour")
    )
