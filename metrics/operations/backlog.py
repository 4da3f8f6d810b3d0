"""The backlog: how many tickets are open, over time and by age.

A ticket is *open* from its creation until it is solved or closed, and again from a reopen
until the next solve. With a status history (``ticket_events``, field ``status``) the open
spells are read from it (a status other than solved or closed is open); without one, a
ticket is open from creation to its first ``solved_at`` / ``closed_at``, or still open
when it has neither and a status other than solved or closed. Tickets marked solved or
closed without any time (``closed_untimed``) and tickets with no status and no solve time
(``status_unknown``) cannot be placed: they are counted, never guessed.

Chat conversations without a ticket have no status: they are not part of a backlog.
Creation-date filters do not restrict the backlog (an old ticket still open is part of it):
the filters' dates choose the days of the curve and the moment of the age view.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from metrics.core.contacts import Warehouse, contacts_fact, contacts_table
from metrics.core.facts import Fact, fact_table, per_settings
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.provisional import newest_instant
from metrics.core.settings import Settings
from metrics.response.conversation import bind

CLOSED = "('solved', 'closed')"
# The filter-independent part, a derived fact (built by the load): every ticket's open spells
# (one row each; ends_at NULL: still open), or one row without a spell (``unplaced``) for a
# ticket that cannot be placed, each with the ticket's filter and breakdown columns; ``first``
# marks one row per ticket. Tickets without a creation time are left out. Stored in creation
# order.
SPELLS_FACT_SQL = f"""
    WITH created AS (
        SELECT c.source, c.contact_id, c.created_at, c.created_day, c.channel, c.language,
            c.team, c.agent_id, c.priority, c.category, c.is_merged
        FROM {{contacts}} AS c WHERE c.contact_type = 'ticket' AND c.created_at IS NOT NULL
    ),
    events AS (
        SELECT s.source, s.contact_id, e.changed_at,
            e.value NOT IN {CLOSED} AS is_open,
            lag(e.value NOT IN {CLOSED}) OVER (PARTITION BY s.source, s.contact_id
                ORDER BY e.changed_at, e.value) AS was_open
        FROM created AS s JOIN ticket_events AS e
            ON e.source = s.source AND e.ticket_id = s.contact_id AND e.field = 'status'
            AND e.changed_at >= s.created_at
    ),
    flips AS (
        -- only the changes between open and solved/closed (open -> pending is no close)
        SELECT *, lead(changed_at) OVER (PARTITION BY source, contact_id ORDER BY changed_at)
            AS next_flip
        FROM events WHERE was_open IS NULL OR is_open <> was_open
    ),
    plain AS (
        SELECT s.source, s.contact_id, s.created_at,
            least(t.solved_at, t.closed_at) AS done_at, t.status
        FROM created AS s JOIN tickets AS t ON t.source = s.source AND t.ticket_id = s.contact_id
        WHERE NOT EXISTS (SELECT 1 FROM events AS e
            WHERE e.source = s.source AND e.contact_id = s.contact_id)
    ),
    spells AS (
        -- open from creation (or a reopen) to the next solve or close; a ticket whose first
        -- recorded status is already solved was open from its creation until then
        SELECT f.source, f.contact_id,
            CASE WHEN f.was_open IS NULL THEN s.created_at ELSE f.changed_at END AS starts_at,
            f.next_flip AS ends_at, NULL::VARCHAR AS unplaced
        FROM flips AS f JOIN created AS s USING (source, contact_id) WHERE f.is_open
        UNION ALL
        SELECT f.source, f.contact_id, s.created_at, f.changed_at, NULL
        FROM flips AS f JOIN created AS s USING (source, contact_id)
        WHERE f.was_open IS NULL AND NOT f.is_open
        UNION ALL
        SELECT source, contact_id, created_at, done_at, NULL
        FROM plain WHERE done_at IS NOT NULL OR status NOT IN {CLOSED}
        UNION ALL
        SELECT source, contact_id, NULL, NULL,
            CASE WHEN status IS NULL THEN 'status_unknown' ELSE 'closed_untimed' END
        FROM plain WHERE done_at IS NULL AND (status IN {CLOSED} OR status IS NULL)
    )
    SELECT s.*, p.starts_at, p.ends_at, p.unplaced,
        row_number() OVER (PARTITION BY p.source, p.contact_id ORDER BY p.starts_at) = 1
            AS first
    FROM spells AS p JOIN created AS s USING (source, contact_id)
    ORDER BY s.created_at, s.source, s.contact_id, p.starts_at
"""  # noqa: S608 - constant fragments only


@per_settings
def spells_fact(settings: Settings) -> Fact:
    """The backlog spells fact's definition for ``settings`` (its contact columns)."""
    return Fact(
        name="backlog_spells",
        sql=SPELLS_FACT_SQL,
        inputs=(contacts_fact(settings),),
        reads=frozenset({"tickets", "ticket_events"}),
        grain="contact",
    )


# The CTEs every backlog figure starts from: the filtered tickets (``scoped``), their open
# spells and their unplaced counts per group.
SPELLS_SQL = """
    WITH placed AS (
        SELECT {group} AS grp, c.source, c.contact_id, c.created_at, c.starts_at, c.ends_at,
            c.unplaced, c.first
        FROM {spells} AS c WHERE {where}
    ),
    scoped AS (
        SELECT grp, source, contact_id, created_at FROM placed WHERE first
    ),
    spells AS (
        SELECT grp, source, contact_id, created_at, starts_at, ends_at
        FROM placed WHERE unplaced IS NULL
    ),
    unplaced AS (
        SELECT grp, count(*) FILTER (WHERE unplaced = 'closed_untimed') AS closed_untimed,
            count(*) FILTER (WHERE unplaced = 'status_unknown') AS status_unknown
        FROM placed WHERE unplaced IS NOT NULL GROUP BY grp
    )
"""  # noqa: S608 - the tables, group and condition come from code, values stay bound


def _spells_sql(wh: Warehouse, settings: Settings, filters: Filters, by: str | None) -> tuple:
    where, params = replace(filters, date_from=None, date_to=None).where(
        settings.reporting_timezone
    )
    sql = SPELLS_SQL.format(
        group=group_expr(by) or "NULL", where=where, spells=fact_table(wh, spells_fact(settings))
    )
    return sql, {**params, "timezone": settings.reporting_timezone}


def _days(wh: Warehouse, settings: Settings, filters: Filters) -> list[date]:
    """The local days of the curve: the filters' dates, else the tickets' first to last day."""
    start, end = filters.date_from, filters.date_to
    if start is None or end is None:
        table = contacts_table(wh, settings)
        span = wh.query(
            f"SELECT min(created_day), max(created_day) FROM {table} AS c"  # noqa: S608
            " WHERE c.contact_type = 'ticket' AND NOT c.is_merged"
        ).row(0)
        start, end = start or span[0], end or span[1]
    if start is None or end is None or end < start:
        return []
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _moments(days: list[date], bucket: str, zone: str, newest: datetime | None) -> pl.DataFrame:
    """Per bucket start: the instants the bucket opens and ends (next local midnight), the
    end cut at the newest recorded instant (a backlog cannot be known beyond the data)."""
    starts = sorted({d - timedelta(days=d.weekday()) if bucket == "week" else d for d in days})
    width = timedelta(days=7 if bucket == "week" else 1)
    tz = ZoneInfo(zone)
    rows = []
    for start in starts:
        opens = datetime.combine(start, time(0), tz).astimezone(UTC)
        ends = datetime.combine(start + width, time(0), tz).astimezone(UTC)
        rows.append({bucket: start, "opens_at": opens, "at": min(ends, newest) if newest else ends})
    return pl.DataFrame(rows, schema={bucket: pl.Date, "opens_at": pl.Datetime("us", "UTC"),
                                      "at": pl.Datetime("us", "UTC")})  # fmt: skip


OVER_TIME_SQL = """
    , moments AS (SELECT * FROM backlog_moments),
    near AS (
        -- the spells open at a moment of the curve or ending in it: no other counts anywhere
        SELECT s.* FROM spells AS s
        WHERE s.starts_at <= (SELECT max(m.at) FROM moments AS m)
            AND (s.ends_at IS NULL OR s.ends_at >= (SELECT min(m.opens_at) FROM moments AS m))
    ),
    opened AS (
        SELECT m.{bucket}, s.grp, count(*) AS opened FROM moments AS m
        JOIN scoped AS s ON s.created_at >= m.opens_at AND s.created_at < m.at
        GROUP BY ALL
    ),
    counted AS (
        SELECT m.{bucket}, g.grp,
            count(*) FILTER (WHERE s.starts_at <= m.at AND (s.ends_at IS NULL OR s.ends_at > m.at))
                AS open,
            count(*) FILTER (WHERE s.ends_at >= m.opens_at AND s.ends_at <= m.at) AS closed
        FROM moments AS m
        CROSS JOIN (SELECT DISTINCT grp FROM scoped) AS g
        LEFT JOIN near AS s ON s.grp IS NOT DISTINCT FROM g.grp AND s.starts_at <= m.at
            AND (s.ends_at IS NULL OR s.ends_at >= m.opens_at)
        GROUP BY ALL
    )
    SELECT c.{bucket}, c.grp, c.open, coalesce(o.opened, 0) AS opened, c.closed,
        coalesce(u.closed_untimed, 0) AS closed_untimed,
        coalesce(u.status_unknown, 0) AS status_unknown
    FROM counted AS c
    LEFT JOIN opened AS o ON o.{bucket} = c.{bucket} AND o.grp IS NOT DISTINCT FROM c.grp
    LEFT JOIN unplaced AS u ON u.grp IS NOT DISTINCT FROM c.grp
    ORDER BY c.grp NULLS LAST, c.{bucket}
"""


@metric(
    "backlog_over_time",
    label="Open tickets over time",
    unit="tickets",
    family="backlog",
    definition=(
        "Per day (or week) of the period: open = tickets open at the end of it (the next local "
        "midnight, or the newest recorded instant for the last one), opened = tickets created "
        "in it, closed = open spells that ended in it (solves and closes, a reopened ticket "
        "can close twice). Open spells come from the status history (open -> pending is no "
        "close), else from creation to solved_at / closed_at."
    ),
    variant="bucket='day' (default) or 'week'; the filters' dates choose the days",
    exclusions=(
        "chat conversations without a ticket, tickets without a creation time, tickets marked "
        "solved or closed without a time (closed_untimed) or without status and solve time "
        "(status_unknown), merged duplicates"
    ),
    options={"bucket": ("day", "week")},
)
def backlog_over_time(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None, bucket: str = "day"
) -> pl.DataFrame:
    """Per bucket: open (at its end), opened, closed, and the unplaced counts."""
    if bucket not in ("day", "week"):
        raise ValueError(f"bucket must be 'day' or 'week', got {bucket!r}")
    spells, params = _spells_sql(wh, settings, filters, by)
    moments = _moments(_days(wh, settings, filters), bucket, settings.reporting_timezone,
                       newest_instant(wh))  # fmt: skip
    sql = spells + OVER_TIME_SQL.format(bucket=bucket)
    frame = wh.query(sql, bind(sql, params), frames={"backlog_moments": moments})
    return frame.rename({"grp": by}) if by else frame.drop("grp")


AGE_BANDS: tuple[tuple[str, float], ...] = (
    ("under 1 hour", 0), ("1-4 hours", 1), ("4-24 hours", 4), ("1-3 days", 24),
    ("3-7 days", 72), ("7-30 days", 168), ("30 days or more", 720),
)  # fmt: skip
AGE_SQL = """
    , open_now AS (
        SELECT s.grp, s.source, s.contact_id, s.created_at,
            (epoch(CAST($as_of AS TIMESTAMPTZ)) - epoch(s.created_at)) / 3600.0 AS age_hours
        FROM spells AS s
        WHERE s.starts_at <= $as_of AND (s.ends_at IS NULL OR s.ends_at > $as_of)
    )
"""
AGES_SQL = """
    SELECT g.grp, b.band, b.band_order, b.from_hours, count(o.contact_id) AS n,
        min(o.created_at) AS oldest_created_at
    FROM (SELECT DISTINCT grp FROM scoped) AS g CROSS JOIN age_bands AS b
    LEFT JOIN open_now AS o ON o.grp IS NOT DISTINCT FROM g.grp
        AND o.age_hours >= b.from_hours AND o.age_hours < b.to_hours
    GROUP BY ALL ORDER BY g.grp NULLS LAST, b.band_order
"""
TICKETS_SQL = """
    SELECT o.source, o.contact_id, o.created_at, o.age_hours, c.priority, c.status, c.agent_id,
        c.team, c.channel, c.category
    FROM open_now AS o JOIN {table} AS c ON c.source = o.source AND c.contact_id = o.contact_id
    ORDER BY o.age_hours DESC, o.source, o.contact_id
"""


def _bands() -> pl.DataFrame:
    edges = [float(hours) for _, hours in AGE_BANDS][1:] + [float("inf")]
    return pl.DataFrame({
        "band": [name for name, _ in AGE_BANDS], "band_order": list(range(len(AGE_BANDS))),
        "from_hours": [float(h) for _, h in AGE_BANDS], "to_hours": edges,
    })  # fmt: skip


def backlog_moment(wh: Warehouse, settings: Settings, filters: Filters) -> datetime | None:
    """The instant of the age view: the end of the filters' last day, else (and at most) the
    newest recorded instant."""
    newest = newest_instant(wh)
    if filters.date_to is None or newest is None:
        return newest
    _, end = filters.bounds(settings.reporting_timezone)
    return min(end, newest) if end else newest


@metric(
    "backlog_by_age",
    label="Open tickets by age",
    unit="tickets",
    family="backlog",
    definition=(
        "Tickets open at a moment (the end of the filters' last day, at most the newest "
        "recorded instant) by how long ago they were created: under 1 hour, 1-4 hours, 4-24 "
        "hours, 1-3 days, 3-7 days, 7-30 days, 30 days or more. Open as in "
        "backlog_over_time. view='tickets' lists the open tickets, oldest first."
    ),
    variant="view='ages' (default): one row per age band, every band listed; view='tickets'",
    exclusions="as backlog_over_time",
    options={"view": ("ages", "tickets")},
)
def backlog_by_age(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None, view: str = "ages"
) -> pl.DataFrame:
    """Open tickets per age band (band, band_order, from_hours, n, oldest_created_at), or
    (view='tickets') the open tickets with their age in hours."""
    if view not in ("ages", "tickets"):
        raise ValueError(f"view must be 'ages' or 'tickets', got {view!r}")
    spells, params = _spells_sql(wh, settings, filters, by)
    params["as_of"] = backlog_moment(wh, settings, filters) or datetime(1970, 1, 1, tzinfo=UTC)
    if view == "tickets":
        sql = "".join((spells, AGE_SQL, TICKETS_SQL.format(table=contacts_table(wh, settings))))
        return wh.query(sql, bind(sql, params))
    sql = "".join((spells, AGE_SQL, AGES_SQL))
    frame = wh.query(sql, bind(sql, params), frames={"age_bands": _bands()})
    return frame.rename({"grp": by}) if by else frame.drop("grp")
