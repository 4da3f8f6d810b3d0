"""Status time: how long tickets spend waiting on support, on the customer, and on hold.

From the status history in ``ticket_events`` (field ``status``): each status lasts from
its change to the ticket's next status change; the current status of a ticket that is
not solved or closed runs to ``as_of`` (default: now). Time before the first recorded
status change is not attributed. Durations are calendar minutes (exact across DST).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings

# Status group -> canonical statuses whose time it sums (DESIGN section 4, Zendesk's split).
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "requester_wait": ("new", "open", "hold"),  # the customer waits for support
    "agent_wait": ("pending",),  # support waits for the customer
    "on_hold": ("hold",),  # waiting on a third party
}
DONE_STATUSES = ("solved", "closed")

PER_TICKET_SQL = """
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
        value,
        next_at IS NULL AS is_current,
        (epoch(coalesce(next_at, greatest(CAST($as_of AS TIMESTAMPTZ), changed_at)))
            - epoch(changed_at)) / 60.0 AS minutes
    FROM status_events
),

final AS (
    SELECT
        source,
        ticket_id,
        coalesce(sum(minutes) FILTER (
            WHERE list_contains(CAST($requester_wait AS VARCHAR[]), value)), 0)
            AS requester_wait_minutes,
        coalesce(sum(minutes) FILTER (
            WHERE list_contains(CAST($agent_wait AS VARCHAR[]), value)), 0) AS agent_wait_minutes,
        coalesce(sum(minutes) FILTER (
            WHERE list_contains(CAST($on_hold AS VARCHAR[]), value)), 0) AS on_hold_minutes,
        coalesce(bool_or(is_current AND NOT list_contains(CAST($done AS VARCHAR[]), value)), false)
            AS open_now
    FROM spans
    GROUP BY source, ticket_id
)

SELECT * FROM final
"""

SUMMARY_COLUMNS = tuple(f"{group}_{stat}" for group in STATUS_GROUPS for stat in ("median", "p90"))


def _params(as_of: datetime | str | None) -> dict[str, Any]:
    if isinstance(as_of, str):
        as_of = datetime.fromisoformat(as_of)
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    return {
        **{group: list(statuses) for group, statuses in STATUS_GROUPS.items()},
        "done": list(DONE_STATUSES),
        "as_of": as_of or datetime.now(UTC),
    }


def _query(
    wh: Warehouse, settings: Settings, filters: Filters, select: str, as_of: datetime | str | None
) -> tuple[str, dict[str, Any]]:
    """SQL over filtered contacts ``c`` joined to their status times ``p`` (NULL without events)."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    sql = (
        f"WITH p AS ({PER_TICKET_SQL}) SELECT {select} FROM {table} AS c"  # noqa: S608
        " LEFT JOIN p ON c.contact_type = 'ticket' AND p.source = c.source"
        f" AND p.ticket_id = c.contact_id WHERE {where}"
    )
    return sql, {**params, **_params(as_of)}


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
    "the current status of a ticket not yet solved or closed runs to now.",
    variant="calendar minutes; median and p90 per status group over tickets with a history",
    exclusions="tickets without status events (counted in no_events), chat conversations "
    "without a ticket, merged duplicates",
    options={"as_of": "ISO instant that the current status of open tickets runs to (default now)"},
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
