"""Security incidents on their own clock: first response and escalation against their targets.

An incident is a contact with ``is_security`` (category or tag from settings).
Targets are calendar minutes (settings ``security.first_response_minutes`` and
``security.escalation_minutes``): incidents do not wait for business hours. An
incident not yet answered (or escalated) counts as breached once it is older
than the target, as of the warehouse's newest timestamp or a given ``as_of``;
until then it is *pending* and left out of the breach share.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from metrics.core.aggregate import wilson_interval
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.response.conversation import bind

NEWEST_SQL = """
    SELECT max(t) FROM (
        SELECT max(greatest(created_at, updated_at, first_response_at, solved_at, closed_at,
            escalated_at)) AS t FROM tickets
        UNION ALL SELECT max(sent_at) FROM messages
        UNION ALL SELECT max(changed_at) FROM ticket_events
    ) AS newest
"""

# Minutes over a target: > 0 breached, <= 0 met, NULL pending (not done, not yet late).
JUDGED_SQL = """
    WITH incidents AS (
        SELECT {key} AS grp, c.*,
            (epoch(CAST($as_of AS TIMESTAMPTZ)) - epoch(c.created_at)) / 60.0 AS age_minutes
        FROM {table} AS c WHERE {where} AND c.is_security
    ),
    judged AS (
        SELECT *,
            CASE WHEN first_reply_at IS NOT NULL THEN coalesce(frt_minutes, 0) - $frt_target
                WHEN age_minutes > $frt_target THEN age_minutes - $frt_target END AS frt_over,
            CASE WHEN escalated_at IS NOT NULL THEN coalesce(escalation_minutes, 0) - $esc_target
                WHEN age_minutes > $esc_target THEN age_minutes - $esc_target END AS esc_over
        FROM incidents
    )
"""

SUMMARY_SQL = """
    SELECT {select_key}
        count(*) AS n,
        count(frt_minutes) AS answered,
        quantile_cont(frt_minutes, 0.5) AS frt_median,
        quantile_cont(frt_minutes, 0.9) AS frt_p90,
        count(*) FILTER (WHERE frt_over > 0) AS frt_breaches,
        count(*) FILTER (WHERE frt_over IS NULL) AS frt_pending,
        count(escalation_minutes) AS escalated,
        quantile_cont(escalation_minutes, 0.5) AS escalation_median,
        quantile_cont(escalation_minutes, 0.9) AS escalation_p90,
        count(*) FILTER (WHERE esc_over > 0) AS escalation_breaches,
        count(*) FILTER (WHERE esc_over IS NULL) AS escalation_pending
    FROM judged {group_by}
"""

BREACHES_SQL = """
    SELECT source, contact_id, created_at, agent_id, team,
        CASE WHEN frt_over > 0 AND esc_over > 0 THEN 'both'
            WHEN frt_over > 0 THEN 'first_response' ELSE 'escalation' END AS target,
        greatest(coalesce(frt_over, 0), coalesce(esc_over, 0)) AS minutes_over,
        CASE WHEN frt_over > 0 THEN frt_over END AS first_response_minutes_over,
        CASE WHEN esc_over > 0 THEN esc_over END AS escalation_minutes_over,
        first_reply_at IS NOT NULL AS answered,
        escalated_at IS NOT NULL AS escalated
    FROM judged WHERE frt_over > 0 OR esc_over > 0
    ORDER BY minutes_over DESC, created_at, source, contact_id
"""


def newest_timestamp(wh: Warehouse) -> datetime | None:
    """The warehouse's newest recorded instant (tickets, messages, status events)."""
    return wh.query(NEWEST_SQL).item()


def _instant(as_of: datetime | str | None) -> datetime | None:
    """``as_of`` as an aware instant (ISO text from the CLI; naive means UTC)."""
    if isinstance(as_of, str):
        as_of = datetime.fromisoformat(as_of)
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    return as_of


def _judged(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None,
    as_of: datetime | str | None,
    select: str,
) -> pl.DataFrame:
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by)
    sql = JUDGED_SQL.format(key=group or "NULL", table=table, where=where) + select
    params: dict[str, Any] = {
        **params,
        "as_of": _instant(as_of) or newest_timestamp(wh),
        "frt_target": settings.security_first_response_minutes,
        "esc_target": settings.security_escalation_minutes,
        "timezone": settings.reporting_timezone,
    }
    return wh.query(sql, bind(sql, params))


def _share(frame: pl.DataFrame, prefix: str, breaches: str, pending: str) -> pl.DataFrame:
    """``{prefix}_breach_rate`` = breaches / decided (n - pending), with its Wilson interval."""
    decided = [int(n) - int(p) for n, p in zip(frame["n"], frame[pending], strict=True)]
    hits = [int(h) for h in frame[breaches]]
    bounds = [wilson_interval(h, d) for h, d in zip(hits, decided, strict=True)]
    return frame.with_columns(
        pl.Series(
            f"{prefix}_breach_rate",
            [h / d if d else None for h, d in zip(hits, decided, strict=True)],
            dtype=pl.Float64,
        ),
        pl.Series(f"{prefix}_ci_low", [b[0] for b in bounds], dtype=pl.Float64),
        pl.Series(f"{prefix}_ci_high", [b[1] for b in bounds], dtype=pl.Float64),
    )


@metric(
    "security_incidents",
    label="Security incidents",
    unit="minutes / share",
    family="security",
    definition=(
        "Contacts flagged as security incidents (category or tag in settings): time to first "
        "human response and time to escalation in calendar minutes (median, p90), and the share "
        "breaching each target (settings security.first_response_minutes, escalation_minutes). "
        "An incident not yet answered or escalated and older than the target is breached."
    ),
    variant="calendar time; breach shares over incidents already met or breached",
    exclusions=(
        "incidents younger than a target and not yet done are pending (frt_pending, "
        "escalation_pending): counted in n, left out of that breach share; merged duplicates"
    ),
)
def security_incidents(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    as_of: datetime | str | None = None,
) -> pl.DataFrame:
    """n, first response and escalation minutes (median, p90), breaches and breach shares."""
    select = SUMMARY_SQL.format(
        select_key=f"grp AS {by}," if by else "",
        group_by="GROUP BY grp ORDER BY grp NULLS LAST" if by else "",
    )
    frame = _judged(wh, settings, filters, by, as_of, select)
    frame = _share(frame, "frt", "frt_breaches", "frt_pending")
    return _share(frame, "escalation", "escalation_breaches", "escalation_pending")


@metric(
    "security_breaches",
    label="Security breach list",
    unit="incidents",
    family="security",
    definition=(
        "One row per security incident that breached its first-response or escalation target: "
        "contact, creation time, agent, team, which target (first_response, escalation, both) "
        "and the minutes over it, worst first."
    ),
    variant="calendar minutes over target; unanswered/unescalated ones are measured to as_of",
    exclusions="incidents within both targets or still pending, merged duplicates",
)
def security_breaches(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    as_of: datetime | str | None = None,
) -> pl.DataFrame:
    """The breaching incidents, worst first (``by`` is not offered: filter the list instead)."""
    if by is not None:
        raise ValueError("security_breaches lists incidents; use filters instead of by=")
    return _judged(wh, settings, filters, None, as_of, BREACHES_SQL)
