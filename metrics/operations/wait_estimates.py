"""Published wait estimates: what the auto-reply should tell a customer, and how right it was.

A *slot* is a channel, a language and an hour of the week (Monday 00h = 0 ...
Sunday 23h = 167) in the reporting time zone. The estimate published at an
instant is the median first response time (calendar minutes) of the contacts
created in the same slot during the ``settings.wait_estimate_weeks`` weeks
before it. ``wait_estimates`` shows the table (``view="estimates"``) or its
back-test (``view="accuracy"``): each week of the filtered period is scored
against the estimate published at the start of that week (Monday 00:00).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import polars as pl

from metrics.core.aggregate import with_wilson
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.pooling import pooled_slots_sql
from metrics.core.settings import Settings
from metrics.response.conversation import bind

# Contacts (non-date filters applied) with their local time, slot and local week start.
SLOTTED_SQL = """
    WITH base AS (
        SELECT c.*, {group} AS grp, c.created_at AT TIME ZONE $timezone AS local_at
        FROM {table} AS c WHERE {where_all_dates}
    ),
    slotted AS (
        SELECT *, (isodow(local_at) - 1) * 24 + hour(local_at) AS hour_of_week,
            date_trunc('week', local_at) AS week_start
        FROM base
    )
"""

# A slot's estimate rests on at least $min_n answered contacts: its own when it has them, else
# those of the same hour on every weekday, of the same part of the day (00-06, 06-12, 12-18,
# 18-24h), or of every hour of its channel and language; with fewer still, no estimate
# (metrics.core.pooling).
ESTIMATES_SQL = (
    """
    , history AS (
        SELECT channel, language, hour_of_week, frt_minutes, unanswered
        FROM slotted
        WHERE local_at >= $reference - to_days(CAST($history_days AS INTEGER))
            AND local_at < $reference
    )"""  # noqa: S608
    + pooled_slots_sql(
        "history",
        ("channel", "language"),
        n="count(frt_minutes)",
        value="quantile_cont(frt_minutes, 0.5)",
        own={"unanswered": "count(*) FILTER (WHERE unanswered)"},
    )
    + """
    SELECT channel, language, hour_of_week // 24 AS weekday, hour_of_week % 24 AS hour,
        hour_of_week, n, unanswered, value AS estimate_minutes, pooled, basis_n
    FROM pooled
    ORDER BY channel NULLS LAST, language NULLS LAST, hour_of_week
"""
)

TARGETS_SQL = """
    , targets AS (
        SELECT * FROM slotted AS c WHERE {where}
    )
"""

# The estimate published at each target week's start, for each slot that had contacts in the
# weeks before it, pooled exactly as the published table pools (ESTIMATES_SQL), so the
# back-test scores the estimate a customer was shown.
WEEK_ESTIMATES_SQL = (
    """
    , target_weeks AS (SELECT DISTINCT week_start FROM targets)
    , week_history AS (
        -- a contact counts for the week starts in the history window after it: the next
        -- Monday and the following ones, up to the window's length in weeks
        SELECT h.week_start + to_weeks(k) AS week_start, h.channel, h.language,
            h.hour_of_week, h.frt_minutes
        FROM slotted AS h, range(1, CAST($history_days AS INTEGER) // 7 + 1) AS r(k)
        WHERE h.week_start + to_weeks(k) IN (SELECT week_start FROM target_weeks)
    )"""  # noqa: S608
    + pooled_slots_sql(
        "week_history",
        ("week_start", "channel", "language"),
        n="count(frt_minutes)",
        value="quantile_cont(frt_minutes, 0.5)",
    )
    + """
    SELECT week_start, channel, language, hour_of_week, value AS estimate
    FROM pooled WHERE value IS NOT NULL
"""
)

ACCURACY_SQL = """
    , compared AS (
        SELECT t.grp, t.unanswered, t.frt_minutes, e.estimate,
            abs(t.frt_minutes - e.estimate) AS abs_error
        FROM targets AS t
        LEFT JOIN week_estimates AS e
            ON e.week_start = t.week_start
            AND e.channel IS NOT DISTINCT FROM t.channel
            AND e.language IS NOT DISTINCT FROM t.language
            AND e.hour_of_week = t.hour_of_week
    )
    SELECT {key}
        count(abs_error) AS n,
        count(*) FILTER (WHERE frt_minutes <= estimate) AS hits,
        count(*) FILTER (WHERE frt_minutes IS NOT NULL AND estimate IS NULL) AS no_estimate,
        count(*) FILTER (WHERE unanswered) AS unanswered,
        quantile_cont(abs_error, 0.5) AS median_abs_error
    FROM compared {group_by}
"""


def _slotted(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None, since: date | None = None
) -> tuple[str, dict[str, object]]:
    """SLOTTED_SQL for ``filters`` without their dates, and its parameters; with ``since`` (the
    first local day any figure reads), only the contacts created from two days before it in
    UTC, a margin wider than any zone's offset: the same rows counted, fewer scanned."""
    tz = settings.reporting_timezone
    where, params = replace(filters, date_from=None, date_to=None).where(tz)
    if since is not None:
        where += " AND c.created_at >= $slot_from"
        params["slot_from"] = datetime.combine(since - timedelta(days=2), time(0), UTC)
    sql = SLOTTED_SQL.format(
        group=group_expr(by) or "NULL", table=contacts_table(wh, settings), where_all_dates=where
    )
    return sql, {
        **params,
        "timezone": tz,
        "history_days": 7 * settings.wait_estimate_weeks,
    }


def published_estimates(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """Per slot: the estimate (minutes) published at the end of the filtered period.

    The period's end is the local midnight after ``filters.date_to``, else after the newest
    contact's day. Columns: channel, language, weekday (0 = Monday), hour, hour_of_week,
    n (the slot's answered contacts), unanswered, estimate_minutes, pooled (the contacts it
    rests on: 'hour of week', 'hour of day', 'part of day', 'all hours' of the channel and
    language, None when even these are fewer than settings' small_sample: no estimate) and
    basis_n (their count).
    """
    history = timedelta(weeks=settings.wait_estimate_weeks)
    since = filters.date_to + timedelta(days=1) - history if filters.date_to else None
    slotted, params = _slotted(wh, settings, filters, None, since)
    if filters.date_to is not None:
        reference = datetime.combine(filters.date_to + timedelta(days=1), datetime.min.time())
    else:
        newest_sql = slotted + " SELECT max(local_at)::DATE + 1 FROM slotted"  # noqa: S608
        newest = wh.query(newest_sql, bind(newest_sql, params)).item()
        reference = datetime.combine(newest or date(1970, 1, 1), datetime.min.time())
    sql = slotted + ESTIMATES_SQL
    min_n = max(settings.small_sample, 1)
    return wh.query(sql, bind(sql, {**params, "reference": reference, "min_n": min_n}))


def estimate_accuracy(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Back-test over the filtered contacts: each one's FRT against its week's estimate.

    n = answered contacts whose slot had an estimate; hits = answered within it (value =
    hits / n with a Wilson interval); median_abs_error in minutes; no_estimate = answered
    contacts whose slot had no history; unanswered contacts are counted, not scored.
    """
    since = None
    if filters.date_from is not None:  # the history of the first target week (a Monday)
        monday = filters.date_from - timedelta(days=filters.date_from.weekday())
        since = monday - timedelta(weeks=settings.wait_estimate_weeks)
    slotted, params = _slotted(wh, settings, filters, by, since)
    where, date_params = filters.where(settings.reporting_timezone)
    targets = TARGETS_SQL.format(where=where)
    params = {**params, **date_params}

    def estimates() -> pl.DataFrame:
        sql = slotted + targets + WEEK_ESTIMATES_SQL
        return wh.query(sql, bind(sql, {**params, "min_n": max(settings.small_sample, 1)}))

    # The estimates do not depend on the breakdown: the page's overall and per-channel
    # back-tests share them.
    published = wh.remember(("week_estimates", repr(settings), filters), estimates)
    select = ACCURACY_SQL.format(
        key=f"grp AS {by}," if by else "",
        group_by="GROUP BY grp ORDER BY grp NULLS LAST" if by else "",
    )
    sql = slotted + targets + select
    frame = wh.query(sql, bind(sql, params), frames={"week_estimates": published})
    frame = frame.with_columns(
        pl.when(pl.col("n") > 0).then(pl.col("hits") / pl.col("n")).otherwise(None).alias("value")
    )
    return with_wilson(frame)


@metric(
    "wait_estimates",
    label="Published wait estimates",
    unit="minutes",
    family="wait_estimates",
    definition=(
        "Per channel, language and hour of the week (reporting time zone), the wait to publish "
        "in the auto-reply: the median first response time in that slot over the previous "
        "wait_estimates.weeks weeks (settings); a slot with fewer than reporting.small_sample "
        "answered contacts there borrows the same hour on every weekday, then its part of the "
        "day (00-06, 06-12, 12-18, 18-24h), then every hour of its channel and language "
        "(pooled, basis_n), and with fewer still publishes none. view='accuracy' back-tests "
        "that published estimate, pooled the same way: every contact "
        "of the filtered period is compared with the estimate published at the start of its "
        "week (Monday 00:00): median absolute error and share answered within the estimate."
    ),
    variant=(
        "view='estimates' (default): the table published at the end of the filtered period; "
        "view='accuracy': the back-test, with by= breakdowns"
    ),
    exclusions=(
        "unanswered contacts (counted), bot-only and outbound contacts (no first response), "
        "contacts whose slot has no history (no_estimate), merged duplicates"
    ),
    options={"view": ("estimates", "accuracy")},
)
def wait_estimates(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    view: str = "estimates",
) -> pl.DataFrame:
    """The published estimate per slot, or (``view="accuracy"``) its back-tested accuracy."""
    if view == "accuracy":
        return estimate_accuracy(wh, settings, filters, by)
    if view != "estimates":
        raise ValueError(f"view must be 'estimates' or 'accuracy', got {view!r}")
    if by is not None:
        raise ValueError("the estimates are already per channel, language and hour of week")
    return published_estimates(wh, settings, filters)
