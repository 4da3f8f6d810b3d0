"""Status time: how long tickets spend waiting on support, on the customer, and on hold.

From the status history in ``ticket_events`` (field ``status``): each status lasts from
its change to the ticket's next status change; the current status of a ticket that is
not solved or closed runs to ``as_of`` (default: the newest instant in the warehouse, so
an export from last month is measured to its own end, not to today's clock; see
metrics.core.instants). Time before the first recorded status change is not attributed.
Durations are calendar minutes (exact across DST).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.facts import Fact, fact_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.instants import as_of_instant
from metrics.core.metric import metric
from metrics.core.settings import Settings

# Status group -> canonical statuses whose time it sums (DESIGN section 4, Zendesk's split).
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "requester_wait": ("new", "open", "hold"),  # the customer waits for support
    "agent_wait": ("pending",),  # support waits for the customer
    "on_hold": ("hold",),  # waiting on a third party
}
DONE_STATUSES = ("solved", "closed")

# The filter- and time-independent part, a derived fact (built by the load): per ticket with a
# status history, the minutes of each status group's ended statuses, and its current status
# (the last change) with its start. The current status runs to as_of: added when read.
STATUS_FACT_SQL = """
WITH status_events AS (
    SELECT
        source,
        ticket_id,
        changed_at,
        value,
        lead(changed_at) OVER (PARTITION BY source, ticket_id ORDER BY changed_at) AS next_at
    FROM ticket_events
    WHERE field = 'status'
),

spans AS (
    SELECT
        source,
        ticket_id,
        changed_at,
        value,
        next_at IS NULL AS is_current,
        (epoch(next_at) - epoch(changed_at)) / 60.0 AS minutes
    FROM status_events
)

SELECT
    source,
    ticket_id,
    sum(minutes) FILTER (WHERE NOT is_current
        AND list_contains(CAST($requester_wait AS VARCHAR[]), value)) AS requester_wait_ended,
    sum(minutes) FILTER (WHERE NOT is_current
        AND list_contains(CAST($agent_wait AS VARCHAR[]), value)) AS agent_wait_ended,
    sum(minutes) FILTER (WHERE NOT is_current
        AND list_contains(CAST($on_hold AS VARCHAR[]), value)) AS on_hold_ended,
    -- one current status per ticket (status changes of a ticket have distinct instants)
    max(CASE WHEN is_current THEN value END) AS current_value,
    max(CASE WHEN is_current THEN changed_at END) AS current_since
FROM spans
GROUP BY source, ticket_id
ORDER BY source, ticket_id
"""

STATUS_FACT = Fact(
    name="status_spans",
    sql=STATUS_FACT_SQL,
    params=tuple((group, statuses) for group, statuses in STATUS_GROUPS.items()),
    reads=frozenset({"ticket_events"}),
    grain="contact",
    key=("source", "ticket_id"),
)


def _group_minutes(group: str) -> str:
    """The minutes of a group: its ended statuses plus the current one, if of the group, up
    to as_of (never before its start); 0 when it has none."""
    return (
        f"coalesce(f.{group}_ended, 0) + coalesce(CASE WHEN list_contains("
        f"CAST(${group} AS VARCHAR[]), f.current_value) THEN (epoch(greatest("
        "CAST($as_of AS TIMESTAMPTZ), f.current_since)) - epoch(f.current_since)) / 60.0 END, 0)"
        f" AS {group}_minutes"
    )


# Per ticket with a status history: minutes per status group up to $as_of, and open_now.
PER_TICKET_SQL = f"""
SELECT f.source, f.ticket_id, {", ".join(_group_minutes(group) for group in STATUS_GROUPS)},
    coalesce(NOT list_contains(CAST($done AS VARCHAR[]), f.current_value), false) AS open_now
FROM {{status}} AS f
"""  # noqa: S608 - the groups come from STATUS_GROUPS, the table from fact_table()

SUMMARY_COLUMNS = tuple(f"{group}_{stat}" for group in STATUS_GROUPS for stat in ("median", "p90"))


def _params(wh: Warehouse, as_of: datetime | str | None) -> dict[str, Any]:
    return {
        **{group: list(statuses) for group, statuses in STATUS_GROUPS.items()},
        "done": list(DONE_STATUSES),
        "as_of": as_of_instant(wh, as_of),
    }


def _query(
    wh: Warehouse, settings: Settings, filters: Filters, select: str, as_of: datetime | str | None
) -> tuple[str, dict[str, Any]]:
    """SQL over filtered contacts ``c`` joined to their status times ``p`` (NULL without events)."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    # The per-ticket minutes of the filtered tickets only (the fact holds every ticket and is
    # not in creation order): their keys semi-join it before the minutes are worked out.
    tickets = (
        f"SELECT c.source, c.contact_id FROM {table} AS c"  # noqa: S608
        f" WHERE c.contact_type = 'ticket' AND {where}"
    )
    sql = (
        f"WITH p AS ({PER_TICKET_SQL.format(status=fact_table(wh, STATUS_FACT))}"  # noqa: S608
        f" SEMI JOIN ({tickets}) AS k ON f.source = k.source AND f.ticket_id = k.contact_id)"
        f" SELECT {select} FROM {table} AS c"
        " LEFT JOIN p ON c.contact_type = 'ticket' AND p.source = c.source"
        f" AND p.ticket_id = c.contact_id WHERE {where}"
    )
    return sql, {**params, **_params(wh, as_of)}


def ticket_status_times(
    wh: Warehouse, settings: Settings, filters: Filters, as_of: datetime | str | None = None
) -> pl.DataFrame:
    """Per ticket with a status history: source, ticket_id, requester_wait_minutes,
    agent_wait_minutes, on_hold_minutes (calendar minutes) and open_now. Tickets without
    status events are left out; chat conversations have no status."""
    sql, params = _query(
        wh,
        settings,
        filters,
        "c.source, c.contact_id AS ticket_id, p.requester_wait_minutes, p.agent_wait_minutes,"
        " p.on_hold_minutes, p.open_now",
        as_of,
    )
    return wh.query(
        f"{sql} AND p.ticket_id IS NOT NULL ORDER BY c.created_at, c.source, c.contact_id", params
    )


@metric(
    "status_time",
    label="Time in status",
    unit="minutes",
    family="resolution",
    definition="Per ticket, from its status history: requester wait = time in new, open and "
    "on-hold (the customer waits for support); agent wait = time in pending (support waits "
    "for the customer); on-hold = time in hold. A status lasts until the next status change; "
    "the current status of a ticket not yet solved or closed runs to as_of: by default the "
    "newest instant in the warehouse (the end of the data, not today's clock), or the "
    "date-time given with --option as_of=2026-10-31T18:00 (no zone: UTC).",
    variant="calendar minutes; median and p90 per status group over tickets with a history",
    exclusions="tickets without status events (counted in no_events), chat conversations "
    "without a ticket, merged duplicates",
    options={
        "as_of": "ISO date-time that open tickets' current status runs to"
        " (default: the newest data in the warehouse)"
    },
)
def status_time(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    as_of: datetime | str | None = None,
) -> pl.DataFrame:
    """n (tickets with a status history), no_events, conversations, open_now, and the median and
    p90 minutes of requester_wait, agent_wait and on_hold."""
    stats = "".join(
        f", quantile_cont(p.{group}_minutes, {q}) AS {group}_{stat}"
        for group in STATUS_GROUPS
        for stat, q in (("median", 0.5), ("p90", 0.9))
    )
    select = (
        "count(p.ticket_id) AS n,"
        " count(*) FILTER (WHERE c.contact_type = 'ticket' AND p.ticket_id IS NULL) AS no_events,"
        " count(*) FILTER (WHERE c.contact_type = 'conversation') AS conversations,"
        f" count(*) FILTER (WHERE p.open_now) AS open_now{stats}"
    )
    group = group_expr(by)
    if group is not None:
        select = f"{group} AS {by}, {select}"
    sql, params = _query(wh, settings, filters, select, as_of)
    if group is not None:
        sql += f" GROUP BY ALL ORDER BY {by} NULLS LAST"
        if "$timezone" in group:
            params["timezone"] = settings.reporting_timezone
    return wh.query(sql, params)
