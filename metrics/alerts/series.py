"""Per-day figures an alert rule watches: one row per day (and group) with value and n.

Every figure is the one the registered metric function that defines it gives for that day
(and group): contacts from ``contact_volume``, FRT from ``first_response_time``, negative
share from ``sentiment_totals`` (each day and group's, all in one query that runs those
functions' own aggregates: ``daily_figures``), gaps from ``language_gaps`` (each day's, all
days in one query: ``language_gaps_by_day``), security from ``security_breaches``; so an
alert says what ``python -m metrics show`` says for that day. Tests hold each one-query
series equal to the function called once per group on the demo and on the real-data sets.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import polars as pl

from metrics.alerts.rules import Rule
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import DIMENSIONS, Filters
from metrics.core.grouping import group_expr
from metrics.core.settings import Settings
from metrics.coverage.gaps import language_gaps_by_day
from metrics.operations.security import security_breaches
from metrics.response.first_response import FRT
from metrics.voice.sentiment import totals_aggregates, totals_shares

SCHEMA = {"day": pl.Date, "group": pl.String, "value": pl.Float64, "n": pl.Int64}


def combine(first: Filters, second: Filters) -> Filters:
    """Contacts matching both: dates from ``second``; per dimension the values both allow."""
    choices = {}
    for name in DIMENSIONS:
        a, b = getattr(first, name), getattr(second, name)
        choices[name] = tuple(v for v in a if v in b) if a and b else (a or b)
        if a and b and not choices[name]:
            choices[name] = ("\x00none",)  # no value satisfies both: match nothing
    return replace(second, **choices)


# Per daily metric: the aggregates its metric function runs over contact ``c`` (named n
# and as there), a condition on those sums that function keeps a group's row by, and the
# figures it computes from them (its value named "value"): ``contact_volume``'s count,
# ``first_response_time``'s n and median (``FRT``), ``sentiment_totals``' sums and shares.
_FRT = FRT.columns()
DAILY: dict[str, tuple[str, str, str]] = {
    "contacts": ("count(*) AS n", "TRUE", "n, CAST(n AS DOUBLE) AS value"),
    "frt_median": (f"{_FRT['n']} AS n, {_FRT['median']} AS median", "TRUE", "n, median AS value"),
    "negative_share": (
        totals_aggregates(),
        "sum(c.customer_messages) > 0",
        f"{totals_shares()}, negative_share AS value",
    ),
}


def daily_figures(
    wh: Warehouse, settings: Settings, metric: str, filters: Filters, by: str | None
) -> pl.DataFrame:
    """Columns day, group, value, n: ``metric`` (a key of DAILY) of each day and value of
    ``by`` (a breakdown, or None: group null) among the contacts of ``filters``, in one query;
    the rows with n > 0, as the per-group calls of its metric function by day give them. A
    contact without a value of ``by`` counts in no group (as the alerts' groups are the
    breakdown's values)."""
    aggregates, keep, figures = DAILY[metric]
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by) if by else "NULL"
    valued = f" AND {group} IS NOT NULL" if by else ""
    # Aggregates and figures from the fixed DAILY, the group from metrics.core.grouping, the
    # condition from Filters.where.
    sql = f"""
        WITH sums AS (
            SELECT {group_expr("day")} AS day, CAST({group} AS VARCHAR) AS grp, {aggregates}
            FROM {table} AS c WHERE {where}{valued}
            GROUP BY ALL HAVING {keep}
        )
        SELECT day, grp AS "group", value, n
        FROM (SELECT day, grp, {figures} FROM sums) WHERE n > 0
    """  # noqa: S608
    frame = wh.query(sql, params)
    return frame.select(pl.col(name).cast(kind) for name, kind in SCHEMA.items())


def _uncovered(wh: Warehouse, settings: Settings, filters: Filters, rule: Rule) -> list[dict]:
    # Each day's language_gaps, all days in one query (the same rows as one call per day).
    gaps = language_gaps_by_day(wh, settings, filters, slot="all")
    if rule.by is None:
        totals = gaps.group_by("day", maintain_order=True).agg(pl.col("gap_contacts").sum())
        return [
            {"day": day, "group": None, "value": float(total), "n": int(total)}
            for day, total in totals.iter_rows()
        ]
    return [
        {"day": row["day"], "group": row["language"], "value": float(row["gap_contacts"]),
         "n": int(row["n"])}
        for row in gaps.iter_rows(named=True)
    ]  # fmt: skip


def _security(
    wh: Warehouse, settings: Settings, filters: Filters, as_of: datetime | None
) -> list[dict]:
    breaches = security_breaches(wh, settings, filters, as_of=as_of)
    still_open = breaches.filter(~pl.col("answered") | ~pl.col("escalated"))
    if not still_open.height:
        return []
    zone = settings.reporting_timezone
    days = still_open.select(day=pl.col("created_at").dt.convert_time_zone(zone).dt.date())
    counts = days.group_by("day").len()
    return [
        {"day": r["day"], "group": None, "value": float(r["len"]), "n": int(r["len"])}
        for r in counts.iter_rows(named=True)
    ]


def rule_series(
    wh: Warehouse, settings: Settings, rule: Rule, filters: Filters, as_of: datetime | None = None
) -> pl.DataFrame:
    """Columns day, group, value, n over ``filters`` (its dates must be set) for ``rule``."""
    scoped = combine(rule.filters, filters)
    if rule.metric == "uncovered_contacts":
        rows = _uncovered(wh, settings, scoped, rule)
    elif rule.metric == "security_overdue":
        rows = _security(wh, settings, scoped, as_of)
    else:
        frame = daily_figures(wh, settings, rule.metric, scoped, rule.by)
        return frame.sort("group", "day", nulls_last=True)
    return pl.DataFrame(rows, schema=SCHEMA).sort("group", "day", nulls_last=True)
